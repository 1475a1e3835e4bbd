"""The preview server: the output folder over HTTP, the way a real site serves feeds.

A reader on the same machine can subscribe and poll it: each file goes out with
its media type, a strong ETag (a hash of its bytes) and Last-Modified, and
conditional requests get 304. Nothing outside the output folder is ever served.

Rebuilding is done on request: before answering, the server compares the sizes
and modification times of the watched files (content folder, config) with those
it saw at the last build and rebuilds when they differ. No polling thread, and a
reader always gets feeds that match the content at the moment it asks.
"""

from __future__ import annotations

import hashlib
import html
import os
import socket
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from feedtool import __version__
from feedtool.errors import FeedtoolError
from feedtool.site.mediatypes import content_type, is_feed

Log = Callable[[str], None]
Fingerprint = tuple[tuple[str, int, int, int], ...]


def fingerprint(paths: Iterable[Path]) -> Fingerprint:
    """Name, size, mtime and inode of every file at or below ``paths``; changes when they do.

    The inode catches editors that save by renaming a new file over the old one
    within the same clock tick.
    """
    found: list[tuple[str, int, int, int]] = []
    for top in paths:
        if top.is_file():
            candidates: Iterable[Path] = [top]
        elif top.is_dir():
            candidates = (p for p in top.rglob("*") if p.is_file())
        else:
            found.append((str(top), -1, -1, -1))  # missing: appearing later is a change
            continue
        for path in candidates:
            try:
                stat = path.stat()
            except OSError:
                continue  # deleted while we looked; the next look sees it gone
            found.append((str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return tuple(sorted(found))


class Rebuilder:
    """Runs ``rebuild`` when the watched files differ from the last time it ran."""

    def __init__(self, rebuild: Callable[[], object], watch: Sequence[Path], log: Log) -> None:
        self._rebuild = rebuild
        self._watch = tuple(watch)
        self._log = log
        self._lock = threading.Lock()
        self._seen: Fingerprint | None = None
        self.builds = 0

    def refresh(self) -> bool:
        """Rebuild if anything changed (always, the first time); True when it rebuilt."""
        with self._lock:  # one build at a time; requests arriving meanwhile wait for it
            # Taken before the build: an edit made during the build triggers the next one.
            seen = fingerprint(self._watch)
            if seen == self._seen:
                return False
            self._seen = seen
            self.builds += 1
            try:
                self._rebuild()
            except FeedtoolError as exc:  # bad content: keep serving the last good feeds
                for line in str(exc).splitlines():
                    self._log(f"error: {line}")
            except Exception as exc:  # noqa: BLE001 - a bug must not take the server down
                self._log(f"internal error: {type(exc).__name__}: {exc}")
            return True


def _resolve(root: Path, request_target: str) -> Path | None:
    """The file or folder a request names, or None when it is not inside ``root``.

    Hidden names (starting with ".") are refused too: they are publish.py's temporary
    files and things like .git that were never meant to be served.
    """
    path = unquote(urlsplit(request_target).path)
    if "\x00" in path or "\\" in path:
        return None
    parts = [part for part in path.split("/") if part]
    if any(part.startswith(".") for part in parts):  # also ".." and "."
        return None
    try:
        candidate = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    # resolve() followed any symlink, so this also stops links that point outside.
    if candidate != root and root not in candidate.parents:
        return None
    return candidate


def _index_page(root: Path, folder: Path) -> bytes:
    """A list of the files below ``folder``, with feed autodiscovery links."""
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    links, items = [], []
    for path in files:
        relative = path.relative_to(folder).as_posix()
        href = html.escape(quote(relative), quote=True)
        data = path.read_bytes()
        kind = content_type(path.name, data).split(";")[0]
        if is_feed(path.name, data):
            links.append(f'<link rel="alternate" type="{kind}" href="{href}">')
        items.append(f'<li><a href="{href}">{html.escape(relative)}</a> ({kind})</li>')
    page = (
        "<!doctype html>\n<html><head><meta charset=utf-8>\n"
        f"<title>feedtool preview</title>\n{chr(10).join(links)}\n</head><body>\n"
        f"<h1>Feeds in {html.escape(folder.name or str(folder))}</h1>\n<ul>\n"
        f"{chr(10).join(items)}\n</ul>\n</body></html>\n"
    )
    return page.encode("utf-8")


def _not_modified(headers: Any, etag: str, mtime: float) -> bool:
    """RFC 9110 section 13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags  # weak comparison, as GET calls for
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False  # an unreadable date is ignored, as the RFC says
    return int(mtime) <= since.timestamp()


class _Handler(BaseHTTPRequestHandler):
    server: _PreviewServer
    server_version = f"feedtool/{__version__}"
    protocol_version = "HTTP/1.1"  # keep-alive, as readers polling several feeds expect

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")

    def _answer(self, send_body: bool) -> None:
        if self.server.rebuilder is not None:
            self.server.rebuilder.refresh()
        root = self.server.root
        target = _resolve(root, self.path)
        if target is not None and target.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                self._redirect(urlsplit(self.path).path + "/")
                return
            # At /, the page a build writes for people (html_page), when there is one.
            page = _resolve(root, "/index.html") if target == root else None
            if page is None or not page.is_file():
                self._send(
                    HTTPStatus.OK, _index_page(root, target), send_body, "text/html; charset=utf-8"
                )
                return
            target = page
        try:
            if target is None:
                raise FileNotFoundError
            with target.open("rb") as handle:
                # One open file for bytes and time: a rebuild renaming a new file in
                # meanwhile cannot pair the new bytes with the old time.
                data = handle.read()
                mtime = os.fstat(handle.fileno()).st_mtime
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "No such feed")
            return
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        headers = {
            "ETag": etag,
            "Last-Modified": formatdate(mtime, usegmt=True),
            # Readers may keep a copy but must ask again each time (and get a cheap 304).
            "Cache-Control": "no-cache",
        }
        if _not_modified(self.headers, etag, mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            return
        self._send(HTTPStatus.OK, data, send_body, content_type(target.name, data), headers)

    def _send(
        self,
        status: HTTPStatus,
        data: bytes,
        send_body: bool,
        kind: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", quote(location))
        self.send_header("Content-Length", "0")
        self.end_headers()


class _PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # a reader holding a connection open must not block stopping

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        rebuilder: Rebuilder | None,
        log: Log | None,
    ) -> None:
        self.root = root
        self.rebuilder = rebuilder
        self.log = log
        super().__init__(address, _Handler)


class _PreviewServer6(_PreviewServer):
    address_family = socket.AF_INET6


@dataclass
class RunningServer:
    """A preview server answering in a background thread; ``stop()`` (or ``with``) ends it."""

    server: ThreadingHTTPServer
    thread: threading.Thread
    url: str  # e.g. http://127.0.0.1:8000/ (the real port when 0 was asked for)
    rebuilder: Rebuilder | None = None

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(
    output_dir: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    rebuild: Callable[[], object] | None = None,
    watch: Sequence[Path] = (),
    log: Log | None = None,
) -> RunningServer:
    """Serve ``output_dir`` on ``host``:``port`` (0: any free port) until ``stop()``.

    With ``rebuild``, it is called once before the server answers anything, and again
    before any request that finds the files in ``watch`` changed. Exceptions from it
    are logged, and the previous feeds are served. Without it the folder is served as
    it is (what a test fixture for a feed reader needs).
    """
    report: Log = log or (lambda message: None)
    output_dir.mkdir(parents=True, exist_ok=True)
    root = output_dir.resolve()
    rebuilder = Rebuilder(rebuild, watch, report) if rebuild is not None else None
    if rebuilder is not None:
        rebuilder.refresh()
    server_class = _PreviewServer6 if ":" in host else _PreviewServer
    try:
        server = server_class((host, port), root, rebuilder, log)
    except OSError as exc:
        raise FeedtoolError(f"cannot listen on {host} port {port}: {exc.strerror}") from None
    bound_port = server.server_address[1]
    url_host = f"[{host}]" if ":" in host else host
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.start()
    return RunningServer(server, thread, f"http://{url_host}:{bound_port}/", rebuilder)
