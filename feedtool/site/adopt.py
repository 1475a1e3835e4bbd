"""Adopting the feed a site publishes today: ``init --from`` and ``ids --adopt FEED``.

The only truth about what subscribers have is the feed the generator last built. This
module reads it (a file in the site's build folder, or a URL fetched with a time and
size limit), compares it item by item with what feedtool would publish, and gives the
ledger (publish/ledger.py) each old item's exact id and link for the article it is, so
that every build from then on keeps them, whatever the dialect computes.

An old item is matched with an article by its link, else its id, else its title and
publication instant, in three passes (a link match is never taken by an earlier item's
weaker match). An old item no article matches is listed and left alone: never guessed.
"""

from __future__ import annotations

import email.utils
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from lxml import etree

from feedtool import safefile
from feedtool.config import SiteConfig
from feedtool.errors import ConfigError, FeedtoolError
from feedtool.model import Article
from feedtool.publish.ledger import KEEPS_ID_AND_LINK, Item, body_digest, relative_source
from feedtool.publish.ledger import adopt as seed
from feedtool.read.content import load_all
from feedtool.read.readers import reader_for
from feedtool.site.fetch import FetchError, fetch

# Lazy imports: read/dialects/ is imported inside site_articles, for a dialect's site only.

# Where each generator writes the feed its subscribers read, in its default build folder.
OLD_FEEDS: dict[str, tuple[str, ...]] = {
    "hugo": ("public/index.xml",),
    "jekyll": ("_site/feed.xml",),
    "pelican": ("output/feeds/all.atom.xml", "output/feeds/all.rss.xml"),
    "eleventy": ("_site/feed/feed.xml", "_site/feed.xml", "_site/feed/atom.xml"),
    "zola": ("public/atom.xml", "public/rss.xml"),
}
MAX_FEED_BYTES = 64 * 1024 * 1024  # far above any real feed
FETCH_SECONDS = 30.0  # the whole download, not each read: a trickle cannot hold it open

_ATOM = "{http://www.w3.org/2005/Atom}"
_FIELDS = ("id", "link", "title", "date")


class OldItem(NamedTuple):
    """One item of the feed published today, as a reader sees it."""

    id: str
    link: str
    title: str
    published: datetime | None


class Match(NamedTuple):
    """An old item and the article it is."""

    old: OldItem
    article: Article
    by: str  # "link", "id" or "title and date"
    differences: tuple[str, ...]  # of _FIELDS: what feedtool would publish otherwise


class Comparison(NamedTuple):
    """The old feed against feedtool's articles."""

    where: str  # the feed's file or URL
    items: list[OldItem]
    matches: list[Match]
    unmatched: list[OldItem]  # no article is any of these: listed, never guessed

    def summary(self) -> str:
        """The one line a person reads first."""
        same = sum(1 for match in self.matches if not match.differences)
        return (
            f"{same} of {len(self.items)} items of your current feed match "
            f"(id, link, title, date): {self.where}"
        )

    def lines(self) -> list[str]:
        """Each difference, and each old item no article matches, one line each."""
        out = []
        for match in self.matches:
            old, new = match.old, match.article
            found = {
                "id": (old.id, new.id),
                "link": (old.link, new.link),
                "title": (old.title, new.title),
                "date": (_iso(old.published), _iso(new.published)),
            }
            for name in match.differences:
                was, now = found[name]
                kept = "; the feed's is kept" if name in ("id", "link") else ""
                out.append(
                    f'{new.source}: {name}: the feed has "{was}", feedtool would make "{now}" '
                    f"(matched by {match.by}{kept})"
                )
        for match in self.matches:
            if not (absolute(match.old.id) and absolute(match.old.link)):
                out.append(
                    f'{match.article.source}: the feed\'s id "{match.old.id}" or link '
                    f'"{match.old.link}" is no absolute address (readers each read it their '
                    "own way): not kept"
                )
        for old in self.unmatched:
            out.append(
                f'{self.where}: no article is the item "{old.title}" ({old.id}): '
                "nothing in the ledger for it"
            )
        return out


def _iso(when: datetime | None) -> str:
    return when.isoformat() if when is not None else ""


# --- finding and reading the old feed ----------------------------------------------------


def find_old_feed(site: Path, dialect: str) -> Path | None:
    """The feed the generator last built into its default output folder, if there is one."""
    for relative in OLD_FEEDS.get(dialect, ()):
        path = site / relative
        if path.is_file():
            return path
    return None


def where_looked(dialect: str) -> str:
    """The files find_old_feed() looks for, for a message."""
    return ", ".join(OLD_FEEDS.get(dialect, ()))


def load_old_feed(where: str) -> bytes:
    """The bytes of the feed at ``where``: a file, or an http(s) URL fetched within
    FETCH_SECONDS and MAX_FEED_BYTES. ConfigError naming it when that cannot be."""
    scheme = urlsplit(where).scheme.lower() if "://" in where else ""
    if scheme in ("http", "https"):
        return _fetch(where)
    if scheme:
        raise ConfigError(
            f"only an http(s) address or a file can be read, not {scheme}:", path=where
        )
    try:
        data, _ = safefile.read_regular(where, MAX_FEED_BYTES)
    except safefile.NotRegularFile:
        raise ConfigError("is not a regular file", path=where) from None
    except safefile.TooLarge as exc:
        raise ConfigError(f"is {exc.size} bytes, too big for a feed", path=where) from None
    except OSError as exc:
        raise ConfigError(f"cannot read it: {exc.strerror or exc}", path=where) from None
    return data


def _fetch(url: str) -> bytes:
    try:
        answer = fetch(
            url,
            seconds=FETCH_SECONDS,
            limit=MAX_FEED_BYTES + 1,  # one byte more tells a longer feed
            headers={"User-Agent": "feedtool (ids --adopt)"},
        )
    except FetchError as exc:
        raise ConfigError(f"cannot fetch it: {exc}", path=url) from None
    if not 200 <= answer.status < 300:
        raise ConfigError(f"cannot fetch it: the server answered {answer.status}", path=url)
    if len(answer.body) > MAX_FEED_BYTES:
        raise ConfigError(f"is over {MAX_FEED_BYTES} bytes, too big for a feed", path=url)
    return answer.body


def parse_feed(data: bytes, where: str, base: str = "") -> list[OldItem]:
    """The items of an RSS 2.0, Atom 1.0 or JSON Feed document, in its order; links
    resolved against xml:base, else ``base`` (the site's address), as a reader would."""
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"{":
        return _json_items(data, where, base)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, collect_ids=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ConfigError(f"is not a feed: {exc.msg}", path=where, line=exc.lineno) from None
    if root.tag == f"{_ATOM}feed":
        return [_atom_item(entry, base) for entry in root.iter(f"{_ATOM}entry")]
    if root.tag == "rss":
        return [_rss_item(item, base) for item in root.iterfind("channel/item")]
    raise ConfigError(f"is not an RSS or Atom feed (its root is <{root.tag}>)", path=where)


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return "".join(str(part) for part in element.itertext()).strip()


def _date(text: str) -> datetime | None:
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _atom_item(entry: etree._Element, base: str) -> OldItem:
    link = ""
    for element in entry.iterfind(f"{_ATOM}link"):
        if element.get("rel", "alternate") == "alternate" and element.get("href"):
            link = _join(element.base or base, element.get("href", ""))
            break
    title_element = entry.find(f"{_ATOM}title")
    title = _text(title_element)
    if title_element is not None and title_element.get("type") == "html" and "<" in title:
        title = _text(etree.fromstring(f"<p>{title}</p>", etree.HTMLParser()))
    published = _text(entry.find(f"{_ATOM}published")) or _text(entry.find(f"{_ATOM}updated"))
    return OldItem(_text(entry.find(f"{_ATOM}id")), link, title, _date(published))


def _join(base: str, link: str) -> str:
    if not link:  # urljoin(base, "") is base: an item without a link is not the homepage
        return ""
    try:
        return urljoin(base, link) if base else link
    except ValueError:
        return link


def absolute(uri: str) -> bool:
    """Whether ``uri`` has a scheme: an id or link without one is read differently by
    different readers, and is never adopted."""
    try:
        return bool(urlsplit(uri).scheme)
    except ValueError:
        return False


def _rss_item(item: etree._Element, base: str) -> OldItem:
    link = _join(base, _text(item.find("link")))
    guid = item.find("guid")
    identifier = _text(guid) or link
    if not link and guid is not None and guid.get("isPermaLink", "true") == "true":
        link = identifier
    return OldItem(identifier, link, _text(item.find("title")), _date(_text(item.find("pubDate"))))


def _json_items(data: bytes, where: str, base: str) -> list[OldItem]:
    try:
        document = json.loads(data)
        items = document["items"]
        return [
            OldItem(
                str(item.get("id", "")),
                _join(base, str(item.get("url", ""))),
                str(item.get("title", "")),
                _date(str(item.get("date_published", ""))),
            )
            for item in items
        ]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ConfigError("is not a JSON Feed", path=where) from None


# --- comparing -------------------------------------------------------------------------


def compare(where: str, items: Sequence[OldItem], articles: Sequence[Article]) -> Comparison:
    """Each old item with the article it is: by link, then id, then title and date."""
    keys: list[tuple[str, Callable[[OldItem | Article], object]]] = [
        ("link", lambda x: x.link or None),
        ("id", lambda x: x.id or None),
        ("title and date", _title_and_date),
    ]
    found: dict[int, tuple[Article, str]] = {}
    taken: set[str] = set()  # Article.source of articles matched already
    for by, key in keys:
        index: dict[object, Article | None] = {}
        for article in articles:
            if article.source in taken:
                continue
            value = key(article)
            if value is not None:
                # Two articles alike prove nothing: neither is taken by this key.
                index[value] = None if value in index else article
        for number, old in enumerate(items):
            if number in found:
                continue
            value = key(old)
            match = index.get(value) if value is not None else None
            if match is not None and match.source not in taken:
                found[number] = (match, by)
                taken.add(match.source)
    matches = []
    unmatched = []
    for number, old in enumerate(items):
        if number not in found:
            unmatched.append(old)
            continue
        article, by = found[number]
        matches.append(Match(old, article, by, _differences(old, article)))
    return Comparison(where, list(items), matches, unmatched)


def _title_and_date(x: OldItem | Article) -> tuple[str, float] | None:
    if not x.title or x.published is None:
        return None
    return (" ".join(x.title.split()), x.published.timestamp())


def _differences(old: OldItem, article: Article) -> tuple[str, ...]:
    same = {
        "id": old.id == article.id,
        "link": old.link == article.link,
        "title": " ".join(old.title.split()) == " ".join(article.title.split()),
        "date": old.published is not None and old.published == article.published,
    }
    return tuple(name for name in _FIELDS if not same[name])


def adopted_items(comparison: Comparison, content_dir: Path) -> list[Item]:
    """The ledger's items for what the old feed published: each old id and link, kept for
    the file of the article it is."""
    relative = relative_source(content_dir)
    return [
        Item(
            match.old.id,
            relative(match.article.source),
            match.old.link,
            body_digest(match.article),
            KEEPS_ID_AND_LINK,
        )
        for match in comparison.matches
        if absolute(match.old.id) and absolute(match.old.link)
    ]


def site_articles(
    content_dir: Path, config: SiteConfig, now: datetime
) -> tuple[list[Article], list[FeedtoolError]]:
    """What a build would publish (ledger aside), and the articles it would skip."""

    articles, problems = load_all(content_dir, config, keep_going=True)
    reader = reader_for(config)  # the site's own reader or its generator's, as a build's
    return reader.visible(reader.link(articles, config), now), problems


class Adopted(NamedTuple):
    """What adopt() found and did."""

    comparison: Comparison
    skipped: list[FeedtoolError]  # articles that could not be read (not compared)
    kept: int  # items whose id and link the ledger now keeps
    ledger_changed: bool


def adopt(
    where: str, ledger: Path, content_dir: Path, config: SiteConfig, now: datetime
) -> Adopted:
    """Read the feed at ``where``, compare it with the site's articles and seed the
    ledger at ``ledger`` with every old item an article matches."""

    items = parse_feed(load_old_feed(where), where, config.base_url)
    articles, skipped = site_articles(content_dir, config, now)
    comparison = compare(where, items, articles)
    adopted = adopted_items(comparison, content_dir)
    return Adopted(comparison, skipped, len(adopted), seed(ledger, adopted))
