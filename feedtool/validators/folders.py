"""Files and folders: find the feeds, check each, and say what was skipped and why."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import msgspec

from feedtool.parallel import split_map
from feedtool.safefile import read_regular
from feedtool.validators.common import Problem
from feedtool.validators.document import examine_document

FEED_SUFFIXES = (".xml", ".rss", ".atom", ".json")


class Report(msgspec.Struct):
    """Everything one `feedtool validate` run found."""

    problems: list[Problem] = msgspec.field(default_factory=list)
    checked: list[str] = msgspec.field(default_factory=list)  # files that are feeds
    # (file, why it is no feed)
    skipped: list[tuple[str, str]] = msgspec.field(default_factory=list)
    other_files: int = 0  # files in folders whose names are not feed names

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(1 for p in self.problems if p.level == "error")

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(1 for p in self.problems if p.level == "warning")


def _feed_files(folder: Path) -> tuple[list[Path], int]:
    """Feed-named files below ``folder`` in a stable order, and how many others there were."""
    found: list[Path] = []
    others = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        # Hidden folders (.git) and hidden files (a build's temporary files) are not published.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if name.lower().endswith(FEED_SUFFIXES):
                found.append(Path(dirpath) / name)
            else:
                others += 1
    return found, others


def _self_url(base_url: str | None, relative: str) -> str | None:
    if base_url is None:
        return None
    return (base_url if base_url.endswith("/") else base_url + "/") + relative


def _check_file(report: Report, path: Path, self_url: str | None, *, named: bool) -> None:
    shown = str(path)
    try:
        data, _ = read_regular(path)  # never a FIFO: reading it would wait for ever
    except OSError as exc:
        report.problems.append(
            Problem(shown, 1, "error", "unreadable", f"cannot read: {exc.strerror or exc}")
        )
        return
    checked = examine_document(data, self_url)
    if checked.kind is None:
        if named:  # the user asked for this file, so "not a feed" is a problem, not a skip
            report.problems.append(
                Problem(
                    shown,
                    1,
                    "error",
                    "not-a-feed",
                    f"not an RSS 2.0, Atom 1.0 or JSON Feed document ({checked.reason})",
                )
            )
        else:
            report.skipped.append((shown, checked.reason))
        return
    report.checked.append(shown)
    report.problems.extend(checked.findings.problems(shown))


def validate_files(paths: Sequence[Path], base_url: str | None = None) -> Report:
    """Check the given feed files, and every feed in the given folders.

    ``base_url`` is where a folder (or a file's folder) is published: each feed's
    self link must then be ``base_url`` plus the file's path below the folder.
    """
    report = Report()
    for path in paths:
        if path.is_dir():
            files, others = _feed_files(path)
            report.other_files += others
            for file in files:
                relative = file.relative_to(path).as_posix()
                _check_file(report, file, _self_url(base_url, relative), named=False)
        elif path.exists():
            _check_file(report, path, _self_url(base_url, path.name), named=True)
        else:
            report.problems.append(
                Problem(str(path), 1, "error", "unreadable", "no such file or folder")
            )
    return report


def validate_output(
    files: Mapping[str, bytes],
    base_url: str,
    checked: Mapping[str, list[Problem]] | None = None,
) -> list[Problem]:
    """Check documents a build rendered (output path -> bytes) before they are written.

    Files that are not feeds (an OPML list, say) are left alone. ``checked`` holds what
    validate_output_file already found in some of them (where they were rendered): those are
    not checked again. The rest are checked in several processes when there are many
    (see parallel.py). Problems come file by file, in path order.
    """
    feeds = sorted(path for path in files if path.lower().endswith(FEED_SUFFIXES))
    known = checked or {}
    unchecked = [path for path in feeds if path not in known]
    found = split_map(
        lambda path: validate_output_file(path, files[path], base_url),
        unchecked,
        min_items=SPLIT_MIN_FILES,
    )
    results = {**known, **dict(zip(unchecked, found, strict=True))}
    return [problem for path in feeds for problem in results[path]]


def validate_output_file(relative: str, data: bytes, base_url: str) -> list[Problem]:
    """What is wrong with one rendered file, published at ``relative`` below ``base_url``
    (nothing, for a file that is no feed)."""
    checked = examine_document(data, _self_url(base_url, relative))
    return checked.findings.problems(relative) if checked.kind is not None else []


# Below this many feeds a forked helper costs more than it saves.
SPLIT_MIN_FILES = 32
