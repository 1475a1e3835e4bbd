"""The command line: flags in, plain function calls out. The only package that imports click.

Exit codes: 0 success; 1 bad content or config, or (with --check) feeds out of
date; 2 bad usage; 3 an internal error (a bug: run again with --debug).

_group.py holds the group and what the commands share; each other module registers
its commands on the group when it is imported, which the group does when a command is
run (a build loads no other command's module). quick.py answers a build with nothing to
do before any of it is loaded.
"""

from __future__ import annotations

import gc
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
]


def __getattr__(name: str) -> Any:
    """The names above, from _group, with every command registered on cli."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from feedtool.cli import _group

    _group.load_every_command()
    return getattr(_group, name)


def main() -> None:
    """The feedtool script (see pyproject.toml) and python -m feedtool."""
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
        invocation = quick.Invocation(tuple(argv), looked.listed)
    from feedtool.cli import _group, interrupts

    interrupts.process_ends_with_command()
    _group.cli(args=argv, prog_name="feedtool", obj=invocation)
