"""analysis/R/plot_timeseries.R: R reads a results file with hdf5r and draws one observable over time.

Environment: RSCRIPT (CTest sets it when CMake found Rscript), ORGSIM and
ORGSIM_SOURCE_DIR as for the other analysis tests. Skipped, with the reason,
where R or its hdf5r package is missing (scripts/install-dependencies
installs both).
"""

import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import numpy as np
from matplotlib import image

from orgsim_files import SOURCE_DIR, grid_sweep, png_size, require_orgsim

RSCRIPT = os.environ.get("RSCRIPT") or shutil.which("Rscript")
SCRIPT = SOURCE_DIR / "analysis" / "R" / "plot_timeseries.R"
DEFAULT_SIZE = (900, 560)
BAD_INPUT = 2


def hdf5r_missing():
    """Why the test cannot run, or None."""
    if not RSCRIPT:
        return "Rscript is not installed (Debian: r-base-core)"
    probe = subprocess.run([RSCRIPT, "-e", "library(hdf5r)"], capture_output=True, text=True, timeout=60)
    return None if probe.returncode == 0 else "the R package hdf5r is not installed (Debian: r-cran-hdf5r)"


class RPlotTimeseriesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        reason = hdf5r_missing()
        if reason:
            raise unittest.SkipTest(reason)
        require_orgsim()
        cls.directory = Path(tempfile.mkdtemp(prefix="orgsim-analysis-r-"))
        cls.results = grid_sweep(cls.directory, fail_runs=[2])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.directory, ignore_errors=True)

    def setUp(self):
        self.out = Path(tempfile.mkdtemp(dir=self.directory))

    def rscript(self, *args):
        return subprocess.run([RSCRIPT, str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=120)

    def assert_plot(self, path, size):
        self.assertTrue(path.is_file(), f"{path} was not written")
        self.assertEqual(png_size(path), size)
        pixels = image.imread(path)[..., :3]
        self.assertEqual(pixels.shape[:2], (size[1], size[0]))
        self.assertGreater(len(np.unique(pixels.reshape(-1, 3), axis=0)), 10, "nothing drawn")
        self.assertEqual([p.name for p in self.out.iterdir()], [path.name], "temporary files left beside it")

    def test_draws_a_png_of_the_size_asked(self):
        target = self.out / "knowledge.png"
        result = self.rscript(self.results, "individual_knowledge", target, 640, 400)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"wrote {target}", result.stdout)
        self.assert_plot(target, (640, 400))

    def test_default_size(self):
        target = self.out / "alignment.png"
        result = self.rscript(self.results, "code_alignment", target)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assert_plot(target, DEFAULT_SIZE)

    def test_bad_input_is_one_line_and_writes_nothing(self):
        target = self.out / "figure.png"
        cases = [
            ((self.directory / "missing.h5", "code_alignment"), "no such file"),
            ((self.directory / "grid.toml", "code_alignment"), "not an HDF5 file"),
            ((self.results, "no_such"), "no variable 'no_such'"),
            ((self.results, "dept_knowledge"), "not an organization observable"),
        ]
        for args, fragment in cases:
            with self.subTest(args=[str(arg) for arg in args]):
                result = self.rscript(*args, target)
                self.assertEqual(result.returncode, BAD_INPUT, result.stderr)
                self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
                self.assertIn(fragment, result.stderr)
                self.assertEqual(list(self.out.iterdir()), [])


if __name__ == "__main__":
    unittest.main()
