"""PNG figures of a results file: time series, heatmaps, department panels, sensitivity bars.

Every function writes one PNG of exactly ``size`` pixels (width, height) at
100 dots per inch, under a temporary name first and renamed when complete,
so an existing file is only ever replaced by a whole figure. Lines are
replicate means per design point or compared scenario; bands and whiskers
are the 95% intervals described in :mod:`orgsim_analysis.summaries` and
:mod:`orgsim_analysis.sensitivity`. A sweep with more than ``MAX_LINES``
points is drawn as one line over all its runs.
"""

from __future__ import annotations

import os
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend is chosen first)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xarray as xr  # noqa: E402

from orgsim_analysis.output import (  # noqa: E402
    DEPARTMENTS_SIZE, HEATMAP_SIZE, SENSITIVITY_SIZE, TIMESERIES_SIZE, creation_mode)
from orgsim_analysis.results import swept_parameters  # noqa: E402
from orgsim_analysis.summaries import grouped_interval, outcome, replicate_summary, short_name  # noqa: E402

DPI = 100
MAX_LINES = 20
#: A binned heatmap axis has this many bins; an axis with at most this many distinct values is not binned.
HEATMAP_BINS = 10


def timeseries(dataset: xr.Dataset, variable: str, output: str | os.PathLike, *, department: str | None = None,
               size: tuple[int, int] = TIMESERIES_SIZE) -> str:
    """An outcome over time: one line per point or scenario, with its 95% interval band."""
    values = outcome(dataset, variable, department)
    if "department" in values.dims:
        raise ValueError(f"{variable!r} is a department observable: name a department, or plot departments")
    figure, axes = _figure(size)
    draw_series(axes, dataset, variable, department)
    axes.set_title(_title(variable, department))
    axes.set_xlabel("step (week)")
    axes.set_ylabel(_axis_label(dataset, variable))
    _legend(axes)
    return _save(figure, output)


def departments(dataset: xr.Dataset, variable: str, output: str | os.PathLike, *,
                size: tuple[int, int] = DEPARTMENTS_SIZE) -> str:
    """A department observable in small multiples: one panel per department, sharing the y axis."""
    values = outcome(dataset, variable)
    if "department" not in values.dims:
        raise ValueError(f"{variable!r} is an organization observable: department panels need a dept_* variable")
    names = [str(name) for name in dataset["department"].values]
    columns = min(3, len(names))
    rows = -(-len(names) // columns)
    # The legend takes the grid's first free panel, or a column of its own when the grid is full.
    extra = 1 if rows * columns == len(names) else 0
    figure = plt.figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI, layout="constrained")
    grid = figure.subplots(rows, columns + extra, sharex=True, sharey=True, squeeze=False,
                           gridspec_kw={"width_ratios": [1] * columns + [0.9] * extra})
    panels = [grid[row, column] for row in range(rows) for column in range(columns)]
    for axes, name in zip(panels, names):
        draw_series(axes, dataset, variable, name)
        axes.set_title(name)
        axes.tick_params(labelleft=True, labelbottom=True)
    free = panels[len(names):] + ([grid[row, columns] for row in range(rows)] if extra else [])
    for axes in free:
        axes.set_axis_off()
    for axes in grid[:, 0]:
        axes.set_ylabel(_axis_label(dataset, variable))
    for axes in panels[-columns:]:
        axes.set_xlabel("step (week)")
    figure.suptitle(_title(variable, None) + " by department")
    handles, labels = panels[0].get_legend_handles_labels()
    free[0].legend(handles, labels, loc="upper left", fontsize="small", frameon=False)
    return _save(figure, output)


def heatmap(dataset: xr.Dataset, variable: str, output: str | os.PathLike, *, x: str | None = None,
            y: str | None = None, department: str | None = None, size: tuple[int, int] = HEATMAP_SIZE) -> str:
    """An outcome at the end of the horizon (replicate mean) over two swept parameters.

    ``x`` and ``y`` default to the first two swept parameters. Points that
    share a cell (other swept parameters, or values binned into
    ``HEATMAP_BINS`` bins along an axis with more distinct values) are averaged.
    """
    swept = swept_parameters(dataset)
    if len(swept) < 2:
        raise ValueError(f"a heatmap needs two swept parameters; the file has {len(swept)}")
    for name in (x, y):
        if name is not None and name not in swept:
            raise KeyError(f"{name!r} is not a swept parameter (have: {', '.join(swept)})")
    if x is not None and x == y:
        raise ValueError("the heatmap's two axes need two different parameters")
    x = x or next(name for name in swept if name != y)
    y = y or next(name for name in swept if name != x)
    summary = replicate_summary(dataset, variable, department=department)
    if "department" in summary:
        raise ValueError(f"{variable!r} is a department observable: name a department")
    cells = summary.assign(x=_cells(summary[x]), y=_cells(summary[y])).groupby(["y", "x"], observed=True)["mean"]
    grid = cells.mean().unstack("x")
    figure, axes = _figure(size)
    image = axes.imshow(grid.to_numpy(dtype=float), origin="lower", aspect="auto", cmap="viridis")
    axes.set_xticks(range(grid.shape[1]), [_tick(value) for value in grid.columns], rotation=45, ha="right")
    axes.set_yticks(range(grid.shape[0]), [_tick(value) for value in grid.index])
    binned = " (bin centres)"
    axes.set_xlabel(short_name(x) + (binned if summary[x].nunique() > HEATMAP_BINS else ""))
    axes.set_ylabel(short_name(y) + (binned if summary[y].nunique() > HEATMAP_BINS else ""))
    if grid.size <= 144:
        for (row, column), value in np.ndenumerate(grid.to_numpy(dtype=float)):
            if np.isfinite(value):
                colour = "black" if image.norm(value) > 0.6 else "white"  # readable on viridis' yellows
                axes.text(column, row, f"{value:.3g}", ha="center", va="center", color=colour, fontsize="small")
    figure.colorbar(image, ax=axes, label=_axis_label(dataset, variable))
    axes.set_title(_title(variable, department) + ", end of horizon, replicate mean")
    return _save(figure, output)


def sensitivity(table: pd.DataFrame, output: str | os.PathLike, *, title: str = "",
                size: tuple[int, int] = SENSITIVITY_SIZE) -> str:
    """Sensitivity indices as horizontal bars with their 95% bootstrap whiskers.

    Sobol tables (``S1``, ``ST``) show both indices per parameter; Morris
    tables show ``mu_star`` with its whiskers and ``sigma`` beside it.
    """
    if "S1" in table:
        bars = [("S1", "S1_conf", "first order S1"), ("ST", "ST_conf", "total order ST")]
        xlabel = "Sobol index (share of variance)"
    elif "mu_star" in table:
        bars = [("mu_star", "mu_star_conf", "mu* (mean |elementary effect|)"), ("sigma", None, "sigma")]
        xlabel = "elementary effect (outcome units per unit range)"
    else:
        raise ValueError("not a table of Sobol or Morris indices")
    figure, axes = _figure(size)
    positions = np.arange(len(table))
    height = 0.8 / len(bars)
    for offset, (column, whisker, label) in enumerate(bars):
        errors = table[whisker].to_numpy() if whisker else None
        axes.barh(positions + (offset - (len(bars) - 1) / 2) * height, table[column].to_numpy(), height,
                  xerr=errors, capsize=3, label=label)
    axes.set_yticks(positions, [short_name(str(name)) for name in table.index])
    axes.invert_yaxis()
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_xlabel(xlabel)
    axes.set_title(title)
    axes.legend(loc="best", fontsize="small")
    return _save(figure, output)


def draw_series(axes, dataset: xr.Dataset, variable: str, department: str | None = None) -> None:
    """Draw on matplotlib ``axes`` the replicate mean of an outcome over time and its 95% band.

    One line per point or compared scenario, labelled with its swept values
    or its name; a sweep of more than ``MAX_LINES`` points gets one line,
    the mean over all its runs, with the t-interval over those runs.
    """
    point_count = np.unique(dataset["point"].values).size
    if point_count > MAX_LINES:
        values = outcome(dataset, variable, department)
        pooled = grouped_interval(values).isel(group=0)
        steps = pooled["step"].values
        axes.plot(steps, pooled["mean"].values, label=f"all {point_count} points ({values.sizes['run']} runs)")
        axes.fill_between(steps, pooled["low"].values, pooled["high"].values, alpha=0.25, linewidth=0)
        return
    summary = replicate_summary(dataset, variable, over_time=True, department=department)
    colours = plt.get_cmap("tab10" if point_count <= 10 else "tab20")
    for index, (label, series) in enumerate(summary.groupby("label", sort=False)):
        colour = colours(index % colours.N)
        axes.plot(series["step"], series["mean"], color=colour, label=label, linewidth=1.2)
        axes.fill_between(series["step"], series["low"], series["high"], color=colour, alpha=0.2, linewidth=0)


def _figure(size: tuple[int, int]):
    figure = plt.figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI, layout="constrained")
    return figure, figure.add_subplot()


def _legend(axes) -> None:
    handles, labels = axes.get_legend_handles_labels()
    if len(labels) > 6:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    elif labels:
        axes.legend(loc="best", fontsize="small")


def _title(variable: str, department: str | None) -> str:
    return variable + (f" ({department})" if department else "")


def _axis_label(dataset: xr.Dataset, variable: str) -> str:
    units = str(dataset[variable].attrs.get("units", ""))
    return variable if units in ("", "1") else f"{variable} ({units})"


def _cells(values: pd.Series) -> pd.Series:
    """The values themselves, or their bin's midpoint when there are too many distinct values."""
    if values.nunique() <= HEATMAP_BINS:
        return values
    edges = np.linspace(values.min(), values.max(), HEATMAP_BINS + 1)
    middles = (edges[:-1] + edges[1:]) / 2
    return pd.Series(middles[pd.cut(values, edges, include_lowest=True, labels=False)], index=values.index)


def _tick(value) -> str:
    return f"{value:.3g}" if isinstance(value, (float, np.floating)) else str(value)


def _save(figure, output: str | os.PathLike) -> str:
    """Write the figure beside ``output`` under a temporary name, then rename it into place."""
    output = os.fspath(output)
    directory = os.path.dirname(os.path.abspath(output))
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(output)}.", suffix=".partial",
                                         dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            figure.savefig(stream, format="png", dpi=DPI)
        os.chmod(temporary, creation_mode())
        os.replace(temporary, output)
    except BaseException:
        os.unlink(temporary)
        raise
    finally:
        plt.close(figure)
    return output
