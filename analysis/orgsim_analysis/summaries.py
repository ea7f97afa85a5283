"""Replicate summaries: the mean of an outcome and its 95% interval at each point or scenario.

The interval is Student's t-interval over a point's replicates,
mean ± t(0.975, n − 1) · s / √n, with s the sample standard deviation
(ddof = 1) of the n runs that are done and have a finite value. It
describes the uncertainty of the point's expected outcome given the
replicates, not the spread of single runs. With one replicate there is no
interval (NaN), as in the summary `orgsim run` prints.
"""

from __future__ import annotations

import json
import tomllib

import numpy as np
import pandas as pd
import xarray as xr
from scipy import stats

from orgsim_analysis.results import check_step_variable, design_name, swept_parameters

#: The key outcomes of files written before orgsim marked them with a ``key_outcome``
#: attribute, in the order ``orgsim run`` summarized them then.
KEY_OUTCOMES = (
    "code_knowledge",
    "individual_knowledge",
    "code_alignment",
    "silo_divergence",
    "purpose_mean",
    "distinct_words",
    "consensus_share",
    "communication_success",
)

CONFIDENCE = 0.95


def key_outcomes(dataset: xr.Dataset) -> list[str]:
    """The observables the file marks as key outcomes, in the order ``orgsim run`` summarizes them.

    orgsim gives every step variable a ``key_outcome`` attribute: its place among
    the key outcomes (1 first), or 0 (docs/output.md). A file written before
    orgsim marked them has no such attribute: its key outcomes are those
    ``orgsim run`` summarized then (``KEY_OUTCOMES``), as far as the file has them.
    """
    places = {}
    marked = False
    for name, variable in dataset.data_vars.items():
        if "key_outcome" not in variable.attrs:
            continue
        marked = True
        place = int(np.ravel(variable.attrs["key_outcome"])[0])
        if place > 0:
            places[name] = place
    if not marked:
        return [name for name in KEY_OUTCOMES if name in dataset.data_vars]
    return sorted(places, key=places.__getitem__)


def outcome(dataset: xr.Dataset, variable: str, department: str | None = None) -> xr.DataArray:
    """One observable over (run, step), for the runs that are done; a department's when one is named.

    Pending and failed runs hold NaN and are dropped. A department
    observable without ``department`` keeps its ``department`` dimension.
    """
    check_step_variable(dataset, variable)
    values = dataset[variable]
    if department is not None:
        if "department" not in values.dims:
            raise ValueError(f"{variable!r} is an organization observable: it has no department")
        names = [str(name) for name in dataset["department"].values]
        if department not in names:
            raise KeyError(f"no department {department!r} (have: {', '.join(names)})")
        values = values.sel(department=department)
    if "status" in values.coords:
        status = values["status"].values
        values = values.isel(run=np.flatnonzero(status == "done"))
        if values.sizes["run"] == 0:
            raise ValueError(f"no run is done yet ({np.sum(status == 'pending')} pending, "
                             f"{np.sum(status == 'failed')} failed): nothing to summarize")
    return values


def end_of_horizon(values: xr.DataArray) -> xr.DataArray:
    """The values at the last step, the end of the horizon."""
    return values.isel(step=-1)


def points(dataset: xr.Dataset) -> pd.DataFrame:
    """One row per design point (or compared scenario), indexed by ``point``.

    Columns: ``label`` (what a legend or table shows), ``scenario_name``
    (compare files) and one column per swept parameter with the point's value.
    """
    first = np.unique(dataset["point"].values, return_index=True)[1]
    table = pd.DataFrame(index=pd.Index(dataset["point"].values[first], name="point"))
    for name in ["scenario_name", *swept_parameters(dataset)]:
        if name in dataset.variables:
            table[name] = dataset[name].values[first]
    rows = [{name: table.at[point, name] for name in table.columns} for point in table.index]
    table["label"] = [point_label(dataset, point, row) for point, row in zip(table.index, rows)]
    return table


def point_label(dataset: xr.Dataset, point: int, values: dict) -> str:
    """A point's name: the compared scenario's name, its swept values, or the scenario's name."""
    if "scenario_name" in values:
        return str(values["scenario_name"])
    swept = swept_parameters(dataset)
    if swept:
        return ", ".join(f"{short_name(name)}={_number(values[name])}" for name in swept)
    if design_name(dataset) is None:
        return scenario_name(dataset)
    return f"point {point}"


def short_name(key: str) -> str:
    """A dotted key without its section when it names a department or an intervention."""
    parts = key.split(".")
    return ".".join(parts[1:]) if parts[0] in ("departments", "interventions") and len(parts) > 2 else key


def scenario_name(dataset: xr.Dataset) -> str:
    """``scenario.name`` of the file's resolved scenario; a compare file's names, joined by " vs "."""
    if "scenario_names" in dataset.attrs:  # compare files: every attribute is a JSON array, one per scenario
        try:
            return " vs ".join(map(str, json.loads(dataset.attrs["scenario_names"])))
        except (json.JSONDecodeError, TypeError):
            pass
    try:
        return str(tomllib.loads(dataset.attrs["scenario_resolved"])["scenario"]["name"])
    except (KeyError, tomllib.TOMLDecodeError):
        return "scenario"


def replicate_summary(dataset: xr.Dataset, variable: str, *, over_time: bool = False,
                      department: str | None = None) -> pd.DataFrame:
    """Mean and 95% t-interval over replicates, per point (or compared scenario).

    At the end of the horizon by default; with ``over_time``, at every step.
    Columns: ``point``, ``label``, ``scenario_name`` (compare files), the
    swept parameters, ``step`` (the last step, or every step with
    ``over_time``), ``department`` (a department observable without
    ``department``), then ``mean``, ``low``, ``high`` and ``n``, the number
    of replicates done with a finite value. The interval is NaN where n < 2.
    """
    values = outcome(dataset, variable, department)
    if not over_time:
        values = end_of_horizon(values)
    table = points(dataset)
    statistics = grouped_interval(values, values["point"].values).rename(group="point")
    # A point none of whose runs is done still gets its row, with n = 0.
    statistics = statistics.reindex(point=table.index.values, fill_value={"n": 0})
    statistics["n"] = statistics["n"].astype(np.int64)
    frame = statistics.to_dataframe().reset_index().join(table, on="point")
    identity = ["point", "label", *[name for name in table.columns if name != "label"]]
    rest = [name for name in ("step", "department") if name in frame]
    return frame[identity + rest + ["mean", "low", "high", "n"]]


def grouped_interval(values: xr.DataArray, groups=None) -> xr.Dataset:
    """``mean``, ``low``, ``high`` and ``n`` over runs, per group of runs (all runs together by default).

    ``groups`` labels each run (the point, for replicate summaries); the
    result has a dimension ``group`` of the distinct labels, sorted, in
    place of ``run``. NaN values do not count.
    """
    labels = np.zeros(values.sizes["run"], dtype=np.int64) if groups is None else np.asarray(groups)
    values = values.transpose("run", ...)
    order = np.argsort(labels, kind="stable")
    keys, starts, inverse = np.unique(labels[order], return_index=True, return_inverse=True)
    data = np.asarray(values.values, dtype=float)[order]
    finite = np.isfinite(data)
    count = np.add.reduceat(finite, starts, axis=0)
    total = np.add.reduceat(np.where(finite, data, 0.0), starts, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
        deviation = np.where(finite, data - mean[inverse], 0.0)
        variance = np.add.reduceat(deviation**2, starts, axis=0) / (count - 1)
        half = stats.t.ppf(CONFIDENCE / 2 + 0.5, np.where(count > 1, count - 1, np.nan)) * np.sqrt(variance / count)
    dims = ("group", *values.dims[1:])
    coords = {name: values[name] for name in values.dims[1:] if name in values.coords}
    if "step" in values.coords and values["step"].ndim == 0:
        coords["step"] = values["step"]  # the end of the horizon says which step it is
    coords["group"] = keys
    return xr.Dataset({"mean": (dims, mean), "low": (dims, mean - half), "high": (dims, mean + half),
                       "n": (dims, count)}, coords=coords)


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, (float, np.floating)) else str(value)
