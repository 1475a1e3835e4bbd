"""The reader fixture site (tests/data/reader-site) built into RSS and Atom, read back.

One article per case of issue 3: hostile HTML, every form of relative URL and
srcset, enclosures with and without a length (and a local file), several authors
with and without e-mail, a per-article language, markup in a title and summary.
feedparser reads both formats back; Atom is checked against RFC 4287's schema.
"""

from __future__ import annotations

import re
from typing import Any

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import NOW, TESTS, options
from feedcheck import ATOM, atom_problems, feedparser_rss_text
from feedtool.config import load_config
from feedtool.model import Article
from feedtool.pipeline import build
from feedtool.plan.select import published_articles
from feedtool.read.metadata import load_articles
from feedtool.render.html import srcset_candidates
from feedtool.xmlnames import XML_LANG

SITE = TESTS / "data" / "reader-site"
BLOG = "https://reader.example.org/blog/"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC = "{http://purl.org/dc/elements/1.1/}"
MEDIA = "{http://search.yahoo.com/mrss/}"
FORMATS = ["rss.xml", "atom.xml"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reader-site")
    return build(
        SITE / "content",
        out,
        load_config(SITE / "feedtool.toml"),
        options(load_config(SITE / "feedtool.toml"), NOW),
    ).files


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    loaded, problems = load_articles(SITE / "content", load_config(SITE / "feedtool.toml"))
    assert problems == []
    return published_articles(loaded, NOW)


def by_slug(articles: list[Article], slug: str) -> Article:
    return next(a for a in articles if a.slug == slug)


def shown_text(detail: Any) -> str:
    """What a reader shows for a feedparser text construct: HTML is rendered, text is not."""
    if detail.type == "text/html":
        return str(
            lxml_html.fragment_fromstring(detail.value or " ", create_parent="p").text_content()
        )
    return str(detail.value)


def rss_items(data: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(data)
    return {item.findtext("link"): item for item in root.iterfind("channel/item")}


def atom_entries(data: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(data)
    return {
        next(
            link.get("href")
            for link in entry.iterfind(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ): entry
        for entry in root.iterfind(f"{ATOM}entry")
    }


def item_html(data: bytes, name: str, link: str) -> str:
    if name == "rss.xml":
        return str(rss_items(data)[link].findtext(CONTENT))
    return str(atom_entries(data)[link].findtext(f"{ATOM}content"))


@pytest.mark.parametrize("name", FORMATS)
def test_every_item_reads_back_once_with_its_text(
    built: dict[str, bytes], articles: list[Article], name: str
) -> None:
    feed = feedparser.parse(built[name])
    assert not feed.bozo, feed.get("bozo_exception")
    assert [(e.id, e.link) for e in feed.entries] == [(a.id, a.link) for a in articles]
    assert len(articles) == 11
    for entry, article in zip(feed.entries, articles, strict=True):
        # Titles are the metadata's text exactly, markup-like or not (README), but for
        # RSS text feedparser guesses is HTML (see feedparser_rss_text).
        want = feedparser_rss_text(article.title) if name == "rss.xml" else article.title
        assert entry.title == want
        if article.summary is not None:
            # Atom's summary is text; RSS's description is HTML holding the text escaped.
            summary = entry.summary if name == "atom.xml" else shown_text(entry.summary_detail)
            assert summary == article.summary
        assert [t.term for t in entry.get("tags", [])] == list(article.tags + article.categories)


def test_markup_in_title_and_summary_is_text_escaped_once(built: dict[str, bytes]) -> None:
    title = "The <em>real</em> deal & AT&T's <b>bold</b> plan"
    summary = "Summaries are text too - <b>not bold</b> & not a tag."
    link = BLOG + "2025/03/markup-title/"
    # RSS: escaped once, as XML asks, never HTML-escaped on top (which readers then show).
    assert b"<title>The &lt;em&gt;real&lt;/em&gt; deal &amp; AT&amp;T's" in built["rss.xml"]
    assert rss_items(built["rss.xml"])[link].findtext("title") == title
    # Atom: type="text" (the default), which every reader takes as text.
    entry = atom_entries(built["atom.xml"])[link]
    for name, text in (("title", title), ("summary", summary)):
        element = entry.find(f"{ATOM}{name}")
        assert (element.get("type"), element.text) == (None, text)
    atom = next(e for e in feedparser.parse(built["atom.xml"]).entries if e.link == link)
    assert atom.title == title
    # feedparser guesses this RSS title is HTML (an end tag) and re-escapes "AT&T".
    rss = next(e for e in feedparser.parse(built["rss.xml"]).entries if e.link == link)
    assert rss.title == title.replace("AT&T", "AT&amp;T") == feedparser_rss_text(title)


def test_symbols_that_are_not_markup_are_written_once(built: dict[str, bytes]) -> None:
    title = "AT&T says 1 < 2 and 3 > 2"
    assert rss_items(built["rss.xml"])[BLOG + "2025/03/plain-symbols/"].findtext("title") == title
    atom_title = atom_entries(built["atom.xml"])[BLOG + "2025/03/plain-symbols/"].find(
        f"{ATOM}title"
    )
    assert (atom_title.get("type"), atom_title.text) == (None, title)
    for name in FORMATS:
        entry = next(e for e in feedparser.parse(built[name]).entries if "symbols" in e.link)
        assert (entry.title_detail.type, entry.title) == ("text/plain", title)


def test_atom_passes_the_rfc_4287_schema(built: dict[str, bytes]) -> None:
    assert atom_problems(built["atom.xml"]) == []


@pytest.mark.parametrize("name", FORMATS)
def test_hostile_html_is_gone_and_its_text_stays(built: dict[str, bytes], name: str) -> None:
    assert b"EVIL" not in built[name].upper()
    content = item_html(built[name], name, BLOG + "2025/03/hostile/")
    tree = lxml_html.fragment_fromstring(content, create_parent="div")
    text = tree.text_content()
    # keep-10, -18 and -24 are alt texts of images, the rest is text
    for number in set(range(1, 26)) - {10, 18, 24}:
        assert f"keep-{number:02d}" in text
    assert sorted(img.get("alt") for img in tree.iter("img")) == ["keep-10", "keep-18", "keep-24"]
    for element in tree.iter():
        assert element.tag not in {"script", "style", "iframe", "object", "embed", "form", "svg"}
        assert not [a for a in element.attrib if a.startswith("on") or a == "style"]
    assert [a.get("href") for a in tree.iter("a")] == [None] * 7 + ["https://reader.example.org/ok"]


def _urls(tree: Any) -> list[str]:
    urls = []
    for element in tree.iter():
        for attribute in ("href", "src", "poster", "cite"):
            if element.get(attribute) is not None:
                urls.append(element.get(attribute))
        if element.get("srcset"):
            urls.extend(url for url, _ in srcset_candidates(element.get("srcset")))
    return urls


@pytest.mark.parametrize("name", FORMATS)
def test_every_relative_url_is_absolute_against_the_permalink(
    built: dict[str, bytes], name: str
) -> None:
    page = BLOG + "2025/03/relative-urls/"
    tree = lxml_html.fragment_fromstring(item_html(built[name], name, page), create_parent="div")
    assert [a.get("href") for a in tree.iter("a")] == [
        "https://reader.example.org/about/",
        page + "img/b.png",
        BLOG + "2025/03/x/",
        "https://cdn.example.net/x.css",
        page + "?q=1",
        page + "#frag",
        "mailto:desk@reader.example.org",
        "https://other.example.com/page?a=1&b=2",
        "tel:+15551234",
        page + "same/",
    ]
    srcsets = [s.get("srcset") for s in tree.iter("img", "source") if s.get("srcset")]
    assert srcsets == [
        f"{page}img/a-1x.png 1x, https://reader.example.org/img/a-2x.png 2x, "
        "https://cdn.example.net/a,3x.png 3x",
        f"{page}img/w-480.webp 480w, {page}img/w-800.webp 800w",
    ]
    assert tree.find(".//video").get("poster") == page + "img/poster.jpg"
    assert tree.find(".//track").get("src") == page + "subs/en.vtt"
    assert tree.find(".//blockquote").get("cite") == BLOG + "2025/03/quotes/1/"
    everything = _urls(tree)
    assert len(everything) == 22
    assert all(re.match(r"(https://|mailto:|tel:|data:image/png)", url) for url in everything)


def test_enclosures_in_rss(built: dict[str, bytes]) -> None:
    items = rss_items(built["rss.xml"])
    podcast = items[BLOG + "2025/03/podcast/"]
    # RSS allows one enclosure; the others are Media RSS content.
    assert [dict(e.attrib) for e in podcast.iterfind("enclosure")] == [
        {
            "url": "https://media.reader.example.org/ep1.mp3",
            "length": "2048000",
            "type": "audio/mpeg",
        }
    ]
    clip_size = (SITE / "content" / "media" / "clip.ogg").stat().st_size
    assert [dict(m.attrib) for m in podcast.iterfind(f"{MEDIA}content")] == [
        {"url": "https://media.reader.example.org/ep1.m4a", "type": "audio/mp4", "medium": "audio"},
        {
            "url": BLOG + "media/clip.ogg",
            "type": "audio/ogg",
            "medium": "audio",
            "fileSize": str(clip_size),
        },
    ]
    video = items[BLOG + "2025/03/video/"]
    assert dict(video.find("enclosure").attrib) == {
        "url": "https://media.reader.example.org/clips/v.webm",
        "length": "0",  # unknown: what the RSS Best Practices Profile asks for
        "type": "video/webm",
    }
    entry = next(e for e in feedparser.parse(built["rss.xml"]).entries if "podcast" in e.link)
    assert [e.href for e in entry.enclosures] == ["https://media.reader.example.org/ep1.mp3"]
    assert [m["url"] for m in entry.media_content][1] == BLOG + "media/clip.ogg"


def test_enclosures_in_atom(built: dict[str, bytes]) -> None:
    clip_size = (SITE / "content" / "media" / "clip.ogg").stat().st_size
    entries = {e.link: e for e in feedparser.parse(built["atom.xml"]).entries}
    podcast = entries[BLOG + "2025/03/podcast/"]
    assert [(e.href, e.type, e.get("length")) for e in podcast.enclosures] == [
        ("https://media.reader.example.org/ep1.mp3", "audio/mpeg", "2048000"),
    ]
    # Only the first is an enclosure link (newsboat keeps the last audio or video one);
    # the others are Media RSS content, as in RSS.
    assert [(m["url"], m["type"], m.get("filesize")) for m in podcast.media_content] == [
        ("https://media.reader.example.org/ep1.m4a", "audio/mp4", None),
        (BLOG + "media/clip.ogg", "audio/ogg", str(clip_size)),
    ]
    video = entries[BLOG + "2025/03/video/"]
    assert [(e.href, e.type, e.get("length")) for e in video.enclosures] == [
        ("https://media.reader.example.org/clips/v.webm", "video/webm", None)
    ]


def test_article_image(built: dict[str, bytes]) -> None:
    cover = BLOG + "2025/03/relative-urls/img/cover.jpg"
    item = rss_items(built["rss.xml"])[BLOG + "2025/03/relative-urls/"]
    assert [dict(m.attrib) for m in item.iterfind(f"{MEDIA}content")] == [
        {"url": cover, "type": "image/jpeg", "medium": "image"}
    ]
    assert [dict(m.attrib) for m in item.iterfind(f"{MEDIA}thumbnail")] == [{"url": cover}]
    assert item.find("enclosure") is None  # the enclosure slot is left to audio and video
    entry = atom_entries(built["atom.xml"])[BLOG + "2025/03/relative-urls/"]
    assert [dict(link.attrib) for link in entry.iterfind(f"{ATOM}link[@rel='enclosure']")] == [
        {"rel": "enclosure", "href": cover, "type": "image/jpeg"}
    ]


def test_feed_image_logo_and_icon(built: dict[str, bytes]) -> None:
    rss = feedparser.parse(built["rss.xml"]).feed
    assert (rss.image.href, rss.image.title, rss.image.link) == (
        BLOG + "img/logo.png",
        "Reader test site",
        BLOG,
    )
    atom = feedparser.parse(built["atom.xml"]).feed
    assert (atom.logo, atom.icon) == (
        BLOG + "img/logo.png",
        "https://reader.example.org/favicon.ico",
    )


def test_people_in_rss(built: dict[str, bytes]) -> None:
    items = rss_items(built["rss.xml"])

    def people(slug: str) -> tuple[list[str], list[str]]:
        item = items[f"{BLOG}2025/03/{slug}/"]
        return [a.text for a in item.iterfind("author")], [
            c.text for c in item.iterfind(f"{DC}creator")
        ]

    assert people("one-author") == (["cleo@reader.example.org (Cleo Solo)"], [])
    assert people("no-author") == (["desk@reader.example.org (Site Desk)"], [])
    assert people("two-authors") == ([], ["Ada Writer", "Ben Guest"])
    assert people("all-emails") == ([], ["Dee One", "Eve Two"])
    assert people("deutsch") == ([], ["Fritz Name"])
    for item in items.values():  # never both: the W3C validator warns about that
        assert not (item.find("author") is not None and item.find(f"{DC}creator") is not None)
    entries = {e.link: e for e in feedparser.parse(built["rss.xml"]).entries}
    assert entries[BLOG + "2025/03/one-author/"].author_detail.email == "cleo@reader.example.org"
    assert [a.name for a in entries[BLOG + "2025/03/two-authors/"].authors] == [
        "Ada Writer",
        "Ben Guest",
    ]


def test_people_in_atom(built: dict[str, bytes]) -> None:
    # Read with lxml: feedparser 6 copies the first author's e-mail onto the second.
    entries = atom_entries(built["atom.xml"])
    feed_authors = etree.fromstring(built["atom.xml"]).findall(f"{ATOM}author")

    def people(slug: str) -> list[tuple[str | None, ...]]:
        authors = entries[f"{BLOG}2025/03/{slug}/"].findall(f"{ATOM}author") or feed_authors
        fields = ("name", "email", "uri")
        return [tuple(a.findtext(f"{ATOM}{f}") for f in fields) for a in authors]

    assert people("two-authors") == [
        ("Ada Writer", "ada@reader.example.org", None),
        ("Ben Guest", None, "https://ben.example.net/"),
    ]
    assert people("all-emails") == [
        ("Dee One", "dee@reader.example.org", None),
        ("Eve Two", "eve@reader.example.org", None),
    ]
    assert people("deutsch") == [("Fritz Name", None, None)]
    # No author of its own: the site's, written on the entry (readers ignore the feed's).
    assert people("no-author") == [("Site Desk", "desk@reader.example.org", None)]
    assert all(entry.find(f"{ATOM}author") is not None for entry in entries.values())
    assert feedparser.parse(built["atom.xml"]).feed.author_detail.email == "desk@reader.example.org"


def test_language_of_site_and_article(built: dict[str, bytes]) -> None:
    rss_root = etree.fromstring(built["rss.xml"])
    assert rss_root.findtext("channel/language") == "en"
    item = rss_items(built["rss.xml"])[BLOG + "2025/03/deutsch/"]
    assert (item.get(XML_LANG), item.findtext(f"{DC}language")) == ("de-AT", "de-AT")
    atom_root = etree.fromstring(built["atom.xml"])
    assert atom_root.get(XML_LANG) == "en"
    assert atom_entries(built["atom.xml"])[BLOG + "2025/03/deutsch/"].get(XML_LANG) == "de-AT"
    for name in FORMATS:
        parsed = feedparser.parse(built[name])
        languages = {e.link: e.title_detail.language for e in parsed.entries}
        assert languages.pop(BLOG + "2025/03/deutsch/") == "de-AT"
        assert set(languages.values()) == {"en"}
