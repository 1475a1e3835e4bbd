"""The readers of a content folder, one registry: feedtool's own layout, or a dialect.

A site written for another generator (``dialect = "hugo"`` ...) is read by that
dialect's rules (read/dialects/); every other site by feedtool's own. The build asks
the registry for the site's reader once and calls it the same way either way, so no
stage branches on ``config.dialect``. Adding a dialect is one module in read/dialects/
and one line in values/choices.DIALECTS.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from feedtool.errors import FeedtoolError
from feedtool.model import Article
from feedtool.plan.select import published_articles
from feedtool.read.sources import NOT_CONTENT, OWN, Rule, Source, find_sources, sources_from_stamps

if TYPE_CHECKING:
    from feedtool.config import SiteConfig
    from feedtool.read.record import Loaded

Listing = list[tuple[str, int, int, int]]  # (path, size, mtime_ns, ctime_ns), as cached


class Reader(Protocol):
    """How a build reads one kind of site, at the points where kinds differ."""

    @property
    def cacheable(self) -> bool:
        """Whether an article read once may be taken from the cache while its own files
        are unchanged (and its rendered entry, while theirs are)."""
        ...

    @property
    def listed(self) -> Rule:
        """What a listing of the content folder leaves out: it must hold every file this
        reader may read, for the cache's "nothing changed" check."""
        ...

    def sources(
        self, content: Path, config: SiteConfig, listing: Listing | None
    ) -> tuple[list[Source], list[FeedtoolError]]:
        """The files to read (``listing``: the cache's, when it made one), and the
        problems met finding them."""
        ...

    def read_source(
        self, source: Source, config: SiteConfig, content_dir: Path | None
    ) -> Loaded | None:
        """One article from its files (None: a file that is no article, and no problem);
        raises FeedtoolError (or ManyErrors) when it is bad. Runs in helper processes too."""
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
    listed = OWN

    def sources(
        self, content: Path, config: SiteConfig, listing: Listing | None
    ) -> tuple[list[Source], list[FeedtoolError]]:
        problems: list[FeedtoolError] = []
        if listing is not None:  # the folders are read once
            sources = sources_from_stamps(content, listing, problems)
        else:
            sources = find_sources(content, problems, config.content_roots)
        if config.include or config.exclude:
            from feedtool.read.dialects import path_filter, relative  # see _Dialect

            wanted = path_filter(config)
            if wanted is not None:
                sources = [s for s in sources if wanted(relative(s.path, content))]
        return sources, problems

    def read_source(
        self, source: Source, config: SiteConfig, content_dir: Path | None
    ) -> Loaded | None:
        # Lazy: front matter, fields and episodes are loaded only when a file is read (the
        # cache's "nothing changed" answer reads none); through the module, so a test can
        # wrap article_file.read_source.
        from feedtool.read import article_file

        return article_file.read_source(source, config, content_dir)

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

    # An article may depend on files beside its own (a folder's data file, its
    # translations), and an entry on other articles (links between them): neither is
    # cached. A build with nothing changed is still told by the listing, which has every
    # file a dialect may read: no name is hidden from it (Jekyll's _posts, Hugo's
    # _index.md, Eleventy's _data, a dot-folder ``include`` names), only the folders no
    # dialect reads (read.sources.GENERATED) and the ledger.
    cacheable = False
    listed = Rule(hidden="", skipped=NOT_CONTENT)

    # The imports below are lazy: a plain feedtool site never loads read/dialects/
    # (tests/e2e/test_dialects.py checks it).

    def sources(
        self, content: Path, config: SiteConfig, listing: Listing | None
    ) -> tuple[list[Source], list[FeedtoolError]]:
        from feedtool.read import dialects

        problems: list[FeedtoolError] = []
        return list(dialects.find_sources(content, config, problems)), problems

    def read_source(
        self, source: Source, config: SiteConfig, content_dir: Path | None
    ) -> Loaded | None:
        from feedtool.read import dialects

        return dialects.read_source(source, config, content_dir)

    def link(self, articles: list[Article], config: SiteConfig) -> list[Article]:
        from feedtool.read import dialects

        return dialects.link(articles, config)

    def visible(self, articles: list[Article], now: datetime) -> list[Article]:
        from feedtool.read import dialects

        return dialects.published(articles, now)

    def resolve(
        self, texts: dict[str, str], articles: list[Article], config: SiteConfig
    ) -> dict[str, str]:
        from feedtool.read.dialects import references

        return references.resolve(texts, articles, config)

    def main_feed(self, articles: list[Article], config: SiteConfig) -> list[Article] | None:
        from feedtool.read import dialects

        return dialects.main_feed(articles, config)


# dialect name (None: feedtool's own) -> reader. Every dialect shares one reader, which
# asks read/dialects' own registry for the dialect's rules.
_OWN, _DIALECT = _Own(), _Dialect()


def reader_for(config: SiteConfig) -> Reader:
    """The reader for ``config``'s site."""
    return _DIALECT if config.dialect else _OWN
