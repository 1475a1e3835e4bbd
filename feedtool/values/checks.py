"""Checks of single values: dates, URLs, e-mail addresses, language tags, media types;
and the few conversions every stage shares (slugify, absolute_url).

Each check returns None when the value is good, or what is wrong with it as a
phrase that completes "VALUE ..." in a message. This module imports nothing of
feedtool's but values/patterns.py, so any module may use it.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from urllib.parse import quote, urljoin, urlsplit

from feedtool.values.patterns import compiled_later

# RFC 3339 section 5.6, as RFC 4287 section 3.3 restricts it (upper-case T and Z).
_RFC3339 = compiled_later(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(\.\d+)?([Zz]|[+-](\d\d):(\d\d))"
)


_PLAIN_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")


def rfc3339(value: str, *, upper_case: bool = True) -> str | None:
    """A timestamp like 2025-11-01T09:00:00+01:00."""
    if _PLAIN_RFC3339.fullmatch(value):
        # The usual case, fast: the form is right, so the date only has to exist.
        try:
            datetime.fromisoformat(value)
            return None
        except ValueError:
            pass  # an impossible date, or a leap second: the slow path tells which
    match = _RFC3339().fullmatch(value)
    if not match:
        if value != value.strip():
            return "has spaces around it"
        return "is not an RFC 3339 date-time like 2025-11-01T09:00:00Z"
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    if year < 1:
        return "has the year 0000, which no calendar has"
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return "is not a real day"
    if hour > 23 or minute > 59 or second > 60:
        return "is not a real time of day"
    if match.group(9) and (int(match.group(9)) > 23 or int(match.group(10)) > 59):
        return "has an impossible time-zone offset"
    if upper_case and ("t" in value or value.endswith("z")):
        return 'must use upper-case "T" and "Z"'
    return None


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ZONES = "UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|Z"
# What readers expect: RFC 2822's form of RFC 822 dates, four-digit year.
_RFC2822 = re.compile(
    r"(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d\d?) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    rf" (\d{{4}}) (\d\d):(\d\d)(?::(\d\d))? ([+-]\d\d[0-5]\d|{_ZONES})"
)
# What RFC 822 also allows: any case, two-digit years, military zones, comments.
_RFC822 = compiled_later(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)\s*,\s*)?\d\d?\s+"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+\d\d(?:\d\d)?\s+"
    r"\d\d:\d\d(?::\d\d)?\s+(?:[+-]\d{4}|ut|gmt|[ecmp][sd]t|[a-ik-z])?",
)
_COMMENT = compiled_later(r"\([^()]*\)")


def rfc822(value: str) -> tuple[str, str] | None:
    """An RSS date like "Sat, 01 Nov 2025 09:00:00 +0100": ("error"|"warning", what is wrong)."""
    value = value.strip()
    match = _RFC2822.fullmatch(value)
    if match:
        weekday, day, month = match.group(1), int(match.group(2)), match.group(3)
        year = int(match.group(4))
        if year < 1:
            return "error", "has the year 0000, which no calendar has"
        month_number = _MONTHS.index(month.lower()) + 1
        hour, minute = int(match.group(5)), int(match.group(6))
        second = int(match.group(7) or 0)
        if not 1 <= day <= calendar.monthrange(year, month_number)[1]:
            return "error", "is not a real day"
        if hour > 23 or minute > 59 or second > 60:
            return "error", "is not a real time of day"
        if weekday and _DAYS[date(year, month_number, day).weekday()] != weekday.lower():
            return "error", f"says {weekday}, but that day was a {date(year, month_number, day):%a}"
        return None
    uncommented = re.sub(r"\\.", "", value)  # quoted pairs: \) is not the end of a comment
    while True:  # comments nest, so strip the innermost until none are left
        stripped = _COMMENT().sub(" ", uncommented)
        if stripped == uncommented:
            break
        uncommented = stripped
    if _RFC822().fullmatch(uncommented.strip().lower()):
        return (
            "warning",
            'is an unusual form of RFC 822 date; use "Sat, 01 Nov 2025 09:00:00 +0100"',
        )
    return "error", 'is not an RFC 822 date like "Sat, 01 Nov 2025 09:00:00 +0100"'


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Characters no URI or IRI may contain as they are (RFC 3986 section 2, RFC 3987 section 2.2).
_BAD_CHAR = re.compile(r"[\x00-\x20\x7f<>\"{}|\\^`]")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# RFC 4151: tag:authority,date:specific
_TAG = re.compile(
    r"tag:(?:[A-Za-z0-9._%+-]+@)?[A-Za-z0-9.-]+,\d{4}(?:-\d\d(?:-\d\d)?)?:"
    # Everything from U+00A0 up, written as "not below it": the range compiles slowly.
    r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]|[^\x00-\x9f])*(?:#.*)?"
)
_URN = compiled_later(r"urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[^\s]+", re.IGNORECASE)
_UUID = compiled_later(
    r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I
)
_HOST_SCHEMES = ("http", "https", "ftp")
# Most URLs in feeds: http(s), a host, and only characters that never need a second look.
_PLAIN_URL = re.compile(
    r"(?:https?|ftp)://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][A-Za-z0-9\-._~!$&'()*+,;=:@/?#]*)?"
)


def uri(value: str, *, absolute: bool) -> str | None:
    """A URL or other IRI; with ``absolute``, a relative reference is wrong too."""
    if _PLAIN_URL.fullmatch(value):
        return None  # the usual case, fast
    if not value:
        # An empty reference means "this document": fine where relative references are.
        return "is empty" if absolute else None
    if value != value.strip():
        return "has spaces around it"
    bad = _BAD_CHAR.search(value)
    if bad:
        what = "a space" if bad.group() == " " else f"the character {bad.group()!r}"
        return f"contains {what}, which a URL cannot contain as it is"
    if _BAD_ESCAPE.search(value):
        return 'has a "%" that is not followed by two hex digits'
    scheme_match = _SCHEME.match(value)
    if not scheme_match:
        return (
            "is a relative URL; it must be absolute, like https://example.org/"
            if absolute
            else None
        )
    scheme = scheme_match.group(1).lower()
    rest = value[scheme_match.end() :]
    if scheme in _HOST_SCHEMES and not re.match(r"//[^/?#]", rest):
        return f"has no host after {scheme}:"
    if scheme == "tag" and not _TAG.fullmatch(value):
        return "is not a valid tag: URI (RFC 4151: tag:example.org,2025-11-01:name)"
    if scheme == "urn":
        if value[:9].lower() == "urn:uuid:" and not _UUID().fullmatch(value):
            return "is not a valid urn:uuid: (RFC 4122)"
        if not _URN().fullmatch(value):
            return "is not a valid URN (RFC 8141: urn:NID:NSS)"
    if not rest:
        return f"has nothing after {scheme}:"
    return None


def web_address(value: str, *, mailto: bool = False) -> str | None:
    """A URL a feed may carry as a link: absolute ``http(s)`` with a host and a valid port
    (with ``mailto``, a ``mailto:`` address too). The one check every URL that reaches a
    feed passes (links, ids' pages, author pages, images, enclosures, the site's own)."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as exc:  # "http://[::1": an IPv6 host never closed
        return f"is not a web address ({exc})"
    if any(c.isspace() for c in value):
        return "is not a URL (it contains spaces)"
    scheme = parts.scheme.lower()
    if mailto and scheme == "mailto":
        return None if parts.path and not _BAD_CHAR.search(value) else "is not a mailto: address"
    if scheme not in ("http", "https") or not parts.hostname:
        allowed = "http://, https:// or mailto:" if mailto else "http:// or https://"
        return f"is not a web address ({allowed} and a host)"
    problem = uri(value, absolute=True)  # the validator's rule: what loads also publishes
    if problem:
        return problem
    if not value.isascii():  # RSS and most readers need a URL, not an IRI
        try:
            host = (parts.hostname or "").encode("idna").decode("ascii")
        except UnicodeError:
            return "has a host name that is not valid"
        netloc = parts.netloc.replace(parts.hostname or "", host) if host else parts.netloc
        written = parts._replace(
            netloc=netloc,
            path=quote(parts.path, safe="/%:@!$&'()*+,;=~"),
            query=quote(parts.query, safe="/%:@!$&'()*+,;=~?"),
            fragment=quote(parts.fragment, safe="/%:@!$&'()*+,;=~?#"),
        ).geturl()
        return f'has characters a URL must percent-encode: write "{written}"'
    return None


def http_url(value: str) -> str | None:
    """An absolute http(s) URL, as RSS requires for enclosures."""
    problem = uri(value, absolute=True)
    if problem:
        return problem
    if not value.lower().startswith(("http://", "https://")):
        return "must be an http:// or https:// URL"
    return None


_ADDR_SPEC = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:\d{1,3}(?:\.\d{1,3}){3}|(?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]+)"
)


def email(value: str) -> str | None:
    """An addr-spec such as jo@example.org (RFC 5322), nothing else."""
    if not _ADDR_SPEC.fullmatch(value):
        return "is not an e-mail address like jo@example.org"
    return None


_LANGUAGE = re.compile(r"(?:[A-Za-z]{2,3}|[ixIX])(?:-[A-Za-z0-9]{1,8})*")


def language(value: str) -> str | None:
    """A language tag (BCP 47 / RFC 3066): en, de-AT, pt-BR."""
    if not _LANGUAGE.fullmatch(value):
        return 'is not a language tag like "en" or "de-AT"'
    return None


# RFC 6838 section 4.2: type/subtype, each a restricted name; then parameters.
_TOKEN = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
_MEDIA_TYPE = re.compile(
    rf"{_TOKEN}/{_TOKEN}(?:\s*;\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+=(?:[^\s;\"]+|\"[^\"]*\"))*"
)


def media_type(value: str) -> str | None:
    """A MIME media type like audio/mpeg or text/html; charset=utf-8."""
    if not _MEDIA_TYPE.fullmatch(value.strip()):
        return "is not a media type like audio/mpeg"
    return None


def non_negative_integer(value: str) -> str | None:
    """A size or count: digits only."""
    if not re.fullmatch(r"\d+", value.strip()):
        return "is not a whole number of 0 or more"
    return None


# --- conversions ------------------------------------------------------------------------

MAX_SLUG = 80  # characters; long titles would otherwise make unwieldy file names and URLs

# Latin letters that Unicode does not decompose into an ASCII letter plus accents.
_FOLD = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
    }
)
_WORD = re.compile(r"[^\W_]+")  # runs of letters and digits, in any script


def _fold_char(char: str) -> str:
    """An accented Latin letter becomes its ASCII base; letters of other scripts stay."""
    if char.isascii():
        return char
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base if base.isascii() and base else char


def slugify(title: str) -> str:
    """Lowercase words joined by hyphens: "Crème brûlée, zum 2. Mal!" -> "creme-brulee-zum-2-mal".

    Accented Latin letters are folded to ASCII; letters of other scripts (Cyrillic,
    Greek, CJK, ...) are kept as they are, so "Привет, мир" -> "привет-мир" rather than
    an empty or meaningless slug. Links percent-encode them, as browsers do.
    Returns "" when the title has no letters or digits at all.
    """
    text = unicodedata.normalize("NFC", title).translate(_FOLD)
    folded = "".join(_fold_char(c) for c in text).lower()
    words = _WORD.findall(folded)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG:
            break
        slug = candidate
    return slug or (words[0][:MAX_SLUG] if words else "")


# WHATWG URL parsing drops these before it looks at a URL, and so do browsers:
# "jav\tascript:" is "javascript:".
_URL_IGNORED = re.compile("[\t\n\r]")
_URL_STRIPPED = "".join(chr(c) for c in range(0x21))


def absolute_url(url: str, base: str) -> str:
    """``url`` resolved against ``base``; absolute URLs and other schemes stay as they are.

    Spaces inside the URL are percent-encoded, as a browser would, so the result is a
    valid URL; everything else (including non-ASCII text) is kept as written.
    """
    url = _URL_IGNORED.sub("", url.strip(_URL_STRIPPED))
    if not url:
        return url
    return urljoin(base, url).replace(" ", "%20")


def one_edit_apart(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one edit: a character inserted, dropped
    or changed, or two neighbours swapped (Damerau-Levenshtein distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i in range(len(a)) if a[i] != b[i]]
        if len(differ) == 1:
            return True
        first, second = differ[0], differ[-1]
        return (
            len(differ) == 2
            and second == first + 1
            and a[first] == b[second]
            and a[second] == b[first]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def did_you_mean(close: Sequence[str]) -> str:
    """'did you mean "a" or "b"?': the end of every "unknown key" message (front
    matter's and the config's), for the keys ``one_edit_apart`` found."""
    return "did you mean " + " or ".join(f'"{name}"' for name in close) + "?"
