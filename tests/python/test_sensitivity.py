"""orgsim_analysis.sensitivity against functions whose indices are known exactly.

The designs are orgsim's own (a [sweep] section over three model parameters
with range [0, 1], SALib's row order); the outputs are test functions
evaluated here in Python on those rows:

- Sobol: the Ishigami function f = sin x1 + a sin² x2 + b x3⁴ sin x1 with
  a = 7, b = 0.1 on [-π, π]³, whose first- and total-order indices are known
  in closed form (Ishigami & Homma 1990; Saltelli et al. 2010).
- Morris: a linear function, whose every elementary effect equals its
  coefficient (times the parameter's range, here 1).

Then the indices of a real sweep file go through sensitivity_indices and
must equal the estimators fed with the per-point means h5py reads.
"""

import math
import shutil
import tempfile
import unittest
from pathlib import Path

import h5py
import numpy as np
from scipy import stats

import orgsim_analysis
from orgsim_analysis.results import ResultsFileError
from orgsim_analysis.sensitivity import morris_analyze, sensitivity_indices, sobol_analyze
from orgsim_files import (UNIT_PARAMETERS, design_file, grid_sweep, morris_section, morris_sweep, require_orgsim,
                          sobol_section, sobol_sweep)

A, B = 7.0, 0.1
BASE_SAMPLES = 1024
RESAMPLES = 1000
# Family-wise error of the six Sobol checks (S1 and ST of three parameters), Bonferroni-split.
FAMILY_ERROR = 0.01
CHECKS = 6
MORRIS_TRAJECTORIES = 20
MORRIS_LEVELS = 4
LINEAR = np.array([2.0, -1.0, 0.5])


def ishigami(x):
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices():
    """(S1, ST) in closed form: partial variances V1, V2 and V13 over the total V (V3 = V12 = V23 = 0)."""
    v1 = 0.5 * (1 + B * math.pi**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = 8 * B**2 * math.pi**8 / 225
    variance = A**2 / 8 + B * math.pi**4 / 5 + B**2 * math.pi**8 / 18 + 0.5
    first = np.array([v1, v2, 0.0]) / variance
    total = np.array([v1 + v13, v2, v13]) / variance
    return first, total


def design_matrix(path):
    with h5py.File(path, "r") as file:
        return file["design"][()], list(file["parameter"].asstr()[()])


class SobolTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_orgsim()
        cls.directory = Path(tempfile.mkdtemp(prefix="orgsim-analysis-"))
        cls.design = design_file(cls.directory, "ishigami", sobol_section(BASE_SAMPLES))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.directory, ignore_errors=True)

    def test_ishigami_indices(self):
        unit, names = design_matrix(self.design)
        self.assertEqual(names, list(UNIT_PARAMETERS))
        self.assertEqual(unit.shape, (BASE_SAMPLES * (len(names) + 2), len(names)))
        self.assertTrue(np.all((unit >= 0) & (unit <= 1)))
        outputs = ishigami(-math.pi + 2 * math.pi * unit)
        table = sobol_analyze(outputs, names, resamples=RESAMPLES, seed=1)
        first, total = ishigami_indices()
        # The closed forms, against the values published for a = 7, b = 0.1 (to four places).
        np.testing.assert_allclose(first, [0.3139, 0.4424, 0.0], atol=5e-5)
        np.testing.assert_allclose(total, [0.5576, 0.4424, 0.2437], atol=5e-5)
        # The bootstrap half-width is z(0.975) standard errors; allowing z(1 - 0.01 / 12) of them for
        # each of the six estimates bounds the chance of any miss by 1% for an i.i.d. sample of this
        # size (a Sobol' sequence errs less). The intervals must also be narrow enough to tell the
        # indices apart: none wider than 0.1.
        allowed = stats.norm.ppf(1 - FAMILY_ERROR / (2 * CHECKS)) / stats.norm.ppf(0.975)
        for column, expected in (("S1", first), ("ST", total)):
            half_widths = table[f"{column}_conf"].to_numpy()
            self.assertTrue(np.all(half_widths > 0), half_widths)
            self.assertTrue(np.all(half_widths < 0.1), f"{column} intervals too wide to test: {half_widths}")
            for name, estimate, truth, half in zip(names, table[column], expected, half_widths):
                with self.subTest(index=column, parameter=name):
                    self.assertLessEqual(abs(estimate - truth), allowed * half,
                                         f"{column} {estimate:.4f} vs {truth:.4f} (half-width {half:.4f})")

    def test_bootstrap_is_reproducible_and_scale_free(self):
        unit, names = design_matrix(self.design)
        outputs = ishigami(-math.pi + 2 * math.pi * unit)
        once = sobol_analyze(outputs, names, resamples=200, seed=5)
        again = sobol_analyze(outputs, names, resamples=200, seed=5)
        shifted = sobol_analyze(3 * outputs + 11, names, resamples=200, seed=5)
        np.testing.assert_array_equal(once.to_numpy(), again.to_numpy())
        np.testing.assert_allclose(once.to_numpy(), shifted.to_numpy(), atol=1e-9)

    def test_bad_outputs_are_refused(self):
        with self.assertRaisesRegex(ValueError, "multiple of k \\+ 2"):
            sobol_analyze(np.arange(11.0), ["a", "b", "c"])
        with self.assertRaisesRegex(ValueError, "no finite outcome"):
            sobol_analyze(np.r_[np.nan, np.arange(9.0)], ["a", "b", "c"])
        with self.assertRaisesRegex(ValueError, "no variance"):
            sobol_analyze(np.ones(10), ["a", "b", "c"])


class MorrisTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_orgsim()
        cls.directory = Path(tempfile.mkdtemp(prefix="orgsim-analysis-"))
        cls.design = design_file(cls.directory, "linear", morris_section(MORRIS_TRAJECTORIES, MORRIS_LEVELS))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.directory, ignore_errors=True)

    def test_linear_function_effects_are_its_coefficients(self):
        design, names = design_matrix(self.design)
        self.assertEqual(design.shape, (MORRIS_TRAJECTORIES * (len(names) + 1), len(names)))
        table = morris_analyze(design, design @ LINEAR, names, MORRIS_LEVELS, resamples=200)
        # Exact up to rounding: every elementary effect is the coefficient itself.
        np.testing.assert_allclose(table["mu"], LINEAR, atol=1e-12)
        np.testing.assert_allclose(table["mu_star"], np.abs(LINEAR), atol=1e-12)
        np.testing.assert_allclose(table["sigma"], 0, atol=1e-12)
        np.testing.assert_allclose(table["mu_star_conf"], 0, atol=1e-12)

    def test_interaction_shows_in_sigma(self):
        # f = x1 x2 + x3: x1's and x2's effects depend on the other's level, x3's never varies.
        design, names = design_matrix(self.design)
        outputs = design[:, 0] * design[:, 1] + design[:, 2]
        table = morris_analyze(design, outputs, names, MORRIS_LEVELS, resamples=200)
        self.assertGreater(table["sigma"].iloc[0], 0.1)
        self.assertGreater(table["sigma"].iloc[1], 0.1)
        self.assertAlmostEqual(table["mu"].iloc[2], 1.0, delta=1e-12)
        self.assertAlmostEqual(table["sigma"].iloc[2], 0.0, delta=1e-12)

    def test_rows_that_are_not_trajectories_are_refused(self):
        design, names = design_matrix(self.design)
        shuffled = design[np.random.default_rng(0).permutation(len(design))]
        with self.assertRaisesRegex(ValueError, "not a Morris trajectory"):
            morris_analyze(shuffled, shuffled @ LINEAR, names, MORRIS_LEVELS)


class FileIndicesTest(unittest.TestCase):
    """sensitivity_indices reads the right outcome at the right design point."""

    @classmethod
    def setUpClass(cls):
        require_orgsim()
        cls.directory = Path(tempfile.mkdtemp(prefix="orgsim-analysis-"))
        cls.sobol = sobol_sweep(cls.directory)
        cls.morris = morris_sweep(cls.directory)
        cls.grid = grid_sweep(cls.directory, steps=5, replicates=2)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.directory, ignore_errors=True)

    def per_point_means(self, path, variable):
        with h5py.File(path, "r") as file:
            points = file["point"][()]
            last = file[variable][:, -1]
            return np.array([last[points == point].mean() for point in range(file["design"].shape[0])])

    def test_sobol_file(self):
        with orgsim_analysis.open_results(self.sobol) as results:
            table = sensitivity_indices(results, "individual_knowledge", resamples=300, seed=2)
        self.assertEqual(table.attrs["method"], "sobol")
        expected = sobol_analyze(self.per_point_means(self.sobol, "individual_knowledge"), list(UNIT_PARAMETERS),
                                 resamples=300, seed=2)
        np.testing.assert_allclose(table.to_numpy(), expected.to_numpy(), rtol=1e-12, atol=1e-12)
        self.assertEqual(list(table.index), list(UNIT_PARAMETERS))

    def test_morris_file(self):
        with orgsim_analysis.open_results(self.morris) as results:
            table = sensitivity_indices(results, "code_alignment", resamples=300, seed=2)
        self.assertEqual(table.attrs["method"], "morris")
        design, names = design_matrix(self.morris)
        expected = morris_analyze(design, self.per_point_means(self.morris, "code_alignment"), names, 4,
                                  resamples=300, seed=2)
        np.testing.assert_allclose(table.to_numpy(), expected.to_numpy(), rtol=1e-12, atol=1e-12)

    def test_other_designs_are_refused(self):
        with orgsim_analysis.open_results(self.grid) as results:
            with self.assertRaisesRegex(ResultsFileError, "sobol or morris.*grid"):
                sensitivity_indices(results, "individual_knowledge")
        with orgsim_analysis.open_results(self.sobol) as results:
            with self.assertRaisesRegex(ValueError, "name a department"):
                sensitivity_indices(results, "dept_knowledge")


if __name__ == "__main__":
    unittest.main()
