"""Where outputs go: refusing an existing or unreachable output, the mode a new file gets, figure sizes."""

from __future__ import annotations

import os

#: Default figure sizes in pixels (width, height), by plot.
TIMESERIES_SIZE = (1000, 560)
HEATMAP_SIZE = (800, 640)
DEPARTMENTS_SIZE = (1200, 720)
SENSITIVITY_SIZE = (900, 520)


class OutputError(OSError):
    """The output cannot be written where asked: it exists, or its directory does not."""


def check_output(path: str | os.PathLike, *, force: bool, directory: bool = False) -> str:
    """Refuse an output that exists (unless ``force``) or whose parent directory is missing or read-only.

    An empty directory is not in the way of a directory output. Returns the absolute path.
    """
    path = os.path.abspath(os.fspath(path))
    parent = os.path.dirname(path)
    if not os.path.isdir(parent):
        raise OutputError(f"{parent}: no such directory for the output")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{parent}: the output's directory is not writable")
    if os.path.lexists(path):
        if directory and not os.path.isdir(path):
            raise OutputError(f"{path}: exists and is not a directory")
        if not directory and os.path.isdir(path):
            raise OutputError(f"{path}: is a directory")
        if not force and not (directory and not os.listdir(path)):
            raise OutputError(f"{path}: exists (--force replaces it)")
    return path


def creation_mode(mode: int = 0o666) -> int:
    """``mode`` less the process's umask: what open() would give a new file (0o777 for a directory)."""
    mask = os.umask(0)
    os.umask(mask)
    return mode & ~mask
