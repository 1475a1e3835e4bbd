"""One bounded http(s) request, for the commands that go to the network (ids --adopt,
init --from with an old feed's URL, validate --media).

Bounded three ways: http and https only, redirects included (urlopen would follow one to
ftp:); at most ``limit`` bytes of body; and ``seconds`` for the whole request, headers and
body, not for each read: at the deadline a watchdog shuts the socket, so a host that
trickles a byte at a time cannot hold the request open past it.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

SCHEMES = ("http", "https")


class FetchError(Exception):
    """The request failed; the message says why, in words for a person."""


@dataclass(frozen=True)
class Response:
    """What the server answered: any status, error statuses included."""

    status: int
    headers: dict[str, str]  # by name in lower case (header names are case-insensitive)
    body: bytes  # at most the limit asked for


def fetch(
    url: str,
    *,
    seconds: float,
    limit: int,
    method: str = "GET",
    headers: dict[str, str] | None = None,
) -> Response:
    """The answer to one request for ``url`` within ``seconds``, its body cut at ``limit``
    bytes. FetchError when the URL is not http(s), the host fails or the deadline passes."""
    if urlsplit(url).scheme.lower() not in SCHEMES:
        raise FetchError(f"{url} is not an http(s) address")
    deadline = time.monotonic() + seconds
    sockets: list[socket.socket] = []  # the connections made, the last one in use
    watchdog = threading.Timer(seconds, _shut, (sockets,))
    watchdog.daemon = True
    watchdog.start()
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        try:
            response = _opener(sockets).open(request, timeout=seconds)
        except urllib.error.HTTPError as exc:
            with exc:
                return Response(exc.code, _lower(exc.headers.items()), b"")
        with response:
            body = _read(response, limit) if method != "HEAD" else b""
            if time.monotonic() >= deadline:  # the watchdog's shutdown reads as an end
                raise TimeoutError
            return Response(response.status, _lower(response.headers.items()), body)
    except (OSError, ValueError, http.client.HTTPException) as exc:  # timeouts, refusals, junk
        if time.monotonic() >= deadline:
            raise FetchError(f"took over {seconds:g} s") from None
        raise FetchError(str(getattr(exc, "reason", None) or exc)) from None
    finally:
        watchdog.cancel()


def _read(response: http.client.HTTPResponse, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    # read1 returns what has arrived; read(n) would wait for all n bytes.
    while total < limit and (chunk := response.read1(min(65536, limit - total))):
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _shut(sockets: list[socket.socket]) -> None:
    if sockets:
        try:
            sockets[-1].shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # closed already


def _opener(sockets: list[socket.socket]) -> urllib.request.OpenerDirector:
    """An opener that follows redirects to http(s) only and records each socket it opens,
    for the watchdog."""

    def recording(connection: type[http.client.HTTPConnection]) -> Any:
        class Recording(connection):  # type: ignore[valid-type,misc]
            def connect(self) -> None:
                super().connect()
                sockets.append(self.sock)

        return Recording

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(recording(http.client.HTTPConnection), req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(
                recording(http.client.HTTPSConnection), req, context=ssl.create_default_context()
            )

    opener = urllib.request.OpenerDirector()
    for handler in (
        Http(),
        Https(),
        _HttpOnly(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


class _HttpOnly(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) addresses only (never file: or ftp:)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise urllib.error.URLError(f"redirected to {newurl}, which is not http(s)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


def _lower(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers}
