"""Results files for the analysis tests, made by running the real orgsim binary.

Environment (CTest sets it): ORGSIM, the binary; ORGSIM_SOURCE_DIR, the
repository root; PYTHONPATH including analysis/.

Every sweep here is a small firm of three departments over a short horizon,
so that each file takes a second or two even under the sanitizers.
"""

import json
import os
import shutil
import subprocess
import warnings
from pathlib import Path

import h5py
import numpy as np

with warnings.catch_warnings():
    # Debian's netCDF4 was compiled against an older numpy and says so on import; harmless.
    warnings.filterwarnings("ignore", "numpy.ndarray size changed", RuntimeWarning)
    import netCDF4  # noqa: F401  (xarray's engine for the files, imported here to quiet it)

ORGSIM = os.environ.get("ORGSIM")
SOURCE_DIR = Path(os.environ.get("ORGSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
PYTHON_PATH = os.environ.get("PYTHONPATH", str(SOURCE_DIR / "analysis"))
TIMEOUT = 120  # seconds one orgsim command may take under the sanitizers
SWEEP_FAILED = 4  # orgsim sweep's exit status when some runs failed

SMALL_FIRM = """\
[scenario]
name = "small_firm"
seed = 11
steps = {steps}
replicates = {replicates}

[encounters]
enabled = true

[[departments]]
name = "Sales"
headcount = 12
jargon = "the deal"

[[departments]]
name = "Delivery"
headcount = 10
jargon = "on time"

[[departments]]
name = "Service"
headcount = 8
jargon = "customer care"
"""

GRID = """
[sweep]
design = "grid"

[sweep.parameters]
"departments.Sales.incentive_weight" = [0, 0.5, 0.9]
"knowledge.socialization_rate" = [0.1, 0.3]
"""

# Three model parameters whose valid range is [0, 1] (orgsim parameters).
UNIT_PARAMETERS = ("knowledge.socialization_rate", "knowledge.code_learning_rate", "purpose.susceptibility")


def unit_ranges():
    """The [sweep.parameters] table: each of UNIT_PARAMETERS over [0, 1]."""
    return "\n[sweep.parameters]\n" + "".join(f'"{name}" = {{ min = 0, max = 1 }}\n' for name in UNIT_PARAMETERS)


def sobol_section(samples):
    return f'\n[sweep]\ndesign = "sobol"\nsamples = {samples}\n' + unit_ranges()


def morris_section(samples, levels):
    return f'\n[sweep]\ndesign = "morris"\nsamples = {samples}\nlevels = {levels}\n' + unit_ranges()


# One orgsim process: a single department of four people over one step, the least a run can be.
TINY_FIRM = """\
[scenario]
name = "tiny_firm"
seed = 5
steps = 1
replicates = 1

[[departments]]
name = "Solo"
headcount = 4
"""


def require_orgsim():
    if not ORGSIM:
        raise RuntimeError("set ORGSIM to the orgsim binary (CTest does)")
    if not os.access(ORGSIM, os.X_OK):
        raise RuntimeError(f"ORGSIM={ORGSIM} is not an executable")


def orgsim(*args, env=None, allowed=(0,)):
    """Run orgsim; raise with its stderr unless it exits with one of ``allowed``."""
    command = [ORGSIM, *map(str, args)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,
                               env={**os.environ, **(env or {})})
    if completed.returncode not in allowed:
        raise RuntimeError(f"{' '.join(command)} exited {completed.returncode}:\n{completed.stderr}")
    return completed


def analysis(*args, cwd=None, timeout=120):
    """Run the analysis command line, ``python3 -m orgsim_analysis ARGS``."""
    environment = {**os.environ, "PYTHONPATH": PYTHON_PATH, "MPLBACKEND": "Agg"}
    return subprocess.run(["/usr/bin/python3", "-m", "orgsim_analysis", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, env=environment)


def sweep(directory, name, scenario_text, *sets, fail_runs=None):
    """Write the scenario to DIRECTORY/NAME.toml and sweep it to DIRECTORY/NAME.h5."""
    scenario = Path(directory) / f"{name}.toml"
    scenario.write_text(scenario_text, encoding="utf-8")
    output = Path(directory) / f"{name}.h5"
    arguments = ["sweep", scenario, "-o", output, "--threads", "2"]
    for assignment in sets:
        arguments += ["--set", assignment]
    env = {"ORGSIM_FAIL_RUNS": ",".join(map(str, fail_runs))} if fail_runs else None
    orgsim(*arguments, env=env, allowed=(SWEEP_FAILED,) if fail_runs else (0,))
    return output


def grid_sweep(directory, *, steps=20, replicates=3, fail_runs=None):
    """A 3 x 2 grid over Sales' incentive weight and the socialization rate."""
    return sweep(directory, "grid", SMALL_FIRM.format(steps=steps, replicates=replicates) + GRID,
                 fail_runs=fail_runs)


def sobol_sweep(directory, *, samples=8, steps=10):
    """A Sobol sweep of the small firm over the three unit-range parameters, one replicate per point."""
    return sweep(directory, "sobol", SMALL_FIRM.format(steps=steps, replicates=1) + sobol_section(samples))


def morris_sweep(directory, *, samples=4, levels=4, steps=10):
    return sweep(directory, "morris", SMALL_FIRM.format(steps=steps, replicates=1) + morris_section(samples, levels))


def sweep_supports(option):
    """Whether this orgsim's `sweep --help` lists ``option``."""
    return option in orgsim("sweep", "--help").stdout


def design_file(directory, name, sweep_section):
    """A sweep file that holds a design: from `orgsim sweep --design-only` where this orgsim has it,
    else from sweeping the tiny firm (one step, four people), whose outcomes the caller ignores."""
    scenario = Path(directory) / f"{name}.toml"
    scenario.write_text(TINY_FIRM + sweep_section, encoding="utf-8")
    output = Path(directory) / f"{name}.h5"
    extra = ["--design-only"] if sweep_supports("--design-only") else []
    orgsim("sweep", scenario, "-o", output, "--threads", "2", *extra)
    return output


def compare_file(directory, scenario_names=("slow_learning", "fast_learning"), *, steps=20, replicates=3):
    """A results file in the layout of `orgsim compare` (docs/compare.md), made from a real sweep.

    Each compared scenario is the small firm at one socialization rate. The
    runs come from a sweep over that rate, one value per scenario; the copy
    then gets what `orgsim compare` writes instead of a sweep's design: the
    design "compare" with no swept parameter (the swept variable goes, the
    design matrix has no columns, the SALib problem no parameters), each
    run's scenario in ``scenario_name`` (run, name_character), NUL-padded
    UTF-8 like ``error``, and the scenarios' texts, resolved texts (from
    `orgsim check`), hashes, names and files as JSON arrays in point order.
    Only the seeds stay a sweep's (compare repeats them across points).
    """
    rates = np.linspace(0.05, 0.4, len(scenario_names))
    base = SMALL_FIRM.format(steps=steps, replicates=replicates)
    section = '\n[sweep]\ndesign = "grid"\n\n[sweep.parameters]\n"knowledge.socialization_rate" = [' + \
        ", ".join(f"{rate:g}" for rate in rates) + "]\n"
    source = sweep(directory, "compare_source", base + section)
    texts, resolved, hashes, files = [], [], [], []
    for name, rate in zip(scenario_names, rates):
        scenario = Path(directory) / f"compare_{len(files)}.toml"
        texts.append(base.replace('name = "small_firm"', f'name = "{name}"') +
                     f"\n[knowledge]\nsocialization_rate = {rate:g}\n")
        scenario.write_text(texts[-1], encoding="utf-8")
        first, _, text = orgsim("check", scenario).stdout.partition("\n")
        hashes.append(first.rsplit(" ", 1)[1])
        resolved.append(text)
        files.append(str(scenario))
    output = Path(directory) / "compare.h5"
    shutil.copyfile(source, output)
    with h5py.File(output, "r+") as file:
        _delete(file, "knowledge.socialization_rate")
        _delete(file, "design")
        del file["parameter"]
        parameter = file.create_dataset("parameter", shape=(0,), dtype=h5py.string_dtype())
        parameter.make_scale("parameter")
        parameter.attrs["long_name"] = np.bytes_("Swept parameter (dotted key)")
        parameter.attrs["units"] = np.bytes_("")
        design = file.create_dataset("design", shape=(len(scenario_names), 0), dtype=np.float64)
        design.attrs["long_name"] = np.bytes_("Parameter values of each design point")
        design.attrs["units"] = np.bytes_("")
        design.dims[0].attach_scale(file["design_point"])
        design.dims[1].attach_scale(parameter)
        attributes = {
            "sweep_design": "compare", "sweep_design_seed": "0",
            "salib_problem": json.dumps({"num_vars": 0, "names": [], "bounds": []}),
            "scenario": json.dumps(texts), "scenario_resolved": json.dumps(resolved),
            "scenario_hashes": json.dumps(hashes), "scenario_names": json.dumps(list(scenario_names)),
            "scenario_files": json.dumps(files),
        }
        attributes["scenario_hash"] = fnv1a64(attributes["scenario_resolved"].encode("utf-8"))
        for key, value in attributes.items():
            file.attrs[key] = np.bytes_(value.encode("utf-8"))
        _add_names(file, [scenario_names[int(point)] for point in file["point"][()]])
    return output


def _add_names(file, names):
    """scenario_name (run, name_character): each run's name, NUL-padded UTF-8, as wide as the longest.

    name_character is a netCDF dimension without a variable, as orgsim
    writes it, so netCDF readers join each row into one string.
    """
    width = max(len(name.encode("utf-8")) for name in names)
    characters = file.create_dataset("name_character", data=np.zeros(width, dtype=np.uint16))
    characters.make_scale(f"This is a netCDF dimension but not a netCDF variable.{width:10d}")
    table = np.zeros((len(names), width), dtype="S1")
    for run, name in enumerate(names):
        encoded = name.encode("utf-8")
        table[run, :len(encoded)] = np.frombuffer(encoded, dtype="S1")
    dataset = file.create_dataset("scenario_name", data=table)
    dataset.dims[0].attach_scale(file["run"])
    dataset.dims[1].attach_scale(characters)
    dataset.attrs["long_name"] = np.bytes_("Name of the run's scenario (orgsim compare: one scenario per point)")
    dataset.attrs["units"] = np.bytes_("")
    dataset.attrs["_Encoding"] = np.bytes_("utf-8")


def fnv1a64(data):
    """FNV-1a 64 as 16 hex digits, orgsim's scenario hash."""
    value = 0xCBF29CE484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def _delete(file, name):
    """Remove a dataset and its ties to the dimension scales it is attached to."""
    dataset = file[name]
    for axis, dimension in enumerate(dataset.dims):
        for scale in list(dimension.values()):
            dataset.dims[axis].detach_scale(scale)
    del file[name]


def png_size(path):
    """(width, height) from a PNG's IHDR chunk; raises if the file is not a PNG."""
    data = Path(path).read_bytes()[:24]
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG file")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def text(value):
    """An HDF5 string attribute as str."""
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    return value.decode("utf-8") if isinstance(value, (bytes, np.bytes_)) else str(value)
