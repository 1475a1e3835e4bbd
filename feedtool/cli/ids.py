"""feedtool ids: which articles would change their published id, and --keep to stop it."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from feedtool.cli._group import (
    EXIT_PROBLEM,
    Timestamp,
    cli,
    config_option,
    content_folder,
    content_option,
    error_lines,
    ledger_path,
    reports_errors,
)
from feedtool.config import SiteConfig, load_config
from feedtool.errors import ManyErrors, Notice
from feedtool.plan.select import published_articles
from feedtool.publish.ledger import check_ids, kept_ids, read_ledger
from feedtool.read.content import load_all

# Lazy imports: read/record.py and site/ are imported inside the commands that use them: init
# loads this module too (report_adoption), and needs neither unless it adopts a feed.


@cli.command()
@content_option
@config_option
@click.option(
    "--now",
    type=Timestamp(),
    default=None,
    help="As if it were this time (posts dated later are not published yet). Default: the clock.",
)
@click.option(
    "--keep",
    is_flag=True,
    help="Write id: lines into those articles (front matter or sidecar) to keep their old ids.",
)
@click.option(
    "--adopt",
    "adopt_feed",
    metavar="FEED",
    default=None,
    help="The feed the site publishes today (a file, or an http(s) URL): compare it item by "
    "item and keep each of its items' id and link in feedtool.ids.",
)
@reports_errors
def ids(
    content_dir: Path,
    config_path: Path,
    now: datetime | None,
    keep: bool,
    adopt_feed: str | None,
) -> None:
    """List articles published before that a build would now give another id.

    Their ids are in feedtool.ids (beside the config file), which every build keeps.
    With --keep, each such article gets an id: line with the id it was published
    with, and nothing else in its file changes.

    With --adopt FEED, FEED is the feed the site publishes today (its generator's): each
    of its items is matched with an article (by link, else id, else title and date), the
    differences are listed, and feedtool.ids keeps every matched item's id and link from
    then on, whatever feedtool would compute.
    """
    from feedtool.read.record import metadata_line

    if adopt_feed is not None:
        config = load_config(config_path)
        content = content_folder(content_dir, config, config_path)
        report_adoption(adopt_feed, ledger_path(config_path), content, config, now)
        return
    from feedtool.site.ids import keep_id

    config = load_config(config_path)
    content_dir = content_folder(content_dir, config, config_path)
    ledger = ledger_path(config_path)
    items = read_ledger(ledger).items
    articles = published_articles(load_all(content_dir, config)[0], now or datetime.now(UTC))
    articles = kept_ids(items, articles, content_dir, ledger).articles  # what a build keeps
    changed = check_ids(items, articles, content_dir, lambda a: metadata_line(a, "id"))
    if not changed:
        click.echo(
            f"{len(articles)} article(s) published keep their ids "
            f"({len(items)} item(s) in {ledger})."
        )
        return
    if not keep:
        for line in error_lines(ManyErrors(changed)):
            click.echo(f"error: {line}", err=True)
        sys.exit(EXIT_PROBLEM)
    kept: set[str] = set()
    for problem in changed:
        if problem.parameter == "new_ids_placeholder":  # ids meant for no reader: not kept
            click.echo(
                f'warning: {problem.new_source}: not kept: "{problem.old_id}" was built while '
                "base_url was the placeholder; never deployed? use --new-ids",
                err=True,
            )
            continue
        if problem.old_id in kept:  # two articles taken for one item: the first has it now
            click.echo(
                f"warning: {problem.new_source}: also looks like {problem.old_source}, whose "
                f'id "{problem.old_id}" went to another article; left as it is',
                err=True,
            )
            continue
        target = keep_id(Path(problem.new_source), problem.old_id)
        kept.add(problem.old_id)
        click.echo(f'kept id "{problem.old_id}" in {target}')


def report_adoption(
    feed: str, ledger: Path, content_dir: Path, config: SiteConfig, now: datetime | None
) -> None:
    """Adopt ``feed`` into ``ledger`` and say what matched, what differs, what did not."""
    from feedtool.site.adopt import adopt

    done = adopt(feed, ledger, content_dir, config, now or datetime.now(UTC))
    comparison = done.comparison
    click.echo(comparison.summary())
    for line in comparison.lines():
        click.echo(f"  {line}")
    for problem in done.skipped:
        if not isinstance(problem, Notice):  # a build says those; this is about ids
            click.echo(f"warning: {problem} (not compared)", err=True)
    click.echo(
        f"{ledger}: keeps the id and link of {done.kept} item(s) of that feed"
        + (" (it did already)" if done.kept and not done.ledger_changed else "")
    )
