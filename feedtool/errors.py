"""The few exceptions feedtool raises on purpose.

Each carries where the problem is (file, line, field) so the command line can
print one line a person understands: ``content/post.md:3: date: cannot read "x"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class FeedtoolError(Exception):
    """A problem with the user's input or environment, not a bug in feedtool."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class ContentError(FeedtoolError):
    """An article that cannot be read or makes no sense."""


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
        return "\n".join(str(e) for e in self.errors)
