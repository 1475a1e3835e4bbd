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
import os
from pathlib import Path
from typing import Any, TypeVar

from feedtool.cache import codec
from feedtool.cache.summary import ANSWER, code_key, header, read_body
from feedtool.config import SiteConfig
from feedtool.errors import FeedtoolError
from feedtool.publish.staging import remove_stale_temps, replace_atomically
from feedtool.safefile import linked_folder

T = TypeVar("T")


def fingerprint(config: SiteConfig) -> str:
    """What every cached thing depends on besides its files: config, code, libraries."""
    parts = [code_key(), repr(config), config.source]
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


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
        body = read_body(self.directory / name, self.fingerprint)
        if body is None:
            return None
        try:
            result: T = codec.decode(body, kind)
        except (ValueError, RecursionError):  # a cache that cannot be read is no cache
            return None
        return result

    def write(self, name: str, data: object) -> None:
        """Replace ``name`` with ``data`` (what codec.encode takes) atomically; raises
        OSError (callers ignore it: a cache that cannot be written only costs speed next
        time)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / name
        if not self._cleaned:  # what a build killed while writing here left behind
            remove_stale_temps([self.directory / n for n in (*_NAMES, ANSWER, *_PICKLES)])
            for old in _PICKLES:  # an older feedtool's files, never read again
                with contextlib.suppress(OSError):
                    os.unlink(self.directory / old)
            self._cleaned = True
        first = header(self.fingerprint)
        replace_atomically(target, first + b"\n" + codec.encode(data), None, sync=False)


# Every file the cache folder holds (store.py, rendered.py and kept.py name them).
SHARDS = 16
_BEFORE_JSON = (  # the files an older feedtool pickled
    *(f"articles-{n}.json" for n in range(SHARDS)),
    "entries.json",
    "documents.json",
    "state.json",
)
_NAMES = (*_BEFORE_JSON, "kept.json")
_PICKLES = tuple(name.replace(".json", ".pickle") for name in _BEFORE_JSON)
