"""The few exceptions feedtool raises on purpose.

Each carries where the problem is (file, line, field) so the command line can
print one line a person understands: ``content/post.md:3: date: cannot read "x"``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from feedtool.values.patterns import compiled_later

if TYPE_CHECKING:
    from pathlib import Path  # the quick check loads no pathlib (see cli/quick.py)

# Characters that would break "one line per problem" or play tricks on a terminal
# when a message quotes hostile input: line breaks, other control characters
# (ESC starts terminal escape sequences), lone surrogates (unprintable, and
# file names that are not UTF-8 come back from the OS as them), and the bidi
# controls that make text display in an order other than the one it has.
_UNPRINTABLE = compiled_later(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` on one line, with unprintable characters shown as escapes (``\\x1b``)."""

    def escape(match: re.Match[str]) -> str:
        char = match[0]
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            code -= 0xDC00  # a byte of a name that is not UTF-8: show the byte (caf\xe9.md)
        return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")

    return _UNPRINTABLE().sub(escape, text)


class FeedtoolError(Exception):
    """A problem with the user's input or environment, not a bug in feedtool."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
        parameter: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        # The library parameter the problem is about ("content_dir", "keep_going"...):
        # messages never name a command-line flag; the command line words its own.
        self.parameter = parameter

    def __str__(self) -> str:
        """One printable line: ``path:line: field: message``."""
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        field = f"{self.field}: " if self.field else ""
        return printable(f"{where}{field}{self.message}")


class ContentError(FeedtoolError):
    """An article that cannot be read or makes no sense."""


class NothingToPublish(ContentError):
    """A build would publish no article over feeds that have some (see pipeline.build)."""


class ConfigError(FeedtoolError):
    """A feedtool.toml that cannot be used."""


class PublishError(FeedtoolError):
    """The output folder cannot be written, or what would be written is invalid."""


class ManyErrors(FeedtoolError):
    """Every problem found in one run, reported together."""

    def __init__(self, errors: Sequence[FeedtoolError]) -> None:
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)} problem(s)")

    def __str__(self) -> str:
        """One line per problem."""
        return "\n".join(str(e) for e in self.errors)


def raise_all(problems: Sequence[FeedtoolError]) -> None:
    """Raise the one problem, or all of them together; nothing when there are none."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ManyErrors(problems)


class Notice(FeedtoolError):
    """Something in the content a person should know of that does not stop a build
    (template syntax dropped from a body, say): printed as a warning."""
