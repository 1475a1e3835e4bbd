"""The cache folder's files: what they depend on, and reading and writing them safely.

Each file is a pickle headed by the cache format and the fingerprint it was made
with; a file with another header, or one that cannot be read at all, reads as
nothing. Files are replaced whole (a temporary file, then a rename), so a build
that stops half-way leaves the last complete version.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from feedtool import __version__
from feedtool.cache.stamps import size_and_time
from feedtool.config import SiteConfig

CACHE_FORMAT = 6
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
)


def fingerprint(config: SiteConfig) -> str:
    """What every cached thing depends on besides its files: config, code, libraries."""
    parts = [CACHE_FORMAT, __version__, sys.version, repr(config), config.source]
    package = Path(__file__).parent.parent  # the whole feedtool package
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            info = path.stat()
            parts.append((str(path.relative_to(package)), info.st_size, info.st_mtime_ns))
    for name in _DEPENDENCIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec else None
        parts.append((name, origin, size_and_time(origin) if origin else None))
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


class Storage:
    """The cache folder's files, by name (see the module's text)."""

    def __init__(self, directory: Path, key: str) -> None:
        self.directory = directory
        self.fingerprint = key  # fingerprint(): files made with another are not read

    def read(self, name: str) -> Any:
        """What ``name`` holds, or None when it is missing, damaged or from other code."""
        try:
            with open(self.directory / name, "rb") as handle:
                header = pickle.load(handle)
                if header != (CACHE_FORMAT, self.fingerprint):
                    return None
                return pickle.load(handle)
        except Exception:  # noqa: BLE001 - a cache that cannot be read is no cache
            return None

    def write(self, name: str, data: object) -> None:
        """Replace ``name`` with ``data``; raises OSError (callers ignore it: a cache that
        cannot be written only costs speed next time)."""
        import tempfile  # not needed when nothing changed, and that start-up is counted

        self.directory.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.directory, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((CACHE_FORMAT, self.fingerprint), handle, protocol=5)
                pickle.dump(data, handle, protocol=5)
            os.replace(temp, self.directory / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
