"""WebSub (W3C Recommendation, 2018): telling a hub that feeds changed.

The feeds advertise the hub with ``<atom:link rel="hub">`` (the writers add it
when ``hub`` is set); after a build, each feed file that changed is announced
with the form POST hubs accept: ``hub.mode=publish`` and ``hub.url=<the feed's
self URL>``. The hub then fetches the feed and pushes it to subscribers.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from feedtool import __version__
from feedtool.site.mediatypes import is_feed

TIMEOUT = 10.0  # seconds per hub request; a slow hub must not hold up a publish job for long


@dataclass(frozen=True)
class Ping:
    topic: str  # the feed URL the hub was told about
    ok: bool
    detail: str  # the hub's answer ("HTTP 204") or why it failed


def changed_topics(feeds_url: str, changed: Sequence[str], files: Mapping[str, bytes]) -> list[str]:
    """The self URLs of the changed files that are feeds (not OPML, not other files)."""
    return [feeds_url + path for path in changed if is_feed(path, files[path])]


def ping(hub: str, topic: str, *, timeout: float = TIMEOUT) -> Ping:
    """Tell ``hub`` that ``topic`` has new content; never raises for network trouble."""
    request = urllib.request.Request(
        hub,
        data=urlencode({"hub.mode": "publish", "hub.url": topic}).encode("ascii"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": f"feedtool/{__version__}",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked in config
            return Ping(topic, True, f"HTTP {response.status}")
    except urllib.error.HTTPError as exc:
        return Ping(topic, False, f"the hub answered HTTP {exc.code} {exc.reason}")
    except urllib.error.URLError as exc:
        return Ping(topic, False, f"cannot reach the hub: {exc.reason}")
    except (OSError, ValueError) as exc:  # timeouts, resets, malformed answers
        return Ping(topic, False, f"cannot reach the hub: {exc}")


def ping_all(hub: str, topics: Sequence[str], *, timeout: float = TIMEOUT) -> list[Ping]:
    """One ping per topic, in order; failures are returned, not raised."""
    return [ping(hub, topic, timeout=timeout) for topic in topics]
