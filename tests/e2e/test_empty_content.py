"""A build that would publish no article over feeds that have items is refused, unless
asked for: an empty checkout or a wrong --content must not empty every feed."""

from __future__ import annotations

import shutil

import pytest

from conftest import NOW, Site, options
from feedtool.config import load_config
from feedtool.errors import NothingToPublish
from feedtool.pipeline import build


def _published_site(site: Site) -> dict[str, bytes]:
    site.configure(feeds_per=["tags"], archives=True)
    for number in range(3):
        site.article(f"{number}.md", title=f"Post {number}", tags="[python]")
    assert site.run("build").exit_code == 0
    return site.snapshot()


@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["cache", "no-cache"])
def test_an_emptied_content_folder_is_refused(site: Site, cache: list[str]) -> None:
    before = _published_site(site)
    shutil.rmtree(site.content)
    site.content.mkdir()
    for check in ([], ["--check"]):
        result = site.run("build", *cache, *check)
        assert result.exit_code == 1
        assert result.output == (
            f"error: {site.content}: has no article to publish, but {site.output / 'rss.xml'} "
            "has items from an earlier build: is this the right content folder? Nothing was "
            "written (--allow-empty publishes empty feeds)\n"
        )
    assert site.snapshot() == before  # not even the per-tag feeds were removed
    allowed = site.run("build", *cache, "--allow-empty")
    assert allowed.exit_code == 0, allowed.output
    assert site.parsed().entries == []
    assert not (site.output / "tags").exists()
    # The feeds are empty now: nothing more to lose, so no flag is needed any more.
    assert site.run("build", *cache).exit_code == 0


def test_a_wrong_content_folder_is_refused(site: Site) -> None:
    before = _published_site(site)
    elsewhere = site.root / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "notes.yaml").write_text("a: 1\n")
    result = site.run("build", "--content", str(elsewhere))
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {elsewhere}: has no article to publish")
    assert len(result.output.splitlines()) == 1
    assert site.snapshot() == before


def test_every_article_a_draft_is_refused_too(site: Site) -> None:
    _published_site(site)
    for number in range(3):
        site.article(f"{number}.md", title=f"Post {number}", draft="true")
    result = site.run("build")
    assert result.exit_code == 1
    assert f"{site.content}: has 3 article(s), none to publish now (drafts" in result.output


@pytest.mark.parametrize("name", ["atom.xml", "feed.json", "rss.xml"])
def test_any_main_feed_with_items_counts(site: Site, name: str) -> None:
    # Whichever formats the last build wrote (the config may have changed since).
    site.configure(formats=[{"atom.xml": "atom", "feed.json": "json", "rss.xml": "rss"}[name]])
    site.article("a.md")
    assert site.run("build", "--no-cache").exit_code == 0
    (site.content / "a.md").unlink()
    site.configure()
    result = site.run("build", "--no-cache")
    assert result.exit_code == 1
    assert f"but {site.output / name} has items" in result.output


def test_nothing_to_lose_needs_no_flag(site: Site) -> None:
    # A new site, and an output folder of feeds that are empty already.
    assert site.run("build").exit_code == 0
    assert site.run("build", "--no-cache").exit_code == 0
    (site.output / "rss.xml").write_text("<rss><channel><title>&lt;item></title></channel></rss>")
    assert site.run("build", "--no-cache").exit_code == 0


def test_the_library_asks_for_allow_empty(site: Site) -> None:
    _published_site(site)
    shutil.rmtree(site.content)
    site.content.mkdir()
    with pytest.raises(NothingToPublish) as refused:
        site.build()
    assert refused.value.path == str(site.content)
    assert refused.value.parameter == "allow_empty"
    assert "--allow-empty" not in str(refused.value)  # the library names no flag
    config = load_config(site.config_path)
    with pytest.raises(NothingToPublish, match="the articles given have no article"):
        build([], site.output, config, options(config, NOW))  # articles made in memory: none
    assert site.build(now=NOW, allow_empty=True).articles == 0
