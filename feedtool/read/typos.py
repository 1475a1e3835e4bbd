"""Typos in front matter keys: ``drafft: true`` would otherwise publish a draft, silently.

A key feedtool does not read is ignored (front matter written for another generator or a
theme keeps working), unless it is one edit away from one of feedtool's own keys and no
supported generator reads it (foreign.py): then it is almost surely a typo.
"""

from __future__ import annotations

from collections.abc import Iterable

from feedtool.read.foreign import ALL_FOREIGN_KEYS
from feedtool.values.checks import did_you_mean, one_edit_apart

__all__ = ["did_you_mean", "meant", "one_edit_apart"]


def meant(key: object, known: Iterable[str]) -> list[str]:
    """The keys of ``known`` that ``key`` is a typo of (none for a key that is known, that
    another generator reads, or that is not one edit away from any)."""
    if not isinstance(key, str) or key in ALL_FOREIGN_KEYS:
        return []
    return sorted(name for name in known if one_edit_apart(key, name))
