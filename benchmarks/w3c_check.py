"""Run the W3C Feed Validation Service's rules over feed files and print errors and warnings.

Usage: python benchmarks/w3c_check.py PATH-TO-feedvalidator-CHECKOUT FEED...

The validator is not part of feedtool: fetch w3c/feedvalidator beside the project
(its Python 3 code needs html5lib, rdflib and lxml). Exit 1 when any feed has errors.
"""

from __future__ import annotations

import sys
from pathlib import Path


def check(validator_dir: Path, feed: Path, base: str | None = None) -> tuple[list[str], list[str]]:
    """(errors, warnings) as 'line N: message' strings, the way the online service sorts them."""
    sys.path.insert(0, str(validator_dir / "src"))
    import feedvalidator  # type: ignore[import-not-found]
    from feedvalidator import compatibility  # type: ignore[import-not-found]
    from feedvalidator.formatter.text_plain import Formatter  # type: ignore[import-not-found]
    from feedvalidator.logging import Error, Warning  # type: ignore[import-not-found]

    with feed.open("rb") as stream:
        try:
            events = feedvalidator.validateStream(
                stream, firstOccurrenceOnly=1, base=base or feed.resolve().as_uri()
            )["loggedEvents"]
        except feedvalidator.logging.ValidationFailure as failure:
            events = [failure.event]
    events = compatibility.AA(events)
    errors = [e for e in events if isinstance(e, Error)]
    warnings = [e for e in events if isinstance(e, Warning)]
    return list(Formatter(errors)), list(Formatter(warnings))


def main() -> int:
    validator_dir = Path(sys.argv[1])
    failed = False
    for name in sys.argv[2:]:
        errors, warnings = check(validator_dir, Path(name))
        print(f"{name}: {len(errors)} error(s), {len(warnings)} warning(s)")
        for line in errors:
            print(f"  error: {line}")
        for line in warnings:
            print(f"  warning: {line}")
        failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
