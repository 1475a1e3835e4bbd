"""WebSub (W3C Recommendation, 2018): telling a hub that feeds changed.

The feeds advertise the hub with ``<atom:link rel="hub">`` (the writers add it
when ``hub`` is set); after a build, each feed file that changed is announced
with the form POST hubs accept: ``hub.mode=publish`` and ``hub.url=<the feed's
self URL>``. The hub then fetches the feed and pushes it to subscribers.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from feedtool import __version__
from feedtool.site.mediatypes import is_feed

# A ping must never hold up a publish job for long, however the hub behaves: silent,
# refusing, or sending one byte every few seconds (which a per-read timeout never ends).
DEADLINE = 30.0  # seconds for all the pings of one build together
TIMEOUT = 10.0  # seconds one connection may wait for the hub's next byte
WORKERS = 8  # pings at once


@dataclass(frozen=True)
class Ping:
    topic: str  # the feed URL the hub was told about
    ok: bool
    detail: str  # the hub's answer ("HTTP 204") or why it failed


def changed_topics(feeds_url: str, changed: Sequence[str], files: Mapping[str, bytes]) -> list[str]:
    """The self URLs of the changed files that are feeds (not OPML, not other files)."""
    return [feeds_url + path for path in changed if is_feed(path, files[path])]


class _Connections:
    """The sockets open to the hub, so that all of them can be cut when time is up."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.cut = False

    def opened(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.cut:
                _shut(sock)

    def cut_all(self) -> None:
        """Make every read or write on them, now or later, fail at once."""
        with self._lock:
            self.cut = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked reading it


def _opener(connections: _Connections) -> urllib.request.OpenerDirector:
    """urllib as usual (proxies from the environment, redirects), but every socket it
    opens is handed to ``connections``."""

    class Tracked(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            connections.opened(self.sock)

    class TrackedTLS(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            connections.opened(self.sock)

    class Plain(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Tracked, req)

    class Secure(urllib.request.HTTPSHandler):
        context = ssl.create_default_context()

        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(TrackedTLS, req, context=self.context)

    return urllib.request.build_opener(Plain, Secure)


def ping(
    hub: str,
    topic: str,
    *,
    timeout: float = TIMEOUT,
    opener: urllib.request.OpenerDirector | None = None,
) -> Ping:
    """Tell ``hub`` that ``topic`` has new content; never raises for network trouble.

    ``timeout`` bounds each wait for the hub, not the whole request: ping_all has the
    deadline for that.
    """
    request = urllib.request.Request(
        hub,
        data=urlencode({"hub.mode": "publish", "hub.url": topic}).encode("ascii"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": f"feedtool/{__version__}",
        },
        method="POST",
    )
    open_url: Callable[..., Any] = opener.open if opener is not None else urllib.request.urlopen
    try:
        with open_url(request, timeout=timeout) as response:  # http(s) checked in config
            return Ping(topic, True, f"HTTP {response.status}")
    except urllib.error.HTTPError as exc:
        return Ping(topic, False, f"the hub answered HTTP {exc.code} {exc.reason}")
    except urllib.error.URLError as exc:
        return Ping(topic, False, f"cannot reach the hub: {exc.reason}")
    except (OSError, ValueError, http.client.HTTPException) as exc:  # timeouts, resets, junk
        return Ping(topic, False, f"cannot reach the hub: {exc}")


def ping_all(
    hub: str,
    topics: Sequence[str],
    *,
    deadline: float = DEADLINE,
    timeout: float = TIMEOUT,
    workers: int = WORKERS,
) -> list[Ping]:
    """One ping per topic, ``workers`` at a time, all done within ``deadline`` seconds.

    Returns one answer per topic, in order; a topic the hub had not answered for when
    time ran out is a failure ("no answer within 30 s"). Never raises for network
    trouble. The connections still open then are cut, so no thread is left reading.
    """
    connections = _Connections()
    opener = _opener(connections)
    answers: dict[int, Ping] = {}
    pending = list(reversed(range(len(topics))))
    done = threading.Condition()
    give_up_at = time.monotonic() + deadline

    def work() -> None:
        while not connections.cut:
            try:
                index = pending.pop()  # atomic: no two threads take the same topic
            except IndexError:
                return
            answer = ping(hub, topics[index], timeout=min(timeout, deadline), opener=opener)
            with done:
                # An answer after the deadline (a socket timeout that fired with it) is
                # the deadline's: one reason, whichever thread wakes first under load.
                if not connections.cut and time.monotonic() < give_up_at:
                    answers[index] = answer
                done.notify()

    # Daemon threads: one stuck where nothing can cut it (a name lookup) must not keep
    # the process alive once the command is finished.
    for _ in range(min(workers, len(topics))):
        threading.Thread(target=work, daemon=True, name="websub-ping").start()
    with done:
        while len(answers) < len(topics):
            left = give_up_at - time.monotonic()
            if left <= 0:
                break
            done.wait(left)
        connections.cut_all()
    late = f"no answer within {deadline:g} s"
    return [answers.get(i) or Ping(topic, False, late) for i, topic in enumerate(topics)]
