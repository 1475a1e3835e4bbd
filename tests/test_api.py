"""The Python API: what `import feedtool` offers, used as a program would use it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

import feedtool
from conftest import NOW, Site, options
from feedtool.publish.manifest import MANIFEST


def test_every_public_name_is_importable_and_listed() -> None:
    for name in feedtool.__all__:
        assert getattr(feedtool, name) is not None, name
    assert callable(feedtool.build) and callable(feedtool.validate)
    assert issubclass(feedtool.ContentError, feedtool.FeedtoolError)
    with pytest.raises(AttributeError):
        feedtool.no_such_name  # noqa: B018


def test_importing_feedtool_loads_nothing_heavy() -> None:
    # A command with nothing to do must not pay for lxml, feedgen or the renderers.
    heavy = ("lxml", "feedgen", "nh3", "cmarkgfm")
    code = f"import sys, feedtool; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_build_a_site_from_its_folder(site: Site) -> None:
    site.article("2025-01-01-hello.md", title="Hello")
    config = feedtool.load_config(site.config_path)
    result = feedtool.build(site.content, site.output, config, options(config, NOW))
    assert isinstance(result, feedtool.BuildResult)
    assert result.articles == 1 and "atom.xml" in result.changed
    titles = [e.title for e in feedparser.parse((site.output / "atom.xml").read_bytes()).entries]
    assert titles == ["Hello"]


def test_articles_made_in_memory_give_the_same_feeds_as_the_same_files(site: Site) -> None:
    body = "Some *Markdown* with [a link](other/).\n"
    site.write(
        "2025-01-01-hello.md",
        '---\ntitle: "Hello & welcome"\ndate: 2025-01-01T09:00:00Z\ntags: [a, b]\n---\n' + body,
    )
    config = feedtool.load_config(site.config_path)
    from_files = feedtool.build(
        site.content, site.root / "from-files", config, options(config, NOW)
    )
    post = feedtool.article(
        config,
        {"title": "Hello & welcome", "date": "2025-01-01T09:00:00Z", "tags": ["a", "b"]},
        body,
        source=str(site.content / "2025-01-01-hello.md"),
    )
    in_memory = feedtool.build([post], site.root / "in-memory", config, options(config, NOW))
    assert dict(in_memory.files) == dict(from_files.files)
    assert (site.root / "in-memory" / "rss.xml").read_bytes() == from_files.files["rss.xml"]


def test_an_article_made_in_memory_is_checked_like_a_file(site: Site) -> None:
    config = feedtool.load_config(site.config_path)
    with pytest.raises(feedtool.FeedtoolError) as caught:
        feedtool.article(config, {"title": "No date"}, "text", source="memo.md")
    assert str(caught.value) == "memo.md: date: is required (when the article was published)"
    with pytest.raises(feedtool.ContentError, match='unknown body format "rst"'):
        feedtool.article(
            config, {"title": "T", "date": "2025-01-01"}, "x", source="a", format="rst"
        )


def test_validate_takes_bytes_and_gives_problems(site: Site) -> None:
    site.article("a.md")
    site.build()
    good = (site.output / "rss.xml").read_bytes()
    assert [p for p in feedtool.validate(good) if p.level == "error"] == []
    bad = good.replace(b"<title>", b"<title>", 1).replace(b"</channel>", b"")
    problems = feedtool.validate(bad, name="rss.xml")
    assert problems and problems[0].level == "error" and problems[0].file == "rss.xml"
    assert "not well-formed" in problems[0].message
    not_a_feed = feedtool.validate(b"<html><body>hi</body></html>")
    assert [(p.level, p.code) for p in not_a_feed] == [("error", "not-a-feed")]


def test_library_errors_name_parameters_and_the_command_line_its_flags(site: Site) -> None:
    config = feedtool.load_config(site.config_path)
    missing = site.root / "nowhere"
    with pytest.raises(feedtool.ContentError) as caught:
        feedtool.build(missing, site.output, config, options(config, NOW))
    assert caught.value.parameter == "content_dir"
    assert "--" not in str(caught.value)
    with pytest.raises(feedtool.ConfigError) as config_error:
        feedtool.load_config(site.root / "missing.toml")
    assert config_error.value.parameter == "path" and "--" not in str(config_error.value)
    result = site.run("build", "--content", str(missing))
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"error: {missing}: content folder not found (give another with --content)"
    )


def test_articles_in_memory_need_no_content_folder(site: Site, tmp_path: Path) -> None:
    config = feedtool.load_config(site.config_path)
    post = feedtool.article(
        config, {"title": "T", "date": "2025-01-01"}, "x < y", source="t.txt", format="text"
    )
    result = feedtool.build([post], tmp_path / "out", config, options(config, NOW))
    written = {p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*")}
    assert written == {*result.files, MANIFEST}
    entry = feedparser.parse(result.files["atom.xml"]).entries[0]
    assert entry.content[0].value == "<p>x &lt; y</p>"
