"""The results file as Python users see it: h5py, xarray (netCDF-4) and orgsim_analysis.

Runs the real binary once on the embedded default scenario with a short
horizon and a few replicates, then checks the file's layout, its metadata
and provenance, and that its values are the ones the engine summarized on
stdout. Environment: ORGSIM (the binary), ORGSIM_SOURCE_DIR (the repository
root), PYTHONPATH including analysis/.
"""

import datetime
import math
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
import unittest
import warnings
from pathlib import Path

import h5py
import numpy as np
import xarray as xr
from scipy import stats

with warnings.catch_warnings():
    # Debian's netCDF4 was compiled against an older numpy and says so on import; harmless.
    warnings.filterwarnings("ignore", "numpy.ndarray size changed", RuntimeWarning)
    import netCDF4  # noqa: F401  (xarray's engine for the file, imported here to quiet it)

import orgsim_analysis

ORGSIM = os.environ.get("ORGSIM")
SOURCE_DIR = Path(os.environ.get("ORGSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))

REPLICATES = 3
STEPS = 30
PER_RUN = ("seed", "replicate", "point", "equilibrium_step", "status")
TEXT = ("error", "error_character")  # error messages: characters along a dimension of their own
PROVENANCE = ("engine_version", "scenario", "scenario_resolved", "scenario_hash", "command_line", "created")
# fmt's "{:.3f}" rounds to the nearest 0.001; allow for the binary fraction on top.
PRINTED = 0.0005 + 1e-9


def observable_table(level):
    """The (name, unit, key outcome place or 0, description) rows of one level's table in docs/output.md.

    The tables are generated from the engine's observable registry (`orgsim observables`; the test
    cli.observables_doc_current keeps them current), so the file is checked against the registry here.
    """
    doc = (SOURCE_DIR / "docs/output.md").read_text(encoding="utf-8")
    begin, end = f"<!-- observables-{level}:begin -->", f"<!-- observables-{level}:end -->"
    lines = [line for line in doc[doc.index(begin) + len(begin):doc.index(end)].splitlines() if line.strip()]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = []
    for line in lines[2:]:
        cells = dict(zip(header, (cell.strip() for cell in line.strip("|").split("|"))))
        rows.append((cells["name"].strip("`"), cells["unit"], int(cells.get("key outcome") or 0),
                     cells["description"]))
    return rows


def text(value):
    """An HDF5 string attribute as str."""
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    return value.decode("utf-8") if isinstance(value, (bytes, np.bytes_)) else str(value)


def fnv1a64(data):
    value = 0xCBF29CE484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def mix64(value):
    """splitmix64 finaliser, as in sim/core/random.hpp."""
    mask = 0xFFFFFFFFFFFFFFFF
    value = (value + 0x9E3779B97F4A7C15) & mask
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & mask
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & mask
    return value ^ (value >> 31)


def run_seed(scenario_seed, point, replicate):
    """The seed a run reports (run_seed in sim/core/random.hpp)."""
    mask = 0xFFFFFFFFFFFFFFFF
    return mix64(mix64(mix64(scenario_seed) ^ point) ^ ((replicate * 0xD1B54A32D192ED03) & mask))


NUMBER = r"[-+]?(?:\d+\.\d{3}|nan|inf)"
CELL = rf"n/a|{NUMBER}(?: \[{NUMBER}, {NUMBER}\])?"


def parse_cell(cell):
    """'n/a' -> None; '0.5' -> (0.5, None, None); '0.5 [0.4, 0.6]' -> (0.5, 0.4, 0.6)."""
    if cell == "n/a":
        return None
    numbers = [float(x) for x in re.findall(NUMBER, cell)]
    return (numbers[0], None, None) if len(numbers) == 1 else tuple(numbers)


def parse_summary(stdout):
    """The summary table `orgsim run` prints: runs, last step, {name: (start cell, end cell)}."""
    lines = stdout.splitlines()
    headers = [i for i, line in enumerate(lines) if re.match(r"\d+ run\(s\), mean \[95% CI\]", line)]
    assert len(headers) == 1, f"no single summary header in:\n{stdout}"
    header = re.fullmatch(r"(\d+) run\(s\), mean \[95% CI\]\s+step 0\s+step (\d+)", lines[headers[0]])
    assert header, f"unexpected summary header: {lines[headers[0]]!r}"
    rows = {}
    for line in lines[headers[0] + 1 :]:
        row = re.fullmatch(rf"(\w+)\s+({CELL})\s+({CELL})", line)
        if not row:
            break
        rows[row.group(1)] = (parse_cell(row.group(2)), parse_cell(row.group(3)))
    return int(header.group(1)), int(header.group(2)), rows


class ResultsFileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not ORGSIM:
            raise RuntimeError("set ORGSIM to the orgsim binary (CTest does)")
        cls.directory = tempfile.mkdtemp(prefix="orgsim-results-")
        cls.path = os.path.join(cls.directory, "r.h5")
        command = [ORGSIM, "run", "--replicates", str(REPLICATES), "--set", f"scenario.steps={STEPS}",
                   "--threads", "2", "-o", cls.path]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if completed.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({completed.returncode}):\n{completed.stderr}")
        cls.stdout = completed.stdout
        cls.listing = sorted(os.listdir(cls.directory))
        version = subprocess.run([ORGSIM, "--version"], capture_output=True, text=True, check=True)
        cls.version_output = version.stdout.strip()
        cls.default_text = (SOURCE_DIR / "scenarios/default.toml").read_text()
        cls.default = tomllib.loads(cls.default_text)
        cls.departments = [department["name"] for department in cls.default["departments"]]
        cls.org_table = observable_table("organization")
        cls.department_table = observable_table("department")
        cls.file = h5py.File(cls.path, "r")

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "file", None):
            cls.file.close()
        shutil.rmtree(cls.directory, ignore_errors=True)

    def org_names(self):
        return [name for name, _, _, _ in self.org_table]

    def department_names(self):
        return [name for name, _, _, _ in self.department_table]

    def key_outcomes(self):
        """The key outcomes in their order, as the documented table numbers them."""
        return [name for _, name in sorted((place, name) for name, _, place, _ in self.org_table if place)]

    def step_variables(self):
        return self.org_names() + self.department_names()

    # --- the run itself -------------------------------------------------------------

    def test_only_the_final_file_remains(self):
        # Written under a temporary name and renamed on success: nothing else is left behind.
        self.assertEqual(self.listing, ["r.h5"])

    def test_banner_describes_the_run(self):
        first = self.stdout.splitlines()[0]
        match = re.match(r"(orgsim \S+): default \((\d+) agents, (\d+) departments\), "
                         r"(\d+) step\(s\) x (\d+) run\(s\)", first)
        self.assertTrue(match, first)
        self.assertEqual(match.group(1), self.version_output)
        self.assertEqual(int(match.group(3)), len(self.departments))
        self.assertEqual(int(match.group(4)), STEPS)
        self.assertEqual(int(match.group(5)), REPLICATES)
        self.assertIn(f"wrote {self.path} in ", self.stdout)

    # --- layout, as HDF5 ------------------------------------------------------------

    def test_dimension_scales(self):
        for name in ("run", "step", "department"):
            with self.subTest(scale=name):
                scale = self.file[name]
                self.assertTrue(h5py.h5ds.is_scale(scale.id), f"{name} is not a dimension scale")
                self.assertEqual(text(scale.attrs["CLASS"]), "DIMENSION_SCALE")
                self.assertEqual(text(scale.attrs["NAME"]), name)
                self.assertIn("REFERENCE_LIST", scale.attrs)
        self.assertEqual(self.file["run"].shape, (REPLICATES,))
        self.assertEqual(self.file["step"].shape, (STEPS + 1,))
        self.assertEqual(self.file["department"].shape, (len(self.departments),))
        np.testing.assert_array_equal(self.file["run"][()], np.arange(REPLICATES))
        np.testing.assert_array_equal(self.file["step"][()], np.arange(STEPS + 1))
        self.assertEqual(list(self.file["department"].asstr()[()]), self.departments)
        self.assertEqual(self.departments, ["Sales", "Operations", "Customer Care", "Product", "Finance"])

    def test_variables_are_attached_to_their_scales(self):
        expected = {name: ("run",) for name in PER_RUN}
        expected.update({name: ("run", "step") for name in self.org_names()})
        expected.update({name: ("run", "step", "department") for name in self.department_names()})
        for name, dims in expected.items():
            with self.subTest(variable=name):
                self.assertIn(name, self.file)
                dataset = self.file[name]
                self.assertIn("DIMENSION_LIST", dataset.attrs)
                self.assertEqual(len(dataset.dims), len(dims))
                for axis, dim in enumerate(dims):
                    attached = [scale.name for scale in dataset.dims[axis].values()]
                    self.assertEqual(attached, [f"/{dim}"])
                sizes = {"run": REPLICATES, "step": STEPS + 1, "department": len(self.departments)}
                self.assertEqual(dataset.shape, tuple(sizes[dim] for dim in dims))

    def test_file_holds_exactly_the_documented_variables(self):
        expected = {"run", "step", "department", *PER_RUN, *TEXT, *self.step_variables()}
        self.assertEqual(set(self.file.keys()), expected)
        self.assertEqual(len(self.org_table), len(set(self.org_names())))

    def test_variables_carry_long_name_and_units(self):
        for name, dataset in self.file.items():
            with self.subTest(variable=name):
                self.assertTrue(text(dataset.attrs["long_name"]).strip())
                if name not in ("department", "error"):  # names and messages have no unit
                    self.assertTrue(text(dataset.attrs["units"]).strip())
        for name, unit, place, description in self.org_table + self.department_table:
            with self.subTest(observable=name):
                self.assertEqual(text(self.file[name].attrs["units"]), unit)
                self.assertEqual(text(self.file[name].attrs["long_name"]), description)
                self.assertEqual(self.file[name].attrs["key_outcome"].tolist(), [place])
                self.assertEqual(self.file[name].attrs["key_outcome"].dtype, np.int32)

    def test_step_observables_are_chunked_by_run_and_compressed(self):
        for name in self.step_variables():
            with self.subTest(variable=name):
                dataset = self.file[name]
                self.assertEqual(dataset.chunks, (1, *dataset.shape[1:]))
                self.assertEqual(dataset.compression, "gzip")
                self.assertTrue(dataset.shuffle)
                self.assertEqual(dataset.dtype, np.float64)

    # --- provenance -----------------------------------------------------------------

    def test_provenance_attributes(self):
        attrs = {name: text(self.file.attrs[name]) for name in PROVENANCE}
        self.assertEqual(f"orgsim {attrs['engine_version']}", self.version_output)
        self.assertEqual(attrs["scenario"], self.default_text)
        self.assertRegex(attrs["scenario_hash"], r"\A[0-9a-f]{16}\Z")
        self.assertEqual(attrs["scenario_hash"], fnv1a64(attrs["scenario_resolved"].encode("utf-8")))
        self.assertRegex(attrs["command_line"], r"^orgsim run ")
        self.assertIn(f"scenario.steps={STEPS}", attrs["command_line"])
        self.assertIn(self.path, attrs["command_line"])
        self.assertRegex(attrs["created"], r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")
        created = datetime.datetime.fromisoformat(attrs["created"].replace("Z", "+00:00"))
        self.assertEqual(created.utcoffset(), datetime.timedelta(0))
        age = datetime.datetime.now(datetime.timezone.utc) - created
        self.assertLess(abs(age.total_seconds()), 3600, "created is not the time of the run")

    def test_resolved_scenario_is_the_run(self):
        resolved = tomllib.loads(text(self.file.attrs["scenario_resolved"]))
        self.assertEqual(resolved["scenario"]["steps"], STEPS)
        self.assertEqual(resolved["scenario"]["replicates"], REPLICATES)
        self.assertEqual(resolved["scenario"]["seed"], self.default["scenario"]["seed"])
        self.assertEqual([department["name"] for department in resolved["departments"]], self.departments)
        for given, used in zip(self.default["departments"], resolved["departments"]):
            for key, value in given.items():
                self.assertEqual(used[key], value, f"{given['name']}.{key}")

    def test_hash_matches_orgsim_check(self):
        check = subprocess.run([ORGSIM, "check", "--set", f"scenario.steps={STEPS}",
                                "--set", f"scenario.replicates={REPLICATES}"],
                               capture_output=True, text=True, check=True)
        match = re.search(r"hash ([0-9a-f]{16})", check.stdout.splitlines()[0])
        self.assertTrue(match, check.stdout.splitlines()[0])
        self.assertEqual(text(self.file.attrs["scenario_hash"]), match.group(1))

    # --- per-run variables ----------------------------------------------------------

    def test_per_run_variables(self):
        seeds = self.file["seed"][()]
        replicates = self.file["replicate"][()]
        points = self.file["point"][()]
        self.assertEqual(len(set(seeds.tolist())), REPLICATES)
        np.testing.assert_array_equal(replicates, np.arange(REPLICATES))
        np.testing.assert_array_equal(points, np.zeros(REPLICATES))
        scenario_seed = self.default["scenario"]["seed"]
        for run in range(REPLICATES):
            self.assertEqual(int(seeds[run]), run_seed(scenario_seed, int(points[run]), int(replicates[run])))
        equilibrium = self.file["equilibrium_step"][()]
        reached = (equilibrium >= 0) & (equilibrium <= STEPS)
        self.assertTrue(np.all((equilibrium == -1) | reached), equilibrium)

    # --- values ---------------------------------------------------------------------

    def test_summary_matches_file(self):
        runs, last, rows = parse_summary(self.stdout)
        self.assertEqual(runs, REPLICATES)
        self.assertEqual(last, STEPS)
        self.assertEqual(list(rows), self.key_outcomes())
        self.assertEqual(len(rows), 8)
        with orgsim_analysis.open_results(self.path) as results:
            self.assertEqual(orgsim_analysis.key_outcomes(results), list(rows))
        for name, cells in rows.items():
            for step, cell in zip((0, STEPS), cells):
                with self.subTest(observable=name, step=step):
                    values = self.file[name][:, step]
                    finite = values[~np.isnan(values)]
                    if cell is None:
                        self.assertEqual(finite.size, 0, values)
                        continue
                    mean, low, high = cell
                    self.assertLessEqual(abs(finite.mean() - mean), PRINTED, values)
                    if finite.size == 1:
                        self.assertIsNone(low)
                        continue
                    half = stats.t.ppf(0.975, finite.size - 1) * finite.std(ddof=1) / math.sqrt(finite.size)
                    self.assertLessEqual(abs(finite.mean() - half - low), PRINTED, values)
                    self.assertLessEqual(abs(finite.mean() + half - high), PRINTED, values)

    def test_values_within_their_documented_ranges(self):
        def check(name, low, high):
            values = self.file[name][()]
            finite = values[~np.isnan(values)]
            self.assertTrue(finite.size > 0, f"{name} is all NaN")
            self.assertTrue(np.all((finite >= low) & (finite <= high)), f"{name} outside [{low}, {high}]")

        for name in ("code_knowledge", "individual_knowledge", "dept_knowledge"):
            check(name, -1, 1)
        for name in ("code_alignment", "consensus_share", "communication_success", "success_within",
                     "success_across", "dept_code_alignment", "dept_consensus_share",
                     "dept_communication_success", "purpose_mean", "dept_purpose_mean"):
            check(name, 0, 1)
        check("departments_off_dominant", 0, len(self.departments))
        for name in ("distinct_words", "leavers", "departments_off_dominant"):
            values = self.file[name][()]
            np.testing.assert_array_equal(values, np.round(values), name)
        # Step 0 is the state before the first step: no games played, nobody replaced yet.
        self.assertTrue(np.all(np.isnan(self.file["communication_success"][:, 0])))
        np.testing.assert_array_equal(self.file["leavers"][:, 0], 0)
        self.assertTrue(np.all(np.isfinite(self.file["communication_success"][:, 1:])))

    # --- as xarray sees it ----------------------------------------------------------

    def test_every_run_is_done_with_no_error(self):
        np.testing.assert_array_equal(self.file["status"][()], np.ones(REPLICATES))
        self.assertEqual(self.file["error"].shape, (REPLICATES, 256))
        self.assertFalse(self.file["error"][()].view(np.uint8).any())

    def test_xarray_view(self):
        with xr.open_dataset(self.path, engine="netcdf4") as dataset:
            self.assertEqual(dict(dataset.sizes),
                             {"run": REPLICATES, "step": STEPS + 1, "department": len(self.departments),
                              "error_character": 256})
            self.assertEqual(list(dataset["department"].values), self.departments)
            np.testing.assert_array_equal(dataset["step"].values, np.arange(STEPS + 1))
            for name in self.org_names():
                self.assertEqual(dataset[name].dims, ("run", "step"), name)
            for name in self.department_names():
                self.assertEqual(dataset[name].dims, ("run", "step", "department"), name)
            for name in PER_RUN:
                self.assertEqual(dataset[name].dims, ("run",), name)
            for name in PROVENANCE:
                self.assertEqual(dataset.attrs[name], text(self.file.attrs[name]), name)
            for name in self.step_variables():
                np.testing.assert_array_equal(dataset[name].values, self.file[name][()], name)
                self.assertEqual(dataset[name].attrs["units"], text(self.file[name].attrs["units"]))

    # --- orgsim_analysis ------------------------------------------------------------

    def test_open_results(self):
        with orgsim_analysis.open_results(self.path) as results:
            for name in ("seed", "replicate", "point"):
                self.assertIn(name, results.coords)
                self.assertNotIn(name, results.data_vars)
                self.assertEqual(results[name].dims, ("run",))
                np.testing.assert_array_equal(results[name].values, self.file[name][()])
            self.assertIn("equilibrium_step", results.data_vars)
            for name in PROVENANCE:
                self.assertEqual(results.attrs[name], text(self.file.attrs[name]))
            self.assertEqual(results["purpose_mean"].attrs["long_name"],
                             text(self.file["purpose_mean"].attrs["long_name"]))
            first = results.sel(run=results.replicate == 1)
            np.testing.assert_array_equal(first["dept_knowledge"].values[0], self.file["dept_knowledge"][1])
            self.assertEqual(int(first.seed), int(self.file["seed"][1]))

    def test_tidy(self):
        steps = STEPS + 1
        departments = len(self.departments)
        with orgsim_analysis.open_results(self.path) as results:
            org = orgsim_analysis.tidy(results, "code_alignment")
            self.assertEqual(list(org.columns), ["run", "step", "variable", "value"])
            self.assertEqual(len(org), REPLICATES * steps)
            grid = org.pivot(index="run", columns="step", values="value").to_numpy()
            np.testing.assert_array_equal(grid, self.file["code_alignment"][()])

            mixed = orgsim_analysis.tidy(results, ["purpose_mean", "dept_purpose_mean"])
            self.assertEqual(list(mixed.columns), ["run", "step", "department", "variable", "value"])
            self.assertEqual(len(mixed), REPLICATES * steps * (1 + departments))
            self.assertTrue(mixed.loc[mixed.variable == "purpose_mean", "department"].isna().all())
            by_department = mixed[mixed.variable == "dept_purpose_mean"]
            self.assertEqual(sorted(by_department.department.unique()), sorted(self.departments))
            names = list(self.file["department"].asstr()[()])
            stored = self.file["dept_purpose_mean"][()]
            for row in by_department.sample(n=50, random_state=1).itertuples():
                self.assertEqual(row.value, stored[row.run, row.step, names.index(row.department)])
            purpose = mixed[mixed.variable == "purpose_mean"]
            np.testing.assert_array_equal(
                purpose.pivot(index="run", columns="step", values="value").to_numpy(),
                self.file["purpose_mean"][()])

            everything = orgsim_analysis.tidy(results)
            self.assertEqual(set(everything.variable), set(self.step_variables()))
            per_step = len(self.org_table) + departments * len(self.department_table)
            self.assertEqual(len(everything), REPLICATES * steps * per_step)
            with self.assertRaises(KeyError):
                orgsim_analysis.tidy(results, "no_such_variable")
            with self.assertRaises(ValueError):
                orgsim_analysis.tidy(results, "equilibrium_step")

    def test_provenance(self):
        record = orgsim_analysis.provenance(self.path)
        self.assertEqual(set(record), set(PROVENANCE))
        for name in PROVENANCE:
            self.assertIsInstance(record[name], str)
            self.assertEqual(record[name], text(self.file.attrs[name]))
        self.assertEqual(record["scenario"], self.default_text)

    # --- docs/output.md -------------------------------------------------------------

    def test_output_doc_lists_every_variable(self):
        doc = (SOURCE_DIR / "docs/output.md").read_text()
        self.assertTrue(self.org_table and self.department_table)
        for name in (*PER_RUN, *PROVENANCE, "key_outcome"):
            self.assertIn(f"`{name}`", doc)


if __name__ == "__main__":
    unittest.main()
