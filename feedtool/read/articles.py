"""A content folder's articles: every one (load_all), with a build's rule for problems.

read/load.py reads files into articles and returns every problem it finds; this is where
a build decides what those problems mean: all of them raised together, or, with
``keep_going``, bad articles left out, unless none could be read at all.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from feedtool.config import SiteConfig
from feedtool.errors import ContentError, FeedtoolError, ManyErrors, Notice, raise_all
from feedtool.model import Article, BuildStep, ProgressHook
from feedtool.plan.select import published_articles
from feedtool.read.sources import Source

if TYPE_CHECKING:
    from feedtool.cache.store import Cache


def load_all(
    content_dir: Path,
    config: SiteConfig,
    progress: ProgressHook | None = None,
    *,
    keep_going: bool = False,
    cache: Cache | None = None,
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

    from feedtool.read.load import load_articles  # not needed when nothing changed (see build)

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
    if config.dialect:
        from feedtool.read.dialects import published

        return published(articles, now)
    return published_articles(articles, now)
