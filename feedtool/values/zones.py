"""Time zone names: which feedtool takes (IANA names and "UTC"), the nearest to a wrong
one, and the zones that rarely mean what they seem. Config checks its timezone here and
read/dates.py reads dates in them, so this sits on the floor both may import.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache

from feedtool.values.patterns import compiled_later

# Lazy imports: difflib is imported inside nearest_zones: only a wrong zone name needs it.
# zoneinfo (which loads sysconfig) where a zone other than UTC is asked for: a build
# loads it later anyway (dateutil does), while helpers read, not before they start.


@lru_cache(maxsize=16)  # asked for every date an article gives (SiteConfig.tz)
def get_timezone(name: str) -> tzinfo | None:
    """An IANA time zone by name, or None when there is no such zone (see zone_problem).

    The zone is loaded from the database zone_problem checked the name in (zoneinfo),
    so a name it takes is always the zone read.
    """
    if name.upper() == "UTC":
        return UTC
    import zoneinfo

    if zone_problem(name) is not None:
        return None
    return zoneinfo.ZoneInfo(name)


# An IANA zone name: Area/Location words, never a path (a zone loader may read any file).
_ZONE_NAME = compiled_later(
    r"[A-Za-z][A-Za-z0-9_+-]{0,29}(?:/[A-Za-z0-9][A-Za-z0-9_+-]{0,29}){0,2}"
)
# Files in the zone folders that are not zones anyone means: the machine's own setting,
# the rules POSIX strings borrow, tzdata's "-00" placeholder, and copies of every zone
# under other names (posix/Europe/Berlin, right/UTC).
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
_NOT_ZONE_FOLDERS = ("posix/", "right/")
# A fixed offset written after a name or alone: "UTC+2", "CET+1", "GMT-05:00", "+0200".
_OFFSET = compiled_later(r"([+-])(\d{1,2})(?::?(\d\d))?$")
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
    ("Europe/Berlin") and "UTC". Not POSIX strings ("CET+1", "UTC+2"), which some
    tools take and which count offsets west of Greenwich as plus: "CET+1" is UTC-01:00."""
    if name.upper() == "UTC":
        return None
    import zoneinfo

    if _ZONE_NAME().fullmatch(name) and name not in _NOT_ZONES:
        if not name.startswith(_NOT_ZONE_FOLDERS):
            try:
                zoneinfo.ZoneInfo(name)
                return None
            except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
                pass  # no such zone, or a folder ("Europe")
    shown = name if len(name) <= 60 else name[:60] + "…"
    offset = _OFFSET().search(name)
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
    import difflib
    import zoneinfo

    # Only here, for a name that is wrong: listing every zone reads the zone folders.
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
            import zoneinfo

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
