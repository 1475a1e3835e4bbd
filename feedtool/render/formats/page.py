"""index.html: a page for people who click a feed link, in place of raw XML.

Not a feed format (it shows feeds), so it is not in FORMATS. It lists the site's feeds with
subscribe links and autodiscovery ``<link rel="alternate">`` tags, then shows the newest
items of the main feed as a reader would: the same sanitised, absolute HTML the feeds
carry. Plain HTML5 with inline CSS and no scripts (a Content-Security-Policy forbids them,
should anything slip past the sanitiser), readable on a phone. It does not rely on an
``xml-stylesheet``: browsers are removing XSLT.

Links to feeds are relative, so the page works wherever the output folder is served (the
preview server, a file:// URL, the real site); the published address of each feed is
shown as text to copy into a reader. Everything comes from the build's inputs, never the
clock, so the bytes are the same for the same content.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from datetime import datetime
from html import escape
from urllib.parse import unquote, urlsplit, urlunsplit

import msgspec

from feedtool.model import Entry

FILENAME = "index.html"

# Unicode noncharacters: XML carries them, so the feeds may, but in HTML each is a parse
# error (as a character or a reference). They show as nothing, so the page leaves them out.
_NONCHARACTERS = re.compile(
    "[\ufdd0-\ufdef"
    + "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0, 0x110000, 0x10000))
    + "]"
)


def html_safe(text: str) -> str:
    """``text`` without the characters an HTML document may not contain (noncharacters:
    feedtool's XML-safe text has no control characters or lone surrogates already)."""
    if text.isascii():  # known without a look at the text, and the usual case: none
        return text
    return _NONCHARACTERS.sub("", text)


_MONTHS = (
    "January February March April May June July August September October November December"
).split()

# Scripts, frames, plugins and forms are refused outright; pictures and media may come from
# anywhere an article points (http(s), or a data: image the sanitiser let through).
_POLICY = (
    "default-src 'none'; img-src http: https: data:; media-src http: https:; "
    "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)

_STYLE = """\
:root{color-scheme:light dark}
body{max-width:42rem;margin:0 auto;padding:1rem;font:1.05rem/1.6 system-ui,sans-serif;\
color:#1b1b1b;background:#fff;overflow-wrap:break-word}
a{color:#0b57d0}
h1{font-size:1.8rem;line-height:1.2;margin:.5rem 0}
h2{font-size:1.4rem;margin-top:2.5rem}
img,video,audio{max-width:100%;height:auto}
pre{overflow-x:auto;padding:.6rem;background:#f3f3f3}
table{display:block;overflow-x:auto;border-collapse:collapse}
td,th{border:1px solid #bbb;padding:.2rem .5rem}
blockquote{margin-left:0;padding-left:1rem;border-left:3px solid #bbb}
.subscribe{display:flex;flex-wrap:wrap;gap:.5rem;padding:0;list-style:none}
.subscribe a{display:inline-block;padding:.45rem .9rem;border:2px solid #0b57d0;\
border-radius:.4rem;font-weight:600;text-decoration:none}
.urls code{font-size:.9rem;word-break:break-all}
.meta{color:#555;font-size:.95rem}
article{border-top:1px solid #ccc;margin-top:2rem}
@media (prefers-color-scheme:dark){body{color:#e8e8e8;background:#141414}\
a{color:#8ab4f8}.subscribe a{border-color:#8ab4f8}pre{background:#262626}.meta{color:#aaa}}
"""


class FeedLink(msgspec.Struct, frozen=True):
    """One feed document in one format."""

    label: str  # the format, for people: "RSS 2.0"
    media_type: str
    href: str  # relative to the page
    url: str  # where it is published, to copy into a reader


class Feed(msgspec.Struct, frozen=True):
    """One feed (a tag's, say) in every format written."""

    name: str  # "Python", or the site's title for the main feed
    links: tuple[FeedLink, ...]


class FeedList(msgspec.Struct, frozen=True):
    """The feeds of one grouping: every tag's feed, say."""

    title: str  # "Feeds per tag"
    feeds: tuple[Feed, ...]


class Site(msgspec.Struct, frozen=True):
    title: str
    description: str
    url: str  # the site's home page
    language: str | None = None
    # Where this page is published (feeds_url): media of the same site are linked
    # relative to it, so they play from the preview server as from the real site.
    page_url: str | None = None


def render(
    site: Site,
    main: Feed,
    groups: Sequence[FeedList],
    entries: Sequence[Entry],
    total: int,
    opml_href: str | None = None,
    others: Sequence[Feed] = (),
) -> bytes:
    """The page: ``main`` feed's subscribe links, ``others`` of the whole site (the
    podcast), ``groups`` of further feeds, and ``entries`` (the newest of ``total``
    articles in the main feed) shown in full."""
    lang = f' lang="{escape(site.language)}"' if site.language else ""
    alternates = [
        f'<link rel="alternate" type="{escape(link.media_type)}" '
        f'title="{escape(f"{feed.name} ({link.label})")}" href="{escape(link.href)}">'
        for feed in (main, *others)
        for link in feed.links
    ]
    parts = [
        "<!DOCTYPE html>",
        f"<html{lang}>",
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        f"<title>{escape(site.title)}: feeds</title>",
        f'<meta name="description" content="{escape(site.description)}">',
        *alternates,
        f"<style>\n{_STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<h1><a href="{escape(site.url)}">{escape(site.title)}</a></h1>',
        f"<p>{escape(site.description)}</p>",
        "</header>",
        "<main>",
        '<section aria-labelledby="subscribe">',
        '<h2 id="subscribe">Subscribe</h2>',
        "<p>Give one of these addresses to a feed reader and new articles come to you as "
        "they are published. Any format will do: most readers take all of them.</p>",
        '<ul class="subscribe">',
        *(
            f'<li><a href="{escape(link.href)}" type="{escape(link.media_type)}">'
            f"{escape(link.label)}</a></li>"
            for link in main.links
        ),
        # The podcast gets a button of its own beside them: podcast apps want its feed.
        *(
            f'<li><a href="{escape(link.href)}" type="{escape(link.media_type)}">'
            f"{escape(link.label)}</a></li>"
            for feed in others
            for link in feed.links
        ),
        "</ul>",
        '<ul class="urls">',
        *(f"<li>{escape(link.label)}: <code>{escape(link.url)}</code></li>" for link in main.links),
        *(
            f"<li>{escape(link.label)}: <code>{escape(link.url)}</code></li>"
            for feed in others
            for link in feed.links
        ),
        "</ul>",
    ]
    if opml_href is not None:
        parts.append(
            f'<p><a href="{escape(opml_href)}">Every feed in one OPML file</a>, '
            "to import into a reader at once.</p>"
        )
    for group in groups:
        parts.append(f"<details><summary>{escape(group.title)} ({len(group.feeds)})</summary>")
        parts.append("<ul>")
        for feed in group.feeds:
            links = " · ".join(
                f'<a href="{escape(link.href)}" type="{escape(link.media_type)}">'
                f"{escape(link.label)}</a>"
                for link in feed.links
            )
            parts.append(f"<li>{escape(feed.name)}: {links}</li>")
        parts.append("</ul>")
        parts.append("</details>")
    parts.append("</section>")
    parts.append('<section aria-labelledby="newest">')
    parts.append('<h2 id="newest">Newest articles</h2>')
    if not entries:
        parts.append("<p>No articles yet.</p>")
    elif total > len(entries):
        parts.append(f"<p>The newest {len(entries)} of the {total} in the feed.</p>")
    parts.extend(_entry(entry, site.page_url) for entry in entries)
    parts += [
        "</section>",
        "</main>",
        "<footer>",
        '<p class="meta">Written by feedtool from the same articles as the feeds.</p>',
        "</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return html_safe("\n".join(parts)).encode("utf-8")


def _day(moment: datetime) -> str:
    """A date people read alike everywhere, with no locale involved: 3 November 2025."""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


def _entry(entry: Entry, page_url: str | None) -> str:
    article = entry.article
    lang = f' lang="{escape(article.lang)}"' if article.lang else ""
    meta = [f'<time datetime="{article.published.isoformat()}">{_day(article.published)}</time>']
    if article.authors:
        meta.append(escape(", ".join(author.name for author in article.authors)))
    lines = [
        f"<article{lang}>",
        f'<h3><a href="{escape(article.link)}">{escape(article.title)}</a></h3>',
        f'<p class="meta">{" · ".join(meta)}</p>',
    ]
    # Readers that show an item's picture leave it out when the text has it already.
    if article.image and f'src="{escape(article.image)}"' not in entry.content_html:
        lines.append(f'<p><img src="{escape(article.image)}" alt=""></p>')
    lines.append(entry.content_html)
    for enclosure in article.enclosures:
        # A player for each sound or film: nothing is fetched until it is played.
        kind = enclosure.type.split("/", 1)[0]
        if kind in ("audio", "video"):
            source = escape(near_url(enclosure.url, page_url))
            lines.append(
                f'<p><{kind} controls preload="none" src="{source}">'
                f'<a href="{source}">{escape(_file_name(enclosure.url))}</a></{kind}></p>'
            )
    if article.enclosures:
        lines.append('<ul class="meta">')
        for enclosure in article.enclosures:
            name = _file_name(enclosure.url)
            size = f", {_size(enclosure.length)}" if enclosure.length else ""
            lines.append(
                f'<li>Attachment: <a href="{escape(enclosure.url)}">{escape(name)}</a> '
                f"({escape(enclosure.type)}{size})</li>"
            )
        lines.append("</ul>")
    lines.append("</article>")
    return "\n".join(lines)


def _file_name(url: str) -> str:
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or url


def near_url(url: str, page_url: str | None) -> str:
    """``url`` relative to the page at ``page_url`` when both are on the same site (so it
    resolves to the same address there, and to the preview server's copy in a preview),
    else as it is."""
    if page_url is None:
        return url
    target, page = urlsplit(url), urlsplit(page_url)
    if (target.scheme, target.netloc) != (page.scheme, page.netloc) or not target.path:
        return url
    folder = page.path.rsplit("/", 1)[0] or "/"
    relative = posixpath.relpath(target.path, folder)
    if target.path.endswith("/") and not relative.endswith("/"):
        relative += "/"
    # "./": a first segment with a colon would read as a scheme.
    if ":" in relative.split("/", 1)[0]:
        relative = "./" + relative
    return urlunsplit(("", "", relative, target.query, target.fragment))


def _size(length: int) -> str:
    if length < 1000:
        return f"{length} bytes"
    if length < 1_000_000:
        return f"{length / 1000:.1f} kB"
    return f"{length / 1_000_000:.1f} MB"
