"""Hostile input, driving the real binary: no crash, hang or stray file.

Each case gives orgsim input built to break it (a key of 40,000 parts, a
scenario that never ends, control characters where a key or name goes, a
sweep of a million values, tens of thousands of departments or
interventions, a megabyte key, names and paths that would put the results
file elsewhere) and asserts what the product promises for bad input: exactly
one line on stderr, exit code 2 for a scenario problem and 3 for an output
problem, no escape character reaching the terminal, no output file, and an
answer within a time bound.

The time bound: every command here takes under 3 s in a release build on one
core (most under 0.5 s); a sanitize build is up to 10 to 20 times slower and a
loaded 2-core VM halves that again, so each command gets TIMEOUT = 90 s. The
defects these cases guard against took from 16 s (70,000 departments) to
minutes (a million-value sweep, 20,000 interventions) or never ended (reading
/dev/zero) in a release build, so they fail the bound in any build.

Run from tests/cli (CTest does this, one test per case):

    ORGSIM=build/release/sim/orgsim ORGSIM_SOURCE_DIR=$PWD/../.. \
        /usr/bin/python3 -m unittest -v test_hostile

Standard library only.
"""

import os
import pathlib
import subprocess

from test_cli import ORGSIM, OUTPUT_ERROR, SCENARIO_ERROR, SMALL, OrgsimTestCase

OPTION_ERROR = 2
ESC = "\x1b"


class HostileTest(OrgsimTestCase):
    TEMP_PREFIX = "orgsim-hostile-"
    TIMEOUT = 90  # seconds one command may take: see the module's docstring

    def assert_refused(self, result, exit_code, *fragments):
        """One line on stderr, no escape character, the exit code, every fragment; returns the line."""
        line = self.assert_one_line_error(result, exit_code, *fragments)
        self.assertNotIn(ESC, result.stderr)
        self.assertNotIn("\r", result.stderr)
        return line

    def assert_nothing_written(self, *keep):
        """The temporary directory holds only the inputs the case wrote."""
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), sorted(keep))

    def run_refused(self, scenario, exit_code, *fragments, extra=()):
        """`check` (scenario errors only) and `run -o out.h5` refuse with one line and write nothing."""
        if exit_code == SCENARIO_ERROR:
            self.assert_refused(self.orgsim("check", scenario, *extra), exit_code, *fragments)
        line = self.assert_refused(self.orgsim("run", scenario, "-o", "out.h5", "--threads", 1, *extra), exit_code,
                                   *fragments)
        self.assertFalse((self.tmp / "out.h5").exists())
        return line

    # ---- the TOML reader: deep keys, endless and huge files -------------------------------------------

    def test_deep_keys_refused(self):
        # 40,000 parts in 80 KB overflowed toml++ 3.3's stack: exit 139, no message.
        parts = "a." * 40000
        cases = {
            "key.toml": f'[scenario]\nname = "x"\n{parts}a = 1\n',
            "header.toml": f"\n\n[{parts}a]\nb = 1\n",
            "inline.toml": f"[scenario]\nname = 1\nx = {{ {parts}a = 1 }}\n",
        }
        for name, text in cases.items():
            with self.subTest(file=name):
                scenario = self.write(name, text)
                self.run_refused(scenario, SCENARIO_ERROR, f"{name}:3:", "more than 64 dotted parts")
        scenario = self.write("small.toml", SMALL)
        result = self.orgsim("check", scenario, "--set", f"scenario.description={{{parts}a = 1}}")
        self.assert_refused(result, SCENARIO_ERROR, "more than 64 dotted parts")
        self.assert_nothing_written("small.toml", *cases)

    def test_endless_and_huge_files_refused(self):
        # /dev/zero was read until memory ran out; a 17 MiB file is refused as too large, by its size.
        self.run_refused("/dev/zero", SCENARIO_ERROR, "/dev/zero: the scenario is larger than 16 MiB")
        huge = self.write("huge.toml", SMALL + 'description = "' + "x" * (17 << 20) + '"\n')
        self.run_refused(huge, SCENARIO_ERROR, "huge.toml: the scenario is larger than 16 MiB (16777216 bytes)")
        self.assert_nothing_written("huge.toml")

    # ---- input quoted in errors ----------------------------------------------------------------------

    def test_control_characters_escaped(self):
        # A newline split the error over lines; ESC [2J reached the terminal and cleared it.
        bad = "\\n\\u001B[2J"  # in TOML's escapes
        shown = "\\u000A\\u001B[2J"  # as the error shows it
        cases = {
            "value.toml": (SMALL + f'\n[organization]\nnetwork = "ring{bad}"\n', f'"ring{shown}" is not one of'),
            "key.toml": (SMALL.replace("steps = 5", f'"ste{bad}ps" = 3'), f"unknown key 'scenario.ste{shown}ps'"),
            "section.toml": (SMALL + f'\n["sec{bad}tion"]\nx = 1\n', f"unknown section 'sec{shown}tion'"),
            "target.toml": (SMALL + '\n[[interventions]]\nkind = "client_pressure"\nstart = 1\n'
                            f'departments = ["Sa{bad}les"]\n', f"unknown department 'Sa{shown}les'"),
            "sweep.toml": (SMALL + f'\n[sweep]\n[sweep.parameters]\n"knowledge.ra{bad}te" = [1]\n',
                           f"unknown parameter 'knowledge.ra{shown}te'"),
            "name.toml": (SMALL.replace('name = "small"', f'name = "x{bad}"'),
                          f'scenario name "x{shown}" contains U+000A'),
        }
        for name, (text, fragment) in cases.items():
            with self.subTest(file=name):
                self.run_refused(self.write(name, text), SCENARIO_ERROR, fragment)
        small = self.write("small.toml", SMALL)
        overrides = {
            "scenario.st\neps\x1b[2J=3": "--set scenario.st\\u000Aeps\\u001B[2J=3: unknown key",
            "departments.Sa\nles.headcount=3": "unknown department 'Sa\\u000Ales'",
            "departments.Sales.head\x1b[2Jcount=3": "unknown key 'departments.Sales.head\\u001B[2Jcount'",
            "interventions.a\nb.start=3": "no intervention named 'a\\u000Ab'",
            "organization.network=ring\n\x1b[2J": '"ring\\u000A\\u001B[2J" is not one of',
            "scenario.name=a\nb": 'scenario name "a\\u000Ab" contains U+000A',
        }
        for assignment, fragment in overrides.items():
            with self.subTest(set=assignment):
                self.run_refused(small, SCENARIO_ERROR, fragment, extra=("--set", assignment))
        # So is an unknown command.
        self.assert_refused(self.orgsim("ru\n\x1b[2Jn"), OPTION_ERROR, "unknown command 'ru\\u000A\\u001B[2Jn'")
        # A file name with a newline is shown escaped too.
        odd = self.write("odd\nname.toml", "[scenario\n")
        self.run_refused(odd, SCENARIO_ERROR, "odd\\u000Aname.toml:1:")
        self.assert_nothing_written("small.toml", "odd\nname.toml", *cases)

    def test_compare_arm_names_refused(self):
        # A newline in an arm's name split the printed table.
        small = self.write("small.toml", SMALL)
        for arm, fragment in (("two\nlines: scenario.steps=3", 'arm name "two\\u000Alines" contains U+000A'),
                              ("a\x1b[2J: scenario.steps=3", 'arm name "a\\u001B[2J" contains U+001B'),
                              ("../x: scenario.steps=3", "arm name \"../x\" contains '.'")):
            with self.subTest(arm=arm):
                result = self.orgsim("compare", small, "--arm", arm, "-o", "out.h5")
                self.assert_refused(result, SCENARIO_ERROR, "--arm: ", fragment)
        result = self.orgsim("compare", small, "--arm", "no colon\n\x1b[2J")
        self.assert_refused(result, OPTION_ERROR, "--arm 'no colon\\u000A\\u001B[2J' is not")
        self.assert_nothing_written("small.toml")

    # ---- sizes refused before per-item work, checks linear ----------------------------------------------

    def test_bytes_that_are_not_utf8_or_break_the_parse_mid_line(self):
        # Bytes that are not UTF-8 in a value and in a key, and a parse error whose own text
        # holds the newline after a broken value (the fuzzer's first find): one line each.
        cases = {
            "latin1_value.toml": SMALL.encode("utf-8") + b'\n[organization]\nnetwork = "r\xe9ng"\n',
            "latin1_key.toml": SMALL.encode("utf-8").replace(b"steps = 5", b"st\xffeps = 3"),
            "broken_bool.toml": SMALL.encode("utf-8") + b"\n[knowledge]\nenabled = t\n",
        }
        for name, data in cases.items():
            with self.subTest(file=name):
                (self.tmp / name).write_bytes(data)
                self.run_refused(self.tmp / name, SCENARIO_ERROR, name)
        self.assert_nothing_written(*cases)

    def test_large_inputs_answered_quickly(self):
        # An impossible sweep: every one of two million values was checked before the point count.
        impossible = self.write("impossible.toml", SMALL + (
            '\n[sweep]\n[sweep.parameters]\n'
            '"knowledge.socialization_rate" = { min = 0, max = 1, steps = 1000000 }\n'
            '"knowledge.code_learning_rate" = { min = 0, max = 1, steps = 1000000 }\n'))
        self.assert_refused(self.orgsim("sweep", impossible, "-o", "out.h5"), SCENARIO_ERROR,
                            "impossible.toml:14:1: the grid design would have more than 10000000 points")
        # A legal sweep of a million values: each checked on one copy of the scenario, not a copy per value
        # holding all of them (70 s to check before; 4 s now in a release build).
        legal = self.write("legal.toml", SMALL + (
            '\n[sweep]\n[sweep.parameters]\n'
            '"knowledge.socialization_rate" = { min = 0, max = 1, steps = 1000000 }\n'))
        checked = self.orgsim("check", legal)
        self.assertEqual(checked.returncode, 0, checked.stderr)
        # Its dry run checks every point again, with its memory need: 250,000 points here (3 s in a
        # release build; a million took 140 s before, 13 s now), to stay within the bound under a sanitizer.
        quarter = self.write("quarter.toml", legal.read_text(encoding="utf-8").replace("1000000", "250000"))
        dry = self.orgsim("sweep", quarter, "--dry-run", "--threads", 1, "-o", "quarter.h5")
        self.assertEqual(dry.returncode, 0, dry.stderr)
        self.assertIn("250000 point(s) x 1 replicate(s) = 250000 runs", dry.stdout)
        # 70,000 departments (16 s before, a quadratic duplicate scan first): refused by their number.
        departments = "".join(f'[[departments]]\nname = "D{d}"\nheadcount = 1\n' for d in range(70000))
        many = self.write("departments.toml", "[scenario]\nsteps = 2\n\n" + departments)
        self.run_refused(many, SCENARIO_ERROR, f"departments.toml:{65534 * 3 + 4}:1: 70000 departments, more than "
                         "the 65534 supported")
        # 20,000 interventions (112 s before, checked pairwise): valid, checked in n log n.
        interventions = "".join(f'[[interventions]]\nname = "p{i}"\nkind = "language_program"\nstart = {4 * i}\n'
                                f'duration = 4\nword = "w{i % 7}"\n' for i in range(20000))
        programmes = self.write("interventions.toml", SMALL.replace("steps = 5", "steps = 80000") + interventions)
        checked = self.orgsim("check", programmes)
        self.assertEqual(checked.returncode, 0, checked.stderr)
        # A one-megabyte unknown key (19 s in the edit distance before): refused with a hint, shown cut.
        key = "k" * (1 << 20)
        long_key = self.write("long_key.toml", SMALL.replace("steps = 5", f"{key} = 5"))
        line = self.run_refused(long_key, SCENARIO_ERROR, "unknown key 'scenario.kkk", "bytes)' (did you mean")
        self.assertLess(len(line), 1000)
        self.assert_nothing_written("impossible.toml", "legal.toml", "quarter.toml", "departments.toml",
                                    "interventions.toml", "long_key.toml")

    def test_swept_integer_beyond_64_bits(self):
        # 1e300 was converted to a 64-bit integer (undefined) and refused as -9223372036854775808.
        scenario = self.write("huge_value.toml", SMALL + (
            '\n[sweep]\n[sweep.parameters]\n"departments.Sales.headcount" = [10, 1e300]\n'))
        result = self.orgsim("sweep", scenario, "-o", "out.h5")
        line = self.assert_refused(result, SCENARIO_ERROR, "huge_value.toml:16:1:",
                                   "swept value departments.Sales.headcount=1e+300 is refused")
        self.assertNotIn("9223372036854775808", line)
        self.assert_nothing_written("huge_value.toml")

    # ---- where the results go -------------------------------------------------------------------------

    def test_scenario_name_stays_a_file_name(self):
        # The name made the default output path: /abs/path, ../../x, a hidden .h5, a newline in a file name.
        outside = self.tmp / "outside"
        outside.mkdir()
        work = outside / "work"
        work.mkdir()
        for name, fragment in ((str(outside / "abs"), "contains '/'"), ("../../x", "contains '.'"),
                               ("", "is empty"), ("a\\nb", "contains U+000A"), (".hidden", "contains '.'")):
            with self.subTest(name=name):
                scenario = self.write("named.toml", SMALL.replace('name = "small"', f'name = "{name}"'))
                for command in ("run", "sweep", "check"):
                    result = self.orgsim_in(work, command, scenario)
                    self.assert_refused(result, SCENARIO_ERROR, "named.toml:2:", "scenario name", fragment)
                self.assertEqual(list(work.iterdir()), [])
                self.assertEqual(sorted(p.name for p in outside.iterdir()), ["work"])
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["named.toml", "outside"])

    def orgsim_in(self, directory, *args):
        """Runs orgsim in `directory` rather than the temporary directory itself."""
        try:
            return subprocess.run([ORGSIM, *map(str, args)], cwd=directory, capture_output=True, text=True,
                                  timeout=self.TIMEOUT)
        except subprocess.TimeoutExpired:
            self.fail(f"orgsim {' '.join(map(str, args))} did not finish within {self.TIMEOUT} s")

    def test_unusable_output_refused_before_any_work(self):
        # `-o ''` ran every replicate and then failed. 2,000 replicates of 2,000 people take minutes, so
        # only a refusal before the first run answers within the bound.
        heavy = self.write("heavy.toml", SMALL.replace("replicates = 1", "replicates = 2000")
                           .replace("steps = 5", "steps = 200").replace("headcount = 20", "headcount = 2000"))
        sweep = self.write("sweep.toml", SMALL.replace("replicates = 1", "replicates = 2000")
                           .replace("steps = 5", "steps = 200").replace("headcount = 20", "headcount = 2000") +
                           '\n[sweep]\n[sweep.parameters]\n"knowledge.socialization_rate" = [0.1, 0.2]\n')
        directory = self.tmp / "results"
        directory.mkdir()
        regular = self.write("a_file", "x\n")
        outputs = {
            "": "the output path is empty",
            str(directory): "output path is a directory",
            str(self.tmp / "missing" / "out.h5"): "does not exist",
            str(regular / "out.h5"): "is not a directory",
        }
        if os.geteuid() != 0:  # root writes anywhere
            locked = self.tmp / "locked"
            locked.mkdir(mode=0o500)
            self.addCleanup(locked.chmod, 0o700)
            outputs[str(locked / "out.h5")] = "is not writable"
        for output, fragment in outputs.items():
            for command in (("run", heavy), ("sweep", sweep), ("compare", heavy, heavy)):
                with self.subTest(output=output, command=command[0]):
                    result = self.orgsim(*command, "-o", output, "--threads", 1)
                    self.assert_refused(result, OUTPUT_ERROR, fragment)
                    self.assertEqual(result.stdout, "", "refused after starting")
        expected = {"heavy.toml", "sweep.toml", "results", "a_file"} | ({"locked"} if os.geteuid() != 0 else set())
        self.assertEqual({p.name for p in self.tmp.iterdir()}, expected)
        self.assertEqual(list(directory.iterdir()), [])
        self.assertFalse(pathlib.Path(self.tmp / "missing").exists())


if __name__ == "__main__":
    import unittest

    unittest.main()
