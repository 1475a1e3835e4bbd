"""Feed validation: RSS 2.0, Atom 1.0 and JSON Feed, from feedtool or from anywhere.

Checks what the W3C Feed Validation Service checks for the problems that matter to
readers: well-formedness, required elements, dates, URLs, unique ids, self links,
enclosures, text constructs. One module per format; no network, one parse per file.
"""

from __future__ import annotations

from feedtool.validators.common import Problem
from feedtool.validators.document import Checked, examine_document
from feedtool.validators.folders import (
    FEED_SUFFIXES,
    Report,
    validate_files,
    validate_output,
    validate_output_file,
)


def validate_document(data: bytes, url: str | None = None, *, name: str = "feed") -> list[Problem]:
    """What is wrong with one feed document (RSS 2.0, Atom 1.0 or JSON Feed): bytes in,
    problems out. ``url`` is where it is published, so its self link is checked too;
    ``name`` is the file name the problems carry. A document that is no feed at all gives
    one error saying what it looks like instead."""
    checked = examine_document(data, url)
    if checked.kind is None:
        return [Problem(name, 1, "error", "not-a-feed", f"not a feed: {checked.reason}")]
    return checked.findings.problems(name)


__all__ = [
    "FEED_SUFFIXES",
    "Checked",
    "Problem",
    "Report",
    "examine_document",
    "validate_output_file",
    "validate_files",
    "validate_document",
    "validate_output",
]
