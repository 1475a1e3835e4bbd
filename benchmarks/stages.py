"""Run ``feedtool build`` with the wall time of each pipeline stage printed on stderr.

The stage functions are wrapped with a timer before the command line runs (no profiler:
its overhead would change the shares). Times are those of the main process: work shared
with forked helpers counts once, as the wait for it. Stages nest (validation runs inside
rendering; the cache's write of articles runs in a helper beside rendering), so the
lines do not add up to the whole; "other" is the whole minus the top-level stages.

Usage: python benchmarks/stages.py BUILD-ARGUMENTS...   (bench.py --stages runs it)
"""

from __future__ import annotations

import atexit
import functools
import importlib
import sys
import time
from collections.abc import Callable
from typing import Any

STARTED = time.perf_counter()

# (label, module, attribute path), in the order a build runs them; "  " marks a part of
# the stage above it.
STAGES = [
    ("read articles", "feedtool.read.content", "read"),
    ("  load renderers (lxml, feedgen...)", "feedtool.pipeline", "_load_renderers"),
    ("select (and check ids)", "feedtool.pipeline", "_select"),
    ("  read the ledger", "feedtool.publish.ledger", "read_ledger"),
    ("read and render bodies", "feedtool.pipeline", "_bodies"),
    ("render and validate files", "feedtool.pipeline", "_render"),
    ("publish", "feedtool.publish.write", "write"),
    ("  write files", "feedtool.publish.write", "write_files"),
    ("  write the ledger", "feedtool.publish.ledger", "record"),
    ("save the cache", "feedtool.cache.store", "DiskCache.finish"),
]
TOP = {label for label, _, _ in STAGES if not label.startswith(" ")}
spent: dict[str, float] = {}


def timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - start

    return wrapper


def report() -> None:
    whole = time.perf_counter() - STARTED
    lines = [f"{'whole process':<40} {whole:7.3f} s"]
    lines.append(f"{'  start-up (Python, imports, config)':<40} {spent.get('start', 0.0):7.3f} s")
    for label, _, _ in STAGES:
        if label in spent:
            lines.append(f"{label:<40} {spent[label]:7.3f} s")
    other = whole - spent.get("start", 0.0) - sum(v for k, v in spent.items() if k in TOP)
    lines.append(f"{'other (listing, planning, state...)':<40} {other:7.3f} s")
    print("\n".join(lines), file=sys.stderr)


def main() -> None:
    from feedtool.cli import main as cli

    for label, module_name, path in STAGES:
        owner: Any = importlib.import_module(module_name)
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        setattr(owner, name, timed(label, getattr(owner, name)))
    command = importlib.import_module("feedtool.cli.build")  # calls the pipeline's build()
    build = command.build_feeds

    def first(*args: Any, **kwargs: Any) -> Any:
        spent["start"] = time.perf_counter() - STARTED
        return build(*args, **kwargs)

    command.build_feeds = first
    atexit.register(report)
    sys.argv = ["feedtool", "build", *sys.argv[1:]]
    cli()


if __name__ == "__main__":
    main()
