"""Files to Articles: reading their metadata and checking it."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Protocol

from feedtool import safefile
from feedtool.config import SiteConfig
from feedtool.errors import ContentError, FeedtoolError, ManyErrors, Notice
from feedtool.model import BODY_SUFFIXES, Article, Body
from feedtool.parallel import split_map
from feedtool.plan.clashes import find_clashes, shared_enclosures
from feedtool.read import media
from feedtool.read.dates import UPDATED_SLACK
from feedtool.read.episode import not_an_episode, read_episode
from feedtool.read.frontmatter import Split, parse_meta, read_head, split
from feedtool.read.record import Lines, Loaded, build_article, metadata_line
from feedtool.read.sources import Source, find_sidecar, find_sources
from feedtool.textfile import read_text

# Lazy imports: read/dialects/ is imported inside the functions that read a dialect's site: a plain
# feedtool site never loads it (tests/e2e/test_dialects.py).

_SIDECAR_KINDS = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}


class ArticleStore(Protocol):
    """What load_articles asks of a cache (cache.store.DiskCache): articles whose files
    are unchanged."""

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
    lines = Lines(meta_path, meta_text, first_line)
    article = build_article(meta, lines, body, config)
    if article.image is None and not article.enclosures:
        # The usual case: nothing to resolve, no other file the article depends on.
        if config.podcast is not None:
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
        article, more, notes = read_episode(
            meta, article, written, directory, config.base_url, lines.path, lines.of
        )
        local_files += more
    else:
        notes = ()
    files = (path,) + ((sidecar,) if sidecar else ()) + tuple(str(f) for f in local_files)
    return Loaded(article, files, sidecar, notes)


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
