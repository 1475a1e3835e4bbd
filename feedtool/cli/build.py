"""feedtool build, its WebSub ping, and the build report `serve` shares."""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import click

from feedtool.cli import quick
from feedtool.cli._group import (
    EXIT_PROBLEM,
    Timestamp,
    cli,
    config_option,
    content_folder,
    content_option,
    ledger_path,
    output_folder,
    output_option,
    reports_errors,
)
from feedtool.cli.interrupts import check_stop, stops_cleanly
from feedtool.cli.progress import Progress, stopping_at_each_step, wants_progress_bar
from feedtool.config import PLACEHOLDER_BASE_URL, config_notices, load_config
from feedtool.errors import ConfigError, printable
from feedtool.pipeline import BuildOptions, BuildResult, open_cache, unchanged_result
from feedtool.pipeline import build as build_feeds
from feedtool.values.choices import CACHE_FOLDER

if TYPE_CHECKING:
    from feedtool.cache.summary import State

# Lazy imports: site/ modules are imported inside the commands that use them: every command loads
# this module, and a build with nothing to do needs none of them.

P = ParamSpec("P")
R = TypeVar("R")


def _without_gc_pauses(function: Callable[P, R], *, freeze: bool) -> Callable[P, R]:
    """``function`` run with Python's cyclic garbage collector paused; with ``freeze``,
    what it made is left out of the collector's passes afterwards.

    A big build makes hundreds of thousands of long-lived objects (articles, their
    dates and tags), and each time allocations pass the collector's threshold it walks
    all of them again; a build makes little cyclic garbage. Once the collector runs
    again, its first pass would still walk every one of them, for a process about to
    exit: the feedtool script has them frozen first
    (gc.freeze), so it never looks at them. The command owns its process, so it decides
    this: the library never changes process-wide state; a build run in another program's
    process (click's test runner) is not frozen, and ``serve`` does not use this.
    """

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if freeze:
                gc.freeze()
            gc.enable()

    return paused


def _say_where_pages_serves(config_path: Path) -> None:
    """Name the address the workflow init wrote would publish the feeds at, for base_url."""
    from feedtool.site.pages import pages_address

    address = pages_address(config_path.parent, os.environ)
    if address is not None:
        message = (
            f"warning: {config_path}: the workflow feedtool init wrote serves the feeds on "
            f'GitHub Pages at {address}: set base_url = "{address}"'
        )
        click.echo(printable(message), err=True)


def warning_lines(result: BuildResult) -> list[str]:
    """The build's warnings, a line each, as printed on stderr."""
    return [f"warning: {warning}" for warning in result.warnings]


def echo_warnings(result: BuildResult) -> None:
    """Print the build's warnings on stderr, one line each."""
    for line in warning_lines(result):
        click.echo(line, err=True)


def files_changed(result: BuildResult) -> str:
    """The count both build summaries give: "C of N file(s) changed"."""
    return f"{len(result.changed)} of {len(result.files)} file(s) changed"


@cli.command()
@content_option
@output_option
@config_option
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
    # Not file_okay=False: a file in its place only means no cache (it costs speed), and
    # must never stop --no-cache or --check.
    type=click.Path(path_type=Path),
    default=CACHE_FOLDER,
    show_default=True,
    help="Folder that keeps parsed articles and rendered feeds between builds.",
)
@click.option("--no-cache", is_flag=True, help="Read and render everything; use no cache.")
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Publish even when no article is due, over feeds that have items (else: exit 1).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Say what happens to each file (instead of a bar)."
)
@click.option(
    "--new-ids",
    is_flag=True,
    help="Publish articles whose id changed as new items (see feedtool ids), on purpose.",
)
@click.option(
    "--ping",
    is_flag=True,
    help="Notify the WebSub hub (config `hub`) about each feed this build changed "
    "(30 seconds at most).",
)
@reports_errors
@stops_cleanly
def build(
    content_dir: Path,
    output_dir: Path,
    config_path: Path,
    now: datetime | None,
    check: bool,
    keep_going: bool,
    cache_dir: Path,
    no_cache: bool,
    allow_empty: bool,
    quiet: bool,
    verbose: bool,
    new_ids: bool,
    ping: bool,
) -> None:
    """Build the feeds in OUTPUT from the articles in CONTENT.

    On a terminal (and not in CI) a long build shows a progress bar on stderr.
    Every id published is kept in feedtool.ids beside the config file (commit it): an
    article published before that would get another id is an error (see feedtool ids).
    Ctrl-C or SIGTERM stops the build at the next file or entry and leaves every
    published file as it was (exit 130 or 143); one that comes once the files are
    staged lets the build finish. A second one stops at once, still leaving no feed
    half-written.
    """
    if quiet and verbose:
        raise click.UsageError("-q and -v contradict each other; give one.")
    if ping and check:
        raise click.UsageError("--check writes nothing, so there is nothing to --ping about.")
    read = quick.config_stamp(config_path)  # before it is read: see quick.remember
    config = load_config(config_path)
    notices = [f"warning: {notice}" for notice in config_notices(config)]
    for line in notices:
        click.echo(line, err=True)
    content_dir = content_folder(content_dir, config, config_path)
    output_dir = output_folder(output_dir, config, config_path)
    if ping and config.hub is None:
        raise ConfigError(
            '--ping needs a hub: add hub = "https://..." to the config', path=config_path
        )
    progress = Progress(
        bar=not quiet and not verbose and wants_progress_bar(sys.stderr, os.environ),
        verbose=verbose,
        stream=sys.stderr,
    )
    # Run as the feedtool script (cli.main), the command owns the process, and its quick
    # check may have listed the content folder already.
    invocation = click.get_current_context().find_root().obj
    script = invocation if isinstance(invocation, quick.Invocation) else None
    listed = script.listed if script is not None else None
    try:
        cache = None if no_cache else open_cache(cache_dir, config, listed=listed)
        options = BuildOptions(
            now=now or datetime.now(UTC),
            check=check,
            keep_going=keep_going,
            # Each step is also where a Ctrl-C or SIGTERM stops the build (see interrupts).
            progress=stopping_at_each_step(progress, check_stop),
            cache=cache,
            allow_empty=allow_empty,
            ledger=ledger_path(config_path),
            new_ids=new_ids,
        )
        paused = _without_gc_pauses(build_feeds, freeze=script is not None)
        result = paused(content_dir, output_dir, config, options)
        if script is not None and script.kept is not None:
            script.kept.extend((cache, result))  # the process ends with them (cli.run)
    finally:
        progress.close()
    echo_warnings(result)
    if config.dialect:
        from feedtool.site.switch import clashes

        for warning in clashes(config_path.parent, config, output_dir):
            click.echo(f"warning: {warning}", err=True)
    report = functools.partial(
        _report,
        output_dir=output_dir,
        config_path=config_path,
        check=check,
        quiet=quiet,
        verbose=verbose,
    )
    if config.base_url == PLACEHOLDER_BASE_URL:
        _say_where_pages_serves(config_path)
    elif script is not None and cache is not None and not ping and not config.dialect:
        # What this command prints while nothing changes, for its next run (cli/quick.py):
        # the lines the whole way prints from the same summary.
        def lines(state: State) -> tuple[list[str], list[str]]:
            unchanged = unchanged_result(state, output_dir)
            return report(unchanged), notices + warning_lines(unchanged)

        when = now.timestamp() if now is not None else None
        quick.remember(script, cache, cache_dir, config_path, read, output_dir, when, lines)
    for line in report(result):
        click.echo(line)
    if check and (result.changed or result.removed or result.ledger_changed):
        sys.exit(EXIT_PROBLEM)
    if ping:
        assert config.hub is not None  # checked above
        from feedtool.site.websub import changed_topics

        topics = changed_topics(config.feeds_url, result.changed, result.files)
        _ping(config.hub, topics, quiet, verbose)


def _report(
    result: BuildResult,
    *,
    output_dir: Path,
    config_path: Path,
    check: bool,
    quiet: bool,
    verbose: bool,
) -> list[str]:
    """What a build says on stdout once it is done (its warnings are on stderr)."""
    lines = []
    if verbose:
        lines += [f"draft, left out: {source}" for source in result.drafts]
        lines += [f"scheduled for {due.isoformat()}: {source}" for source, due in result.scheduled]
    if check:
        lines += [f"would change: {output_dir / path}" for path in result.changed]
        lines += [f"would remove: {output_dir / path}" for path in result.removed]
        if result.ledger_changed:
            lines.append(f"would change: {ledger_path(config_path)}")
        if verbose:
            unchanged = sorted(set(result.files) - set(result.changed))
            lines += [f"up to date: {output_dir / path}" for path in unchanged]
        if not quiet and not (result.changed or result.removed or result.ledger_changed):
            lines.append(f"{output_dir} is up to date ({len(result.files)} files).")
        return lines
    if quiet:
        return lines
    lines += [f"removed {output_dir / path} (no longer written)" for path in result.removed]
    for path in sorted(result.files):
        if path in result.changed:
            lines.append(f"wrote {output_dir / path}")
        elif verbose:
            lines.append(f"unchanged {output_dir / path}")
    if result.ledger_changed:
        lines.append(f"wrote {ledger_path(config_path)}")
    skipped = f", {result.skipped} skipped (see the warnings)" if result.skipped else ""
    lines.append(
        f"{result.articles} article(s) published{skipped}; {files_changed(result)} in {output_dir}."
    )
    if result.scheduled:
        source, due = result.scheduled[0]
        lines.append(
            f"{len(result.scheduled)} scheduled article(s) wait for their time; "
            f"the next is {source} at {due.isoformat()}."
        )
    return lines


def _ping(hub: str, topics: list[str], quiet: bool, verbose: bool) -> None:
    # A failed ping is a warning: the feeds are already written, and hubs also poll.
    # One line for all the feeds (a build may change dozens); -v gives one per feed.
    if not topics:
        if not quiet:
            click.echo("No feed changed; the hub was not pinged.")
        return
    from feedtool.site import websub

    answers = websub.ping_all(hub, topics, deadline=websub.DEADLINE)
    if verbose:
        for answer in answers:
            outcome = "pinged" if answer.ok else "failed to ping"
            click.echo(printable(f"{outcome} {hub} for {answer.topic} ({answer.detail})"))
    failed = [answer for answer in answers if not answer.ok]
    if failed:
        reasons = list(dict.fromkeys(answer.detail for answer in failed))  # first seen first
        others = f" (and {len(reasons) - 1} other reason(s))" if len(reasons) > 1 else ""
        click.echo(
            printable(
                f"warning: WebSub ping to {hub} failed for {len(failed)} of {len(answers)} "
                f"changed feed(s): {reasons[0]}{others}; the hub sees the changes when it "
                "next fetches the feeds"
            ),
            err=True,
        )
    elif not quiet and not verbose:
        click.echo(printable(f"pinged {hub} about {len(answers)} changed feed(s)"))
