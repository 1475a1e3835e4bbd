"""`feedtool validate --media`: do the files a feed points to answer as apps need?

Podcast apps and Apple fetch each enclosure with HEAD and with byte ranges (to seek, and
to read the length), and show art, transcripts and chapters. This asks every such URL in a
feed (RSS and Atom enclosures, Media RSS content, itunes:image, podcast:transcript and
podcast:chapters, the channel image, JSON Feed attachments) for a HEAD and for its first
bytes (``Range: bytes=0-99``), and reports one line per problem, against the feed's file
and line, as the validator does: not found, no byte ranges (200 or a wrong Content-Range
in place of 206), another media type, or another length than the feed says.

Opt-in, because it goes to the network (the validator never does): http and https only,
each request bounded by ``timeout`` seconds and the whole check by ``deadline``, a few
requests at once, one HEAD and one small GET per URL whatever the number of feeds naming it.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from feedtool import __version__
from feedtool.site.fetch import FetchError, fetch
from feedtool.validators.common import Problem
from feedtool.validators.extensions import ITUNES, PODCAST
from feedtool.xmlnames import ATOM, MEDIA_NS

FIRST_BYTES = 100  # what the range request asks for: "bytes=0-99"
# Requests stop this long after the check stops waiting for them: one cut by the deadline
# is then reported as media-timeout, and no thread outlives the check by more than this.
_GRACE = 1.0
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


@dataclass(frozen=True)
class MediaLink:
    """A file a feed points to, with what the feed says about it."""

    file: str  # the feed
    line: int
    what: str  # "enclosure", "transcript", "chapters" or "art", for messages
    url: str
    type: str | None = None  # the media type the feed gives, if any
    length: int | None = None  # bytes, when the feed gives a length above 0


def media_links(file: str, data: bytes) -> list[MediaLink]:
    """Every media file an RSS, Atom or JSON Feed document points to, in document order."""
    if data.lstrip()[:1] in (b"{", b"["):
        return _json_links(file, data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(io.BytesIO(data), parser).getroot()
    except etree.XMLSyntaxError:
        return []  # the validator says what is wrong with it
    found = []
    for element in root.iter():
        link = _xml_link(file, element)
        if link is not None:
            found.append(link)
    return found


def _xml_link(file: str, element: etree._Element) -> MediaLink | None:
    tag, get = element.tag, element.get
    line: int = element.sourceline or 1  # type: ignore[assignment]  # lxml-stubs: Ellipsis
    if tag == "enclosure":
        return _link(file, line, "enclosure", get("url"), get("type"), get("length"))
    if tag == f"{{{MEDIA_NS}}}content":
        return _link(file, line, "enclosure", get("url"), get("type"), get("fileSize"))
    if tag == f"{ATOM}link" and get("rel") == "enclosure":
        return _link(file, line, "enclosure", get("href"), get("type"), get("length"))
    if tag == f"{{{ITUNES}}}image":
        return _link(file, line, "art", get("href"), None, None)
    if tag == f"{{{PODCAST}}}transcript":
        return _link(file, line, "transcript", get("url"), get("type"), None)
    if tag == f"{{{PODCAST}}}chapters":
        return _link(file, line, "chapters", get("url"), get("type"), None)
    parent = element.getparent()
    if tag == "url" and parent is not None and parent.tag == "image":
        return _link(file, line, "art", (element.text or "").strip(), None, None)
    return None


def _link(
    file: str, line: int, what: str, url: str | None, kind: str | None, length: object
) -> MediaLink | None:
    if not url:
        return None  # a missing URL is the validator's to report
    size = int(length) if isinstance(length, str) and length.strip().isdigit() else length
    return MediaLink(
        file, line, what, url, kind or None, size if isinstance(size, int) and size > 0 else None
    )


def _json_links(file: str, data: bytes) -> list[MediaLink]:
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return []
    items = document.get("items") if isinstance(document, dict) else None
    text = data.decode("utf-8", "replace")
    found = []
    for item in items if isinstance(items, list) else []:
        attachments = item.get("attachments") if isinstance(item, dict) else None
        for attachment in attachments if isinstance(attachments, list) else []:
            if not isinstance(attachment, dict) or not isinstance(attachment.get("url"), str):
                continue
            url = attachment["url"]
            # JSON has no element lines: the first line that names the URL.
            at = text.find(json.dumps(url, ensure_ascii=False)[1:-1])
            line = text.count("\n", 0, at) + 1 if at >= 0 else 1
            kind = attachment.get("mime_type")
            size = attachment.get("size_in_bytes")
            link = _link(
                file,
                line,
                "enclosure",
                url,
                kind if isinstance(kind, str) else None,
                str(size) if isinstance(size, int) and not isinstance(size, bool) else None,
            )
            if link is not None:
                found.append(link)
    return found


@dataclass(frozen=True)
class _Answer:
    """What a URL answered to HEAD and to the range request: problems, by message."""

    problems: tuple[tuple[str, str], ...]  # (code, message)


def check_media(
    links: Sequence[MediaLink],
    *,
    timeout: float = 10.0,
    deadline: float = 120.0,
    workers: int = 8,
) -> list[Problem]:
    """Ask every http(s) URL in ``links`` for HEAD and its first bytes; one problem per
    thing wrong, against each feed line naming the URL. Other schemes get a warning."""
    problems: list[Problem] = []
    web: dict[tuple[str, str | None, int | None], list[MediaLink]] = {}
    for link in links:
        if urlsplit(link.url).scheme.lower() not in ("http", "https"):
            problems.append(
                Problem(
                    link.file,
                    link.line,
                    "warning",
                    "media-not-checked",
                    f"{link.what} {link.url} not checked: only http and https URLs are",
                )
            )
            continue
        web.setdefault((link.url, link.type, link.length), []).append(link)
    ends = time.monotonic() + deadline
    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    futures = {pool.submit(_ask, *key, timeout, ends + _GRACE): key for key in web}
    done, _ = wait(futures, timeout=deadline)
    # Not `with pool`: leaving it waits for the requests still running. No request runs
    # past the deadline either (_request), so the threads left behind end with it.
    pool.shutdown(wait=False, cancel_futures=True)
    for future, key in futures.items():
        if future in done:
            answer = future.result()
        else:
            message = f"did not answer within the {deadline:g} s the whole check may take"
            answer = _Answer((("media-timeout", message),))
        for link in web[key]:
            for code, message in answer.problems:
                problems.append(
                    Problem(
                        link.file,
                        link.line,
                        "error",
                        code,
                        f"{link.what} {link.url}: {message}",
                    )
                )
    return sorted(problems, key=lambda p: (p.file, p.line))


_HEADERS = {"User-Agent": f"feedtool/{__version__} (validate --media)"}


def _ask(url: str, kind: str | None, length: int | None, timeout: float, ends: float) -> _Answer:
    found: list[tuple[str, str]] = []
    head = _request(url, "HEAD", {}, timeout, ends)
    if isinstance(head, str):
        return _Answer((("media-unreachable", f"HEAD {head}"),))
    status, headers, _ = head
    if not 200 <= status < 300:
        return _Answer((("media-unreachable", f"HEAD answered {status}"),))
    served = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if kind and not _same_type(kind, served):
        found.append(
            ("media-type-mismatch", f'served as "{served or "no type"}", the feed says "{kind}"')
        )
    size = headers.get("content-length")
    if length is not None and size is not None and size.isdigit() and int(size) != length:
        found.append(("media-length-mismatch", f"is {int(size):,} bytes, the feed says {length:,}"))
    part = _request(url, "GET", {"Range": f"bytes=0-{FIRST_BYTES - 1}"}, timeout, ends)
    if isinstance(part, str):
        found.append(("media-no-ranges", f"a byte range request {part}"))
        return _Answer(tuple(found))
    status, headers, body = part
    content_range = _CONTENT_RANGE.fullmatch((headers.get("content-range") or "").strip())
    if status != 206 or content_range is None:
        found.append(
            (
                "media-no-ranges",
                f"answered a byte range request with {status}, not 206 Partial Content "
                "(apps seek and Apple checks with ranges)",
            )
        )
    else:
        first, last, total = content_range.groups()
        if int(first) != 0 or len(body) != int(last) - int(first) + 1:
            found.append(("media-bad-range", "sent another range than it said"))
        if length is not None and total != "*" and int(total) != length:
            found.append(
                (
                    "media-length-mismatch",
                    f"is {int(total):,} bytes by its range answer, the feed says {length:,}",
                )
            )
    # One line for each kind of problem (a wrong length shows in HEAD and in the range).
    kinds: dict[str, str] = {}
    for code, message in found:
        kinds.setdefault(code, message)
    return _Answer(tuple(kinds.items()))


def _request(
    url: str, method: str, headers: dict[str, str], timeout: float, ends: float
) -> tuple[int, dict[str, str], bytes] | str:
    """(status, headers, at most FIRST_BYTES of the body), or what went wrong as text;
    within ``timeout`` seconds, and never past ``ends`` (the whole check's deadline)."""
    seconds = min(timeout, ends - time.monotonic())
    if seconds <= 0:
        return "failed: the whole check's time is up"
    try:
        answer = fetch(
            url, seconds=seconds, limit=FIRST_BYTES, method=method, headers={**_HEADERS, **headers}
        )
    except FetchError as exc:
        return f"failed: {exc}"
    return answer.status, answer.headers, answer.body


# Types a feed gives that hosts rightly serve under their general name.
_SERVED_AS = {"application/json+chapters": "application/json"}


def _same_type(declared: str, served: str) -> bool:
    wanted = declared.split(";")[0].strip().lower()
    return served in (wanted, _SERVED_AS.get(wanted))


def check_feed_media(
    files: Iterable[tuple[str, bytes]], *, timeout: float = 10.0, deadline: float = 120.0
) -> list[Problem]:
    """check_media over every media link of the given feeds (name, bytes)."""
    links = [link for name, data in files for link in media_links(name, data)]
    return check_media(links, timeout=timeout, deadline=deadline)
