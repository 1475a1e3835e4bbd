"""The command line: flags in, plain function calls out. The only module that imports click.

Exit codes: 0 success; 1 bad content or config, or (with --check) feeds out of
date; 2 bad usage; 3 an internal error (a bug: run again with --debug).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import IO, Any, TextIO, TypeVar

import click

from . import __version__
from .build import BuildStep, load_published
from .build import build as build_feeds
from .config import load_config
from .dates import parse_date
from .errors import ConfigError, FeedtoolError

# Commands import what only they need when they run (serve its HTTP server, validate
# lxml, ...): every command, and above all a build with nothing to do, starts faster.
from .scaffold import BODY_TEMPLATES, config_text, init_site, new_article

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
                import traceback

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
    """Publish RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds from a folder of articles."""


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
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".feedtool-cache",
    show_default=True,
    help="Folder that keeps parsed articles and rendered feeds between builds.",
)
@click.option("--no-cache", is_flag=True, help="Read and render everything; use no cache.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Say what happens to each file (instead of a bar)."
)
@click.option(
    "--ping",
    is_flag=True,
    help="Notify the WebSub hub (config `hub`) about each feed this build changed.",
)
@_reports_errors
def build(
    content_dir: Path,
    output_dir: Path,
    config_path: Path,
    now: datetime | None,
    check: bool,
    keep_going: bool,
    cache_dir: Path,
    no_cache: bool,
    quiet: bool,
    verbose: bool,
    ping: bool,
) -> None:
    """Build the feeds in OUTPUT from the articles in CONTENT.

    On a terminal (and not in CI) a long build shows a progress bar on stderr.
    """
    if quiet and verbose:
        raise click.UsageError("-q and -v contradict each other; give one.")
    if ping and check:
        raise click.UsageError("--check writes nothing, so there is nothing to --ping about.")
    config = load_config(config_path)
    if ping and config.hub is None:
        raise ConfigError(
            '--ping needs a hub: add hub = "https://..." to the config', path=config_path
        )
    progress = _Progress(
        bar=not quiet and not verbose and wants_progress_bar(sys.stderr, os.environ),
        verbose=verbose,
        stream=sys.stderr,
    )
    try:
        result = build_feeds(
            content_dir,
            output_dir,
            config,
            now or datetime.now(UTC),
            check=check,
            keep_going=keep_going,
            progress=progress,
            cache_dir=None if no_cache else cache_dir,
        )
    finally:
        progress.close()
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if verbose:
        for source in result.drafts:
            click.echo(f"draft, left out: {source}")
        for source, due in result.scheduled:
            click.echo(f"scheduled for {due.isoformat()}: {source}")
    if check:
        for path in result.changed:
            click.echo(f"would change: {output_dir / path}")
        for path in result.removed:
            click.echo(f"would remove: {output_dir / path}")
        if verbose:
            for path in sorted(set(result.files) - set(result.changed)):
                click.echo(f"up to date: {output_dir / path}")
        if result.changed or result.removed:
            sys.exit(EXIT_PROBLEM)
        if not quiet:
            click.echo(f"{output_dir} is up to date ({len(result.files)} files).")
        return
    if not quiet:
        for path in result.removed:
            click.echo(f"removed {output_dir / path} (no longer written)")
        for path in sorted(result.files):
            if path in result.changed:
                click.echo(f"wrote {output_dir / path}")
            elif verbose:
                click.echo(f"unchanged {output_dir / path}")
        skipped = f", {result.skipped} skipped (see the warnings)" if result.skipped else ""
        click.echo(
            f"{result.articles} article(s) published{skipped}; {len(result.changed)} of "
            f"{len(result.files)} file(s) changed in {output_dir}."
        )
        if result.scheduled:
            source, due = result.scheduled[0]
            click.echo(
                f"{len(result.scheduled)} scheduled article(s) wait for their time; "
                f"the next is {source} at {due.isoformat()}."
            )
    if ping:
        assert config.hub is not None  # checked above
        from .websub import changed_topics

        _ping(config.hub, changed_topics(config.feeds_url, result.changed, result.files), quiet)


def _ping(hub: str, topics: list[str], quiet: bool) -> None:
    # A failed ping is a warning: the feeds are already written, and hubs also poll.
    if not topics and not quiet:
        click.echo("No feed changed; the hub was not pinged.")
    from .websub import ping_all

    for answer in ping_all(hub, topics):
        if answer.ok and not quiet:
            click.echo(f"pinged {hub} for {answer.topic} ({answer.detail})")
        elif not answer.ok:
            click.echo(f"warning: WebSub ping for {answer.topic} failed: {answer.detail}", err=True)


def wants_progress_bar(stream: IO[str], environ: Mapping[str, str]) -> bool:
    """A bar is for a person at a terminal: not for pipes, logs or CI (which sets CI=true)."""
    ci = environ.get("CI", "").strip().lower()
    return stream.isatty() and ci in ("", "0", "false", "no")


_STAGE_LABELS = {"read": "Reading articles"}


class _Progress:
    """Shows build progress: per-file lines with -v, or a click progress bar that appears
    only once a build has taken ``delay`` seconds, so quick builds print nothing extra."""

    def __init__(
        self,
        *,
        bar: bool,
        verbose: bool,
        stream: TextIO,
        delay: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bar, self.verbose, self.stream = bar, verbose, stream
        self.delay, self.clock = delay, clock
        self.started = clock()
        self._stage: str | None = None
        self._bar: Any = None  # click's ProgressBar for the current stage

    def __call__(self, step: BuildStep) -> None:
        if self.verbose:
            click.echo(f"{step.stage} {step.item}")
            return
        if not self.bar:
            return
        if step.stage != self._stage:
            self.close()
            self._stage = step.stage
        if self._bar is None:
            if self.clock() - self.started < self.delay:
                return
            label = _STAGE_LABELS.get(step.stage, step.stage)
            self._bar = click.progressbar(length=step.total, label=label, file=self.stream)
            self._bar.__enter__()
        self._bar.update(step.done - self._bar.pos)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def _content_option(command: F) -> F:
    return click.option(
        "--content",
        "content_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default="content",
        show_default=True,
        help="Folder of articles.",
    )(command)


def _output_option(command: F) -> F:
    return click.option(
        "--output",
        "output_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default="feeds",
        show_default=True,
        help="Folder the feeds are written to.",
    )(command)


def _config_option(command: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default="feedtool.toml",
        show_default=True,
        help="Site configuration file.",
    )(command)


@cli.command()
@_content_option
@_output_option
@_config_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. 0.0.0.0 (or ::) lets other machines in.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@_reports_errors
def serve(content_dir: Path, output_dir: Path, config_path: Path, host: str, port: int) -> None:
    """Preview the feeds over HTTP, as a reader on this machine would fetch them.

    Builds first, and again whenever a request finds the content or config changed.
    Serves only OUTPUT, with feed content types, ETag and Last-Modified (and 304s).
    Ctrl-C stops it.
    """

    def rebuild() -> None:
        result = build_feeds(content_dir, output_dir, load_config(config_path), datetime.now(UTC))
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo(
            f"built: {result.articles} article(s), {len(result.changed)} of "
            f"{len(result.files)} file(s) changed",
            err=True,
        )

    from .serve import start_server

    running = start_server(
        output_dir,
        host,
        port,
        rebuild=rebuild,
        watch=[content_dir, config_path],
        log=lambda message: click.echo(message, err=True),
    )
    try:
        click.echo(f"Serving {output_dir} at {running.url} (Ctrl-C stops)")
        for path in sorted(p for p in output_dir.rglob("*") if p.is_file()):
            relative = path.relative_to(output_dir).as_posix()
            if not relative.startswith(".") and "/." not in relative:
                click.echo(f"  {running.url}{relative}")
        while running.thread.is_alive():
            running.thread.join(0.5)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        running.stop()


@cli.command()
@click.argument("title")
@click.option("--tags", default="", help="Comma-separated tags, e.g. --tags python,web.")
@click.option(
    "--date",
    "date_text",
    default=None,
    metavar="ISO8601",
    help="Publication time (a future one schedules the post). Default: now. "
    "Without an offset it is in the site's time zone.",
)
@click.option("--draft", is_flag=True, help="Mark it a draft (left out of every feed).")
@click.option("--slug", default=None, help="The URL name. Default: made from the title.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(BODY_TEMPLATES)),
    default="md",
    show_default=True,
    help="Body format: Markdown, HTML or plain text.",
)
@_content_option
@_config_option
@_reports_errors
def new(
    title: str,
    tags: str,
    date_text: str | None,
    draft: bool,
    slug: str | None,
    fmt: str,
    content_dir: Path,
    config_path: Path,
) -> None:
    """Start an article: create CONTENT/YYYY-MM-DD-SLUG.md with front matter; print its path.

    The date is now, in the site's time zone. Never overwrites a file (exit 1).
    """
    config = load_config(config_path)
    if date_text is None:
        when = datetime.now(config.tz)
    else:
        try:
            when = parse_date(date_text, config.tz).astimezone(config.tz)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--date") from None
    path = new_article(
        content_dir,
        title,
        when.replace(microsecond=0),
        tags=tags.split(","),
        draft=draft,
        fmt=fmt,
        slug=slug,
    )
    click.echo(str(path))


@cli.command()
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=".", required=False
)
@click.option("--title", default="My site", show_default=True, help="The site's title.")
@click.option(
    "--base-url",
    default="https://example.org/",
    show_default=True,
    help="The site's address (change it in feedtool.toml later if you like).",
)
@click.option(
    "--timezone", default="UTC", show_default=True, help="IANA time zone, e.g. Europe/Berlin."
)
@_reports_errors
def init(directory: Path, title: str, base_url: str, timezone: str) -> None:
    """Start a site in DIRECTORY (default: here): feedtool.toml, content/ with an example,
    and a GitHub Actions workflow that builds, validates and publishes hourly.

    Never overwrites a file: if any of them exists, nothing is written (exit 1).
    """
    try:
        config_text(title, base_url, timezone)
    except FeedtoolError as exc:
        raise click.UsageError(str(exc).replace("feedtool.toml: ", "")) from None
    for path in init_site(
        directory, datetime.now(UTC), title=title, base_url=base_url, timezone=timezone
    ):
        click.echo(f"created {path}")
    click.echo(
        f"Next: cd {directory}, edit feedtool.toml, run `feedtool build`, and push the "
        "repository to GitHub (the workflow publishes feeds/)."
    )


@cli.command()
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default="feedtool.toml",
    show_default=True,
    help="Site configuration file.",
)
@click.option(
    "--tags",
    "--groups",
    "groups",
    is_flag=True,
    help="Also the per-tag (and per-category, per-author) feeds that feeds_per turns on.",
)
@click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="content",
    show_default=True,
    help="Folder of articles (read only with --tags, to find the tags).",
)
@click.option(
    "--now",
    type=Timestamp(),
    default=None,
    help="As if it were this time (with --tags: tags of later posts are left out).",
)
@_reports_errors
def links(config_path: Path, groups: bool, content_dir: Path, now: datetime | None) -> None:
    """Print the <link rel="alternate"> tags for feed autodiscovery in a page's HTML head."""
    config = load_config(config_path)
    from .discovery import link_tags
    from .plan import plan_feeds

    articles = load_published(content_dir, config, now or datetime.now(UTC)) if groups else []
    plans = plan_feeds(config, articles)
    if not groups:
        plans = plans[:1]  # the main feed
    elif not config.feeds_per:
        click.echo(
            f"note: {config.source} has no feeds_per, so there are no per-tag feeds", err=True
        )
    for line in link_tags(config, plans):
        click.echo(line)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--base-url",
    metavar="URL",
    default=None,
    help="Where the folder is published: each feed's self link must be URL + its path there. "
    "Default without PATHS: feeds_url from the config file, if there is one.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default="feedtool.toml",
    show_default=True,
    help="Site configuration, read (if it exists) only for the default --base-url.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@_reports_errors
def validate(
    paths: tuple[Path, ...], base_url: str | None, config_path: Path, as_json: bool, quiet: bool
) -> None:
    """Check RSS 2.0, Atom 1.0 and JSON Feed files, written by feedtool or any other tool.

    PATHS are feed files or folders (folders: every *.xml, *.rss, *.atom and *.json file
    in them that is a feed); default: feeds. Prints one line per problem,
    FILE:LINE: error|warning: MESSAGE, and exits 1 if there is any error.
    """
    if not paths:
        if not Path("feeds").is_dir():
            raise click.UsageError("there is no feeds folder here; name the feeds to check")
        paths = (Path("feeds"),)
        if base_url is None and config_path.is_file():
            base_url = load_config(config_path).feeds_url
    from .validate import validate_paths

    report = validate_paths(list(paths), base_url)
    if as_json:
        import json

        click.echo(json.dumps([p.as_json() for p in report.problems], indent=2))
    else:
        for problem in report.problems:
            click.echo(str(problem))
    if not quiet:
        for name, reason in report.skipped:
            click.echo(f"skipped {name}: {reason}", err=True)
        others = f"; {report.other_files} other file(s) ignored" if report.other_files else ""
        click.echo(
            f"checked {len(report.checked)} feed(s): {report.errors} error(s), "
            f"{report.warnings} warning(s){others}",
            err=True,
        )
    if not report.checked and not report.problems:
        click.echo(f"error: no feeds found in {', '.join(map(str, paths))}", err=True)
        sys.exit(EXIT_PROBLEM)
    if report.errors:
        sys.exit(EXIT_PROBLEM)


def main() -> None:
    cli(prog_name="feedtool")
