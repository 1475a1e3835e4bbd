"""Files to Articles: reading their metadata, checking it, finding clashes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from . import fields, media
from .config import SiteConfig
from .dates import parse_date
from .errors import ContentError, FeedtoolError, ManyErrors, raise_all
from .frontmatter import Split, find_sidecar, key_line, parse_meta, read_text, split
from .html import absolute_url
from .model import Article, Body
from .render import BODY_SUFFIXES
from .scan import find_body_files, is_hidden

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
_SIDECAR_KINDS = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}


def load_articles(
    content_dir: Path,
    config: SiteConfig,
    on_file: Callable[[Path, int, int], None] | None = None,
    *,
    keep_going: bool = False,
) -> tuple[list[Article], list[FeedtoolError]]:
    """Read every article; return the good ones and every problem found.

    ``on_file(path, done, total)`` is called after each file, for progress reports.

    Without ``keep_going`` every clash between two articles is reported and the
    articles list still holds both (the caller fails anyway). With it, the list
    holds only the articles that are published: of two that clash, the one
    dated later (then: whose file name sorts later) is left out.
    """
    if not content_dir.is_dir():
        raise ContentError(
            "content folder not found (give another with --content)", path=content_dir
        )
    articles: list[Article] = []
    problems: list[FeedtoolError] = []
    paths = list(find_body_files(content_dir, problems))
    for done, path in enumerate(paths, start=1):
        try:
            articles.append(load_article(path, config, content_dir))
        except ManyErrors as exc:
            problems.extend(exc.errors)
        except FeedtoolError as exc:
            problems.append(exc)
        if on_file is not None:
            on_file(path, done, len(paths))
    clashing, clashes = find_clashes(articles, keep_going=keep_going)
    problems.extend(clashes)
    if keep_going:
        articles = [a for a in articles if a.source not in clashing]
    return articles, problems


def load_article(path: Path, config: SiteConfig, content_dir: Path | None = None) -> Article:
    """One body file (and its sidecar, if any) as an Article.

    ``content_dir`` is where enclosure paths starting with ``/`` are looked up and
    what their URLs are relative to (default: the article's folder).
    """
    text = read_text(path, config.max_article_bytes)
    sidecar = find_sidecar(path)
    if sidecar is None:
        parts = split(text, path)
    else:
        try:
            parts = split(text, path, parse=False)
        except ContentError:
            # Never closed: with the metadata in a sidecar, a first line "---" is body
            # (a Markdown rule), not front matter.
            parts = Split(meta={}, body_start=0, body_line=1, has_front_matter=False)
    meta, meta_path, meta_text, first_line = parts.meta, path, text, 2
    if sidecar is not None:
        if parts.has_front_matter:
            raise ContentError(
                f"has front matter and a sidecar file {sidecar.name}; "
                "keep the metadata in one place",
                path=path,
                line=1,
            )
        meta_text = read_text(sidecar, config.max_article_bytes)
        meta = parse_meta(meta_text, _SIDECAR_KINDS[sidecar.suffix], sidecar)
        meta_path, first_line = sidecar, 1
    body = Body(
        path=path,
        format=BODY_SUFFIXES[path.suffix.lower()],
        start=parts.body_start,
        max_bytes=config.max_article_bytes,
    )
    lines = _Lines(meta_path, meta_text, first_line)
    article = _build_article(meta, lines, body, config)
    return _resolve_media(article, lines, content_dir or path.parent, config)


@dataclass(frozen=True)
class _Lines:
    """Where the metadata came from, to put a line number on a problem."""

    path: Path
    text: str
    first_line: int  # the line metadata starts on (2 in front matter, after the fence)

    def of(self, key: str) -> int | None:
        return key_line(self.text, key, self.first_line)


def _build_article(meta: dict[str, Any], lines: _Lines, body: Body, config: SiteConfig) -> Article:
    """Check every key; all problems of one article are reported together."""
    meta_path = lines.path
    problems: list[FeedtoolError] = []

    def parse(key: str, parser: Callable[..., Any], *args: Any) -> Any:
        try:
            return parser(*args)
        except ValueError as exc:
            problems.append(ContentError(str(exc), path=meta_path, line=lines.of(key), field=key))
            return None

    values: dict[str, Any] = {}
    for key, (attribute, parser) in _SIMPLE_KEYS.items():
        if key in meta and meta[key] is not None:
            value = parse(key, parser, meta[key])
            if value is not None:
                values[attribute] = value
    if meta.get("title") is None:
        problems.append(
            ContentError("is required (every article needs a title)", path=meta_path, field="title")
        )
    if meta.get("date") is None:
        problems.append(
            ContentError(
                "is required (when the article was published)", path=meta_path, field="date"
            )
        )
    dates: dict[str, datetime] = {}
    for key in ("date", "updated"):
        if meta.get(key) is not None:
            value = parse(key, parse_date, meta[key], config.tz)
            if value is not None:
                dates[key] = value
    published = dates.get("date")
    updated = dates.get("updated", published)
    if published is not None and updated is not None and updated < published:
        parse("updated", _earlier)
    slug = parse("slug", _slug, meta.get("slug"), body.path)
    link = article_id = None
    if slug is not None and published is not None:
        link = parse("link", _link, meta.get("link"), slug, published, config)
        article_id = default_id(config.base_url, published, slug)
    if meta.get("id") is not None:
        article_id = parse("id", fields.identifier, meta["id"])
    if problems:
        # In the order of the file; missing keys (no line) first.
        raise_all(sorted(problems, key=lambda p: p.line or 0))
    assert published and updated and slug and link and article_id  # else a problem was noted
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
    article: Article, lines: _Lines, content_dir: Path, config: SiteConfig
) -> Article:
    """The image as an absolute URL; enclosures with URLs, types and local files' lengths."""
    image = article.image and absolute_url(article.image, article.link)
    if image is not None and urlsplit(image).scheme not in ("http", "https"):
        raise ContentError(
            f'"{article.image}" is not a web address',
            path=lines.path,
            line=lines.of("image"),
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
                str(exc), path=lines.path, line=lines.of("enclosures"), field="enclosures"
            ) from None
    return replace(article, image=image, enclosures=tuple(enclosures))


def _earlier() -> None:
    raise ValueError("is earlier than date (the article cannot change before it exists)")


def _slug(value: object, path: Path) -> str:
    if value is None:
        slug = _DATE_PREFIX.sub("", path.stem)
        slug = re.sub(r"\s+", "-", slug.strip())
        try:
            slug.encode("utf-8")
        except UnicodeEncodeError:
            # The OS hands over such names with surrogates; they cannot go in a URL.
            raise ValueError("the file name is not UTF-8; rename the file or set slug") from None
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


def find_clashes(
    articles: list[Article], *, keep_going: bool = False
) -> tuple[set[str], list[FeedtoolError]]:
    """Two articles with the same URL or id would replace each other, or show as one item.

    Articles are taken oldest first (ties: by file name), so the one already
    published keeps its URL and id and the newcomer, usually a copy of an old
    post whose slug or id was not changed, is the one reported. Returns the
    sources of the reported articles and one problem for each.

    With ``keep_going`` the reported articles are skipped, so they claim nothing:
    a third article that clashes only with a skipped one is published.
    """
    claimed: dict[tuple[str, str], Article] = {}
    clashing: set[str] = set()
    problems: list[FeedtoolError] = []
    for article in sorted(articles, key=lambda a: (a.published, a.source)):
        keys = (("URL", article.link), ("id", article.id))
        clashes: dict[str, list[tuple[str, str]]] = {}  # first holder's source -> what clashed
        holders: dict[str, Article] = {}
        for what, value in keys:
            first = claimed.get((what, value))
            if first is not None:
                clashes.setdefault(first.source, []).append((what, value))
                holders[first.source] = first
        if clashes:
            clashing.add(article.source)
        if not (clashes and keep_going):
            for what, value in keys:
                claimed.setdefault((what, value), article)
        for source, same in clashes.items():
            what = " and ".join(w for w, _ in same)
            values = " and ".join(f'"{v}"' for _, v in same)
            kept = f", which is kept ({_older(holders[source], article)})" if keep_going else ""
            fix = "slug or link" if same[0][0] == "URL" else "id"
            problems.append(
                ContentError(
                    f"same {what} {values} as {source}{kept}; give one of them its own {fix}",
                    path=article.source,
                    field="slug" if same[0][0] == "URL" else "id",
                )
            )
    return clashing, problems


def _older(first: Article, second: Article) -> str:
    if first.published < second.published:
        return "it is dated earlier"
    return "same date, and its file name sorts first"


__all__ = [
    "default_id",
    "find_body_files",
    "find_clashes",
    "is_hidden",
    "load_article",
    "load_articles",
]
