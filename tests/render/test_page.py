"""index.html: the page for people who click a feed link (html_page, on by default)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import html5lib
import pytest
from html5lib.html5parser import ParseError
from hypothesis import given
from hypothesis import strategies as st

from conftest import NOW, Site
from feedtool.model import Article, Author, Body, Enclosure, Entry
from feedtool.render.documents import PAGE_ENTRIES
from feedtool.render.formats import page
from feedtool.values.fields import xml_safe

HOSTILE_TITLE = "Hostile markup <script>alert('title')</script> & <b>angle</b>"
HOSTILE_BODY = """\
<p onclick="alert(1)">Hello <a href="javascript:alert(2)">there</a>
<a href="../other/">relative</a></p>
<script>alert(3)</script><iframe src="https://evil.example/"></iframe>
<img src="pic.png" onerror="alert(4)" alt="a picture">
"""


def parse_strictly(data: bytes) -> Any:
    """The page as a browser parses it; any HTML5 parse error fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        return parser.parse(data)
    except ParseError as exc:  # names the first error and where
        pytest.fail(f"index.html is not valid HTML5: {exc}")


@pytest.fixture
def hostile(site: Site) -> Site:
    site.write(
        "2025-01-03-hostile.html",
        f'---\ntitle: "{HOSTILE_TITLE}"\ndate: 2025-01-03T00:00:00Z\nlang: de\n'
        "enclosures:\n  - url: https://cdn.example.org/a%20b.mp3\n    length: 1234567\n"
        f"---\n{HOSTILE_BODY}",
        dedent=False,
    )
    site.article("2025-01-02-plain.md", title="Plain", body="*Plain* text.", image="cover.png")
    return site


def test_page_is_valid_html5_without_scripts(hostile: Site) -> None:
    data = hostile.build().files["index.html"]
    tree = parse_strictly(data)
    assert data.startswith(b"<!DOCTYPE html>\n")
    assert tree.find(".//script") is None and b"<script" not in data
    assert b"javascript:" not in data and b"onclick" not in data and b"<iframe" not in data
    # Readable on a phone: a viewport, and styles of its own (no file to fetch).
    viewport = tree.find(".//meta[@name='viewport']")
    assert viewport is not None and "width=device-width" in viewport.get("content")
    assert tree.find(".//style") is not None and tree.find(".//link[@rel='stylesheet']") is None
    policy = tree.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
    assert "default-src 'none'" in policy and "script-src" not in policy
    # The title is text, shown as typed, never markup.
    headings = ["".join(h.itertext()) for h in tree.iterfind(".//article/h3")]
    assert headings == [HOSTILE_TITLE, "Plain"]
    assert tree.tag == "html" and tree.get("lang") == "en"
    assert tree.find(".//article").get("lang") == "de"


def test_items_are_the_main_feeds_newest_with_the_html_the_feeds_carry(site: Site) -> None:
    for day in range(1, PAGE_ENTRIES + 3):  # more than the page shows
        site.article(f"a{day:02}.md", title=f"Day {day}", date=f"2025-01-{day:02}", body=f"_{day}_")
    result = site.build()
    page = result.files["index.html"].decode()
    items = json.loads(result.files["feed.json"])["items"]
    tree = parse_strictly(result.files["index.html"])
    shown = [h.find("a") for h in tree.iterfind(".//article/h3")]
    assert [a.text for a in shown] == [item["title"] for item in items[:PAGE_ENTRIES]]
    assert [a.get("href") for a in shown] == [item["url"] for item in items[:PAGE_ENTRIES]]
    for item in items[:PAGE_ENTRIES]:
        assert item["content_html"] in page  # the very bytes a reader gets
    assert f"The newest {PAGE_ENTRIES} of the {len(items)} in the feed." in page


def test_feeds_have_subscribe_and_autodiscovery_links(site: Site) -> None:
    site.configure(feeds_per=["tags"], formats=["atom", "rss"])
    site.article("a.md", tags='["Café", "x"]')
    result = site.build()
    tree = parse_strictly(result.files["index.html"])
    discovered = [
        (link.get("type"), link.get("href")) for link in tree.iterfind(".//link[@rel='alternate']")
    ]
    assert discovered == [("application/atom+xml", "atom.xml"), ("application/rss+xml", "rss.xml")]
    hrefs = {a.get("href") for a in tree.iterfind(".//section[@aria-labelledby='subscribe']//a")}
    feeds = {path for path in result.files if path.endswith((".xml", ".json"))}
    assert feeds | {"index.opml"} == hrefs  # every feed written, and nothing that is not
    urls = ["".join(code.itertext()) for code in tree.iterfind(".//ul[@class='urls']//code")]
    assert urls == ["https://example.org/blog/atom.xml", "https://example.org/blog/rss.xml"]
    assert [s.text for s in tree.iterfind(".//summary")] == ["Feeds per tag (2)"]


def test_archive_pages_are_not_offered(site: Site) -> None:
    site.configure(archives=True, archive_page_size=1, opml=False)
    site.article("a.md")
    site.article("b.md", date="2025-02-02")
    result = site.build()
    assert "archive/1/atom.xml" in result.files
    page = result.files["index.html"]
    assert b"archive/" not in page and b"index.opml" not in page


def test_the_page_depends_only_on_the_content(hostile: Site) -> None:
    first = hostile.build().files["index.html"]
    later = hostile.build(now=NOW.replace(year=2030)).files["index.html"]
    assert later == first


def test_turned_off_it_is_not_written_and_an_old_one_goes(hostile: Site) -> None:
    hostile.build()
    assert (hostile.output / "index.html").is_file()
    hostile.configure(html_page=False)
    assert "index.html" not in hostile.build().files
    assert not (hostile.output / "index.html").exists()


def test_an_empty_site_still_gets_a_page(site: Site) -> None:
    tree = parse_strictly(site.build().files["index.html"])
    assert tree.find(".//article") is None
    assert "No articles yet." in "".join(tree.find(".//main").itertext())


# Text as feedtool's records hold it: what XML can carry (see values/fields.xml_safe).
text = st.text(st.characters(exclude_categories=["Cs"])).map(xml_safe)


@given(title=text, author=text, site_title=text, tag=text, enclosure_type=text)
def test_any_text_is_shown_as_text_in_valid_html5(
    title: str, author: str, site_title: str, tag: str, enclosure_type: str
) -> None:
    article = Article(
        source="a.md",
        id="tag:example.org,2025:a",
        slug="a",
        title=title,
        link="https://example.org/a/",
        published=datetime(2025, 1, 2, tzinfo=UTC),
        updated=datetime(2025, 1, 2, tzinfo=UTC),
        body=Body("a.md", "markdown", 0),
        authors=(Author(author),),
        enclosures=(Enclosure("https://example.org/a.mp3", enclosure_type, 10),),
    )
    link = page.FeedLink("RSS 2.0", "application/rss+xml", "rss.xml", "https://example.org/rss.xml")
    data = page.render(
        page.Site(site_title, site_title, "https://example.org/", "en"),
        page.Feed(site_title, (link,)),
        [page.FeedList("Feeds per tag", (page.Feed(tag, (link,)),))],
        [Entry(article, "<p>Body</p>", "Body")],
        total=1,
    )
    tree = parse_strictly(data)

    # Shown as typed, less what HTML cannot hold, with line ends as HTML reads them.
    def shown(value: str) -> str:
        return page.html_safe(value).replace("\r\n", "\n").replace("\r", "\n")

    assert "".join(tree.find(".//article/h3/a").itertext()) == shown(title)
    assert tree.findtext(".//title") == shown(f"{site_title}: feeds")
    assert tree.find(".//details//li").text == shown(f"{tag}: ")


@given(st.text(alphabet=st.sampled_from(["a", "<", "é", "\ufdd0", "\ufffe", "\U0010ffff", "\n"])))
def test_html_safe_drops_noncharacters_and_nothing_else(text: str) -> None:
    kept = page.html_safe(text)
    assert kept == "".join(c for c in text if c not in "\ufdd0\ufffe\U0010ffff")
