"""How often `feedtool validate` agrees with the W3C Feed Validation Service on its own test suite.

Usage: python benchmarks/w3c_suite.py PATH-TO-feedvalidator-CHECKOUT [--list] [SUITE...]

Runs the W3C validator (as benchmarks/w3c_check.py does) and feedtool's validator over
every feed in the checkout's testcases/rss20 and testcases/atom folders (or the SUITEs
named, folders under testcases/: EXTENSIONS are the extension vocabularies'), and compares
verdicts: "has errors" or "has none". Prints the agreement, the false alarms (feedtool
says error, W3C accepts the feed) as a share of the feeds W3C accepts, the misses, and
timings. --list names every file where the two disagree.

Each test case also states in an "Expect:" comment which message W3C should give. When
that message is an error (or "!Error": no error at all) the header fixes the verdict, and
the script checks the W3C run agrees with it; other headers name a warning or say one
particular error is absent, which leaves the verdict to the validator run.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from w3c_check import check as w3c_check  # noqa: E402

from feedtool.validators import examine_document  # noqa: E402

SUITES = ("rss20", "atom")
# Extension vocabularies RSS feeds carry: iTunes, Media RSS, GeoRSS, and (in rss/) Dublin
# Core, content, slash, creativeCommons and older modules.
EXTENSIONS = ("ext/itunes", "ext/media", "ext/georss", "rss")
_EXPECT = re.compile(r"<!--\s*Description:\s*(.*?)\s*Expect:\s*(!?)(\w*)(?:{(.*?)})?\s*-->", re.S)


def header_verdict(text: str) -> bool | None:
    """True/False when the Expect: header alone says whether W3C finds errors, else None."""
    import feedvalidator  # type: ignore[import-not-found]
    from feedvalidator.logging import Error  # type: ignore[import-not-found]

    match = _EXPECT.search(text)
    if not match:
        return None
    negated, name = match.group(2) == "!", match.group(3)
    event = getattr(feedvalidator, name, None)
    if not isinstance(event, type):
        return None
    if not negated and issubclass(event, Error):
        return True  # "Expect: SomeError": the feed has at least that error
    if negated and issubclass(Error, event):
        return False  # "Expect: !Error" (or !Message): no error of any kind
    return None


def _lines(w3c_messages: list[str]) -> set[int]:
    return {int(m.group(1)) for text in w3c_messages if (m := re.match(r"line (\d+)", text))}


def main() -> int:
    """Run both validators over the suite and print the figures."""
    validator_dir = Path(sys.argv[1])
    sys.path.insert(0, str(validator_dir / "src"))
    listing = "--list" in sys.argv[2:]
    named = [arg for arg in sys.argv[2:] if not arg.startswith("--")]
    suites = [s for name in named for s in (EXTENSIONS if name == "EXTENSIONS" else (name,))]
    suites = suites or list(SUITES)
    files = sorted(
        path for suite in suites for path in (validator_dir / "testcases" / suite).rglob("*.xml")
    )
    w3c_time = ours_time = 0.0
    header_checked = header_agrees = open_rejected = 0
    rows = []
    for path in files:
        data = path.read_bytes()
        start = time.perf_counter()
        w3c_errors, _ = w3c_check(validator_dir, path)
        w3c_time += time.perf_counter() - start
        start = time.perf_counter()
        checked = examine_document(data)
        ours_time += time.perf_counter() - start
        our_errors = [p for p in checked.findings.problems(path.name) if p.level == "error"]
        if checked.kind is None:  # named on the command line, so "not a feed" is an error
            our_errors.append(None)  # type: ignore[arg-type]
        expected = header_verdict(data.decode("utf-8", "replace"))
        if expected is not None:
            header_checked += 1
            header_agrees += expected == bool(w3c_errors)
        else:
            open_rejected += bool(w3c_errors)
        rows.append((path, bool(w3c_errors), bool(our_errors), w3c_errors, our_errors))

    total = len(rows)
    w3c_rejects = sum(1 for r in rows if r[1])
    accepted = total - w3c_rejects
    agree = sum(1 for r in rows if r[1] == r[2])
    false_alarms = [r for r in rows if r[2] and not r[1]]
    misses = [r for r in rows if r[1] and not r[2]]
    print(f"W3C test cases: {total} feeds ({', '.join(suites)}); W3C rejects {w3c_rejects}")
    print(
        f"Expect: headers: {header_checked} fix the verdict, and the W3C run agrees on "
        f"{header_agrees}; the other {total - header_checked} name a warning or one absent "
        f"error, and the W3C run rejects {open_rejected} of those"
    )
    print(f"agreement:    {agree}/{total} = {100 * agree / total:.1f}%")
    print(
        f"false alarms: {len(false_alarms)}/{accepted} accepted feeds = "
        f"{100 * len(false_alarms) / accepted:.1f}%"
    )
    print(
        f"misses:       {len(misses)}/{w3c_rejects} rejected feeds = "
        f"{100 * len(misses) / w3c_rejects:.1f}%"
    )
    both = [r for r in rows if r[1] and r[2]]
    same_line = sum(1 for r in both if _lines(r[3]) & {p.line for p in r[4] if p is not None})
    print(
        f"same place:   of the {len(both)} feeds both reject, {same_line} have an error on a "
        "line W3C also names"
    )
    print(
        f"time:         W3C {w3c_time:.2f} s, feedtool {ours_time:.2f} s "
        f"({1000 * ours_time / total:.2f} ms per feed)"
    )
    for suite in suites:
        mine = [r for r in rows if r[0].is_relative_to(validator_dir / "testcases" / suite)]
        same = sum(1 for r in mine if r[1] == r[2])
        alarms = sum(1 for r in mine if r[2] and not r[1])
        missed = sum(1 for r in mine if r[1] and not r[2])
        print(f"  {suite}: {same}/{len(mine)} agree, {alarms} false alarm(s), {missed} miss(es)")
    if listing:
        for label, group in (("false alarm", false_alarms), ("miss", misses)):
            for path, _, _, w3c_errors, our_errors in group:
                print(f"{label}: {path.relative_to(validator_dir / 'testcases')}")
                for line in w3c_errors[:2]:
                    print(f"    W3C: {line}")
                for problem in our_errors[:2]:
                    print(f"    feedtool: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
