"""The figure commands of `python3 -m orgsim_analysis`: each writes one PNG of the size asked.

Drives the command line on files the real binary wrote: a grid sweep (two
swept parameters), a Sobol sweep, a Morris sweep and a compare file. Bad
input gets one line on stderr, exit status 2 (3 for the output) and no file.
Most cases call the command line's main() in this process, with its
arguments, its stdout and its stderr, because starting Python with xarray,
pandas, scipy and matplotlib takes seconds; a few start it as a user does.
"""

import contextlib
import io
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import numpy as np
from matplotlib import image

from matplotlib.figure import Figure

from orgsim_analysis import open_results, output, plots
from orgsim_analysis.__main__ import main
from orgsim_files import analysis, compare_file, grid_sweep, morris_sweep, png_size, require_orgsim, sobol_sweep

BAD_INPUT = 2
OUTPUT_ERROR = 3


class PlotCase(unittest.TestCase):
    """The files and helpers; CTest runs each test class below in a process of its own."""

    @classmethod
    def setUpClass(cls):
        require_orgsim()
        cls.directory = Path(tempfile.mkdtemp(prefix="orgsim-analysis-"))
        cls.grid = grid_sweep(cls.directory)
        cls.sobol = sobol_sweep(cls.directory)
        cls.morris = morris_sweep(cls.directory)
        cls.compare = compare_file(cls.directory)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.directory, ignore_errors=True)

    def setUp(self):
        self.out = Path(tempfile.mkdtemp(dir=self.directory))

    def command(self, *args):
        """main(ARGS) in this process, as a completed process: returncode, stdout, stderr."""
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            status = main([str(arg) for arg in args])
        return subprocess.CompletedProcess(args, status, stdout.getvalue(), stderr.getvalue())

    def plot(self, *args):
        result = self.command(*args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def assert_figure(self, path, size):
        """A PNG of exactly ``size`` pixels with something drawn on it."""
        self.assertTrue(path.is_file(), f"{path} was not written")
        self.assertGreater(path.stat().st_size, 0)
        self.assertEqual(png_size(path), size)
        pixels = image.imread(path)
        self.assertEqual(pixels.shape[:2], (size[1], size[0]))
        colours = np.unique(pixels[..., :3].reshape(-1, 3), axis=0)
        self.assertGreater(len(colours), 20, "the figure has almost nothing drawn on it")
        self.assertEqual(sorted(p.name for p in path.parent.iterdir()), [path.name], "stray files beside it")

    def assert_one_line_error(self, result, status, *fragments):
        shown = f"exit {result.returncode}, stderr {result.stderr!r}"
        self.assertEqual(result.returncode, status, shown)
        self.assertEqual(result.stderr.count("\n"), 1, shown)
        self.assertTrue(result.stderr.startswith("orgsim_analysis: error: ") or "orgsim_analysis" in result.stderr,
                        shown)
        for fragment in fragments:
            self.assertIn(str(fragment), result.stderr, shown)
        self.assertEqual(list(self.out.iterdir()), [], "a failing command left files behind")


class FigureTest(PlotCase):
    """Each figure, at its default size and at a size asked for."""

    def test_timeseries(self):
        for source in (self.grid, self.sobol, self.compare):
            with self.subTest(file=source.name):
                target = self.out / f"{source.stem}.png"
                self.plot("timeseries", source, "--variable", "code_alignment", "-o", target)
                self.assert_figure(target, output.TIMESERIES_SIZE)
                target.unlink()
        target = self.out / "sized.png"
        self.plot("timeseries", self.grid, "--variable", "dept_purpose_mean", "--department", "Service",
                  "-o", target, "--size", "640x400")
        self.assert_figure(target, (640, 400))

    def test_one_line_per_point_or_scenario(self):
        cases = [(self.compare, ["slow_learning", "fast_learning"]),
                 (self.grid, [f"Sales.incentive_weight={weight:g}, knowledge.socialization_rate={rate:g}"
                              for weight in (0, 0.5, 0.9) for rate in (0.1, 0.3)])]
        for source, labels in cases:
            with self.subTest(file=source.name), open_results(source) as results:
                axes = Figure().add_subplot()
                plots.draw_series(axes, results, "code_alignment")
                self.assertEqual([line.get_label() for line in axes.get_lines()], labels)
        # More points than a legend can tell apart: one line over every run.
        with open_results(self.sobol) as results:
            axes = Figure().add_subplot()
            plots.draw_series(axes, results, "code_alignment")
            points = len(set(results["point"].values.tolist()))
            self.assertGreater(points, plots.MAX_LINES)
            self.assertEqual([line.get_label() for line in axes.get_lines()],
                             [f"all {points} points ({results.sizes['run']} runs)"])

    def test_heatmap(self):
        target = self.out / "heatmap.png"
        self.plot("heatmap", self.grid, "--variable", "individual_knowledge", "-o", target)
        self.assert_figure(target, output.HEATMAP_SIZE)
        target.unlink()
        # Three parameters sampled at many values: binned, the third averaged over.
        self.plot("heatmap", self.sobol, "--x", "purpose.susceptibility", "--y", "knowledge.socialization_rate",
                  "-o", target, "--size", "700x500")
        self.assert_figure(target, (700, 500))

    def test_departments(self):
        target = self.out / "departments.png"
        self.plot("departments", self.grid, "-o", target)
        self.assert_figure(target, output.DEPARTMENTS_SIZE)
        target.unlink()
        self.plot("departments", self.compare, "--variable", "dept_purpose_mean", "-o", target, "--size", "900x600")
        self.assert_figure(target, (900, 600))


class SensitivityFigureTest(PlotCase):
    """Sensitivity bars, and the summary table the command prints."""

    def test_sensitivity(self):
        for source, method, columns in ((self.sobol, "Sobol", ("S1", "ST")), (self.morris, "Morris", ("mu_star",))):
            with self.subTest(design=method):
                target = self.out / f"{method}.png"
                result = self.plot("sensitivity", source, "--variable", "code_alignment", "-o", target,
                                   "--resamples", "200")
                self.assert_figure(target, output.SENSITIVITY_SIZE)
                self.assertIn(f"{method} indices of code_alignment", result.stdout)
                for column in columns:
                    self.assertIn(column, result.stdout)
                for parameter in ("knowledge.socialization_rate", "purpose.susceptibility"):
                    self.assertIn(parameter, result.stdout)
                target.unlink()

    def test_summary(self):
        result = self.plot("summary", self.compare, "--variable", "code_alignment", "--csv")
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], "point,label,scenario_name,step,mean,low,high,n,variable")
        self.assertEqual(len(lines), 3)
        self.assertTrue(lines[1].startswith("0,slow_learning,slow_learning,20,"), lines[1])


class RefusalsTest(PlotCase):
    """Bad input, and outputs in the way."""

    def test_bad_input_is_refused_on_one_line(self):
        target = self.out / "figure.png"
        cases = [
            (("timeseries", self.directory / "missing.h5", "-o", target), "missing.h5", "no such file"),
            (("timeseries", self.directory / "grid.toml", "-o", target), "grid.toml", "not an HDF5 file"),
            (("timeseries", self.grid, "--variable", "no_such", "-o", target), "grid.h5", "'no_such'"),
            (("timeseries", self.grid, "--variable", "dept_knowledge", "-o", target), "name a department"),
            (("departments", self.grid, "--variable", "code_knowledge", "-o", target), "organization observable"),
            (("heatmap", self.compare, "-o", target), "compare.h5", "two swept parameters"),
            (("heatmap", self.grid, "--x", "scenario.steps", "-o", target), "not a swept parameter"),
            (("sensitivity", self.grid, "-o", target), "sobol or morris"),
            (("timeseries", self.grid, "--department", "Marketing", "--variable", "dept_knowledge", "-o", target),
             "no department 'Marketing'"),
            (("timeseries", self.grid, "-o", target, "--size", "wide"), "WIDTHxHEIGHT"),
            (("timeseries", self.grid), "-o/--output"),
            (("plot", self.grid), "invalid choice"),
        ]
        for args, *fragments in cases:
            with self.subTest(args=[str(arg) for arg in args]):
                self.assert_one_line_error(self.command(*args), BAD_INPUT, *fragments)

    def test_as_a_user_runs_it(self):
        target = self.out / "figure.png"
        unknown = analysis("heatmap", self.grid, "--variable", "no_such", "-o", target)
        self.assert_one_line_error(unknown, BAD_INPUT, "grid.h5", "'no_such'")
        written = analysis("timeseries", self.grid, "-o", target, "--size", "500x300")
        self.assertEqual(written.returncode, 0, written.stderr)
        self.assertEqual(written.stderr, "")
        self.assert_figure(target, (500, 300))

    def test_output_is_not_clobbered(self):
        target = self.out / "figure.png"
        target.write_bytes(b"kept")
        result = self.command("timeseries", self.grid, "-o", target)
        self.assertEqual(result.returncode, OUTPUT_ERROR, result.stderr)
        self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
        self.assertIn("exists", result.stderr)
        self.assertEqual(target.read_bytes(), b"kept")
        self.plot("timeseries", self.grid, "-o", target, "--force")
        self.assert_figure(target, output.TIMESERIES_SIZE)
        missing = self.command("timeseries", self.grid, "-o", self.out / "no" / "figure.png")
        self.assertEqual(missing.returncode, OUTPUT_ERROR, missing.stderr)
        self.assertIn("no such directory", missing.stderr)


if __name__ == "__main__":
    unittest.main()
