"""The cache folder's files: what they depend on, and reading and writing them safely.

Each file is JSON (data, never code, read into checked records: see codec.py) after a
first line holding the cache format and the fingerprint it was made with; a file with
another header, or one that cannot be read at all or not as the records asked for,
reads as nothing. Files are replaced whole (publishing's
temporary file, then a rename), so a build that stops half-way leaves the last complete
version, and the temporary files a killed build leaves are removed by the next.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any, TypeVar

from feedtool import __version__
from feedtool.cache import codec
from feedtool.cache.stamps import size_and_time
from feedtool.config import SiteConfig
from feedtool.errors import FeedtoolError
from feedtool.publish.staging import remove_stale_temps, replace_atomically
from feedtool.safefile import linked_folder, read_regular

# 7: JSON, not pickle; content stamps by change time (ctime). 8: records whole, as msgspec
# writes them (no path left out where it repeats).
CACHE_FORMAT = 8
_DEPENDENCIES = (
    "feedgen",
    "lxml",
    "cmarkgfm",
    "nh3",
    "yaml",
    "dateutil",
    "click",
    "mutagen",
    "PIL",
    "msgspec",
)
T = TypeVar("T")


def fingerprint(config: SiteConfig) -> str:
    """What every cached thing depends on besides its files: config, code, libraries."""
    parts: list[object] = [CACHE_FORMAT, __version__, sys.version, repr(config), config.source]
    parts += _code_files(os.path.dirname(os.path.dirname(__file__)))  # the whole package
    for name in _DEPENDENCIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec else None
        parts.append((name, origin, size_and_time(origin) if origin else None))
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _code_files(package: str) -> list[tuple[str, int, int]]:
    """(path below ``package``, size, modification time) of each of its files but
    compiled ones, sorted. os.scandir and strings, not Path.rglob: every build, even
    one that finds nothing changed, asks, and Path objects cost four times as much."""
    found: list[tuple[str, int, int]] = []
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(os.path.join(package, folder)) as entries:
            for entry in entries:
                path = folder + entry.name
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        pending.append(path + os.sep)
                elif entry.is_file():
                    info = entry.stat()
                    found.append((path, info.st_size, info.st_mtime_ns))
    found.sort()
    return found


class CacheFolder:
    """The cache folder's files, by name (see the module's text)."""

    def __init__(self, directory: Path, key: str) -> None:
        found = linked_folder(directory, "the cache folder")
        if found is not None:  # its writes and removals would land where the link points
            raise FeedtoolError(found[1], path=found[0], parameter="cache_dir")
        self.directory = directory
        self.fingerprint = key  # fingerprint(): files made with another are not read
        self._cleaned = False

    def read(self, name: str, kind: type[T] | Any = Any) -> T | None:
        """What ``name`` holds, as ``kind`` (default: JSON values), or None when it is
        missing, damaged, not a regular file, from other code or another format, or not
        of that shape (see codec.decode)."""
        try:
            data, _ = read_regular(self.directory / name)
            header, _, body = data.partition(b"\n")
            if json.loads(header) != [CACHE_FORMAT, self.fingerprint]:
                return None
            result: T = codec.decode(body, kind)
            return result
        except (OSError, ValueError, RecursionError):  # a cache that cannot be read is no cache
            return None

    def write(self, name: str, data: object) -> None:
        """Replace ``name`` with ``data`` (what codec.encode takes) atomically; raises
        OSError (callers ignore it: a cache that cannot be written only costs speed next
        time)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / name
        if not self._cleaned:  # what a build killed while writing here left behind
            remove_stale_temps([self.directory / n for n in (*_NAMES, *_PICKLES)])
            for old in _PICKLES:  # an older feedtool's files, never read again
                with contextlib.suppress(OSError):
                    os.unlink(self.directory / old)
            self._cleaned = True
        header = json.dumps([CACHE_FORMAT, self.fingerprint]).encode()
        replace_atomically(target, header + b"\n" + codec.encode(data), None, sync=False)


# Every file the cache folder holds (store.py and rendered.py name them).
SHARDS = 16
_NAMES = (
    *(f"articles-{n}.json" for n in range(SHARDS)),
    "entries.json",
    "documents.json",
    "state.json",
)
_PICKLES = tuple(name.replace(".json", ".pickle") for name in _NAMES)
