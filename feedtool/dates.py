"""Reading the many ways people write dates, always ending in an aware datetime."""

from __future__ import annotations

import reprlib
from datetime import UTC, date, datetime, time, tzinfo

# Two far-apart defaults: a date string that only parses the same way under both
# is complete. "March 3" would otherwise silently take today's year.
_DEFAULT_A = datetime(2001, 2, 3, 4, 5, 6)
_DEFAULT_B = datetime(2011, 12, 13, 14, 15, 16)
_KINDS = {int: "a number", float: "a number", list: "a list", dict: "a mapping"}


def get_timezone(name: str) -> tzinfo | None:
    """An IANA time zone by name, or None when there is no such zone."""
    if name.upper() == "UTC":
        return UTC
    # dateutil is imported where needed: the usual ISO dates never need it, and
    # loading it is a good part of a "nothing changed" build's time.
    from dateutil import tz as dateutil_tz

    return dateutil_tz.gettz(name)


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
        kind = "true/false" if isinstance(value, bool) else _KINDS.get(type(value))
        raise ValueError(
            f"expected a date, got {kind or type(value).__name__} ({reprlib.repr(value)})"
        )
    if result.tzinfo is None or result.utcoffset() is None:
        result = result.replace(tzinfo=tz)
    return result


def _parse_text(text: str) -> datetime:
    if not text:
        raise ValueError("empty date")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    import email.utils

    from dateutil import parser as dateutil_parser

    try:
        rfc2822 = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        rfc2822 = None
    if rfc2822 is not None:
        return rfc2822
    try:
        first = dateutil_parser.parse(text, default=_DEFAULT_A)
        second = dateutil_parser.parse(text, default=_DEFAULT_B)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f'cannot read "{text}" as a date') from exc
    if first.date() != second.date():
        raise ValueError(f'"{text}" is not a whole date (year, month and day are needed)')
    if first != second:
        # Date complete, time partly given ("2025-08-16 9"): keep what was given, zero the rest.
        return dateutil_parser.parse(text, default=datetime(2000, 1, 1))
    return first
