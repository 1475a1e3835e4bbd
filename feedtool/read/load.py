"""Files to Articles: reading their metadata and checking it."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from feedtool import safefile
from feedtool.config import SiteConfig
from feedtool.errors import ContentError, FeedtoolError, ManyErrors, Notice, raise_all
from feedtool.model import BODY_SUFFIXES, Article, Body
from feedtool.plan.clashes import find_clashes, shared_enclosures
from feedtool.read import fields, media, permalink, typos
from feedtool.read.dates import parse_date
from feedtool.read.episode import EPISODE_KEYS
from feedtool.read.frontmatter import Split, key_line, parse_meta, read_head, split
from feedtool.read.sources import Source, find_sidecar, find_sources
from feedtool.read.textfile import read_text

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
    "item_content": ("item_content", fields.item_content),
}
# Keys whose value depends on the site or on other keys: handled in _build_article.
_SITE_KEYS = ("date", "updated", "slug", "link", "id")
# Every key feedtool reads: one edit away from one of these is taken for a typo
# (see typos.py), so a key added to either table is covered. A podcast episode's keys
# (episode.py) count with or without [podcast]: "seasn" is a typo either way.
KEYS = frozenset((*_SIMPLE_KEYS, *_SITE_KEYS, *EPISODE_KEYS))
_SIDECAR_KINDS = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}


class Loaded(NamedTuple):
    """An article and every file it was read from (body, sidecar, local enclosures)."""

    article: Article
    inputs: tuple[str, ...]  # body first; text, not Paths: cheaper to send between processes
    sidecar: str | None = None
    notes: tuple[str, ...] = ()  # warnings about it (dialect sites: template syntax dropped)


class ArticleStore(Protocol):
    """What load_articles asks of a cache (cache.Cache): articles whose files are unchanged."""

    def articles(self, sources: list[Source], /) -> list[Article | None]: ...

    def remember(self, read: list[Loaded], /) -> None: ...


# Below this many files to read, forking helper processes costs more than it saves.
PARALLEL_MIN_FILES = 2000


def load_articles(
    content_dir: Path,
    config: SiteConfig,
    on_file: Callable[[str, int, int], None] | None = None,
    *,
    keep_going: bool = False,
    store: ArticleStore | None = None,
    sources: list[Source] | None = None,
) -> tuple[list[Article], list[FeedtoolError]]:
    """Read every article; return the good ones and every problem found.

    ``on_file(path, done, total)`` is called after each file, for progress reports.
    ``store`` gives articles whose files have not changed since they were read, and
    keeps the ones read now; ``sources`` is find_sources' list, when already made.

    Without ``keep_going`` every clash between two articles is reported and the
    articles list still holds both (the caller fails anyway). With it, the list
    holds only the articles that are published: of two that clash, the one
    dated later (then: whose file name sorts later) is left out.
    """
    if not content_dir.is_dir():
        raise ContentError("content folder not found", path=content_dir, parameter="content_dir")
    problems: list[FeedtoolError] = []
    if sources is None:
        if config.dialect:
            from feedtool.read import dialects

            sources = list(dialects.find_sources(content_dir, config, problems))
        else:
            sources = find_sources(content_dir, problems, config.content_roots)
    if (config.include or config.exclude) and not config.dialect:
        sources = _included(sources, content_dir, config)
    done = 0

    def report(source: Source) -> None:
        nonlocal done
        done += 1
        if on_file is not None:
            on_file(source.path, done, len(sources))

    found: list[Article | None] = store.articles(sources) if store else [None] * len(sources)
    if on_file is not None:
        for source, article in zip(sources, found, strict=True):
            if article is not None:
                report(source)  # from the cache
    missing = [i for i, article in enumerate(found) if article is None]
    outcomes = _read_all([sources[i] for i in missing], config, content_dir, report)
    read: list[Loaded] = []
    for index, outcome in zip(missing, outcomes, strict=True):
        if isinstance(outcome, Loaded):
            found[index] = outcome.article
            read.append(outcome)
            if outcome.notes:
                problems.extend(Notice(note) for note in outcome.notes)
        else:
            problems.extend(outcome)
    if store is not None:
        store.remember(read)
    articles = [article for article in found if article is not None]
    clashing, clashes = find_clashes(articles, keep_going=keep_going)
    problems.extend(clashes)
    if config.podcast is not None:
        sharing, shared = shared_enclosures(articles, keep_going=keep_going)
        clashing |= sharing
        problems.extend(shared)
    if keep_going:
        articles = [a for a in articles if a.source not in clashing]
    return articles, problems


Outcome = Loaded | list[FeedtoolError]


def _read_all(
    sources: list[Source],
    config: SiteConfig,
    content_dir: Path,
    report: Callable[[Source], None],
) -> list[Outcome]:
    """Read articles, shared between processes when there are many (see parallel.py);
    ``report`` is told of each as it is read."""
    from feedtool.parallel import split_map

    if len(sources) >= PARALLEL_MIN_FILES:
        # Loaded (its patterns compiled) once here rather than in every helper.
        from feedtool.read import quickyaml  # noqa: F401

    return split_map(
        partial(_read_one, config=config, content_dir=content_dir),
        sources,
        min_items=PARALLEL_MIN_FILES,
        on_done=lambda index: report(sources[index]),
    )


def _included(sources: list[Source], content_dir: Path, config: SiteConfig) -> list[Source]:
    """The sources config.include and config.exclude keep."""
    from feedtool.read.dialects import path_filter, relative

    wanted = path_filter(config)
    if wanted is None:
        return sources
    return [s for s in sources if wanted(relative(s.path, content_dir))]


def _read_one(source: Source, *, config: SiteConfig, content_dir: Path) -> Outcome:
    try:
        if config.dialect:
            from feedtool.read import dialects

            loaded = dialects.read_source(source, config, content_dir)
            return [] if loaded is None else loaded  # [] : not an article, and no problem
        return read_source(source, config, content_dir)
    except ManyErrors as exc:
        return list(exc.errors)
    except FeedtoolError as exc:
        return [exc]


def load_article(path: Path, config: SiteConfig, content_dir: Path | None = None) -> Article:
    """One body file (and its sidecar, if any) as an Article.

    ``content_dir`` is where enclosure paths starting with ``/`` are looked up and
    what their URLs are relative to (default: the article's folder).
    """
    sidecar = find_sidecar(path)
    if content_dir is not None:  # else the caller chose the file itself
        for name in (path, sidecar) if sidecar else (path,):
            safefile.inside(name, [content_dir, *config.content_roots])
    source = Source(str(path), str(sidecar) if sidecar else None)
    return read_source(source, config, content_dir).article


def read_source(source: Source, config: SiteConfig, content_dir: Path | None = None) -> Loaded:
    """An article from its files; raises FeedtoolError (or ManyErrors) when it is bad."""
    # Paths stay text here: this runs for every article, and Path objects cost more
    # than everything else it does with them.
    path, sidecar = source.path, source.sidecar
    # Only the front matter is read now; the body is read if a feed shows the article.
    text = read_head(path, config.max_article_bytes)
    if sidecar is None:
        parts = split(text, path)
        if not parts.has_front_matter:
            # Else "title: is required" and "date: is required", which do not say why.
            raise ContentError(
                "has no front matter: start the file with a line ---, then lines such as "
                "title: ... and date: ..., then a line --- (or put them in a sidecar .yaml)",
                path=path,
                line=1,
            )
    else:
        try:
            parts = split(text, path, parse=False)
        except ContentError:
            # Never closed: with the metadata in a sidecar, a first line "---" is body
            # (a Markdown rule), not front matter.
            parts = Split(meta={}, body_start=0, has_front_matter=False)
    meta, meta_path, meta_text, first_line = parts.meta, path, text, 2
    if sidecar is not None:
        if parts.has_front_matter:
            raise ContentError(
                f"has front matter and a sidecar file {os.path.basename(sidecar)}; "
                "keep the metadata in one place",
                path=path,
                line=1,
            )
        meta_text = read_text(sidecar, config.max_article_bytes)
        kind = _SIDECAR_KINDS[os.path.splitext(sidecar)[1]]
        meta = parse_meta(meta_text, kind, sidecar)
        meta_path, first_line = sidecar, 1
    body = Body(
        path=path,
        format=BODY_SUFFIXES[os.path.splitext(path)[1].lower()],
        start=parts.body_start,
        max_bytes=config.max_article_bytes,
    )
    lines = _Lines(meta_path, meta_text, first_line)
    article = _build_article(meta, lines, body, config)
    if article.image is None and not article.enclosures:
        # The usual case: nothing to resolve, no other file the article depends on.
        if config.podcast is not None:
            from feedtool.read.episode import not_an_episode

            not_an_episode(meta, lines.path, lines.of)
        return Loaded(article, (path, sidecar) if sidecar else (path,), sidecar)
    directory = content_dir or Path(path).parent
    written = article.enclosures
    try:
        article, local_files = media.resolve_media(article, directory, config.base_url)
    except media.MediaProblem as exc:
        line = lines.of(exc.field)
        raise ContentError(str(exc), path=lines.path, line=line, field=exc.field) from None
    if config.podcast is not None:
        from feedtool.read.episode import read_episode

        article, more, notes = read_episode(
            meta, article, written, directory, config.base_url, lines.path, lines.of
        )
        local_files += more
    else:
        notes = ()
    files = (path,) + ((sidecar,) if sidecar else ()) + tuple(str(f) for f in local_files)
    return Loaded(article, files, sidecar, notes)


class _Lines(NamedTuple):
    """Where the metadata came from, to put a line number on a problem (a named tuple:
    one is made for every article)."""

    path: str
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

    for key in meta:
        if key not in KEYS and (close := typos.meant(key, KEYS)):
            suggestion = " or ".join(f'"{name}"' for name in close)
            problems.append(
                ContentError(
                    f"unknown key: did you mean {suggestion}?",
                    path=meta_path,
                    line=lines.of(key),
                    field=key,
                )
            )
    values: dict[str, Any] = {}
    for key, (attribute, parser) in _SIMPLE_KEYS.items():
        raw = meta.get(key)
        if raw is not None:
            value = parse(key, parser, raw)
            if value is not None:
                values[attribute] = value
    if meta.get("title") is None:
        problems.append(
            ContentError("is required (every article needs a title)", path=meta_path, field="title")
        )
    if meta.get("date") is None:
        # A file in the content folder may not be meant as an article: say how to leave
        # it out. (Articles made in memory have no metadata text and no folder.)
        name = os.path.basename(body.path)
        hint = f'; not an article? leave it out with exclude = ["**/{name}"] in feedtool.toml'
        problems.append(
            ContentError(
                "is required (when the article was published)" + (hint if lines.text else ""),
                path=meta_path,
                field="date",
            )
        )
    dates: dict[str, datetime] = {}
    for key in ("date", "updated"):
        if meta.get(key) is not None:
            value = parse(key, parse_date, meta[key], config.tz)
            if value is not None:
                dates[key] = value
    labels = len(values.get("tags", ())) + len(values.get("categories", ()))
    if labels > config.max_tags:
        key = "tags" if "tags" in values else "categories"
        parse(key, _too_many_tags, labels, config.max_tags)
    published = dates.get("date")
    updated = dates.get("updated", published)
    if published is not None and updated is not None and updated < published:
        parse("updated", _earlier)
    slug = parse("slug", permalink.slug, meta.get("slug"), body.path)
    link = article_id = None
    if slug is not None and published is not None:
        link = parse("link", permalink.link, meta.get("link"), slug, published, config)
        article_id = permalink.default_id(config.base_url, published, slug)
    if meta.get("id") is not None:
        article_id = parse("id", fields.identifier, meta["id"])
    if problems:
        # In the order of the file; missing keys (no line) first.
        raise_all(sorted(problems, key=lambda p: p.line or 0))
    assert published and updated and slug and link and article_id  # else a problem was noted
    # The article's own choice, else the site's: one flag, so rendering needs no config.
    values["summary_only"] = values.pop("item_content", config.item_content) == "summary"
    return Article(
        source=body.path,
        id=article_id,
        slug=slug,
        link=link,
        published=published,
        updated=updated,
        body=body,
        **values,
    )


def _too_many_tags(count: int, limit: int) -> None:
    raise ValueError(
        f"{count:,} tags and categories, more than max_tags ({limit:,}); each makes feeds "
        "of its own, so keep the few that readers follow (or raise max_tags in the config)"
    )


def _earlier() -> None:
    raise ValueError(
        "is earlier than date (the article cannot change before it exists): "
        "correct one of them, or remove updated if it never changed"
    )


# How far an updated time may lie ahead of the build's clock (or of a future post's
# date): a time written without an offset, in a zone ahead of the site's, is that early.
UPDATED_SLACK = timedelta(days=1)


def late_updates(articles: list[Article], now: datetime) -> list[tuple[str, ContentError]]:
    """Articles updated more than a day after ``now`` (or after their own date, for
    posts not due yet), each with its problem: a feed would claim a change that has not
    happened.

    Checked at every build, not when an article is read: the cache keeps articles
    read earlier, and ``now`` moves. Only a bad article's file is read again, for its line.
    """
    problems: list[tuple[str, ContentError]] = []
    latest = now + UPDATED_SLACK
    for article in articles:  # every article of a big site: the usual case in one compare
        if article.updated <= latest:
            continue
        limit = max(now, article.published) + UPDATED_SLACK
        if article.updated > limit:
            path, line = metadata_line(article, "updated")
            problems.append(
                (
                    article.source,
                    ContentError(
                        f"{article.updated.isoformat()} is more than a day after "
                        f"{'the build' if now >= article.published else 'date'} "
                        f"({(limit - UPDATED_SLACK).isoformat()}): a feed would show a "
                        "change that has not happened; set it to when the article last changed",
                        path=path,
                        line=line,
                        field="updated",
                    ),
                )
            )
    return problems


def metadata_line(article: Article, key: str) -> tuple[str, int | None]:
    """The file holding an article's metadata (body or sidecar) and the line of ``key``
    in it, for a problem found after reading (against the cache's copy, say)."""
    if article.body.text is not None:
        return article.source, None  # made in memory: no file to point to
    sidecar = find_sidecar(Path(article.source))
    try:
        if sidecar is not None:
            return str(sidecar), key_line(read_text(sidecar), key, 1)
        return article.source, key_line(read_head(article.source), key, 2)
    except ContentError:
        return str(sidecar or article.source), None


def article_from_metadata(
    config: SiteConfig,
    metadata: dict[str, Any],
    text: str,
    *,
    source: str,
    format: str = "markdown",
) -> Article:
    """An article made in memory: ``metadata`` as front matter would give it (title, date,
    tags...), ``text`` its body in ``format`` ("markdown", "html" or "text"). ``source``
    names it in messages and stands for its file name (the default slug comes from it).

    Raises ContentError (or ManyErrors) as a file with that front matter would.
    """
    if format not in set(BODY_SUFFIXES.values()):
        known = ", ".join(sorted(set(BODY_SUFFIXES.values())))
        raise ContentError(f'unknown body format "{format}" (one of: {known})', path=source)
    body = Body(path=source, format=format, start=0, text=text)
    return _build_article(dict(metadata), _Lines(source, "", 1), body, config)
