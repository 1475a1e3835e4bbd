"""The records data flows through: immutable, no I/O.

Named tuples for the records a big site has thousands of (articles, their bodies,
authors, enclosures, entries): they cost less to make, unpickle and define than frozen
dataclasses. Nothing compares them with plain tuples or sorts them. Frozen msgspec
Structs for the rest: they compare, hash, print and pickle as frozen dataclasses do, and
their classes are made in C rather than by running generated code at import. Show stays a
dataclass: its ``lines`` take no part in equality or repr, which a Struct cannot say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

import msgspec


class Author(NamedTuple):
    name: str
    email: str | None = None
    uri: str | None = None


class Enclosure(NamedTuple):
    url: str
    type: str
    length: int | None = None


class Person(NamedTuple):
    """podcast:person: someone who makes the show or an episode."""

    name: str
    role: str | None = None  # the Podcast Taxonomy's role ("host", "guest", ...); None: host
    group: str | None = None  # its group ("cast", "writing", ...); None: cast
    img: str | None = None  # URL of a picture of them
    href: str | None = None  # URL of a page about them


class Transcript(NamedTuple):
    """podcast:transcript: one transcript or captions file of an episode."""

    url: str
    type: str  # its media type: text/vtt, application/x-subrip, ...
    language: str | None = None  # None: the feed's language
    rel: str | None = None  # "captions": a closed-captions file with time codes


class Location(NamedTuple):
    """podcast:location: where a show or episode is about (or was made)."""

    name: str  # shown to people: "Austin, TX"
    rel: str | None = None  # "subject" (the default) or "creator"
    geo: str | None = None  # an RFC 5870 geo URI: "geo:30.27,-97.74"
    osm: str | None = None  # an OpenStreetMap object: N, W or R and its number
    country: str | None = None  # ISO 3166-1 alpha-2, upper case


class License(NamedTuple):
    """podcast:license: a licence identifier, and the URL of its text."""

    name: str  # a lower-case SPDX-like identifier ("cc-by-4.0") or a custom name
    url: str | None = None  # required for a custom licence


class Trailer(NamedTuple):
    """podcast:trailer: a show's (or a season's) trailer, an audio or video file."""

    title: str
    url: str  # absolute once the show is resolved (written: a URL or a file in content)
    published: datetime
    type: str = ""  # its media type; from the file's name when not given
    length: int | None = None  # bytes; read from a local file
    season: int | None = None  # the season it announces


class Episode(NamedTuple):
    """An article's podcast facts: its keys and what its files say (only with ``[podcast]``)."""

    enclosure: Enclosure  # the episode's audio or video: its first such enclosure
    duration: int | None = None  # seconds; from the file itself when it is local
    episode: int | None = None
    season: int | None = None
    episode_type: str | None = None  # "full", "trailer" or "bonus"
    explicit: bool | None = None
    block: bool = False  # itunes:block: kept out of Apple's directory
    transcripts: tuple[Transcript, ...] = ()
    chapters: str | None = None  # URL of a JSON chapters file
    # Where the article's metadata says which enclosure (for the shared-enclosure rule).
    at: tuple[str, int | None] = ("", None)
    people: tuple[Person, ...] = ()  # when set, they replace the show's for this episode
    license: License | None = None
    locations: tuple[Location, ...] = ()


class Body(NamedTuple):
    """Where an article's text lives, so bodies are read only for articles a feed shows."""

    # Text, not a Path: articles travel between processes and through the cache, and
    # rebuilding Path objects is a measurable part of that.
    path: str
    format: str  # a key of render.RENDERERS: "markdown", "html" or "text"
    start: int  # offset of the body in the file's decoded, newline-normalised text
    max_bytes: int | None = None  # the size limit it was checked against, for the second read
    text: str | None = None  # the text itself, for an article made in memory (no file)


class Article(NamedTuple):
    """One article's metadata, parsed and checked. Its body is rendered on demand.

    A named tuple, not a dataclass: a big site has tens of thousands of these, made
    from every file on a first build and from the cache on every later one, and a
    tuple costs less to make and unpickle. Nothing compares one with a
    plain tuple or sorts them.
    """

    source: str  # the file as the user names it, for messages and tie-breaks
    id: str
    slug: str
    title: str
    link: str
    published: datetime  # always time-zone aware
    updated: datetime
    body: Body
    authors: tuple[Author, ...] = ()
    summary: str | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    draft: bool = False
    image: str | None = None
    enclosures: tuple[Enclosure, ...] = ()
    lang: str | None = None
    episode: Episode | None = None  # with [podcast], for an article with audio or video
    # Sites written for another generator (read/dialects) only: Hugo's expiryDate and
    # publishDate. None for feedtool's own articles.
    expires: datetime | None = None
    visible_from: datetime | None = None
    # The same article in other languages: (language tag, link), for hreflang alternates.
    translations: tuple[tuple[str, str], ...] = ()
    # item_content = "summary" (the article's key, else the site's): feeds carry only the
    # summary and a link to the article, not the whole text.
    summary_only: bool = False

    @property
    def sort_key(self) -> tuple[float, str]:
        """Newest first; equal dates fall back to the file name, so order never depends on disk."""
        return (-self.published.timestamp(), self.source)


# Every time an Article holds; no other record inside one holds a time (the cache and the
# helpers' transport check each for its zone: cache/codec.py, read/transport.py).
ARTICLE_TIMES = ("published", "updated", "expires", "visible_from")


class Entry(NamedTuple):
    """An article ready for a feed: its metadata plus rendered, safe, absolute HTML."""

    article: Article
    content_html: str
    summary: str


@dataclass(frozen=True)
class Show:
    """The ``[podcast]`` table: what a podcast feed says about the show as a whole."""

    categories: tuple[tuple[str, str | None], ...]  # (Apple category, subcategory or None)
    explicit: bool
    owner: Author  # with an e-mail address
    author: str
    image: str  # an absolute URL once read (written: a URL or a file in the content folder)
    type: str = "episodic"  # or "serial"
    locked: bool = False
    complete: bool = False
    new_feed_url: str | None = None
    funding: tuple[tuple[str, str], ...] = ()  # (URL, text)
    guid: str | None = None  # None: derived from the feed's URL (podcast:guid)
    copyright: str | None = None
    limit: int | None = None  # episodes in the feed; None: all of them
    archives: bool = False  # RFC 5005 archive pages of every episode beside podcast.xml
    archive_page_size: int | None = None  # episodes a page; None: the site's
    # The Podcast 2.0 tags of the show (see values/podcast20.py).
    people: tuple[Person, ...] = ()
    medium: str | None = None  # podcast:medium; None: "podcast", the namespace's default
    txt: tuple[tuple[str, str | None], ...] = ()  # podcast:txt (text, purpose)
    license: License | None = None
    trailers: tuple[Trailer, ...] = ()
    locations: tuple[Location, ...] = ()
    # Each key's line in feedtool.toml, for messages about what is found later (the art).
    lines: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)

    def line(self, key: str) -> int | None:
        return dict(self.lines).get(key) or dict(self.lines).get("")


class FeedDoc(msgspec.Struct, frozen=True):
    """One feed document, independent of format: what every writer renders."""

    key: str  # "" for the main feed; "tags/python" etc. for groups
    title: str
    description: str
    site_url: str
    updated: datetime
    entries: tuple[Entry, ...]
    language: str | None = None
    authors: tuple[Author, ...] = ()
    image: str | None = None
    icon: str | None = None
    hub: str | None = None
    # Extra atom:link elements (rel, href), e.g. RFC 5005 archive links.
    extra_links: tuple[tuple[str, str], ...] = ()
    archive: bool = False  # an RFC 5005 archive document (fh:archive)
    show: Show | None = None  # the podcast feed's show


class BuildStep(NamedTuple):
    """One unit of work done, for progress bars and -v: ``done`` of ``total`` in ``stage``."""

    # "read": an article file was read; "render": an article's body rendered; "feeds": a
    # feed file rendered and checked; "write": an output file written. In that order.
    stage: str
    item: str
    done: int
    total: int


ProgressHook = Callable[[BuildStep], None]
