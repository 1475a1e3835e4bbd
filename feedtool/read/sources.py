"""Finding article files in the content tree, safely: symlinks, loops, odd file types."""

from __future__ import annotations

import os
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from feedtool.errors import ContentError, FeedtoolError
from feedtool.render.body import BODY_SUFFIXES

SIDECAR_SUFFIXES = (".yaml", ".yml", ".toml", ".json")


class Source(NamedTuple):
    """An article's files: its body and, if there is one, its sidecar metadata file."""

    # Text, not Paths, in a tuple: a large site has tens of thousands of these, and
    # most builds only look them up in the cache.
    path: str
    sidecar: str | None


def is_hidden(name: str) -> bool:
    return name.startswith(("_", "."))


def find_sources(
    content_dir: Path, problems: list[FeedtoolError] | None = None
) -> Iterator[Source]:
    """Every article below ``content_dir`` with its sidecar, in a stable order.

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
        # Sidecars are found in the listing already read: no stat per candidate name.
        files = {entry.name for entry in entries}
        for entry in entries:
            if is_hidden(entry.name):
                continue
            # String work first: this runs for every file of a large site.
            is_body = os.path.splitext(entry.name)[1].lower() in BODY_SUFFIXES
            path = folder / entry.name
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
                    sidecars = _sidecars(folder, entry.name, files)
                    if len(sidecars) > 1:
                        found.append(too_many_sidecars(path, [s.name for s in sidecars]))
                        continue
                    yield Source(str(path), str(sidecars[0]) if sidecars else None)
            elif is_body:
                found.append(_not_a_file(path))
        pending.extend(reversed(subfolders))


def find_sidecar(body_path: Path) -> Path | None:
    """The metadata file beside a body file, if there is one; more than one is an error."""
    found = [body_path.with_suffix(s) for s in SIDECAR_SUFFIXES]
    found = [candidate for candidate in found if candidate.is_file()]
    if len(found) > 1:
        raise too_many_sidecars(body_path, [candidate.name for candidate in found])
    return found[0] if found else None


def too_many_sidecars(body_path: Path | str, names: list[str]) -> ContentError:
    """Two metadata files for one article: neither may silently win over the other."""
    return ContentError(
        f"has {len(names)} sidecar files ({', '.join(sorted(names))}); "
        "keep its metadata in one of them",
        path=body_path,
    )


def _sidecars(folder: Path, name: str, names: set[str]) -> list[Path]:
    stem = name.rsplit(".", 1)[0]
    return [
        folder / (stem + suffix)
        for suffix in SIDECAR_SUFFIXES
        if stem + suffix in names and (folder / (stem + suffix)).is_file()
    ]


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


def tree_stamp(content_dir: Path) -> tuple[list[tuple[str, int, int]], int] | None:
    """Every non-hidden file below ``content_dir`` as (path, size, mtime_ns), and the newest
    time; None when the tree cannot be read plainly (then nothing is assumed unchanged).

    This is for the cache's "nothing changed" check, so it must see at least every file
    find_sources reads, and it must be fast: strings, not Path objects. Folders are
    followed as find_sources follows them; any loop, error or odd file means None.
    """
    root = os.fspath(content_dir)
    if os.path.dirname(root) == root:
        return None  # the file system's root: its paths are spelled unlike any folder's
    stamps: list[tuple[str, int, int]] = []
    seen: set[tuple[int, int]] = set()
    newest = 0
    pending = [(root, _prefix(content_dir))]
    while pending:
        folder, prefix = pending.pop()
        try:
            # Listed through the folder's descriptor: each file's stat then looks up one
            # name, not its whole path again (~10% of the listing of 50,000 files).
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if (info.st_dev, info.st_ino) in seen:
                return None
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(fd) as listing:
                for entry in listing:
                    name = entry.name
                    if name[0] in "_.":
                        continue
                    if entry.is_file():  # most entries: one check, then the stat
                        entry_info = entry.stat()
                        mtime = entry_info.st_mtime_ns
                        stamps.append((prefix + name, entry_info.st_size, mtime))
                        newest = max(newest, mtime)
                    elif entry.is_dir():
                        pending.append((prefix + name, prefix + name + os.sep))
                    else:
                        return None
        except OSError:
            return None
        finally:
            os.close(fd)
    stamps.sort(key=itemgetter(0))  # paths are unique: the order of the whole tuples
    return stamps, newest


def _prefix(content_dir: Path) -> str:
    """What paths below ``content_dir`` start with, spelled as find_sources spells them
    (a Path: ``./a.md`` is ``a.md``), so both name every file the same way."""
    root = os.fspath(content_dir)
    if root == os.curdir:
        return ""
    return root if root.endswith(os.sep) else root + os.sep


def sources_from_stamps(
    content_dir: Path,
    stamps: list[tuple[str, int, int]],
    problems: list[FeedtoolError] | None = None,
) -> list[Source]:
    """What find_sources gives, in the same order, from a tree_stamp listing of the
    same folder: the listing a build already made, instead of reading the folders again.
    Its one kind of problem (an article with two sidecars) is appended to ``problems``.

    tree_stamp only answers for a plain tree (no loops, no odd files), where find_sources
    finds no other problems, so the two agree (a test compares them).
    """
    files: dict[str, list[tuple[str, str]]] = {}  # folder -> (name, path), sorted (stamps are)
    folders: dict[str, set[str]] = {}  # folder -> its subfolders
    linked: set[str] = set()  # folders already in their parent's set of subfolders
    root = _prefix(content_dir).removesuffix(os.sep)  # "" for the current folder
    for stamp in stamps:
        path = stamp[0]
        folder, _, name = path.rpartition(os.sep)  # tree_stamp joins with os.sep
        listed = files.get(folder)
        if listed is None:
            files[folder] = listed = []
            # Up to the root: a folder with no file of its own (2025/ of 2025/03/a.md)
            # is linked here too, or everything below it would be left out.
            while folder != root and folder not in linked:
                linked.add(folder)
                parent = os.path.dirname(folder)
                folders.setdefault(parent, set()).add(folder)
                folder = parent
        listed.append((name, path))
    found: list[Source] = []
    pending = [root]
    while pending:  # find_sources' order: a folder's files by name, then its subfolders
        folder = pending.pop()
        names = files.get(folder, ())
        # Sidecars are rare: look for one only beside a stem that has one.
        sidecars = {name for name, _ in names if name.endswith(SIDECAR_SUFFIXES)}
        stems = {os.path.splitext(name)[0] for name in sidecars}
        for name, path in names:
            # splitext(name)[1] by hand (tree_stamp left out names that start with a dot).
            dot = name.rfind(".")
            if dot < 0 or name[dot:].lower() not in BODY_SUFFIXES:
                continue
            stem = name[:dot]
            if stem not in stems:  # the usual case
                found.append(Source(path, None))
                continue
            beside = [stem + s for s in SIDECAR_SUFFIXES if stem + s in sidecars]
            if len(beside) > 1:
                if problems is not None:
                    problems.append(too_many_sidecars(path, beside))
                continue
            sidecar = beside[0] if beside else None
            found.append(Source(path, sidecar and os.path.join(folder, sidecar)))
        pending.extend(sorted(folders.get(folder, ()), reverse=True))
    return found
