"""The output folder as a build finds it: what is published there now, read once.

Three questions a build asks of the output folder are one question — "does it hold these
bytes already?" — asked at three moments: while rendering (a file published as it is
needs no validation), by the cache (a feed rendered before is taken back from where it
was published), and while writing (only what changed is replaced). OutputFolder answers
it, reading each file at most once per build and remembering its size and time, so the
writer can tell that a file read earlier is still the one it read.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from feedtool import safefile
from feedtool.publish.paths import check_folder
from feedtool.values.patterns import compiled_later

SizeTime = tuple[int, int]  # (st_size, st_mtime_ns)


class OutputFolder:
    """What the output folder holds, by relative path (``/`` separated)."""

    def __init__(self, directory: Path) -> None:
        check_folder(directory)  # before anything is read or written there
        self.directory = directory
        self.opened_ns = time.time_ns()  # stamps taken before this are "settled" against it
        self._read: dict[str, tuple[bytes, SizeTime] | None] = {}

    def read(self, relative: str) -> tuple[bytes, SizeTime] | None:
        """A published file's bytes with its size and time; None when it is missing or
        not a regular file (a FIFO would make a read wait), or changed while read."""
        if relative not in self._read:
            # The plain path: where it leads is checked by the writer (publish.paths), and a
            # link pointing out only makes the bytes differ, so the file is written (refused).
            self._read[relative] = read_regular(self.directory / relative)
        return self._read[relative]

    def holds(self, relative: str, data: bytes) -> bool:
        """Whether the file at ``relative`` has exactly these bytes."""
        found = self.read(relative)
        return found is not None and found[0] == data

    def changed(self, files: Mapping[str, bytes]) -> list[str]:
        """The paths whose bytes differ from what is published (or that are missing)."""
        return [relative for relative in sorted(files) if not self.holds(relative, files[relative])]

    def seen(self, files: Mapping[str, bytes]) -> dict[str, SizeTime]:
        """Size and time of the files read so far that held exactly the bytes ``files`` has
        for them, where those times can be trusted (see safefile.settled): a file still
        with that size and time when the writer looks needs no second read."""
        seen = {}
        for relative, data in files.items():
            found = self._read.get(relative)
            if (
                found is not None
                and found[0] == data
                and safefile.settled(found[1][1], self.opened_ns)
            ):
                seen[relative] = found[1]
        return seen

    def feed_with_items(self, feeds: Iterable[str]) -> str | None:
        """The first of ``feeds`` published here with at least one item, or None.

        A build that would publish no article over feeds with items is far more often a
        mistake (an empty checkout, a wrong content folder) than a wish, so build() asks.
        """
        for relative in feeds:
            found = self.read(relative)
            if found is not None and _has_items(found[0]):
                return relative
        return None

    def stamp(self, relative: str) -> SizeTime | None:
        """A published file's size and time, without reading it; None when missing."""
        return safefile.size_and_time(self.directory / relative)


class DiskFiles(Mapping[str, bytes]):
    """Output files known to be exactly what a build would write, read when asked for."""

    def __init__(self, output_dir: Path, paths: Iterable[str]) -> None:
        self._output_dir = output_dir
        self._paths = sorted(paths)

    def __getitem__(self, path: str) -> bytes:
        if path not in self._paths:
            raise KeyError(path)
        return safefile.read_regular(self._output_dir / path)[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


# An RSS <item> or an Atom <entry>, with or without a namespace prefix (<atom:entry>).
# Markup inside text is escaped (&lt;item>), so a match is an element.
_ITEM = compiled_later(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]")


def _has_items(data: bytes) -> bool:
    """Whether a feed (RSS, Atom or JSON Feed) has an item."""
    if data.lstrip()[:1] == b"{":
        try:
            items = json.loads(data).get("items")
        except (ValueError, AttributeError):
            return False
        return isinstance(items, list) and bool(items)
    return _ITEM().search(data) is not None


def read_regular(path: Path) -> tuple[bytes, SizeTime] | None:
    """A regular file's bytes and (size, mtime_ns); None for anything else (a FIFO would
    make a read wait) and for a file that changes while it is read."""
    try:
        data, info = safefile.read_regular(path)
    except OSError:
        return None
    return data, (info.st_size, info.st_mtime_ns)
