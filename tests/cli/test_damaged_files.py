"""Damaged results files: cut short or with bytes flipped, never resumed, merged or read as if whole.

What these tests guard (issue 12, point 1). A sweep file is opened in HDF5's single-writer read mode,
which skips HDF5's own check of the file's length for a file still marked as being written (a killed
sweep's), so bytes past the end read as zeros; and resume and merge copy stored chunks as they are,
without decompressing them. Before the fix a killed sweep's file cut to 90, 75 or 50% was "resumed" with
exit 0 and a ledger calling every run done while chunks no longer read, and below 25% the done runs were
silently run again; merge took a shard with flipped bytes. Now:

- a file shorter than its HDF5 metadata says is refused by `--resume`, `merge` and `status` in one line
  naming it truncated, exit 3, and left byte for byte as it was;
- a stored chunk whose Fletcher-32 checksum fails is found: `status` names the damaged runs in one line
  (exit 3), `--resume` runs them again (the finished file bit-identical to a clean sweep's), `merge`
  refuses the shard, and the Python loader raises one line (its command line exits 2).

Run from tests/cli (CTest does this, one test per case):

    ORGSIM=build/release/sim/orgsim ORGSIM_SOURCE_DIR=$PWD/../.. \\
        /usr/bin/python3 -m unittest -v test_damaged_files
"""

import os
import pathlib
import signal
import subprocess
import sys
import unittest

from test_cli import OUTPUT_ERROR, SOURCE_DIR
from test_sweep import LONG, SweepTestCase, scenario_text, sha256

ANALYSIS = pathlib.Path(SOURCE_DIR) / "analysis"
BAD_INPUT = 2  # python3 -m orgsim_analysis: a file it cannot use


def flip_chunk_bytes(path, dataset, run, count=4):
    """Flips `count` bytes in the middle of the stored chunk of `run` in `dataset`; returns its offset."""
    import h5py

    with h5py.File(path, "r", swmr=True) as results:
        stored = results[dataset]
        info = stored.id.get_chunk_info_by_coord((run,) + (0,) * (stored.ndim - 1))
    middle = info.byte_offset + info.size // 2
    with open(path, "r+b") as file:
        file.seek(middle)
        original = file.read(count)
        file.seek(middle)
        file.write(bytes(b ^ 0xFF for b in original))
    return middle


class DamagedFileTest(SweepTestCase):
    TEMP_PREFIX = "orgsim-damaged-"

    def killed_sweep(self, name="killed.h5"):
        """A sweep killed with SIGKILL once some runs are done: its file, marked as still being written."""
        long = self.write("long.toml", LONG)
        killed = self.tmp / name
        process = self.start("sweep", long, "-o", killed, "--threads", "2")
        self.wait_for_done_runs(process, killed, more_than=20)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        self.assertEqual(process.returncode, -signal.SIGKILL)
        return long, killed

    def assert_refused_unchanged(self, path, result, *fragments):
        """One line, exit 3, naming each fragment; the file as it was and no temporary sibling."""
        line = self.assert_one_line_error(result, OUTPUT_ERROR, *fragments)
        leftovers = sorted(p.name for p in path.parent.glob(f"{path.name}.partial*"))
        self.assertEqual(leftovers, [], f"temporary files left beside {path}")
        return line

    def analysis(self, *args):
        env = dict(os.environ, PYTHONPATH=str(ANALYSIS))
        return subprocess.run([sys.executable, "-m", "orgsim_analysis", *map(str, args)], cwd=self.tmp,
                              capture_output=True, text=True, timeout=120, env=env)

    # ---- cut short -------------------------------------------------------------------------------

    def test_truncated_killed_sweep_refused(self):
        """A killed sweep's file grows past its last commit with runs not yet recorded: a cut that only
        takes those bytes leaves the file as a kill at its last commit would have, and it resumes to the
        clean sweep's datasets. A cut into what the last commit accounted for is refused."""
        long, killed = self.killed_sweep()
        reference, _ = self.reference_sweep(long)
        whole = killed.read_bytes()
        refused = 0
        for percent in (90, 75, 50, 20):
            with self.subTest(percent=percent):
                cut = self.tmp / f"cut{percent}.h5"
                cut.write_bytes(whole[:len(whole) * percent // 100])
                before = sha256(cut)
                status = self.orgsim("status", cut)
                result = self.orgsim("sweep", long, "-o", cut, "--threads", "2", "--resume")
                if status.returncode == 0:
                    self.assertEqual(result.returncode, 0, result.stderr)
                    self.assert_same_datasets(cut, reference)
                    continue
                refused += 1
                self.assert_refused_unchanged(cut, status, "truncated")
                line = self.assert_refused_unchanged(cut, result, cut.name, "truncated", "nothing was changed")
                self.assertIn(str(len(whole) * percent // 100), line)
                self.assertEqual(sha256(cut), before, "a refused resume changed the file")
                self.assert_refused_unchanged(cut, self.orgsim("rerun", cut, 0), "truncated")
                self.assert_one_line_error(self.analysis("summary", cut), BAD_INPUT, "truncated")
                self.assertEqual(sha256(cut), before)
        self.assertGreaterEqual(refused, 2, "the cuts to 50% and 20% must be refused")
        # The killed file itself, whole, still resumes.
        self.sweep(long, killed, "--threads", "2", "--resume")
        self.assert_same_datasets(killed, reference)

    def test_truncated_finished_file_refused_everywhere(self):
        scenario = self.write("grid.toml", scenario_text())
        finished = self.tmp / "finished.h5"
        self.sweep(scenario, finished, "--threads", "2")
        whole = finished.read_bytes()
        cut = self.tmp / "cut.h5"
        cut.write_bytes(whole[:len(whole) * 3 // 4])
        before = sha256(cut)
        self.assert_refused_unchanged(cut, self.orgsim("status", cut), "truncated")
        self.assert_refused_unchanged(cut, self.orgsim("sweep", scenario, "-o", cut, "--resume"), "truncated")
        self.assertEqual(sha256(cut), before)
        result = self.analysis("summary", cut)
        self.assert_one_line_error(result, BAD_INPUT, "truncated")

    # ---- flipped bytes ---------------------------------------------------------------------------

    def test_flipped_chunks_run_again_on_resume(self):
        scenario = self.write("grid.toml", scenario_text())
        reference = self.tmp / "reference.h5"
        self.sweep(scenario, reference, "--threads", "2")
        damaged = self.tmp / "damaged.h5"
        damaged.write_bytes(reference.read_bytes())
        # Three runs, each with one observable's chunk damaged in its middle.
        for run, dataset in ((2, "code_knowledge"), (7, "dept_purpose_mean"), (11, "blame_rate")):
            flip_chunk_bytes(damaged, dataset, run)
        before = sha256(damaged)
        status = self.orgsim("status", damaged)
        line = self.assert_one_line_error(status, OUTPUT_ERROR, "damaged", "runs 2, 7, 11")
        self.assertIn("--resume", line)
        self.assertEqual(sha256(damaged), before, "status changed the file")
        # --no-verify reads the ledger alone, as a poll of a running sweep does.
        quick = self.orgsim("status", damaged, "--no-verify")
        self.assertEqual((quick.returncode, quick.stderr), (0, ""))
        # The loader says so in one line; its command line too, with exit 2.
        sys.path.insert(0, str(ANALYSIS))
        self.addCleanup(sys.path.remove, str(ANALYSIS))
        from orgsim_analysis import ResultsFileError, open_results
        with self.assertRaises(ResultsFileError) as raised:
            open_results(damaged)
        self.assertNotIn("\n", str(raised.exception))
        self.assertIn("damaged", str(raised.exception))
        self.assert_one_line_error(self.analysis("summary", damaged), BAD_INPUT, "damaged")
        # Resume runs exactly the damaged runs again, and the file ends as the clean sweep's.
        result = self.sweep(scenario, damaged, "--threads", "2", "--resume")
        self.assertIn("3 to do", result.stdout)
        self.assertIn("runs 2, 7, 11", result.stderr)
        self.assert_same_datasets(damaged, reference)
        self.assertEqual(self.status(damaged)[:3], (18, 0, 0))

    def test_flipped_chunks_in_killed_sweep_run_again(self):
        long, killed = self.killed_sweep()
        import h5py
        import numpy

        with h5py.File(killed, "r", swmr=True) as results:
            done = numpy.flatnonzero(results["status"][()] == 1)
        victims = [int(done[0]), int(done[len(done) // 2])]
        for run in victims:
            flip_chunk_bytes(killed, "purpose_mean", run)
        result = self.sweep(long, killed, "--threads", "2", "--resume")
        self.assertIn(f"runs {victims[0]}, {victims[1]}", result.stderr)
        reference, _ = self.reference_sweep(long)
        self.assert_same_datasets(killed, reference)

    def test_merge_refuses_damaged_shard(self):
        scenario = self.write("grid.toml", scenario_text())
        whole = self.tmp / "whole.h5"
        self.sweep(scenario, whole, "--threads", "2")
        parts = [self.tmp / f"part{i}.h5" for i in range(2)]
        for index, part in enumerate(parts):
            self.sweep(scenario, part, "--shard", f"{index}/2", "--threads", "2")
        flip_chunk_bytes(parts[1], "individual_knowledge", 5)
        before = sha256(parts[1])
        merged = self.tmp / "merged.h5"
        line = self.assert_one_line_error(self.orgsim("merge", *parts, "-o", merged), OUTPUT_ERROR,
                                          "part1.h5", "damaged", "run(s) 5", "--shard 1/2 --resume")
        self.assertIn("nothing was merged", line)
        self.assert_no_output(merged)
        self.assertEqual(sha256(parts[1]), before)
        # Resuming the shard runs the damaged run again; the merge then gives the whole sweep.
        self.sweep(scenario, parts[1], "--shard", "1/2", "--threads", "2", "--resume")
        result = self.orgsim("merge", *parts, "-o", merged)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assert_same_datasets(merged, whole)

    def test_cut_shard_refused_by_merge(self):
        scenario = self.write("grid.toml", scenario_text())
        parts = [self.tmp / f"part{i}.h5" for i in range(2)]
        for index, part in enumerate(parts):
            self.sweep(scenario, part, "--shard", f"{index}/2", "--threads", "2")
        data = parts[0].read_bytes()
        parts[0].write_bytes(data[:len(data) // 2])
        merged = self.tmp / "merged.h5"
        self.assert_one_line_error(self.orgsim("merge", *parts, "-o", merged), OUTPUT_ERROR, "part0.h5",
                                   "truncated", "nothing was merged")
        self.assert_no_output(merged)


if __name__ == "__main__":
    unittest.main()
