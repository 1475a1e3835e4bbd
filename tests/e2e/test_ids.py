"""Stories of ids readers can trust: each change a site goes through that used to give its
published items new ids (and made every reader show them again as new), told through the
command line: the exact message, the fix, and feeds whose ids are the ones published."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import CliRunner, Result

from conftest import DEFAULT_CONFIG, NOW, Site, options
from feedtool.cli import cli
from feedtool.config import load_config
from feedtool.errors import ManyErrors
from feedtool.model import Article
from feedtool.pipeline import build
from feedtool.publish.ledger import IdChanged, read_ledger

FIX = " (feedtool ids --keep adds it), or build with --new-ids to publish it as new\n"


def feed_ids(site: Site) -> dict[str, list[str]]:
    """Every feed's item ids, as readers see them (feedparser; JSON Feed as JSON)."""
    ids: dict[str, list[str]] = {}
    for path in sorted(site.output.rglob("*")):
        name = str(path.relative_to(site.output))
        if path.suffix == ".xml":
            ids[name] = [entry.id for entry in feedparser.parse(path.read_bytes()).entries]
        elif path.suffix == ".json":
            ids[name] = [item["id"] for item in json.loads(path.read_bytes())["items"]]
    return ids


def error(site: Site, name: str, old: str, new: str, why: str, line: str = "") -> str:
    return (
        f'error: {site.content / name}{line}: id: would change from "{old}" (published from '
        f'{why}) to "{new}", and readers would show it again as new; add id: "{old}" to keep it'
        + FIX
    )


def rebase(site: Site, base_url: str, **extra: Any) -> None:
    """The site's config with another base_url."""
    site.configure(DEFAULT_CONFIG.replace("https://example.org/blog/", base_url), **extra)


def ids(site: Site, *args: str) -> Result:
    """feedtool ids, for the site (it reads no output folder, so takes no --output)."""
    base = ["--content", str(site.content), "--config", str(site.config_path)]
    return CliRunner().invoke(cli, ["ids", *base, *args])


def published(site: Site) -> dict[str, list[str]]:
    result = site.run("build")
    assert result.exit_code == 0, result.output
    ids = feed_ids(site)
    assert ids and all(ids.values())
    return ids


def test_renamed_file(site: Site) -> None:
    site.article("2025-01-02-first-name.md", title="First", body="The text.")
    site.article("other.md", title="Other", date="2025-01-01")
    before = published(site)
    (site.content / "2025-01-02-first-name.md").rename(site.content / "better-name.md")

    result = site.run("build")
    assert result.exit_code == 1
    assert result.stderr == error(
        site,
        "better-name.md",
        "tag:example.org,2025-01-02:/first-name",
        "tag:example.org,2025-01-02:/better-name",
        f"{site.content / '2025-01-02-first-name.md'}, with the same title and text",
    )
    assert feed_ids(site) == before  # nothing written
    fixed = ids(site, "--keep")
    assert fixed.exit_code == 0, fixed.output
    assert fixed.output == (
        f'kept id "tag:example.org,2025-01-02:/first-name" in {site.content / "better-name.md"}\n'
    )
    assert (
        (site.content / "better-name.md")
        .read_text()
        .startswith("---\nid: tag:example.org,2025-01-02:/first-name\ntitle: 'First'\n")
    )
    assert published(site) == before
    ledger = (site.root / "feedtool.ids").read_text()
    assert "tag:example.org,2025-01-02:/first-name\tbetter-name.md\t" in ledger


def test_fixed_date(site: Site) -> None:
    site.article("post.md", date="2025-01-02T23:30:00Z")
    before = published(site)
    site.article("post.md", date="2025-01-03T09:00:00Z")  # it went out the next morning

    result = site.run("build")
    assert result.exit_code == 1
    assert result.stderr == error(
        site,
        "post.md",
        "tag:example.org,2025-01-02:/post",
        "tag:example.org,2025-01-03:/post",
        "this file",
    )
    assert ids(site, "--keep").exit_code == 0
    assert published(site) == before


def test_http_to_https_keeps_ids_and_moves_links(site: Site) -> None:
    rebase(site, "http://example.org/blog/")
    site.article("a.md", date="2025-01-02")
    site.article("b.md", date="2025-01-03")
    before = published(site)
    rebase(site, "https://example.org/blog/")

    result = site.run("build")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert f"wrote {site.root / 'feedtool.ids'}" in result.output
    assert feed_ids(site) == before
    assert site.parsed().entries[0].link == "https://example.org/blog/b/"
    items = read_ledger(site.root / "feedtool.ids").items
    assert {item.link for item in items.values()} == {
        "https://example.org/blog/a/",
        "https://example.org/blog/b/",
    }


def test_new_domain_keeps_every_id_with_a_notice(site: Site) -> None:
    """A changed host keeps every published id with no step (issue 22, item 14): the
    ledger knows each old id, and the paths are the same."""
    rebase(site, "https://old.example.com/blog/")
    site.article("a.md", date="2025-01-02")
    site.article("b.md", date="2025-01-03")
    before = published(site)
    rebase(site, "https://new.example.net/")

    result = site.run("build")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"warning: {site.root / 'feedtool.ids'}: 2 article(s) keep the ids they were published "
        "with under old.example.com (the site is now at new.example.net): readers will not "
        "show them again; kept from now on\n"
    )
    assert feed_ids(site) == before
    assert site.parsed().entries[0].link == "https://new.example.net/b/"  # links do move
    items = read_ledger(site.root / "feedtool.ids").items
    assert {item.keeps for item in items.values()} == {"id"}
    again = site.run("build")  # said once: the ledger keeps them from now on
    assert again.exit_code == 0 and again.stderr == ""
    assert feed_ids(site) == before
    assert ids(site).output == "2 article(s) published keep their ids (2 item(s) in " + (
        f"{site.root / 'feedtool.ids'}).\n"
    )


def test_ids_of_the_placeholder_address_are_not_kept(site: Site) -> None:
    """A ledger left by local builds under example.org (older feedtool recorded them) is
    not carried to the real address: an error that says how to start afresh."""
    site.article("a.md", date="2025-01-02")
    published(site)
    rebase(site, "https://new.example.net/")
    result = site.run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {site.content / 'a.md'}: id: would change from "
        f'"tag:example.org,2025-01-02:/a" (built from {site.content / "a.md"} while base_url was '
        'https://example.org/) to "tag:new.example.net,2025-01-02:/a": never deployed? use '
        "--new-ids\n"
    )
    kept = ids(site, "--keep")  # would pin example.org ids for ever: refused
    assert kept.stderr == (
        f'warning: {site.content / "a.md"}: not kept: "tag:example.org,2025-01-02:/a" was built '
        "while base_url was the placeholder; never deployed? use --new-ids\n"
    )
    assert "tag:example.org" not in (site.content / "a.md").read_text()
    assert site.run("build", "--new-ids").exit_code == 0
    assert feed_ids(site)["atom.xml"] == ["tag:new.example.net,2025-01-02:/a"]


def test_new_domain_sent_as_new_on_purpose(site: Site) -> None:
    site.article("a.md", date="2025-01-02")
    published(site)
    rebase(site, "https://new.example.net/")
    result = site.run("build", "--new-ids")
    assert result.exit_code == 0, result.output
    assert feed_ids(site)["atom.xml"] == ["tag:new.example.net,2025-01-02:/a"]
    items = read_ledger(site.root / "feedtool.ids").items
    # Both stay published; the old one no longer claims the file or the link.
    assert items["tag:example.org,2025-01-02:/a"].source == ""
    assert items["tag:new.example.net,2025-01-02:/a"].source == "a.md"
    assert site.run("build").exit_code == 0  # and the next build has nothing to say


def test_site_split_into_two_folders(tmp_path: Path) -> None:
    """One site of posts and episodes becomes two: blog/ and podcast/, each with its own
    feedtool.toml, content/ and a copy of the ledger; the podcast moves to its own host."""
    whole = Site(tmp_path / "whole")
    whole.content.mkdir(parents=True)
    rebase(whole, "https://example.com/", feeds_per=["tags"])
    whole.article("post.md", title="A post", date="2025-01-02", tags="[notes]")
    whole.article("episode.md", title="Episode 1", date="2025-01-03", tags="[podcast]")
    before = published(whole)

    blog, podcast = Site(tmp_path / "blog"), Site(tmp_path / "podcast")
    for part, name in ((blog, "post.md"), (podcast, "episode.md")):
        part.content.mkdir(parents=True)
        shutil.copy(whole.content / name, part.content / name)
        shutil.copy(whole.root / "feedtool.ids", part.root / "feedtool.ids")
    rebase(blog, "https://example.com/", feeds_per=["tags"])
    rebase(podcast, "https://podcast.example.com/", feeds_per=["tags"])

    # The blog keeps its ids with nothing to do; the episode it no longer has is no error.
    assert published(blog)["atom.xml"] == ["tag:example.com,2025-01-02:/post"]
    assert feed_ids(blog)["tags/notes/atom.xml"] == before["tags/notes/atom.xml"]
    # The podcast's new host keeps its id too, with a notice.
    result = podcast.run("build")
    assert result.exit_code == 0, result.output
    assert "1 article(s) keep the ids they were published with under example.com" in (result.stderr)
    kept = feed_ids(podcast)
    assert kept["atom.xml"] == ["tag:example.com,2025-01-03:/episode"]
    assert kept["tags/podcast/atom.xml"] == before["tags/podcast/atom.xml"]
    assert kept["rss.xml"] == kept["feed.json"] == kept["atom.xml"]


def test_moved_into_folders_keeps_ids(site: Site) -> None:
    site.article("a.md", date="2025-01-02")
    site.article("b.md", date="2025-01-03")
    before = published(site)
    for name, folder in (("a.md", "posts"), ("b.md", "notes")):
        (site.content / folder).mkdir()
        (site.content / name).rename(site.content / folder / name)
    assert published(site) == before
    items = read_ledger(site.root / "feedtool.ids").items
    assert sorted(item.source for item in items.values()) == ["notes/b.md", "posts/a.md"]


def test_deleted_and_added_again(site: Site) -> None:
    site.article("a.md", date="2025-01-02", body="Text.")
    site.article("b.md", date="2025-01-03")
    before = published(site)
    (site.content / "a.md").unlink()
    assert site.run("build").exit_code == 0  # an item removed from the site is no error
    assert "tag:example.org,2025-01-02:/a" in read_ledger(site.root / "feedtool.ids").items
    site.article("a.md", date="2025-01-05", body="Text.")  # back, with another date
    result = site.run("build")
    assert result.exit_code == 1
    assert "tag:example.org,2025-01-02:/a" in result.stderr
    assert ids(site, "--keep").exit_code == 0
    after = published(site)  # the same ids; a comes first now, by its new date
    assert {name: sorted(i) for name, i in after.items()} == {
        name: sorted(i) for name, i in before.items()
    }


def test_alike_articles_prove_nothing(site: Site) -> None:
    """Two renamed articles with one title and text: which was which is a guess, so
    neither is taken for a published one (the same file or link would tell)."""
    site.article("a.md", date="2025-01-02")
    site.article("b.md", date="2025-01-02")
    published(site)
    for name in ("a", "b"):
        (site.content / f"{name}.md").rename(site.content / f"{name}2.md")
    assert site.run("build").exit_code == 0
    # Neither renamed file kept an old id: both are published as new ...
    assert sorted(feed_ids(site)["atom.xml"]) == [
        "tag:example.org,2025-01-02:/a2",
        "tag:example.org,2025-01-02:/b2",
    ]
    # ... and the ledger lists them beside the old ones, which it keeps.
    items = read_ledger(site.root / "feedtool.ids").items
    assert {"a", "b", "a2", "b2"} == {key.rsplit("/", 1)[1] for key in items}
    assert items["tag:example.org,2025-01-02:/a2"].source == "a2.md"


def test_a_new_article_is_no_error(site: Site) -> None:
    site.article("a.md", date="2025-01-02")
    published(site)
    site.article("b.md", date="2025-01-03", title="Something else")
    assert len(published(site)["atom.xml"]) == 2


def test_check_writes_no_ledger_but_says_it_would(site: Site) -> None:
    site.article("a.md", date="2025-01-02")
    published(site)
    ledger = (site.root / "feedtool.ids").read_bytes()
    site.article("b.md", date="2025-01-03", title="New")
    check = site.run("build", "--check")
    assert check.exit_code == 1
    assert f"would change: {site.root / 'feedtool.ids'}\n" in check.output
    assert (site.root / "feedtool.ids").read_bytes() == ledger
    site.article("b.md", date="2025-01-03", title="New", id="tag:example.org,2025-01-02:/c")
    published(site)
    # A changed id is an error with --check too, and nothing is written.
    site.article("b.md", date="2025-01-04", title="New")
    check = site.run("build", "--check")
    assert check.exit_code == 1
    assert "tag:example.org,2025-01-02:/c" in check.stderr


def test_check_passes_when_only_the_ledger_is_up_to_date(site: Site) -> None:
    site.article("a.md", date="2025-01-02")
    published(site)
    assert site.run("build", "--check").exit_code == 0
    (site.root / "feedtool.ids").unlink()
    check = site.run("build", "--check", "--no-cache")
    assert check.exit_code == 1
    assert check.output.splitlines() == [f"would change: {site.root / 'feedtool.ids'}"]


def test_keep_going_leaves_out_the_article_whose_id_changed(site: Site) -> None:
    site.article("a.md", date="2025-01-02")
    site.article("b.md", date="2025-01-03")
    published(site)
    site.article("a.md", date="2025-01-04")
    site.article("c.md", date="2025-01-05", title="New")
    result = site.run("build", "--keep-going")
    assert result.exit_code == 0, result.output
    assert "id: would change" in result.stderr and "(skipped)" in result.stderr
    assert feed_ids(site)["atom.xml"] == [
        "tag:example.org,2025-01-05:/c",
        "tag:example.org,2025-01-03:/b",
    ]
    assert "tag:example.org,2025-01-04:/a" not in read_ledger(site.root / "feedtool.ids").items


def test_archives_and_tag_feeds_keep_their_ids(site: Site) -> None:
    site.configure(archives=True, archive_page_size=2, feeds_per=["tags"])
    for day in range(1, 6):
        site.article(
            f"2025-01-0{day}-post-{day}.md", title=f"Post {day}", date=f"2025-01-0{day}", tags="[t]"
        )
    before = published(site)
    assert "archive/1/atom.xml" in before and "tags/t/atom.xml" in before
    for day in range(1, 6):
        old = site.content / f"2025-01-0{day}-post-{day}.md"
        old.rename(old.with_name(f"renamed-{day}.md"))
    result = site.run("build")
    assert result.exit_code == 1
    assert result.stderr.count("error: ") == 5
    assert ids(site, "--keep").exit_code == 0
    assert published(site) == before


def test_the_cache_notices_a_ledger_changed_by_a_pull(site: Site) -> None:
    site.article("a.md", date="2025-01-02")
    published(site)
    assert published(site)  # nothing changed: from the cache
    ledger = site.root / "feedtool.ids"
    # Elsewhere, the same file had been published with another id.
    ledger.write_text(
        ledger.read_text().replace("tag:example.org,2025-01-02:/a", "urn:x:elsewhere")
    )
    result = site.run("build")
    assert result.exit_code == 1
    assert '"urn:x:elsewhere"' in result.stderr


def test_sidecar_gets_the_id_and_the_message_names_it(site: Site) -> None:
    site.write("post.md", "The text.\n")
    site.write("post.yaml", "title: T\r\ndate: 2025-01-02\r\n")
    published(site)
    site.write("post.yaml", "title: T\r\ndate: 2025-01-04\r\n")
    result = site.run("build")
    assert result.stderr.startswith(f"error: {site.content / 'post.yaml'}: id: would change")
    assert ids(site, "--keep").exit_code == 0
    assert (site.content / "post.yaml").read_bytes() == (
        b"id: tag:example.org,2025-01-02:/post\r\ntitle: T\r\ndate: 2025-01-04\r\n"
    )
    assert published(site)["atom.xml"] == ["tag:example.org,2025-01-02:/post"]


def test_an_explicit_id_changed_is_reported_at_its_line(site: Site) -> None:
    site.article("a.md", date="2025-01-02", id="urn:x:1")
    published(site)
    site.article("a.md", date="2025-01-02", id="urn:x:2")
    result = site.run("build")
    assert result.stderr == error(site, "a.md", "urn:x:1", "urn:x:2", "this file", ":4")
    assert ids(site, "--keep").exit_code == 0
    assert (site.content / "a.md").read_text().splitlines()[3] == "id: urn:x:1"
    assert published(site)["atom.xml"] == ["urn:x:1"]


def test_library_error_carries_the_ids(site: Site) -> None:
    ledger = site.root / "feedtool.ids"
    config = load_config(site.config_path)
    site.article("a.md", date="2025-01-02")
    site.article("b.md", date="2025-01-02")
    build(site.content, site.output, config, options(config, NOW, ledger=ledger))
    site.article("a.md", date="2025-01-03")
    site.article("b.md", date="2025-01-03")
    with pytest.raises(ManyErrors) as caught:
        build(site.content, site.output, config, options(config, NOW, ledger=ledger))
    first = caught.value.errors[0]
    assert isinstance(first, IdChanged)
    assert (first.old_id, first.new_id) == (
        "tag:example.org,2025-01-02:/a",
        "tag:example.org,2025-01-03:/a",
    )
    assert (first.old_source, first.new_source) == (str(site.content / "a.md"),) * 2
    assert "--" not in str(first)  # the library names no command-line flag
    result = build(
        site.content, site.output, config, options(config, NOW, ledger=ledger, new_ids=True)
    )
    assert result.ledger_changed
    # Without a ledger nothing is checked, and the feeds are the same as with one.
    assert build(site.content, site.output, config, options(config, NOW)).changed == []


def test_articles_made_in_memory_are_checked_too(tmp_path: Path, site: Site) -> None:
    import feedtool

    config = load_config(site.config_path)
    ledger = tmp_path / "feedtool.ids"

    def post(date: str) -> Article:
        return feedtool.article(config, {"title": "T", "date": date}, "Text.", source="hello.md")

    build([post("2025-01-02")], site.output, config, options(config, NOW, ledger=ledger))
    assert "hello.md" in ledger.read_text()
    with pytest.raises(IdChanged) as caught:
        build([post("2025-01-03")], site.output, config, options(config, NOW, ledger=ledger))
    assert str(caught.value).startswith(
        'hello.md: id: would change from "tag:example.org,2025-01-02'
    )


def test_ids_built_from_the_placeholder_address_are_never_recorded(tmp_path: Path) -> None:
    """feedtool init without --base-url, a build to look, then the real address: the ids
    are the real address's, with no error and no ledger of example.org ids (issue 22, 13)."""
    runner = CliRunner()
    site = tmp_path / "nb"
    assert runner.invoke(cli, ["init", str(site)]).exit_code == 0
    where = ["--content", str(site / "content"), "--config", str(site / "feedtool.toml")]
    build = ["build", *where, "--output", str(site / "feeds")]
    first = runner.invoke(cli, build)
    assert first.exit_code == 0, first.output
    assert not (site / "feedtool.ids").exists()
    config = site / "feedtool.toml"
    config.write_text(
        config.read_text().replace("https://example.org/", "https://notes.example.net/")
    )
    second = runner.invoke(cli, build)
    assert second.exit_code == 0, second.output
    assert second.stderr == ""
    entries = feedparser.parse((site / "feeds" / "atom.xml").read_bytes()).entries
    assert entries and all(e.id.startswith("tag:notes.example.net,") for e in entries)
    items = read_ledger(site / "feedtool.ids").items
    assert items and all(key.startswith("tag:notes.example.net,") for key in items)
