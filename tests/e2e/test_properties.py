"""Property tests: hostile text and HTML through the whole pipeline (loader -> build -> feeds).

Whatever an article holds, the feeds must be well-formed XML, Atom must be valid
against RFC 4287's schema, and feedparser must read back the same text, after
the one documented change (docs/articles.md, "Text that XML cannot carry"):

    carried(s) = s with escaped surrogate pairs joined into their character,
                 every character outside XML 1.0's Char production removed,
                 and DEL and the C1 controls (U+007F-U+009F) removed,
                 and leading and trailing whitespace (str.strip) removed.

``carried`` is written out here from the XML specification rather than imported,
so the test does not take feedtool's word for what XML allows. The text in the
feed is checked exactly with lxml; feedparser's reading of it is then checked
after feedparser's own mojibake repair (``feedparser_view``).

The budget comes from the hypothesis profile (tests/conftest.py): "ci" by
default, HYPOTHESIS_PROFILE=long for a longer random run.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import html5lib
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from conftest import DEFAULT_CONFIG, Site
from feedcheck import atom_problems, feedparser_rss_text
from feedtool.config import load_config
from feedtool.errors import FeedtoolError, PublishError
from feedtool.publish.write import write_files
from feedtool.read.metadata import _read_one
from feedtool.read.readers import reader_for
from feedtool.read.transport import LoadedAsJson
from feedtool.render.formats.page import html_safe

pytestmark = (
    pytest.mark.slow
)  # hypothesis through the whole pipeline: out of the quick loop (make quick)

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"


def budget(share: float) -> settings:
    """A share of the profile's example budget, for tests that cost more or less per example."""
    return settings(max_examples=max(10, int(settings.default.max_examples * share)))


# --- the documented normalisation, from the XML 1.0 specification (section 2.2) ----------


def xml_char(char: str) -> bool:
    code = ord(char)
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def join_pairs(text: str) -> str:
    return re.sub(
        "[\ud800-\udbff][\udc00-\udfff]",
        lambda m: chr(0x10000 + ((ord(m[0][0]) - 0xD800) << 10) + ord(m[0][1]) - 0xDC00),
        text,
    )


def carried(text: str) -> str:
    return "".join(c for c in join_pairs(text) if xml_char(c)).strip()


def feedparser_view(text: str, repaired: bool = True) -> str:
    """What feedparser makes of ``text``: it takes any text that is all Latin-1 and is
    valid UTF-8 as Latin-1 bytes for UTF-8 read wrongly, and "repairs" it ("\xc3\xa9"
    becomes "\xe9"), then maps cp1252 code points (feedparser/mixin.py, pop). It does
    so for element text, but not for Atom's author names and category terms."""
    if not repaired:
        return text
    try:
        text = text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return text.translate(feedparser.html._cp1252)


def words(text: str) -> str:
    """Text with every run of whitespace made one space: how HTML shows it."""
    return " ".join(text.split())


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(fragment: str) -> str:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return words("".join(parser.parts))


# --- hostile strings -----------------------------------------------------------------

SPECIAL = [
    "]]>", "&", "<", ">", "&amp;", "&#0;", "&lt;b&gt;", "<b>bold</b>", "<![CDATA[", "-->",
    "<script>alert(1)</script>", '"', "'", "\\", "#", ": ", "- ", "---", "+++", "{{x}}", "%s",
    "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\x9f",
    "\t", "\n", "\r", "\r\n", " ", "\xa0", "\u2028", "\u2029", "\u3000",
    "\u202e", "\u202b", "\u200f", "\u2066", "\u200d", "\ufeff",
    "\u0301", "e\u0301", "\u0627\u0644\u0639\u0631\u0628\u064a", "\u05e2\u05d1\u05e8\u05d9\u05ea",
    "\ufffe", "\uffff", "\ufffd", "\ufdd0",
    "\ud800", "\udfff", "\udc00\ud800", "\ud83d\ude00", "\U0001f600", "\U0010ffff",
]  # fmt: skip

characters = st.one_of(
    st.characters(exclude_categories=()),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=()),
    st.characters(max_codepoint=0x7F, exclude_categories=()),
)
hostile = st.lists(st.one_of(characters, st.sampled_from(SPECIAL)), max_size=12).map("".join)
# Required text: something must survive the normalisation, or it is a (tested) error.
visible = st.characters(categories=["L", "M", "N", "P", "S"]).filter(lambda c: carried(c) != "")
hostile_required = st.tuples(hostile, visible, hostile).map("".join)


# --- writing metadata the ways users do -------------------------------------------------

_YAML_PRINTABLE = re.compile(
    "[\t\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def yaml_string(value: str, escape_all: bool) -> str:
    """A YAML double-quoted scalar; with ``escape_all``, ASCII only, as JSON writes it."""
    out = []
    for char in value:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif not escape_all and _YAML_PRINTABLE.match(char) and char not in "\t\u2028\u2029":
            out.append(char)
        elif code < 0x80 and 0x20 <= code < 0x7F:
            out.append(char)
        elif code > 0xFFFF:
            # Written as a surrogate pair, the way JSON and many YAML writers do.
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return '"' + "".join(out) + '"'


def toml_string(value: str) -> str:
    """A TOML basic string; TOML cannot express surrogates at all, so they are left out."""
    out = []
    for char in join_pairs(value):
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            continue
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def metadata(style: str, meta: dict[str, Any]) -> tuple[str, str]:
    """(suffix of the metadata file or "" for front matter, its text)."""
    if style == "json":
        return ".json", json.dumps(meta, ensure_ascii=True)
    if style == "toml":
        lines = []
        for key, value in meta.items():
            if isinstance(value, list):
                lines.append(f"{key} = [{', '.join(toml_string(v) for v in value)}]")
            elif isinstance(value, dict):
                inner = ", ".join(f"{k} = {toml_string(v)}" for k, v in value.items())
                lines.append(f"{key} = {{ {inner} }}")
            else:
                lines.append(f"{key} = {toml_string(value)}")
        return "", "+++\n" + "\n".join(lines) + "\n+++\n"
    escape_all = style == "yaml-ascii"
    lines = []
    for key, value in meta.items():
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(yaml_string(v, escape_all) for v in value)}]")
        elif isinstance(value, dict):
            inner = ", ".join(f"{k}: {yaml_string(v, escape_all)}" for k, v in value.items())
            lines.append(f"{key}: {{{inner}}}")
        else:
            lines.append(f"{key}: {yaml_string(value, escape_all)}")
    return "", "---\n" + "\n".join(lines) + "\n---\n"


def expected_tags(tags: list[str]) -> list[str]:
    result: list[str] = []
    for tag in tags:
        text = carried(tag)
        if text and text not in result:
            result.append(text)
    return result


@contextlib.contextmanager
def scratch_site() -> Iterator[Site]:
    # Hypothesis runs many examples per test function, so each gets its own folder.
    root = Path(tempfile.mkdtemp(prefix="feedtool-prop-"))
    try:
        site = Site(root)
        site.content.mkdir()
        site.configure()
        yield site
    finally:
        shutil.rmtree(root)


def atom_text(element: Any) -> str:
    """The plain text of an Atom text construct, which feedtool writes as type="text"."""
    assert element.get("type") in (None, "text")
    return str(element.text or "")


def check_feeds(site: Site) -> dict[str, Any]:
    """Well-formed, valid, readable: the checks every build must pass. Returns the parses."""
    parsed = {}
    for name in ("atom.xml", "rss.xml"):
        data = (site.output / name).read_bytes()
        etree.fromstring(data)  # raises if not well-formed
        feed = feedparser.parse(data)
        assert not feed.bozo, feed.bozo_exception
        parsed[name] = feed
    assert atom_problems((site.output / "atom.xml").read_bytes()) == []
    return parsed


# --- the properties -------------------------------------------------------------------------


@given(
    title=hostile_required,
    summary=hostile,
    tags=st.lists(hostile, max_size=4),
    author=hostile_required,
    body=hostile,
    style=st.sampled_from(["yaml", "yaml-ascii", "json", "toml"]),
)
@example(
    title="]]> & <b>x</b> \ud83d\ude00 \ud800 \x1b \x91 e\u0301 \u202eRTL",
    summary="<p>not markup</p> & \x00",
    tags=["a&b", "<i>", "\ud83d\ude00", "  "],
    author="<Ann> & \u05e2\u05d1",
    body="Para one ]]> & <b>\n\nPara two \x0c",
    style="yaml-ascii",
)
@example(  # text feedparser takes for mojibake and "repairs" (see feedparser_view)
    title="\xc3\xa9",
    summary="\xc3\xa9",
    tags=["\xc3\xa9"],
    author="\xc3\xa9",
    body="\xc3\xa9 \xc2\xa0 \xc3\xa9",
    style="json",
)
@budget(1.0)
def test_hostile_text_reads_back_the_same(
    title: str, summary: str, tags: list[str], author: str, body: str, style: str
) -> None:
    meta: dict[str, Any] = {"title": title, "date": "2025-01-02T03:04:05Z"}
    if carried(summary):
        meta["summary"] = summary
    meta["tags"] = tags
    meta["author"] = {"name": author}
    suffix, text = metadata(style, meta)
    # Body files are UTF-8, which cannot hold a lone surrogate: those are left out of bodies.
    body = "".join(c for c in body if not 0xD800 <= ord(c) <= 0xDFFF)
    with scratch_site() as site:
        if suffix:
            (site.content / f"post{suffix}").write_text(text, encoding="utf-8")
            (site.content / "post.txt").write_text(body, encoding="utf-8", newline="")
            # A file may start with a byte order mark, which is not text (docs/articles.md).
            body = body.removeprefix("\ufeff")
        else:
            (site.content / "post.txt").write_text(text + body, encoding="utf-8", newline="")
        site.build()
        feeds = check_feeds(site)
        atom = etree.fromstring((site.output / "atom.xml").read_bytes())
        rss = etree.fromstring((site.output / "rss.xml").read_bytes())

    # Exactly what XML carries, read by an XML parser.
    (atom_entry,) = atom.iterfind(f"{ATOM}entry")
    assert atom_text(atom_entry.find(f"{ATOM}title")) == carried(title)
    assert atom_entry.findtext(f"{ATOM}author/{ATOM}name") == carried(author)
    assert [c.get("term") for c in atom_entry.iterfind(f"{ATOM}category")] == expected_tags(tags)
    (item,) = rss.iterfind("channel/item")
    # RSS titles are the text, escaped once (docs/articles.md).
    assert item.findtext("title") == carried(title)
    assert item.findtext(f"{DC}creator") == carried(author)
    assert [c.text for c in item.iterfind("category")] == expected_tags(tags)
    # The body is plain text: what a reader shows is its words, in order.
    body_html = atom_entry.findtext(f"{ATOM}content") or ""
    assert body_html == item.findtext(f"{CONTENT_NS}encoded")
    assert visible_text(body_html) == words(carried(body))
    if carried(summary):
        assert atom_text(atom_entry.find(f"{ATOM}summary")) == carried(summary)
        # RSS descriptions are HTML: the plain-text summary is there escaped.
        assert html.unescape(item.findtext("description") or "") == carried(summary)

    # What a feed reader gets, through feedparser.
    for name, feed in feeds.items():
        (entry,) = feed.entries
        # Titles are text in both formats, exact; but feedparser guesses whether RSS
        # text is HTML, and returns what it guesses is HTML sanitised.
        rss = name == "rss.xml"
        want_title = feedparser_rss_text(carried(title)) if rss else carried(title)
        assert entry.title == feedparser_view(want_title), name
        terms = [t.term for t in entry.get("tags", [])]
        assert terms == [feedparser_view(t, rss) for t in expected_tags(tags)], name
        author_name = entry.author if rss else entry.author_detail.name
        assert author_name == feedparser_view(carried(author), rss), name
        if carried(summary):
            shown = entry.summary if name == "atom.xml" else visible_text(entry.summary)
            want = feedparser_view(carried(summary))
            assert shown == (want if name == "atom.xml" else words(want)), name
        # feedparser's repair works on the HTML as a whole, not on the text in it.
        assert visible_text(entry.content[0].value) == visible_text(feedparser_view(body_html))


# --- arbitrary HTML bodies --------------------------------------------------------------

TAGS = [
    "p", "b", "i", "a", "img", "br", "hr", "div", "span", "pre", "code", "ul", "li", "table",
    "tr", "td", "blockquote", "h1", "video", "audio", "source", "picture", "script", "style",
    "iframe", "object", "embed", "svg", "math", "form", "input", "textarea", "title", "template",
    "noscript", "select", "option", "base", "meta", "link", "xmp", "plaintext", "foo:bar",
]  # fmt: skip
ATTRIBUTES = [
    "href", "src", "srcset", "onclick", "onerror", "style", "class", "id", "title", "lang",
    "dir", "alt", "data-x", "xmlns", "xml:lang", "formaction", "poster", "cite", "rel",
]  # fmt: skip
URLS = [
    "javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:x", "vbscript:x",
    "data:text/html,<script>x</script>", "relative/page", "../up", "/root", "//other.org/x",
    "?q=1", "#frag", "https://ok.example/", "mailto:a@b.c", "img.png 1x, /big.png 2x", "",
    "&#106;avascript:x", "http://[::1", "https://例え.jp/ü?ä=ö#ß", "data:image/png;base64,AA==",
    "data:image/svg+xml,<svg onload=x>", "DATA:text/html,x", "a.png 1x, data:text/html,x 2x",
]  # fmt: skip

attribute = st.tuples(st.sampled_from(ATTRIBUTES), st.one_of(st.sampled_from(URLS), hostile))


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def render(tag: str, attrs: list[tuple[str, str]], inner: list[str], close: bool) -> str:
        text = "".join(f' {k}="{v.replace(chr(34), "&quot;")}"' for k, v in attrs)
        return f"<{tag}{text}>" + "".join(inner) + (f"</{tag}>" if close else "")

    return st.builds(
        render,
        st.sampled_from(TAGS),
        st.lists(attribute, max_size=3),
        st.lists(children, max_size=3),
        st.booleans(),
    )


html_text = st.one_of(
    hostile,
    st.sampled_from(["<!-- c -->", "<!--", "<![CDATA[x]]>", "&nbsp;", "&#xD800;", "&#0;",
                     "&nosuch;", "&lt", "</p>", "<", "<>", "</>", "<?php x ?>", "<!DOCTYPE html>"]),
)  # fmt: skip
html_fragment = st.recursive(html_text, _element, max_leaves=12).map(str)
html_body = st.lists(html_fragment, max_size=5).map("".join)


def safe_and_absolute(fragment: str) -> None:
    """No active content survives, and every link works out of context (is absolute)."""
    if not fragment.strip():
        return
    for element in lxml_html.fragments_fromstring(fragment):
        if not isinstance(element, lxml_html.HtmlElement):
            continue
        for node in element.iter():
            assert node.tag not in {"script", "style", "iframe", "object", "embed", "form"}
            for name, value in node.attrib.items():
                assert not name.startswith("on"), (name, value)
                if name in ("href", "src", "poster", "cite"):
                    scheme = value.split(":", 1)[0].strip().lower()
                    assert scheme in {"http", "https", "mailto", "data", "tel", "ftp"}, value
                    if scheme == "data":
                        assert name in ("src", "poster"), (name, value)
                        assert value.lower().startswith("data:image/"), value
                        assert not value.lower().startswith("data:image/svg"), value
                if name == "srcset":
                    assert "data:" not in value.lower(), value


@given(body=html_body, suffix=st.sampled_from([".html", ".md"]))
@example(
    body='<p onclick="x()">Hi <script>evil()</script><a href="javascript:x">l</a>]]></p>'
    '<img src="pic.png" srcset="a.png 1x, /b.png 2x"><!-- c --> &amp; &#0; \x0b'
    '<a href="">self</a><img srcset="http://[::1 1x" src="http://[::1">'
    '<blockquote cite="javascript:alert(1)">q</blockquote><video src="data:text/html,x">',
    suffix=".html",
)
@budget(1.0)
def test_arbitrary_html_bodies(body: str, suffix: str) -> None:
    body = "".join(c for c in body if not 0xD800 <= ord(c) <= 0xDFFF)
    with scratch_site() as site:
        site.write(f"post{suffix}", "---\ntitle: T\ndate: 2025-01-01\n---\n" + body, dedent=False)
        site.build()
        feeds = check_feeds(site)
        atom = etree.fromstring((site.output / "atom.xml").read_bytes())
        rss = etree.fromstring((site.output / "rss.xml").read_bytes())
        page = (site.output / "index.html").read_bytes()
    # The page for people carries the same fragment, and stays valid HTML5 around it.
    html5lib.HTMLParser(strict=True).parse(page)
    atom_html = atom.findtext(f"{ATOM}entry/{ATOM}content") or ""
    rss_html = rss.findtext(f"channel/item/{CONTENT_NS}encoded") or ""
    assert atom_html == rss_html  # one sanitised fragment, carried exactly by both formats
    safe_and_absolute(atom_html)
    assert html_safe(atom_html) in page.decode()
    for feed in feeds.values():
        want = visible_text(feedparser_view(atom_html))
        assert visible_text(feed.entries[0].content[0].value) == want


# --- paths --------------------------------------------------------------------------------

path_piece = st.one_of(
    st.sampled_from(["..", ".", "", "/", "\\", "tags", "a.xml", "\x00", "~", "%2e%2e", "..."]),
    hostile,
)
relative_path = st.lists(path_piece, min_size=1, max_size=5).map("/".join)


@given(relative=st.one_of(relative_path, hostile))
@budget(2.0)
def test_publish_never_writes_outside_the_folder(relative: str) -> None:
    with tempfile.TemporaryDirectory(prefix="feedtool-prop-") as name:
        root = Path(name)
        out = root / "sandbox" / "out"
        out.parent.mkdir()
        try:
            written = write_files(out, {relative: b"data"})
        except PublishError as exc:
            assert "refusing to write" in str(exc) or "cannot write the feeds" in str(exc)
            written = []
        for path in root.rglob("*"):
            assert path == out.parent or path == out or out in path.parents, path
        if written:
            assert (out / relative).read_bytes() == b"data"


@given(slug=hostile, tag=hostile)
@budget(0.5)
def test_slugs_and_tags_never_leave_the_output_folder(slug: str, tag: str) -> None:
    with scratch_site() as site:
        site.write(
            "post.md",
            f"---\ntitle: T\ndate: 2025-01-01\nslug: {yaml_string(slug, True)}\n"
            f"tags: [{yaml_string(tag, True)}]\n---\nBody\n",
            dedent=False,
        )
        try:
            site.build()
        except FeedtoolError as exc:
            assert str(exc).startswith(f"{site.content / 'post.md'}:4: slug: ")
        else:
            check_feeds(site)
        outside = {p for p in site.root.rglob("*") if site.output not in (p, *p.parents)} - {
            site.content,
            site.content / "post.md",
            site.config_path,
        }
        assert outside == set()


@pytest.mark.parametrize("value", ["", "   ", "\x00\x01", "\ud800", "\ufffe \t"])
def test_text_that_carries_nothing_is_an_error_for_required_fields(site: Site, value: str) -> None:
    site.write(
        "post.md",
        f"---\ntitle: {yaml_string(value, True)}\ndate: 2025-01-01\n---\n",
        dedent=False,
    )
    with pytest.raises(FeedtoolError, match=r"post\.md:2: title: must not be empty"):
        site.build()


# --- --keep-going with a mix of good and bad articles --------------------------------------

BAD_KINDS = {
    "no date": "---\ntitle: T\n---\n",
    "list as title": "---\ntitle: [a]\ndate: 2025-01-01\n---\n",
    "YAML does not parse": "---\ntitle: [\ndate: 2025-01-01\n---\n",
    "never closed": "---\ntitle: T\n",
    "impossible date": "---\ntitle: T\ndate: 2025-02-30\n---\n",
}


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["good", *BAD_KINDS]),
            st.sampled_from(["one", "two", "three"]),  # slug: equal slugs clash
            st.integers(min_value=1, max_value=3),  # day of the month
        ),
        min_size=1,
        max_size=6,
    )
)
@budget(0.5)
def test_keep_going_publishes_exactly_the_good_articles(
    articles: list[tuple[str, str, int]],
) -> None:
    with scratch_site() as site:
        good: list[tuple[int, str, str]] = []  # (day, path, slug) of each good article
        for number, (kind, slug, day) in enumerate(articles):
            name = f"a{number}.md"
            if kind == "good":
                text = f"---\ntitle: {name}\ndate: 2025-01-0{day}\nslug: {slug}\n---\n"
                good.append((day, str(site.content / name), slug))
            else:
                text = BAD_KINDS[kind]
            site.write(name, text, dedent=False)
        # The oracle: of articles with the same slug, the earliest (then first path) is kept.
        kept: dict[str, tuple[int, str]] = {}
        for day, path, slug in sorted(good):
            kept.setdefault(slug, (day, path))
        bad = len(articles) - len(good)
        skipped = bad + len(good) - len(kept)
        if not kept:
            with pytest.raises(FeedtoolError, match="no article could be read"):
                site.build(keep_going=True)
            assert not site.output.exists()
            return
        result = site.build(keep_going=True)
        feeds = check_feeds(site)
    assert result.skipped == skipped
    assert len(result.warnings) == skipped
    # Newest first, equal dates by path.
    expected = [Path(path).name for day, path in sorted(kept.values(), key=lambda k: (-k[0], k[1]))]
    for feed in feeds.values():
        assert [entry.title for entry in feed.entries] == expected


# --- odd values never become internal errors (issue 17, finding 8) --------------------------
# Each value either publishes (and then every URL in the feeds is a web address) or is one
# FeedtoolError naming its file: never another exception, whatever the key.

huge_number = st.integers(min_value=4000, max_value=6000).map(lambda n: "9" * n)
odd_yaml = st.sampled_from(
    [
        "!!float abc", "!!int x", "!!int 0x", "!!bool maybe", "!!binary ???", "!!timestamp x",
        "!!set {a}", "!!omap [a]", "!!python/object:os.system x", "!custom x", "!!null x",
        "!!str 1", "!!float .nan", "!!float -.inf", "1e999", ".nan", "-.inf", "0o8", "0b2",
        "!!merge x", "&a [*a]", "!!map [1]", "{[1]: 2}", "? [a]\n  : b",
    ]
)  # fmt: skip
extreme_date = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00", "9999-12-31", "0000-01-01",
            "January 1 0001", "1 Jan 0050", "Sat, 01 Jan 0001 00:00:00 +1400", "99999-01-01",
            "1899-12-31T23:59:59+14:00", "1900-01-01T00:00:00+14:00", "2025-13-01", "-1-01-01",
        ]
    ),
)  # fmt: skip
hostile_url = st.one_of(
    st.sampled_from(
        [
            "javascript:alert(1)", "JaVaScRiPt:x", "vbscript:msgbox(1)", "http://[::1",
            "https://example.org:99999/", "https://example.org:-1/", "data:text/html,x", "//",
            "http://", "mailto:", "mailto:a@example.org", "https://bücher.example/", " ",
            "https://a b/", "file:///etc/passwd", "../../.git/config", "/proc/self/environ",
            "https://example.org/%zz", "http://user:pass@example.org/", "\\\\server\\x",
        ]
    ),
    hostile,
)  # fmt: skip
URL_FIELDS = ["link", "image", "author_uri", "enclosure", "id"]


def _yaml_value(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


@given(
    key=st.sampled_from(["title", "x", "tags", "date", "summary", "slug", "draft", "lang"]),
    value=st.one_of(huge_number, odd_yaml),
)
@budget(0.5)
def test_odd_yaml_values_are_problems_not_crashes(key: str, value: str) -> None:
    with scratch_site() as site:
        meta = {"title": "T", "date": "2025-01-01"}
        lines = [f"{k}: {v}" for k, v in meta.items() if k != key] + [f"{key}: {value}"]
        site.write("a.md", "---\n" + "\n".join(lines) + "\n---\nBody.\n", dedent=False)
        try:
            site.build()
        except FeedtoolError as exc:
            assert "a.md" in str(exc)
            return
        check_feeds(site)


@given(value=extreme_date, zone=st.sampled_from(["UTC", "Asia/Tokyo", "Pacific/Kiritimati"]))
@budget(0.5)
def test_extreme_dates_are_problems_not_crashes(value: str, zone: str) -> None:
    with scratch_site() as site:
        site.configure(DEFAULT_CONFIG.replace('"UTC"', json.dumps(zone)))
        site.write("a.md", f"---\ntitle: T\ndate: {_yaml_value(value)}\n---\nB\n", dedent=False)
        try:
            site.build()
        except FeedtoolError as exc:
            assert "a.md" in str(exc)
            return
        check_feeds(site)


@given(field=st.sampled_from(URL_FIELDS), url=hostile_url)
@budget(1.0)
def test_hostile_urls_in_every_field_are_refused_or_safe(field: str, url: str) -> None:
    with scratch_site() as site:
        lines = {
            "link": f"link: {_yaml_value(url)}",
            "image": f"image: {_yaml_value(url)}",
            "author_uri": f"author: {{name: A, uri: {_yaml_value(url)}}}",
            "enclosure": f"enclosures: [{_yaml_value(url)}]",
            "id": f"id: {_yaml_value(url)}",
        }
        site.write(
            "a.md", f"---\ntitle: T\ndate: 2025-01-01\n{lines[field]}\n---\nB\n", dedent=False
        )
        try:
            site.build()
        except FeedtoolError as exc:
            assert "a.md" in str(exc)
            return
        check_feeds(site)
        for name in ("rss.xml", "atom.xml", "feed.json"):
            published = (site.output / name).read_text(encoding="utf-8").lower()
            for scheme in ("javascript:", "vbscript:", "data:", "file:"):
                assert scheme not in published, (name, url)


@given(key=st.sampled_from(["base_url", "feeds_url", "image", "icon", "hub"]), url=hostile_url)
@budget(0.5)
def test_hostile_urls_in_the_config_are_refused_or_safe(key: str, url: str) -> None:
    from feedtool.config import config_from_mapping

    data = {"base_url": "https://example.org/", key: url}
    try:
        config = config_from_mapping(data)
    except FeedtoolError:
        return
    value = getattr(config, key)
    assert value.lower().startswith(("http://", "https://")), value


odd_config_value = st.one_of(
    st.integers(),
    st.integers(4400, 6000).map(lambda n: 10**n),
    hostile,
    st.sampled_from(
        ["/{slug.x}/", "/{slug[0]}/", "/{0}/", "/{slug!r}/", "/{slug:>99999999}/", "{",
         "../../../../etc/passwd", "A" * 5000, "Europe/../../etc/passwd"]
    ),
)  # fmt: skip
CONFIG_KEYS = ["limit", "max_bytes", "max_article_bytes", "max_tags", "timezone", "permalink"]


@given(key=st.sampled_from(CONFIG_KEYS), value=odd_config_value)
@budget(0.5)
def test_odd_config_values_are_problems_not_crashes(key: str, value: object) -> None:
    from feedtool.config import config_from_mapping

    try:
        config = config_from_mapping({"base_url": "https://example.org/", key: value})
    except FeedtoolError as exc:
        # A problem: one line that names the key, not a crash (any other exception).
        assert key in str(exc) and "\n" not in str(exc), str(exc)
        return
    assert getattr(config, key) is not None  # accepted: a value the build can use


# Times as people write them, with every kind of zone reading gives them: UTC, offsets
# (minutes, seconds), none (the site's named zone), and the forms dateutil reads.
written_date = st.one_of(
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(9998, 12, 30)).map(
        lambda d: d.isoformat()
    ),
    st.datetimes(
        min_value=datetime(1900, 1, 2),
        max_value=datetime(9998, 12, 30),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=5, minutes=45)), timezone(-timedelta(seconds=3630))]
        ),
    ).map(lambda d: d.isoformat()),
    st.sampled_from(["Sat, 01 Nov 2025 09:00:00 +0100", "2025-03-30 02:30", "2025-10-26 02:30"]),
)


@given(
    title=hostile_required,
    tags=st.lists(hostile, max_size=3),
    author=hostile_required,
    date=written_date,
    updated=st.none() | st.sampled_from(["9000-01-01 10:00", "9000-01-01T10:00:00.5-02:30"]),
    style=st.sampled_from(["yaml", "json", "toml"]),
    zone=st.sampled_from(["UTC", "Europe/Berlin", "America/St_Johns"]),
)
@budget(0.5)
def test_an_article_a_helper_sends_as_json_comes_back_alike(
    title: str,
    tags: list[str],
    author: str,
    date: str,
    updated: str | None,
    style: str,
    zone: str,
) -> None:
    # Read in a helper process, an article comes back by JSON or by pickle: by JSON only
    # when it comes back the same in every printed detail (read/transport.py).
    meta: dict[str, Any] = {"title": title, "date": date, "tags": tags, "author": {"name": author}}
    if updated is not None:
        meta["updated"] = updated
    suffix, text = metadata(style, meta)
    with scratch_site() as site:
        site.configure(DEFAULT_CONFIG.replace('"UTC"', json.dumps(zone)))
        if suffix:
            (site.content / f"post{suffix}").write_text(text, encoding="utf-8")
            (site.content / "post.txt").write_text("Body.", encoding="utf-8")
        else:
            (site.content / "post.txt").write_text(text + "Body.", encoding="utf-8")
        config = load_config(site.config_path)
        sources, _ = reader_for(config).sources(site.content, config, None)
        outcomes = [
            _read_one(s, reader=reader_for(config), config=config, content_dir=site.content)
            for s in sources
        ]
    transport = LoadedAsJson()
    data = transport.dumps(outcomes)
    if data is not None:
        back = transport.loads(data)
        assert back == outcomes and repr(back) == repr(outcomes)
