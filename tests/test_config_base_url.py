"""base_url is the folder the site is published in, never a page in it."""

from __future__ import annotations

import pytest

from conftest import Site
from feedtool.config import config_from_mapping
from feedtool.errors import ConfigError


@pytest.mark.parametrize(
    ("given", "meant"),
    [
        ("https://x/blog/index.html", "https://x/blog/"),
        ("https://x/index.htm", "https://x/"),
        ("https://x/blog/feed.xml", "https://x/blog/"),
        ("https://x/blog/?page=1", "https://x/blog/"),
        ("https://x/blog#top", "https://x/blog/"),
    ],
)
def test_a_page_is_refused_saying_what_was_meant(given: str, meant: str) -> None:
    for key in ("base_url", "feeds_url"):
        with pytest.raises(ConfigError, match=f'did you mean "{meant}"') as raised:
            config_from_mapping({"base_url": "https://x/", key: given})
        assert raised.value.field == key


@pytest.mark.parametrize("given", ["https://x/blog", "https://x/blog/", "https://x/v1.2/"])
def test_folders_are_fine(given: str) -> None:
    assert config_from_mapping({"base_url": given}).base_url.endswith("/")


def test_build_stops_with_one_line(site: Site) -> None:
    site.configure('base_url = "https://x.org/blog/index.html"\n')
    site.article("a.md")
    result = site.run("build")
    assert result.exit_code == 1
    assert result.output == (
        f'error: {site.config_path}:1: base_url: "https://x.org/blog/index.html" is a page, '
        'not the folder the site is published in: did you mean "https://x.org/blog/"?\n'
    )
