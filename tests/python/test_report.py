"""`python3 -m orgsim_analysis report FILE -o DIR`: the figures that apply, and a page that shows them.

For a grid sweep, a Sobol sweep, a Morris sweep and a compare file made by
the real binary: the directory holds exactly the figures the file calls
for, index.html references every one of them and nothing else, its table
of key outcomes has one row per point or scenario with the values h5py and
scipy give, and the page renders in headless Chromium.
"""

import contextlib
import html.parser
import io
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import h5py
import numpy as np
from matplotlib import image
from scipy import stats

from orgsim_analysis.__main__ import main
from orgsim_files import (SMALL_FIRM, analysis, compare_file, grid_sweep, morris_sweep, orgsim, png_size,
                          require_orgsim, sobol_sweep)

CHROMIUM = "/usr/bin/chromium"
BAD_INPUT = 2
OUTPUT_ERROR = 3
SCENARIOS = ("slow_learning", "fast_learning")
WINDOW = (1200, 1800)


class Page(html.parser.HTMLParser):
    """The images and table rows of a page."""

    def __init__(self):
        super().__init__()
        self.images, self.tables, self._cell = [], [], None

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "img":
            self.images.append(attributes.get("src"))
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(self._cell.strip())
            self._cell = None


def read_page(directory):
    page = Page()
    page.feed((directory / "index.html").read_text(encoding="utf-8"))
    return page


def interval_text(values):
    """What the page should print for these replicate values: mean [low, high], three decimals."""
    finite = values[np.isfinite(values)]
    low, high = stats.t.interval(0.95, finite.size - 1, loc=finite.mean(), scale=stats.sem(finite))
    return f"{finite.mean():.3f} [{low:.3f}, {high:.3f}]"


class ReportCase(unittest.TestCase):
    """Helpers; each subclass sweeps the files it needs in make_files (CTest runs each class on its own)."""

    @classmethod
    def setUpClass(cls):
        require_orgsim()
        cls.directory = Path(tempfile.mkdtemp(prefix="orgsim-analysis-"))
        cls.make_files()

    @classmethod
    def make_files(cls):
        raise NotImplementedError

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.directory, ignore_errors=True)

    def setUp(self):
        self.out = Path(tempfile.mkdtemp(dir=self.directory))

    def report(self, *args):
        """main(['report', ARGS]) in this process (Python with its libraries takes seconds to start)."""
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            status = main(["report", *map(str, args)])
        return subprocess.CompletedProcess(args, status, stdout.getvalue(), stderr.getvalue())

    def make(self, source, name):
        target = self.out / name
        result = self.report(source, "-o", target)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        return target

    def assert_complete(self, target, figures):
        """Exactly these figures and index.html; the page shows each figure, and only these."""
        self.assertEqual(sorted(p.name for p in target.iterdir()), sorted([*figures, "index.html"]))
        page = read_page(target)
        self.assertEqual(sorted(page.images), sorted(figures))
        for name in page.images:
            self.assertTrue((target / name).is_file(), f"index.html shows {name}, which is missing")
            width, height = png_size(target / name)
            self.assertGreater(width * height, 0)
        self.assertEqual([p.name for p in self.out.iterdir()], [target.name], "temporary files left beside it")
        return page

    def outcome_table(self, page):
        """The key outcomes table: header row, then one row per point or scenario."""
        tables = [table for table in page.tables if table and "code_knowledge" in table[0]]
        self.assertEqual(len(tables), 1)
        return tables[0]


class GridReportTest(ReportCase):
    @classmethod
    def make_files(cls):
        cls.grid = grid_sweep(cls.directory)

    def test_grid_report(self):
        target = self.make(self.grid, "grid_report")
        page = self.assert_complete(target, ["timeseries.png", "departments.png", "heatmap.png"])
        table = self.outcome_table(page)
        header, rows = table[0], table[1:]
        with h5py.File(self.grid, "r") as file:
            self.assertEqual(len(rows), file["design"].shape[0])
            column = header.index("individual_knowledge")
            points = file["point"][()]
            for point, row in enumerate(rows):
                values = file["individual_knowledge"][points == point, -1]
                self.assertEqual(row[column], interval_text(values), f"point {point}")
                self.assertEqual(row[header.index("n")], str(np.sum(points == point)))

    def test_bad_input_writes_nothing(self):
        target = self.out / "report"
        cases = [
            ((self.directory / "missing.h5",), "no such file"),
            ((self.directory / "grid.toml",), "not an HDF5 file"),
            ((self.grid, "--variable", "no_such"), "'no_such'"),
            ((self.grid, "--variable", "dept_knowledge"), "department observable"),
            ((self.grid, "--department-variable", "code_knowledge"), "organization observable"),
        ]
        for args, fragment in cases:
            with self.subTest(args=[str(arg) for arg in args]):
                result = self.report(*args, "-o", target)
                self.assertEqual(result.returncode, BAD_INPUT, result.stderr)
                self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
                self.assertIn(fragment, result.stderr)
                self.assertEqual(list(self.out.iterdir()), [], "a refused report left files behind")


class SensitivityReportTest(ReportCase):
    @classmethod
    def make_files(cls):
        cls.sobol = sobol_sweep(cls.directory)
        cls.morris = morris_sweep(cls.directory)

    def test_sobol_and_morris_reports_have_sensitivity(self):
        for source in (self.sobol, self.morris):
            with self.subTest(design=source.stem):
                target = self.make(source, f"{source.stem}_report")
                # Three parameters were swept, so the heatmap applies too.
                self.assert_complete(target, ["timeseries.png", "departments.png", "heatmap.png",
                                              "sensitivity.png"])
                text = (target / "index.html").read_text(encoding="utf-8")
                self.assertIn("<h2>Sensitivity</h2>", text)
                self.assertIn("mu_star" if source == self.morris else "ST_conf", text)
                shutil.rmtree(target)


class CompareReportTest(ReportCase):
    @classmethod
    def make_files(cls):
        cls.compare = compare_file(cls.directory, SCENARIOS)
        scenario = cls.directory / "small_firm.toml"
        scenario.write_text(SMALL_FIRM.format(steps=10, replicates=2), encoding="utf-8")
        cls.single = cls.directory / "small_firm.h5"
        orgsim("run", scenario, "-o", cls.single)

    def test_single_scenario_report(self):
        target = self.make(self.single, "single_report")
        table = self.outcome_table(self.assert_complete(target, ["timeseries.png", "departments.png"]))
        self.assertEqual([row[:2] for row in table[1:]], [["small_firm", "2"]])

    def test_compare_report_is_per_scenario(self):
        target = self.make(self.compare, "compare_report")
        page = self.assert_complete(target, ["timeseries.png", "departments.png"])
        table = self.outcome_table(page)
        self.assertEqual(table[0][0], "scenario")
        self.assertEqual([row[0] for row in table[1:]], list(SCENARIOS))
        self.assertIn(f"<h1>orgsim report: {' vs '.join(SCENARIOS)}</h1>", (target / "index.html").read_text())

    def test_existing_report_is_replaced_only_when_asked(self):
        target = self.out / "report"
        target.mkdir()
        (target / "notes.txt").write_text("mine")
        refused = self.report(self.compare, "-o", target)
        self.assertEqual(refused.returncode, OUTPUT_ERROR, refused.stderr)
        self.assertIn("exists", refused.stderr)
        self.assertEqual(sorted(p.name for p in target.iterdir()), ["notes.txt"])
        replaced = self.report(self.compare, "-o", target, "--force")
        self.assertEqual(replaced.returncode, 0, replaced.stderr)
        self.assert_complete(target, ["timeseries.png", "departments.png"])
        # An empty directory is no report to lose.
        shutil.rmtree(target)
        target.mkdir()
        self.assertEqual(self.report(self.compare, "-o", target).returncode, 0)

    def test_as_a_user_runs_it(self):
        target = self.out / "report"
        result = analysis("report", self.compare, "-o", target)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("index.html", result.stdout)
        self.assert_complete(target, ["timeseries.png", "departments.png"])
        missing = analysis("report", self.directory / "missing.h5", "-o", self.out / "other")
        self.assertEqual(missing.returncode, BAD_INPUT, missing.stderr)
        self.assertEqual(missing.stderr.count("\n"), 1, missing.stderr)
        self.assertFalse((self.out / "other").exists())


class RenderingTest(ReportCase):
    @classmethod
    def make_files(cls):
        cls.grid = grid_sweep(cls.directory)

    def test_page_renders_in_chromium(self):
        if not os.access(CHROMIUM, os.X_OK):
            self.skipTest(f"{CHROMIUM} is not installed (scripts/install-dependencies installs it)")
        target = self.make(self.grid, "rendered")
        screenshot = self.directory / "screenshot.png"
        profile = tempfile.mkdtemp(dir=self.directory)
        command = [CHROMIUM, "--headless", "--disable-gpu", f"--user-data-dir={profile}",
                   f"--screenshot={screenshot}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
                   "--hide-scrollbars", (target / "index.html").as_uri()]
        if os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium's sandbox refuses to run as root
        completed = subprocess.run(command, capture_output=True, text=True, timeout=90)
        self.assertEqual(completed.returncode, 0, completed.stderr[-2000:])
        self.assertTrue(screenshot.is_file(), completed.stderr[-2000:])
        self.assertEqual(png_size(screenshot), WINDOW)
        pixels = image.imread(screenshot)[..., :3]
        colours = np.unique(pixels.reshape(-1, 3), axis=0)
        # A blank or broken page is one or two colours; text, tables and the figures are hundreds.
        self.assertGreater(len(colours), 100, f"only {len(colours)} colours on the screenshot")
        self.assertGreater(pixels.std(), 0.05)
        # The figures are drawn, not shown as broken images: the viridis heatmap and the plots' colours
        # are far from the grey text and white background; some pixels must be strongly coloured. The
        # share depends on the data drawn (about 1% of the window here); a page whose figures are broken
        # images has none, so a tenth of a percent (some 2,000 pixels) tells them apart.
        saturation = pixels.max(axis=2) - pixels.min(axis=2)
        self.assertGreater(np.mean(saturation > 0.3), 0.001)


if __name__ == "__main__":
    unittest.main()
