"""A directory with the figures that apply to a results file and an index.html that shows them.

The directory is built beside its final place under a temporary name and
renamed into place when complete: a report that fails leaves nothing, and an
existing report is replaced only by a complete one (and only when asked).
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile

import numpy as np
import pandas as pd
import xarray as xr

from orgsim_analysis import plots
from orgsim_analysis.output import check_output, creation_mode
from orgsim_analysis.results import check_step_variable, design_name, open_results, provenance, swept_parameters
from orgsim_analysis.sensitivity import SENSITIVITY_DESIGNS, sensitivity_indices
from orgsim_analysis.summaries import key_outcomes, replicate_summary, scenario_name

DEFAULT_OUTCOME = "individual_knowledge"
DEFAULT_DEPARTMENT_OUTCOME = "dept_knowledge"


def check_variables(dataset: xr.Dataset, variable: str, department_variable: str) -> None:
    """Refuse the report's outcomes before anything is written."""
    check_step_variable(dataset, variable)
    if "department" in dataset[variable].dims:
        raise ValueError(f"{variable!r} is a department observable; the report's outcome is an organization one "
                         f"(the department panels take --department-variable)")
    check_step_variable(dataset, department_variable)
    if "department" not in dataset[department_variable].dims:
        raise ValueError(f"{department_variable!r} is an organization observable, not a department one")


def report(path: str | os.PathLike, directory: str | os.PathLike, *, variable: str = DEFAULT_OUTCOME,
           department_variable: str = DEFAULT_DEPARTMENT_OUTCOME, force: bool = False) -> list[str]:
    """Write the report of the results file ``path`` to ``directory``; return the names of its files.

    Figures: ``timeseries.png`` of ``variable``, ``departments.png`` of
    ``department_variable``, ``heatmap.png`` when two or more parameters
    were swept, ``sensitivity.png`` for Sobol and Morris designs; then
    ``index.html`` with the provenance, these figures and a table of the key
    outcomes at the end of the horizon (mean and 95% interval per point or
    compared scenario). ``directory`` must not exist or be empty, unless ``force``.
    """
    with open_results(path) as dataset:
        check_variables(dataset, variable, department_variable)
        target = check_output(directory, force=force, directory=True)
        _write(path, dataset, target, variable, department_variable)
    return sorted(os.listdir(target))


def _write(path, dataset: xr.Dataset, target: str, variable: str, department_variable: str) -> None:
    building = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.partial-", dir=os.path.dirname(target))
    try:
        os.chmod(building, creation_mode(0o777))
        page = _build(path, dataset, building, variable, department_variable)
        with open(os.path.join(building, "index.html"), "w", encoding="utf-8") as stream:
            stream.write(page)
        _move_into_place(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


def _build(path, dataset: xr.Dataset, building: str, variable: str, department_variable: str) -> str:
    """Draw the figures into ``building`` and return the page that shows them."""
    design = design_name(dataset)
    figures = []

    def figure(name, caption, draw):
        draw(os.path.join(building, name))
        figures.append((name, caption))

    figure("timeseries.png", f"{variable} over time: replicate mean and 95% interval per "
           f"{'scenario' if design == 'compare' else 'point'}",
           lambda output: plots.timeseries(dataset, variable, output))
    figure("departments.png", f"{department_variable} by department",
           lambda output: plots.departments(dataset, department_variable, output))
    if len(swept_parameters(dataset)) >= 2:
        figure("heatmap.png", f"{variable} at the end of the horizon (replicate mean) over the first two swept "
               "parameters", lambda output: plots.heatmap(dataset, variable, output))
    sensitivity_section = ""
    if design in SENSITIVITY_DESIGNS:
        try:
            table = sensitivity_indices(dataset, variable)
        except ValueError as error:
            sensitivity_section = f"<p>No sensitivity indices: {html.escape(str(error))}</p>"
        else:
            title = f"{'Sobol' if design == 'sobol' else 'Morris'} indices of {variable} (end of horizon)"
            figure("sensitivity.png", title + ", 95% bootstrap whiskers",
                   lambda output: plots.sensitivity(table, output, title=title))
            sensitivity_section = "<h2>Sensitivity</h2>" + table.to_html(float_format="%.3f")
    return _page(path, dataset, figures, sensitivity_section)


def _page(path, dataset: xr.Dataset, figures: list[tuple[str, str]], sensitivity_section: str) -> str:
    record = provenance(path)
    design = design_name(dataset)
    status = pd.Series(dataset["status"].values).value_counts() if "status" in dataset.variables else pd.Series()
    facts = [
        ("file", os.fspath(path)),  # as given: a report moved with its file still names it
        ("scenario", scenario_name(dataset)),
        ("design", design or "single scenario (orgsim run)"),
        ("swept parameters", ", ".join(swept_parameters(dataset)) or "none"),
        ("points", str(np.unique(dataset["point"].values).size)),
        ("runs", ", ".join(f"{int(status.get(word, 0))} {word}" for word in ("done", "failed", "pending"))),
        ("steps", str(int(dataset["step"].values[-1]))),
        ("orgsim", record["engine_version"]),
        ("created", record["created"]),
        ("command line", record["command_line"]),
        ("scenario hash", record["scenario_hash"]),
    ]
    rows = "".join(f"<tr><th>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>" for name, value in facts)
    images = "".join(f'<figure><img src="{html.escape(name)}" alt="{html.escape(caption)}">'
                     f"<figcaption>{html.escape(caption)}</figcaption></figure>" for name, caption in figures)
    failed = ""
    if "error" in dataset.variables and (dataset["status"].values == "failed").any():
        runs = np.flatnonzero(dataset["status"].values == "failed")
        items = "".join(f"<li>run {int(dataset['run'].values[run])}: {html.escape(str(dataset['error'].values[run]))}"
                        "</li>" for run in runs)
        failed = f"<h2>Failed runs</h2><ul>{items}</ul>"
    title = f"orgsim report: {scenario_name(dataset)}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; font-size: 0.9em; }}
figure {{ margin: 1.5em 0; }} img {{ max-width: 100%; border: 1px solid #eee; }}
figcaption {{ color: #555; font-size: 0.9em; }}
.wide {{ overflow-x: auto; }} td {{ white-space: nowrap; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<table>{rows}</table>
<h2>Figures</h2>
{images}
<h2>Key outcomes at the end of the horizon</h2>
<p>Mean over replicates [95% t-interval: mean ± t(0.975, n − 1) s / √n], at step
{int(dataset["step"].values[-1])}, per {'scenario' if design == 'compare' else 'point'}; n is the number of
replicates done.</p>
<div class="wide">{_outcome_table(dataset)}</div>
{sensitivity_section}
{failed}
</body></html>
"""


def _outcome_table(dataset: xr.Dataset) -> str:
    """Key outcomes at the last step: one row per point or scenario, ``mean [low, high]`` cells."""
    names = key_outcomes(dataset)
    table = None
    for name in names:
        summary = replicate_summary(dataset, name).set_index("point")
        cells = [_cell(row.mean, row.low, row.high, row.n) for row in summary.itertuples()]
        column = pd.Series(cells, index=summary.index, name=name)
        if table is None:
            table = summary[["label"]].assign(n=_runs_done(dataset).reindex(summary.index, fill_value=0))
        table[name] = column
    if table is None:
        return "<p>The file has none of the key outcomes.</p>"
    table = table.rename(columns={"label": "scenario" if design_name(dataset) == "compare" else "point"})
    return table.to_html(index=False, escape=True)


def _runs_done(dataset: xr.Dataset) -> pd.Series:
    """The number of runs done at each point."""
    done = dataset["status"].values == "done" if "status" in dataset.variables else True
    return pd.Series(np.ones(dataset.sizes["run"], dtype=int) * done, index=dataset["point"].values).groupby(
        level=0).sum()


def _cell(mean: float, low: float, high: float, count: int) -> str:
    if count == 0 or not np.isfinite(mean):
        return "n/a"
    if not np.isfinite(low):
        return f"{mean:.3f}"
    return f"{mean:.3f} [{low:.3f}, {high:.3f}]"


def _move_into_place(building: str, target: str) -> None:
    """Rename the finished report to ``target``, replacing what is there only once it is complete."""
    if not os.path.lexists(target):
        os.rename(building, target)
        return
    retired = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.old-", dir=os.path.dirname(target))
    os.rmdir(retired)
    os.rename(target, retired)
    try:
        os.rename(building, target)
    except BaseException:
        os.rename(retired, target)
        raise
    shutil.rmtree(retired, ignore_errors=True)
