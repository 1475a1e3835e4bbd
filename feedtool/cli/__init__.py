"""The command line: flags in, plain function calls out. The only package that imports click.

Exit codes: 0 success; 1 bad content or config, or (with --check) feeds out of
date; 2 bad usage; 3 an internal error (a bug: run again with --debug).

_group.py holds the group and what the commands share; each other module registers
its commands on the group when it is imported, below.
"""

from __future__ import annotations

# Commands import what only they need when they run (serve its HTTP server, validate
# lxml, ...): every command, and above all a build with nothing to do, starts faster.
# Importing a command module registers its commands on cli.
from feedtool.cli import build, ids, interrupts, links, scaffold, serve, validate  # noqa: F401
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


def main() -> None:
    """The feedtool script (see pyproject.toml) and python -m feedtool."""
    interrupts.process_ends_with_command()
    cli(prog_name="feedtool")
