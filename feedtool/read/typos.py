"""Typos in front matter keys: ``drafft: true`` would otherwise publish a draft, silently.

A key feedtool does not read is ignored (front matter written for another generator or a
theme keeps working), unless it is one edit away from one of feedtool's own keys and no
supported generator reads it (foreign.py): then it is almost surely a typo.
"""

from __future__ import annotations

from collections.abc import Iterable

from feedtool.read.foreign import ALL_FOREIGN_KEYS


def one_edit_apart(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one edit: a character inserted, dropped
    or changed, or two neighbours swapped (Damerau-Levenshtein distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i in range(len(a)) if a[i] != b[i]]
        if len(differ) == 1:
            return True
        first, second = differ[0], differ[-1]
        return (
            len(differ) == 2
            and second == first + 1
            and a[first] == b[second]
            and a[second] == b[first]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def meant(key: object, known: Iterable[str]) -> list[str]:
    """The keys of ``known`` that ``key`` is a typo of (none for a key that is known, that
    another generator reads, or that is not one edit away from any)."""
    if not isinstance(key, str) or key in ALL_FOREIGN_KEYS:
        return []
    return sorted(name for name in known if one_edit_apart(key, name))
