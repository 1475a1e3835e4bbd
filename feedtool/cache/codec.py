"""The cache's records as JSON values, and back: data, never code.

A cache folder can come from anywhere (a repository that committed it, a CI cache
restored from another branch), so it is read as JSON, which can only ever make lists,
strings and numbers. Every decode checks the shape it reads; anything else raises
(ValueError, TypeError, KeyError, IndexError), and the caller takes the file for no
cache at all. Records are lists, not objects with key names: a big site's cache holds
tens of thousands of articles, and lists are smaller and faster to read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from feedtool.cache.stamps import Stamp
from feedtool.model import (
    Article,
    Author,
    Body,
    Enclosure,
    Entry,
    Episode,
    License,
    Location,
    Person,
    Transcript,
)

# Records under a key that is their article's file (a shard's) leave that path out where
# it repeats (null): a big site's shards are then a fifth smaller, and read that much faster.


def stamps_out(stamps: tuple[Stamp, ...], source: str | None = None) -> list[Any]:
    return [
        [None if p == source else p, size, m, c, digest.hex() if digest else None]
        for p, size, m, c, digest in stamps
    ]


def stamps_in(data: Any, source: str | None = None) -> tuple[Stamp, ...]:
    stamps = []
    for written, size, mtime, ctime, digest in data:
        path = source if written is None else written
        if not (type(path) is str and type(size) is int is type(mtime) is type(ctime)):
            raise TypeError("not a stamp")
        stamps.append((path, size, mtime, ctime, None if digest is None else bytes.fromhex(digest)))
    return tuple(stamps)


def article_out(article: Article, source: str | None = None) -> list[Any]:
    body = article.body
    published = article.published.isoformat()
    updated = article.updated.isoformat()
    return [
        None if article.source == source else article.source,
        article.id,
        article.slug,
        article.title,
        article.link,
        published,
        None if updated == published else updated,
        [
            None if body.path == source else body.path,
            body.format,
            body.start,
            body.max_bytes,
            body.text,
        ],  # fmt: skip
        [list(author) for author in article.authors],
        article.summary,
        list(article.tags),
        list(article.categories),
        article.draft,
        article.image,
        [list(enclosure) for enclosure in article.enclosures],
        article.lang,
        _episode_out(article.episode),
        None if article.expires is None else article.expires.isoformat(),
        None if article.visible_from is None else article.visible_from.isoformat(),
        [list(pair) for pair in article.translations],
        article.summary_only,
    ]


def article_in(data: Any, known: str | None = None) -> Article:
    # Every article of a big site is made here on each build with one change: checks are
    # written so that C does them ("".join raises TypeError unless every item is text).
    (source, id_, slug, title, link, published, updated, body, authors, summary, tags,
     categories, draft, image, enclosures, lang, episode, expires, visible_from,
     translations, summary_only) = data  # fmt: skip
    path, body_format, start, max_bytes, text = body
    if source is None:
        source = known
    if path is None:
        path = known
    _TEXT((source, id_, slug, title, link, path, body_format, *tags, *categories))
    if not (
        type(start) is int
        and type(draft) is bool
        and type(summary_only) is bool
        and type(max_bytes) in _OPTIONAL_INT
        and type(text) in _OPTIONAL_TEXT
        and type(summary) in _OPTIONAL_TEXT
        and type(image) in _OPTIONAL_TEXT
        and type(lang) in _OPTIONAL_TEXT
    ):
        raise TypeError("not an article")
    when = _aware(published)
    # tuple.__new__ in C, not the records' __new__ in Python: a third of the time here.
    return _new(
        Article,
        (
            source,
            id_,
            slug,
            title,
            link,
            when,
            when if updated is None else _aware(updated),
            _new(Body, (path, body_format, start, max_bytes, text)),
            tuple([_author(*author) for author in authors]) if authors else (),
            summary,
            tuple(tags),
            tuple(categories),
            draft,
            image,
            tuple([_enclosure(*enclosure) for enclosure in enclosures]) if enclosures else (),
            lang,
            None if episode is None else _episode_in(*episode),
            None if expires is None else _aware(expires),
            None if visible_from is None else _aware(visible_from),
            tuple([_pair(*pair) for pair in translations]) if translations else (),
            summary_only,
        ),
    )


def _pair(language: Any, link: Any) -> tuple[str, str]:
    if type(language) is not str or type(link) is not str:
        raise TypeError("not a translation")
    return (language, link)


_new = tuple.__new__
# _new takes every field, in order: a field added to a record must be added here too (a
# test reads back an article with every field set).
assert len(Article._fields) == 21 and len(Body._fields) == 5 and len(Episode._fields) == 13
assert len(Author._fields) == 3 and len(Enclosure._fields) == 3
_TEXT = "".join
_OPTIONAL_TEXT = frozenset({str, type(None)})
_OPTIONAL_INT = frozenset({int, type(None)})


def _episode_out(episode: Episode | None) -> list[Any] | None:
    if episode is None:
        return None
    return [
        list(episode.enclosure),
        episode.duration,
        episode.episode,
        episode.season,
        episode.episode_type,
        episode.explicit,
        episode.block,
        [list(t) for t in episode.transcripts],
        episode.chapters,
        list(episode.at),
        [list(p) for p in episode.people],
        list(episode.license) if episode.license is not None else None,
        [list(place) for place in episode.locations],
    ]


def _texts(kind: Any, values: Any) -> Any:
    """A Podcast 2.0 record whose fields are all text: the first required, the rest optional."""
    if (
        len(values) != len(kind._fields)
        or type(values[0]) is not str
        or any(type(v) not in _OPTIONAL_TEXT for v in values[1:])
    ):
        raise TypeError(f"not a {kind.__name__}")
    return _new(kind, tuple(values))


def _episode_in(
    enclosure: Any,
    duration: Any,
    number: Any,
    season: Any,
    episode_type: Any,
    explicit: Any,
    block: Any,
    transcripts: Any,
    chapters: Any,
    at: Any,
    people: Any,
    license: Any,
    locations: Any,
) -> Episode:
    where, line = at
    if not (
        type(duration) in _OPTIONAL_INT
        and type(number) in _OPTIONAL_INT
        and type(season) in _OPTIONAL_INT
        and type(episode_type) in _OPTIONAL_TEXT
        and type(explicit) in _OPTIONAL_BOOL
        and type(block) is bool
        and type(chapters) in _OPTIONAL_TEXT
        and type(where) is str
        and type(line) in _OPTIONAL_INT
    ):
        raise TypeError("not an episode")
    if type(transcripts) is not list or type(people) is not list or type(locations) is not list:
        raise TypeError("not an episode")
    return Episode(
        _enclosure(*enclosure),
        duration,
        number,
        season,
        episode_type,
        explicit,
        block,
        tuple(_texts(Transcript, t) for t in transcripts),
        chapters,
        (where, line),
        tuple(_texts(Person, p) for p in people),
        None if license is None else _texts(License, license),
        tuple(_texts(Location, place) for place in locations),
    )


_OPTIONAL_BOOL = frozenset({bool, type(None)})


def _author(name: Any, email: Any, uri: Any) -> Author:
    if (
        type(name) is not str
        or type(email) not in _OPTIONAL_TEXT
        or type(uri) not in _OPTIONAL_TEXT
    ):
        raise TypeError("not an author")
    return _new(Author, (name, email, uri))


def _enclosure(url: Any, media_type: Any, length: Any) -> Enclosure:
    if type(url) is not str or type(media_type) is not str or type(length) not in _OPTIONAL_INT:
        raise TypeError("not an enclosure")
    return _new(Enclosure, (url, media_type, length))


def entry_in(article: Article, content_html: Any, summary: Any) -> Entry:
    return Entry(article=article, content_html=_str(content_html), summary=_str(summary))


def datetime_out(value: datetime) -> str:
    return value.isoformat()


def datetime_in(value: Any) -> datetime:
    return _aware(value)


def _aware(value: Any) -> datetime:
    result = datetime.fromisoformat(value)  # TypeError unless text
    if result.tzinfo is None:
        raise ValueError("a cached time without its offset")
    return result


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("expected text")
    return value
