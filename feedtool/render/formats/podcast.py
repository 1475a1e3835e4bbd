"""podcast.xml: RSS 2.0 with Apple's ``itunes`` and the Podcast 2.0 ``podcast`` namespaces.

Written through feedgen's public API (``rss_str``), with the itunes and podcast
elements added by extension classes of our own (``register_extension``): feedgen's
bundled podcast extension writes ``itunes:explicit`` as yes/no, which Apple replaced
with true/false. The channel and episode facts come from FeedDoc.show and each
article's Episode, checked when they were read (values/podcast_settings.py, read/episode.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import format_datetime
from typing import Any

from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feedtool.model import Article, FeedDoc, License, Location, Person, Show
from feedtool.read.episode import CHAPTERS_TYPE
from feedtool.render.formats._feedgen import (
    GENERATOR_NAME,
    RSS_DOCS,
    archive_marker,
    archive_namespaces,
)
from feedtool.render.html import text_as_html
from feedtool.values.podcast_settings import feed_guid
from feedtool.xmlnames import ATOM_NS

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
_I = f"{{{ITUNES_NS}}}"
_P = f"{{{PODCAST_NS}}}"


def _add(parent: etree._Element, tag: str, content: str | None = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, tag, attrs)
    if content is not None:
        element.text = content
    return element


def _flag(value: bool) -> str:
    return "true" if value else "false"  # Apple's spelling since 2019 (not yes/no)


def _attrs(**values: str | None) -> dict[str, str]:
    """The attributes that are set, in the order given."""
    return {name: value for name, value in values.items() if value is not None}


def _add_people(parent: etree._Element, people: Iterable[Person]) -> None:
    for person in people:
        _add(
            parent,
            _P + "person",
            person.name,
            **_attrs(role=person.role, group=person.group, img=person.img, href=person.href),
        )


def _add_places(parent: etree._Element, places: Iterable[Location]) -> None:
    for place in places:
        _add(
            parent,
            _P + "location",
            place.name,
            **_attrs(rel=place.rel, geo=place.geo, osm=place.osm, country=place.country),
        )


def _add_license(parent: etree._Element, license: License | None) -> None:
    if license is not None:
        _add(parent, _P + "license", license.name, **_attrs(url=license.url))


class _ShowExtension(BaseExtension):  # type: ignore[misc]
    """The channel's itunes and podcast elements, after feedgen's own, before the items."""

    def __init__(self) -> None:
        self.show: Show | None = None
        self.self_url = ""
        self.doc: FeedDoc | None = None

    def extend_ns(self) -> dict[str, str]:
        archive = archive_namespaces(self.doc) if self.doc is not None else {}
        return {"itunes": ITUNES_NS, "podcast": PODCAST_NS, **archive}

    def extend_rss(self, rss: etree._Element) -> etree._Element:
        show, doc = self.show, self.doc
        assert show is not None and doc is not None
        channel = rss.find("channel")
        assert channel is not None
        archive_marker(channel, doc)
        # The hub, and RFC 5005's current, prev-archive and next-archive links.
        for rel, href in ((("hub", doc.hub),) if doc.hub else ()) + doc.extra_links:
            _add(channel, f"{{{ATOM_NS}}}link", rel=rel, href=href)
        _add(channel, _I + "image", href=show.image)
        for top, sub in show.categories:
            category = _add(channel, _I + "category", text=top)
            if sub:
                _add(category, _I + "category", text=sub)
        _add(channel, _I + "explicit", _flag(show.explicit))
        owner = _add(channel, _I + "owner")
        _add(owner, _I + "name", show.owner.name)
        if show.owner.email:  # else verified by podcast:txt (values/podcast_settings.py)
            _add(owner, _I + "email", show.owner.email)
        _add(channel, _I + "author", show.author)
        _add(channel, _I + "type", show.type)
        if show.complete:
            _add(channel, _I + "complete", "Yes")
        if show.new_feed_url:
            _add(channel, _I + "new-feed-url", show.new_feed_url)
        # The show's guid comes from podcast.xml's URL, on its archive pages too.
        feed_url = dict(doc.extra_links).get("current", self.self_url)
        _add(channel, _P + "guid", show.guid or feed_guid(feed_url))
        _add(
            channel,
            _P + "locked",
            "yes" if show.locked else "no",
            **_attrs(owner=show.owner.email),
        )
        for url, text in show.funding:
            _add(channel, _P + "funding", text, url=url)
        if show.medium:
            _add(channel, _P + "medium", show.medium)
        for text, purpose in show.txt:
            _add(channel, _P + "txt", text, **_attrs(purpose=purpose))
        _add_people(channel, show.people)
        _add_license(channel, show.license)
        _add_places(channel, show.locations)
        for trailer in show.trailers:
            _add(
                channel,
                _P + "trailer",
                trailer.title,
                **_attrs(
                    pubdate=format_datetime(trailer.published),
                    url=trailer.url,
                    length=None if trailer.length is None else str(trailer.length),
                    type=trailer.type,
                    season=None if trailer.season is None else str(trailer.season),
                ),
            )
        return rss


class _EpisodeExtension(BaseExtension):  # type: ignore[misc]
    """An item's itunes and podcast elements, after feedgen's own."""

    def __init__(self) -> None:
        self.article: Article | None = None

    def extend_ns(self) -> dict[str, str]:
        return {}  # declared once, on the root, by _ShowExtension

    def extend_rss(self, item: etree._Element) -> etree._Element:
        article = self.article
        assert article is not None and article.episode is not None
        episode = article.episode
        if episode.duration is not None:
            _add(item, _I + "duration", str(episode.duration))
        if article.image:
            _add(item, _I + "image", href=article.image)
        if episode.explicit is not None:
            _add(item, _I + "explicit", _flag(episode.explicit))
        if episode.episode is not None:
            _add(item, _I + "episode", str(episode.episode))
        if episode.season is not None:
            _add(item, _I + "season", str(episode.season))
        if episode.episode_type is not None:
            _add(item, _I + "episodeType", episode.episode_type)
        if episode.block:
            _add(item, _I + "block", "Yes")
        if episode.season is not None:
            _add(item, _P + "season", str(episode.season))
        if episode.episode is not None:
            _add(item, _P + "episode", str(episode.episode))
        for transcript in episode.transcripts:
            _add(
                item,
                _P + "transcript",
                **_attrs(
                    url=transcript.url,
                    type=transcript.type,
                    language=transcript.language,
                    rel=transcript.rel,
                ),
            )
        if episode.chapters is not None:
            _add(item, _P + "chapters", url=episode.chapters, type=CHAPTERS_TYPE)
        _add_people(item, episode.people)
        _add_license(item, episode.license)
        _add_places(item, episode.locations)
        return item


def render(doc: FeedDoc, self_url: str) -> bytes:
    """The podcast feed for ``doc`` (whose ``show`` is set), its self link ``self_url``."""
    show = doc.show
    assert show is not None
    fg = FeedGenerator()
    fg.register_extension("feedtool_podcast", _ShowExtension, _EpisodeExtension)
    fg.feedtool_podcast.show = show
    fg.feedtool_podcast.self_url = self_url
    fg.feedtool_podcast.doc = doc
    fg.title(doc.title)
    fg.description(doc.description)
    # feedgen's RSS channel <link> is its last link: self first, the site last.
    fg.link(href=self_url, rel="self", type="application/rss+xml")
    fg.link(href=doc.site_url, rel="alternate")
    fg.lastBuildDate(doc.updated)
    fg.generator(GENERATOR_NAME)
    fg.docs(RSS_DOCS)
    if doc.language:
        fg.language(doc.language)
    if show.copyright:
        fg.copyright(show.copyright)
    fg.image(url=show.image, title=doc.title, link=doc.site_url)
    for entry in doc.entries:
        article = entry.article
        assert article.episode is not None
        fe = fg.add_entry(order="append")
        fe.feedtool_podcast.article = article
        fe.title(article.title)
        fe.link(href=article.link)
        # The article's id, never the enclosure's URL: apps key episodes on the guid.
        fe.guid(article.id, permalink=article.id == article.link)
        fe.pubDate(article.published)
        fe.description(text_as_html(entry.summary or article.title))
        fe.content(entry.content_html)
        enclosure = article.episode.enclosure
        fe.enclosure(enclosure.url, str(enclosure.length), enclosure.type)
    data: bytes = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data
