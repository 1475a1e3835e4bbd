"""Feed validation: RSS 2.0, Atom 1.0 and JSON Feed, from feedtool or from anywhere.

Checks what the W3C Feed Validation Service checks for the problems that matter to
readers: well-formedness, required elements, dates, URLs, unique ids, self links,
enclosures, text constructs. One module per format; no network, one parse per file.
"""

from __future__ import annotations

from feedtool.validate.common import Problem
from feedtool.validate.document import Checked, check_document
from feedtool.validate.files import (
    FEED_SUFFIXES,
    Report,
    check_rendered,
    validate_paths,
    validate_rendered,
)

__all__ = [
    "FEED_SUFFIXES",
    "Checked",
    "Problem",
    "Report",
    "check_document",
    "check_rendered",
    "validate_paths",
    "validate_rendered",
]
