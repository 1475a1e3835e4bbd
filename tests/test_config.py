from __future__ import annotations

from pathlib import Path

import pytest

from feedtool.config import config_from_mapping, load_config
from feedtool.errors import ConfigError, FeedtoolError


def test_defaults() -> None:
    config = config_from_mapping({"base_url": "https://example.org"})
    assert config.base_url == "https://example.org/"
    assert config.title == "example.org"
    assert config.description == "example.org"
    assert config.feeds_url == "https://example.org/"
    assert (config.timezone, config.limit, config.permalink) == ("UTC", 20, "/{slug}/")
    assert config.formats == ("rss", "atom", "json")
    assert (config.feeds_per, config.archives, config.max_bytes, config.opml) == (
        (),
        False,
        None,
        True,
    )


def test_feed_keys() -> None:
    config = config_from_mapping(
        {
            "base_url": "https://x.org",
            "formats": ["json", "atom", "json"],
            "feeds_per": ["authors", "tags"],
            "archives": True,
            "archive_page_size": 10,
            "max_bytes": 100_000,
            "opml": False,
        }
    )
    assert config.formats == ("json", "atom")  # repeats dropped, order kept
    assert config.feeds_per == ("authors", "tags")
    assert (config.archives, config.archive_page_size, config.max_bytes) == (True, 10, 100_000)
    assert config.opml is False


def test_every_key(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text(
        'title = "T"\ndescription = "D"\nbase_url = "https://x.org/blog"\nauthor = "A <a@x.org>"\n'
        'language = "de"\ntimezone = "Asia/Tokyo"\nlimit = 5\npermalink = "/{year}/{slug}.html"\n'
        'feeds_url = "https://x.org/feeds/"\nimage = "https://x.org/logo.png"\nicon = "https://x.org/icon.png"\n'
    )
    config = load_config(path)
    assert config.author is not None and config.author.email == "a@x.org"
    assert (config.language, config.timezone, config.limit) == ("de", "Asia/Tokyo", 5)
    assert config.base_url == "https://x.org/blog/"
    assert config.feeds_url == "https://x.org/feeds/"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "base_url: is required"),
        ({"base_url": "example.org"}, 'base_url: "example.org" must be an absolute http(s) URL'),
        ({"base_url": "https://x.org", "colour": "red"}, "colour: unknown key"),
        (
            {"base_url": "https://x.org", "timezone": "Mars/Base"},
            'timezone: unknown time zone "Mars/Base"',
        ),
        ({"base_url": "https://x.org", "limit": 0}, "limit: expected a whole number of 1 or more"),
        (
            {"base_url": "https://x.org", "permalink": "/{title}/"},
            'permalink: "/{title}/" uses an unknown placeholder',
        ),
        ({"base_url": "https://x.org", "permalink": "/posts/"}, "must contain {slug}"),
        ({"base_url": "https://x.org", "formats": ["rss", "xml"]}, "formats: unknown format 'xml'"),
        ({"base_url": "https://x.org", "formats": []}, "formats: must name at least one format"),
        ({"base_url": "https://x.org", "formats": "rss"}, "formats: expected a list of formats"),
        (
            {"base_url": "https://x.org", "feeds_per": ["tag"]},
            "feeds_per: unknown grouping 'tag' (known: authors, categories, languages, tags)",
        ),
        ({"base_url": "https://x.org", "archives": "yes"}, "archives: expected true or false"),
        ({"base_url": "https://x.org", "archive_page_size": 0}, "archive_page_size: expected"),
        ({"base_url": "https://x.org", "max_bytes": -5}, "max_bytes: expected a whole number"),
        ({"base_url": "https://x.org", "opml": 1}, "opml: expected true or false"),
    ],
)
def test_bad_config(data: dict[str, object], message: str) -> None:
    with pytest.raises(FeedtoolError) as info:
        config_from_mapping(data, source="site.toml")
    assert message in str(info.value)
    assert "site.toml" in str(info.value)


def test_all_config_problems_together() -> None:
    with pytest.raises(FeedtoolError) as info:
        config_from_mapping({"colour": 1, "limit": -1}, source="site.toml")
    lines = str(info.value).splitlines()
    assert len(lines) == 3


def test_a_missing_config_names_the_folder_looked_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        load_config(Path("feedtool.toml"))
    assert str(info.value) == f"feedtool.toml: config file not found in {tmp_path}"


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("title = \n")
    with pytest.raises(ConfigError, match="TOML does not parse"):
        load_config(broken)


def test_an_unknown_table_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "feedtool.toml"
    path.write_text('base_url = "https://example.org/"\n\n[site]\nname = "x"\n[[colours]]\n')
    with pytest.raises(FeedtoolError) as info:
        load_config(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    site = f"{path}:3: site: unknown table: the only ones are [podcast] and [dialect_options]"
    assert any(line.startswith(site) for line in lines)
    assert any(line.startswith(f"{path}:5: colours: unknown table") for line in lines)


def test_a_table_is_not_taken_for_a_key_of_the_same_name_in_another_table(
    tmp_path: Path,
) -> None:
    path = tmp_path / "feedtool.toml"
    path.write_text('base_url = "https://example.org/"\n[feeds]\nsite = 1\n[site]\n')
    with pytest.raises(FeedtoolError) as info:
        load_config(path)
    assert f"{path}:4: site: unknown table" in str(info.value)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"atom": "../feed.xml"}, 'atom: expected a plain file name, like "feed.xml"'),
        ({"json": "feed.xml"}, 'json: "feed.xml" must end in .json'),
        ({"atom": "rss.xml"}, "two formats would be written to the same file name"),
        ({"opml": "x.xml"}, "unknown format 'opml' (known: atom, json, rss)"),
        # [podcast] writes podcast.xml: the RSS feeds would be lost under it.
        (
            {"rss": "podcast.xml"},
            'rss: "podcast.xml" is a file feedtool writes itself; pick another',
        ),
    ],
)
def test_feed_files_are_plain_names_of_the_formats_suffix(
    files: dict[str, str], message: str
) -> None:
    data = {"base_url": "https://example.com/", "feed_files": files}
    with pytest.raises(ConfigError) as caught:
        config_from_mapping(data)
    assert str(caught.value) == f"feedtool.toml: feed_files: {message}"


def test_feed_files_name_every_feed_of_a_format(tmp_path: Path) -> None:
    from feedtool.render.formats import FORMATS, feed_url

    config = config_from_mapping(
        {"base_url": "https://example.com/", "feed_files": {"rss": "index.xml"}}
    )
    assert config.feed_files == (("rss", "index.xml"),)
    names = config.feed_files
    assert feed_url(config.feeds_url, "", FORMATS["rss"], names) == "https://example.com/index.xml"
    assert feed_url(config.feeds_url, "tags/go", FORMATS["rss"], names) == (
        "https://example.com/tags/go/index.xml"
    )
    assert feed_url(config.feeds_url, "", FORMATS["atom"], names) == "https://example.com/atom.xml"
