"""`mpirun -n K orgsim sweep`, driving the real binary under the real MPI launcher.

What a sweep over ranks promises: rank 0 writes the file and hands out runs,
the other ranks compute them (each on its own threads), and the datasets are
bit-identical to the threaded sweep of the same scenario for any K; a run that
throws on a worker rank is recorded as failed and the sweep goes on (exit 4);
a whole job killed at once continues with --resume, over ranks or on threads,
to the datasets an uninterrupted sweep writes; bad input is reported once,
by one rank, and writes nothing.

Run from tests/cli (CTest does this, one test per case):

    ORGSIM=build/release/sim/orgsim ORGSIM_SOURCE_DIR=$PWD/../.. MPIEXEC=/usr/bin/mpirun \
        /usr/bin/python3 -m unittest -v test_mpi
"""

import os
import random
import signal
import subprocess
import time
import unittest

from test_cli import OPTION_ERROR, ORGSIM, OUTPUT_ERROR, SCENARIO_ERROR
from test_sweep import (DONE, FAILED, INTERRUPTED, LONG, PENDING, SOME_RUNS_FAILED, SweepTestCase, error_texts,
                        scenario_text)

MPIEXEC = os.environ.get("MPIEXEC", "")
# Open MPI refuses root without these, and two cores take more than two ranks only when told.
MPI_ENVIRONMENT = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}
MPI_FLAGS = ("--oversubscribe",)


@unittest.skipUnless(MPIEXEC, "set MPIEXEC to the MPI launcher (CTest does this when orgsim has MPI)")
class MpiSweepTest(SweepTestCase):
    TEMP_PREFIX = "orgsim-mpi-"
    TIMEOUT = 180

    def mpi_command(self, ranks, *args):
        return [MPIEXEC, *MPI_FLAGS, "-n", str(ranks), ORGSIM, *map(str, args)]

    def mpi(self, ranks, *args, env=None, timeout=None):
        environment = {**(env or os.environ), **MPI_ENVIRONMENT}
        try:
            return subprocess.run(self.mpi_command(ranks, *args), cwd=self.tmp, capture_output=True, text=True,
                                  env=environment, timeout=timeout or self.TIMEOUT)
        except subprocess.TimeoutExpired:
            self.fail(f"mpirun -n {ranks} orgsim {' '.join(map(str, args))} did not finish in time")

    def mpi_sweep(self, ranks, scenario, output, *extra, expect=0, env=None):
        result = self.mpi(ranks, "sweep", scenario, "-o", output, *extra, env=env)
        self.assertEqual(result.returncode, expect, f"stdout {result.stdout!r}\nstderr {result.stderr!r}")
        return result

    def orgsim_lines(self, stderr):
        """orgsim's own error lines (the launcher adds its own words around a failed job)."""
        return [line for line in stderr.splitlines() if line.startswith("orgsim")]

    def test_ranks_bit_identical(self):
        scenario = self.write("grid.toml", scenario_text(steps=60, replicates=4))
        reference = self.tmp / "threads.h5"
        self.sweep(scenario, reference, "--threads", "2")
        for ranks, threads in ((2, 1), (3, 1), (3, 2)):
            with self.subTest(ranks=ranks, threads=threads):
                output = self.tmp / f"ranks{ranks}x{threads}.h5"
                result = self.mpi_sweep(ranks, scenario, output, "--threads", threads)
                # One report, from rank 0, naming the workers; the others print nothing.
                self.assertEqual(result.stdout.count("orgsim 0.1.0: sweep"), 1, result.stdout)
                self.assertIn(f"on {ranks - 1} rank(s) x {threads} thread(s)", result.stdout)
                self.assert_same_datasets(output, reference)
                self.assertEqual(list(self.tmp.glob("*.lock")), [])

    def test_failed_runs_on_workers_recorded(self):
        scenario = self.write("grid.toml", scenario_text())
        reference = self.tmp / "threads.h5"
        failing = {**os.environ, "ORGSIM_FAIL_RUNS": "1,4"}
        self.sweep(scenario, reference, "--threads", "2", expect=SOME_RUNS_FAILED, env=failing)
        output = self.tmp / "ranks.h5"
        result = self.mpi_sweep(3, scenario, output, expect=SOME_RUNS_FAILED, env=failing)
        self.assertIn("2 run(s) failed", result.stderr)
        # Every run but the two is done, over ranks as on threads, to the same bytes, messages included.
        self.assert_same_datasets(output, reference)
        import h5py

        with h5py.File(output, "r") as results:
            status = results["status"][()].tolist()
            self.assertEqual(status, [FAILED if run in (1, 4) else DONE for run in range(len(status))])
            self.assertIn("failure injected by ORGSIM_FAIL_RUNS", error_texts(results)[4])

    def kill_job(self, ranks, args, delay):
        """Starts an MPI job and kills every process of it at once (SIGKILL to its process group, as a
        batch system does) after `delay` seconds; returns its exit status (negative: killed)."""
        process = subprocess.Popen(self.mpi_command(ranks, *args), cwd=self.tmp, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env={**os.environ, **MPI_ENVIRONMENT},
                                   start_new_session=True)
        self.addCleanup(lambda: process.poll() is None and os.killpg(process.pid, signal.SIGKILL))
        deadline = time.monotonic() + delay
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        # No rank outlives the job: the next sweep takes the file over.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            survivors = subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True, text=True)
            if not survivors.stdout.strip():
                break
            time.sleep(0.05)
        else:
            self.fail(f"processes of the killed job still run: {survivors.stdout!r}")
        return process.returncode

    def test_killed_job_resumes(self):
        scenario = self.write("long.toml", LONG)
        reference, wall = self.reference_sweep(scenario)
        expected = self.load_per_run(reference)
        rng = random.Random(20241123)
        # Killed mid-sweep, then resumed: over ranks the first time, on threads the second.
        for resume_with in ("ranks", "threads"):
            with self.subTest(resume_with=resume_with):
                output = self.tmp / f"killed_{resume_with}.h5"
                args = ("sweep", scenario, "-o", output, "--threads", "1")
                killed_at = None
                for attempt in range(8):
                    # MPI start-up takes a while; a fraction of the sweep's own time after it.
                    delay = 1.0 + rng.uniform(0.3, 0.7) * wall * 1.5 * (0.7 ** attempt)
                    status = self.kill_job(3, args, delay)
                    if status != 0 and output.exists():
                        done, failed, pending, _ = self.status(output)
                        if done > 0 and pending > 0:
                            killed_at = (done, pending)
                            break
                    if output.exists():
                        output.unlink()
                self.assertIsNotNone(killed_at, "no kill landed while runs were being recorded")
                self.assert_done_rows_match(output, expected)
                done, pending = killed_at
                if resume_with == "ranks":
                    result = self.mpi_sweep(3, scenario, output, "--resume")
                else:
                    result = self.sweep(scenario, output, "--resume", "--threads", "2")
                self.assertIn(f"; {pending} to do)", result.stdout)
                self.assert_same_datasets(output, reference)
                self.assertEqual(self.status(output)[:3], (done + pending, 0, 0))

    def test_sigusr1_stops_job_cleanly(self):
        scenario = self.write("long.toml", LONG)
        reference, _ = self.reference_sweep(scenario)
        expected = self.load_per_run(reference)
        output = self.tmp / "stopped.h5"
        # mpirun passes SIGUSR1 on to every rank (SIGTERM and SIGINT it answers by killing the job).
        process = subprocess.Popen(self.mpi_command(3, "sweep", scenario, "-o", output), cwd=self.tmp,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, **MPI_ENVIRONMENT}, start_new_session=True)
        self.addCleanup(lambda: process.poll() is None and os.killpg(process.pid, signal.SIGKILL))
        self.wait_for_done_runs(process, output)
        process.send_signal(signal.SIGUSR1)
        _, stderr = process.communicate(timeout=120)
        self.assertEqual(process.returncode, INTERRUPTED, stderr)
        lines = self.orgsim_lines(stderr)
        self.assertEqual(len(lines), 1, stderr)
        self.assertIn("interrupted", lines[0])
        self.assertIn("--resume", lines[0])
        # Closed properly (no single-writer flag left): runs done hold the reference's rows, the rest nothing.
        status = self.assert_done_rows_match(output, expected, swmr=False, pending_empty=True)
        self.assertIn(PENDING, status)
        self.mpi_sweep(3, scenario, output, "--resume")
        self.assert_same_datasets(output, reference)

    def test_bad_options_reported_once(self):
        scenario = self.write("grid.toml", scenario_text())
        cases = {
            "unknown option": (("sweep", scenario, "--bogus"), OPTION_ERROR, "--bogus"),
            "bad shard": (("sweep", scenario, "--shard", "4/4"), OPTION_ERROR, "--shard"),
            "not a sweep": (("merge", "a.h5", "b.h5", "-o", "c.h5"), OPTION_ERROR, "without mpirun"),
        }
        for case, (args, status, fragment) in cases.items():
            with self.subTest(case=case):
                result = self.mpi(3, *args)
                self.assertEqual(result.returncode, status, result.stderr)
                lines = self.orgsim_lines(result.stderr)
                self.assertEqual(len(lines), 1, result.stderr)
                self.assertIn(fragment, lines[0])
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["grid.toml"])
        help_text = self.mpi(3, "sweep", "--help")
        self.assertEqual(help_text.returncode, 0, help_text.stderr)
        self.assertEqual(help_text.stdout.count("orgsim sweep SCENARIO [options]"), 1, help_text.stdout)

    def test_bad_scenario_reported_once(self):
        scenario = self.write("bad.toml", scenario_text().replace("steps = 40", "steps = -3"))
        output = self.tmp / "bad.h5"
        result = self.mpi(3, "sweep", scenario, "-o", output)
        self.assertEqual(result.returncode, SCENARIO_ERROR, result.stderr)
        lines = self.orgsim_lines(result.stderr)
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("bad.toml", lines[0])
        self.assertIn("scenario.steps", lines[0])
        self.assert_no_output(output)
        self.assertEqual(list(self.tmp.glob("*.lock")), [])

    def test_existing_output_refused_over_ranks(self):
        scenario = self.write("grid.toml", scenario_text())
        output = self.write("taken.h5", "someone else's results\n")
        before = output.read_bytes()
        result = self.mpi(3, "sweep", scenario, "-o", output)
        self.assertEqual(result.returncode, OUTPUT_ERROR, result.stderr)
        lines = self.orgsim_lines(result.stderr)
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("taken.h5", lines[0])
        self.assertEqual(output.read_bytes(), before)
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["grid.toml", "taken.h5"])


if __name__ == "__main__":
    unittest.main()
