from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from feedtool.dates import get_timezone, parse_date

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
