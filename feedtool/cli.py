"""The command line: flags in, plain function calls out. The only module that imports click.

Exit codes: 0 success; 1 bad content or config, or (with --check) feeds out of
date; 2 bad usage; 3 an internal error (a bug: run again with --debug).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .build import build as build_feeds
from .config import load_config
from .dates import parse_date
from .errors import FeedtoolError

EXIT_PROBLEM = 1
EXIT_INTERNAL = 3

F = TypeVar("F", bound=Callable[..., Any])


class Timestamp(click.ParamType):  # type: ignore[type-arg]
    """An ISO 8601 (or any readable) time; without an offset it is taken as UTC."""

    name = "ISO8601"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        try:
            return parse_date(value, UTC)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _reports_errors(command: F) -> F:
    """Turn FeedtoolErrors into one line each and exit 1; anything else is a bug: exit 3."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return command(*args, **kwargs)
        except FeedtoolError as exc:
            for line in str(exc).splitlines():
                click.echo(f"error: {line}", err=True)
            ctx.exit(EXIT_PROBLEM)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
            if ctx.find_root().params.get("debug"):
                traceback.print_exc()
            click.echo(
                f"internal error: {type(exc).__name__}: {exc} (this is a bug in feedtool; "
                "run again with --debug for the traceback)",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="feedtool")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def cli(debug: bool) -> None:
    """Publish RSS 2.0 and Atom 1.0 feeds from a folder of articles."""


@cli.command()
@click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="content",
    show_default=True,
    help="Folder of articles.",
)
@click.option(
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="feeds",
    show_default=True,
    help="Folder the feeds are written to.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default="feedtool.toml",
    show_default=True,
    help="Site configuration file.",
)
@click.option(
    "--now",
    type=Timestamp(),
    default=None,
    help="Build as if it were this time (posts dated later are left out). Default: the clock.",
)
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 if a build would change the feeds."
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Leave out bad articles (a warning each) and publish the rest, instead of failing.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@_reports_errors
def build(
    content_dir: Path,
    output_dir: Path,
    config_path: Path,
    now: datetime | None,
    check: bool,
    keep_going: bool,
    quiet: bool,
) -> None:
    """Build the feeds in OUTPUT from the articles in CONTENT."""
    config = load_config(config_path)
    result = build_feeds(
        content_dir,
        output_dir,
        config,
        now or datetime.now(UTC),
        check=check,
        keep_going=keep_going,
    )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if check:
        for path in result.changed:
            click.echo(f"would change: {output_dir / path}")
        if result.changed:
            sys.exit(EXIT_PROBLEM)
        if not quiet:
            click.echo(f"{output_dir} is up to date ({len(result.files)} files).")
        return
    if not quiet:
        for path in result.changed:
            click.echo(f"wrote {output_dir / path}")
        skipped = f", {result.skipped} skipped (see the warnings)" if result.skipped else ""
        click.echo(
            f"{result.articles} article(s) published{skipped}; {len(result.changed)} of "
            f"{len(result.files)} file(s) changed in {output_dir}."
        )


def main() -> None:
    cli(prog_name="feedtool")
