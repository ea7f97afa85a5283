"""Command-line behaviour of orgsim, driving the real binary.

The product's rule for bad input: a ONE-LINE error on stderr naming what is
wrong and where, a non-zero exit code (2 for scenario and option errors, 3 for
output files), and no partial or clobbered output file.

Run from tests/cli (CTest does this, one test per case):

    ORGSIM=build/release/sim/orgsim ORGSIM_SOURCE_DIR=$PWD/../.. \
        /usr/bin/python3 -m unittest -v test_cli

Standard library only, plus h5py and numpy for the results-file cases.
"""

import os
import pathlib
import re
import signal
import subprocess
import tempfile
import time
import tomllib
import unittest

ORGSIM = os.environ.get("ORGSIM", "")
SOURCE_DIR = pathlib.Path(os.environ.get("ORGSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
DEFAULT_SCENARIO = SOURCE_DIR / "scenarios" / "default.toml"
PARAMETERS_DOC = SOURCE_DIR / "docs" / "scenarios.md"
MODEL_DOC = SOURCE_DIR / "docs" / "model.md"
OUTPUT_DOC = SOURCE_DIR / "docs" / "output.md"
COMPARE_DOC = SOURCE_DIR / "docs" / "compare.md"
# docs/model.md holds `orgsim parameters --defaults` between these markers, laid out as
# scripts/update-model-defaults writes it: the begin marker, a blank line, the output, a blank line,
# the end marker.
DEFAULTS_BEGIN = "<!-- parameter-defaults:begin -->"
DEFAULTS_END = "<!-- parameter-defaults:end -->"

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
SCENARIO_ERROR = 2
OPTION_ERROR = 2
OUTPUT_ERROR = 3

# A small, valid scenario: two departments, a few steps, one run.
SMALL = """\
[scenario]
name = "small"
steps = 5
replicates = 1

[[departments]]
name = "Sales"
headcount = 20

[[departments]]
name = "Operations"
headcount = 10
"""

# A minimal organization appended to files that test one bad key elsewhere.
ONE_DEPARTMENT = """
[[departments]]
name = "Sales"
headcount = 20
"""


def attribute_text(value):
    """Fixed-length string attributes read back as bytes in h5py."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


class OrgsimTestCase(unittest.TestCase):
    """Runs the real binary in a temporary directory; shared by the command-line test files."""
    maxDiff = None
    TEMP_PREFIX = "orgsim-cli-"
    TIMEOUT = 60  # seconds one command may take

    @classmethod
    def setUpClass(cls):
        if not ORGSIM:
            raise RuntimeError("set ORGSIM to the orgsim binary (CTest does this)")
        if not os.access(ORGSIM, os.X_OK):
            raise RuntimeError(f"ORGSIM={ORGSIM} is not an executable")

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix=self.TEMP_PREFIX)
        self.tmp = pathlib.Path(self._tmp.name)
        self.addCleanup(self._tmp.cleanup)

    # ---- helpers ---------------------------------------------------------------------------------

    def orgsim(self, *args, timeout=None, **kwargs):
        """Runs orgsim with cwd in the temp dir, so nothing lands in the source tree."""
        timeout = timeout or self.TIMEOUT
        try:
            return subprocess.run([ORGSIM, *map(str, args)], cwd=self.tmp, capture_output=True, text=True,
                                  timeout=timeout, **kwargs)
        except subprocess.TimeoutExpired:
            self.fail(f"orgsim {' '.join(map(str, args))} did not finish within {timeout} s")

    @staticmethod
    def datasets(results):
        """Every dataset of an open h5py file, by path."""
        import h5py

        found = {}
        results.visititems(lambda name, obj: found.__setitem__(name, obj) if isinstance(obj, h5py.Dataset)
                           else None)
        return found

    def assert_arrays_identical(self, x, y, what):
        import numpy

        self.assertEqual(x.dtype, y.dtype, what)
        self.assertEqual(x.shape, y.shape, what)
        if x.dtype.kind == "O":
            self.assertEqual(x.tolist(), y.tolist(), what)
            return
        if x.dtype.kind == "f":
            self.assertTrue(numpy.array_equal(x, y, equal_nan=True), f"{what}: values differ")
        else:
            self.assertTrue(numpy.array_equal(x, y), f"{what}: values differ")
        self.assertEqual(x.tobytes(), y.tobytes(), f"{what}: not bit-identical")

    def write(self, name, text):
        path = self.tmp / name
        path.write_text(text, encoding="utf-8")
        return path

    def assert_one_line_error(self, result, exit_code, *fragments, pattern=None):
        """Exit code as given, stderr exactly one line containing every fragment (and matching pattern)."""
        shown = f"exit {result.returncode}, stderr {result.stderr!r}"
        self.assertEqual(result.returncode, exit_code, shown)
        self.assertTrue(result.stderr.endswith("\n"), shown)
        self.assertEqual(result.stderr.count("\n"), 1, f"error is not one line: {shown}")
        line = result.stderr.rstrip("\n")
        self.assertTrue(line.strip(), shown)
        for fragment in fragments:
            self.assertIn(str(fragment), line, shown)
        if pattern is not None:
            self.assertRegex(line, pattern, shown)
        return line


class CliTest(OrgsimTestCase):
    def assert_no_output(self, output):
        """Neither the results file nor any temporary sibling exists."""
        output = pathlib.Path(output)
        self.assertFalse(output.exists(), f"{output} was created by a failing run")
        if output.parent.is_dir():
            partial = sorted(p.name for p in output.parent.glob("*.partial-*"))
            self.assertEqual(partial, [], f"temporary files left in {output.parent}")

    def assert_check_and_run_fail(self, scenario, exit_code, *fragments, pattern=None, extra=()):
        """`check` and `run` both refuse the scenario with the same one-line error and write nothing."""
        checked = self.orgsim("check", scenario, *extra)
        line = self.assert_one_line_error(checked, exit_code, *fragments, pattern=pattern)
        output = self.tmp / "out.h5"
        ran = self.orgsim("run", scenario, "-o", output, "--threads", "1", *extra)
        self.assertEqual(self.assert_one_line_error(ran, exit_code, *fragments, pattern=pattern), line)
        self.assert_no_output(output)
        return line

    def check_output(self, *args):
        """`orgsim check ...` -> (source line, hash, resolved TOML text)."""
        result = self.orgsim("check", *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        first, _, resolved = result.stdout.partition("\n")
        match = re.fullmatch(r"# (.+): valid; (\d+) agents in (\d+) departments?; hash ([0-9a-f]{16})", first)
        self.assertIsNotNone(match, f"unexpected first line {first!r}")
        return first, match.group(4), resolved

    def parameter_keys(self):
        """Dotted keys from the tables of `orgsim parameters` ("departments.headcount" for fields)."""
        result = self.orgsim("parameters")
        self.assertEqual(result.returncode, 0, result.stderr)
        keys = []
        section = None
        for line in result.stdout.splitlines():
            heading = re.fullmatch(r"## `\[\[?(\w+)\]\]?`", line)
            if heading:
                section = heading.group(1)
                continue
            row = re.match(r"\| `([\w]+)` \|", line)
            if row:
                self.assertIsNotNone(section, f"table row before any section: {line!r}")
                keys.append(f"{section}.{row.group(1)}")
        self.assertGreater(len(keys), 20, "could not read the parameter table")
        self.assertEqual(len(keys), len(set(keys)), "duplicate keys in the parameter table")
        return keys

    # ---- bad scenario files ----------------------------------------------------------------------

    def test_malformed_toml(self):
        scenario = self.write("malformed.toml", '[scenario]\nname = "unterminated\nsteps = 5\n' + ONE_DEPARTMENT)
        line = self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, pattern=rf"{re.escape(str(scenario))}:2:\d+: ")
        self.assertIn("malformed TOML", line)

        scenario = self.write("garbage.toml", "[scenario\nname = 1\n")
        self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, pattern=rf"{re.escape(str(scenario))}:1:\d+: ")

    def test_unknown_key(self):
        scenario = self.write("typo.toml", "[knowledge]\nsocialisation_rate = 0.3\n" + ONE_DEPARTMENT)
        self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, "socialisation_rate",
                                       "did you mean 'knowledge.socialization_rate'?",
                                       pattern=rf"{re.escape(str(scenario))}:2:1: ")
        # A typo in a department field is suggested from the department fields.
        scenario = self.write("department_typo.toml", '[[departments]]\nname = "Sales"\nheadcont = 20\n')
        self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, "headcont", "did you mean 'departments.headcount'?",
                                       pattern=rf"{re.escape(str(scenario))}:3:1: ")
        # The same typo on the command line names the --set and suggests the same key.
        scenario = self.write("small.toml", SMALL)
        self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, "--set knowledge.socialisation_rate=0.3",
                                       "did you mean 'knowledge.socialization_rate'?",
                                       extra=("--set", "knowledge.socialisation_rate=0.3"))

    def test_unknown_section(self):
        scenario = self.write("section.toml", "[knowlege]\nsocialization_rate = 0.3\n" + ONE_DEPARTMENT)
        self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, f"{scenario}:1:", "knowlege",
                                       "did you mean 'knowledge'?")

    def test_wrong_type(self):
        scenario = self.write("type.toml", '[scenario]\nsteps = "many"\n' + ONE_DEPARTMENT)
        line = self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, f"{scenario}:2:", "scenario.steps",
                                              "an integer")
        self.assertIn("string", line)  # what it got
        scenario = self.write("bool.toml", "[knowledge]\nenabled = 1\n" + ONE_DEPARTMENT)
        self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, f"{scenario}:2:", "knowledge.enabled",
                                       "true or false")
        scenario = self.write("department.toml", '[[departments]]\nname = "Sales"\nheadcount = 2.5\n')
        self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, f"{scenario}:3:", "departments.headcount",
                                       "an integer")

    def test_out_of_range(self):
        scenario = self.write("range.toml", "[knowledge]\nsocialization_rate = 1.5\n" + ONE_DEPARTMENT)
        self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, f"{scenario}:2:", "knowledge.socialization_rate",
                                       "1.5", "[0, 1]")
        scenario = self.write("steps.toml", "[scenario]\nsteps = 0\n" + ONE_DEPARTMENT)
        self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, f"{scenario}:2:", "scenario.steps", "= 0",
                                       "out of range")
        scenario = self.write("choice.toml", '[organization]\nnetwork = "ring"\n' + ONE_DEPARTMENT)
        self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, f"{scenario}:2:", "organization.network", "ring",
                                       "small_world")
        # --replicates goes through the same validation.
        scenario = self.write("small.toml", SMALL)
        output = self.tmp / "out.h5"
        result = self.orgsim("run", scenario, "-o", output, "--replicates", "0")
        self.assert_one_line_error(result, SCENARIO_ERROR, "scenario.replicates", "0", "out of range")
        self.assert_no_output(output)

    def test_unknown_department(self):
        scenario = self.write("small.toml", SMALL)
        line = self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, "departments.Nope.headcount=3", "'Nope'",
                                              "Sales", "Operations",
                                              extra=("--set", "departments.Nope.headcount=3"))
        self.assertIn("unknown department", line)

    def test_empty_organization(self):
        scenario = self.write("empty.toml", '[scenario]\nname = "nobody"\n')
        line = self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, str(scenario))
        self.assertIn("empty", line)
        self.assertIn("[[departments]]", line)
        scenario = self.write("nothing.toml", "")
        self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, str(scenario), "empty")

    def test_too_large(self):
        # A single department beyond the headcount range: refused at once, naming the key.
        scenario = self.write("huge.toml", '[scenario]\nname = "huge"\n\n[[departments]]\nname = "A"\n'
                              "headcount = 2000000000\n")
        started = time.monotonic()
        self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, str(scenario), "headcount", "2000000000")
        self.assertLess(time.monotonic() - started, 5.0)

        # In range per department but two billion agents in all: refused by the memory estimate,
        # before anything is allocated, with the size in GiB.
        scenario = self.write("too_large.toml", '[scenario]\nname = "huge"\n\n'
                              '[[departments]]\nname = "A"\nheadcount = 1000000000\n\n'
                              '[[departments]]\nname = "B"\nheadcount = 1000000000\n')
        for command in ("check", "run"):
            output = self.tmp / "out.h5"
            started = time.monotonic()
            result = self.orgsim(command, scenario, *(("-o", output) if command == "run" else ()), timeout=20)
            elapsed = time.monotonic() - started
            self.assert_one_line_error(result, SCENARIO_ERROR, str(scenario), "GiB")
            self.assertLess(elapsed, 5.0, f"{command} took {elapsed:.1f} s to refuse a 2e9-agent organization")
            self.assert_no_output(output)

        # The same through --set.
        small = self.write("small.toml", SMALL)
        started = time.monotonic()
        result = self.orgsim("check", small, "--set", "departments.Sales.headcount=1000000000", "--set",
                             "departments.Operations.headcount=1000000000", timeout=20)
        self.assert_one_line_error(result, SCENARIO_ERROR, "GiB")
        self.assertLess(time.monotonic() - started, 5.0)

    # ---- bad command lines -----------------------------------------------------------------------

    def test_bad_set_syntax(self):
        scenario = self.write("small.toml", SMALL)
        for assignment in ("knowledge.socialization_rate", "=0.3"):
            self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, f"--set {assignment}", "key=value",
                                           extra=("--set", assignment))
        # A value of the wrong type given on the command line names the --set and the key.
        self.assert_check_and_run_fail(scenario, SCENARIO_ERROR, "--set scenario.steps=abc", "scenario.steps",
                                       "an integer", extra=("--set", "scenario.steps=abc"))

    def test_unknown_option(self):
        scenario = self.write("small.toml", SMALL)
        for command in ("check", "run", "parameters"):
            output = self.tmp / "out.h5"
            args = [command, "--bogus"]
            if command != "parameters":
                args += [scenario]
            if command == "run":
                args += ["-o", output]
            result = self.orgsim(*args)
            self.assert_one_line_error(result, OPTION_ERROR, "--bogus", f"orgsim {command} --help")
            self.assertEqual(result.stdout, "")
            self.assert_no_output(output)
        result = self.orgsim("run", scenario, "-o", self.tmp / "out.h5", "--threads", "many")
        self.assert_one_line_error(result, OPTION_ERROR, "--threads", "many")
        self.assert_no_output(self.tmp / "out.h5")
        result = self.orgsim("frobnicate")
        self.assert_one_line_error(result, OPTION_ERROR, "frobnicate")

    def test_missing_file(self):
        missing = self.tmp / "no_such_scenario.toml"
        self.assert_check_and_run_fail(missing, SCENARIO_ERROR, str(missing), "cannot open")
        # A directory is not a scenario: it must be reported as unreadable, not parsed as an empty file.
        directory = self.tmp / "a_directory.toml"
        directory.mkdir()
        with self.subTest("directory as scenario"):
            line = self.assert_check_and_run_fail(directory, SCENARIO_ERROR, str(directory))
            self.assertNotIn("organization is empty", line)
            self.assertRegex(line, r"cannot|directory")

    # ---- output files ----------------------------------------------------------------------------

    def test_existing_output_refused(self):
        scenario = self.write("small.toml", SMALL)
        output = self.tmp / "results.h5"
        precious = b"somebody's earlier results\x00\x01\x02" * 100
        output.write_bytes(precious)
        before = output.stat()
        result = self.orgsim("run", scenario, "-o", output)
        self.assertNotEqual(result.returncode, 0)
        self.assert_one_line_error(result, OUTPUT_ERROR, str(output), "--force")
        self.assertEqual(output.read_bytes(), precious)
        self.assertEqual(output.stat().st_mtime_ns, before.st_mtime_ns)
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["results.h5", "small.toml"])

    def test_force_overwrites(self):
        import h5py

        scenario = self.write("small.toml", SMALL)
        output = self.tmp / "results.h5"
        output.write_bytes(b"old contents, not HDF5\n")
        result = self.orgsim("run", scenario, "-o", output, "--force", "--threads", "1")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        self.assertEqual(output.read_bytes()[:8], HDF5_SIGNATURE)
        with h5py.File(output, "r") as results:
            self.assertEqual(attribute_text(results.attrs["title"]), "orgsim results")
            self.assertEqual(attribute_text(results.attrs["scenario"]), SMALL)
            self.assertEqual(results["run"].shape, (1,))
            self.assertEqual(results["step"].shape, (6,))
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["results.h5", "small.toml"])

    def test_unwritable_directory(self):
        scenario = self.write("small.toml", SMALL)
        # Tests run as root, so permissions cannot make a directory unwritable: use paths that cannot exist.
        regular_file = self.write("a_file", "not a directory\n")
        for output in (self.tmp / "no" / "such" / "dir" / "out.h5", regular_file / "out.h5"):
            with self.subTest(output=output):
                result = self.orgsim("run", scenario, "-o", output)
                self.assertNotEqual(result.returncode, 0)
                self.assert_one_line_error(result, OUTPUT_ERROR, str(output))
                self.assertFalse(output.exists())
                self.assertFalse((self.tmp / "no").exists(), "orgsim created the missing directories")
        self.assertEqual(regular_file.read_text(), "not a directory\n")
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["a_file", "small.toml"])
        # An existing directory as the output is refused, with or without --force, and left alone.
        directory = self.tmp / "results.h5"
        directory.mkdir()
        (directory / "keep").write_text("keep\n")
        for force in ((), ("--force",)):
            with self.subTest(force=force):
                result = self.orgsim("run", scenario, "-o", directory, *force)
                self.assert_one_line_error(result, OUTPUT_ERROR, str(directory))
                self.assertEqual((directory / "keep").read_text(), "keep\n")
                self.assertEqual(list(self.tmp.glob("*.partial-*")), [])

    def start_long_run(self, output):
        """Starts a run that takes many seconds and returns once its temporary file exists."""
        process = subprocess.Popen([ORGSIM, "run", "--replicates", "200", "--threads", "1", "-o", str(output)],
                                   cwd=self.tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: (process.poll() is None and process.kill(), process.wait()))
        deadline = time.monotonic() + 5.0
        while not list(output.parent.glob(f"{output.name}.partial-*")) and time.monotonic() < deadline:
            self.assertIsNone(process.poll(), "the run ended before it could be stopped")
            time.sleep(0.02)
        time.sleep(0.5)
        self.assertIsNone(process.poll(), "the run ended before it could be stopped; make it longer")
        return process

    def test_no_partial_file_on_failure(self):
        # SIGKILL cannot be handled: the final name must simply never appear (a *.partial-PID file may remain).
        output = self.tmp / "killed.h5"
        process = self.start_long_run(output)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=10)
        self.assertEqual(process.returncode, -signal.SIGKILL)
        self.assertFalse(output.exists(), "a killed run left a file under the final results name")

        # SIGTERM, SIGINT (Ctrl-C) and SIGHUP (a closed terminal) stop the run with a one-line
        # error and leave nothing behind.
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            with self.subTest(signal=number.name):
                output = self.tmp / number.name / "stopped.h5"  # apart from the SIGKILL leftovers
                output.parent.mkdir()
                process = self.start_long_run(output)
                process.send_signal(number)
                try:
                    _, stderr = process.communicate(timeout=10)
                except subprocess.TimeoutExpired:
                    self.fail(f"the run did not stop within 10 s of {number.name}")
                self.assertGreater(process.returncode, 0, f"exit {process.returncode}, stderr {stderr!r}")
                self.assertEqual(stderr.count("\n"), 1, f"error is not one line: {stderr!r}")
                self.assertIn("interrupted", stderr)
                self.assert_no_output(output)

    def test_run_dry_run_writes_nothing(self):
        output = self.tmp / "estimated.h5"
        result = self.orgsim("run", "--dry-run", "--replicates", 3, "-o", output)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("dry run: 3 run(s) of 1201 agents over 260 steps", result.stdout)
        self.assertRegex(result.stdout, r"estimated wall time on \d+ thread\(s\): \d+ s \(one run: [0-9.]+ s")
        self.assertRegex(result.stdout, r"estimated peak memory: [1-9]\d* MiB resident \(\d+ run\(s\) at once\)")
        self.assertIn("nothing was written", result.stdout)
        self.assertFalse(output.exists())

    def test_long_run_reports_progress(self):
        # Quiet for 3 s, then (not on a terminal) one line of steps, share and time left
        # every half minute; a run of a few seconds shows one.
        output = self.tmp / "long.h5"
        result = self.orgsim("run", "--replicates", 1, "--threads", 1, "--set", "scenario.steps=24000",
                             "-o", output, timeout=600)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stderr, r"^run: \d+/24000 steps \([0-9.]+%\), [0-9:]+ elapsed, ETA [0-9:]+\n")

    # ---- resolved scenarios ----------------------------------------------------------------------

    def test_check_prints_resolved(self):
        first, digest, resolved = self.check_output(DEFAULT_SCENARIO)
        self.assertIn(str(DEFAULT_SCENARIO), first)
        self.assertIn("1201 agents in 5 departments", first)
        document = tomllib.loads(resolved)
        # The default scenario has no interventions and no sweep, so none of their keys is printed.
        keys = [key for key in self.parameter_keys() if not key.startswith(("interventions.", "sweep."))]

        # Every parameter is printed, and nothing else.
        printed = set()
        for section, table in document.items():
            if section == "departments":
                self.assertEqual(len(table), 5)
                for department in table:
                    self.assertEqual(sorted(f"departments.{field}" for field in department),
                                     sorted(k for k in keys if k.startswith("departments.")),
                                     department.get("name"))
                    printed.update(f"departments.{field}" for field in department)
            else:
                printed.update(f"{section}.{key}" for key in table)
        self.assertEqual(sorted(printed), sorted(keys))

        # What the file says is what is printed; defaults fill the rest.
        source = tomllib.loads(DEFAULT_SCENARIO.read_text(encoding="utf-8"))
        for section, table in source.items():
            if section == "departments":
                for given, shown in zip(table, document["departments"], strict=True):
                    for field, value in given.items():
                        self.assertEqual(shown[field], value, f"departments.{given['name']}.{field}")
            else:
                for key, value in table.items():
                    self.assertEqual(document[section][key], value, f"{section}.{key}")
        self.assertEqual(document["knowledge"]["turbulence_rate"], 0.0)  # not in the file: its default

        # The printout is itself a scenario that resolves to the same text and hash.
        saved = self.write("resolved.toml", first + "\n" + resolved)
        again_first, again_digest, again_resolved = self.check_output(saved)
        self.assertIn(str(saved), again_first)
        self.assertEqual(again_resolved, resolved)
        self.assertEqual(again_digest, digest)

    def test_set_matches_file(self):
        text = DEFAULT_SCENARIO.read_text(encoding="utf-8")
        edited, count = re.subn(r"(?m)^socialization_rate = 0\.1$", "socialization_rate = 0.3", text)
        self.assertEqual(count, 1, "default.toml no longer has 'socialization_rate = 0.1' on its own line")
        in_file = self.write("edited.toml", edited)
        _, file_digest, from_file = self.check_output(in_file)
        _, set_digest, from_set = self.check_output(DEFAULT_SCENARIO, "--set", "knowledge.socialization_rate=0.3")
        self.assertEqual(from_set, from_file)
        self.assertEqual(set_digest, file_digest)
        self.assertEqual(tomllib.loads(from_set)["knowledge"]["socialization_rate"], 0.3)
        _, default_digest, _ = self.check_output(DEFAULT_SCENARIO)
        self.assertNotEqual(set_digest, default_digest)

        # A key absent from the file, a department field and an integer, the same way.
        small = self.write("small.toml", SMALL)
        in_file = self.write("small_edited.toml", SMALL.replace("steps = 5", "steps = 7").replace(
            "headcount = 10", "headcount = 12\nkpi_alignment = 0.9") + "\n[knowledge]\nsocialization_rate = 0.3\n")
        _, file_digest, from_file = self.check_output(in_file)
        _, set_digest, from_set = self.check_output(small, "--set", "knowledge.socialization_rate=0.3", "--set",
                                                    "scenario.steps=7", "--set", "departments.Operations.headcount=12",
                                                    "--set", "departments.Operations.kpi_alignment=0.9")
        self.assertEqual(from_set, from_file)
        self.assertEqual(set_digest, file_digest)

    def test_embedded_default_matches_file(self):
        embedded_first, embedded_digest, embedded = self.check_output()
        file_first, file_digest, from_file = self.check_output(DEFAULT_SCENARIO)
        self.assertEqual(embedded, from_file)
        self.assertEqual(embedded_digest, file_digest)
        self.assertNotEqual(embedded_first, file_first)  # the first line names the source
        self.assertIn(str(DEFAULT_SCENARIO), file_first)

    # ---- results ---------------------------------------------------------------------------------

    def test_threads_bit_identical(self):
        import h5py
        import numpy

        outputs = {}
        for threads in (1, 2):
            outputs[threads] = self.tmp / f"threads{threads}.h5"
            result = self.orgsim("run", "--replicates", "4", "--set", "scenario.steps=40", "--threads", threads,
                                 "-o", outputs[threads])
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn(f"on {threads} thread(s)", result.stdout)

        with h5py.File(outputs[1], "r") as one, h5py.File(outputs[2], "r") as two:
            first, second = self.datasets(one), self.datasets(two)
            self.assertEqual(sorted(first), sorted(second))
            self.assertIn("seed", first)
            self.assertGreater(len(first), 8)
            for name in sorted(first):
                a, b = first[name], second[name]
                with self.subTest(dataset=name):
                    self.assertEqual(a.dtype, b.dtype)
                    self.assertEqual(a.shape, b.shape)
                    x, y = a[()], b[()]
                    if a.dtype.kind == "O":
                        self.assertEqual(x.tolist(), y.tolist())
                    else:
                        self.assertEqual(x.tobytes(), y.tobytes(), "not bit-identical")
                        if a.dtype.kind == "f":
                            self.assertTrue(numpy.array_equal(x, y, equal_nan=True))
            self.assertEqual(first["run"].shape, (4,))
            self.assertEqual(first["step"].shape, (41,))

            ignored = {"command_line", "created"}
            self.assertEqual(sorted(one.attrs), sorted(two.attrs))
            self.assertIn("scenario_hash", one.attrs)
            for key in sorted(set(one.attrs) - ignored):
                with self.subTest(attribute=key):
                    self.assertEqual(one.attrs[key], two.attrs[key])
            self.assertIn("--threads 1", attribute_text(one.attrs["command_line"]))
            self.assertIn("--threads 2", attribute_text(two.attrs["command_line"]))

    # ---- documentation ---------------------------------------------------------------------------

    def test_parameters_doc_current(self):
        result = subprocess.run([ORGSIM, "parameters"], cwd=self.tmp, capture_output=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, b"")
        self.assertTrue(PARAMETERS_DOC.is_file(),
                        f"{PARAMETERS_DOC} is missing: generate it with `orgsim parameters > docs/scenarios.md`")
        self.assertEqual(PARAMETERS_DOC.read_bytes(), result.stdout,
                         "docs/scenarios.md is stale: regenerate it with `orgsim parameters > docs/scenarios.md`")

    def test_model_defaults_current(self):
        result = subprocess.run([ORGSIM, "parameters", "--defaults"], cwd=self.tmp, capture_output=True,
                                timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, b"")
        self.assertTrue(result.stdout.strip(), "orgsim parameters --defaults printed nothing")
        text = MODEL_DOC.read_text(encoding="utf-8")
        self.assertEqual(text.count(DEFAULTS_BEGIN), 1, f"{MODEL_DOC} needs one {DEFAULTS_BEGIN}")
        self.assertEqual(text.count(DEFAULTS_END), 1, f"{MODEL_DOC} needs one {DEFAULTS_END}")
        section = text[text.index(DEFAULTS_BEGIN) + len(DEFAULTS_BEGIN):text.index(DEFAULTS_END)]
        self.assertEqual(section, "\n\n" + result.stdout.decode("utf-8") + "\n",
                         "the parameter defaults in docs/model.md are stale: regenerate them with "
                         "`scripts/update-model-defaults`")

    def test_observables_doc_current(self):
        tables = {OUTPUT_DOC: ("organization", "department"), COMPARE_DOC: ("compare",)}
        for document, levels in tables.items():
            text = document.read_text(encoding="utf-8")
            for level in levels:
                with self.subTest(level=level):
                    result = subprocess.run([ORGSIM, "observables", "--level", level], cwd=self.tmp,
                                            capture_output=True, timeout=60)
                    self.assertEqual(result.returncode, 0, result.stderr)
                    self.assertEqual(result.stderr, b"")
                    self.assertTrue(result.stdout.startswith(b"| "), result.stdout[:200])
                    begin, end = f"<!-- observables-{level}:begin -->", f"<!-- observables-{level}:end -->"
                    self.assertEqual(text.count(begin), 1, f"{document} needs one {begin}")
                    self.assertEqual(text.count(end), 1, f"{document} needs one {end}")
                    section = text[text.index(begin) + len(begin):text.index(end)]
                    self.assertEqual(section, "\n\n" + result.stdout.decode("utf-8") + "\n",
                                     f"the {level} observables in {document} are stale: regenerate them with "
                                     "`scripts/update-output-tables`")


if __name__ == "__main__":
    unittest.main()
