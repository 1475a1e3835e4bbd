"""Finding article files in the content tree, safely: symlinks, loops, odd file types."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .errors import ContentError, FeedtoolError
from .render import BODY_SUFFIXES


def is_hidden(name: str) -> bool:
    return name.startswith(("_", "."))


def find_body_files(
    content_dir: Path, problems: list[FeedtoolError] | None = None
) -> Iterator[Path]:
    """Every article body file below ``content_dir``, in a stable order.

    Symlinked folders are followed (articles may live in a linked folder), but
    each real folder is read once: a link back to a folder it is inside (a loop)
    or a second way into a folder already read is a problem, not a hang or a
    duplicate. Problems are appended to ``problems`` when it is given.
    """
    found: list[FeedtoolError] = problems if problems is not None else []
    root = Path(content_dir)
    seen: dict[tuple[int, int], Path] = {}
    try:
        info = os.stat(root)
        seen[(info.st_dev, info.st_ino)] = root
    except OSError as exc:
        found.append(ContentError(f"cannot read the folder: {exc.strerror}", path=root))
        return
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            found.append(ContentError(f"cannot read the folder: {exc.strerror}", path=folder))
            continue
        subfolders: list[Path] = []
        for entry in entries:
            if is_hidden(entry.name):
                continue
            path = folder / entry.name
            is_body = Path(entry.name).suffix.lower() in BODY_SUFFIXES
            try:
                is_dir, is_file = entry.is_dir(), entry.is_file()
            except OSError:  # a loop of symlinks raises ELOOP here
                is_dir = is_file = False
            if is_dir:
                problem = _visit(path, seen)
                if problem is None:
                    subfolders.append(path)
                else:
                    found.append(problem)
            elif is_file:
                if is_body:
                    yield path
            elif is_body:
                found.append(_not_a_file(path))
        pending.extend(reversed(subfolders))


def _visit(folder: Path, seen: dict[tuple[int, int], Path]) -> ContentError | None:
    """Note a folder as read; a problem if it was read already (a symlink loop or duplicate)."""
    try:
        info = os.stat(folder)
    except OSError as exc:
        return ContentError(f"cannot read the folder: {exc.strerror}", path=folder)
    first = seen.setdefault((info.st_dev, info.st_ino), folder)
    if first is folder:
        return None
    if first in folder.parents:
        return ContentError(
            f"symlink loop: this folder leads back to {first}, which it is inside; "
            "remove the link or point it elsewhere",
            path=folder,
        )
    return ContentError(
        f"is the same folder as {first} (through a symlink), which is read already; "
        "each folder is read once, so remove one of the two ways in",
        path=folder,
    )


def _not_a_file(path: Path) -> ContentError:
    try:
        os.stat(path)
    except OSError as exc:
        # A dangling link (ENOENT) or a loop of links (ELOOP).
        return ContentError(f"symlink cannot be followed: {exc.strerror}", path=path)
    return ContentError(
        "is not a regular file (a FIFO, socket or device); only files are read", path=path
    )
