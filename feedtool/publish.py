"""Putting bytes on disk without ever leaving a half-written or broken feed.

Every file is written to a temporary file in the same folder and renamed over
the old one (``os.replace`` is atomic on POSIX), so a reader fetching during a
build sees the old feed or the new one. All temporary files are written before
any is renamed, so a failure part-way leaves the published feeds as they were.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import PublishError


def _target(output_dir: Path, relative: str) -> Path:
    target = (output_dir / relative).resolve()
    root = output_dir.resolve()
    if root not in target.parents:
        raise PublishError(f"refusing to write outside the output folder: {relative}")
    return target


def changed_files(output_dir: Path, files: dict[str, bytes]) -> list[str]:
    """The output paths whose bytes differ from what is on disk (or that are missing)."""
    changed = []
    for relative, data in sorted(files.items()):
        try:
            current = _target(output_dir, relative).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            current = None
        if current != data:
            changed.append(relative)
    return changed


@contextlib.contextmanager
def _locked(output_dir: Path) -> Iterator[None]:
    # Locking the folder itself leaves no lock file behind; two builds at once take turns.
    fd = os.open(output_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def write_files(output_dir: Path, files: dict[str, bytes]) -> list[str]:
    """Write the files that changed, atomically; return their paths."""
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(
            f"cannot create the output folder: {exc.strerror}", path=output_dir
        ) from None
    with _locked(output_dir):
        changed = changed_files(output_dir, files)
        staged: list[tuple[str, Path]] = []
        try:
            for relative in changed:
                target = _target(output_dir, relative)
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, temp = tempfile.mkstemp(
                    dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
                )
                staged.append((temp, target))
                with os.fdopen(fd, "wb") as handle:
                    handle.write(files[relative])
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(temp, 0o644)
            for temp, target in staged:
                os.replace(temp, target)
        except OSError as exc:
            for temp, _ in staged:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
            raise PublishError(f"cannot write the feeds: {exc}", path=output_dir) from None
    return changed
