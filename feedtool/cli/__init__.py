"""The command line: flags in, plain function calls out. The only package that imports click.

Exit codes: 0 success; 1 bad content or config, or (with --check) feeds out of
date; 2 bad usage; 3 an internal error (a bug: run again with --debug).

_group.py holds the group and what the commands share; each other module registers
its commands on the group when it is imported, which the group does when a command is
run (a build loads no other command's module). quick.py answers a build with nothing to
do before any of it is loaded.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from feedtool.cli._group import (
        EXIT_INTERNAL,
        EXIT_PROBLEM,
        Timestamp,
        cli,
        config_option,
        content_option,
        output_option,
        reports_errors,
    )

__all__ = [
    "EXIT_INTERNAL",
    "EXIT_PROBLEM",
    "Timestamp",
    "cli",
    "config_option",
    "content_option",
    "main",
    "output_option",
    "reports_errors",
    "run",
]


def __getattr__(name: str) -> Any:
    """The names above, from _group, with every command registered on cli."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from feedtool.cli import _group

    _group.load_every_command()
    return getattr(_group, name)


def run() -> None:
    """The feedtool script (see pyproject.toml) and python -m feedtool: main(), and for a
    build, the process's end at once.

    A build leaves hundreds of thousands of objects (a big site's articles, in the cache),
    which returning from it and then Python's own exit would take apart one by one, for
    nothing (docs/speed.md): the build hands them to ``kept``, and once its output is
    flushed the process ends with them. It has nothing left to do: every file it wrote is
    closed and renamed, its helper processes are reaped. Anything else ends the way
    Python always ends it: other commands, an exit status that is not a number, output that
    cannot be flushed, an exit handler some library registered (logging's, when docutils
    loads PIL for a reST site), a profiler or tracer that reports at exit.
    """
    build = sys.argv[1:2] == ["build"]
    kept: list[object] = []  # what the build made: held here until os._exit below
    try:
        _main(kept)
        code = 0
    except SystemExit as exc:
        if not build or not isinstance(exc.code, int | None):
            raise
        code = exc.code or 0
    if not build or not _nothing_left_at_exit():
        raise SystemExit(code)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: no console (pythonw)
                stream.flush()
    except (OSError, ValueError):  # a closed pipe: Python's exit says so, as it always did
        raise SystemExit(code) from None
    os._exit(code)


def _nothing_left_at_exit() -> bool:
    """Whether Python's exit would run nothing of anyone's: no exit handler (atexit has no
    public count: its CPython helper is asked, and without it the answer is no), no
    profiler or tracer."""
    handlers = getattr(atexit, "_ncallbacks", None)
    return (
        handlers is not None
        and handlers() == 0
        and sys.getprofile() is None
        and sys.gettrace() is None
    )


def main() -> None:
    """The command line as a function (run() is the script). Raises SystemExit with the
    exit status, as click does."""
    _main(None)


def _main(kept: list[object] | None) -> None:
    """main(); a build hands what it made to ``kept`` (see run)."""
    argv = sys.argv[1:]
    invocation = None
    if argv[:1] == ["build"]:  # the one command quick.py answers: no other loads it
        from feedtool.cli import quick

        looked = quick.look(argv)
        if looked.answered:
            # The process ends now: what it made is left out of the collector's last pass,
            # at exit, as after a build (cli/build.py).
            gc.freeze()
            return
        invocation = quick.Invocation(tuple(argv), looked.listed, kept)
    from feedtool.cli import _group, interrupts

    interrupts.process_ends_with_command()
    _group.cli(args=argv, prog_name="feedtool", obj=invocation)
