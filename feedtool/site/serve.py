"""The preview server: the output folder over HTTP, the way a real site serves feeds.

A reader on the same machine can subscribe and poll it: each file goes out with
its media type, a strong ETag (a hash of its bytes) and Last-Modified, and
conditional requests get 304. Nothing outside the output folder is ever served, but for
the content folder's media (``media``: audio, video, pictures, transcripts), so that the
page for people can play an episode. Every file answers HEAD, and a byte range
(``Range: bytes=0-99``: 206 with Content-Range, 416 when it lies past the end), as podcast
apps and Apple ask of media hosts.
It is a preview for this machine, not a web server for the world: it listens on
127.0.0.1 unless told otherwise.

Rebuilding: a watcher thread looks at the sizes, times and inodes of the watched
files (content folder, config) again and again, pausing between looks at least as
long as a look took, and rebuilds when they changed. Requests never walk the tree:
they only wait for a build under way, so they get feeds that match the content as
of the last look.

A reader cannot hold the server (see Limits): connections wait for their request
to arrive whole in one selector thread (no thread each, a deadline however slowly the
bytes trickle); only whole requests go to a fixed pool of workers; each connection
carries one request, and its answer must be taken within a deadline; files that are
not regular files (a FIFO) are not opened.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import os
import queue
import re
import selectors
import socket
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from feedtool import __version__
from feedtool.errors import FeedtoolError, printable
from feedtool.site.mediatypes import content_type, is_feed, media_type
from feedtool.values.choices import BODY_SUFFIXES

Log = Callable[[str], None]
Fingerprint = str

LOOK_PAUSE = 0.3  # seconds at least between two looks at the watched files


@dataclass(frozen=True)
class Limits:
    """What readers can hold of the server, however they behave."""

    workers: int = 16  # requests answered at once
    backlog: int = 64  # whole requests waiting for a worker; more are turned away
    arriving: int = 1024  # connections whose request is not whole yet (no thread each);
    # past that the oldest is dropped
    request_seconds: float = 10.0  # for a request to arrive whole, however slowly its
    # bytes trickle
    answer_seconds: float = 30.0  # for the reader to take the whole answer


def fingerprint(paths: Iterable[Path]) -> Fingerprint:
    """A digest of the name, size, mtime and inode of every file at or below ``paths``;
    it changes when any of them does.

    The inode catches editors that save by renaming a new file over the old one
    within the same clock tick. Folders are read with os.scandir, once each (a link
    back to a folder already seen is not followed again), and nothing is kept but
    the digest, so a look costs little memory whatever the size of the tree.
    """
    digest = hashlib.blake2b(digest_size=16)
    seen: set[tuple[int, int]] = set()

    def note(name: str, info: os.stat_result | None) -> None:
        fields = (-1, -1, -1) if info is None else (info.st_size, info.st_mtime_ns, info.st_ino)
        digest.update(f"{name}\0{fields}\n".encode("utf-8", "surrogateescape"))

    def walk(folder: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            return  # gone, or not readable: the build says what is wrong
        for entry in entries:
            try:
                info = entry.stat()  # follows links, as the build does
            except OSError:
                continue  # deleted while we looked (or a broken link); the next look sees it
            if stat.S_ISDIR(info.st_mode):
                if (info.st_dev, info.st_ino) not in seen:
                    seen.add((info.st_dev, info.st_ino))
                    walk(entry.path)
            else:
                note(entry.path, info)

    for top in paths:
        try:
            info = top.stat()
        except OSError:
            note(str(top), None)  # missing: appearing later is a change
            continue
        if stat.S_ISDIR(info.st_mode):
            seen.add((info.st_dev, info.st_ino))
            walk(str(top))
        else:
            note(str(top), info)
    return digest.hexdigest()


class Rebuilder:
    """Runs ``rebuild`` when the watched files differ from the last time it ran.

    refresh() looks (and rebuilds) now; start() has a thread do it again and again,
    ``pause`` seconds apart at least; wait_for_build() is what a request does.
    """

    def __init__(
        self,
        rebuild: Callable[[], object],
        watch: Sequence[Path],
        log: Log,
        *,
        pause: float = LOOK_PAUSE,
    ) -> None:
        self._rebuild = rebuild
        self._watch = tuple(watch)
        self._log = log
        self._pause = pause
        self._looking = threading.Lock()  # one look (and build) at a time
        self._building = threading.Lock()  # held while a build runs: requests wait for it
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._seen: Fingerprint | None = None
        self.builds = 0
        self.looks = 0

    def refresh(self) -> bool:
        """Rebuild if anything changed (always, the first time); True when it rebuilt."""
        with self._looking:
            if self._stopped.is_set():
                return False
            # Taken before the build: an edit made during the build triggers the next one.
            seen = fingerprint(self._watch)
            self.looks += 1
            if seen == self._seen:
                return False
            self._seen = seen
            with self._building:
                self.builds += 1
                try:
                    self._rebuild()
                except FeedtoolError as exc:  # bad content: keep serving the last good feeds
                    for line in str(exc).splitlines():
                        self._log(f"error: {line}")
                except Exception as exc:  # noqa: BLE001 - a bug must not take the server down
                    self._log(f"internal error: {type(exc).__name__}: {exc}")
            return True

    def start(self) -> None:
        """Look again and again in a thread of its own, until stop()."""

        def watch() -> None:
            pause = self._pause
            while not self._stopped.wait(pause):
                began = time.monotonic()
                self.refresh()
                # A big tree is not looked at more than half of the time.
                pause = max(self._pause, time.monotonic() - began)

        self._thread = threading.Thread(target=watch, daemon=True, name="feedtool-watch")
        self._thread.start()

    def wait_for_build(self) -> None:
        """Return when no build is under way (at once, mostly)."""
        with self._building:
            pass

    def stop(self) -> None:
        """No more looks; a build under way is let finish, so no feed is left half-written."""
        self._stopped.set()
        with self._looking:
            pass


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
        if not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    links, items = [], []
    for path in files:
        relative = path.relative_to(folder).as_posix()
        # Only what a request for it would get: no link pointing out, no FIFO.
        if _resolve(root, "/" + quote(path.relative_to(root).as_posix())) is None:
            continue
        data = _read_regular(path)
        if data is None:
            continue
        href = html.escape(quote(relative), quote=True)
        kind = content_type(path.name, data[0]).split(";")[0]
        if is_feed(path.name, data[0]):
            links.append(f'<link rel="alternate" type="{kind}" href="{href}">')
        items.append(f'<li><a href="{href}">{html.escape(relative)}</a> ({kind})</li>')
    page = (
        "<!doctype html>\n<html><head><meta charset=utf-8>\n"
        f"<title>feedtool preview</title>\n{chr(10).join(links)}\n</head><body>\n"
        f"<h1>Feeds in {html.escape(folder.name or str(folder))}</h1>\n<ul>\n"
        f"{chr(10).join(items)}\n</ul>\n</body></html>\n"
    )
    return page.encode("utf-8")


def _read_regular(path: Path) -> tuple[bytes, float] | None:
    """A regular file's bytes and mtime, from one open file; None for anything else
    (see _open_regular). One open file for bytes and time: a rebuild renaming a new file
    in meanwhile cannot pair the new bytes with the old time."""
    opened = _open_regular(path)
    if opened is None:
        return None
    fd, info = opened
    try:
        return _read_all(fd), info.st_mtime
    except OSError:
        return None
    finally:
        os.close(fd)


def _open_regular(path: Path) -> tuple[int, os.stat_result] | None:
    """A regular file opened for reading, and its fstat; None for anything else.

    Opened without waiting (O_NONBLOCK), so a FIFO cannot hold the thread, and kept
    only once fstat says it is a regular file. The caller closes the descriptor.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode):
            os.set_blocking(fd, True)
            return fd, info
    except OSError:
        pass
    os.close(fd)
    return None


def _read_all(fd: int) -> bytes:
    with os.fdopen(os.dup(fd), "rb") as handle:
        return handle.read()


# Files up to this size (every feed) are read whole, their ETag a hash of their bytes.
# Bigger ones (a podcast's episodes, from the content folder) are read only in the range
# asked, a chunk at a time, their ETag made of size, time and inode: a reader seeking
# through an hour of audio must not have the server read and hash all of it each time.
WHOLE_FILE = 16 * 1024 * 1024
CHUNK = 1024 * 1024
SNIFF = 64 * 1024  # what a big file's type is told from (a feed's root element is early)


# Kinds of file the content folder holds that the page for people may show or play
# (and .json chapters files that are no article's sidecar).
MEDIA_KINDS = ("audio/", "video/", "image/", "text/vtt", "application/x-subrip")


def _media(folder: Path | None, request_target: str) -> Path | None:
    """The content folder's media file a request names (never an article or its metadata)."""
    if folder is None:
        return None
    target = _resolve(folder, request_target)
    if target is None:
        return None
    if target.suffix.lower() == ".json":
        # A podcast's chapters, unless it is an article's metadata (a sidecar beside it).
        stem = target.with_suffix("")
        sidecar = any(stem.with_suffix(suffix).exists() for suffix in BODY_SUFFIXES)
        return None if sidecar else target
    return target if media_type(target.name, b"").startswith(MEDIA_KINDS) else None


# At most 19 digits (any file size fits): int() refuses strings of over 4,300 digits.
_RANGE = re.compile(r"bytes=(\d{0,19})-(\d{0,19})")


def byte_range(header: str | None, size: int) -> tuple[int, int] | None | bool:
    """The first and last byte a Range header asks of ``size`` bytes (RFC 9110 section 14):
    None for the whole file (no header, or one this server does not do, such as several
    ranges, which a server may ignore), False when the range lies past the end (416)."""
    if header is None:
        return None
    match = _RANGE.fullmatch(header.strip())
    if match is None or not (match[1] or match[2]):
        return None
    if not match[1]:  # the last N bytes
        suffix = int(match[2])
        return (max(size - suffix, 0), size - 1) if suffix and size else False
    first = int(match[1])
    last = int(match[2]) if match[2] else max(first, size - 1)
    if last < first:
        return None  # invalid: ignored, as the RFC says
    if first >= size:
        return False
    return first, min(last, size - 1)


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
        since = parsedate_to_datetime(if_modified_since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False  # an unreadable date (or a year past 9999) is ignored, as the RFC says
    return int(mtime) <= since


class _Arrivals:
    """Connections whose request has not arrived whole yet, read by one thread for all
    of them (a selector), so that readers sending slowly or not at all hold no worker.
    A request head that is complete is handed on; one that is not within
    ``seconds`` is dropped, and so is the oldest when more than ``most`` wait."""

    def __init__(
        self, hand_on: Callable[[socket.socket, Any, bytes], None], seconds: float, most: int
    ) -> None:
        self._hand_on = hand_on
        self._seconds = seconds
        self._most = most
        self._selector = selectors.DefaultSelector()
        self._wake, self._waker = socket.socketpair()
        self._wake.setblocking(False)
        self._selector.register(self._wake, selectors.EVENT_READ)
        self._lock = threading.Lock()
        self._new: list[tuple[socket.socket, Any]] = []
        self._waiting: dict[socket.socket, tuple[bytearray, float, Any]] = {}  # oldest first
        self._closed = False
        self._thread = threading.Thread(target=self._run, daemon=True, name="feedtool-arrivals")
        self._thread.start()

    def add(self, connection: socket.socket, address: Any) -> None:
        with self._lock:
            self._new.append((connection, address))
        with contextlib.suppress(OSError):
            self._waker.send(b"\0")

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self._waker.send(b"\0")
        self._thread.join(timeout=5)

    def _drop(self, connection: socket.socket) -> None:
        self._waiting.pop(connection, None)
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(connection)
        _cut(connection)
        connection.close()

    def _run(self) -> None:
        while not self._closed:
            now = time.monotonic()
            for connection, (_, due, _) in list(self._waiting.items()):
                if due <= now:
                    self._drop(connection)  # too slow: never a whole request
            soonest = min((due for _, due, _ in self._waiting.values()), default=now + 60)
            for key, _ in self._selector.select(max(soonest - now, 0.01)):
                if key.fileobj is self._wake:
                    self._take_new()
                else:
                    self._read(key.fileobj)  # type: ignore[arg-type]
        for connection in list(self._waiting):
            self._drop(connection)
        with self._lock:
            for connection, _ in self._new:
                connection.close()
        self._selector.close()
        self._wake.close()
        self._waker.close()

    def _take_new(self) -> None:
        with contextlib.suppress(OSError):
            self._wake.recv(4096)
        with self._lock:
            new, self._new = self._new, []
        for connection, address in new:
            connection.setblocking(False)
            self._waiting[connection] = (bytearray(), time.monotonic() + self._seconds, address)
            self._selector.register(connection, selectors.EVENT_READ)
            if len(self._waiting) > self._most:
                self._drop(next(iter(self._waiting)))

    def _read(self, connection: socket.socket) -> None:
        head, _, address = self._waiting[connection]
        try:
            data = connection.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._drop(connection)  # the reader went away
            return
        head += data
        # A whole head, or more than any feed reader sends: the handler answers it.
        if b"\r\n\r\n" in head or b"\n\n" in head or len(head) > 65536:
            del self._waiting[connection]
            self._selector.unregister(connection)
            connection.setblocking(True)
            self._hand_on(connection, address, bytes(head))


class _Prefixed(io.RawIOBase):
    """A connection's bytes as a file: those already read, then the rest from the socket."""

    def __init__(self, head: bytes, connection: socket.socket) -> None:
        self._head = memoryview(head)
        self._connection = connection

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        return self._connection.recv_into(buffer)


class _Deadlines:
    """Cuts connections that take too long, however slowly their bytes trickle (a
    socket timeout only bounds each wait for the next byte). One thread for all."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._due: dict[socket.socket, float] = {}
        self._closed = False
        threading.Thread(target=self._watch, daemon=True, name="feedtool-deadlines").start()

    def set(self, connection: socket.socket, seconds: float) -> None:
        with self._changed:
            self._due[connection] = time.monotonic() + seconds
            self._changed.notify()

    def clear(self, connection: socket.socket) -> None:
        with self._changed:
            self._due.pop(connection, None)

    def close(self) -> None:
        """Cut every connection still being waited for, and stop."""
        with self._changed:
            self._closed = True
            for connection in self._due:
                _cut(connection)
            self._due.clear()
            self._changed.notify()

    def _watch(self) -> None:
        with self._changed:
            while not self._closed:
                now = time.monotonic()
                for connection, due in list(self._due.items()):
                    if due <= now:
                        _cut(connection)  # its reads and writes fail at once
                        del self._due[connection]
                soonest = min(self._due.values(), default=None)
                self._changed.wait(None if soonest is None else max(soonest - now, 0.01))


def _cut(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    server: _PreviewServer
    server_version = f"feedtool/{__version__}"
    protocol_version = "HTTP/1.1"  # keep-alive, as readers polling several feeds expect

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.limits.request_seconds)  # each wait for it
        # The request's head, read already (see _Arrivals), comes first.
        head = self.server.heads.pop(self.connection, b"")
        self.rfile = io.BufferedReader(_Prefixed(head, self.connection))

    def end_headers(self) -> None:
        # One request per connection: a kept-alive connection would hold a worker while
        # the reader takes its time over the next request.
        if self.close_connection is not True:
            self.send_header("Connection", "close")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        # The request line is the reader's text: escaped, so it cannot play terminal tricks.
        if self.server.log is not None:
            self.server.log(printable(f"{self.address_string()} {format % args}"))

    def log_error(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        # send_error logs "code 404, message ...", then the request line with its status:
        # one line for one request is enough. Other errors (a timeout) still show.
        if not format.startswith("code %d"):
            super().log_error(format, *args)

    def _answer(self, send_body: bool) -> None:
        if self.server.rebuilder is not None:
            self.server.deadlines.clear(self.connection)  # a build may take a while
            self.server.rebuilder.wait_for_build()
        self.server.deadlines.set(self.connection, self.server.limits.answer_seconds)
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
        if target is None:
            target = _media(self.server.media, self.path)
        opened = _open_regular(target) if target is not None else None
        if opened is None:
            self.send_error(HTTPStatus.NOT_FOUND, "No such feed")
            return
        assert target is not None
        fd, info = opened
        try:
            self._send_file(target.name, fd, info, send_body)
        finally:
            os.close(fd)

    def _send_file(self, name: str, fd: int, info: os.stat_result, send_body: bool) -> None:
        """A file's answer: 304, 416, 206 with the range asked, or 200 with all of it."""
        size, mtime = info.st_size, info.st_mtime
        whole = _read_all(fd) if size <= WHOLE_FILE else None
        if whole is not None:
            size = len(whole)
            etag = '"' + hashlib.sha256(whole).hexdigest()[:32] + '"'
        else:
            etag = f'"{size:x}-{info.st_mtime_ns:x}-{info.st_ino:x}"'
        headers = {
            "ETag": etag,
            "Last-Modified": formatdate(mtime, usegmt=True),
            # Readers may keep a copy but must ask again each time (and get a cheap 304).
            "Cache-Control": "no-cache",
            "Accept-Ranges": "bytes",
        }
        if _not_modified(self.headers, etag, mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for header, value in headers.items():
                self.send_header(header, value)
            self.end_headers()
            return
        kind = content_type(name, whole if whole is not None else os.pread(fd, SNIFF, 0))
        if_range = self.headers.get("If-Range")
        wanted = byte_range(self.headers.get("Range"), size)
        if if_range is not None and if_range.strip() != etag:
            wanted = None  # the reader's copy is another version: the whole file
        if wanted is False:
            headers["Content-Range"] = f"bytes */{size}"
            self._send(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, b"", send_body, kind, headers)
            return
        status = HTTPStatus.OK
        first, last = 0, size - 1
        if isinstance(wanted, tuple):
            status = HTTPStatus.PARTIAL_CONTENT
            first, last = wanted
            headers["Content-Range"] = f"bytes {first}-{last}/{size}"
        if whole is not None:
            self._send(status, whole[first : last + 1], send_body, kind, headers)
            return
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(last - first + 1))
        for header, value in headers.items():
            self.send_header(header, value)
        self.end_headers()
        at = first
        while send_body and at <= last:
            chunk = os.pread(fd, min(CHUNK, last + 1 - at), at)
            if not chunk:
                break  # cut short since fstat: the reader sees a short answer
            self.wfile.write(chunk)
            at += len(chunk)

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


class _PreviewServer(HTTPServer):
    """HTTPServer with a fixed pool of worker threads instead of a thread per connection."""

    request_queue_size = 128  # listen() backlog: socketserver's 5 overflows under a burst

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        rebuilder: Rebuilder | None,
        log: Log | None,
        limits: Limits,
        media: Path | None = None,
    ) -> None:
        self.root = root
        self.media = media  # the content folder, whose media files are served too
        self.rebuilder = rebuilder
        self.log = log
        self.limits = limits
        self.deadlines = _Deadlines()
        self.heads: dict[socket.socket, bytes] = {}
        self._waiting: queue.Queue[tuple[socket.socket, Any] | None] = queue.Queue(limits.backlog)
        self._workers: list[threading.Thread] = []
        self._arrivals: _Arrivals | None = None
        super().__init__(address, _Handler)  # on failure it calls server_close()
        self._arrivals = _Arrivals(self._arrived, limits.request_seconds, limits.arriving)
        for _ in range(limits.workers):
            self._workers.append(
                threading.Thread(target=self._work, daemon=True, name="feedtool-serve")
            )
            self._workers[-1].start()

    def process_request(self, request: Any, client_address: Any) -> None:
        assert self._arrivals is not None
        self._arrivals.add(request, client_address)  # a worker once its request is here

    def _arrived(self, request: socket.socket, client_address: Any, head: bytes) -> None:
        self.heads[request] = head
        try:
            self._waiting.put_nowait((request, client_address))
        except queue.Full:
            self.heads.pop(request, None)
            self.shutdown_request(request)  # too many at once: this one is turned away

    def _work(self) -> None:
        while (item := self._waiting.get()) is not None:
            request, client_address = item
            try:
                self.finish_request(request, client_address)
            except Exception:  # noqa: BLE001 - one connection's trouble ends only it
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A reader that went away or was cut off is no news; anything else is one line.
        error = sys.exc_info()[1]
        if self.log is not None and not isinstance(error, OSError):
            self.log(printable(f"internal error: {type(error).__name__}: {error}"))

    def server_close(self) -> None:
        super().server_close()
        if self._arrivals is not None:
            self._arrivals.close()
        self.deadlines.close()  # cuts the connections in progress
        while True:  # what still waits is turned away
            try:
                item = self._waiting.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                self.shutdown_request(item[0])
        for _ in self._workers:
            self._waiting.put(None)
        for worker in self._workers:
            worker.join(timeout=5)


class _PreviewServer6(_PreviewServer):
    address_family = socket.AF_INET6


@dataclass
class RunningServer:
    """A preview server answering in a background thread; ``stop()`` (or ``with``) ends it."""

    server: HTTPServer
    thread: threading.Thread
    url: str  # e.g. http://127.0.0.1:8000/ (the real port when 0 was asked for)
    rebuilder: Rebuilder | None = None

    def stop(self) -> None:
        """Stop answering; a build under way is let finish first."""
        if self.rebuilder is not None:
            self.rebuilder.stop()
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
    look_pause: float = LOOK_PAUSE,
    limits: Limits | None = None,
    media: Path | None = None,
) -> RunningServer:
    """Serve ``output_dir`` on ``host``:``port`` (0: any free port) until ``stop()``.

    With ``rebuild``, it is called once before the server answers anything, and again
    whenever a look at the files in ``watch`` (every ``look_pause`` seconds at least)
    finds them changed. Exceptions from it are logged, and the previous feeds are
    served. Without it the folder is served as it is (what a test fixture for a feed
    reader needs). ``host`` must name an address: "" would mean every interface.
    ``limits`` bound what readers can hold (see Limits). ``media``, a content folder:
    its audio, video, pictures and transcripts are served too, where the output folder
    has no file of that name (as local enclosures are published beside the feeds).
    """
    if not host.strip():
        raise FeedtoolError(
            "the host is empty, which would mean every network interface: give an address "
            "(127.0.0.1 for this machine alone, 0.0.0.0 for every interface)",
            parameter="host",
        )
    report: Log = log or (lambda message: None)
    output_dir.mkdir(parents=True, exist_ok=True)
    root = output_dir.resolve()
    rebuilder = Rebuilder(rebuild, watch, report, pause=look_pause) if rebuild else None
    server_class = _PreviewServer6 if ":" in host else _PreviewServer
    try:
        media_root = media.resolve() if media is not None else None
        server = server_class((host, port), root, rebuilder, log, limits or Limits(), media_root)
    except OSError as exc:
        raise FeedtoolError(f"cannot listen on {host} port {port}: {exc.strerror}") from None
    # Built once the port is ours: a port in use stops here having written nothing.
    if rebuilder is not None:
        try:
            rebuilder.refresh()
        except BaseException:
            server.server_close()
            raise
    bound_port = server.server_address[1]
    url_host = f"[{host}]" if ":" in host else host
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.start()
    if rebuilder is not None:
        rebuilder.start()
    return RunningServer(server, thread, f"http://{url_host}:{bound_port}/", rebuilder)
