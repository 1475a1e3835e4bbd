from __future__ import annotations

import re
import time as time_module
from datetime import UTC, date, datetime, timedelta

import pytest

from feedtool.read.dates import parse_date
from feedtool.values.zones import get_timezone

BERLIN = get_timezone("Europe/Berlin")
assert BERLIN is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-08-16T09:30:00-08:00", datetime(2025, 8, 16, 17, 30, tzinfo=UTC)),
        ("2025-08-16T17:30:00Z", datetime(2025, 8, 16, 17, 30, tzinfo=UTC)),
        ("Sat, 16 Aug 2025 17:30:00 +0000", datetime(2025, 8, 16, 17, 30, tzinfo=UTC)),
        ("16 August 2025 19:30", datetime(2025, 8, 16, 17, 30, tzinfo=UTC)),  # summer: UTC+2
        ("2025-01-16 10:00", datetime(2025, 1, 16, 9, 0, tzinfo=UTC)),  # winter: UTC+1
        ("2001-12-14 21:59:43.10 -5", datetime(2001, 12, 15, 2, 59, 43, 100000, tzinfo=UTC)),
        (date(2025, 8, 16), datetime(2025, 8, 15, 22, 0, tzinfo=UTC)),
        (datetime(2025, 8, 16, 12, 0), datetime(2025, 8, 16, 10, 0, tzinfo=UTC)),
        (datetime(2025, 8, 16, 12, 0, tzinfo=UTC), datetime(2025, 8, 16, 12, 0, tzinfo=UTC)),
    ],
)
def test_dates_in_every_form(value: object, expected: datetime) -> None:
    result = parse_date(value, BERLIN)  # type: ignore[arg-type]
    assert result.tzinfo is not None
    assert result == expected


@pytest.mark.parametrize(
    "value", ["next tuesday", "", "2025-13-01", "2025-02-30", "March", 42, None, ["2025"]]
)
def test_not_dates(value: object) -> None:
    with pytest.raises(ValueError):
        parse_date(value, UTC)


def test_unknown_time_zone() -> None:
    assert get_timezone("Mars/Olympus") is None
    assert get_timezone("utc") is UTC
    berlin = get_timezone("Europe/Berlin")
    assert berlin is not None and berlin.utcoffset(datetime(2025, 1, 1)) == timedelta(hours=1)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("10/11/2025", '"10/11/2025" could be 11 October 2025 or 10 November 2025: write it'),
        ("03.04.2025 10:00", "could be 4 March 2025 or 3 April 2025"),
        ("10/11/25", "could be "),
        ("25/12/10", "could be 25 December 2010, 12 October 2025 or 10 December 2025"),
        ("10 Nov 11", "could be 11 November 2010 or 10 November 2011"),
        ("Fri, 01 Nov 2025 09:00:00 +0100", "says Friday, but 1 November 2025 is a Saturday"),
        ("Fri,01 Nov 2025 09:00 +0000", "says Friday, but 1 November 2025 is a Saturday"),
        ("Monday 4 March 2025", "says Monday, but 4 March 2025 is a Tuesday"),
        ("2025-11-01 Fri", "says Friday"),
        ("1 Nov 2025 friday", "says Friday"),
    ],
)  # fmt: skip
def test_dates_that_could_be_published_on_the_wrong_day_are_refused(
    value: str, message: str
) -> None:
    # Read one way, a reader in another country would see another day: say so instead.
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_date(value, UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13/11/2025", date(2025, 11, 13)),  # only one way to read it
        ("11/13/2025", date(2025, 11, 13)),
        ("1/1/2025", date(2025, 1, 1)),  # both ways the same day
        ("2025/03/04", date(2025, 3, 4)),  # a four-digit year first is year, month, day
        ("20250304", date(2025, 3, 4)),
        ("Tue 2025/03/04", date(2025, 3, 4)),
        ("10:11 2025/03/04", date(2025, 3, 4)),
        ("March 4, 2025", date(2025, 3, 4)),
        ("Sat, 01 Nov 2025 09:00:00 +0100", date(2025, 11, 1)),
        ("SAT, 01 Nov 2025 09:00:00 +0100", date(2025, 11, 1)),
        ("Tue 4 March 2025", date(2025, 3, 4)),
    ],
)
def test_dates_with_one_reading_are_read(value: str, expected: date) -> None:
    assert parse_date(value, UTC).date() == expected


def test_an_offset_with_a_colon_is_kept() -> None:
    # Not RFC 2822's form, so its parser drops it; the time must not move to the site's zone.
    kept = parse_date("Sat, 01 Nov 2025 23:30:00 -05:00", BERLIN)
    assert kept == datetime(2025, 11, 2, 4, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1 Nov 2025 09:00 UTC+1", datetime(2025, 11, 1, 8, 0, tzinfo=UTC)),  # as people mean it
        ("1 Nov 2025 23:30 GMT+3", datetime(2025, 11, 1, 20, 30, tzinfo=UTC)),
        ("1 Nov 2025 09:00 UTC-05:30", datetime(2025, 11, 1, 14, 30, tzinfo=UTC)),
        ("1 Nov 2025 09:00 UTC", datetime(2025, 11, 1, 9, 0, tzinfo=UTC)),
        ("1 Nov 2025 09:00 z", datetime(2025, 11, 1, 9, 0, tzinfo=UTC)),
        ("1 Nov 2025 09:00 EST", datetime(2025, 11, 1, 14, 0, tzinfo=UTC)),  # RFC 822's names
        ("November 1, 2025 9:00 PM est", datetime(2025, 11, 2, 2, 0, tzinfo=UTC)),
        ("2025-11-01 09:00 PDT", datetime(2025, 11, 1, 16, 0, tzinfo=UTC)),
        ("1 Nov 2025 09:00 UTC +1", datetime(2025, 11, 1, 8, 0, tzinfo=UTC)),
        ("Sat, 01 Nov 2025 09:00:00 GMT +0100", datetime(2025, 11, 1, 8, 0, tzinfo=UTC)),
        ("2025-11-01T09:00UTC+1", datetime(2025, 11, 1, 8, 0, tzinfo=UTC)),
        ("2025-11-01 09:00 +01:00 (CET)", datetime(2025, 11, 1, 8, 0, tzinfo=UTC)),  # offset wins
        ("1 Nov 2025 09:00 -5", datetime(2025, 11, 1, 14, 0, tzinfo=UTC)),  # hours, not minutes
        ("1 Nov 2025 09:00 utc", datetime(2025, 11, 1, 9, 0, tzinfo=UTC)),
    ],
)
def test_zones_people_write(value: str, expected: datetime) -> None:
    assert parse_date(value, BERLIN) == expected


@pytest.mark.parametrize("zone", ["CET", "BST", "IST"])
def test_zone_names_that_could_mean_several_zones_are_refused(
    zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not dropped (the time would move to the site's zone) and not taken as this
    # machine's zone when that has the name: the result would depend on the machine.
    monkeypatch.setattr(time_module, "tzname", (zone, zone))
    with pytest.raises(ValueError, match=f'the time zone "{zone}" is not known'):
        parse_date(f"1 Nov 2025 09:00 {zone}", BERLIN)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-11-31", 'cannot read "2025-11-31" as a date (day is out of range for month)'),
        (2025, "a year alone is not a date; write it as 2025-MM-DD"),
        (20251101, 'to mean a day, write it as "20251101" or with dashes'),
        ("Friday 1 November 2025", "correct one of the two, or write 2025-11-01"),
    ],
)
def test_refusals_say_how_to_fix_them(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_date(value, UTC)
