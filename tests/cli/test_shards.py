"""`orgsim sweep --shard I/N` and `orgsim merge`, driving the real binary.

What sharding promises: the N shard files of a sweep, each run as its own job
(a job array), merge into a file whose datasets are bit-identical to the sweep
run whole; a killed shard continues with --resume as the same shard; and merge
refuses, on one line and writing nothing, any set of parts that would not give
that file: a missing, repeated or incomplete shard, parts of another scenario
or another cut, a file that is not a shard, an output that exists.

Run from tests/cli (CTest does this, one test per case):

    ORGSIM=build/release/sim/orgsim ORGSIM_SOURCE_DIR=$PWD/../.. /usr/bin/python3 -m unittest -v test_shards
"""

import shutil
import signal
import unittest

from test_cli import OPTION_ERROR, OUTPUT_ERROR
from test_sweep import DONE, LONG, PENDING, SweepTestCase, scenario_text


class ShardTest(SweepTestCase):
    TEMP_PREFIX = "orgsim-shards-"

    def shards(self, scenario, count, stem="part", extra=()):
        parts = []
        for index in range(count):
            part = self.tmp / f"{stem}_{index}.h5"
            result = self.sweep(scenario, part, "--shard", f"{index}/{count}", "--threads", "2", *extra)
            self.assertIn(f"shard {index}/{count}", result.stdout)
            parts.append(part)
        return parts

    def merge(self, parts, output, *extra, expect=0):
        result = self.orgsim("merge", *parts, "-o", output, *extra)
        self.assertEqual(result.returncode, expect, f"stdout {result.stdout!r}\nstderr {result.stderr!r}")
        return result

    def test_merged_shards_equal_whole_sweep(self):
        import h5py

        scenario = self.write("grid.toml", scenario_text(steps=50, replicates=4))  # 24 runs
        whole = self.tmp / "whole.h5"
        self.sweep(scenario, whole, "--threads", "2")
        # 24 runs in 5 shards: uneven (5, 5, 5, 5, 4), so the last shard is smaller.
        parts = self.shards(scenario, 5)
        for index, part in enumerate(parts):
            done, failed, pending, text = self.status(part)
            self.assertEqual((done, failed), (len(range(index, 24, 5)), 0))
            self.assertIn(f"shard {index}/5", text)
            with h5py.File(part, "r") as results:
                status = results["status"][()]
                self.assertEqual([run for run in range(24) if status[run] == DONE], list(range(index, 24, 5)))
        merged = self.tmp / "merged.h5"
        result = self.merge(list(reversed(parts)), merged)  # the order parts are named in does not matter
        self.assertIn("24 done, 0 failed", result.stdout)
        self.assert_same_datasets(merged, whole)
        with h5py.File(merged, "r") as results:
            self.assertNotIn("shard", results.attrs)
        self.assertEqual(self.status(merged)[:3], (24, 0, 0))

    def test_killed_shard_resumes_as_itself(self):
        scenario = self.write("long.toml", LONG)  # 480 runs
        whole = self.tmp / "whole.h5"
        self.sweep(scenario, whole, "--threads", "2")
        part = self.tmp / "part_1.h5"
        process = self.start("sweep", scenario, "-o", part, "--shard", "1/2", "--threads", "2")
        self.read_header(process, 60)
        self.wait_for_done_runs(process, part)
        process.send_signal(signal.SIGKILL)
        process.wait()
        done, _, pending, _ = self.status(part)
        self.assertLess(done, 240)
        # Another shard, or no shard, cannot take the file over.
        for other in (("--shard", "0/2"), ()):
            result = self.orgsim("sweep", scenario, "-o", part, "--resume", *other)
            self.assert_one_line_error(result, OUTPUT_ERROR, "part_1.h5", "shard 1/2")
        result = self.sweep(scenario, part, "--resume", "--shard", "1/2", "--threads", "2")
        self.assertIn(f"; {240 - done} to do)", result.stdout)
        zero = self.tmp / "part_0.h5"
        self.sweep(scenario, zero, "--shard", "0/2", "--threads", "2")
        merged = self.tmp / "merged.h5"
        self.merge([zero, part], merged)
        self.assert_same_datasets(merged, whole)

    def test_merge_refuses_what_would_not_give_the_sweep(self):
        import h5py

        scenario = self.write("grid.toml", scenario_text(steps=20, replicates=2))  # 12 runs
        parts = self.shards(scenario, 3)
        other_cut = self.shards(scenario, 2, stem="halves")
        other_seed = self.write("seed.toml", scenario_text(steps=20, replicates=2, seed=7))
        foreign = self.shards(other_seed, 3, stem="seed")
        whole = self.tmp / "whole.h5"
        self.sweep(scenario, whole)
        incomplete = self.tmp / "incomplete_1.h5"
        shutil.copy(parts[1], incomplete)
        with h5py.File(incomplete, "r+") as results:
            status = results["status"]
            status[4] = PENDING  # run 4 is shard 1's: its result no longer vouched for
        taken = self.write("taken.h5", "someone else's results\n")
        merged = self.tmp / "merged.h5"
        cases = {
            "missing": ([parts[0], parts[2]], merged, (), ("shard 1/3 is missing",)),
            "repeated": ([parts[0], parts[1], parts[1]], merged, (), ("part_1.h5", "shard 1/3 again")),
            "incomplete": ([parts[0], incomplete, parts[2]], merged, (), ("incomplete_1.h5", "1 pending run")),
            "other cut": ([*parts, other_cut[0]], merged, (), ("halves_0.h5", "cut into 2")),
            "other scenario": ([parts[0], foreign[1], parts[2]], merged, (), ("seed_1.h5", "another scenario")),
            "not a shard": ([whole, *parts], merged, (), ("whole.h5", "not a shard")),
            "output exists": (parts, taken, (), ("taken.h5",)),
            "output is a part": (parts, parts[0], ("--force",), ("part_0.h5", "also the output")),
        }
        for case, (given, output, extra, fragments) in cases.items():
            with self.subTest(case=case):
                before = {path.name: path.read_bytes() for path in self.tmp.iterdir() if path.is_file()}
                result = self.orgsim("merge", *given, "-o", output, *extra)
                self.assert_one_line_error(result, OUTPUT_ERROR, *fragments)
                after = {path.name: path.read_bytes() for path in self.tmp.iterdir() if path.is_file()}
                self.assertEqual(after, before, "a refused merge changed or left files")
        self.merge(parts, merged)
        self.assert_same_datasets(merged, whole)

    def test_bad_shard_option(self):
        scenario = self.write("grid.toml", scenario_text(steps=10, replicates=1))
        for value in ("3/3", "1", "a/2", "-1/2", "1/0", "1/2/3"):
            with self.subTest(shard=value):
                result = self.orgsim("sweep", scenario, "-o", self.tmp / "out.h5", "--shard", value)
                self.assert_one_line_error(result, OPTION_ERROR, "--shard", value)
                self.assert_no_output(self.tmp / "out.h5")


if __name__ == "__main__":
    unittest.main()
