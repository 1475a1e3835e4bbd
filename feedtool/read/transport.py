"""Articles read by a helper process, sent back to the build as JSON (parallel.Transport).

A first build reads most of its articles in forked helpers (read/metadata.py), and each
article comes back through a pipe. Pickle rebuilds every record of it by a call, which cost
about as much as reading its front matter; msgspec writes and reads the same records in C,
typed as ``Loaded`` (figures in docs/speed.md).

**Rule.** Only what comes back the very same goes this way: equal, and alike in every printed
detail (the types, each time's zone), since which process reads an article is chance and the
output must not depend on it. That is articles alone (problems are exceptions), text that has
UTF-8, no subclass of a plain type (the hook refuses them: frontmatter's WrittenInt would come
back an int), and times whose zone JSON keeps: UTC, or an offset of whole minutes that has no
name. Anything else goes by pickle. Every time an article can hold is one of
model.ARTICLE_TIMES; a test walks model.py's records to hold that.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import msgspec

from feedtool.errors import FeedtoolError
from feedtool.model import ARTICLE_TIMES
from feedtool.read.record import Loaded

# What a helper gives for one source: the article, or the problems that kept it out.
Outcome = Loaded | list[FeedtoolError]


class LoadedAsJson:
    """Outcomes as JSON where they come back alike (see the module's rule), else None."""

    def __init__(self) -> None:
        self._decoder: msgspec.json.Decoder[list[Loaded]] | None = None

    def dumps(self, results: list[Outcome], /) -> bytes | None:
        for outcome in results:
            if outcome.__class__ is not Loaded:
                return None
            article = outcome.article
            for name in ARTICLE_TIMES:
                moment = getattr(article, name)
                if moment is not None and not _kept_in_json(moment):
                    return None
        try:
            return msgspec.json.encode(results, enc_hook=_refuse)
        except (TypeError, ValueError, OverflowError, NotImplementedError):
            return None  # UnicodeEncodeError (text with surrogates) is a ValueError

    def loads(self, data: bytes | memoryview, /) -> list[Outcome]:
        if self._decoder is None:
            self._decoder = msgspec.json.Decoder(list[Loaded])
        return list(self._decoder.decode(data))


def _refuse(value: object) -> object:
    raise NotImplementedError(f"{type(value).__name__} goes by pickle")


def _kept_in_json(moment: datetime) -> bool:
    """Whether JSON gives ``moment`` back alike: its zone UTC or a plain offset (a zone
    with a name, or an offset with seconds, would come back otherwise)."""
    zone = moment.tzinfo
    if moment.fold:
        return False
    if zone is UTC:
        return True
    if zone.__class__ is not timezone:
        return False  # a named zone (zoneinfo), or dateutil's
    # By the zone's repr, which is what must come back: two zones alike in offset and
    # name may differ in it (a name that spells the default one).
    shown = repr(zone)
    plain = _PLAIN_OFFSETS.get(shown)
    if plain is None:
        offset = zone.utcoffset(None)
        plain = _PLAIN_OFFSETS[shown] = (
            offset is not None
            and offset % timedelta(minutes=1) == timedelta(0)
            and shown == repr(timezone(offset))
        )
    return plain


_PLAIN_OFFSETS: dict[str, bool] = {}  # a zone's repr -> whether JSON keeps it
