"""sources_from_stamps, the fast way every cached build lists articles, against the plain
way it was first written: the same articles, sidecars, order and problems."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from feedtool.errors import FeedtoolError
from feedtool.read.sources import (
    SIDECAR_SUFFIXES,
    Source,
    listed_prefix,
    sources_from_stamps,
    too_many_sidecars,
)
from feedtool.values.choices import BODY_SUFFIXES


def plain_sources(
    content_dir: Path, stamps: list[tuple[str, int, int, int]], problems: list[FeedtoolError]
) -> list[Source]:
    """One file at a time, by name: what sources_from_stamps must give."""
    files: dict[str, list[tuple[str, str]]] = {}
    folders: dict[str, set[str]] = {}
    linked: set[str] = set()
    root = listed_prefix(content_dir).removesuffix(os.sep)
    for stamp in stamps:
        path = stamp[0]
        folder, _, name = path.rpartition(os.sep)
        if folder not in files:
            files[folder] = []
            up = folder
            while up != root and up not in linked:
                linked.add(up)
                parent = os.path.dirname(up)
                folders.setdefault(parent, set()).add(up)
                up = parent
        files[folder].append((name, path))
    found: list[Source] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        names = files.get(folder, [])
        sidecars = {name for name, _ in names if name.endswith(SIDECAR_SUFFIXES)}
        for name, path in names:
            stem, suffix = os.path.splitext(name)
            if suffix.lower() not in BODY_SUFFIXES:
                continue
            beside = [stem + s for s in SIDECAR_SUFFIXES if stem + s in sidecars]
            if len(beside) > 1:
                problems.append(too_many_sidecars(path, beside))
                continue
            found.append(Source(path, os.path.join(folder, beside[0]) if beside else None))
        pending.extend(sorted(folders.get(folder, ()), reverse=True))
    return found


FOLDERS = ["", "a/", "a/b/", "a.d/", "2025/03/", "z/"]
STEMS = ["x", "y", "x.tar", "Z", "10", "9"]
SUFFIXES = [".md", ".MD", ".Markdown", ".txt", ".html", ".htm", *SIDECAR_SUFFIXES, ".png", ""]
FILES = st.lists(
    st.tuples(st.sampled_from(FOLDERS), st.sampled_from(STEMS), st.sampled_from(SUFFIXES)),
    max_size=40,
)


@given(FILES, st.sampled_from(["content", ".", "content/", "site/content"]))
def test_the_same_sources_as_one_file_at_a_time(
    files: list[tuple[str, str, str]], top: str
) -> None:
    content = Path(top)
    prefix = listed_prefix(content)
    paths = sorted({prefix + folder + stem + suffix for folder, stem, suffix in files})
    stamps = [(path, 1, 2, 3) for path in paths]
    expected_problems: list[FeedtoolError] = []
    expected = plain_sources(content, stamps, expected_problems)
    problems: list[FeedtoolError] = []
    assert sources_from_stamps(content, stamps, problems) == expected
    assert [str(p) for p in problems] == [str(p) for p in expected_problems]
