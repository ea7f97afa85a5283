"""Opening a results file, reshaping it to long format, reading its provenance."""

from __future__ import annotations

import os
from collections.abc import Iterable

import h5py
import numpy as np
import pandas as pd
import xarray as xr

#: Per-run variables that label the ``run`` dimension once opened.
PER_RUN_COORDINATES = ("seed", "replicate", "point")

#: Root attributes that record where a results file came from.
PROVENANCE_ATTRIBUTES = (
    "engine_version",
    "scenario",
    "scenario_resolved",
    "scenario_hash",
    "command_line",
    "created",
)


def open_results(path: str | os.PathLike) -> xr.Dataset:
    """Open a results file as an :class:`xarray.Dataset`.

    The file is read through netCDF-4 (``engine="netcdf4"``), lazily: values
    are loaded when first used, and the file stays open until the dataset is
    closed (``with open_results(path) as results: ...``). ``seed``,
    ``replicate`` and ``point`` become coordinates of the ``run`` dimension,
    so selections keep them (``results.sel(run=results.replicate == 0)``).
    Variable attributes (``long_name``, ``units``) and the root attributes
    (the provenance, see :func:`provenance`) are kept as they are in the file.
    """
    dataset = xr.open_dataset(os.fspath(path), engine="netcdf4", decode_timedelta=False)
    per_run = [name for name in PER_RUN_COORDINATES if name in dataset.variables]
    return dataset.set_coords(per_run)


def tidy(dataset: xr.Dataset, variables: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Return step-by-step observables as a long :class:`pandas.DataFrame`.

    One row per run, step, department (department observables only) and
    variable, with columns ``run``, ``step``, ``department`` (present when a
    department observable is among ``variables``; empty for organization
    observables), ``variable`` and ``value``. ``variables`` is one name or a
    list of names; by default, every variable over ``run`` and ``step``.
    Per-run variables (``seed``, ``equilibrium_step``, ...) have no step and
    are refused; join them on ``run`` if needed.
    """
    if variables is None:
        names = [name for name, values in dataset.data_vars.items() if {"run", "step"} <= set(values.dims)]
    elif isinstance(variables, str):
        names = [variables]
    else:
        names = list(variables)
    for name in names:
        if name not in dataset.data_vars:
            known = ", ".join(map(str, dataset.data_vars))
            raise KeyError(f"{name!r} is not a variable of the results (have: {known})")
        if not {"run", "step"} <= set(dataset[name].dims):
            raise ValueError(f"{name!r} has dimensions {dataset[name].dims}, not (run, step, ...)")

    by_department = any("department" in dataset[name].dims for name in names)
    columns = ["run", "step"] + (["department"] if by_department else []) + ["variable", "value"]
    frames = []
    for name in names:
        frame = dataset[name].reset_coords(drop=True).to_dataframe(name="value").reset_index()
        if by_department and "department" not in frame:
            frame["department"] = None
        frame["variable"] = name
        frames.append(frame[columns])
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)


def provenance(path: str | os.PathLike) -> dict[str, str]:
    """Return the provenance recorded at the root of a results file.

    Keys are :data:`PROVENANCE_ATTRIBUTES`: ``engine_version``, ``scenario``
    (the scenario file as given), ``scenario_resolved`` (every parameter after
    defaults and ``--set``), ``scenario_hash`` (FNV-1a 64 of the resolved
    scenario, 16 hex digits), ``command_line`` and ``created`` (ISO 8601,
    UTC). Raises :class:`KeyError` if the file lacks one of them.
    """
    with h5py.File(os.fspath(path), "r") as file:
        attributes = file.attrs
        missing = [name for name in PROVENANCE_ATTRIBUTES if name not in attributes]
        if missing:
            absent = ", ".join(missing)
            raise KeyError(f"{os.fspath(path)}: not an orgsim results file (no {absent} attribute)")
        return {name: _text(attributes[name]) for name in PROVENANCE_ATTRIBUTES}


def _text(value) -> str:
    """An HDF5 string attribute (fixed or variable length) as ``str``."""
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8")
    return str(value)
