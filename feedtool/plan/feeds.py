"""Which feed documents a build writes: the main feed, per-group feeds and archive pages.

Planning looks only at article metadata, so ``feedtool links`` can ask where the feeds are
without rendering any article. Turning a plan into bytes is output.py's job.
"""

from __future__ import annotations

import msgspec

from feedtool.config import SiteConfig
from feedtool.errors import ConfigError
from feedtool.model import Article, Author
from feedtool.plan.groups import GROUPINGS, Group, group_articles

ARCHIVE_FOLDER = "archive"
# The podcast's archive pages: podcast-archive/N/podcast.xml, apart from the site's pages
# (they page episodes only, at the podcast's own page size).
PODCAST_ARCHIVE_FOLDER = "podcast-archive"


class FeedPlan(msgspec.Struct, frozen=True):
    """One feed document to write, in every enabled format."""

    key: str  # output subfolder: "" for the main feed, "tags/python", "archive/3"
    kind: str  # "main", a grouping name ("tags", ...) or "archive"
    title: str
    description: str
    articles: tuple[Article, ...]  # newest first
    authors: tuple[Author, ...]
    # (rel, key of another planned feed): resolved per format, since an Atom feed's
    # prev-archive is the archive page's atom.xml and an RSS feed's is its rss.xml.
    links: tuple[tuple[str, str], ...] = ()
    archive: bool = False  # an RFC 5005 archive document
    trim: bool = True  # may max_bytes drop items? (archive pages must stay complete)
    # The formats this document is written in, when not the config's `formats`: the
    # podcast feed is one document in a format of its own (formats.OWN_FORMATS).
    formats: tuple[str, ...] = ()


def site_authors(config: SiteConfig) -> tuple[Author, ...]:
    # Atom needs an author on the feed or on every entry: fall back to the site's name.
    return (config.author,) if config.author else (Author(name=config.title),)


def archive_key(number: int, folder: str = ARCHIVE_FOLDER) -> str:
    """The plan key of archive page ``number`` in ``folder`` (``archive/3``)."""
    return f"{folder}/{number}"


def archive_pages(articles: list[Article], page_size: int) -> list[tuple[Article, ...]]:
    """Articles (newest first) cut into pages filled from the oldest: page 1 is the oldest.

    Filling from the oldest means a new article only ever lands on the newest page, so
    every other page keeps its bytes and readers may cache it forever (RFC 5005 section 4).
    Each page lists its articles newest first, like every other feed.
    """
    oldest_first = articles[::-1]
    chunks = [oldest_first[i : i + page_size] for i in range(0, len(oldest_first), page_size)]
    return [tuple(reversed(chunk)) for chunk in chunks]


def _archive_plans(
    config: SiteConfig,
    articles: list[Article] | tuple[Article, ...],
    page_size: int,
    folder: str = ARCHIVE_FOLDER,
    kind: str = "archive",
    formats: tuple[str, ...] = (),
) -> list[FeedPlan]:
    """RFC 5005 archive pages of ``articles`` in ``folder``; ``kind`` and ``formats`` as
    in FeedPlan, for pages that are not the site's (the podcast's)."""
    pages = archive_pages(list(articles), page_size)
    plans = []
    for number, page in enumerate(pages, start=1):
        links = [("current", "")]
        if number > 1:
            links.append(("prev-archive", archive_key(number - 1, folder)))
        if number < len(pages):
            links.append(("next-archive", archive_key(number + 1, folder)))
        plans.append(
            FeedPlan(
                key=archive_key(number, folder),
                kind=kind,
                # No "of N" in the title: that would change every page when a page is added.
                title=f"{config.title} (archive page {number})",
                description=config.description,
                articles=page,
                authors=site_authors(config),
                links=tuple(links),
                archive=True,
                trim=False,
                formats=formats,
            )
        )
    return plans


def _group_plan(config: SiteConfig, group: Group) -> FeedPlan:
    label = group.grouping.label
    return FeedPlan(
        key=group.key,
        kind=group.grouping.name,
        title=f"{config.title}: {label} {group.name}",
        description=f"Articles on {config.title} with the {label} “{group.name}”",
        articles=group.articles[: config.limit],
        # An author's feed is by that author; a topic's feed is the site's.
        authors=_author_named(group) or site_authors(config),
    )


def _author_named(group: Group) -> tuple[Author, ...]:
    if group.grouping.name != "authors":
        return ()
    for article in group.articles:
        for author in article.authors:
            if author.name == group.name:
                return (author,)
    return ()


def plan_feeds(
    config: SiteConfig, articles: list[Article], main_feed: list[Article] | None = None
) -> list[FeedPlan]:
    """Every feed document to write, from published articles (newest first).
    ``main_feed`` is those the main feed holds, when not all (a dialect site's reader
    says: Hugo's home feed has its default language only; see read/readers.py).

    The main feed comes first, then the archive pages (oldest first), then the podcast
    (with ``[podcast]``), then the groups
    in the order of ``feeds_per``, each sorted by folder.
    """
    everything = articles
    if main_feed is not None:
        articles = main_feed
    archives = _archive_plans(config, articles, config.archive_page_size) if config.archives else []
    main = FeedPlan(
        key="",
        kind="main",
        title=config.title,
        description=config.description,
        articles=tuple(articles[: config.limit]),
        authors=site_authors(config),
        links=(("prev-archive", archives[-1].key),) if archives else (),
    )
    plans = [main, *archives]
    if config.podcast is not None:
        plans.extend(podcast_plans(config, articles))
    count = 0
    for name in config.feeds_per:
        groups = group_articles(everything, GROUPINGS[name], site_authors(config))
        count += len(groups)
        if count > config.max_group_feeds:
            raise ConfigError(
                f"the articles make more than {config.max_group_feeds:,} group feeds "
                f"({', '.join(config.feeds_per)}); fewer tags, or raise max_group_feeds",
                path=config.source,
                field="feeds_per",
            )
        plans.extend(_group_plan(config, group) for group in groups)
    return plans


def podcast_plans(config: SiteConfig, articles: list[Article]) -> list[FeedPlan]:
    """podcast.xml: every episode (an article with audio or video), newest first; with
    ``[podcast] archives``, then its RFC 5005 archive pages, oldest first.

    The site's ``limit`` does not cut a podcast (listeners expect the whole back
    catalogue); ``[podcast] limit`` does. podcast.xml stays whole either way for apps
    that read only it (most do): archive pages add history for those that page back.
    """
    show = config.podcast
    assert show is not None
    episodes = tuple(a for a in articles if a.episode is not None)
    archives = (
        _archive_plans(
            config,
            episodes,
            show.archive_page_size or config.archive_page_size,
            PODCAST_ARCHIVE_FOLDER,
            kind="podcast",
            formats=("podcast",),
        )
        if show.archives
        else []
    )
    main = FeedPlan(
        key="",
        kind="podcast",
        title=config.title,
        description=config.description,
        articles=episodes[: show.limit],
        authors=site_authors(config),
        links=(("prev-archive", archives[-1].key),) if archives else (),
        formats=("podcast",),
    )
    return [main, *archives]
