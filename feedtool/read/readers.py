"""The readers of a content folder, one registry: feedtool's own layout, or a dialect.

A site written for another generator (``dialect = "hugo"`` ...) is read by that
dialect's rules (read/dialects/); every other site by feedtool's own. The build asks
the registry for the site's reader once and calls it the same way either way, so no
stage branches on ``config.dialect``. Adding a dialect is one module in read/dialects/
and one line in values/choices.DIALECTS.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Protocol

from feedtool.errors import FeedtoolError
from feedtool.model import Article
from feedtool.plan.select import published_articles
from feedtool.read.sources import Source, find_sources, sources_from_stamps

if TYPE_CHECKING:
    from feedtool.config import SiteConfig

Listing = list[tuple[str, int, int, int]]  # (path, size, mtime_ns, ctime_ns), as cached


class Reader(Protocol):
    """How a build reads one kind of site, at the points where kinds differ."""

    @property
    def cacheable(self) -> bool:
        """Whether the cache's "nothing changed" check (which lists files as feedtool's
        own sites have them) sees every file this reader reads."""
        ...

    def sources(
        self, content: Path, config: SiteConfig, listing: Listing | None
    ) -> tuple[list[Source], list[FeedtoolError]]:
        """The files to read (``listing``: the cache's, when it made one), and the
        problems met finding them."""
        ...

    def link(self, articles: list[Article], config: SiteConfig) -> list[Article]:
        """A pass over every article once read (a dialect's translations find each other)."""
        ...

    def visible(self, articles: list[Article], now: datetime) -> list[Article]:
        """The articles published at ``now``, newest first."""
        ...

    def resolve(
        self, texts: dict[str, str], articles: list[Article], config: SiteConfig
    ) -> dict[str, str]:
        """The bodies' ``texts`` with links between articles made real."""
        ...

    def main_feed(self, articles: list[Article], config: SiteConfig) -> list[Article] | None:
        """The published articles the main feed holds; None: all of them."""
        ...


class _Own:
    """feedtool's own layout: Markdown, HTML and text files with front matter."""

    cacheable = True

    def sources(
        self, content: Path, config: SiteConfig, listing: Listing | None
    ) -> tuple[list[Source], list[FeedtoolError]]:
        problems: list[FeedtoolError] = []
        if listing is not None:  # the folders are read once
            return sources_from_stamps(content, listing, problems), problems
        return find_sources(content, problems, config.content_roots), problems

    def link(self, articles: list[Article], config: SiteConfig) -> list[Article]:
        return articles

    def visible(self, articles: list[Article], now: datetime) -> list[Article]:
        return published_articles(articles, now)

    def resolve(
        self, texts: dict[str, str], articles: list[Article], config: SiteConfig
    ) -> dict[str, str]:
        return texts

    def main_feed(self, articles: list[Article], config: SiteConfig) -> list[Article] | None:
        return None


class _Dialect:
    """Another generator's layout (read/dialects/), loaded only for such a site."""

    cacheable = False  # a dialect's reads (Jekyll's _posts) the cache's listing would miss

    def _module(self, name: str = "") -> ModuleType:
        # Lazy: a plain feedtool site never imports the dialects.
        return importlib.import_module("feedtool.read.dialects" + name)

    def sources(
        self, content: Path, config: SiteConfig, listing: Listing | None
    ) -> tuple[list[Source], list[FeedtoolError]]:
        problems: list[FeedtoolError] = []
        return list(self._module().find_sources(content, config, problems)), problems

    def link(self, articles: list[Article], config: SiteConfig) -> list[Article]:
        linked: list[Article] = self._module().link(articles, config)
        return linked

    def visible(self, articles: list[Article], now: datetime) -> list[Article]:
        visible: list[Article] = self._module().published(articles, now)
        return visible

    def resolve(
        self, texts: dict[str, str], articles: list[Article], config: SiteConfig
    ) -> dict[str, str]:
        resolved: dict[str, str] = self._module(".references").resolve(texts, articles, config)
        return resolved

    def main_feed(self, articles: list[Article], config: SiteConfig) -> list[Article] | None:
        main: list[Article] = self._module().main_feed(articles, config)
        return main


# dialect name (None: feedtool's own) -> reader. Every dialect shares one reader, which
# asks read/dialects' own registry for the dialect's rules.
_OWN, _DIALECT = _Own(), _Dialect()


def reader_for(config: SiteConfig) -> Reader:
    """The reader for ``config``'s site."""
    return _DIALECT if config.dialect else _OWN
