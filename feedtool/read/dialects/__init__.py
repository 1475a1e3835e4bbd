"""Sites written for another generator: one module per dialect, one registry.

A dialect reads a file the way its generator does (front matter keys and their
meaning, dates from file names, drafts, expiry, permalinks, which files are posts)
and hands read/record.py feedtool's own keys: title, date, updated, slug, link, id, ...
The id is the one that generator's feed gives, so switching a site's feed to
feedtool shows no reader an old post again as new.

Plain feedtool sites never import this package: the registry of readers
(read/readers.py) picks this one only for a site whose config names a dialect.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from feedtool import safefile
from feedtool.config import SiteConfig
from feedtool.errors import ContentError, FeedtoolError
from feedtool.model import Article, Body
from feedtool.read.dates import parse_date
from feedtool.read.dialects.templates import notes
from feedtool.read.frontmatter import split
from feedtool.read.record import Lines, Loaded, build_article
from feedtool.read.sources import GENERATED, Source
from feedtool.textfile import read_text
from feedtool.values.choices import BODY_SUFFIXES, DIALECTS

if TYPE_CHECKING:
    from collections.abc import Callable


class Page(msgspec.Struct, frozen=True):
    """One content file as a dialect sees it."""

    path: str  # as the user names it (content folder joined), for messages
    rel: str  # relative to the content folder, "/" separated
    text: str  # the whole file
    meta: dict[str, Any]  # its front matter (or header metadata), parsed
    body_start: int  # offset of the body in text
    body_line: int  # the file's line the body starts on, for messages

    @property
    def stem(self) -> str:
        return os.path.splitext(self.rel.rsplit("/", 1)[-1])[0]

    @property
    def folders(self) -> list[str]:
        return self.rel.split("/")[:-1]

    def template_notes(self, kind: str) -> list[str]:
        """Warnings for the template tags of ``kind`` ("hugo", "liquid") left in the body."""
        return notes(kind, self.path, self.text[self.body_start :], self.body_line)


class Reading(msgspec.Struct):
    """What a dialect makes of a page: feedtool's keys, or nothing (not an article)."""

    meta: dict[str, Any]  # feedtool's keys (title, date, slug, link, id, ...)
    body_format: str = "markdown"  # a key of render.body_html.RENDERERS
    expires: Any = None  # a date value: left out of the feeds from then on
    visible_from: Any = None  # a date value: left out before then (Hugo's publishDate)
    warnings: list[str] = msgspec.field(default_factory=list)
    translations: list[tuple[str, str]] = msgspec.field(default_factory=list)  # (language, link)


class Dialect:
    """The default behaviour; each dialect module overrides what its generator does
    differently. Instances are made once per build (``get``)."""

    suffixes: tuple[str, ...] = (".md", ".markdown", ".html", ".htm")
    # Folder or file names (the first character) that the walk skips.
    hidden: tuple[str, ...] = (".", "_")

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self.options: dict[str, Any] = dict(config.dialect_options or {})

    def parse(self, text: str, path: str) -> tuple[dict[str, Any], int]:
        """Front matter and where the body starts (YAML or TOML fences, as feedtool's)."""
        parts = split(text, path)
        return parts.meta, parts.body_start

    def read(self, page: Page) -> Reading | None:  # pragma: no cover - every dialect has one
        raise NotImplementedError

    def main_feed(self, article: Article) -> bool:
        """Whether the main feed holds it (Hugo's and Zola's: the default language only)."""
        return True

    def link(self, articles: list[Article]) -> list[Article]:
        """Articles that know of each other once all are read (translations); as they are."""
        return articles


@lru_cache(maxsize=4)
def _dialect_class(name: str) -> type[Dialect]:
    module = importlib.import_module(f"{__name__}.{DIALECTS[name]}")
    dialect: type[Dialect] = module.DIALECT
    return dialect


def get(config: SiteConfig) -> Dialect:
    assert config.dialect is not None
    return _dialect_class(config.dialect)(config)


def glob_pattern(pattern: str) -> re.Pattern[str]:
    """A glob over "/"-separated paths: ``*`` and ``?`` within a name, ``**`` across folders."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def path_filter(config: SiteConfig) -> Callable[[str], bool] | None:
    """A test of relative paths for config.include and config.exclude (None: take all)."""
    if not config.include and not config.exclude:
        return None
    include = [glob_pattern(p) for p in config.include]
    exclude = [glob_pattern(p) for p in config.exclude]

    def wanted(rel: str) -> bool:
        if include and not any(p.match(rel) for p in include):
            return False
        return not any(p.match(rel) for p in exclude)

    return wanted


def relative(path: str, content_dir: Path) -> str:
    rel = os.path.relpath(path, content_dir)
    return rel.replace(os.sep, "/")


def find_sources(
    content_dir: Path, config: SiteConfig, problems: list[FeedtoolError]
) -> Iterator[Source]:
    """The files the dialect reads, in a stable order."""
    dialect = get(config)
    wanted = path_filter(config)
    root = os.fspath(content_dir)
    for folder, dirs, files in os.walk(root, onerror=None, followlinks=False):
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        rel_folder = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in GENERATED and (not d.startswith(dialect.hidden) or _included(d, config))
        )
        for name in sorted(files):
            if os.path.splitext(name)[1].lower() not in dialect.suffixes:
                continue
            rel = rel_folder + name
            if name.startswith(dialect.hidden) and not name.startswith("_index."):
                continue
            if wanted is not None and not wanted(rel):
                continue
            path = os.path.normpath(os.path.join(folder, name))
            if os.path.islink(path):  # read only if it leads inside (see safefile.inside)
                try:
                    safefile.inside(path, [root, *config.content_roots])
                except ContentError as exc:
                    problems.append(exc)
                    continue
            yield Source(path, None)
    # A plain walk otherwise: unreadable folders are simply not read.


def _included(name: str, config: SiteConfig) -> bool:
    """A hidden folder (Jekyll's _posts) is read when an include pattern names it."""
    return any(name in p.split("/") for p in config.include)


def read_source(source: Source, config: SiteConfig, content_dir: Path | None) -> Loaded | None:
    """One file through its dialect: a Loaded, or None when it is not an article."""

    dialect = get(config)
    path = source.path
    text = read_text(path, config.max_article_bytes)
    meta, body_start = dialect.parse(text, path)
    root = content_dir or Path(path).parent
    page = Page(
        path=path,
        rel=relative(path, root),
        text=text,
        meta=meta,
        body_start=body_start,
        body_line=text.count("\n", 0, body_start) + 1,
    )
    reading = dialect.read(page)
    if reading is None:
        return None
    explicit = next((v for k, v in meta.items() if str(k).lower() == "id"), None)
    if explicit is not None:
        # feedtool's own key wins over the generator's scheme (`feedtool ids --keep` writes
        # it to keep an id that would otherwise change).
        reading.meta["id"] = explicit
    suffix_format = BODY_SUFFIXES.get(os.path.splitext(path)[1].lower(), "markdown")
    body = Body(
        path=path,
        format=reading.body_format or suffix_format,
        start=body_start,
        max_bytes=config.max_article_bytes,
    )
    # Problems are reported against the front matter as written (line numbers of its keys).
    lines = Lines(path, text[:body_start], 2)
    article: Article = build_article(reading.meta, lines, body, config)
    if reading.translations:
        article = article._replace(translations=tuple(reading.translations))
    if reading.expires is not None or reading.visible_from is not None:
        article = article._replace(
            expires=_when(reading.expires, "expiryDate", path, config),
            visible_from=_when(reading.visible_from, "publishDate", path, config),
        )
    return Loaded(article, (path,), None, tuple(reading.warnings))


def _when(value: Any, key: str, path: str, config: SiteConfig) -> datetime | None:

    if value is None:
        return None
    try:
        return parse_date(value, config.tz)
    except ValueError as exc:
        raise ContentError(str(exc), path=path, field=key) from None


def link(articles: list[Article], config: SiteConfig) -> list[Article]:
    """The dialect's pass over all articles once read (translations find each other)."""
    return get(config).link(articles)


def main_feed(articles: list[Article], config: SiteConfig) -> list[Article]:
    """The articles the generator's main feed holds (the others are in language feeds)."""
    dialect = get(config)
    return [a for a in articles if dialect.main_feed(a)]


def published(articles: list[Article], now: datetime) -> list[Article]:
    """published_articles for dialect sites: also publishDate and expiryDate."""

    visible = [
        a
        for a in articles
        if not a.draft
        and a.published <= now
        and (a.visible_from is None or a.visible_from <= now)
        and (a.expires is None or a.expires > now)
    ]
    visible.sort(key=attrgetter("source"))
    visible.sort(key=attrgetter("published"), reverse=True)
    return visible
