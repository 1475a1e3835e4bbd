"""Entries rendered once and reused (render/formats/fragments.py) give the formats' bytes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Site
from feedtool.model import FeedDoc
from feedtool.render.formats import Format
from feedtool.render.formats.fragments import Fragments, _line_starts


def _slow(self: Fragments, fmt: Format, doc: FeedDoc, self_url: str) -> bytes:
    return fmt.render(doc, self_url)


def _site(site: Site, **config: Any) -> None:
    site.configure(feeds_per=["tags", "categories", "authors"], formats=["rss", "atom"], **config)
    for n in range(12):
        meta = {
            "tags": f"[t{n % 3}, t{n % 4}, shared]",
            "categories": "[Notes]" if n % 2 else "[]",
        }
        if n % 5 == 0:
            meta["author"] = '"Ada <ada@example.org>"'
        if n % 5 == 1:
            meta["authors"] = '["Bo", "Cy <cy@example.org>"]'
        if n % 3 == 0:
            meta["lang"] = "de"
        if n % 4 == 0:
            meta["image"] = f"https://example.org/i{n}.png"
            meta["enclosures"] = (
                f'["https://cdn.example.org/{n}.mp3", "https://cdn.example.org/{n}.ogg"]'
            )
        body = f"Text {n} with a line that looks like XML:\n\n    <item>\n    <entry x>\n"
        site.article(f"{n:02}.md", title=f"T{n} <&>", date=f"2025-01-{n + 1:02}", **meta)
        (site.content / f"{n:02}.md").write_text(
            (site.content / f"{n:02}.md").read_text().replace("Body text.", body)
        )


@pytest.mark.parametrize(
    "config",
    [
        {"limit": 5},
        {"limit": 20},
        {"archives": True, "archive_page_size": 3, "limit": 4},
        {"limit": 20, "max_bytes": 6000},  # trimmed documents: a binary search of renders
    ],
)
def test_reused_entries_give_the_bytes_of_whole_renders(
    site: Site, monkeypatch: pytest.MonkeyPatch, config: dict[str, Any]
) -> None:
    _site(site, **config)
    fast = site.build()
    assert any(path.startswith("tags/") for path in fast.files)
    monkeypatch.setattr(Fragments, "render", _slow)
    slow = site.build(check=True)
    assert dict(fast.files) == dict(slow.files)


def test_documents_that_do_not_cut_are_rendered_whole(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A format whose entry lines are not what the cutting expects (no line starts so):
    # the whole render. (Entries' <link> lines, tried before, cut a file wrongly when
    # they happened to be as many as its entries, in some orders of rendering.)
    from feedtool.render.formats import fragments

    _site(site, limit=20)
    wrong = {name: (tail, b"    <nothing") for name, (tail, _) in fragments._SHAPES.items()}
    monkeypatch.setattr(fragments, "_SHAPES", wrong)
    fast = site.build()
    monkeypatch.setattr(Fragments, "render", _slow)
    assert dict(site.build(check=True).files) == dict(fast.files)


@given(
    st.lists(
        st.sampled_from([b"\n", b"    <item", b"  <entry", b" ", b">", b"x", b"<item>", b"\n    "]),
        max_size=40,
    ).map(b"".join)
)
def test_entry_lines_are_found_as_a_line_anchored_pattern_finds_them(data: bytes) -> None:
    for start in (b"    <item", b"  <entry"):
        pattern = re.compile(b"^" + re.escape(start) + b"[ >]", re.MULTILINE)
        assert _line_starts(data, start) == [m.start() for m in pattern.finditer(data)]
