"""Putting bytes on disk without ever leaving a half-written or broken feed.

Every file is written to a temporary file in the same folder (staging.py) and renamed
over the old one (``os.replace`` is atomic on POSIX), so a reader fetching during a
build sees the old feed or the new one. All temporary files are written before
any is renamed, and if a rename fails the files already renamed are put back,
so a failed build leaves the published feeds byte-for-byte as they were and no
temporary file behind (a build killed outright may leave some; the next build removes
them). Builds into one folder take turns (a lock on the folder). Files an earlier build
wrote and this one does not are removed after the new ones are in place (manifest.py).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import msgspec

from feedtool import safefile
from feedtool.errors import PublishError
from feedtool.model import Article
from feedtool.publish import ledger as ids
from feedtool.publish import paths as outputpaths
from feedtool.publish.folder import OutputFolder
from feedtool.publish.manifest import MANIFEST, manifest, stale_files
from feedtool.publish.staging import (
    fsync_folders,
    held_lock,
    remove_stale_temps,
    replace_atomically,
    stage_all,
)

__all__ = ["MANIFEST", "changed_files", "stale_files", "write_files"]


class _Current(msgspec.Struct, frozen=True):
    data: bytes | None  # None: missing, or not readable as a file
    mode: int | None


def _current(target: Path) -> _Current:
    try:
        data, info = safefile.read_regular(target)  # never a FIFO: it would wait for ever
        return _Current(data, stat.S_IMODE(info.st_mode))
    except OSError:
        pass
    # Missing, or something in the way (a folder or FIFO of that name, no permission):
    # a write is needed, and it is the write that reports what is wrong.
    return _Current(None, None)


def changed_files(output_dir: Path, files: Mapping[str, bytes]) -> list[str]:
    """The output paths whose bytes differ from what is on disk (or that are missing)."""
    targets = outputpaths.targets(output_dir, sorted(files))
    return [
        relative for relative, target in targets.items() if _current(target).data != files[relative]
    ]


def _make_folder(folder: Path, root: Path, created: list[Path]) -> None:
    """Create ``folder`` and missing parents below ``root``, noting each one created."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate == root or candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        created.append(candidate)  # first: an interrupt after mkdir must find it noted
        candidate.mkdir()


@dataclass(frozen=True)
class Snapshot:
    """The output folder and the ledger of published ids as a build finds them: each
    file read at most once, when first asked for, and the same answer after."""

    folder: OutputFolder  # what is published now (see folder.py)
    ledger_path: Path | None  # the ledger of published ids (ledger.py), if the build keeps one

    @cached_property
    def ledger(self) -> ids.Ledger | None:
        """The ledger as read (None: no ledger kept)."""
        return ids.read_ledger(self.ledger_path) if self.ledger_path is not None else None


def snapshot(output_dir: Path, ledger: Path | None) -> Snapshot:
    """The output folder and ledger of one build, before anything is read or written."""
    return Snapshot(OutputFolder(output_dir), ledger)


class Written(msgspec.Struct, frozen=True):
    """Stage 6's result: what a build wrote (with ``check``: would write)."""

    changed: list[str]  # paths whose contents differ from what was published
    removed: list[str]  # files an earlier build wrote and this one does not
    stamps: dict[str, tuple[int, int]]  # every file's (size, mtime_ns) as left (not with check)
    ledger_changed: bool  # the ledger of published ids was (would be) written


def write(
    snapshot: Snapshot,
    files: Mapping[str, bytes],
    published: list[Article],
    content_dir: Path | None,
    *,
    keeps: Mapping[str, str] | None = None,
    record_ids: bool = True,
    check: bool = False,
    on_file: Callable[[str, int, int], None] | None = None,
    ids_recorded: bool = False,
) -> Written:
    """Stage 6: publish ``files`` and record the ``published`` articles' ids in the
    ledger (after the feeds: it lists only what was published; not unless
    ``record_ids``), with what it ``keeps`` for some (see ledger.kept_ids). With
    ``check``, only tell what would change. ``ids_recorded``: the ledger has them
    already as they are (the cache says so), and is not read."""
    folder = snapshot.folder
    book = snapshot.ledger_path if record_ids and not ids_recorded else None
    kept = dict(keeps) if keeps else None
    # The ledger's file names are relative to the content folder; articles made in
    # memory are names in no folder.
    where = content_dir if content_dir is not None else Path()
    if check:
        changed = folder.changed(files)
        removed = stale_files(folder.directory, files)
        ledger_changed = book is not None and ids.would_change(
            book, published, where, snapshot.ledger, kept
        )
        return Written(changed, removed, {}, ledger_changed)
    removed = []
    stamps: dict[str, tuple[int, int]] = {}
    changed = write_files(
        folder.directory,
        files,
        removed=removed,
        written=stamps,
        unchanged=folder.seen(files),
        on_file=on_file,
    )
    ledger_changed = book is not None and ids.record(book, published, where, snapshot.ledger, kept)
    return Written(changed, removed, stamps, ledger_changed)


def write_files(
    output_dir: Path,
    files: Mapping[str, bytes],
    *,
    removed: list[str] | None = None,
    written: dict[str, tuple[int, int]] | None = None,
    unchanged: Mapping[str, tuple[int, int]] | None = None,
    on_file: Callable[[str, int, int], None] | None = None,
) -> list[str]:
    """Write the files that changed, atomically and all or nothing; return their paths.

    ``removed`` (if given) gets the files an earlier build wrote that this one does not,
    which are removed; ``written`` gets every file's (size, mtime_ns) as this build left
    it, taken while the folder is still locked, so no other build's write is mistaken
    for this one's. ``unchanged`` has the (size, mtime_ns) of files whose bytes were just
    read from the output folder: still so, they are not read again.
    ``on_file(path, done, total)`` is told of each changed file once it is written.
    """
    published = files
    outputpaths.check_folder(output_dir)
    # The manifest of what is published here goes with every write, so a later build
    # knows which files it may remove.
    targets = outputpaths.targets(output_dir, [*sorted(files), MANIFEST])
    files = {**files, MANIFEST: manifest(files)}
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(
            f"cannot create the output folder: {exc.strerror}", path=output_dir
        ) from None
    root = output_dir.resolve()
    # Locking the folder itself leaves no lock file behind; two builds at once take turns.
    with held_lock(output_dir, create=False, what="the output folder"):
        # What the manifest on disk lists (read before it is replaced) and is no longer written.
        stale = stale_files(output_dir, published) if removed is not None else []
        remove_stale_temps(list(targets.values()))
        # Read under the lock: another build may just have written the same bytes.
        before: dict[str, _Current] = {}
        changed: list[str] = []
        for relative, target in targets.items():
            seen = unchanged.get(relative) if unchanged else None
            if seen is not None and safefile.size_and_time(target) == seen:
                continue  # the very file ``files`` holds the bytes of, untouched since
            before[relative] = _current(target)
            if before[relative].data != files[relative]:
                changed.append(relative)
        staged: dict[str, str] = {}  # relative path -> temporary file
        replaced: list[str] = []
        created: list[Path] = []
        # A file replaced keeps its mode (a site may publish group-writable feeds).
        modes = {relative: before[relative].mode for relative in changed}
        try:
            for relative in changed:
                _make_folder(targets[relative].parent, root, created)
            stage_all(changed, targets, files, modes, staged, on_file)
            for relative in changed:
                # Noted before the rename, so that an interrupt (Ctrl-C, or the SIGTERM
                # a CI job is cancelled with) arriving just after it still has it undone;
                # undoing a rename that did not happen writes the old bytes again.
                replaced.append(relative)
                os.replace(staged[relative], targets[relative])
                del staged[relative]
        except BaseException as exc:
            # Whatever stops the build here (a full disk, Ctrl-C), the published files
            # go back to what they were: a reader never sees half of one build.
            failures = _roll_back(targets, before, staged, replaced, created)
            if not isinstance(exc, OSError):
                raise
            message = f"cannot write the feeds: {exc}"
            if failures:
                message += "; and could not restore " + ", ".join(failures)
            else:
                message += "; the published files are as they were"
            raise PublishError(message, path=output_dir) from None
        fsync_folders(targets[relative].parent for relative in replaced)
        if removed is not None:
            removed.extend(_remove(output_dir, stale, root, published))
        if written is not None:
            for relative in published:
                info = targets[relative].stat()
                written[relative] = (info.st_size, info.st_mtime_ns)
    return [relative for relative in changed if relative != MANIFEST]


def _remove(
    output_dir: Path, stale: list[str], root: Path, published: Mapping[str, bytes]
) -> list[str]:
    """Remove what stale_files named, and folders that leaves empty; after the new files
    are in place, so a reader never follows a link to a feed that is gone. A file that
    cannot be removed stays in the manifest, so the next build tries again."""
    removed: list[str] = []
    kept: list[str] = []
    try:
        for relative in stale:
            path = output_dir / relative  # the name itself, never where a link points
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                kept.append(relative)
                continue
            removed.append(relative)
            folder = outputpaths.target(output_dir, relative).parent
            while folder != root and folder.is_relative_to(root):
                try:
                    folder.rmdir()  # only succeeds when empty
                except OSError:
                    break
                folder = folder.parent
    except BaseException:
        # Interrupted: the new files are all in place; what is not removed yet stays
        # listed in the manifest, so that the next build removes it.
        gone = set(removed)
        kept += [relative for relative in stale if relative not in gone and relative not in kept]
        _keep_listed(output_dir, published, kept)
        raise
    _keep_listed(output_dir, published, kept)
    return removed


def _keep_listed(output_dir: Path, published: Mapping[str, bytes], kept: list[str]) -> None:
    if kept:
        with contextlib.suppress(OSError):
            target = outputpaths.target(output_dir, MANIFEST)
            mode = _current(target).mode
            replace_atomically(target, manifest([*published, *kept]), mode)


def _roll_back(
    targets: dict[str, Path],
    before: dict[str, _Current],
    staged: dict[str, str],
    replaced: list[str],
    created: list[Path],
) -> list[str]:
    """Undo a write that failed part-way; return what could not be undone."""
    failures = []
    for temp in list(staged.values()):
        with contextlib.suppress(FileNotFoundError):  # renamed already
            os.unlink(temp)
    for relative in reversed(replaced):
        target, old = targets[relative], before[relative]
        try:
            if old.data is None:
                with contextlib.suppress(FileNotFoundError):  # never renamed into place
                    os.unlink(target)
            else:
                replace_atomically(target, old.data, old.mode)
        except OSError as exc:
            failures.append(f"{relative} ({exc.strerror})")
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()
    return failures
