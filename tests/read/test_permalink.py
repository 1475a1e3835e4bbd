"""Permalinks: the fast join must be exactly urljoin; slugs come from file names."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from urllib.parse import urljoin

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from feedtool.read.permalink import _join, _stem, default_id, slug

segment = st.one_of(
    st.sampled_from(["", ".", "..", "...", "a", "2025", "x%20y", "a?b", "a#b", "x:y", "a\\b"]),
    st.text(alphabet="ab.:?#/%\\ -", max_size=6),
)
relative = st.lists(segment, max_size=5).map("/".join).map(lambda p: p.lstrip("/"))
base = st.sampled_from(
    ["https://x.org/", "https://x.org/blog/", "https://x.org/a?q/", "http://h/#f/"]
)


@given(base, relative)
@example("https://x.org/", "posts//hello/")
@example("https://x.org//", "a/")
@example("https://x.org/./", "a/")
@example("https://x.org/a/../", "b/")
@example("https://x.org/", " ")
def test_join_is_urljoin(base_url: str, path: str) -> None:
    assert _join(base_url, path) == urljoin(base_url, path)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("content/2025-08-16-melania-letter.txt", "melania-letter"),
        ("content/notes/My Post.md", "My-Post"),
        ("content/a.b.md", "a.b"),
    ],
)
def test_slug_from_file_name(path: str, expected: str) -> None:
    assert slug(None, path) == expected


@given(st.datetimes(min_value=datetime(1000, 1, 1), timezones=st.just(UTC)))
def test_default_id_dates_are_iso_dates(published: datetime) -> None:
    expected = f"tag:example.org,{published.date().isoformat()}:/a-b"
    assert default_id("https://example.org/blog/", published, "a-b") == expected


def test_default_ids_of_years_before_1000_stay_as_they_were() -> None:
    # Ids must never change: these were made with Linux strftime's unpadded %Y (which
    # pads on macOS and from Python 3.14), so they are written out here, not derived.
    published = datetime(999, 12, 31, tzinfo=UTC)
    assert default_id("https://example.org/", published, "a") == "tag:example.org,999-12-31:/a"


@given(st.text(alphabet="ab. -\u00e9", max_size=10))
@example(".md")
@example("..md")
@example("a..md")
@example(".a.md")
@example("noext")
def test_the_stem_is_splitexts(name: str) -> None:
    # The suffix is cut by hand (this runs for every article): as os.path.splitext cuts it.
    assert _stem(name) == os.path.splitext(name)[0]


@given(
    st.text(alphabet=st.sampled_from(["a", "-", " ", "\t", "\x1c", "\u00a0", "\u2003", "\n", "é"]))
)
@example("  My  Post ")
def test_spaces_in_a_slug_become_one_dash_as_the_pattern_had_it(name: str) -> None:
    # str.split() (what a slug's white space is cut on now) splits on what \s matches.
    assert "-".join(name.split()) == re.sub(r"\s+", "-", name.strip())
