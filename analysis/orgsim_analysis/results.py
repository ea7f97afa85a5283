"""Opening a results file, reshaping it to long format, reading its provenance."""

from __future__ import annotations

import json
import os
import re
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

#: Per-run text stored as characters along a dimension of their own: (variable, character dimension).
TEXT_VARIABLES = (("error", "error_character"), ("scenario_name", "name_character"))

#: The ledger's codes, used when a file's ``status`` carries no CF flag attributes.
STATUS_MEANINGS = {0: "pending", 1: "done", 2: "failed"}


class ResultsFileError(ValueError):
    """The file exists but is not an orgsim results file netCDF can read."""


def open_results(path: str | os.PathLike, verify: bool = True) -> xr.Dataset:
    """Open a results file as an :class:`xarray.Dataset`.

    The file is read through netCDF-4 (``engine="netcdf4"``), lazily: values
    are loaded when first used, and the file stays open until the dataset is
    closed (``with open_results(path) as results: ...``). These become
    coordinates of the ``run`` dimension, so selections keep them:

    - ``seed``, ``replicate`` and ``point``;
    - in a sweep file, one per swept parameter, named by its dotted key
      (``results["departments.Sales.incentive_weight"]``);
    - ``status``, the ledger as words: ``"pending"``, ``"done"``, ``"failed"``
      (``results.sel(run=results.status == "done")``);
    - in a compare file, ``scenario_name``, the scenario each run belongs to.

    ``error`` is one string per run (empty unless the run failed). Variable
    attributes (``long_name``, ``units``) and the root attributes (the
    provenance, see :func:`provenance`; a sweep's ``sweep_design``,
    ``salib_problem``, ...) are kept as they are in the file.

    With ``verify`` (the default), every stored value is read once before
    the dataset is returned, so that a damaged file (a chunk that fails its
    checksum or does not decompress) is refused here, in one line, rather
    than by whichever later computation first touches the damage. That
    takes about as long as loading every value (some 10 µs per stored chunk,
    31 chunks per run); ``verify=False`` skips it for a file known to be whole.

    Raises :class:`FileNotFoundError` for a missing file and
    :class:`ResultsFileError` for a file that is not an orgsim results file,
    is cut short, or (with ``verify``) holds damaged data.
    """
    path = os.fspath(path)
    text = _read_text_variables(path, verify)
    try:
        dataset = xr.open_dataset(path, engine="netcdf4", decode_timedelta=False,
                                  drop_variables=[name for pair in TEXT_VARIABLES for name in pair])
    except OSError as error:
        raise ResultsFileError(f"{path}: netCDF cannot open it ({error.strerror or error}); a sweep killed "
                               "while writing is readable again after `orgsim sweep --resume` or "
                               "`h5clear -s`") from None
    for name, (values, attributes) in text.items():
        dataset[name] = xr.DataArray(values, dims=("run",), attrs=attributes)
    if "status" in dataset.variables:
        dataset["status"] = _status_words(dataset["status"])
    labels = [*PER_RUN_COORDINATES, *swept_parameters(dataset), "status", "scenario_name"]
    return dataset.set_coords([name for name in labels if name in dataset.variables])


def swept_parameters(dataset: xr.Dataset) -> list[str]:
    """The dotted keys a sweep varied, in design order; empty for a single scenario or a compare file."""
    if "parameter" not in dataset.variables:
        return []
    return [str(name) for name in dataset["parameter"].values if str(name) in dataset.variables]


def design_name(dataset: xr.Dataset) -> str | None:
    """The sweep's design (``grid``, ``sobol``, ``morris``, ``compare``, ...); None for ``orgsim run`` files."""
    design = dataset.attrs.get("sweep_design")
    return str(design) if design is not None else None


def salib_problem(dataset: xr.Dataset) -> dict:
    """The SALib problem description a sweep file records (``num_vars``, ``names``, ``bounds``)."""
    if "salib_problem" not in dataset.attrs:
        raise ResultsFileError("the file records no SALib problem (salib_problem attribute): not a sweep")
    return json.loads(dataset.attrs["salib_problem"])


def tidy(dataset: xr.Dataset, variables: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Return step-by-step observables as a long :class:`pandas.DataFrame`.

    One row per run, step, department (department observables only) and
    variable, with columns ``run``, ``step``, ``department`` (present when a
    department observable is among ``variables``; empty for organization
    observables), ``variable`` and ``value``. A sweep or compare file adds,
    after ``run``, the columns ``point`` and ``replicate``, then
    ``scenario_name`` (compare files) and one column per swept parameter,
    named by its dotted key. ``variables`` is one name or a list of names; by
    default, every variable over ``run`` and ``step``. Per-run variables
    (``seed``, ``equilibrium_step``, ...) have no step and are refused; join
    them on ``run`` if needed.
    """
    if variables is None:
        names = [name for name, values in dataset.data_vars.items() if {"run", "step"} <= set(values.dims)]
    elif isinstance(variables, str):
        names = [variables]
    else:
        names = list(variables)
    for name in names:
        check_step_variable(dataset, name)

    identity = run_labels(dataset)
    by_department = any("department" in dataset[name].dims for name in names)
    columns = ["run", *identity.columns, "step"] + (["department"] if by_department else []) + ["variable", "value"]
    frames = []
    for name in names:
        frame = dataset[name].reset_coords(drop=True).to_dataframe(name="value").reset_index()
        if by_department and "department" not in frame:
            frame["department"] = None
        frame["variable"] = name
        if len(identity.columns):
            frame = frame.join(identity, on="run")
        frames.append(frame[columns])
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)


def run_labels(dataset: xr.Dataset) -> pd.DataFrame:
    """What identifies each run of a sweep or compare file, indexed by ``run``.

    Columns ``point``, ``replicate``, ``scenario_name`` (compare files) and
    the swept parameters; no columns for a file of ``orgsim run``.
    """
    if design_name(dataset) is None:
        return pd.DataFrame(index=pd.Index(dataset["run"].values, name="run"))
    names = ["point", "replicate", "scenario_name", *swept_parameters(dataset)]
    columns = {name: dataset[name].values for name in names if name in dataset.variables}
    return pd.DataFrame(columns, index=pd.Index(dataset["run"].values, name="run"))


def check_step_variable(dataset: xr.Dataset, name: str) -> None:
    """Raise KeyError if ``name`` is not a variable, ValueError if it is not over (run, step, ...)."""
    if name not in dataset.data_vars:
        known = ", ".join(str(variable) for variable, values in dataset.data_vars.items()
                          if {"run", "step"} <= set(values.dims))
        raise KeyError(f"{name!r} is not a variable of the results (have: {known})")
    if not {"run", "step"} <= set(dataset[name].dims):
        raise ValueError(f"{name!r} has dimensions {dataset[name].dims}, not (run, step, ...)")


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


def _check_readable(file: h5py.File, path: str) -> None:
    """Read every chunked dataset once, in blocks of about 8 MB, through its filters (checksum, deflate)."""
    for name, dataset in _root_datasets(file):
        if dataset.chunks is None or dataset.ndim == 0 or dataset.shape[0] == 0:
            continue
        row_bytes = dataset.dtype.itemsize * int(np.prod(dataset.shape[1:], dtype=np.int64))
        block = max(1, (8 << 20) // max(1, row_bytes))
        for start in range(0, dataset.shape[0], block):
            stop = min(start + block, dataset.shape[0])
            try:
                dataset[start:stop]
            except OSError as error:
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                raise ResultsFileError(f"{path}: damaged: {name!r} cannot be read in runs {start} to {stop - 1} "
                                       f"({reason}); `orgsim status {path}` lists the damaged runs") from None


def _root_datasets(file: h5py.File) -> list[tuple[str, h5py.Dataset]]:
    """The datasets of the root group, by name."""
    return [(name, item) for name, item in file.items() if isinstance(item, h5py.Dataset)]


def _truncated(path: str, size: int, end: int) -> str:
    return (f"{path}: truncated: {size} bytes, but its HDF5 metadata accounts for {end} "
            "(cut short by a full disk, a copy or a transfer?)")


def _superblock_truncation(path: str) -> str | None:
    """A file shorter than the end-of-file address its superblock (versions 2 and 3, which orgsim writes)
    records, in words; None otherwise. HDF5 makes this check itself, except for a file still marked as
    being written (a killed sweep's), which it then refuses as open for writing instead."""
    size = os.path.getsize(path)
    with open(path, "rb") as file:
        at = 0
        while at + 36 <= size:
            file.seek(at)
            head = file.read(36)
            if head[:8] == b"\x89HDF\r\n\x1a\n":
                if head[8] not in (2, 3) or head[9] != 8:
                    return None
                base = int.from_bytes(head[12:20], "little")
                end = int.from_bytes(head[28:36], "little")
                return _truncated(path, size, end) if size + base < end else None
            at = 512 if at == 0 else at * 2
    return None


def _truncation(path: str, error: OSError) -> str | None:
    """HDF5's refusal of a file shorter than its metadata says, in words; None for other errors."""
    found = re.search(r"truncated file: eof = (\d+).*stored_eof = (\d+)", str(error))
    if not found:
        return None
    return _truncated(path, int(found.group(1)), int(found.group(2)))


def _read_text_variables(path: str, verify: bool = False) -> dict[str, tuple[np.ndarray, dict]]:
    """Check the file is an orgsim results file and read its per-run text, joined into strings.

    Text is read here, as bytes, because netCDF decodes character arrays
    one byte at a time, which splits a multi-byte UTF-8 character in two.
    """
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such file")
    if os.path.isdir(path):
        raise ResultsFileError(f"{path}: is a directory, not a results file")
    if not h5py.is_hdf5(path):
        raise ResultsFileError(f"{path}: not an HDF5 file, so not an orgsim results file")
    truncated = _superblock_truncation(path)
    if truncated:
        raise ResultsFileError(truncated)
    try:
        file = h5py.File(path, "r")
    except OSError as error:
        if "already open for write" in str(error):
            raise ResultsFileError(f"{path}: a sweep is writing it, or was killed while writing it; "
                                   "`orgsim sweep --resume` finishes it (`h5clear -s` opens it as it is)") from None
        truncated = _truncation(path, error)
        if truncated:
            raise ResultsFileError(truncated) from None
        raise ResultsFileError(f"{path}: HDF5 cannot open it ({str(error).splitlines()[0]})") from None
    with file:
        if _text(file.attrs.get("title", b"")) != "orgsim results" or "run" not in file:
            raise ResultsFileError(f"{path}: an HDF5 file, but not an orgsim results file "
                                   "(no 'orgsim results' title or no run dimension)")
        if verify:
            _check_readable(file, path)
        text = {}
        for name, _ in TEXT_VARIABLES:
            if name in file:
                characters = file[name][()]
                rows = characters.view(f"S{characters.shape[1]}").ravel() if characters.size else characters
                attributes = {key: _text(file[name].attrs[key]) for key in ("long_name", "units")
                              if key in file[name].attrs}
                strings = [row.rstrip(b"\0").decode("utf-8", errors="replace") for row in rows]
                text[name] = (np.array(strings, dtype=object).reshape(len(file["run"])), attributes)
        return text


def _status_words(status: xr.DataArray) -> xr.DataArray:
    """The ledger's codes as words, from the variable's CF flag attributes."""
    meanings = STATUS_MEANINGS
    if "flag_values" in status.attrs and "flag_meanings" in status.attrs:
        values = np.atleast_1d(status.attrs["flag_values"]).tolist()
        meanings = dict(zip(values, str(status.attrs["flag_meanings"]).split()))
    codes = status.values
    unknown = sorted(set(codes.tolist()) - set(meanings))
    if unknown:
        raise ResultsFileError(f"status has codes {unknown} that the file does not name")
    words = np.array([meanings[code] for code in codes.tolist()], dtype=object)
    attributes = {"long_name": status.attrs.get("long_name", "Run status"), "units": ""}
    return xr.DataArray(words, dims=status.dims, attrs=attributes)


def _text(value) -> str:
    """An HDF5 string attribute (fixed or variable length) as ``str``."""
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8")
    return str(value)
