"""`orgsim compare`, driving the real binary.

What a comparison promises: every scenario runs its replicates on the same
seeds (replicate r of every scenario on run_seed(S, 0, r), S the first
scenario's seed or --seed), so each scenario's runs are those of `orgsim run`
at that seed, bit for bit; the table has a row per outcome and scenario with
each mean and 95% t-interval, and for each scenario after the first its paired
difference from the first with a 95% paired t-interval and Cohen's d_z; the
results do not depend on --threads; `-o` writes one file in the sweep layout,
one point per scenario, that `orgsim status` and `orgsim rerun` read; and
scenarios that do not agree, or bad input, are refused on one line with
nothing written.

Run from tests/cli (CTest does this, one test per case):

    ORGSIM=build/release/sim/orgsim ORGSIM_SOURCE_DIR=$PWD/../.. \
        /usr/bin/python3 -m unittest -v test_compare

Standard library plus h5py, numpy, scipy and xarray (with netCDF4).
"""

import json
import math
import re
import unittest

from test_cli import (OPTION_ERROR, OUTPUT_ERROR, SCENARIO_ERROR, SOURCE_DIR, OrgsimTestCase,
                      attribute_text)

WHATIF = SOURCE_DIR / "scenarios" / "whatif" / "servant_leadership.toml"
# The outcomes of the table, in its order; leavers_total is leavers summed over steps 1..T.
OUTCOMES = ("individual_knowledge", "silo_divergence", "consensus_share", "purpose_mean", "trust_mean",
            "engagement_mean", "perception_gap", "leavers_total")
STEPS, REPLICATES = 30, 4
SHORT = ("--set", f"scenario.steps={STEPS}", "--replicates", REPLICATES)
# Datasets that label dimensions rather than hold results.
SCALES = {"run", "step", "department", "error_character", "name_character", "design_point", "parameter"}

NUMBER = r"[-+]?\d+\.\d+"
INTERVAL = rf"({NUMBER}) \[({NUMBER}), ({NUMBER})\]"


def control_text(name="control", seed=None):
    """The what-if case with control-style managers (400 people in three departments)."""
    text = WHATIF.read_text(encoding="utf-8").replace('name = "servant_leadership"', f'name = "{name}"')
    return text if seed is None else re.sub(r"(?m)^seed = \d+$", f"seed = {seed}", text)


def servant_text(name="servant", seed=None):
    """The same firm with servant leaders, the case's alternative arm."""
    return control_text(name, seed).replace("style = 0.1", "style = 0.9")


def parse_table(stdout):
    """The table's rows: {(outcome, scenario): (mean cell, difference cell or "baseline", d_z cell)}."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("outcome "))
    rows = {}
    for line in lines[start + 1:]:
        if line.startswith(("wrote ", "done in ")):
            break
        cells = re.split(r"\s{2,}", line.strip())
        outcome, scenario, mean, *rest = cells
        difference = rest[0] if rest else ""
        effect = rest[1] if len(rest) > 1 else ""
        rows[(outcome, scenario)] = (mean, difference, effect)
    return rows


def table_text(stdout):
    """What the command prints from the table's header to its last row (not the thread count or time)."""
    lines = stdout.splitlines()
    return "\n".join(line for line in lines[1:] if not line.startswith(("wrote ", "done in ")))


class CompareTest(OrgsimTestCase):
    TEMP_PREFIX = "orgsim-compare-"
    TIMEOUT = 120

    def compare(self, *args, expect=0):
        result = self.orgsim("compare", *args)
        self.assertEqual(result.returncode, expect, f"stdout {result.stdout!r}\nstderr {result.stderr!r}")
        return result

    def arms(self):
        return self.write("control.toml", control_text()), self.write("servant.toml", servant_text(seed=777))

    def assert_nothing_written(self, *expected):
        """The temporary directory holds exactly `expected`: no output, no partial file."""
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), sorted(expected))

    # ---- the table ---------------------------------------------------------------------------------

    def test_table_rows_and_statistics(self):
        import h5py
        import numpy
        from scipy import stats

        control, servant = self.arms()
        output = self.tmp / "compared.h5"
        result = self.compare(control, servant, *SHORT, "--threads", "2", "-o", output)
        self.assertEqual(result.stderr, "")
        self.assertIn("baseline control", result.stdout)
        self.assertIn("Cohen's d_z = mean difference / sd of the differences", result.stdout)
        rows = parse_table(result.stdout)
        self.assertEqual(sorted(rows), sorted((o, s) for o in OUTCOMES for s in ("control", "servant")))

        # Each cell from the file's runs, computed here: means and t-intervals over replicates, the paired
        # differences (servant - control, replicate by replicate) and d_z. The table prints three decimals
        # (two for d_z), so a value agrees when it is within half a unit of the last digit, plus 1e-9 for
        # the rounding of numbers that fall on a half.
        def close(cell, value, decimals=3):
            self.assertLessEqual(abs(float(cell) - value), 0.5 * 10 ** -decimals + 1e-9, f"{cell} vs {value}")

        def check_interval(cell, values):
            match = re.fullmatch(INTERVAL, cell)
            self.assertIsNotNone(match, cell)
            mean = values.mean()
            half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / math.sqrt(len(values))
            for text, value in zip(match.groups(), (mean, mean - half, mean + half)):
                close(text, value)

        with h5py.File(output, "r") as results:
            names = [b"".join(row).decode() for row in results["scenario_name"][()]]
            for outcome in OUTCOMES:
                if outcome == "leavers_total":
                    per_run = results["leavers"][:, 1:].sum(axis=1)
                else:
                    per_run = results[outcome][:, -1]
                control_values = per_run[[n == "control" for n in names]]
                servant_values = per_run[[n == "servant" for n in names]]
                with self.subTest(outcome=outcome):
                    if numpy.isnan(per_run).all():  # perception is off in this case
                        self.assertEqual(rows[(outcome, "control")], ("n/a", "baseline", ""))
                        self.assertEqual(rows[(outcome, "servant")], ("n/a", "n/a", "undefined"))
                        continue
                    self.assertEqual(rows[(outcome, "control")][1:], ("baseline", ""))
                    check_interval(rows[(outcome, "control")][0], control_values)
                    check_interval(rows[(outcome, "servant")][0], servant_values)
                    differences = servant_values - control_values
                    check_interval(rows[(outcome, "servant")][1], differences)
                    effect = rows[(outcome, "servant")][2]
                    if differences.std() == 0:
                        self.assertEqual(effect, "undefined")
                    else:
                        close(effect, differences.mean() / differences.std(ddof=1), decimals=2)
        # Servant leadership raises trust: the case's first claim shows in the table.
        self.assertGreater(float(rows[("trust_mean", "servant")][1].split()[0]), 0)

    def test_self_comparison_differs_by_zero(self):
        control = self.write("control.toml", control_text())
        result = self.compare(control, control, *SHORT, "--threads", "2")
        rows = parse_table(result.stdout)
        # The same name twice, and the same file name: named by position.
        first, second = "control#1", "control#2"
        self.assertEqual(sorted(rows), sorted((o, s) for o in OUTCOMES for s in (first, second)))
        for outcome in OUTCOMES:
            with self.subTest(outcome=outcome):
                self.assertEqual(rows[(outcome, second)][0], rows[(outcome, first)][0])
                if rows[(outcome, first)][0] == "n/a":
                    continue
                self.assertEqual(rows[(outcome, second)][1:], ("+0.000 [+0.000, +0.000]", "undefined"))
        self.assert_nothing_written("control.toml")

        # Two files that keep one scenario.name are named by their file names.
        copy = self.write("copy.toml", control_text())
        rows = parse_table(self.compare(control, copy, *SHORT).stdout)
        self.assertEqual({scenario for _, scenario in rows}, {"control", "copy"})

    # ---- the results file --------------------------------------------------------------------------

    def test_output_file_layout(self):
        import h5py
        import xarray

        control, servant = self.arms()
        output = self.tmp / "compared.h5"
        self.compare(control, servant, *SHORT, "--threads", "2", "-o", output)
        runs = 2 * REPLICATES
        with h5py.File(output, "r") as results:
            self.assertEqual(results["run"][()].tolist(), list(range(runs)))
            self.assertEqual(results["point"][()].tolist(), [run // REPLICATES for run in range(runs)])
            self.assertEqual(results["replicate"][()].tolist(), [run % REPLICATES for run in range(runs)])
            self.assertEqual(results["status"][()].tolist(), [1] * runs)
            self.assertEqual(results["scenario_name"].dtype.str, "|S1")
            self.assertEqual([b"".join(row).decode() for row in results["scenario_name"][()]],
                             ["control"] * REPLICATES + ["servant"] * REPLICATES)
            # Common random numbers: replicate r has one seed in every scenario, the servant file's own
            # scenario.seed notwithstanding.
            seeds = results["seed"][()].tolist()
            self.assertEqual(seeds[:REPLICATES], seeds[REPLICATES:])
            self.assertEqual(len(set(seeds[:REPLICATES])), REPLICATES)
            self.assertEqual(results["trust_mean"].shape, (runs, STEPS + 1))
            self.assertEqual(results["dept_trust_mean"].shape, (runs, STEPS + 1, 3))
            self.assertEqual(results["design"].shape, (2, 0))
            attributes = {name: attribute_text(value) for name, value in results.attrs.items()}
            self.assertEqual(attributes["sweep_design"], "compare")
            self.assertEqual(attributes["sweep_replicates"], str(REPLICATES))
            self.assertEqual(json.loads(attributes["salib_problem"])["num_vars"], 0)
            self.assertEqual(json.loads(attributes["scenario_names"]), ["control", "servant"])
            self.assertEqual(json.loads(attributes["scenario_files"]), [str(control), str(servant)])
            self.assertEqual(json.loads(attributes["scenario"]),
                             [control.read_text(encoding="utf-8"), servant.read_text(encoding="utf-8")])
            resolved = json.loads(attributes["scenario_resolved"])
            hashes = json.loads(attributes["scenario_hashes"])
            self.assertEqual(len(resolved), 2)
            self.assertNotEqual(hashes[0], hashes[1])
            for text in resolved:
                self.assertIn(f"steps = {STEPS}\n", text)
                self.assertIn(f"replicates = {REPLICATES}\n", text)
                self.assertIn("seed = 4401\n", text)  # the first scenario's seed, for every scenario
            compared = {name: dataset[()] for name, dataset in self.datasets(results).items()}

        # xarray reads each run's scenario name as one string: a coordinate of run.
        with xarray.open_dataset(output, engine="netcdf4") as data:
            self.assertEqual(data["scenario_name"].dims, ("run",))
            data = data.set_coords("scenario_name")
            by_name = data["trust_mean"].isel(step=-1).groupby("scenario_name").mean()
            self.assertEqual(by_name["scenario_name"].values.tolist(), ["control", "servant"])

        # Each scenario's runs are those of `orgsim run` at the shared seed, bit for bit, and each one's
        # resolved text, saved as a file, is that scenario with every default, hashed as `orgsim check` does.
        for point, scenario in enumerate((control, servant)):
            single = self.tmp / f"single{point}.h5"
            result = self.orgsim("run", scenario, "-o", single, "--seed", 4401, *SHORT, "--threads", 2)
            self.assertEqual(result.returncode, 0, result.stderr)
            saved = self.write(f"resolved{point}.toml", resolved[point])
            checked = self.orgsim("check", saved)
            self.assertEqual(checked.returncode, 0, checked.stderr)
            self.assertIn(f"hash {hashes[point]}", checked.stdout.splitlines()[0])
            rows = slice(point * REPLICATES, (point + 1) * REPLICATES)
            with h5py.File(single, "r") as run:
                for name, dataset in self.datasets(run).items():
                    if name in SCALES or name == "point":
                        continue
                    with self.subTest(point=point, dataset=name):
                        self.assert_arrays_identical(dataset[()], compared[name][rows], name)

        result = self.orgsim("status", output)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"{runs} run(s): {runs} done, 0 failed, 0 pending", result.stdout)
        for run in (0, REPLICATES + 1, runs - 1):
            result = self.orgsim("rerun", output, run)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("reproduced bit for bit", result.stdout)

    def test_threads_bit_identical(self):
        import h5py

        control, servant = self.arms()
        outputs, tables = {}, {}
        for threads in (1, 2):
            outputs[threads] = self.tmp / f"threads{threads}.h5"
            result = self.compare(control, servant, servant, *SHORT, "--seed", 99, "--threads", threads,
                                  "-o", outputs[threads])
            self.assertIn(f"on {threads} thread(s)", result.stdout.splitlines()[0])
            tables[threads] = table_text(result.stdout)
        self.assertEqual(tables[1], tables[2])
        self.assertEqual(len(parse_table(result.stdout)), 3 * len(OUTCOMES))
        with h5py.File(outputs[1], "r") as one, h5py.File(outputs[2], "r") as two:
            first, second = self.datasets(one), self.datasets(two)
            self.assertEqual(sorted(first), sorted(second))
            self.assertEqual(one["run"].shape, (3 * REPLICATES,))
            for name in sorted(first):
                with self.subTest(dataset=name):
                    self.assert_arrays_identical(first[name][()], second[name][()], name)
            self.assertEqual(sorted(one.attrs), sorted(two.attrs))
            for key in sorted(set(one.attrs) - {"command_line", "created"}):
                self.assertEqual(one.attrs[key], two.attrs[key], key)
            # --seed S: every scenario's seed, and the same as `orgsim run --seed S`.
            single = self.tmp / "single.h5"
            self.assertEqual(self.orgsim("run", control, "-o", single, "--seed", 99, *SHORT).returncode, 0)
            with h5py.File(single, "r") as run:
                for point in range(3):
                    self.assertEqual(one["seed"][point * REPLICATES:(point + 1) * REPLICATES].tolist(),
                                     run["seed"][()].tolist())

    # ---- refusals ----------------------------------------------------------------------------------

    def test_arm_equals_its_own_file(self):
        import h5py

        control, servant = self.arms()
        servant_keys = ("leadership.ceo_style", "departments.Sales.leadership_style",
                        "departments.Operations.leadership_style", "departments.Service.leadership_style")
        arm = "servant: " + " ".join(f"{key}=0.9" for key in servant_keys)
        with_files = self.tmp / "files.h5"
        with_arm = self.tmp / "arm.h5"
        by_files = self.compare(control, servant, *SHORT, "-o", with_files)
        by_arm = self.compare(control, "--arm", arm, *SHORT, "-o", with_arm)
        # The same table, and every run the same, bit for bit: an arm is the first file with its changes.
        self.assertEqual(table_text(by_arm.stdout), table_text(by_files.stdout))
        with h5py.File(with_files, "r") as files, h5py.File(with_arm, "r") as arms:
            for name, dataset in self.datasets(files).items():
                with self.subTest(dataset=name):
                    self.assert_arrays_identical(arms[name][()], dataset[()], name)
        for bad in ("servant", "servant:", ": leadership.ceo_style=0.9"):
            with self.subTest(arm=bad):
                result = self.orgsim("compare", control, "--arm", bad, *SHORT)
                self.assert_one_line_error(result, OPTION_ERROR, "--arm")
        result = self.orgsim("compare", control, "--arm", "servant: leadership.ceo_style=7", *SHORT)
        self.assert_one_line_error(result, SCENARIO_ERROR, "leadership.ceo_style")

    def test_scenarios_that_disagree_are_refused(self):
        control, _ = self.arms()
        longer = self.write("longer.toml", control_text("longer").replace("steps = 260", "steps = 270"))
        more = self.write("more.toml", control_text("more").replace("replicates = 20", "replicates = 21"))
        renamed = self.write("renamed.toml", control_text("renamed").replace('"Service"', '"Care"'))
        reordered_text = control_text("reordered")
        sales = reordered_text.index('[[departments]]\nname = "Sales"')
        operations = reordered_text.index('[[departments]]\nname = "Operations"')
        reordered = self.write("reordered.toml", reordered_text[:sales] + reordered_text[operations:]
                               + "\n" + reordered_text[sales:operations])
        output = self.tmp / "out.h5"
        listing = ["control.toml", "longer.toml", "more.toml", "renamed.toml", "reordered.toml", "servant.toml"]
        cases = ((longer, ("--replicates", 2), ("scenario.steps", "270", "260")),
                 (more, ("--set", "scenario.steps=20"), ("scenario.replicates", "21", "20")),
                 (renamed, ("--replicates", 2), ("departments", "Care")),
                 (reordered, ("--replicates", 2), ("departments", "[Operations, Service, Sales]")))
        for other, extra, fragments in cases:
            with self.subTest(other=other.name):
                # The file that disagrees is named, with the first one it disagrees with.
                result = self.orgsim("compare", control, other, *extra, "-o", output)
                line = self.assert_one_line_error(result, SCENARIO_ERROR, str(other), *fragments)
                self.assertTrue(line.startswith(f"orgsim: error: {other}:"), line)
                self.assertIn(str(control), line)
                self.assertEqual(result.stdout, "")
                self.assert_nothing_written(*listing)
        # --replicates and --set make them agree.
        result = self.compare(control, more, "--replicates", 2, "--set", "scenario.steps=20")
        self.assertIn("2 replicate(s)", result.stdout)
        result = self.compare(control, longer, "--replicates", 2, "--set", "scenario.steps=20")
        self.assertIn("20 step(s)", result.stdout)
        self.assert_nothing_written(*listing)

    def test_bad_input_refused(self):
        control, servant = self.arms()
        output = self.tmp / "out.h5"
        missing = self.tmp / "missing.toml"
        result = self.orgsim("compare", control, missing, *SHORT, "-o", output)
        self.assert_one_line_error(result, SCENARIO_ERROR, str(missing), "cannot open")
        result = self.orgsim("compare", control, *SHORT, "-o", output)
        self.assert_one_line_error(result, OPTION_ERROR, "at least two", "got 1")
        result = self.orgsim("compare", *SHORT)
        self.assert_one_line_error(result, OPTION_ERROR, "at least two", "got 0")
        result = self.orgsim("compare", control, servant, "--set", "scenario.steps=-3")
        self.assert_one_line_error(result, SCENARIO_ERROR, "scenario.steps")
        result = self.orgsim("compare", control, servant, "--replicates", "many")
        self.assert_one_line_error(result, SCENARIO_ERROR, "scenario.replicates")
        result = self.orgsim("compare", control, servant, "--no-such-option")
        self.assert_one_line_error(result, OPTION_ERROR, "no-such-option")
        self.assert_nothing_written("control.toml", "servant.toml")

        precious = b"somebody's earlier results" * 100
        output.write_bytes(precious)
        result = self.orgsim("compare", control, servant, *SHORT, "-o", output)
        self.assert_one_line_error(result, OUTPUT_ERROR, str(output), "--force")
        self.assertEqual(result.stdout, "", "a refused comparison runs nothing")
        self.assertEqual(output.read_bytes(), precious)
        self.assert_nothing_written("control.toml", "servant.toml", "out.h5")
        self.compare(control, servant, *SHORT, "-o", output, "--force")
        self.assertEqual(self.orgsim("status", output).returncode, 0)
        self.assert_nothing_written("control.toml", "servant.toml", "out.h5")


if __name__ == "__main__":
    unittest.main()
