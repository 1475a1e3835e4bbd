"""File stamps: what a file was like when something was made from it, to tell if it changed."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from feedtool.safefile import RACY_NS, read_regular, settled, size_and_time, stat_or_none

if TYPE_CHECKING:
    from pathlib import Path  # the quick check loads no pathlib (see cli/quick.py)

__all__ = [
    "RACY_NS",
    "ListedFile",
    "Stamp",
    "Version",
    "content_version",
    "settled",
    "size_and_time",
    "stamp",
    "still_valid",
]


# path, size, mtime_ns, ctime_ns, content hash if racy
Stamp = tuple[str, int, int, int, bytes | None]
Version = tuple[int, int, int]  # size, mtime_ns, ctime_ns
ListedFile = tuple[str, int, int, int]  # a file as read.sources.walk lists it: path and Version


def stamp(
    path: Path | str,
    now_ns: int | None = None,
    known: Mapping[str, ListedFile] | None = None,
) -> Stamp | None:
    """A content file's size and change time (and content hash when recent); None when
    it is gone.

    ``known`` holds files listed moments ago, by path, to save a stat each.
    """
    version = content_version(path, known)
    if version is None:
        return None
    digest = None
    if (now_ns or time.time_ns()) - version[1] < RACY_NS:
        digest = _file_digest(path)
    return (str(path), *version, digest)


def still_valid(recorded: Stamp, known: Mapping[str, ListedFile] | None = None) -> bool:
    """Whether a file is as it was when ``recorded`` was taken.

    ``known`` holds files listed moments ago, by path, to save a stat each.
    """
    path, size, mtime_ns, ctime_ns, digest = recorded
    if content_version(path, known) != (size, mtime_ns, ctime_ns):
        return False
    return digest is None or _file_digest(path) == digest


def _file_digest(path: Path | str) -> bytes | None:
    try:
        return hashlib.blake2b(read_regular(path)[0], digest_size=16).digest()
    except OSError:
        return None


def content_version(
    path: Path | str, known: Mapping[str, ListedFile] | None = None
) -> Version | None:
    """A content file's (size, mtime_ns, ctime_ns) from ``known`` or else from the file;
    None when it is gone. The inode's change time as well as the modification time:
    every write moves it, nothing can set it back (``touch -r`` sets the modification
    time only), and a file renamed into place has its own."""
    found = known.get(str(path)) if known is not None else None
    if found is not None:
        return found[1:]
    info = stat_or_none(path)
    return None if info is None else (info.st_size, info.st_mtime_ns, info.st_ctime_ns)
