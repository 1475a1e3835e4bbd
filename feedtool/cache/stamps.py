"""File stamps: what a file was like when something was made from it, to tell if it changed."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Mapping
from pathlib import Path

# A file changed within this long before its stamp was taken may change again with
# the same size and time (timestamps are coarse): such files are compared by content.
RACY_NS = 2_000_000_000

Stamp = tuple[str, int, int, bytes | None]  # path, size, mtime_ns, content hash if racy


def settled(mtime_ns: int, taken_ns: int) -> bool:
    """Whether a file's size and time, taken at ``taken_ns``, tell it from a rewrite of
    the same size: its time has a fraction of a second (the file system keeps fine
    times, so a rewrite would have to land in the same clock tick) or was over
    RACY_NS old when taken. Else (FAT, SMB and other whole-second times) compare bytes.
    """
    return mtime_ns % 1_000_000_000 != 0 or taken_ns - mtime_ns >= RACY_NS


def stamp(
    path: Path | str,
    now_ns: int | None = None,
    known: Mapping[str, tuple[int, int]] | None = None,
) -> Stamp | None:
    """A file's size and time (and content hash when recent); None when it is gone.

    ``known`` holds (size, mtime_ns) of files stat'ed moments ago, to save a stat each.
    """
    size_time = size_and_time(path, known)
    if size_time is None:
        return None
    digest = None
    if (now_ns or time.time_ns()) - size_time[1] < RACY_NS:
        digest = _file_digest(path)
    return (str(path), size_time[0], size_time[1], digest)


def still_valid(recorded: Stamp, known: Mapping[str, tuple[int, int]] | None = None) -> bool:
    """Whether a file is as it was when ``recorded`` was taken.

    ``known`` holds (size, mtime_ns) of files stat'ed moments ago, to save a stat each.
    """
    path, size, mtime_ns, digest = recorded
    if size_and_time(path, known) != (size, mtime_ns):
        return False
    return digest is None or _file_digest(path) == digest


def _file_digest(path: Path | str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).digest()
    except OSError:
        return None


def size_and_time(
    path: Path | str, known: Mapping[str, tuple[int, int]] | None = None
) -> tuple[int, int] | None:
    """A file's (size, mtime_ns) from ``known`` or else from the file; None when it is gone."""
    found = known.get(str(path)) if known is not None else None
    if found is not None:
        return found
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns)
