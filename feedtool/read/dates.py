"""Reading the many ways people write dates, always ending in an aware datetime."""

from __future__ import annotations

import re
import reprlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from feedtool.values.patterns import compiled_later

# Lazy imports: dateutil is imported inside _dateutil: ISO dates, the usual ones, never need it.

# Two far-apart defaults: a date string that only parses the same way under both
# is complete. "March 3" would otherwise silently take today's year.
_DEFAULT_A = datetime(2001, 2, 3, 4, 5, 6)
_DEFAULT_B = datetime(2011, 12, 13, 14, 15, 16)
# How far an updated time may lie ahead of the build's clock (or of a future post's
# date): a time written without an offset, in a zone ahead of the site's, is that early.
UPDATED_SLACK = timedelta(days=1)

_KINDS = {int: "a number", float: "a number", list: "a list", dict: "a mapping"}


def parse_date(value: object, tz: tzinfo) -> datetime:
    """Turn a front-matter value into an aware datetime; naive times are in ``tz``.

    Raises ValueError with a readable message when the value is not a date.
    """
    if value.__class__ is str:  # what YAML's loader gives (dates as text): tested first
        result = _parse_text(value.strip())
    elif isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime.combine(value, time())
    elif isinstance(value, str):
        result = _parse_text(value.strip())
    else:
        kinds = (name for kind, name in _KINDS.items() if isinstance(value, kind))
        kind = "true/false" if isinstance(value, bool) else next(kinds, None)
        hint = ""
        if isinstance(value, int) and 1000 <= value <= 9999:
            hint = f": a year alone is not a date; write it as {value}-MM-DD"
        elif isinstance(value, int) and 10_000_000 <= value <= 99_999_999:
            hint = f': to mean a day, write it as "{value}" or with dashes'
        raise ValueError(
            f"expected a date, got {kind or type(value).__name__} ({reprlib.repr(value)}){hint}"
        )
    if not FIRST_YEAR <= result.year <= LAST_YEAR:
        raise ValueError(
            f"the year {result.year} is outside {FIRST_YEAR}-{LAST_YEAR}, the years a feed "
            "date can be written in everywhere; check the date"
        )
    if result.tzinfo is None or result.utcoffset() is None:
        result = result.replace(tzinfo=tz)
    return result


# Feed dates before 1900 are misread by readers and tools (strftime, two-digit years),
# and a year past 9998 may not survive the move to UTC. No article is dated outside.
FIRST_YEAR = 1900
LAST_YEAR = 9998


def _parse_text(text: str) -> datetime:
    if not text:
        raise ValueError("empty date")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    # dateutil reads RFC 2822 too ("Sat, 01 Nov 2025 09:00:00 +0100"); the email
    # module's parser would also take "-5" for five minutes, and drop "-05:00".
    # What dateutil reads (messages quote text): zones as it knows them, in capitals.
    plain = _ZONE_WORD().sub(lambda m: m[0].upper(), _HUMAN_OFFSET().sub(_offset, text))
    try:
        second = _dateutil(plain, _DEFAULT_B)
        # Every order dateutil can read it in; the first is the one it reads by default.
        first, *others = (
            _dateutil(plain, _DEFAULT_A, dayfirst=d, yearfirst=y)
            for d in (False, True)
            for y in (False, True)
        )
        readings = {reading.date() for reading in (first, *others)}
    except _UnknownZone as exc:
        raise ValueError(
            f'"{text}": the time zone "{exc}" is not known (a name can mean more than one '
            "zone): give an offset such as +01:00, or none for the site's timezone"
        ) from None
    except (ValueError, OverflowError) as exc:
        reason = str(exc).split(":")[0] if "out of range" in str(exc) else ""
        raise ValueError(
            f'cannot read "{text}" as a date' + (f" ({reason})" if reason else "")
        ) from exc
    for written in _FOUR_DIGITS().findall(text):
        if int(written) < 100 and first.year != int(written):
            # dateutil reads "0001" and "0050" as two-digit years: 2001, 2050.
            raise ValueError(
                f'"{text}": the year {written} is outside {FIRST_YEAR}-{LAST_YEAR}, the years '
                "a feed date can be written in everywhere; check the date"
            )
    if first.date() != second.date():
        raise ValueError(f'"{text}" is not a whole date (year, month and day are needed)')
    if len(readings) > 1 and not _YEAR_FIRST().search(text):
        # 10/11/2025 is 11 October in the US and 10 November in most other places;
        # 25/12/10 may be 2010 or 2025.
        ordered = sorted(readings)
        raise ValueError(
            f'"{text}" could be {_either(f"{d.day} {d:%B %Y}" for d in ordered)}: '
            f"write it as {_either(d.isoformat() for d in ordered)}"
        )
    if first != second:
        # Date complete, time partly given ("2025-08-16 9"): keep what was given, zero the rest.
        first = _dateutil(plain, datetime(2000, 1, 1))
    return _same_weekday(text, first)


def _dateutil(
    text: str, default: datetime, *, dayfirst: bool = False, yearfirst: bool = False
) -> datetime:
    from dateutil import parser as dateutil_parser

    # tzinfos decides every zone name: left to itself, dateutil takes a name that is
    # this machine's zone (CET on a laptop in Berlin) as the machine's zone, and drops
    # others (with a warning): one article would get different times on two machines.
    return dateutil_parser.parse(
        text, default=default, tzinfos=_zone, dayfirst=dayfirst, yearfirst=yearfirst
    )


class _UnknownZone(ValueError):
    pass


def _zone(name: str | None, offset: int | None) -> tzinfo | None:
    if offset is not None:  # "+01:00", or "+01:00 (CET)": the offset says it all
        return timezone(timedelta(seconds=offset))
    if name is None:
        return None  # no zone: the site's
    hours = _NAMED_ZONES.get(name.upper())
    if hours is None:
        raise _UnknownZone(name)
    return timezone(timedelta(hours=hours)) if hours else UTC


# The zone names RFC 822 defines (and email still uses): one meaning each, unlike CET,
# BST or IST, which are refused.
_NAMED_ZONES = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}  # fmt: skip

_ZONE_WORD = compiled_later(
    rf"(?<![A-Za-z])(?:{'|'.join(_NAMED_ZONES)})(?![A-Za-z])", re.IGNORECASE
)

# "UTC+1" and "GMT -5" as people mean them: dateutil reads them the POSIX way, where
# the sign is the other way round, so they become a plain offset first.
_HUMAN_OFFSET = compiled_later(
    r"(?<![A-Za-z])(?:UTC|GMT)\s*([+-])(\d{1,2})(?::?(\d{2}))?(?!\d)", re.IGNORECASE
)


def _offset(match: re.Match[str]) -> str:
    return f"{match[1]}{int(match[2]):02d}:{match[3] or '00'}"


# A four-digit year first (2025/03/04, 20250304) is always year, month, day.
_YEAR_FIRST = compiled_later(r"(?<!\d)(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{8})(?!\d)")
_WORD = compiled_later(r"[A-Za-z]+")
_FOUR_DIGITS = compiled_later(r"(?<![\d+-])\d{4}(?![\d:])")  # not an offset, not a time
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _either(choices: Iterable[str]) -> str:
    *rest, last = choices
    return f"{', '.join(rest)} or {last}" if rest else last


def _same_weekday(text: str, when: datetime) -> datetime:
    """``when``, unless ``text`` names a day of the week (Fri, Friday) that it does not
    fall on: then one of the two is wrong, and publishing either could be."""
    actual = _DAY_NAMES[when.weekday()]  # of the date as written, in its own offset
    for word in _WORD().findall(text):
        name = word.lower()
        said = next((d for d in _DAY_NAMES if len(name) >= 3 and d.startswith(name)), None)
        if said is not None and said != actual:
            raise ValueError(
                f'"{text}" says {said.title()}, but {when.day} {when:%B %Y} is a '
                f"{actual.title()}: correct one of the two, or write {when.date().isoformat()}"
            )
    return when
