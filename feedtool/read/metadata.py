"""Files to Articles: reading their metadata and checking it."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Protocol

from feedtool import safefile
from feedtool.config import SiteConfig
from feedtool.errors import ContentError, FeedtoolError, ManyErrors, Notice
from feedtool.model import Article
from feedtool.parallel import split_map
from feedtool.plan.clashes import find_clashes, shared_enclosures
from feedtool.read.article_file import read_source
from feedtool.read.dates import UPDATED_SLACK
from feedtool.read.readers import Reader, reader_for
from feedtool.read.record import Loaded, metadata_line
from feedtool.read.sources import Source, find_sidecar
from feedtool.read.transport import LoadedAsJson, Outcome

__all__ = ["load_article", "load_articles", "late_updates", "read_source"]


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

    ``on_file(path, done, total)`` is called after each file read, for progress reports;
    the articles the store answers for are one call, before them (see cached_step).
    ``store`` gives articles whose files have not changed since they were read, and
    keeps the ones read now; ``sources`` is find_sources' list, when already made.

    Without ``keep_going`` every clash between two articles is reported and the
    articles list still holds both (the caller fails anyway). With it, the list
    holds only the articles that are published: of two that clash, the one
    dated later (then: whose file name sorts later) is left out.
    """
    if not content_dir.is_dir():
        raise ContentError("content folder not found", path=content_dir, parameter="content_dir")
    reader = reader_for(config)
    problems: list[FeedtoolError] = []
    if sources is None:
        sources, problems = reader.sources(content_dir, config, None)
    done = 0

    def report(source: Source) -> None:
        nonlocal done
        done += 1
        if on_file is not None:
            on_file(source.path, done, len(sources))

    found: list[Article | None] = store.articles(sources) if store else [None] * len(sources)
    done = len(found) - found.count(None)
    if on_file is not None and done:
        # The articles the cache answered for, as one step: a big site's edit finds
        # thousands, and a call (and a progress record) for each cost more than the check.
        on_file(cached_step(done), done, len(sources))
    missing = [i for i, article in enumerate(found) if article is None]
    outcomes = _read_all([sources[i] for i in missing], reader, config, content_dir, report)
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


def cached_step(count: int) -> str:
    """What load_articles' progress report names the articles the cache gave as."""
    return f"{count} unchanged article(s), from the cache"


def _read_all(
    sources: list[Source],
    reader: Reader,
    config: SiteConfig,
    content_dir: Path,
    report: Callable[[Source], None],
) -> list[Outcome]:
    """Read articles, shared between processes when there are many (see parallel.py);
    ``report`` is told of each as it is read."""

    return split_map(
        partial(_read_one, reader=reader, config=config, content_dir=content_dir),
        sources,
        min_items=PARALLEL_MIN_FILES,
        on_done=lambda index: report(sources[index]),
        transport=LoadedAsJson(),
    )


def _read_one(source: Source, *, reader: Reader, config: SiteConfig, content_dir: Path) -> Outcome:
    try:
        loaded = reader.read_source(source, config, content_dir)
        return [] if loaded is None else loaded  # [] : not an article, and no problem
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


def late_until(articles: list[Article]) -> float | None:
    """Until when (a timestamp) late_updates may find some of ``articles`` late, at a
    build that finds none (None: at no time). The build's summary trusts that nothing
    changed only from then on (cache/store.py), so this errs only late.

    An article updated at most a day after its own date is never late; one updated
    later is late while the clock is more than a day before that update, once past its
    date (compared as instants), and before its date as late_updates compares the two
    (as wall clocks where they share a zone): whether it is published, a draft, due
    later or hidden."""
    until = -math.inf
    slack = UPDATED_SLACK.total_seconds()
    for article in articles:  # every article of a big site: one compare for most
        updated, published = article.updated, article.published
        if updated == published:
            continue  # the same time (or wall clock: no clock ever went back a whole day)
        # A zone's offset can change by most of a day between two times (Kwajalein's went
        # from +11 to -12 in 1969): the wall clocks and the instants are both reckoned.
        published_at = published.timestamp()
        due = updated.timestamp() - slack
        if updated > published + UPDATED_SLACK:  # as late_updates compares: late before its date
            due = max(due, published_at)
        elif due <= published_at:
            continue
        until = max(until, due)
    return None if until == -math.inf else until


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
