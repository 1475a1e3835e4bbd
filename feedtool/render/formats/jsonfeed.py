"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).

The same items, ids, dates, HTML, authors, tags and enclosures as the XML feeds. Keys are
written in the specification's order (``version`` first, as it asks), indented, UTF-8 and
newline-terminated, so the same document always gives the same bytes and diffs read well.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from feedtool.model import Author, Entry, FeedDoc

VERSION = "https://jsonfeed.org/version/1.1"
# JSON Feed has no archive marker; RFC 5005's links and fh:archive go in an extension
# object (names starting with "_" are extensions that readers ignore if unknown).
HISTORY_EXTENSION = "_rfc5005"
HISTORY_ABOUT = "https://www.rfc-editor.org/rfc/rfc5005"
_HISTORY_RELS = ("current", "prev-archive", "next-archive")


def rfc3339(moment: datetime) -> str:
    """RFC 3339 date-time. Offsets with seconds (old local mean times) become UTC."""
    offset = moment.utcoffset()
    if offset is None or offset % timedelta(minutes=1):
        moment = moment.astimezone(UTC)
    return moment.isoformat()


def _author(author: Author) -> dict[str, str]:
    # JSON Feed authors have no e-mail; its spec suggests a mailto: URL instead.
    person = {"name": author.name}
    url = author.uri or (f"mailto:{quote(author.email, safe='@+')}" if author.email else None)
    if url:
        person["url"] = url
    return person


def _item(entry: Entry) -> dict[str, Any]:
    article = entry.article
    item: dict[str, Any] = {
        "id": article.id,
        "url": article.link,
        "title": article.title,
        "content_html": entry.content_html,
    }
    if entry.summary:
        item["summary"] = entry.summary
    if article.image:
        item["image"] = article.image  # made absolute when the article was loaded
    item["date_published"] = rfc3339(article.published)
    item["date_modified"] = rfc3339(article.updated)
    if article.authors:
        item["authors"] = [_author(a) for a in article.authors]
    tags = list(dict.fromkeys(article.tags + article.categories))
    if tags:
        item["tags"] = tags
    if article.lang:
        item["language"] = article.lang
    if article.enclosures:
        item["attachments"] = [
            {
                "url": enclosure.url,
                "mime_type": enclosure.type or "application/octet-stream",
                **({"size_in_bytes": enclosure.length} if enclosure.length is not None else {}),
            }
            for enclosure in article.enclosures
        ]
    return item


def document(doc: FeedDoc, self_url: str) -> dict[str, Any]:
    """The JSON Feed object for ``doc``, keys in the specification's order."""
    links = dict(doc.extra_links)
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": doc.title,
        "home_page_url": doc.site_url,
        "feed_url": self_url,
        "description": doc.description,
    }
    if "prev-archive" in links:
        # JSON Feed pages from newer to older items through next_url.
        feed["next_url"] = links["prev-archive"]
    if doc.image:
        feed["icon"] = doc.image
    if doc.icon:
        feed["favicon"] = doc.icon
    if doc.authors:
        feed["authors"] = [_author(a) for a in doc.authors]
    if doc.language:
        feed["language"] = doc.language
    if doc.hub:
        feed["hubs"] = [{"type": "WebSub", "url": doc.hub}]
    history = {rel: links[rel] for rel in _HISTORY_RELS if rel in links}
    if doc.archive or history:
        feed[HISTORY_EXTENSION] = {
            "about": HISTORY_ABOUT,
            **({"archive": True} if doc.archive else {}),
            **history,
        }
    feed["items"] = [_item(entry) for entry in doc.entries]
    return feed


def render(doc: FeedDoc, self_url: str) -> bytes:
    text = json.dumps(document(doc, self_url), ensure_ascii=False, indent=2, separators=(",", ": "))
    return (text + "\n").encode("utf-8")
