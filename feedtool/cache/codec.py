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
from feedtool.model import Article, Author, Body, Enclosure, Entry


def stamps_out(stamps: tuple[Stamp, ...]) -> list[Any]:
    return [[p, size, m, c, digest.hex() if digest else None] for p, size, m, c, digest in stamps]


def stamps_in(data: Any) -> tuple[Stamp, ...]:
    return tuple(
        (_str(p), _int(size), _int(m), _int(c), bytes.fromhex(d) if d is not None else None)
        for p, size, m, c, d in data
    )


def article_out(article: Article) -> list[Any]:
    body = article.body
    return [
        article.source,
        article.id,
        article.slug,
        article.title,
        article.link,
        article.published.isoformat(),
        article.updated.isoformat(),
        [body.path, body.format, body.start, body.max_bytes],
        [list(author) for author in article.authors],
        article.summary,
        list(article.tags),
        list(article.categories),
        article.draft,
        article.image,
        [list(enclosure) for enclosure in article.enclosures],
        article.lang,
    ]


def article_in(data: Any) -> Article:
    (source, id_, slug, title, link, published, updated, body, authors, summary, tags,
     categories, draft, image, enclosures, lang) = data  # fmt: skip
    path, body_format, start, max_bytes = body
    return Article(
        source=_str(source),
        id=_str(id_),
        slug=_str(slug),
        title=_str(title),
        link=_str(link),
        published=_aware(published),
        updated=_aware(updated),
        body=Body(_str(path), _str(body_format), _int(start), _optional_int(max_bytes)),
        authors=tuple(Author(_str(n), _optional_str(e), _optional_str(u)) for n, e, u in authors),
        summary=_optional_str(summary),
        tags=tuple(_str(tag) for tag in tags),
        categories=tuple(_str(category) for category in categories),
        draft=_bool(draft),
        image=_optional_str(image),
        enclosures=tuple(Enclosure(_str(u), _str(t), _optional_int(n)) for u, t, n in enclosures),
        lang=_optional_str(lang),
    )


def entry_in(article: Article, content_html: Any, summary: Any) -> Entry:
    return Entry(article=article, content_html=_str(content_html), summary=_str(summary))


def datetime_out(value: datetime) -> str:
    return value.isoformat()


def datetime_in(value: Any) -> datetime:
    return _aware(value)


def _aware(value: Any) -> datetime:
    result = datetime.fromisoformat(_str(value))
    if result.tzinfo is None:
        raise ValueError("a cached time without its offset")
    return result


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("expected text")
    return value


def _optional_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("expected a whole number")
    return value


def _optional_int(value: Any) -> int | None:
    return None if value is None else _int(value)


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError("expected true or false")
    return value
