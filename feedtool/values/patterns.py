"""Regular expressions compiled the first time they are used, not when their module loads.

Compiling a pattern costs more than most of what a build with one changed article runs,
and every command imports the modules that hold them. A pattern that only an unusual
value needs (a date that is not ISO 8601, a URN, a podcast tag) or only an error message
uses is written ``_NAME = compiled_later(r"...")`` beside its comment, and used as
``_NAME().match(...)``: a plain site's build then never compiles it. Patterns that every
build uses stay plain ``re.compile`` calls.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import AnyStr


def compiled_later(pattern: AnyStr, flags: int = 0) -> Callable[[], re.Pattern[AnyStr]]:
    """A function giving ``re.compile(pattern, flags)``, compiled on its first call only."""

    @functools.cache
    def compiled() -> re.Pattern[AnyStr]:
        return re.compile(pattern, flags)

    return compiled
