"""orgsim_analysis.summaries: replicate means and 95% t-intervals per point or compared scenario.

Each summary is checked against scipy's t-interval computed here from the
values h5py reads, run by run, so the test shares no code with the package.
"""

import shutil
import tempfile
import unittest
from pathlib import Path

import h5py
import numpy as np
from scipy import stats

import orgsim_analysis
from orgsim_analysis.summaries import key_outcomes, points, replicate_summary
from orgsim_files import compare_file, grid_sweep, require_orgsim

FAILED_RUN = 4
REPLICATES = 3
SCENARIOS = ("slow_learning", "fast_learning")
# Both sides compute the same sums in a different order.
ROUNDING = 1e-12


def expected_interval(values):
    """(mean, low, high, n) of the finite values, by scipy."""
    finite = values[np.isfinite(values)]
    if finite.size < 2:
        mean = finite.mean() if finite.size else np.nan
        return mean, np.nan, np.nan, finite.size
    low, high = stats.t.interval(0.95, finite.size - 1, loc=finite.mean(), scale=stats.sem(finite))
    return finite.mean(), low, high, finite.size


class SummariesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_orgsim()
        cls.directory = Path(tempfile.mkdtemp(prefix="orgsim-analysis-"))
        cls.grid = grid_sweep(cls.directory, replicates=REPLICATES, fail_runs=[FAILED_RUN])
        cls.compare = compare_file(cls.directory, SCENARIOS, replicates=REPLICATES)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.directory, ignore_errors=True)

    def assert_row(self, row, values):
        mean, low, high, count = expected_interval(values)
        self.assertEqual(row["n"], count)
        for name, value in (("mean", mean), ("low", low), ("high", high)):
            if np.isnan(value):
                self.assertTrue(np.isnan(row[name]), f"{name}: {row[name]} for {values}")
            else:
                self.assertAlmostEqual(row[name], value, delta=ROUNDING, msg=f"{name} of {values}")

    def test_end_of_horizon_per_point(self):
        with h5py.File(self.grid, "r") as file, orgsim_analysis.open_results(self.grid) as results:
            table = replicate_summary(results, "individual_knowledge")
            keys = list(file["parameter"].asstr()[()])
            self.assertEqual(list(table.columns), ["point", "label", *keys, "step", "mean", "low", "high", "n"])
            self.assertEqual(list(table["point"]), list(range(file["design"].shape[0])))
            self.assertTrue((table["step"] == file["step"][-1]).all())
            done = file["status"][()] == 1
            for row in table.to_dict("records"):
                runs = (file["point"][()] == row["point"]) & done
                self.assert_row(row, file["individual_knowledge"][runs, -1])
                for position, key in enumerate(keys):
                    self.assertEqual(row[key], file["design"][row["point"], position])
            # The failed run is left out of its point.
            failed_point = int(file["point"][FAILED_RUN])
            self.assertEqual(table.set_index("point").loc[failed_point, "n"], REPLICATES - 1)
            self.assertTrue((table.set_index("point").drop(index=failed_point)["n"] == REPLICATES).all())

    def test_over_time_and_by_department(self):
        with h5py.File(self.grid, "r") as file, orgsim_analysis.open_results(self.grid) as results:
            names = list(file["department"].asstr()[()])
            table = replicate_summary(results, "dept_knowledge", over_time=True)
            steps = len(file["step"])
            self.assertEqual(len(table), file["design"].shape[0] * steps * len(names))
            done = file["status"][()] == 1
            for row in table.sample(n=60, random_state=7).to_dict("records"):
                runs = (file["point"][()] == row["point"]) & done
                self.assert_row(row, file["dept_knowledge"][runs, row["step"], names.index(row["department"])])
            one = replicate_summary(results, "dept_knowledge", department="Delivery", over_time=True)
            self.assertNotIn("department", one.columns)
            for row in one.sample(n=20, random_state=8).to_dict("records"):
                runs = (file["point"][()] == row["point"]) & done
                self.assert_row(row, file["dept_knowledge"][runs, row["step"], names.index("Delivery")])

    def test_nan_values_do_not_count(self):
        # Step 0 has no naming games yet: the success rate is NaN for every run.
        with orgsim_analysis.open_results(self.grid) as results:
            table = replicate_summary(results, "communication_success", over_time=True)
            first = table[table["step"] == 0]
            self.assertTrue((first["n"] == 0).all())
            self.assertTrue(first["mean"].isna().all())

    def test_compare_summary_is_per_scenario(self):
        with h5py.File(self.compare, "r") as file, orgsim_analysis.open_results(self.compare) as results:
            table = replicate_summary(results, "code_alignment")
            self.assertEqual(list(table["label"]), list(SCENARIOS))
            self.assertEqual(list(table["scenario_name"]), list(SCENARIOS))
            for row in table.to_dict("records"):
                self.assert_row(row, file["code_alignment"][file["point"][()] == row["point"], -1])
            self.assertEqual(list(points(results)["label"]), list(SCENARIOS))

    def test_unknown_names_are_refused(self):
        with orgsim_analysis.open_results(self.grid) as results:
            with self.assertRaisesRegex(KeyError, "not a variable"):
                replicate_summary(results, "no_such_observable")
            with self.assertRaisesRegex(KeyError, "no department 'Marketing'"):
                replicate_summary(results, "dept_knowledge", department="Marketing")
            with self.assertRaisesRegex(ValueError, "organization observable"):
                replicate_summary(results, "code_knowledge", department="Sales")
            with self.assertRaisesRegex(ValueError, r"not \(run, step"):
                replicate_summary(results, "equilibrium_step")

    def test_key_outcomes_are_those_the_file_marks(self):
        with h5py.File(self.grid, "r") as file:
            marked = sorted((int(dataset.attrs["key_outcome"][0]), name) for name, dataset in file.items()
                            if "key_outcome" in dataset.attrs and dataset.attrs["key_outcome"][0] > 0)
        self.assertEqual([place for place, _ in marked], list(range(1, len(marked) + 1)))
        for path in (self.grid, self.compare):
            with orgsim_analysis.open_results(path) as results:
                self.assertEqual(key_outcomes(results), [name for _, name in marked])
                self.assertEqual(orgsim_analysis.key_outcomes(results)[:2], ["code_knowledge", "individual_knowledge"])

    def test_a_file_without_key_outcome_marks_falls_back_to_the_earlier_list(self):
        # Files written before the key_outcome attribute existed keep their summaries.
        old = self.directory / "unmarked.h5"
        shutil.copy(self.grid, old)
        with h5py.File(old, "r+") as file:
            for dataset in file.values():
                if isinstance(dataset, h5py.Dataset) and "key_outcome" in dataset.attrs:
                    del dataset.attrs["key_outcome"]
        with orgsim_analysis.open_results(old) as results:
            self.assertEqual(key_outcomes(results), list(orgsim_analysis.KEY_OUTCOMES))


if __name__ == "__main__":
    unittest.main()
