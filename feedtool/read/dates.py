"""Reading the many ways people write dates, always ending in an aware datetime."""

from __future__ import annotations

import difflib
import re
import reprlib
import zoneinfo
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache

# Two far-apart defaults: a date string that only parses the same way under both
# is complete. "March 3" would otherwise silently take today's year.
_DEFAULT_A = datetime(2001, 2, 3, 4, 5, 6)
_DEFAULT_B = datetime(2011, 12, 13, 14, 15, 16)
_KINDS = {int: "a number", float: "a number", list: "a list", dict: "a mapping"}


@lru_cache(maxsize=16)  # asked for every date an article gives (SiteConfig.tz)
def get_timezone(name: str) -> tzinfo | None:
    """An IANA time zone by name, or None when there is no such zone (see zone_problem)."""
    if name.upper() == "UTC":
        return UTC
    if zone_problem(name) is not None:
        return None
    # dateutil is imported where needed: the usual ISO dates never need it, and
    # loading it is a good part of a "nothing changed" build's time.
    from dateutil import tz as dateutil_tz

    return dateutil_tz.gettz(name)


# An IANA zone name: Area/Location words, never a path (dateutil would read any file).
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]{0,29}(?:/[A-Za-z0-9][A-Za-z0-9_+-]{0,29}){0,2}")
# Files in the zone folders that are not zones anyone means: the machine's own setting,
# the rules POSIX strings borrow, tzdata's "-00" placeholder, and copies of every zone
# under other names (posix/Europe/Berlin, right/UTC).
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
_NOT_ZONE_FOLDERS = ("posix/", "right/")
# A fixed offset written after a name or alone: "UTC+2", "CET+1", "GMT-05:00", "+0200".
_OFFSET = re.compile(r"([+-])(\d{1,2})(?::?(\d\d))?$")
# IANA's fixed-offset zones, signed as POSIX signs them: Etc/GMT+2 is two hours BEHIND UTC.
_ETC_OFFSET = re.compile(r"Etc/GMT([+-])(\d{1,2})")


# What people write for their clock, and the places whose names carry its summer time.
# Some are IANA names too, but legacy ones: EST, MST and HST are fixed offsets all year
# (no summer time), EST5EDT and the like follow US rules of one era (zone_caution warns).
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "PST": ("America/Los_Angeles",),
    "PDT": ("America/Los_Angeles",),
    "PT": ("America/Los_Angeles",),
    "PST8PDT": ("America/Los_Angeles",),
    "MST": ("America/Denver", "America/Phoenix"),
    "MDT": ("America/Denver",),
    "MT": ("America/Denver",),
    "MST7MDT": ("America/Denver",),
    "CST": ("America/Chicago", "America/Mexico_City", "Asia/Shanghai"),
    "CDT": ("America/Chicago",),
    "CT": ("America/Chicago",),
    "CST6CDT": ("America/Chicago",),
    "EST": ("America/New_York", "America/Toronto"),
    "EDT": ("America/New_York", "America/Toronto"),
    "ET": ("America/New_York",),
    "EST5EDT": ("America/New_York",),
    "AKST": ("America/Anchorage",),
    "AKDT": ("America/Anchorage",),
    "HST": ("Pacific/Honolulu",),
    "BST": ("Europe/London",),
    "WET": ("Europe/Lisbon",),
    "WEST": ("Europe/Lisbon",),
    "CET": ("Europe/Berlin", "Europe/Paris"),
    "CEST": ("Europe/Berlin", "Europe/Paris"),
    "MET": ("Europe/Berlin", "Europe/Paris"),
    "EET": ("Europe/Athens", "Europe/Helsinki"),
    "EEST": ("Europe/Athens", "Europe/Helsinki"),
    "MSK": ("Europe/Moscow",),
    "IST": ("Asia/Kolkata", "Europe/Dublin"),
    "JST": ("Asia/Tokyo",),
    "KST": ("Asia/Seoul",),
    "AEST": ("Australia/Sydney",),
    "AEDT": ("Australia/Sydney",),
    "NZST": ("Pacific/Auckland",),
    "NZDT": ("Pacific/Auckland",),
}
# Of those, the IANA names that load but mislead (CET and the like follow a real place's
# rules in tzdata, so they are left alone).
_LEGACY = frozenset({"EST", "MST", "HST", "EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT"})


def _or_list(names: list[str]) -> str:
    quoted = [f'"{name}"' for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def zone_problem(name: str) -> str | None:
    """Why ``name`` is not a time zone feedtool takes, or None: only IANA names
    ("Europe/Berlin") and "UTC". dateutil would also take POSIX strings ("CET+1",
    "UTC+2"), which count offsets west of Greenwich as plus: "CET+1" is UTC-01:00."""
    if name.upper() == "UTC":
        return None
    if _ZONE_NAME.fullmatch(name) and name not in _NOT_ZONES:
        if not name.startswith(_NOT_ZONE_FOLDERS):
            try:
                zoneinfo.ZoneInfo(name)
                return None
            except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
                pass  # no such zone, or a folder ("Europe")
    shown = name if len(name) <= 60 else name[:60] + "…"
    offset = _OFFSET.search(name)
    # An abbreviation names its places; after an offset, names spelt alike ("GMT+0" for
    # "GMT+2") would mislead, and the offset's own advice follows.
    written = name[: offset.start()] if offset else name
    near = list(_ABBREVIATIONS.get(written.upper(), ()))
    near = near or ([] if offset else nearest_zones(name[:60]))
    message = f'unknown time zone "{shown}" (only IANA names, like "Europe/Berlin", and "UTC")'
    message += f"; did you mean {_or_list(near)}?" if near else "."
    if offset:
        sign, hours, minutes = offset[1], int(offset[2]), offset[3] or "00"
        message += " An offset is not a time zone: name a place, and its summer time comes with it"
        if minutes == "00" and 0 < hours <= (12 if sign == "-" else 14):
            etc = f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
            message += f' (a fixed UTC{sign}{hours:02d}:00 all year is "{etc}", the sign inverted)'
    return message


def nearest_zones(name: str, count: int = 3) -> list[str]:
    """The IANA zone names most like ``name`` (in any case, or its place alone: "paris")."""
    # Read from disk only here, for a name that is wrong: it takes tens of milliseconds.
    zones = sorted(zoneinfo.available_timezones() - _NOT_ZONES)
    # Never suggested: Etc/GMT+2 and the like, whose sign is the trap (see zone_caution).
    zones = [zone for zone in zones if not _ETC_OFFSET.fullmatch(zone)]
    by_key = {zone.lower(): zone for zone in zones}
    for zone in zones:
        by_key.setdefault(zone.rpartition("/")[2].lower(), zone)
    found: list[str] = []
    for key in difflib.get_close_matches(name.lower(), list(by_key), n=count * 2, cutoff=0.6):
        if by_key[key] not in found:
            found.append(by_key[key])
    return found[:count]


def zone_caution(name: str) -> str | None:
    """A warning for a zone that is an IANA name but rarely means what it seems:
    Etc/GMT+2 is UTC-02:00 (POSIX signs), the opposite of what most people read; EST is
    UTC-05:00 all year, never New York's summer time."""
    if name in _LEGACY:
        places = _or_list(list(_ABBREVIATIONS[name]))
        if any(c.isdigit() for c in name):
            kind = "a legacy name, kept for old systems"
        else:
            offset = zoneinfo.ZoneInfo(name).utcoffset(datetime(2026, 7, 1)) or timedelta()
            hours = int(offset.total_seconds()) // 3600
            kind = f"UTC{hours:+03d}:00 all year, with no summer time"
        return f'"{name}" is {kind}: for the clock of a place, write {places}'
    match = _ETC_OFFSET.fullmatch(name)
    if match is None or int(match[2]) == 0:
        return None
    sign, hours = match[1], int(match[2])
    real = "-" if sign == "+" else "+"
    return (
        f'"{name}" is UTC{real}{hours:02d}:00, not UTC{sign}{hours:02d}:00: Etc/ names count '
        f'west of Greenwich as plus; for UTC{sign}{hours:02d}:00 write "Etc/GMT{real}{hours}", '
        "or better a place's name, whose summer time comes with it"
    )


def parse_date(value: object, tz: tzinfo) -> datetime:
    """Turn a front-matter value into an aware datetime; naive times are in ``tz``.

    Raises ValueError with a readable message when the value is not a date.
    """
    if isinstance(value, datetime):
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
    plain = _ZONE_WORD.sub(lambda m: m[0].upper(), _HUMAN_OFFSET.sub(_offset, text))
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
    for written in _FOUR_DIGITS.findall(text):
        if int(written) < 100 and first.year != int(written):
            # dateutil reads "0001" and "0050" as two-digit years: 2001, 2050.
            raise ValueError(
                f'"{text}": the year {written} is outside {FIRST_YEAR}-{LAST_YEAR}, the years '
                "a feed date can be written in everywhere; check the date"
            )
    if first.date() != second.date():
        raise ValueError(f'"{text}" is not a whole date (year, month and day are needed)')
    if len(readings) > 1 and not _YEAR_FIRST.search(text):
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

_ZONE_WORD = re.compile(rf"(?<![A-Za-z])(?:{'|'.join(_NAMED_ZONES)})(?![A-Za-z])", re.IGNORECASE)

# "UTC+1" and "GMT -5" as people mean them: dateutil reads them the POSIX way, where
# the sign is the other way round, so they become a plain offset first.
_HUMAN_OFFSET = re.compile(
    r"(?<![A-Za-z])(?:UTC|GMT)\s*([+-])(\d{1,2})(?::?(\d{2}))?(?!\d)", re.IGNORECASE
)


def _offset(match: re.Match[str]) -> str:
    return f"{match[1]}{int(match[2]):02d}:{match[3] or '00'}"


# A four-digit year first (2025/03/04, 20250304) is always year, month, day.
_YEAR_FIRST = re.compile(r"(?<!\d)(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{8})(?!\d)")
_WORD = re.compile(r"[A-Za-z]+")
_FOUR_DIGITS = re.compile(r"(?<![\d+-])\d{4}(?![\d:])")  # not an offset, not a time
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _either(choices: Iterable[str]) -> str:
    *rest, last = choices
    return f"{', '.join(rest)} or {last}" if rest else last


def _same_weekday(text: str, when: datetime) -> datetime:
    """``when``, unless ``text`` names a day of the week (Fri, Friday) that it does not
    fall on: then one of the two is wrong, and publishing either could be."""
    actual = _DAY_NAMES[when.weekday()]  # of the date as written, in its own offset
    for word in _WORD.findall(text):
        name = word.lower()
        said = next((d for d in _DAY_NAMES if len(name) >= 3 and d.startswith(name)), None)
        if said is not None and said != actual:
            raise ValueError(
                f'"{text}" says {said.title()}, but {when.day} {when:%B %Y} is a '
                f"{actual.title()}: correct one of the two, or write {when.date().isoformat()}"
            )
    return when
