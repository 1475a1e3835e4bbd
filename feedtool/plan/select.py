"""A content folder's articles: every one (load_all), and which a build publishes now.

Drafts and posts whose time has not come are read like the others (their problems
are reported) and then left out: published_articles is what the feeds show, and
scheduled_articles what a later build will publish, with no edit needed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from feedtool.config import SiteConfig
from feedtool.errors import ContentError, FeedtoolError, ManyErrors, raise_all
from feedtool.model import Article
from feedtool.read.sources import Source

if TYPE_CHECKING:
    from feedtool.cache.store import Cache


class BuildStep(NamedTuple):
    """One unit of work done, for progress bars and -v: ``done`` of ``total`` in ``stage``."""

    # "read": an article file was read; "render": an article's body rendered; "feeds": a
    # feed file rendered and checked; "write": an output file written. In that order.
    stage: str
    item: str
    done: int
    total: int


ProgressHook = Callable[[BuildStep], None]


def published_articles(articles: list[Article], now: datetime) -> list[Article]:
    """Drop drafts and posts whose time has not come; newest first, ties by file name."""
    visible = [a for a in articles if not a.draft and a.published <= now]
    # Two stable sorts (file name, then date, newest first) give Article.sort_key's order
    # without building a key tuple per article: this runs over every article.
    visible.sort(key=attrgetter("source"))
    visible.sort(key=attrgetter("published"), reverse=True)
    return visible


def scheduled_articles(articles: list[Article], now: datetime) -> list[Article]:
    """Posts whose time has not come yet, soonest first: the next build at or after that
    time publishes them, with no edit needed."""
    waiting = [a for a in articles if not a.draft and a.published > now]
    return sorted(waiting, key=lambda a: (a.published.timestamp(), a.source))


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
    return articles, problems


def load_published(content_dir: Path, config: SiteConfig, now: datetime) -> list[Article]:
    """The articles a build at ``now`` publishes."""
    return published_articles(load_all(content_dir, config)[0], now)
