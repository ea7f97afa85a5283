"""Read orgsim results files into xarray and pandas; summarize, plot and report them.

An orgsim results file (``orgsim run``, ``orgsim sweep``, ``orgsim compare``)
is HDF5 laid out as netCDF-4: dimensions ``run``, ``step`` and
``department``; organization observables over ``(run, step)``; department
observables over ``(run, step, department)``; per-run ``seed``,
``replicate``, ``point``, ``status`` and ``error``; a sweep's swept
parameters and design; and its provenance as attributes of the root group.
docs/output.md and docs/sweeps.md describe every variable.

    >>> from orgsim_analysis import open_results, tidy, replicate_summary, sensitivity_indices
    >>> results = open_results("listening_grid.h5")
    >>> replicate_summary(results, "blame_rate")          # per point: mean, 95% interval, n
    >>> tidy(results, "blame_rate")                       # long table, swept parameters as columns
    >>> sensitivity_indices(open_results("sobol_culture.h5"), "individual_knowledge")

Figures are in :mod:`orgsim_analysis.plots` (imported on its own, as it loads
matplotlib), the HTML report in :mod:`orgsim_analysis.report`, and the
command line is ``python3 -m orgsim_analysis``.
"""

from orgsim_analysis.results import (
    PER_RUN_COORDINATES,
    PROVENANCE_ATTRIBUTES,
    ResultsFileError,
    design_name,
    open_results,
    provenance,
    salib_problem,
    swept_parameters,
    tidy,
)
from orgsim_analysis.sensitivity import morris_analyze, sensitivity_indices, sobol_analyze
from orgsim_analysis.summaries import KEY_OUTCOMES, key_outcomes, points, replicate_summary

__all__ = [
    "PER_RUN_COORDINATES",
    "PROVENANCE_ATTRIBUTES",
    "ResultsFileError",
    "design_name",
    "KEY_OUTCOMES",
    "key_outcomes",
    "morris_analyze",
    "open_results",
    "points",
    "provenance",
    "replicate_summary",
    "salib_problem",
    "sensitivity_indices",
    "sobol_analyze",
    "swept_parameters",
    "tidy",
]
