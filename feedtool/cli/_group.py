"""The group every command registers on, and what the commands share: turning errors into
exit codes, the time option type, and the --content, --output and --config options."""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from feedtool import __version__
from feedtool.errors import FeedtoolError, ManyErrors
from feedtool.read.dates import parse_date
from feedtool.values.choices import CONFIG_NAME, LEDGER_NAME

# Lazy imports: traceback is imported where --debug prints one: no build without a bug needs it.

EXIT_PROBLEM = 1
EXIT_INTERNAL = 3

F = TypeVar("F", bound=Callable[..., Any])


# Each command's module: imported when the command is run (or listed), so that a build
# loads none of the others' (the server, the scaffolds, the validator's CLI).
COMMANDS = {
    "build": "build",
    "ids": "ids",
    "init": "scaffold",
    "links": "links",
    "new": "scaffold",
    "serve": "serve",
    "validate": "validate",
}


class LazyGroup(click.Group):
    """A group whose commands' modules are imported when first asked for (click's
    documented pattern); importing a module registers its commands on the group."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"feedtool.cli.{COMMANDS[cmd_name]}")
        return super().get_command(ctx, cmd_name)


def load_every_command() -> None:
    """Register every command on cli (for whoever lists cli.commands: docs, tests)."""
    for module in sorted(set(COMMANDS.values())):
        importlib.import_module(f"feedtool.cli.{module}")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="feedtool")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def cli(debug: bool) -> None:
    """Publish RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds from a folder of articles."""


# How the command line words a problem with a library parameter it sets from a flag.
_FLAG_HINTS: dict[str, Callable[[str], str]] = {
    "content_dir": lambda message: f"{message} (give another with --content)",
    "output_dir": lambda message: f"{message} (give another with --output)",
    "cache_dir": lambda message: f"{message} (give another with --cache, or use --no-cache)",
    "path": lambda message: f"{message} (give another with --config)",
    "new_site": lambda message: (
        f"{message}: run feedtool init to start a site here, or give another with --config"
    ),
    "keep_going": lambda message: f"--keep-going: {message}",
    "allow_empty": lambda message: f"{message} (--allow-empty publishes empty feeds)",
    "slug": lambda message: f"{message}; give one with --slug",
    "new_ids": lambda message: (
        f"{message} (feedtool ids --keep adds it), or build with --new-ids to publish it as new"
    ),
    "new_ids_placeholder": lambda message: f"{message}: never deployed? use --new-ids",
}


def error_lines(error: FeedtoolError) -> list[str]:
    """One printable line per problem, naming the flag where a library parameter is meant."""
    errors = error.errors if isinstance(error, ManyErrors) else [error]
    lines = []
    for each in errors:
        hint = _FLAG_HINTS.get(each.parameter or "")
        if hint is not None:
            each = copy.copy(each)
            each.message = hint(each.message)
        lines.extend(str(each).splitlines())
    return lines


def reports_errors(command: F) -> F:
    """Turn FeedtoolErrors into one line each and exit 1; anything else is a bug: exit 3."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return command(*args, **kwargs)
        except FeedtoolError as exc:
            for line in error_lines(exc):
                click.echo(f"error: {line}", err=True)
            ctx.exit(EXIT_PROBLEM)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # Whoever read the output went away (feedtool ... | head): click stops
            # quietly with exit 1, as it does for its own writes; not a bug.
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
            if ctx.find_root().params.get("debug"):
                import traceback

                traceback.print_exc()
            click.echo(
                f"internal error: {type(exc).__name__}: {exc} (this is a bug in feedtool; "
                "run again with --debug for the traceback)",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


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


def _path_option(flag: str, name: str, default: str, help: str, *, folder: bool) -> Any:
    return click.option(
        flag,
        name,
        type=click.Path(file_okay=not folder, dir_okay=folder, path_type=Path),
        default=default,
        show_default=True,
        help=help,
    )


# The options most commands share, declared once so they mean the same everywhere.
def content_option(command: F) -> F:
    """--content: the folder of articles."""
    option = _path_option("--content", "content_dir", "content", "Folder of articles.", folder=True)
    return cast(F, option(command))


def output_option(command: F) -> F:
    """--output: the folder the feeds are written to."""
    help_text = "Folder the feeds are written to."
    return cast(F, _path_option("--output", "output_dir", "feeds", help_text, folder=True)(command))


def config_option(command: F) -> F:
    """--config: the site configuration file."""
    help_text = "Site configuration file."
    option = _path_option("--config", "config_path", CONFIG_NAME, help_text, folder=False)
    return cast(F, option(command))


def content_folder(content_dir: Path, config: Any, config_path: Path) -> Path:
    """--content, or else the config's ``content`` (relative to the config file)."""
    return _folder("content_dir", content_dir, getattr(config, "content", None), config_path)


def output_folder(output_dir: Path, config: Any, config_path: Path) -> Path:
    """--output, or else the config's ``output`` (relative to the config file): a site
    switched from another generator writes into the folder that generator copies as-is."""
    return _folder("output_dir", output_dir, getattr(config, "output", None), config_path)


def ledger_path(config_path: Path) -> Path:
    """The ledger of published ids: feedtool.ids beside the config file."""
    return config_path.with_name(LEDGER_NAME)


def _folder(parameter: str, given_path: Path, configured: str | None, config_path: Path) -> Path:
    context = click.get_current_context(silent=True)
    given = context is not None and context.get_parameter_source(parameter) not in (
        click.core.ParameterSource.DEFAULT,
        None,
    )
    if given or not configured:
        return given_path
    return config_path.parent / str(configured)
