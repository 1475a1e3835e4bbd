"""Finding article files in the content tree, safely: symlinks, loops, odd file types.

One walk (walk) lists the tree; the articles (find_sources) and the cache's stamps
(tree_stamp) are both made from its listing, so they cannot disagree."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

from feedtool import safefile
from feedtool.errors import ContentError, FeedtoolError
from feedtool.values.choices import (
    BODY_SUFFIXES,
    CACHE_FOLDER,
    LEDGER_LOCK,
    LEDGER_NAME,
    MANIFEST_NAME,
)

if TYPE_CHECKING:
    from pathlib import Path  # the quick check loads no pathlib (see cli/quick.py)

SIDECAR_SUFFIXES = (".yaml", ".yml", ".toml", ".json")
BODY_SUFFIXES_TUPLE = tuple(BODY_SUFFIXES)
_READ_SUFFIXES = BODY_SUFFIXES_TUPLE + SIDECAR_SUFFIXES  # files read as content


class Source(NamedTuple):
    """An article's files: its body and, if there is one, its sidecar metadata file."""

    # Text, not Paths, in a tuple: a large site has tens of thousands of these, and
    # most builds only look them up in the cache.
    path: str
    sidecar: str | None


# Folders other generators (and feedtool, and tools) write into: a dialect never reads
# them as content, and its site's listing leaves them out, with the ledger of published
# ids (in the content folder of a site whose generator reads its root, as Jekyll's does:
# the build's summary has its stamps).
GENERATED = frozenset(
    {
        *("node_modules", ".git", "_site", "public", "output", "feeds", CACHE_FOLDER),
        *(".jekyll-cache", ".sass-cache", ".bundle"),
    }
)
NOT_CONTENT = GENERATED | {LEDGER_NAME, LEDGER_LOCK, MANIFEST_NAME}  # feedtool's own


class Rule(NamedTuple):
    """Which names a listing of the content folder leaves out (read/readers.py: each
    reader's own): those starting with one of ``hidden``'s characters, and those named
    in ``skipped``."""

    hidden: str = "_."
    skipped: frozenset[str] = frozenset()


OWN = Rule()  # feedtool's own sites: names starting with _ or . are never read


class Listing(NamedTuple):
    """What walk() found below a content folder."""

    # Every non-hidden regular file as (path, size, mtime_ns, ctime_ns), sorted by path:
    # paths are spelled as the user named the folder (``content/a.md``; ``a.md`` for
    # ``.``). The inode's change time (ctime) moves with every edit, even one that puts
    # the modification time back (``touch -r``), and with a file renamed into place.
    files: list[tuple[str, int, int, int]]
    newest: int  # the latest modification time
    problems: list[ContentError]  # loops, broken links, odd files, links leading outside


def walk(content_dir: str | Path, roots: Sequence[str | Path] = (), rule: Rule = OWN) -> Listing:
    """Every file below ``content_dir``, safely: the one walk of the content tree.

    Symlinked folders are followed (articles may live in a linked folder), but each
    real folder is read once: a link back to a folder it is inside (a loop) or a second
    way into a folder already read is a problem, not a hang or a duplicate. A symlink
    named like an article or sidecar, and a symlinked folder, must lead inside the
    content folder or one of ``roots`` (safefile.inside). FIFOs, sockets and devices
    named like articles are problems; other names are not read, so they are left out,
    and so are the names ``rule`` hides (feedtool's own: any starting with _ or .).
    It must be fast (every build lists the whole tree): strings, not Path objects.
    """
    root = os.fspath(content_dir)
    allowed = [root, *roots]
    hidden, skipped = rule
    problems: list[ContentError] = []
    files: list[tuple[str, int, int, int]] = []
    if os.path.dirname(os.path.abspath(root)) == os.path.abspath(root):
        problem = ContentError("the file system's root cannot be the content folder", path=root)
        return Listing(files, 0, [problem])
    seen: dict[tuple[int, int], str] = {}
    newest = 0
    pending = [(root, listed_prefix(content_dir))]
    while pending:
        folder, prefix = pending.pop()
        try:
            # Listed through the folder's descriptor: each file's stat then looks up one
            # name, not its whole path again (~10% of the listing of 50,000 files).
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as exc:
            problems.append(ContentError(f"cannot read the folder: {exc.strerror}", path=folder))
            continue
        try:
            info = os.fstat(fd)
            first = seen.setdefault((info.st_dev, info.st_ino), folder)
            if first is not folder:
                problems.append(_seen_already(folder, first))
                continue
            subfolders: list[str] = []
            with os.scandir(fd) as listing:
                for entry in listing:
                    name = entry.name
                    if name[0] in hidden:
                        continue
                    if skipped and name in skipped:
                        continue
                    path = prefix + name
                    try:
                        if entry.is_file():  # most entries: one check, then the stat
                            if entry.is_symlink() and name.lower().endswith(_READ_SUFFIXES):
                                safefile.inside(path, allowed)
                            entry_info = entry.stat()
                            mtime = entry_info.st_mtime_ns
                            files.append((path, entry_info.st_size, mtime, entry_info.st_ctime_ns))
                            if mtime > newest:  # not max(): a call for each file
                                newest = mtime
                        elif entry.is_dir():
                            if entry.is_symlink():
                                safefile.inside(path, allowed)
                            subfolders.append(path)
                        elif name.lower().endswith(BODY_SUFFIXES_TUPLE):
                            problems.append(_not_a_file(path))
                    except ContentError as exc:
                        problems.append(exc)
                    except OSError:  # a loop of symlinks raises ELOOP here
                        if name.lower().endswith(BODY_SUFFIXES_TUPLE):
                            problems.append(_not_a_file(path))
            # By name, so which of two ways into one folder counts as the first is stable.
            pending.extend((path, path + os.sep) for path in sorted(subfolders, reverse=True))
        except OSError as exc:
            problems.append(ContentError(f"cannot read the folder: {exc.strerror}", path=folder))
        finally:
            os.close(fd)
    files.sort(key=itemgetter(0))  # paths are unique: the order of the whole tuples
    problems.sort(key=lambda p: (p.path or "", p.message))
    return Listing(files, newest, problems)


def find_sources(
    content_dir: Path,
    problems: list[FeedtoolError] | None = None,
    roots: Sequence[str | Path] = (),
) -> list[Source]:
    """Every article below ``content_dir`` with its sidecar, in a stable order (see
    walk); problems are appended to ``problems`` when it is given."""
    listing = walk(content_dir, roots)
    if problems is not None:
        problems.extend(listing.problems)
    return sources_from_stamps(content_dir, listing.files, problems)


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


def _seen_already(folder: str, first: str) -> ContentError:
    if folder.startswith(first.rstrip(os.sep) + os.sep) or first in (".", ""):
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


def _not_a_file(path: str) -> ContentError:
    try:
        os.stat(path)
    except OSError as exc:
        # A dangling link (ENOENT) or a loop of links (ELOOP).
        return ContentError(f"symlink cannot be followed: {exc.strerror}", path=path)
    return ContentError(
        "is not a regular file (a FIFO, socket or device); only files are read", path=path
    )


def tree_stamp(
    content_dir: str | Path, roots: Sequence[str | Path] = (), rule: Rule = OWN
) -> tuple[list[tuple[str, int, int, int]], int] | None:
    """walk()'s files and newest time, for the cache's "nothing changed" check; None when
    the tree has problems (then it is read in full, and the problems reported)."""
    listing = walk(content_dir, roots, rule)
    if listing.problems:
        return None
    return listing.files, listing.newest


class Listed(NamedTuple):
    """tree_stamp()'s listing of a content folder, with what it was made from and when:
    the command line's quick check hands its own to the build (open_cache(listed=)),
    which then does not list the folder again."""

    content: str
    roots: tuple[str, ...]
    rule: Rule
    files: list[tuple[str, int, int, int]]
    newest: int
    taken_ns: int  # when it was begun: stamps taken since are no older


def list_content(content: str, roots: tuple[str, ...], rule: Rule) -> Listed | None:
    """tree_stamp() of ``content``, kept with what it was made from and when."""
    taken_ns = time.time_ns()
    tree = tree_stamp(content, roots, rule)
    if tree is None:
        return None
    return Listed(content, roots, rule, tree[0], tree[1], taken_ns)


def listed_prefix(content_dir: Path | str) -> str:
    """What paths below ``content_dir`` start with, spelled as find_sources spells them
    (a Path: ``./a.md`` is ``a.md``), so both name every file the same way."""
    root = os.fspath(content_dir)
    if root == os.curdir:
        return ""
    return root if root.endswith(os.sep) else root + os.sep


def sources_from_stamps(
    content_dir: Path,
    stamps: list[tuple[str, int, int, int]],
    problems: list[FeedtoolError] | None = None,
) -> list[Source]:
    """The articles (body files with their sidecars) of walk()'s listing of a folder, in
    a stable order: a folder's files by name, then its subfolders by name. Its one kind
    of problem (an article with two sidecars) is appended to ``problems``.

    Every build with a cache runs this over every file: few steps per file, in C where
    they can be (a folder's files are one run of the sorted listing, most folders hold
    no sidecar, and most names end in a body suffix as written)."""
    files: dict[str, list[str]] = {}  # folder -> its files' paths, sorted (stamps are)
    folders: dict[str, set[str]] = {}  # folder -> its subfolders
    linked: set[str] = set()  # folders already in their parent's set of subfolders
    root = listed_prefix(content_dir).removesuffix(os.sep)  # "" for the current folder
    paths = [stamp[0] for stamp in stamps]
    sep = os.sep  # tree_stamp joins with it
    # Each file's folder ("" for the current folder's own, which walk names bare).
    where = [path.rpartition(sep)[0] for path in paths]
    last: str | None = None
    listed: list[str] = []
    for folder, path in zip(where, paths, strict=True):
        if folder != last:
            last = folder
            found_listed = files.get(folder)
            if found_listed is None:
                files[folder] = found_listed = []
                # Up to the root: a folder with no file of its own (2025/ of 2025/03/a.md)
                # is linked here too, or everything below it would be left out.
                while folder != root and folder not in linked:
                    linked.add(folder)
                    parent = os.path.dirname(folder)
                    folders.setdefault(parent, set()).add(folder)
                    folder = parent
            listed = found_listed
        listed.append(path)
    found: list[Source] = []
    pending = [root]
    while pending:  # find_sources' order: a folder's files by name, then its subfolders
        folder = pending.pop()
        listed = files.get(folder, [])
        start = len(folder) + 1 if folder else 0  # where each file's name starts
        sidecars = {path for path in listed if path.endswith(SIDECAR_SUFFIXES)}
        if not sidecars:  # the usual case
            bodies = [p for p in listed if p.endswith(BODY_SUFFIXES_TUPLE) or _body(p, start)]
            found.extend(map(Source, bodies, [None] * len(bodies)))
        else:
            found.extend(_with_sidecars(listed, start, sidecars, problems))
        pending.extend(sorted(folders.get(folder, ()), reverse=True))
    return found


def _body(path: str, start: int) -> bool:
    """Whether the name starting at ``start`` of ``path`` has a body suffix, in any case."""
    dot = path.rfind(".")
    return dot >= start and path[dot:].lower() in BODY_SUFFIXES


def _with_sidecars(
    listed: list[str], start: int, sidecars: set[str], problems: list[FeedtoolError] | None
) -> list[Source]:
    """The articles of a folder's files ``listed`` (names from ``start``), some of which
    are the ``sidecars``: each body with the one beside it (two: a problem)."""
    stems = {os.path.splitext(path)[0] for path in sidecars}
    found: list[Source] = []
    for path in listed:
        if not _body(path, start):
            continue
        stem = path[: path.rfind(".")]
        if stem not in stems:
            found.append(Source(path, None))
            continue
        beside = [stem + s for s in SIDECAR_SUFFIXES if stem + s in sidecars]
        if len(beside) > 1:
            if problems is not None:
                problems.append(too_many_sidecars(path, [name[start:] for name in beside]))
            continue
        found.append(Source(path, beside[0] if beside else None))
    return found
