"""`orgsim sweep` and `orgsim status`, driving the real binary.

What a sweep promises: every point of the scenario's [sweep] design, each
replicated, in one results file (run = point * replicates + replicate) whose
datasets do not multiply with the runs; a run's seed depends only on the
scenario seed, its point and its replicate; the file is valid at every moment,
so a sweep killed anywhere continues with --resume to the very bytes an
uninterrupted sweep writes; SIGTERM and SIGINT stop it cleanly (exit 130);
failed runs are recorded and the sweep goes on (exit 4); and a file that is not
this scenario's, or not readable, is refused and left exactly as it was.

Run from tests/cli (CTest does this, one test per case):

    ORGSIM=build/release/sim/orgsim ORGSIM_SOURCE_DIR=$PWD/../.. \
        /usr/bin/python3 -m unittest -v test_sweep

Standard library plus h5py, numpy and xarray (with netCDF4).
"""

import hashlib
import itertools
import json
import os
import pathlib
import random
import re
import select
import signal
import subprocess
import sys
import time
import unittest

from test_cli import (HDF5_SIGNATURE, ORGSIM, OPTION_ERROR, OUTPUT_ERROR, SCENARIO_ERROR, OrgsimTestCase,
                      attribute_text)

INTERRUPTED = 130  # SIGINT / SIGTERM: runs in flight finished, file closed, --resume continues
SOME_RUNS_FAILED = 4
PENDING, DONE, FAILED = 0, 1, 2

# Datasets that label dimensions rather than hold results.
SCALES = {"run", "step", "department", "error_character", "design_point", "parameter"}

SWEPT = ("knowledge.socialization_rate", "departments.Sales.incentive_weight")
# In file order; the TOML reader sorts keys, so the first key sorts after the second on purpose.
GRID = {SWEPT[0]: "[0.1, 0.5]", SWEPT[1]: "{ min = 0, max = 0.6, steps = 3 }"}
GRID_VALUES = ([0.1, 0.5], [0.0 + i / 2 * (0.6 - 0.0) for i in range(3)])


def scenario_text(*, steps=40, replicates=3, parameters=None, design="grid", sweep_extra="", seed=20240611,
                  name="sweep_small"):
    """Two departments of 60 and 40 people and a [sweep] section; `parameters` in file order."""
    parameters = GRID if parameters is None else parameters
    lines = [f'"{key}" = {value}' for key, value in parameters.items()]
    return (f'[scenario]\nname = "{name}"\nsteps = {steps}\nreplicates = 1\nseed = {seed}\n\n'
            '[[departments]]\nname = "Sales"\nheadcount = 60\n\n'
            '[[departments]]\nname = "Operations"\nheadcount = 40\n\n'
            f'[sweep]\ndesign = "{design}"\nreplicates = {replicates}\n{sweep_extra}\n'
            '[sweep.parameters]\n' + "\n".join(lines) + "\n")


# Long enough for signals to land mid-sweep, also after the ledger's first commits (a quarter of a
# second in, and every quarter second): 6 points x 80 replicates of 120 steps, about a second in a
# release build on two threads.
LONG = scenario_text(steps=120, replicates=80, name="sweep_long")


def sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def error_texts(results):
    """The fixed-length `error` characters, one string per run."""
    return [b"".join(row).rstrip(b"\0").decode("utf-8") for row in results["error"][()]]


class SweepTestCase(OrgsimTestCase):
    """What the sweep tests share: running sweeps and comparing their files."""
    TEMP_PREFIX = "orgsim-sweep-"
    TIMEOUT = 120

    def start(self, *args):
        """Starts orgsim in the background; killed at the end of the test if still running."""
        process = subprocess.Popen([ORGSIM, *map(str, args)], cwd=self.tmp, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: (process.poll() is None and process.kill(), process.wait()))
        return process

    def sweep(self, scenario, output, *extra, expect=0, env=None):
        result = self.orgsim("sweep", scenario, "-o", output, *extra, env=env)
        self.assertEqual(result.returncode, expect, f"stdout {result.stdout!r}\nstderr {result.stderr!r}")
        return result

    def assert_no_output(self, output):
        """Neither the results file nor any temporary sibling exists."""
        output = pathlib.Path(output)
        self.assertFalse(output.exists(), f"{output} was created by a failing sweep")
        leftovers = sorted(p.name for p in output.parent.glob(f"{output.name}.partial*"))
        self.assertEqual(leftovers, [], f"temporary files left in {output.parent}")

    def status(self, path):
        """`orgsim status FILE` -> (done, failed, pending, output); it must succeed."""
        result = self.orgsim("status", path)
        self.assertEqual(result.returncode, 0, f"orgsim status {path}: {result.stderr!r}")
        match = re.search(r"(\d+) run\(s\): (\d+) done, (\d+) failed, (\d+) pending", result.stdout)
        self.assertIsNotNone(match, f"unexpected status output {result.stdout!r}")
        total, done, failed, pending = map(int, match.groups())
        self.assertEqual(done + failed + pending, total, result.stdout)
        return done, failed, pending, result.stdout

    @staticmethod
    def observables(results):
        """The per-run results along step: float datasets [run, step(, department)]."""
        return {name: dataset for name, dataset in OrgsimTestCase.datasets(results).items()
                if dataset.ndim >= 2 and dataset.dtype.kind == "f" and name != "design"}

    def assert_same_datasets(self, path, reference, *, swmr=False):
        """Every dataset of `path` bit-identical to the same dataset of `reference`."""
        import h5py

        with h5py.File(path, "r", swmr=swmr) as one, h5py.File(reference, "r") as two:
            first, second = self.datasets(one), self.datasets(two)
            self.assertEqual(sorted(first), sorted(second))
            self.assertIn("seed", first)
            for name in sorted(first):
                with self.subTest(dataset=name):
                    self.assert_arrays_identical(first[name][()], second[name][()], name)

    def load_per_run(self, reference):
        """The reference's per-run datasets in memory: name -> (array, is an observable)."""
        import h5py

        with h5py.File(reference, "r") as full:
            observables = self.observables(full)
            return {name: (dataset[()], name in observables) for name, dataset in self.datasets(full).items()
                    if name not in SCALES and name != "design"}

    def assert_done_rows_match(self, path, reference, *, swmr=True, pending_empty=False):
        """A file stopped early: the runs its ledger calls done hold exactly the reference's rows (and with
        `pending_empty`, the runs it calls pending hold no results). Returns the statuses. `reference` is
        a file or what load_per_run read from one.

        After a kill, a pending run may hold results written but not yet vouched for by the ledger: its
        status is what says it must be run again."""
        import h5py
        import numpy

        expected = reference if isinstance(reference, dict) else self.load_per_run(reference)
        with h5py.File(path, "r", swmr=swmr) as partial:
            status = partial["status"][()]
            self.assertTrue(set(numpy.unique(status).tolist()) <= {PENDING, DONE}, f"statuses {status}")
            done = numpy.flatnonzero(status == DONE)
            pending = numpy.flatnonzero(status == PENDING)
            for name, (values, observable) in expected.items():
                with self.subTest(dataset=name):
                    got = partial[name][()]
                    self.assert_arrays_identical(got[done], values[done], f"{name} (runs done)")
                    if pending_empty and observable:
                        self.assertTrue(numpy.isnan(got[pending]).all(), f"{name}: a pending run has results")
        return status

    def reference_sweep(self, scenario):
        """The uninterrupted sweep and its wall time."""
        reference = self.tmp / "reference.h5"
        started = time.monotonic()
        self.sweep(scenario, reference, "--threads", "2")
        return reference, time.monotonic() - started

    def wait_for_done_runs(self, process, output, more_than=0, timeout=60):
        """Returns once the ledger of a running sweep records more than `more_than` runs done."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.assertIsNone(process.poll(), "the sweep ended before it could be stopped; make it longer")
            if output.exists():
                result = self.orgsim("status", output, "--no-verify")
                match = re.search(r"(\d+) done", result.stdout)
                if result.returncode == 0 and match and int(match.group(1)) > more_than:
                    return
            time.sleep(0.02)
        self.fail(f"no more than {more_than} runs were recorded done within {timeout} s")

    def read_header(self, process, timeout):
        """The first line a sweep prints, once its file is set up (after a resume's copy); "" if it died."""
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        if not ready:
            self.fail(f"the sweep printed nothing within {timeout} s")
        return process.stdout.readline()


class SweepTest(SweepTestCase):
    # ---- layout ----------------------------------------------------------------------------------

    def test_grid_layout(self):
        import h5py
        import numpy
        import xarray

        steps, replicates = 40, 3
        scenario = self.write("grid.toml", scenario_text(steps=steps, replicates=replicates))
        output = self.tmp / "grid.h5"
        result = self.sweep(scenario, output, "--threads", "2")
        self.assertIn("6 point(s) x 3 replicate(s) = 18 runs", result.stdout)

        expected_points = [list(point) for point in itertools.product(*GRID_VALUES)]  # last parameter fastest
        points, runs = len(expected_points), len(expected_points) * replicates
        with h5py.File(output, "r") as results:
            self.assertEqual(results["run"][()].tolist(), list(range(runs)))
            self.assertEqual(results["step"][()].tolist(), list(range(steps + 1)))
            self.assertEqual([attribute_text(name) for name in results["department"][()]], ["Sales", "Operations"])
            for name in ("seed", "replicate", "point", "equilibrium_step", "status", *SWEPT):
                self.assertEqual(results[name].shape, (runs,), name)
            self.assertEqual(results["point"][()].tolist(), [run // replicates for run in range(runs)])
            self.assertEqual(results["replicate"][()].tolist(), [run % replicates for run in range(runs)])
            self.assertEqual(results["status"][()].tolist(), [DONE] * runs)
            self.assertEqual(error_texts(results), [""] * runs)

            # The design matrix: the grid in file order of the parameters, last parameter fastest.
            self.assertEqual([attribute_text(name) for name in results["parameter"][()]], list(SWEPT))
            self.assertEqual(results["design_point"][()].tolist(), list(range(points)))
            design = results["design"][()]
            self.assertEqual(design.shape, (points, len(SWEPT)))
            numpy.testing.assert_allclose(design, numpy.array(expected_points), rtol=0, atol=1e-12)
            self.assertEqual(design[:, 0].tolist(), [0.1, 0.1, 0.1, 0.5, 0.5, 0.5])  # the list, exactly

            # Each run carries its point's values, exactly as the design matrix has them.
            for column, key in enumerate(SWEPT):
                values = results[key][()]
                self.assertEqual(values.tolist(), [design[run // replicates, column] for run in range(runs)], key)

            problem = json.loads(attribute_text(results.attrs["salib_problem"]))
            self.assertEqual(problem["num_vars"], 2)
            self.assertEqual(problem["names"], list(SWEPT))
            numpy.testing.assert_allclose(problem["bounds"], [[0.1, 0.5], [0.0, 0.6]], rtol=0, atol=1e-12)
            self.assertEqual(attribute_text(results.attrs["sweep_design"]), "grid")
            self.assertEqual(attribute_text(results.attrs["sweep_replicates"]), "3")

            # Observables: [run, step] and [run, step, department], chunked and compressed.
            observables = self.observables(results)
            self.assertGreater(len(observables), 10)
            for name, dataset in observables.items():
                with self.subTest(observable=name):
                    self.assertIn(dataset.shape, ((runs, steps + 1), (runs, steps + 1, 2)))
                    # docs/sweeps.md: one run per chunk, shuffle and deflate.
                    self.assertIsNotNone(dataset.chunks, f"{name} is not chunked")
                    self.assertEqual(dataset.chunks[0], 1, f"{name}: chunks {dataset.chunks}")
                    self.assertEqual(dataset.compression, "gzip", f"{name} is not compressed")
                    self.assertTrue(dataset.shuffle, f"{name}: no shuffle filter")
            for name in ("code_knowledge", "individual_knowledge", "purpose_mean", "dept_knowledge"):
                self.assertTrue(numpy.isfinite(results[name][()]).all(), f"{name} lacks results")
            # Leadership is off in a bare scenario: its observables hold the fill value, not computed values.
            self.assertTrue(numpy.isnan(results["trust_mean"][()]).all())
            dataset_count = len(self.datasets(results))

        with xarray.open_dataset(output, engine="netcdf4") as data:
            self.assertEqual(data.sizes["run"], runs)
            self.assertEqual(data.sizes["step"], steps + 1)
            self.assertEqual(data.sizes["department"], 2)
            self.assertEqual(data["run"].values.tolist(), list(range(runs)))
            self.assertEqual(data["department"].values.tolist(), ["Sales", "Operations"])
            self.assertEqual(data["trust_mean"].dims, ("run", "step"))
            self.assertEqual(data["dept_trust_mean"].dims, ("run", "step", "department"))
            for key in SWEPT:
                self.assertEqual(data[key].dims, ("run",), key)
            self.assertEqual(data["design"].dims, ("design_point", "parameter"))
            self.assertEqual(data["parameter"].values.tolist(), list(SWEPT))
            selected = data["dept_trust_mean"].sel(department="Operations", step=steps)
            self.assertEqual(selected.dims, ("run",))

        # The number of datasets does not grow with the runs.
        many = self.write("many.toml", scenario_text(steps=steps, replicates=30))
        many_output = self.tmp / "many.h5"
        self.sweep(many, many_output, "--threads", "2")
        with h5py.File(many_output, "r") as results:
            self.assertEqual(results["run"].shape, (points * 30,))
            self.assertEqual(len(self.datasets(results)), dataset_count)
            with h5py.File(output, "r") as few:
                self.assertEqual(sorted(results), sorted(few))

    # ---- seeds and reproducibility ----------------------------------------------------------------

    def test_seeds_depend_on_point_and_replicate(self):
        import h5py

        replicates = 3
        first = self.write("first.toml", scenario_text(
            replicates=replicates, parameters={SWEPT[0]: "[0.1, 0.5]", SWEPT[1]: "[0.2]"}))
        second = self.write("second.toml", scenario_text(
            replicates=replicates, parameters={SWEPT[0]: "[0.3, 0.5, 0.9]", SWEPT[1]: "[0.4]"}))
        outputs = {name: self.tmp / f"{name}.h5" for name in ("first", "second")}
        self.sweep(first, outputs["first"], "--threads", "2")
        self.sweep(second, outputs["second"], "--threads", "2")

        with h5py.File(outputs["first"], "r") as one, h5py.File(outputs["second"], "r") as two:
            def seeds(results):
                return {(int(p), int(r)): int(s) for p, r, s in
                        zip(results["point"][()], results["replicate"][()], results["seed"][()], strict=True)}

            a, b = seeds(one), seeds(two)
            self.assertEqual(len(a), 2 * replicates)
            self.assertEqual(len(b), 3 * replicates)
            self.assertEqual(len(set(a.values())), len(a), "two runs of one sweep share a seed")
            self.assertEqual(len(set(b.values())), len(b), "two runs of one sweep share a seed")
            for key, seed in a.items():
                self.assertEqual(b[key], seed, f"(point, replicate) {key}: the seed depends on the design")
            # The points' values differ, so their results differ (the seeds alone do not make them).
            self.assertTrue(any(one[name][0].tobytes() != two[name][0].tobytes()
                                for name in self.observables(one)), "point 0 gave the same results")

            # `orgsim run` at point 0's values runs point 0: the same seeds and results, bit for bit.
            design = one["design"][()]
            assignments = []
            for column, key in enumerate(SWEPT):
                assignments += ["--set", f"{key}={design[0, column]!r}"]
            single = self.tmp / "single.h5"
            result = self.orgsim("run", first, "-o", single, "--replicates", replicates, "--threads", "2",
                                 *assignments)
            self.assertEqual(result.returncode, 0, result.stderr)
            with h5py.File(single, "r") as run:
                self.assertEqual(run["run"].shape, (replicates,))
                self.assertEqual(run["seed"][()].tolist(), one["seed"][:replicates].tolist())
                compared = 0
                for name, dataset in self.datasets(run).items():
                    if name in SCALES:
                        continue
                    self.assertIn(name, one, f"the sweep file lacks {name}")
                    with self.subTest(dataset=name):
                        self.assert_arrays_identical(dataset[()], one[name][:replicates], name)
                    compared += 1
                self.assertGreater(compared, 10)

    def test_threads_bit_identical(self):
        import h5py

        scenario = self.write("grid.toml", scenario_text(steps=60, replicates=4))
        outputs = {}
        for threads in (1, 2):
            outputs[threads] = self.tmp / f"threads{threads}.h5"
            result = self.sweep(scenario, outputs[threads], "--threads", threads)
            self.assertIn(f"on {threads} thread(s)", result.stdout)
        self.assert_same_datasets(outputs[1], outputs[2])
        with h5py.File(outputs[1], "r") as one, h5py.File(outputs[2], "r") as two:
            self.assertEqual(one["run"].shape, (24,))
            ignored = {"command_line", "created"}
            self.assertEqual(sorted(one.attrs), sorted(two.attrs))
            for key in sorted(set(one.attrs) - ignored):
                with self.subTest(attribute=key):
                    self.assertEqual(one.attrs[key], two.attrs[key])

    # ---- interruptions -----------------------------------------------------------------------------

    def test_sigkill_resume_bit_identical(self):
        import h5py

        scenario = self.write("long.toml", LONG)
        reference, wall = self.reference_sweep(scenario)
        expected = self.load_per_run(reference)
        runs = expected["status"][0].shape[0]
        output = self.tmp / "killed.h5"
        rng = random.Random(20240611)
        # The first kill very early (perhaps before the file exists); one while a resume copies the file;
        # the others while runs are computed, written and committed, at random fractions of the time
        # the pending runs should take, one from each stratum so that they spread over it.
        strata = [(0.1, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9)]
        rng.shuffle(strata)
        strata.sort(key=lambda stratum: stratum[0] > 0.6)  # the latest kill not first: it leaves little to do
        plan = ["early", "running", "running", "setup", "running", "running"]
        wanted_kills = len(plan)
        kills, attempts, restarts = 0, 0, 0
        done_so_far, pending, setup = 0, runs, None
        history = []  # (resumed?, phase, delay in s, exit status[, runs done]) per attempt
        timeout = max(120, 30 * wall)
        while True:
            attempts += 1
            if attempts > 60:
                self.fail(f"the sweep did not complete within 60 attempts: {history}")
            resume = output.exists()
            if attempts == 1:
                self.assertFalse(resume)
            args = ["sweep", scenario, "-o", output, "--threads", "2", *(("--resume",) if resume else ())]
            if kills >= wanted_kills:
                result = self.orgsim(*args, timeout=timeout)
                history.append((resume, "to the end", result.returncode))
                self.assertEqual(result.returncode, 0, f"{history}\nstderr {result.stderr!r}")
                self.assertIn(f"; {pending} to do)", result.stdout, history)
                break
            phase = plan[kills]
            if phase == "setup" and not (resume and setup is not None):
                phase = "running"
            if phase == "early":
                delay = rng.uniform(0.0, 0.03)
            elif phase == "setup":
                delay = rng.uniform(0.1, 0.9) * setup
            else:
                delay = rng.uniform(*strata[len([h for h in history if h[1] == "running"]) % len(strata)])
                delay *= wall * max(pending / runs, 0.05)
            started = time.monotonic()
            process = self.start(*args)
            if phase == "running":
                header = self.read_header(process, timeout)
                if header and resume:
                    setup = time.monotonic() - started
                    self.assertIn(f"; {pending} to do)", header, history)
            deadline = time.monotonic() + delay
            while process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)
            ended = time.monotonic()
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            try:
                _, stderr = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.fail(f"the sweep did not end: {history}")
            history.append((resume, phase, round(delay, 3), process.returncode))
            if process.returncode == 0:
                # Finished before the kill: the reference ran on a busier machine (CTest runs tests side by
                # side). Take the time this attempt took as the measure and start again afresh.
                wall = min(wall, (ended - started) * runs / max(pending, 1))
                self.assert_same_datasets(output, reference)
                restarts += 1
                self.assertLess(restarts, 5, f"the sweep keeps finishing before the kill: {history}")
                output.unlink()
                done_so_far, pending = 0, runs
                continue
            self.assertEqual(process.returncode, -signal.SIGKILL, f"{history}\nstderr {stderr!r}")
            if not output.exists():
                self.assertEqual(done_so_far, 0, f"a killed resume removed the file: {history}")
                continue
            # Valid after every kill: `orgsim status` reads it, done never goes back, done runs hold the
            # reference's rows exactly and pending runs nothing.
            done, failed, pending, _ = self.status(output)
            self.assertEqual((done + pending, failed), (runs, 0), history)
            self.assertGreaterEqual(done, done_so_far, f"recorded runs were lost: {history}")
            status = self.assert_done_rows_match(output, expected)
            self.assertEqual(int((status == DONE).sum()), done)
            history[-1] += (done,)
            done_so_far = done

        self.assertGreaterEqual(kills, 5, history)
        print(f"\nreference {wall:.2f} s; attempts: {history}", file=sys.stderr)
        self.assert_same_datasets(output, reference)
        done, failed, pending, _ = self.status(output)
        self.assertEqual((done, failed, pending), (runs, 0, 0))
        with h5py.File(output, "r") as results:
            self.assertEqual(results["status"][()].tolist(), [DONE] * runs)
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["killed.h5", "long.toml", "reference.h5"])

    def stop(self, process, number):
        """Sends SIGTERM or SIGINT: exit 130, the last line of stderr says how to continue."""
        process.send_signal(number)
        try:
            stdout, stderr = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.fail(f"the sweep did not stop within 60 s of {number.name}")
        self.assertEqual(process.returncode, INTERRUPTED, f"stdout {stdout!r}\nstderr {stderr!r}")
        last = stderr.rstrip("\n").splitlines()[-1]
        self.assertIn("interrupted", last)
        self.assertIn("--resume", last)

    def assert_stopped_cleanly(self, output, expected):
        """Closed properly: h5py opens it without single-writer mode; some runs done, some pending, the
        done ones as in the reference and the pending ones empty; `orgsim status` agrees."""
        import h5py

        with h5py.File(output, "r") as results:
            status = results["status"][()]
        self.assertIn(DONE, status)
        self.assertIn(PENDING, status)
        self.assert_done_rows_match(output, expected, swmr=False, pending_empty=True)
        done, failed, pending, _ = self.status(output)
        self.assertEqual((done, failed, pending), (int((status == DONE).sum()), 0, int((status == PENDING).sum())))
        self.assertEqual(list(self.tmp.glob("*.partial*")), [])
        return done, pending

    def test_sigterm_leaves_valid_file(self):
        import h5py
        import numpy

        scenario = self.write("long.toml", LONG)
        reference, _ = self.reference_sweep(scenario)
        expected = self.load_per_run(reference)
        output = self.tmp / "stopped.h5"
        process = self.start("sweep", scenario, "-o", output, "--threads", "2")
        self.wait_for_done_runs(process, output)
        self.stop(process, signal.SIGTERM)
        done, pending = self.assert_stopped_cleanly(output, expected)

        # A resumed sweep stopped with SIGINT (Ctrl-C), the same.
        process = self.start("sweep", scenario, "-o", output, "--threads", "2", "--resume")
        self.assertIn(f"; {pending} to do)", self.read_header(process, 60))
        self.wait_for_done_runs(process, output, more_than=done)
        self.stop(process, signal.SIGINT)
        done, pending = self.assert_stopped_cleanly(output, expected)

        result = self.sweep(scenario, output, "--threads", "2", "--resume")
        self.assertIn(f"; {pending} to do)", result.stdout)
        self.assert_same_datasets(output, reference)
        with h5py.File(output, "r") as results:
            self.assertTrue(numpy.all(results["status"][()] == DONE))

    # ---- failures ----------------------------------------------------------------------------------

    def test_failed_runs_recorded(self):
        import h5py
        import numpy

        scenario = self.write("grid.toml", scenario_text())
        reference = self.tmp / "reference.h5"
        self.sweep(scenario, reference, "--threads", "2")
        output = self.tmp / "failing.h5"
        result = self.sweep(scenario, output, "--threads", "2", expect=SOME_RUNS_FAILED,
                            env={**os.environ, "ORGSIM_FAIL_RUNS": "1,4"})
        self.assertIn("2 run(s) failed", result.stderr)
        self.assertIn("orgsim status", result.stderr)

        failed_runs = [1, 4]
        message = "failure injected by ORGSIM_FAIL_RUNS"
        with h5py.File(output, "r") as results, h5py.File(reference, "r") as full:
            runs = results["run"].shape[0]
            status = results["status"][()].tolist()
            self.assertEqual(status, [FAILED if run in failed_runs else DONE for run in range(runs)])
            errors = error_texts(results)
            for run in range(runs):
                if run in failed_runs:
                    self.assertIn(message, errors[run], f"run {run}")
                else:
                    self.assertEqual(errors[run], "", f"run {run}")
            ok = [run for run in range(runs) if run not in failed_runs]
            for name, dataset in self.datasets(full).items():
                if name in SCALES or name in ("design", "status", "error"):
                    continue
                with self.subTest(dataset=name):
                    got, expected = results[name][()], dataset[()]
                    self.assert_arrays_identical(got[ok], expected[ok], f"{name} (runs that succeeded)")
                    if name in self.observables(full):
                        self.assertTrue(numpy.isnan(got[failed_runs]).all(), f"{name}: a failed run has results")
            # A failed run's identity is recorded all the same.
            for name in ("seed", "point", "replicate", *SWEPT):
                self.assert_arrays_identical(results[name][failed_runs], full[name][failed_runs], name)
            # ...and a failed run never reached an equilibrium.
            self.assertEqual(results["equilibrium_step"][failed_runs].tolist(), [-1, -1])

        done, failed, pending, text = self.status(output)
        self.assertEqual((done, failed, pending), (runs - 2, 2, 0))
        for run in failed_runs:
            self.assertRegex(text, rf"(?m)^.*\brun {run}\b.*{re.escape(message)}")

        # --resume (without the injected failures) either runs the failed runs again, to the reference's
        # results and exit 0, or leaves them failed and says so with exit 4: never exit 0 with failures.
        result = self.orgsim("sweep", scenario, "-o", output, "--threads", "2", "--resume")
        done, failed, pending, _ = self.status(output)
        shown = f"exit {result.returncode}, {done} done, {failed} failed; stderr {result.stderr!r}"
        if result.returncode == 0:
            self.assertEqual((done, failed, pending), (runs, 0, 0), shown)
            self.assert_same_datasets(output, reference)
        else:
            self.assertEqual(result.returncode, SOME_RUNS_FAILED, shown)
            self.assertEqual((done, failed, pending), (runs - 2, 2, 0), shown)
            self.assertIn("failed", result.stderr)

    def test_resume_copies_only_recorded_runs(self):
        import h5py

        scenario = self.write("grid.toml", scenario_text())
        unvouched = [2, 9, 10, 17]
        failing_env = {**os.environ, "ORGSIM_FAIL_RUNS": ",".join(map(str, unvouched))}
        # What the resumed file must equal: the same runs failing in a sweep never interrupted.
        expected = self.tmp / "expected.h5"
        self.sweep(scenario, expected, "--threads", "2", expect=SOME_RUNS_FAILED, env=failing_env)
        # A file whose ledger calls some runs pending while their rows hold results, as a kill between
        # writing runs and committing them leaves it.
        output = self.tmp / "resumed.h5"
        self.sweep(scenario, output, "--threads", "2")
        with h5py.File(output, "r+") as results:
            status = results["status"][()]
            status[unvouched] = PENDING
            results["status"][()] = status
        # Resumed, those runs fail: nothing of their old rows may survive.
        result = self.sweep(scenario, output, "--threads", "2", "--resume", expect=SOME_RUNS_FAILED,
                            env=failing_env)
        self.assertIn(f"; {len(unvouched)} to do)", result.stdout)
        self.assert_same_datasets(output, expected)
        # ...and the file stores no more than the uninterrupted one: no chunk for a run without results.
        with h5py.File(output, "r") as resumed, h5py.File(expected, "r") as uninterrupted:
            runs = resumed["run"].shape[0]
            for name, dataset in self.observables(resumed).items():
                with self.subTest(dataset=name):
                    self.assertEqual(dataset.id.get_num_chunks(), runs - len(unvouched))
            for name, dataset in self.datasets(resumed).items():
                with self.subTest(dataset=name):
                    self.assertEqual(dataset.id.get_storage_size(), uninterrupted[name].id.get_storage_size())
        # The resumed file's metadata is laid out in another order (it is built aside, then switched to
        # single-writer mode), which with checksummed chunks can take a few hundred bytes more; a chunk for a
        # run without results, which would take kilobytes, is what the checks above rule out.
        self.assertLessEqual(output.stat().st_size, expected.stat().st_size + 1024)

    # ---- refusals ----------------------------------------------------------------------------------

    def assert_resume_refused(self, scenario, output, *extra, fragments=(), exit_code=OUTPUT_ERROR):
        """--resume refused with a one-line error; the file and the directory exactly as they were."""
        digest, stat, listing = sha256(output), output.stat(), sorted(p.name for p in self.tmp.iterdir())
        result = self.orgsim("sweep", scenario, "-o", output, "--resume", "--threads", "2", *extra)
        line = self.assert_one_line_error(result, exit_code, str(output), *fragments)
        self.assertEqual(sha256(output), digest, "a refused --resume changed the file")
        self.assertEqual(output.stat().st_mtime_ns, stat.st_mtime_ns)
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), listing)
        return line

    def test_resume_refuses_other_scenario(self):
        import h5py

        scenario = self.write("grid.toml", scenario_text())
        finished = self.tmp / "finished.h5"
        self.sweep(scenario, finished, "--threads", "2")
        with h5py.File(finished, "r") as results:
            finished_hash = attribute_text(results.attrs["scenario_hash"])
        other_design = self.write("other_design.toml", scenario_text(
            parameters={SWEPT[0]: "[0.1, 0.6]", SWEPT[1]: GRID[SWEPT[1]]}))  # as many runs, other values
        for extra, changed in ((("--set", "knowledge.turbulence_rate=0.1"), scenario),
                               ((), other_design),
                               (("--set", "scenario.steps=41"), scenario)):
            with self.subTest(extra=extra, scenario=changed.name):
                line = self.assert_resume_refused(changed, finished, *extra, fragments=(finished_hash,))
                self.assertIn("scenario", line)
                self.assertIn("hash", line)

        # A sweep killed mid-way, the same.
        long = self.write("long.toml", LONG)
        killed = self.tmp / "killed.h5"
        process = self.start("sweep", long, "-o", killed, "--threads", "2")
        self.wait_for_done_runs(process, killed)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        self.assertEqual(process.returncode, -signal.SIGKILL)
        line = self.assert_resume_refused(long, killed, "--set", "knowledge.turbulence_rate=0.1")
        self.assertIn("scenario", line)
        self.assertIn("hash", line)
        # ... while the scenario it was written for still resumes it.
        self.sweep(long, killed, "--threads", "2", "--resume")
        done, failed, pending, _ = self.status(killed)
        self.assertEqual((failed, pending), (0, 0))

    def test_resume_refuses_corrupt_file(self):
        scenario = self.write("grid.toml", scenario_text())
        rng = random.Random(7)
        garbage = self.tmp / "garbage.h5"
        garbage.write_bytes(bytes(rng.getrandbits(8) for _ in range(65536)))
        self.assert_resume_refused(scenario, garbage)
        # The HDF5 signature in front of garbage.
        disguised = self.tmp / "disguised.h5"
        disguised.write_bytes(HDF5_SIGNATURE + bytes(rng.getrandbits(8) for _ in range(65536)))
        self.assert_resume_refused(scenario, disguised)
        # An empty file.
        empty = self.tmp / "empty.h5"
        empty.write_bytes(b"")
        self.assert_resume_refused(scenario, empty)

        # A sweep file cut short, at several lengths.
        finished = self.tmp / "finished.h5"
        self.sweep(scenario, finished, "--threads", "2")
        whole = finished.read_bytes()
        for length in (512, len(whole) // 4, len(whole) // 2, len(whole) * 9 // 10, len(whole) - 1):
            with self.subTest(length=length):
                truncated = self.tmp / "truncated.h5"
                truncated.write_bytes(whole[:length])
                self.assert_resume_refused(scenario, truncated)
                truncated.unlink()

    def test_bad_sweep_section(self):
        def refused(name, text, *fragments, line=None):
            scenario = self.write(name, text)
            output = self.tmp / f"{name}.h5"
            result = self.orgsim("sweep", scenario, "-o", output)
            pattern = rf"{re.escape(str(scenario))}:{line}:" if line is not None else None
            self.assert_one_line_error(result, SCENARIO_ERROR, str(scenario), *fragments, pattern=pattern)
            self.assert_no_output(output)

        def line_of(text, fragment):
            return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)

        text = scenario_text(parameters={SWEPT[0]: "[0.1, 0.5]", "knowledge.socialisation_rate": "[0.1]"})
        refused("unknown.toml", text, "knowledge.socialisation_rate",
                line=line_of(text, '"knowledge.socialisation_rate"'))

        text = scenario_text(parameters={SWEPT[0]: "[0.1, 0.5]", SWEPT[1]: "[0.2, 1.5]"})
        refused("range.toml", text, SWEPT[1], "1.5", line=line_of(text, f'"{SWEPT[1]}"'))

        text = scenario_text(parameters={SWEPT[0]: "[0.1, 0.5]", SWEPT[1]: "{ min = 0.2, max = 1.5, steps = 3 }"})
        refused("range_steps.toml", text, SWEPT[1], "1.5", line=line_of(text, f'"{SWEPT[1]}"'))

        text = scenario_text(parameters={SWEPT[0]: "[0.1, 0.5]", "departments.Nope.incentive_weight": "[0.1]"})
        refused("department.toml", text, "Nope", "Sales", line=line_of(text, '"departments.Nope.'))

        # A sampled design without samples: the line of [sweep].
        text = scenario_text(design="sobol", parameters={SWEPT[0]: "{ min = 0.1, max = 0.5 }",
                                                         SWEPT[1]: "{ min = 0, max = 0.6 }"})
        refused("sobol.toml", text, "sobol", "samples", line=line_of(text, "[sweep]"))

    def test_unsafe_names_refused(self):
        # A department name becomes part of swept keys, so of dataset names ('/' separates HDF5 groups) and of
        # the quoted keys of the resolved TOML the file stores ('"' ends them): refused where it is written.
        cases = (("Sales/EMEA", "Sales/EMEA", "'/'"), ('Sales "EMEA"', 'Sales \\"EMEA\\"', "'\"'"))
        for name, toml_name, shown in cases:
            with self.subTest(name=name):
                swept = {SWEPT[0]: "[0.1, 0.5]", f"departments.{toml_name}.incentive_weight": "[0.2]"}
                text = scenario_text(parameters=swept)
                text = text.replace('name = "Sales"', f'name = "{toml_name}"')
                scenario = self.write("names.toml", text)
                line = next(number for number, row in enumerate(text.splitlines(), 1)
                            if row == f'name = "{toml_name}"')
                output = self.tmp / "names.h5"
                for extra in (("--dry-run",), ("--threads", "2")):
                    result = self.orgsim("sweep", scenario, "-o", output, *extra)
                    self.assert_one_line_error(result, SCENARIO_ERROR, "department name", shown,
                                               "names take letters, digits, spaces, '_', '-' and '&'",
                                               pattern=rf"{re.escape(str(scenario))}:{line}:")
                    self.assert_no_output(output)
                    self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["names.toml"])

    def test_too_many_runs_refused(self):
        # 10,000 points at 1,000 replicates are the 10,000,000 runs one sweep file holds (docs/sweeps.md).
        text = scenario_text(design="latin_hypercube", replicates=1000, sweep_extra="samples = 10000\n",
                             parameters={SWEPT[0]: "{ min = 0.1, max = 0.5 }"})
        scenario = self.write("huge.toml", text)
        sweep_line = next(number for number, line in enumerate(text.splitlines(), 1) if line == "[sweep]")
        output = self.tmp / "huge.h5"
        result = self.sweep(scenario, output, "--dry-run")
        self.assertIn("10000 point(s) x 1000 replicate(s) = 10000000 runs", result.stdout)
        # One more replicate is refused, before anything is written. The dry run first, outside a subtest:
        # a build that accepted such a sweep would otherwise start writing a file of ten million runs.
        for extra in (("--dry-run",), ("--threads", "2"), ("--resume",)):
            result = self.orgsim("sweep", scenario, "-o", output, "--set", "sweep.replicates=1001", *extra)
            self.assert_one_line_error(result, SCENARIO_ERROR,
                                       "10000 point(s) x 1001 replicate(s) = 10010000 runs", "10000000",
                                       pattern=rf"{re.escape(str(scenario))}:{sweep_line}:")
            self.assert_no_output(output)
            self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["huge.toml"], extra)

    def test_existing_output_refused(self):
        scenario = self.write("grid.toml", scenario_text())
        output = self.tmp / "results.h5"
        precious = b"somebody's earlier results\x00\x01\x02" * 100
        output.write_bytes(precious)
        before = output.stat()
        result = self.orgsim("sweep", scenario, "-o", output, "--threads", "2")
        self.assert_one_line_error(result, OUTPUT_ERROR, str(output), "--force")
        self.assertEqual(output.read_bytes(), precious)
        self.assertEqual(output.stat().st_mtime_ns, before.st_mtime_ns)
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["grid.toml", "results.h5"])

        result = self.orgsim("sweep", scenario, "-o", output, "--resume", "--force")
        self.assert_one_line_error(result, OPTION_ERROR, "--resume", "--force")
        self.assertEqual(output.read_bytes(), precious)

        # --force overwrites it with the sweep.
        self.sweep(scenario, output, "--threads", "2", "--force")
        self.assertEqual(output.read_bytes()[:8], HDF5_SIGNATURE)
        done, failed, pending, _ = self.status(output)
        self.assertEqual((done, failed, pending), (18, 0, 0))
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["grid.toml", "results.h5"])

    def test_rerun_reproduces_runs(self):
        import h5py
        import numpy

        scenario = self.write("grid.toml", scenario_text())
        output = self.tmp / "grid.h5"
        self.sweep(scenario, output, "--threads", "2")
        for run in (0, 7, 17):
            result = self.orgsim("rerun", output, run)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn(f"run {run}", result.stdout)
            self.assertIn("reproduced bit for bit", result.stdout)
        # A changed value in the file no longer matches the rerun.
        with h5py.File(output, "r+") as results:
            values = results["code_knowledge"][7]
            values[5] = numpy.nextafter(values[5], 2.0)
            results["code_knowledge"][7] = values
        changed = self.orgsim("rerun", output, 7)
        self.assertEqual(changed.returncode, 1, changed.stdout)
        self.assertIn("differs", changed.stderr)
        # A single scenario's file reruns from its own seed, point 0.
        single = self.tmp / "single.h5"
        self.assertEqual(self.orgsim("run", scenario, "-o", single, "--replicates", "2").returncode, 0)
        result = self.orgsim("rerun", single, 1)
        self.assertEqual(result.returncode, 0, result.stderr)
        # A run that does not exist is an error on one line.
        missing = self.orgsim("rerun", output, 999)
        self.assert_one_line_error(missing, OUTPUT_ERROR, "no run 999")

    def test_rerun_uses_stored_row(self):
        import h5py

        # A file whose design was drawn differently from what its scenario gives today, as one of an
        # older build may be: point 1 of `stored.h5` holds the values and results of point 1 of a grid
        # whose first list starts at 0.2, while its scenario still says 0.1.
        scenario = self.write("grid.toml", scenario_text())
        other = self.write("other.toml",
                           scenario_text(parameters={SWEPT[0]: "[0.2, 0.5]", SWEPT[1]: GRID[SWEPT[1]]}))
        output, donor = self.tmp / "stored.h5", self.tmp / "donor.h5"
        self.sweep(scenario, output, "--threads", "2")
        self.sweep(other, donor, "--threads", "2")
        replicates, point = 3, 1
        runs = list(range(point * replicates, (point + 1) * replicates))
        with h5py.File(output, "r+") as results, h5py.File(donor, "r") as source:
            self.assertNotEqual(results[SWEPT[0]][runs[0]], source[SWEPT[0]][runs[0]])
            self.assertEqual(results["seed"][runs].tolist(), source["seed"][runs].tolist())
            results["design"][point] = source["design"][point]
            for name in (*SWEPT, "equilibrium_step", *self.observables(results)):
                for run in runs:
                    results[name][run] = source[name][run]
            stored = {run: {key: float(results[key][run]) for key in SWEPT} for run in runs}
            identity = {run: tuple(int(results[name][run]) for name in ("point", "replicate", "seed"))
                        for run in runs}
        for run in runs:
            with self.subTest(run=run):
                result = self.orgsim("rerun", output, run)
                self.assertEqual(result.returncode, 0, f"stdout {result.stdout!r}\nstderr {result.stderr!r}")
                self.assertIn("reproduced bit for bit", result.stdout)
                # It says what it ran with: the stored point, replicate, seed and values, exactly.
                point_, replicate, seed = identity[run]
                self.assertIn(f"(point {point_}, replicate {replicate}, seed {seed};", result.stdout)
                used = dict(re.findall(r"; ([\w.]+)=([^;)]+)", result.stdout))
                self.assertEqual(sorted(used), sorted(SWEPT))
                for key in SWEPT:
                    self.assertEqual(float(used[key]), stored[run][key], key)
        # A run of point 0, untouched, still reproduces with the scenario's own values.
        result = self.orgsim("rerun", output, 0)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"{SWEPT[0]}=0.1", result.stdout)

    def test_dry_run_writes_nothing(self):
        scenario = self.write("grid.toml", scenario_text())
        output = self.tmp / "dry.h5"
        result = self.sweep(scenario, output, "--dry-run")
        # 2 x 3 grid points, 3 replicates each.
        self.assertIn("6 point(s) x 3 replicate(s) = 18 runs", result.stdout)
        self.assertRegex(result.stdout, r"estimated wall time on \d+ thread\(s\): \d+ s")
        self.assertRegex(result.stdout, r"at most \d+\.\d MB uncompressed")
        self.assertIn("nothing was written", result.stdout)
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["grid.toml"])

    def test_design_only_resumes_to_the_sweep(self):
        import h5py
        import numpy
        import xarray

        scenario = self.write("grid.toml", scenario_text())
        reference = self.tmp / "reference.h5"
        self.sweep(scenario, reference, "--threads", "2")
        output = self.tmp / "design.h5"
        result = self.sweep(scenario, output, "--design-only")
        self.assertIn("6 point(s) x 3 replicate(s) = 18 runs", result.stdout)
        self.assertIn("every run pending", result.stdout)
        self.assertIn(f"--resume -o {output}", result.stdout)
        self.assertEqual(result.stderr, "", "a design-only sweep reports no progress: it runs nothing")
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["design.h5", "grid.toml", "reference.h5"])
        self.assertEqual(self.status(output)[:3], (0, 0, 18))

        # The design, the SALib problem and every run's identity as the sweep writes them; no results yet.
        with h5py.File(output, "r") as design, h5py.File(reference, "r") as full:
            self.assertEqual(sorted(self.datasets(design)), sorted(self.datasets(full)))
            self.assertEqual(design["status"][()].tolist(), [PENDING] * 18)
            for name in ("seed", "point", "replicate", *SWEPT, "design", "parameter", "design_point", "run",
                         "step", "department"):
                with self.subTest(dataset=name):
                    self.assert_arrays_identical(design[name][()], full[name][()], name)
            for name in ("salib_problem", "sweep_design", "sweep_replicates", "scenario_hash"):
                self.assertEqual(design.attrs[name], full.attrs[name], name)
            for name in self.observables(design):
                self.assertTrue(numpy.isnan(design[name][()]).all(), f"{name}: a pending run has results")
            self.assertEqual(design["equilibrium_step"][()].tolist(), [-1] * 18)
        # Closed like a finished sweep: netCDF readers open it.
        with xarray.open_dataset(output, engine="netcdf4") as data:
            self.assertEqual(data.sizes["run"], 18)
            self.assertEqual(data[SWEPT[1]].dims, ("run",))

        result = self.sweep(scenario, output, "--threads", "2", "--resume")
        self.assertIn("; 18 to do)", result.stdout)
        self.assert_same_datasets(output, reference)
        self.assertEqual(self.status(output)[:3], (18, 0, 0))

    def test_design_only_refusals(self):
        scenario = self.write("grid.toml", scenario_text())
        output = self.tmp / "results.h5"
        precious = b"somebody's earlier results\x00\x01\x02" * 100
        output.write_bytes(precious)
        result = self.orgsim("sweep", scenario, "-o", output, "--design-only")
        self.assert_one_line_error(result, OUTPUT_ERROR, str(output), "--force")
        self.assertEqual(output.read_bytes(), precious)
        for other in ("--resume", "--dry-run"):
            with self.subTest(other=other):
                result = self.orgsim("sweep", scenario, "-o", output, "--design-only", other)
                self.assert_one_line_error(result, OPTION_ERROR, "--design-only", other)
                self.assertEqual(output.read_bytes(), precious)
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["grid.toml", "results.h5"])
        # --force replaces it with the design.
        self.sweep(scenario, output, "--design-only", "--force")
        self.assertEqual(self.status(output)[:3], (0, 0, 18))

        # A bad [sweep] section: the error a sweep gives, and no file.
        bad = self.write("range.toml", scenario_text(parameters={SWEPT[0]: "[0.1, 0.5]", SWEPT[1]: "[0.2, 1.5]"}))
        missing = self.tmp / "bad.h5"
        result = self.orgsim("sweep", bad, "-o", missing, "--design-only")
        self.assert_one_line_error(result, SCENARIO_ERROR, str(bad), SWEPT[1], "1.5")
        self.assert_no_output(missing)
        self.assertFalse(pathlib.Path(f"{missing}.lock").exists())

    def test_progress_is_json_lines_off_a_terminal(self):
        scenario = self.write("grid.toml", scenario_text())
        result = self.sweep(scenario, self.tmp / "grid.h5", "--threads", "2")
        updates = [json.loads(line) for line in result.stderr.splitlines()]
        self.assertGreaterEqual(len(updates), 1)
        for update in updates:
            self.assertEqual(set(update), {"done", "failed", "pending", "total", "runs_per_second",
                                           "elapsed_seconds", "eta_seconds"})
            self.assertEqual(update["done"] + update["failed"] + update["pending"], update["total"])
        self.assertEqual(updates[-1], {**updates[-1], "done": 18, "failed": 0, "pending": 0, "total": 18})
        self.assertEqual([u["done"] for u in updates], sorted(u["done"] for u in updates))

    def test_second_writer_refused(self):
        scenario = self.write("long.toml", LONG)
        output = self.tmp / "long.h5"
        first = self.start("sweep", scenario, "-o", output, "--threads", "1")
        self.wait_for_done_runs(first, output)
        for extra in (("--resume",), ("--force",)):
            with self.subTest(second=extra):
                second = self.orgsim("sweep", scenario, "-o", output, *extra)
                self.assert_one_line_error(second, OUTPUT_ERROR, "another orgsim sweep is writing this file")
        self.assertIsNone(first.poll(), "the first sweep must still be running")
        first.send_signal(signal.SIGTERM)
        self.assertEqual(first.wait(timeout=60), INTERRUPTED)
        # The first sweep's lock is gone with it: the file resumes to the end.
        self.sweep(scenario, output, "--threads", "2", "--resume")
        done, failed, pending, _ = self.status(output)
        self.assertEqual((failed, pending), (0, 0))
        self.assertFalse(pathlib.Path(f"{output}.lock").exists())

    def test_foreign_files_refused_on_one_line(self):
        import h5py
        import numpy

        scenario = self.write("grid.toml", scenario_text())
        output = self.tmp / "grid.h5"
        self.sweep(scenario, output, "--threads", "2")
        # An orgsim file whose ledger columns disagree in length, and one whose observable has another shape.
        forged = self.tmp / "forged.h5"
        with h5py.File(output, "r") as source, h5py.File(forged, "w") as target:
            for name, value in source.attrs.items():
                target.attrs[name] = value
            target["status"] = numpy.ones(18, dtype="u1")
            target["error"] = numpy.zeros((5, 256), dtype="S1")
            target["seed"] = numpy.zeros(18, dtype="u8")
            target["step"] = numpy.arange(41, dtype="i4")
            target["department"] = numpy.array([b"Sales", b"Care"])
            target["code_knowledge"] = numpy.zeros((18, 3))
        self.assert_one_line_error(self.orgsim("status", forged), OUTPUT_ERROR, "disagree")
        self.assert_one_line_error(self.orgsim("rerun", forged, 0), OUTPUT_ERROR, "unexpected shape")


if __name__ == "__main__":
    unittest.main()
