"""Which articles a build publishes now, and which a later build will.

Drafts and posts whose time has not come are read like the others (their problems
are reported) and then left out: published_articles is what the feeds show, and
scheduled_articles what a later build will publish, with no edit needed.
"""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter
from typing import TYPE_CHECKING

from feedtool.model import Article

if TYPE_CHECKING:
    pass


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


def unchanged_between(
    articles: list[Article], now: datetime
) -> tuple[datetime | None, datetime | None]:
    """The last time up to ``now`` and the first time after it at which an article's
    visibility changes (None: never): a post comes due, or (dialect sites: Hugo's
    publishDate and expiryDate) an article comes into view or leaves it. A build at any
    time from the first (included) until the second gives the same feeds."""
    times = [a.published for a in articles if not a.draft]
    times += [a.visible_from for a in articles if a.visible_from is not None]
    times += [a.expires for a in articles if a.expires is not None]
    last = max((t for t in times if t <= now), default=None)
    return last, min((t for t in times if t > now), default=None)
