"""Files to Articles: finding body files, reading their metadata, checking it."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from . import fields, media
from .config import SiteConfig
from .dates import parse_date
from .errors import ContentError, FeedtoolError
from .frontmatter import decode, find_sidecar, read_sidecar, split
from .html import absolute_url
from .model import Article, Body
from .render import BODY_SUFFIXES

_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")

# Keys whose value needs nothing but the value itself. Keys that depend on the
# site (dates, links, ids) are handled in _build_article.
_SIMPLE_KEYS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "title": ("title", fields.required_text),
    "summary": ("summary", fields.text),
    "tags": ("tags", fields.text_list),
    "categories": ("categories", fields.text_list),
    "draft": ("draft", fields.boolean),
    "image": ("image", fields.url),
    "enclosures": ("enclosures", fields.enclosures),
    "lang": ("lang", fields.language),
    "author": ("authors", fields.authors),
    "authors": ("authors", fields.authors),
}
_SITE_KEYS = ("date", "updated", "id", "slug", "link")


def is_hidden(name: str) -> bool:
    return name.startswith(("_", "."))


def find_body_files(content_dir: Path) -> Iterator[Path]:
    """Every article body file below ``content_dir``, in a stable order."""
    for root, dirs, files in os.walk(content_dir):
        dirs[:] = sorted(d for d in dirs if not is_hidden(d))
        for name in sorted(files):
            if not is_hidden(name) and Path(name).suffix.lower() in BODY_SUFFIXES:
                yield Path(root) / name


def load_articles(
    content_dir: Path,
    config: SiteConfig,
    on_file: Callable[[Path, int, int], None] | None = None,
) -> tuple[list[Article], list[FeedtoolError]]:
    """Read every article; return the good ones and every problem found.

    ``on_file(path, done, total)`` is called after each file, for progress reports.
    """
    if not content_dir.is_dir():
        raise ContentError(
            "content folder not found (give another with --content)", path=content_dir
        )
    articles: list[Article] = []
    problems: list[FeedtoolError] = []
    paths = list(find_body_files(content_dir))
    for done, path in enumerate(paths, start=1):
        try:
            articles.append(load_article(path, config, content_dir))
        except FeedtoolError as exc:
            problems.append(exc)
        if on_file is not None:
            on_file(path, done, len(paths))
    problems.extend(find_clashes(articles))
    return articles, problems


def load_article(path: Path, config: SiteConfig, content_dir: Path | None = None) -> Article:
    """One body file (and its sidecar, if any) as an Article.

    ``content_dir`` is where enclosure paths starting with ``/`` are looked up and
    what their URLs are relative to (default: the article's folder).
    """
    try:
        text = decode(path.read_bytes(), path)
    except OSError as exc:
        raise ContentError(f"cannot read the file: {exc.strerror}", path=path) from None
    parts = split(text, path)
    meta, meta_path, first_line = parts.meta, path, 2
    sidecar = find_sidecar(path)
    if sidecar is not None:
        if parts.has_front_matter:
            raise ContentError(
                f"has front matter and a sidecar file {sidecar.name}; "
                "keep the metadata in one place",
                path=path,
                line=1,
            )
        meta, meta_path, first_line = read_sidecar(sidecar), sidecar, 1
    body = Body(path=path, format=BODY_SUFFIXES[path.suffix.lower()], start=parts.body_start)
    article = _build_article(meta, meta_path, first_line, body, config)
    return _resolve_media(article, meta_path, first_line, content_dir or path.parent, config)


def _line_of(key: str, meta_path: Path, first_line: int) -> int | None:
    """The line a top-level key is on, for messages; None when it cannot be told."""
    try:
        lines = decode(meta_path.read_bytes(), meta_path).split("\n")
    except (OSError, ContentError):
        return None
    pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*[:=]')
    start = 1 if first_line == 2 else 0  # skip the opening fence
    for number, line in enumerate(lines[start:], start=start + 1):
        if pattern.match(line):
            return number
    return None


def _build_article(
    meta: dict[str, Any], meta_path: Path, first_line: int, body: Body, config: SiteConfig
) -> Article:
    def problem(key: str, message: str) -> ContentError:
        return ContentError(
            message, path=meta_path, line=_line_of(key, meta_path, first_line), field=key
        )

    values: dict[str, Any] = {}
    for key, (attribute, parser) in _SIMPLE_KEYS.items():
        if key in meta and meta[key] is not None:
            try:
                values[attribute] = parser(meta[key])
            except ValueError as exc:
                raise problem(key, str(exc)) from None
    if "title" not in values:
        raise ContentError(
            "is required (every article needs a title)", path=meta_path, field="title"
        )
    if meta.get("date") is None:
        raise ContentError(
            "is required (when the article was published)", path=meta_path, field="date"
        )

    dates: dict[str, datetime] = {}
    for key in ("date", "updated"):
        if meta.get(key) is not None:
            try:
                dates[key] = parse_date(meta[key], config.tz)
            except ValueError as exc:
                raise problem(key, str(exc)) from None
    published = dates["date"]
    updated = dates.get("updated", published)
    if updated < published:
        raise problem(
            "updated", "is earlier than date (the article cannot change before it exists)"
        )

    try:
        slug = _slug(meta.get("slug"), body.path)
    except ValueError as exc:
        raise problem("slug", str(exc)) from None
    try:
        link = _link(meta.get("link"), slug, published, config)
    except ValueError as exc:
        raise problem("link", str(exc)) from None
    try:
        article_id = fields.url(meta["id"]) if meta.get("id") is not None else None
    except ValueError as exc:
        raise problem("id", str(exc)) from None
    if article_id is None:
        article_id = default_id(config.base_url, published, slug)

    return Article(
        source=str(body.path),
        id=article_id,
        slug=slug,
        link=link,
        published=published,
        updated=updated,
        body=body,
        **values,
    )


def _resolve_media(
    article: Article, meta_path: Path, first_line: int, content_dir: Path, config: SiteConfig
) -> Article:
    """The image as an absolute URL; enclosures with URLs, types and local files' lengths."""
    image = article.image and absolute_url(article.image, article.link)
    if image is not None and urlsplit(image).scheme not in ("http", "https"):
        raise ContentError(
            f'"{article.image}" is not a web address',
            path=meta_path,
            line=_line_of("image", meta_path, first_line),
            field="image",
        )
    enclosures = []
    for enclosure in article.enclosures:
        try:
            enclosures.append(
                media.resolve_enclosure(enclosure, article.body.path, content_dir, config.base_url)
            )
        except ValueError as exc:
            raise ContentError(
                str(exc),
                path=meta_path,
                line=_line_of("enclosures", meta_path, first_line),
                field="enclosures",
            ) from None
    return replace(article, image=image, enclosures=tuple(enclosures))


def _slug(value: object, path: Path) -> str:
    if value is None:
        slug = _DATE_PREFIX.sub("", path.stem)
        slug = re.sub(r"\s+", "-", slug.strip())
    else:
        slug = fields.required_text(value)
    if "/" in slug or "\\" in slug or slug in (".", ".."):
        raise ValueError(f'"{slug}" cannot be used in a URL path (no slashes, not . or ..)')
    if not slug:
        raise ValueError("is empty")
    return slug


def _link(value: object, slug: str, published: datetime, config: SiteConfig) -> str:
    if value is not None:
        link = fields.url(value)
        absolute = urljoin(config.base_url, link)
        if urlsplit(absolute).scheme not in ("http", "https"):
            raise ValueError(f'"{link}" is not a web address')
        return absolute
    path = config.permalink.format(
        slug=quote(slug, safe=""),
        year=f"{published.year:04d}",
        month=f"{published.month:02d}",
        day=f"{published.day:02d}",
    )
    return urljoin(config.base_url, path.lstrip("/"))


def default_id(base_url: str, published: datetime, slug: str) -> str:
    """A tag URI (RFC 4151) that does not change when the title or text is edited."""
    host = urlsplit(base_url).hostname or "localhost"
    return f"tag:{host},{published:%Y-%m-%d}:/{quote(slug, safe='')}"


def find_clashes(articles: list[Article]) -> list[FeedtoolError]:
    """Two articles with the same URL or id would replace each other, or show as one item."""
    problems: list[FeedtoolError] = []
    reported: set[tuple[str, str]] = set()
    for attribute, what, fix in (("link", "URL", "slug or link"), ("id", "id", "id")):
        seen: dict[str, Article] = {}
        for article in sorted(articles, key=lambda a: a.source):
            value = getattr(article, attribute)
            first = seen.setdefault(value, article)
            if first is article or (first.source, article.source) in reported:
                continue
            reported.add((first.source, article.source))
            problems.append(
                ContentError(
                    f'same {what} "{value}" as {first.source}; give one of them its own {fix}',
                    path=article.source,
                    field="slug" if attribute == "link" else "id",
                )
            )
    return problems
