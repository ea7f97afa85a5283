"""Pinned SHA-256 checksums of every dataset that five orgsim jobs write.

The jobs: `orgsim run` of the embedded default scenario, a grid sweep
(scenarios/sweeps/listening_grid.toml), a Sobol sweep
(scenarios/sweeps/sobol_culture.toml), `orgsim compare` of
scenarios/whatif/listening_sessions.toml with an arm, and the grid sweep
again over MPI ranks (mpirun -n 2; its checksums are the grid's). Each is
made small with --set and --replicates, but keeps every mechanism its
scenario turns on and several design points. Every dataset's checksum
covers its name, type, shape and raw data bytes; its attributes have one of
their own under its path + "@", and the root group's under "/". Root attributes that
differ from one run to the next or from one version to another
(VARYING_ROOT_ATTRIBUTES) are left out, each with its reason. The expected
checksums are in dataset_checksums.json beside this file:
job -> {dataset path: sha256}.

THE RULE: a refactor must never regenerate dataset_checksums.json. If a
change of code makes a checksum differ, the change altered results, and a
restructure that means to preserve behaviour is wrong. Only a deliberate
change of results may regenerate the file, and its commit says so (which
results change, and why). To regenerate, with the orgsim of the change:

    ORGSIM_UPDATE_CHECKSUMS=1 ctest --preset sanitize -R checksums

(or ORGSIM_UPDATE_CHECKSUMS=1 with the command below), then review `git diff`.

Run from tests/cli (CTest does this, one test per job):

    ORGSIM=build/release/sim/orgsim ORGSIM_SOURCE_DIR=$PWD/../.. MPIEXEC=/usr/bin/mpirun \
        /usr/bin/python3 -m unittest -v test_checksums

Standard library plus h5py and numpy; the MPI job is skipped without MPIEXEC.
"""

import fcntl
import hashlib
import json
import os
import pathlib
import subprocess
import unittest

from test_cli import ORGSIM, SOURCE_DIR, OrgsimTestCase
from test_mpi import MPI_ENVIRONMENT, MPI_FLAGS, MPIEXEC

CHECKSUMS = pathlib.Path(__file__).resolve().with_name("dataset_checksums.json")
UPDATE = os.environ.get("ORGSIM_UPDATE_CHECKSUMS", "") not in ("", "0")
ROOT = "/"  # the key of the root group's attributes in dataset_checksums.json

# Root attributes that legitimately differ between two runs of the same job (at other moments, to other
# file names, from another checkout) or between versions of the software with the same results; they
# are not checksummed. Running every job twice, on 1 and 2 threads, in other directories, to other file
# names and with the scenario file at another path, shows these differing and nothing else: no other
# attribute and no dataset.
VARYING_ROOT_ATTRIBUTES = {
    "created": "the moment the run started",
    "engine_version": "the software's version, which changes with releases and not with results",
    "command_line": "holds the output path and the scenario file's path as given on the command line",
    "scenario_files": "(compare) the scenario files' paths as given, which depend on where the checkout is",
}

SWEEPS = SOURCE_DIR / "scenarios" / "sweeps"
WHATIF = SOURCE_DIR / "scenarios" / "whatif"

# Small versions of each job: fewer steps, runs and people. Every mechanism the scenario turns on
# still acts (the default's seven; the interventions start at step 13), and the sweeps keep their
# designs: the grid's 5 x 4 points, and 4 Sobol samples x (7 + 2) = 36 points.
DEFAULT_SMALL = ("--set", "scenario.steps=52", "--replicates", "3",
                 "--set", "departments.Sales.headcount=40", "--set", "departments.Operations.headcount=50",
                 "--set", "departments.Customer Care.headcount=30", "--set", "departments.Product.headcount=20",
                 "--set", "departments.Finance.headcount=20")
THREE_SILOS_SMALL = ("--set", "scenario.steps=26", "--set", "departments.Sales.headcount=30",
                     "--set", "departments.Delivery.headcount=30", "--set", "departments.Service.headcount=20")
GRID = (SWEEPS / "listening_grid.toml", *THREE_SILOS_SMALL, "--set", "sweep.replicates=2")
SOBOL = (SWEEPS / "sobol_culture.toml", "--set", "scenario.steps=26", "--set", "sweep.samples=4",
         "--set", "departments.Sales.headcount=30", "--set", "departments.Care.headcount=20")
COMPARE = (WHATIF / "listening_sessions.toml", "--arm", "listening: interventions.listening.enabled=true",
           *THREE_SILOS_SMALL, "--replicates", "3")


def _length_prefixed(data):
    return len(data).to_bytes(8, "little") + data


def _canonical(value, results):
    """Bytes that stand for an attribute value: its type and contents, object references by the path
    of the object they point to (their addresses are the file's layout, not its contents)."""
    import h5py
    import numpy

    if isinstance(value, h5py.Reference):
        return b"ref:" + _length_prefixed(results[value].name.encode("utf-8"))
    if isinstance(value, bytes):
        return b"bytes:" + _length_prefixed(value)
    if isinstance(value, str):
        return b"str:" + _length_prefixed(value.encode("utf-8"))
    value = numpy.asarray(value)
    header = f"{value.dtype.str}{value.shape}".encode("utf-8")
    if value.dtype.names:
        parts = [b"".join(_canonical(record[field], results) for field in value.dtype.names)
                 for record in value.reshape(-1)]
    elif value.dtype.kind == "O":
        parts = [_canonical(element, results) for element in value.reshape(-1)]
    else:
        return b"array:" + _length_prefixed(header) + _length_prefixed(value.tobytes())
    return b"array:" + _length_prefixed(header) + b"".join(map(_length_prefixed, parts))


def _attributes(obj, results, skip=()):
    """Every attribute of `obj` but those in `skip`, in name order. A dimension scale's REFERENCE_LIST
    (which datasets use it) is taken as a set: HDF5 lists them in the order they were attached."""
    import numpy

    parts = []
    for name in sorted(obj.attrs):
        if name in skip:
            continue
        value = obj.attrs[name]
        if name == "REFERENCE_LIST":
            encoded = sorted(_canonical(record, results) for record in numpy.asarray(value).reshape(-1))
            canonical = b"set:" + b"".join(map(_length_prefixed, encoded))
        else:
            canonical = _canonical(value, results)
        parts.append(_length_prefixed(name.encode("utf-8")) + _length_prefixed(canonical))
    return b"".join(parts)


def _data(dataset):
    """A dataset's type, shape and values as bytes; variable-length strings as their encoded values."""
    import h5py

    values = dataset[()]
    string = h5py.check_string_dtype(dataset.dtype)
    if string is not None and string.length is None:
        kind = f"vlen-string:{string.encoding}"
        elements = [element if isinstance(element, bytes) else element.encode(string.encoding)
                    for element in values.reshape(-1)]
        raw = b"".join(map(_length_prefixed, elements))
    elif dataset.dtype.kind == "O" or dataset.dtype.names:
        raise TypeError(f"{dataset.name}: no checksum rule for the type {dataset.dtype}")
    else:
        kind, raw = dataset.dtype.str, values.tobytes()
    return _length_prefixed(f"{kind}{values.shape}".encode("utf-8")) + _length_prefixed(raw)


def checksums(path):
    """{dataset path: sha256 of its name, type, shape and data}, its attributes under its path + "@",
    the root group's attributes (but VARYING_ROOT_ATTRIBUTES) under "/" and any other group's under its
    path + "/"."""
    import h5py

    found = {}
    with h5py.File(path, "r") as results:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                digest = hashlib.sha256(_length_prefixed(name.encode("utf-8")))
                digest.update(_data(obj))
                found[name] = digest.hexdigest()
            # Attributes apart from the data, so that a deliberate addition of metadata shows as
            # such and leaves every data checksum as it was.
            attributes = hashlib.sha256(_length_prefixed(name.encode("utf-8")))
            attributes.update(_attributes(obj, results))
            found[name + ("@" if isinstance(obj, h5py.Dataset) else "/")] = attributes.hexdigest()

        results.visititems(visit)
        root = hashlib.sha256(_length_prefixed(ROOT.encode("utf-8")))
        root.update(_attributes(results, results, skip=VARYING_ROOT_ATTRIBUTES))
        found[ROOT] = root.hexdigest()
    return found


class ChecksumTest(OrgsimTestCase):
    TEMP_PREFIX = "orgsim-checksums-"
    TIMEOUT = 180

    def run_ok(self, *args):
        result = self.orgsim(*args, "--threads", 2)
        self.assertEqual(result.returncode, 0, f"orgsim {' '.join(map(str, args))}\nstdout {result.stdout!r}\n"
                                               f"stderr {result.stderr!r}")
        return result

    def assert_pinned(self, job, output):
        """The file's checksums are the job's in dataset_checksums.json; with ORGSIM_UPDATE_CHECKSUMS=1,
        they replace them there."""
        found = checksums(output)
        # Parallel CTest cases update the file's entries one at a time.
        with open(CHECKSUMS, "a+", encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            file.seek(0)
            text = file.read()
            pinned = json.loads(text) if text.strip() else {}
            if UPDATE:
                pinned[job] = found
                file.seek(0)
                file.truncate()
                file.write(json.dumps(pinned, indent=2, sort_keys=True) + "\n")
                return
        self.assertIn(job, pinned, f"{CHECKSUMS.name} has no checksums for the job {job!r}; a new job's are "
                                   "added with ORGSIM_UPDATE_CHECKSUMS=1")
        expected = pinned[job]
        differ = sorted(name for name in set(found) & set(expected) if found[name] != expected[name])
        new = sorted(set(found) - set(expected))
        gone = sorted(set(expected) - set(found))
        if differ or new or gone:
            lines = [f"job {job!r}: the results file does not match {CHECKSUMS.name}"]
            lines += [f"  {name}: checksum differs (" + ("the root group's attributes" if name == ROOT else
                                                         "data, type, shape or attributes") + ")" for name in differ]
            lines += [f"  {name}: written now, not pinned" for name in new]
            lines += [f"  {name}: pinned, no longer written" for name in gone]
            lines.append("A refactor must not change these. Only a deliberate change of results regenerates "
                         "them (ORGSIM_UPDATE_CHECKSUMS=1), and its commit says so.")
            self.fail("\n".join(lines))

    def test_default_run(self):
        import h5py
        import numpy

        output = self.tmp / "default.h5"
        self.run_ok("run", "-o", output, *DEFAULT_SMALL)
        # Small as it is, every mechanism of the default acts: what the checksums pin covers them all.
        with h5py.File(output, "r") as results:
            def values(name):
                return results[name][()]

            self.assertGreater(numpy.abs(values("code_knowledge")[:, -1]).min(), 0, "mutual learning")
            self.assertGreater(values("leavers").sum(axis=1).min(), 0, "turnover")
            self.assertTrue(numpy.isfinite(values("communication_success")[:, 1:]).all(), "naming game")
            self.assertGreater(numpy.ptp(values("purpose_mean"), axis=1).min(), 0, "purpose")
            self.assertTrue((values("trust_mean")[:, -1] != values("trust_mean")[:, 0]).all(), "leadership")
            self.assertGreater(numpy.nansum(values("blame_rate"), axis=1).min(), 0, "encounters: blame")
            self.assertGreater(values("knowledge_transfers").sum(axis=1).min(), 0, "encounters: transfers")
            self.assertTrue(numpy.isfinite(values("perception_gap")[:, 1:]).all(), "perception")
            self.assertTrue((values("engagement_mean")[:, -1] != values("engagement_mean")[:, 0]).all(),
                            "engagement")
        self.assert_pinned("default_run", output)

    def test_grid_sweep(self):
        output = self.tmp / "grid.h5"
        self.run_ok("sweep", *GRID, "-o", output)
        self.assert_pinned("grid_sweep", output)

    def test_sobol_sweep(self):
        output = self.tmp / "sobol.h5"
        self.run_ok("sweep", *SOBOL, "-o", output)
        self.assert_pinned("sobol_sweep", output)

    def test_compare_arm(self):
        import h5py

        output = self.tmp / "compare.h5"
        self.run_ok("compare", *COMPARE, "-o", output)
        with h5py.File(output, "r") as results:
            transfers = results["knowledge_transfers"][()].sum(axis=1)
            points = results["point"][()]
        # The arm's listening sessions take place: many more beliefs cross the silos.
        self.assertGreater(transfers[points == 1].min(), 2 * transfers[points == 0].max())
        self.assert_pinned("compare_arm", output)

    def test_mpi_sweep(self):
        if not MPIEXEC:
            self.skipTest("set MPIEXEC to the MPI launcher (CTest does this when orgsim has MPI)")
        output = self.tmp / "mpi.h5"
        command = [MPIEXEC, *MPI_FLAGS, "-n", "2", ORGSIM, "sweep", *map(str, GRID), "-o", str(output)]
        try:
            result = subprocess.run(command, cwd=self.tmp, capture_output=True, text=True,
                                    env={**os.environ, **MPI_ENVIRONMENT}, timeout=self.TIMEOUT)
        except subprocess.TimeoutExpired:
            self.fail(f"{' '.join(command)} did not finish within {self.TIMEOUT} s")
        self.assertEqual(result.returncode, 0, f"stdout {result.stdout!r}\nstderr {result.stderr!r}")
        self.assertIn("on 1 rank(s)", result.stdout)
        self.assert_pinned("mpi_sweep", output)


if __name__ == "__main__":
    unittest.main()
