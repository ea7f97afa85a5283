"""Results files for the analysis tests, made by running the real orgsim binary.

Environment (CTest sets it): ORGSIM, the binary; ORGSIM_SOURCE_DIR, the
repository root; PYTHONPATH including analysis/.

Every sweep here is a small firm of three departments over a short horizon,
so that each file takes a second or two even under the sanitizers.
"""

import os
import subprocess
import warnings
from pathlib import Path

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


def design_file(directory, name, sweep_section):
    """A sweep file that holds a design and runs nothing: `orgsim sweep --design-only`."""
    scenario = Path(directory) / f"{name}.toml"
    scenario.write_text(TINY_FIRM + sweep_section, encoding="utf-8")
    output = Path(directory) / f"{name}.h5"
    orgsim("sweep", scenario, "-o", output, "--design-only")
    return output


def compare_file(directory, scenario_names=("slow_learning", "fast_learning"), *, steps=20, replicates=3):
    """A results file of `orgsim compare`: the small firm at one socialization rate per scenario."""
    rates = np.linspace(0.05, 0.4, len(scenario_names))
    base = SMALL_FIRM.format(steps=steps, replicates=replicates)
    files = []
    for index, (name, rate) in enumerate(zip(scenario_names, rates)):
        scenario = Path(directory) / f"compare_{index}.toml"
        scenario.write_text(base.replace('name = "small_firm"', f'name = "{name}"') +
                            f"\n[knowledge]\nsocialization_rate = {rate:g}\n", encoding="utf-8")
        files.append(scenario)
    output = Path(directory) / "compare.h5"
    orgsim("compare", *files, "-o", output, "--threads", "2")
    return output


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
