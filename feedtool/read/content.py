"""A content folder's articles: every one (load_all), with a build's rule for problems.

read/metadata.py reads files into articles and returns every problem it finds; this is where
a build decides what those problems mean: all of them raised together, or, with
``keep_going``, bad articles left out, unless none could be read at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import msgspec

from feedtool.config import SiteConfig
from feedtool.errors import ContentError, FeedtoolError, ManyErrors, Notice, raise_all
from feedtool.model import Article, BuildStep, ProgressHook
from feedtool.read.readers import Listing, Reader, reader_for
from feedtool.read.sources import Source

if TYPE_CHECKING:
    from feedtool.parallel import Background
    from feedtool.read.metadata import ArticleStore

# Lazy imports: read/metadata.py and read/article_file.py (front matter, fields, episodes) are
# imported inside the functions that read files: the cache's "nothing changed" answer comes
# before any is read. read/show_art.py is imported where a [podcast] table needs it: a site
# without a podcast never loads it.


class SourceStore(Protocol):
    """What the read stage asks of a cache (cache.store.DiskCache) beyond articles
    (ArticleStore)."""

    def listing(self) -> Listing | None:
        """The content folder's files as the "nothing changed" check listed them, if it did."""
        ...

    def article_store(self) -> ArticleStore: ...

    def keep_articles(self, sources: list[Source], /) -> Background | None:
        """Forget articles whose files are gone and start saving the rest; wait() on it."""
        ...


class Read(msgspec.Struct, frozen=True):
    """Stage 1's result: every article (drafts and future posts too), and its problems."""

    config: SiteConfig  # as given, with the podcast show's art made a URL
    reader: Reader  # how this kind of site is read (read/readers.py)
    articles: list[Article]
    problems: list[FeedtoolError]  # left out (with keep_going), or notices
    content_dir: Path | None  # None: articles made in memory
    sources: list[Source]  # the files read
    listed_cleanly: bool = True  # no problem finding the files (else no "nothing changed")


def read(
    content: Path | Iterable[Article],
    config: SiteConfig,
    now: datetime,
    *,
    keep_going: bool = False,
    progress: ProgressHook | None = None,
    store: SourceStore | None = None,
) -> Read:
    """Stage 1: the content folder (or articles made in memory) as Article records.

    Raises every problem together, unless ``keep_going`` leaves bad articles out
    (see load_all). Articles updated after ``now`` are problems too (late_updates).
    """
    from feedtool.read.metadata import late_updates

    reader = reader_for(config)
    content_dir = content if isinstance(content, Path) else None
    if config.podcast is not None:
        from feedtool.read.show_art import resolve_show

        # The show's art may be a file in the content folder: checked, and made a URL.
        config = replace(config, podcast=resolve_show(config.podcast, content_dir, config))
    if isinstance(content, Path):
        if not content.is_dir():
            raise ContentError("content folder not found", path=content, parameter="content_dir")
        listing = store.listing() if store is not None else None
        sources, scan_problems = reader.sources(content, config, listing)
        articles, problems = load_all(
            content,
            config,
            progress,
            keep_going=keep_going,
            cache=store.article_store() if store is not None else None,
            sources=sources,
            scan_problems=scan_problems,
        )
        articles = reader.link(articles, config)
    else:
        articles, problems, sources, scan_problems = list(content), [], [], []
    late = late_updates(articles, now)
    if late and not keep_going:
        raise_all([problem for _, problem in late])
    if late:
        bad = {source for source, _ in late}
        articles = [a for a in articles if a.source not in bad]
        problems = [*problems, *(problem for _, problem in late)]
    return Read(config, reader, articles, problems, content_dir, sources, not scan_problems)


def load_all(
    content_dir: Path,
    config: SiteConfig,
    progress: ProgressHook | None = None,
    *,
    keep_going: bool = False,
    cache: ArticleStore | None = None,
    sources: list[Source] | None = None,
    scan_problems: list[FeedtoolError] | None = None,
) -> tuple[list[Article], list[FeedtoolError]]:
    """Every article, drafts and future posts included, and the problems skipped.

    Without ``keep_going`` any problem is raised, all of them together. With it, bad
    articles are left out and returned as problems, unless every article is bad:
    publishing empty feeds over good ones because of, say, a broken checkout would
    lose what subscribers have. ``cache`` answers for articles whose files are unchanged;
    ``sources`` and ``scan_problems`` are find_sources' findings, when already made.
    """
    from feedtool.read.metadata import load_articles

    def on_file(path: str, done: int, total: int) -> None:
        assert progress is not None
        progress(BuildStep("read", str(path), done, total))

    articles, problems = load_articles(
        content_dir,
        config,
        on_file if progress is not None else None,
        keep_going=keep_going,
        store=cache,
        sources=sources,
    )
    problems = (scan_problems or []) + problems
    notices = [p for p in problems if isinstance(p, Notice)]
    if notices:
        problems = [p for p in problems if not isinstance(p, Notice)]
    if problems and not keep_going:
        raise_all(problems)
    if problems and not articles:
        raise ManyErrors(
            [
                *problems,
                ContentError(
                    "no article could be read, so nothing is published "
                    "(the feeds are left as they were)",
                    path=content_dir,
                    parameter="keep_going",
                ),
            ]
        )
    return articles, problems + notices


def load_published(content_dir: Path, config: SiteConfig, now: datetime) -> list[Article]:
    """The articles a build at ``now`` publishes."""
    articles = load_all(content_dir, config)[0]
    return reader_for(config).visible(articles, now)
