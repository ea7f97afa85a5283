#!/usr/bin/env Rscript
# One organization observable of an orgsim results file over time: the mean
# over the runs that are done, with the range of those runs shaded, as a PNG.
#
#   Rscript analysis/R/plot_timeseries.R FILE VARIABLE OUTPUT.png [WIDTH HEIGHT]
#
# Needs R and the hdf5r package (Debian: r-base-core, r-cran-hdf5r). hdf5r
# reads an HDF5 dataset of dimensions (run, step) as an R matrix [step, run]:
# R stores arrays column-major, so the dimensions come out reversed.
# Errors are one line on stderr and exit status 2; nothing is written then.

suppressPackageStartupMessages(library(hdf5r))

fail <- function(message) {
  cat(sprintf("plot_timeseries.R: error: %s\n", message), file = stderr())
  quit(save = "no", status = 2)
}

arguments <- commandArgs(trailingOnly = TRUE)
if (!(length(arguments) %in% c(3, 5))) {
  fail("usage: Rscript plot_timeseries.R FILE VARIABLE OUTPUT.png [WIDTH HEIGHT]")
}
path <- arguments[1]
variable <- arguments[2]
output <- arguments[3]
size <- if (length(arguments) == 5) suppressWarnings(as.integer(arguments[4:5])) else c(900L, 560L)
if (any(is.na(size)) || any(size < 50)) fail("WIDTH and HEIGHT are whole numbers of pixels, at least 50")
if (!file.exists(path)) fail(sprintf("%s: no such file", path))

results <- tryCatch(H5File$new(path, mode = "r"), error = function(e) fail(sprintf("%s: not an HDF5 file", path)))
title <- if (results$attr_exists("title")) h5attr(results, "title") else ""
if (title != "orgsim results") fail(sprintf("%s: not an orgsim results file", path))
if (!results$exists(variable)) fail(sprintf("%s: no variable '%s'", path, variable))
observable <- results[[variable]]
if (length(observable$dims) != 2) {
  fail(sprintf("%s: '%s' is not an organization observable over (run, step)", path, variable))
}

values <- observable$read()                 # [step, run]
steps <- results[["step"]]$read()
done <- results[["status"]]$read() == 1     # the ledger: 0 pending, 1 done, 2 failed
units <- if (observable$attr_exists("units")) h5attr(observable, "units") else ""
results$close_all()
if (!any(done)) fail(sprintf("%s: no run is done yet", path))

values <- values[, done, drop = FALSE]
mean_value <- apply(values, 1, function(row) if (all(is.na(row))) NA else mean(row, na.rm = TRUE))
low <- apply(values, 1, function(row) if (all(is.na(row))) NA else min(row, na.rm = TRUE))
high <- apply(values, 1, function(row) if (all(is.na(row))) NA else max(row, na.rm = TRUE))

# Drawn under a temporary name and renamed, so OUTPUT is only ever a whole figure.
partial <- tempfile(pattern = paste0(".", basename(output), "."), tmpdir = dirname(output), fileext = ".png")
png(partial, width = size[1], height = size[2], type = "cairo")
label <- if (units %in% c("", "1")) variable else sprintf("%s (%s)", variable, units)
shown <- is.finite(low) & is.finite(high)
plot(steps, mean_value, type = "n", xlab = "step (week)", ylab = label,
     ylim = range(c(low[shown], high[shown])),
     main = sprintf("%s: mean of %d run(s), range shaded", variable, sum(done)))
polygon(c(steps[shown], rev(steps[shown])), c(low[shown], rev(high[shown])), col = "#1f77b433", border = NA)
lines(steps, mean_value, col = "#1f77b4", lwd = 2)
invisible(dev.off())
if (!file.rename(partial, output)) {
  unlink(partial)
  fail(sprintf("%s: cannot write the figure", output))
}
cat(sprintf("wrote %s\n", output))
