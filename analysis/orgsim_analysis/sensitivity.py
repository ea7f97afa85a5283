"""Global sensitivity indices from Sobol and Morris sweeps, computed as SALib computes them.

Sobol (``design = "sobol"``): first-order indices S1 with Saltelli et al.'s
(2010) estimator, mean(f(B)(f(AB_i) − f(A))) / V, and total-order indices ST
with Jansen's, mean((f(A) − f(AB_i))²) / (2V), V the variance of f over the
rows of A and B together, on outputs standardized first (SALib's
``sobol.analyze`` with ``calc_second_order=False``). Morris
(``design = "morris"``): elementary effects (f(high) − f(low)) / Δ with
Δ = p / (2(p − 1)) in the unit cube, and their mean ``mu``, mean absolute
value ``mu_star`` and standard deviation ``sigma`` (ddof = 1), as SALib's
``morris.analyze``.

Confidence intervals are bootstrap intervals as SALib's: the estimate is
recomputed on ``resamples`` resamples of the base rows (Sobol) or
trajectories (Morris), drawn with replacement; ``*_conf`` is the half-width
z(0.975) · the standard deviation of those estimates. The resampling uses
its own seed (default 0), so a report is the same each time it is made.

A design point's outcome is the mean over its replicates of the observable
at the end of the horizon.
"""

from __future__ import annotations

import tomllib

import numpy as np
import pandas as pd
import xarray as xr
from scipy import stats

from orgsim_analysis.results import ResultsFileError, design_name, salib_problem
from orgsim_analysis.summaries import end_of_horizon, grouped_interval, outcome

RESAMPLES = 1000
CONFIDENCE = 0.95
SENSITIVITY_DESIGNS = ("sobol", "morris")


def sobol_analyze(outputs, names, *, resamples: int = RESAMPLES, confidence: float = CONFIDENCE,
                  seed: int = 0) -> pd.DataFrame:
    """First- and total-order Sobol indices of outputs in Saltelli's row order (calc_second_order=False).

    ``outputs`` holds N (k + 2) values: for each base row, f(A), f(AB_1), ...,
    f(AB_k), f(B). Returns a table indexed by parameter name with columns
    ``S1``, ``S1_conf``, ``ST``, ``ST_conf``.
    """
    values = np.asarray(outputs, dtype=float)
    k = len(names)
    if values.ndim != 1 or values.size == 0 or values.size % (k + 2):
        raise ValueError(f"{values.size} outputs is not a multiple of k + 2 = {k + 2}: not a Sobol design "
                         f"over {k} parameters")
    if not np.all(np.isfinite(values)):
        bad = np.flatnonzero(~np.isfinite(values))
        raise ValueError(f"{bad.size} design point(s) have no finite outcome (first: point {bad[0]}); "
                         "Sobol indices need every point")
    spread = values.std()
    if spread == 0:
        raise ValueError("the outcome is the same at every design point: it has no variance to apportion")
    rows = ((values - values.mean()) / spread).reshape(-1, k + 2)
    a, b, ab = rows[:, 0], rows[:, -1], rows[:, 1:-1]
    base = rows.shape[0]
    resample = np.random.default_rng(seed).integers(base, size=(base, resamples))
    z = stats.norm.ppf(0.5 + confidence / 2)
    table = {}
    for name, estimator in (("S1", _first_order), ("ST", _total_order)):
        table[name] = [estimator(a, ab[:, i], b) for i in range(k)]
        table[f"{name}_conf"] = [z * estimator(a[resample], ab[resample, i], b[resample]).std(ddof=1)
                                 for i in range(k)]
    return pd.DataFrame(table, index=pd.Index(list(names), name="parameter"))[["S1", "S1_conf", "ST", "ST_conf"]]


def morris_analyze(design, outputs, names, levels: int, *, resamples: int = RESAMPLES,
                   confidence: float = CONFIDENCE, seed: int = 0) -> pd.DataFrame:
    """Morris screening measures from trajectories in SALib's layout.

    ``design`` holds r (k + 1) rows, trajectory after trajectory, each row
    differing from the one before it in exactly one parameter; ``outputs``
    the outcome at each row. Returns a table indexed by parameter name with
    columns ``mu``, ``mu_star``, ``sigma``, ``mu_star_conf``.
    """
    inputs = np.asarray(design, dtype=float)
    values = np.asarray(outputs, dtype=float)
    k = len(names)
    if inputs.ndim != 2 or inputs.shape[1] != k or inputs.shape[0] != values.size or values.size % (k + 1):
        raise ValueError(f"a design of shape {inputs.shape} with {values.size} outputs is not a Morris design "
                         f"of trajectories of {k + 1} points over {k} parameters")
    if not np.all(np.isfinite(values)):
        bad = np.flatnonzero(~np.isfinite(values))
        raise ValueError(f"{bad.size} design point(s) have no finite outcome (first: point {bad[0]}); "
                         "Morris measures need every point")
    delta = levels / (2 * (levels - 1))
    trajectories = values.size // (k + 1)
    steps = np.diff(inputs.reshape(trajectories, k + 1, k), axis=1)
    outputs_by_trajectory = values.reshape(trajectories, k + 1)
    changed = steps != 0
    if not np.all(changed.sum(axis=2) == 1):
        trajectory, step = np.argwhere(changed.sum(axis=2) != 1)[0]
        raise ValueError(f"design point {trajectory * (k + 1) + step + 1} does not change exactly one parameter "
                         "from the point before it: not a Morris trajectory (an integer parameter whose range "
                         "is too narrow for the levels?)")
    effects = np.empty((k, trajectories))
    for trajectory in range(trajectories):
        for step in range(k):
            parameter = int(np.flatnonzero(changed[trajectory, step])[0])
            difference = outputs_by_trajectory[trajectory, step + 1] - outputs_by_trajectory[trajectory, step]
            effects[parameter, trajectory] = np.sign(steps[trajectory, step, parameter]) * difference / delta
    resample = np.random.default_rng(seed).integers(trajectories, size=(resamples, trajectories))
    z = stats.norm.ppf(0.5 + confidence / 2)
    table = {
        "mu": effects.mean(axis=1),
        "mu_star": np.abs(effects).mean(axis=1),
        "sigma": effects.std(axis=1, ddof=1) if trajectories > 1 else np.full(k, np.nan),
        "mu_star_conf": [z * np.abs(effects[i][resample]).mean(axis=1).std(ddof=1) for i in range(k)],
    }
    return pd.DataFrame(table, index=pd.Index(list(names), name="parameter"))


def sensitivity_indices(dataset: xr.Dataset, variable: str, *, department: str | None = None,
                        resamples: int = RESAMPLES, confidence: float = CONFIDENCE,
                        seed: int = 0) -> pd.DataFrame:
    """Sobol or Morris indices of an outcome of a sweep file, by the file's design.

    The outcome at a design point is the replicate mean of ``variable`` (a
    ``department``'s, for a department observable) at the end of the
    horizon. The table's ``method`` attribute (``table.attrs["method"]``)
    says which estimator ran.
    """
    design = design_name(dataset)
    if design not in SENSITIVITY_DESIGNS:
        raise ResultsFileError(f"sensitivity indices need a sobol or morris sweep; this file's design is "
                               f"{design or 'a single scenario'}")
    values = outcome(dataset, variable, department)
    if "department" in values.dims:
        raise ValueError(f"{variable!r} is a department observable: name a department")
    problem = salib_problem(dataset)
    names = list(problem["names"])
    matrix = dataset["design"].transpose("design_point", "parameter")
    if [str(name) for name in matrix["parameter"].values] != names:
        raise ResultsFileError("the design's parameters differ from the SALib problem's names")
    means = grouped_interval(end_of_horizon(values), values["point"].values)["mean"]
    outputs = np.full(matrix.sizes["design_point"], np.nan)
    outputs[means["group"].values.astype(np.int64)] = means.values
    if design == "sobol":
        table = sobol_analyze(outputs, names, resamples=resamples, confidence=confidence, seed=seed)
    else:
        table = morris_analyze(matrix.values, outputs, names, _morris_levels(dataset), resamples=resamples,
                               confidence=confidence, seed=seed)
    table.attrs["method"] = design
    return table


def _morris_levels(dataset: xr.Dataset) -> int:
    """The Morris grid's levels p, from the sweep section of the file's resolved scenario."""
    try:
        return int(tomllib.loads(dataset.attrs["scenario_resolved"])["sweep"]["levels"])
    except (KeyError, ValueError, tomllib.TOMLDecodeError):
        raise ResultsFileError("the file's resolved scenario records no sweep.levels for its Morris design") from None


def _first_order(a, ab, b):
    return np.mean(b * (ab - a), axis=0) / np.var(np.r_[a, b], axis=0)


def _total_order(a, ab, b):
    return 0.5 * np.mean((a - ab) ** 2, axis=0) / np.var(np.r_[a, b], axis=0)
