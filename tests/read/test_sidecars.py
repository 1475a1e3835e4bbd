"""One article, one metadata file: several sidecars beside one article are an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Site
from feedtool.config import load_config
from feedtool.errors import ContentError, FeedtoolError
from feedtool.read.metadata import load_article
from feedtool.read.sources import find_sources, sources_from_stamps, tree_stamp


def _three_sidecars(site: Site) -> None:
    site.write("a.md", "Body\n")
    site.write("a.yaml", "title: From YAML\ndate: 2025-01-02\n")
    site.write("a.json", '{"title": "From JSON", "date": "2025-01-02"}\n')
    site.write("a.toml", 'title = "From TOML"\ndate = 2025-01-02\n')
    site.article("b.md", title="B")


@pytest.mark.parametrize("cache", [True, False])
def test_several_sidecars_are_an_error(site: Site, cache: bool) -> None:
    _three_sidecars(site)
    result = site.run("build", *([] if cache else ["--no-cache"]))
    assert result.exit_code == 1
    assert result.output == (
        f"error: {site.content / 'a.md'}: has 3 sidecar files (a.json, a.toml, a.yaml); "
        "keep its metadata in one of them\n"
    )
    assert not site.output.exists()


def test_the_listing_the_cache_made_finds_them_too(site: Site) -> None:
    _three_sidecars(site)
    site.write("sub/c.txt", "Body\n")
    site.write("sub/c.yml", "title: C\ndate: 2025-01-02\n")
    site.write("sub/c.yaml", "title: C\ndate: 2025-01-02\n")
    tree = tree_stamp(site.content)
    assert tree is not None
    scanned: list[FeedtoolError] = []
    listed: list[FeedtoolError] = []
    assert sources_from_stamps(site.content, tree[0], listed) == list(
        find_sources(site.content, scanned)
    )
    assert [str(p) for p in listed] == [str(p) for p in scanned]
    assert len(scanned) == 2


def test_load_article_refuses_them(site: Site) -> None:
    _three_sidecars(site)
    with pytest.raises(ContentError, match=r"has 3 sidecar files \(a.json, a.toml, a.yaml\)"):
        load_article(Path(site.content / "a.md"), load_config(site.config_path))


def test_keep_going_skips_that_article(site: Site) -> None:
    _three_sidecars(site)
    result = site.run("build", "--keep-going")
    assert result.exit_code == 0
    assert "has 3 sidecar files" in result.output and "(skipped)" in result.output
    assert [entry.title for entry in site.parsed().entries] == ["B"]
