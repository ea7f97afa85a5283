"""orgsim_analysis.results on sweep and compare files: what it shows is what the engine wrote.

A grid sweep with one run made to fail (ORGSIM_FAIL_RUNS) and a compare
file (made from a real sweep, see orgsim_files.compare_file) are read with
h5py and with open_results, and every dimension, label and value is compared.
"""

import json
import shutil
import tempfile
import unittest
from pathlib import Path

import h5py
import numpy as np

import orgsim_analysis
from orgsim_analysis.results import ResultsFileError, design_name, run_labels, swept_parameters
from orgsim_files import compare_file, grid_sweep, orgsim, require_orgsim, text

FAILED_RUN = 4
SCENARIOS = ("slow_learning", "fast_learning_é")  # a two-byte UTF-8 character in the second name


def joined(row):
    """A NUL-padded character row as text, as docs/output.md says to read it."""
    return b"".join(row).decode("utf-8")


class SweepResultsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_orgsim()
        cls.directory = Path(tempfile.mkdtemp(prefix="orgsim-analysis-"))
        cls.grid = grid_sweep(cls.directory, fail_runs=[FAILED_RUN])
        cls.compare = compare_file(cls.directory, SCENARIOS)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.directory, ignore_errors=True)

    def test_dimensions_match_the_file(self):
        with h5py.File(self.grid, "r") as file, orgsim_analysis.open_results(self.grid) as results:
            runs, steps = file["code_knowledge"].shape
            self.assertEqual(results.sizes["run"], runs)
            self.assertEqual(results.sizes["step"], steps)
            self.assertEqual(results.sizes["department"], len(file["department"]))
            self.assertEqual(results.sizes["design_point"], file["design"].shape[0])
            self.assertEqual(results.sizes["parameter"], file["design"].shape[1])
            self.assertNotIn("error_character", results.sizes)
            np.testing.assert_array_equal(results["run"].values, file["run"][()])
            np.testing.assert_array_equal(results["step"].values, file["step"][()])
            self.assertEqual(list(results["department"].values), list(file["department"].asstr()[()]))

    def test_swept_parameters_label_the_runs(self):
        with h5py.File(self.grid, "r") as file, orgsim_analysis.open_results(self.grid) as results:
            keys = list(file["parameter"].asstr()[()])
            self.assertEqual(keys, ["departments.Sales.incentive_weight", "knowledge.socialization_rate"])
            self.assertEqual(swept_parameters(results), keys)
            self.assertEqual(json.loads(results.attrs["salib_problem"])["names"], keys)
            for name in (*keys, "point", "replicate", "seed", "status"):
                with self.subTest(coordinate=name):
                    self.assertIn(name, results.coords)
                    self.assertNotIn(name, results.data_vars)
                    self.assertEqual(results[name].dims, ("run",))
            for name in (*keys, "point", "replicate", "seed"):
                np.testing.assert_array_equal(results[name].values, file[name][()], name)
            # A selection keeps the labels: the runs of point 5 carry point 5's design row.
            point = results.sel(run=results.point == 5)
            np.testing.assert_array_equal(point[keys[0]].values, np.full(3, file["design"][5, 0]))
            np.testing.assert_array_equal(results["design"].values, file["design"][()])
            self.assertEqual(design_name(results), "grid")

    def test_status_reads_as_words(self):
        with h5py.File(self.grid, "r") as file, orgsim_analysis.open_results(self.grid) as results:
            codes = file["status"][()]
            meanings = dict(zip(file["status"].attrs["flag_values"].tolist(),
                                text(file["status"].attrs["flag_meanings"]).split()))
            self.assertEqual(meanings, {0: "pending", 1: "done", 2: "failed"})
            self.assertEqual(list(results["status"].values), [meanings[code] for code in codes.tolist()])
            self.assertEqual(int(codes[FAILED_RUN]), 2)
            self.assertEqual(list(np.flatnonzero(results["status"].values == "failed")), [FAILED_RUN])

    def test_error_is_one_string_per_run(self):
        with h5py.File(self.grid, "r") as file, orgsim_analysis.open_results(self.grid) as results:
            self.assertEqual(results["error"].dims, ("run",))
            expected = [joined(row) for row in file["error"][()]]
            self.assertEqual(list(results["error"].values), expected)
            self.assertIn("ORGSIM_FAIL_RUNS", results["error"].values[FAILED_RUN])
            self.assertEqual(sum(bool(message) for message in results["error"].values), 1)
            self.assertEqual(results["error"].attrs["long_name"], text(file["error"].attrs["long_name"]))

    def test_observables_match_the_file(self):
        with h5py.File(self.grid, "r") as file, orgsim_analysis.open_results(self.grid) as results:
            step_variables = [name for name, values in results.data_vars.items() if "step" in values.dims]
            self.assertGreater(len(step_variables), 20)
            for name in step_variables:
                np.testing.assert_array_equal(results[name].values, file[name][()], name)
            # A failed run keeps NaN everywhere.
            self.assertTrue(np.all(np.isnan(results["code_knowledge"].values[FAILED_RUN])))

    def test_tidy_has_the_swept_parameters_as_columns(self):
        with h5py.File(self.grid, "r") as file, orgsim_analysis.open_results(self.grid) as results:
            keys = swept_parameters(results)
            long = orgsim_analysis.tidy(results, ["purpose_mean", "dept_purpose_mean"])
            self.assertEqual(list(long.columns),
                             ["run", "point", "replicate", *keys, "step", "department", "variable", "value"])
            runs, steps, departments = file["dept_purpose_mean"].shape
            self.assertEqual(len(long), runs * steps * (1 + departments))
            names = list(file["department"].asstr()[()])
            for row in long.sample(n=200, random_state=3).to_dict("records"):
                run = row["run"]
                for position, key in enumerate(keys):
                    self.assertEqual(row[key], file[key][run])
                    self.assertEqual(row[key], file["design"][file["point"][run], position])
                self.assertEqual(row["point"], file["point"][run])
                self.assertEqual(row["replicate"], file["replicate"][run])
                if row["variable"] == "purpose_mean":
                    expected = file["purpose_mean"][run, row["step"]]
                else:
                    expected = file["dept_purpose_mean"][run, row["step"], names.index(row["department"])]
                np.testing.assert_array_equal(row["value"], expected)

    def test_compare_file_names_its_scenarios(self):
        with h5py.File(self.compare, "r") as file, orgsim_analysis.open_results(self.compare) as results:
            self.assertEqual(design_name(results), "compare")
            self.assertEqual(swept_parameters(results), [])
            self.assertEqual(results["design"].shape, (len(SCENARIOS), 0))
            self.assertEqual(json.loads(results.attrs["scenario_names"]), list(SCENARIOS))
            self.assertIn("scenario_name", results.coords)
            self.assertEqual(results["scenario_name"].dims, ("run",))
            self.assertNotIn("name_character", results.sizes)
            expected = [joined(row) for row in file["scenario_name"][()]]
            self.assertEqual(list(results["scenario_name"].values), expected)
            points = file["point"][()]
            self.assertEqual(expected, [SCENARIOS[point] for point in points])
            self.assertEqual(set(expected), set(SCENARIOS))
            labels = run_labels(results)
            self.assertEqual(list(labels.columns), ["point", "replicate", "scenario_name"])
            long = orgsim_analysis.tidy(results, "individual_knowledge")
            self.assertEqual(list(long.columns),
                             ["run", "point", "replicate", "scenario_name", "step", "variable", "value"])
            second = long[long.scenario_name == SCENARIOS[1]]
            self.assertEqual(sorted(second.run.unique()), list(np.flatnonzero(points == 1)))

    def test_run_file_keeps_its_columns(self):
        run_file = self.directory / "run.h5"
        orgsim("run", "--replicates", "2", "--set", "scenario.steps=3", "-o", run_file)
        with orgsim_analysis.open_results(run_file) as results:
            self.assertIsNone(design_name(results))
            self.assertEqual(swept_parameters(results), [])
            self.assertEqual(list(orgsim_analysis.tidy(results, "purpose_mean").columns),
                             ["run", "step", "variable", "value"])
            self.assertEqual(list(results["status"].values), ["done", "done"])
            self.assertEqual(list(results["error"].values), ["", ""])

    def test_files_that_are_not_results_are_refused(self):
        with self.assertRaisesRegex(FileNotFoundError, "no such file"):
            orgsim_analysis.open_results(self.directory / "missing.h5")
        scenario = self.directory / "grid.toml"
        with self.assertRaisesRegex(ResultsFileError, "not an HDF5 file"):
            orgsim_analysis.open_results(scenario)
        foreign = self.directory / "foreign.h5"
        with h5py.File(foreign, "w") as file:
            file["x"] = np.arange(3)
        with self.assertRaisesRegex(ResultsFileError, "not an orgsim results file"):
            orgsim_analysis.open_results(foreign)
        with self.assertRaisesRegex(ResultsFileError, "is a directory"):
            orgsim_analysis.open_results(self.directory)


if __name__ == "__main__":
    unittest.main()
