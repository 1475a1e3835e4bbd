"""Per-tag, per-category and per-author feeds: exact membership and safe, stable paths."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

import feedtool.plan.groups
from conftest import Site
from feedcheck import feed_problems
from feedtool.model import Article, Author, Body
from feedtool.plan.groups import GROUPINGS, folder_name, group_articles, identity

SAFE_FOLDER = re.compile(r"[a-z0-9][a-z0-9_-]*")
FORMAT_FILES = ("rss.xml", "atom.xml", "feed.json")


@pytest.mark.parametrize(
    ("names", "same"),
    [
        (["Python", "python", "PYTHON"], True),
        (["Machine Learning", "machine-learning", "machine_learning", "machine  learning"], True),
        (["café", "cafe\u0301"], True),  # composed and decomposed é
        (["Straße", "STRASSE"], True),
        (["C", "C++", "C#"], False),
        (["a/b", "a-b"], False),
    ],
)
def test_identity(names: list[str], same: bool) -> None:
    assert (len({identity(n) for n in names}) == 1) is same


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("python", r"python"),
        ("Machine Learning", r"machine-learning"),
        ("2025", r"2025"),
        ("C++", r"c_[0-9a-f]{8}"),
        ("café", r"cafe_[0-9a-f]{8}"),
        ("日本語", r"tag_[0-9a-f]{8}"),
        ("..", r"tag_[0-9a-f]{8}"),
        ("../../etc/passwd", r"etc-passwd_[0-9a-f]{8}"),
        ("a/b", r"a-b_[0-9a-f]{8}"),
        ("-", r"tag_[0-9a-f]{8}"),
        ("x" * 61, "x{60}_[0-9a-f]{8}"),
    ],
)
def test_folder_names_are_safe_and_readable(name: str, pattern: str) -> None:
    folder = folder_name(identity(name), "tag")
    assert re.fullmatch(pattern, folder), folder
    assert SAFE_FOLDER.fullmatch(folder)


def test_hashed_folders_differ_and_never_look_plain() -> None:
    names = ["C", "C++", "C#", "c--", "a/b", "a-b", "a b/", "..", ".", "日本語", "中文"]
    folders = [folder_name(identity(n), "tag") for n in names]
    assert len(set(folders)) == len(names), folders
    # A plain name never contains "_"; a hashed one always does: they cannot collide.
    assert all(("_" in f) != bool(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", f)) for f in folders)


def _article(source: str, tags: tuple[str, ...]) -> Article:
    when = datetime(2025, 1, 1, tzinfo=UTC)
    return Article(
        source=source,
        id=source,
        slug=source,
        title=source,
        link=f"https://example.org/{source}/",
        published=when,
        updated=when,
        body=Body(path=source, format="text", start=0),
        tags=tags,
    )


def test_folder_of_a_tag_does_not_depend_on_other_tags() -> None:
    tags = GROUPINGS["tags"]
    alone = group_articles([_article("a", ("C++",))], tags, ())
    crowded = group_articles(
        [_article("a", ("C++",)), _article("b", ("C#", "c", "C + +", "c++ "))], tags, ()
    )
    assert alone[0].folder in {g.folder for g in crowded}


def test_short_hash_collisions_fall_back_to_the_full_hash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(feedtool.plan.groups, "_HASH_DIGITS", 0)  # every short hash "collides"
    groups = group_articles([_article("a", ("C++", "C#", "python"))], GROUPINGS["tags"], ())
    folders = sorted(g.folder for g in groups)
    assert len(set(folders)) == 3
    assert folders[0] == "c_" + feedtool.plan.groups._digest("c#")
    assert folders[2] == "python"


def test_spelling_shown_is_the_most_used() -> None:
    groups = group_articles(
        [_article("a", ("python",)), _article("b", ("Python",)), _article("c", ("Python",))],
        GROUPINGS["tags"],
        (),
    )
    assert [(g.name, g.folder, len(g.articles)) for g in groups] == [("Python", "python", 3)]


def test_two_authors_of_one_name_put_an_article_in_their_feed_once() -> None:
    both = _article("a", ())._replace(
        authors=(Author("Alice", "a@example.org"), Author("Alice", "b@example.org"))
    )
    other = _article("b", ())._replace(authors=(Author("Alice"),))
    groups = group_articles([both, other], GROUPINGS["authors"], ())
    assert [(g.name, [a.source for a in g.articles]) for g in groups] == [("Alice", ["a", "b"])]


def test_a_name_an_article_repeats_anywhere_counts_once() -> None:
    # Not only side by side: the group's list has the article once, in its place.
    names = (Author("Alice"), Author("Bob"), Author("Alice"))
    first = _article("a", ())._replace(authors=names)
    second = _article("b", ())._replace(authors=(Author("Bob"), Author("Alice")))
    groups = group_articles([first, second], GROUPINGS["authors"], ())
    found = [(g.name, [a.source for a in g.articles]) for g in groups]
    assert found == [("Alice", ["a", "b"]), ("Bob", ["a", "b"])]


TRICKY_TAGS = ["Python", "python", "C++", "C#", "café", "a/b", "..", "日本語", "Machine Learning"]


@pytest.fixture
def tagged(site: Site) -> Site:
    site.configure(feeds_per=["tags", "categories", "authors"], limit=3)
    site.article("01.md", title="One", date="2025-01-01T00:00:00Z", tags='["Python", "C++"]')
    site.article("02.md", title="Two", date="2025-01-02T00:00:00Z", tags='["python", "C#"]')
    site.article(
        "03.md", title="Three", date="2025-01-03T00:00:00Z", tags='["café", "a/b", "..", "日本語"]'
    )
    site.article(
        "04.md",
        title="Four",
        date="2025-01-04T00:00:00Z",
        tags='["Machine Learning", "Python"]',
        categories="[Notes]",
        author='"Ada <ada@example.org>"',
    )
    site.article("05.md", title="Five", date="2025-01-05T00:00:00Z", tags="[PYTHON]")
    site.article("06.md", title="Six", date="2025-01-06T00:00:00Z", tags="[other]")
    return site


def test_a_tag_feed_holds_exactly_its_articles_newest_first(tagged: Site) -> None:
    result = tagged.build()
    expected = {  # identity -> titles, newest first (limit 3)
        "python": ["Five", "Four", "Two"],
        "c++": ["One"],
        "c#": ["Two"],
        "café": ["Three"],
        "a/b": ["Three"],
        "..": ["Three"],
        "日本語": ["Three"],
        "machine-learning": ["Four"],
        "other": ["Six"],
    }
    for ident, titles in expected.items():
        folder = folder_name(ident, "tag")
        for fmt in FORMAT_FILES:
            path = f"tags/{folder}/{fmt}"
            data = result.files[path]
            assert feed_problems(path, data) == []
            if fmt == "feed.json":
                feed = json.loads(data)
                assert [i["title"] for i in feed["items"]] == titles
                assert feed["feed_url"] == f"https://example.org/blog/{path}"
            else:
                parsed = tagged.parsed(path)
                assert [e.title for e in parsed.entries] == titles, path
                self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
                assert self_links == [f"https://example.org/blog/{path}"]
    tag_folders = {p.split("/")[1] for p in result.files if p.startswith("tags/")}
    assert tag_folders == {folder_name(i, "tag") for i in expected}


def test_group_titles_and_other_groupings(tagged: Site) -> None:
    result = tagged.build()
    python = json.loads(result.files["tags/python/feed.json"])
    assert python["title"] == "Test site: tag Python"  # the most used spelling
    notes = json.loads(result.files["categories/notes/feed.json"])
    assert [i["title"] for i in notes["items"]] == ["Four"]
    ada = json.loads(result.files["authors/ada/feed.json"])
    assert [i["title"] for i in ada["items"]] == ["Four"]
    assert ada["authors"] == [{"name": "Ada", "url": "mailto:ada@example.org"}]
    # Articles without an author are the site author's, as the feeds say.
    owner = tagged.parsed("authors/site-owner/atom.xml")
    assert [e.title for e in owner.entries] == ["Six", "Five", "Three"]


def test_every_path_stays_inside_the_output_folder(tagged: Site) -> None:
    result = tagged.build()
    root = tagged.output.resolve()
    for path in result.files:
        assert root in (tagged.output / path).resolve().parents
        assert all(SAFE_FOLDER.fullmatch(part) for part in path.split("/")[:-1]), path


def test_no_group_feeds_unless_asked(site: Site) -> None:
    site.article("a.md", tags="[x]", categories="[y]")
    assert sorted(site.build().files) == [
        "atom.xml",
        "feed.json",
        "index.html",
        "index.opml",
        "rss.xml",
    ]


def test_unknown_grouping_is_a_config_error(site: Site) -> None:
    site.configure(feeds_per=["tags", "colours"])
    result = site.run("build")
    assert result.exit_code == 1
    assert "feeds_per: unknown grouping 'colours'" in result.output
