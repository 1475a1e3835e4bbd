"""index.html links a site's own media relative to the page, so the preview plays them."""

from __future__ import annotations

import pytest

from feedtool.render.formats.page import near_url


@pytest.mark.parametrize(
    ("url", "page", "expected"),
    [
        ("https://e.org/media/a.mp3", "https://e.org/", "media/a.mp3"),
        ("https://e.org/media/a.mp3", "https://e.org/feeds/", "../media/a.mp3"),
        ("https://e.org/blog/a%20b.mp3?x=1", "https://e.org/blog/", "a%20b.mp3?x=1"),
        ("https://e.org/blog/a:b.mp3", "https://e.org/blog/", "./a:b.mp3"),
        ("https://cdn.example/a.mp3", "https://e.org/", "https://cdn.example/a.mp3"),
        ("http://e.org/a.mp3", "https://e.org/", "http://e.org/a.mp3"),  # another origin
        ("https://e.org/a.mp3", None, "https://e.org/a.mp3"),
    ],
)
def test_near_url(url: str, page: str | None, expected: str) -> None:
    assert near_url(url, page) == expected
