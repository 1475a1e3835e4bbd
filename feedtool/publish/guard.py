"""Never replace feeds that have items with empty ones by accident.

A build that publishes no article at all, over an output folder whose feeds have items,
is far more often a mistake (an empty checkout, a wrong content folder, every article
marked as a draft by a script) than a wish: subscribers' readers would show nothing
new, and every per-tag feed would be removed. Only publish reads the output folder, so
the question "did the published feeds have items?" is answered here.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from feedtool.errors import PublishError
from feedtool.publish.paths import target

# An RSS <item> or an Atom <entry>, with or without a namespace prefix (<atom:entry>).
# Markup inside text is escaped (&lt;item>), so a match is an element.
_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]")


def feed_with_items(output_dir: Path, feeds: Iterable[str]) -> str | None:
    """The first of ``feeds`` (paths relative to ``output_dir``) that is published there
    and has at least one item, or None."""
    for relative in feeds:
        data = _read(output_dir, relative)
        if data is not None and _has_items(data):
            return relative
    return None


def _read(output_dir: Path, relative: str) -> bytes | None:
    try:
        path = target(output_dir, relative)  # never through a link that leads outside
        if not stat.S_ISREG(os.stat(path).st_mode):  # reading a FIFO would wait for ever
            return None
        return path.read_bytes()
    except (OSError, PublishError):
        return None


def _has_items(data: bytes) -> bool:
    if data.lstrip()[:1] == b"{":
        try:
            items = json.loads(data).get("items")
        except (ValueError, AttributeError):
            return False
        return isinstance(items, list) and bool(items)
    return _ITEM.search(data) is not None
