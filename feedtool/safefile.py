"""Opening files safely, the one way feedtool reads a file it did not just write.

- Only regular files: a FIFO, socket or device is refused without blocking (it is
  opened with O_NONBLOCK and checked with fstat before any read), so nothing a
  repository holds can make a build wait for ever.
- A size limit checked before reading, and again while reading.
- Content (bodies, sidecars, local enclosures, a podcast's transcripts and art) must
  resolve inside the folders it may come from (``inside``): a symlink in ``content/``
  pointing at ``../.git/config`` or ``/proc/self/environ`` is an error naming the
  link and where it points, never text in a feed. Nothing under ``/proc``, ``/sys``,
  ``/dev`` or a ``.git`` folder is ever read as content.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from feedtool.errors import ContentError

if TYPE_CHECKING:
    from pathlib import Path  # the quick check loads no pathlib (see cli/quick.py)

# Never content, wherever a link points: the kernel's and the repository's own files.
_SYSTEM = ("/proc", "/sys", "/dev")
_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


class NotRegularFile(OSError):
    """The path names a FIFO, socket, device or folder, which are never read."""


class TooLarge(OSError):
    """The file is bigger than the limit it was read with; ``size`` says how big."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


@contextlib.contextmanager
def open_regular(path: str | Path, max_bytes: int | None = None) -> Iterator[int]:
    """A descriptor of the regular file at ``path``, closed afterwards.

    Raises NotRegularFile, TooLarge (from its size, before anything is read) or OSError.
    """
    fd = open_regular_fd(path, max_bytes)
    try:
        yield fd
    finally:
        os.close(fd)


def open_regular_fd(path: str | Path, max_bytes: int | None = None) -> int:
    """open_regular's descriptor, for a caller that closes it itself: a plain call costs
    less than a context manager, and the front matter of every article is read so."""
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"{path} is not a regular file")
        if max_bytes is not None and info.st_size > max_bytes:
            raise TooLarge(info.st_size)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: str | Path, max_bytes: int | None = None) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at ``path`` and its stat after reading.

    Raises NotRegularFile, TooLarge (also for a file that grew past ``max_bytes`` while
    read) or OSError; a file whose size or time changed while it was read raises
    OSError too, so no caller takes half of an edit for the file.
    """
    with open_regular(path, max_bytes) as fd:
        before = os.fstat(fd)
        chunks = []
        total = 0
        limit = max_bytes if max_bytes is not None else before.st_size
        while True:
            # One byte more than allowed: a file that grew since fstat is caught too.
            chunk = os.read(fd, max(limit - total + 1, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if max_bytes is not None and total > max_bytes:
                raise TooLarge(total)
        after = os.fstat(fd)
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        raise OSError(f"{path} changed while it was read")
    return b"".join(chunks), after


def inside(path: str | Path, roots: Sequence[str | Path], *, linkable: bool = True) -> None:
    """Check that ``path`` resolves (through every symlink) inside one of ``roots``.

    The one check for any file read as content: raises ContentError naming the link
    and where it points when it leads elsewhere, or into ``.git``, ``/proc``, ``/sys``
    or ``/dev``. ``linkable``: the message may point to linked_folders (for files found
    in the tree, not for paths an article names, which stay in the content folder).
    """
    real = os.path.realpath(path)
    if real in _SYSTEM or real.startswith(tuple(p + os.sep for p in _SYSTEM)):
        raise _outside(
            path, real, "inside a system folder (/proc, /sys, /dev), which is never read"
        )
    for root in roots:
        base = os.path.realpath(root)
        if real == base or real.startswith(base.rstrip(os.sep) + os.sep):
            # The root too: linked_folders = [".git"] must not make its files content.
            if ".git" in real.split(os.sep):
                raise _outside(path, real, "inside a .git folder, which is never read")
            return
    shown = ", ".join(str(root) for root in roots)
    hint = " (add its folder to linked_folders in the config to allow it)" if linkable else ""
    raise _outside(path, real, f"outside the content folder {shown}{hint}")


def _outside(path: str | Path, real: str, where: str) -> ContentError:
    if os.path.islink(path):
        return ContentError(f"is a symlink to {real}, {where}", path=path)
    return ContentError(f"is {where}", path=path)


def linked_folder(path: str | Path, what: str) -> tuple[str, str] | None:
    """Where a folder feedtool writes into (``what``: "the output folder") is reached
    through a symlink: the link and a message saying so; None when it is not.

    A repository can hold symlinks, so a committed ``feeds`` or ``.feedtool-cache`` link
    would send a build's writes and removals to any folder the link names. Every part of
    a relative path is looked at (those folders are where the build runs); of an absolute
    one only the last, since the folders above it are the machine's (``/tmp`` is a link
    on macOS) and were named on purpose.
    """
    parts = [os.fspath(path)]
    if not os.path.isabs(path):  # each folder from the first down, spelled as a Path would
        names = [name for name in os.fspath(path).split(os.sep) if name not in ("", ".")]
        parts = [os.sep.join(names[:end]) for end in range(1, len(names) + 1)]
    for part in parts:
        if os.path.islink(part):
            try:
                shown = os.readlink(part)
            except OSError:  # gone since: still no folder to write into
                shown = "?"
            return part, (
                f'is a symlink (to "{shown}"): {what} must be a real folder, or a build '
                "would write and remove files wherever the link points; remove the link, "
                "or name the folder it points to"
            )
    return None


# --- stamps: telling a file unchanged without reading it ---------------------------------

# A file changed within this long before its stamp was taken may change again with
# the same size and time (timestamps are coarse): such files are compared by content.
RACY_NS = 2_000_000_000


def settled(mtime_ns: int, taken_ns: int) -> bool:
    """Whether a file's size and time, taken at ``taken_ns``, tell it from a rewrite of
    the same size: its time has a fraction of a second (the file system keeps fine
    times, so a rewrite would have to land in the same clock tick) or was over
    RACY_NS old when taken. Else (FAT, SMB and other whole-second times) compare bytes.
    """
    return mtime_ns % 1_000_000_000 != 0 or taken_ns - mtime_ns >= RACY_NS


def size_and_time(
    path: Path | str, known: Mapping[str, tuple[int, int]] | None = None
) -> tuple[int, int] | None:
    """A file's (size, mtime_ns) from ``known`` or else from the file; None when it is gone."""
    found = known.get(str(path)) if known is not None else None
    if found is not None:
        return found
    info = stat_or_none(path)
    return None if info is None else (info.st_size, info.st_mtime_ns)


def stat_or_none(path: Path | str) -> os.stat_result | None:
    """``os.stat(path)``, or None when the file is gone or cannot be looked at."""
    try:
        return os.stat(path)
    except OSError:  # gone, or not to be looked at: either way, not the file it was
        return None
