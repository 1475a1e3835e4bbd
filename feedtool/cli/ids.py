"""feedtool ids: which articles would change their published id, and --keep to stop it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from feedtool.cli._group import (
    EXIT_PROBLEM,
    Timestamp,
    cli,
    config_option,
    content_option,
    reports_errors,
)
from feedtool.config import load_config
from feedtool.errors import ContentError, FeedtoolError, ManyErrors
from feedtool.publish.ledger import LEDGER_NAME, IdChanged

# The fixes the library's message leaves to whoever calls it, in this command line's words.
FIXES = " (feedtool ids --keep adds it), or build with --new-ids to publish it as new"


def ledger_path(config_path: Path) -> Path:
    """The ledger of published ids: feedtool.ids beside the config file."""
    return config_path.with_name(LEDGER_NAME)


def worded(error: FeedtoolError) -> FeedtoolError:
    """``error`` with the command line's fixes added to each IdChanged in it."""
    if isinstance(error, IdChanged):
        return ContentError(
            error.message + FIXES, path=error.path, line=error.line, field=error.field
        )
    if isinstance(error, ManyErrors) and any(isinstance(e, IdChanged) for e in error.errors):
        return ManyErrors([worded(e) for e in error.errors])
    return error


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
@reports_errors
def ids(content_dir: Path, config_path: Path, now: datetime | None, keep: bool) -> None:
    """List articles published before that a build would now give another id.

    Their ids are in feedtool.ids (beside the config file), which every build keeps.
    With --keep, each such article gets an id: line with the id it was published
    with, and nothing else in its file changes.
    """
    from feedtool.plan.select import load_all, published_articles
    from feedtool.publish.ledger import check_ids, read_ledger
    from feedtool.read.load import metadata_line
    from feedtool.site.ids import keep_id

    config = load_config(config_path)
    ledger = ledger_path(config_path)
    items = read_ledger(ledger)
    articles = published_articles(load_all(content_dir, config)[0], now or datetime.now(UTC))
    changed = check_ids(items, articles, content_dir, lambda a: metadata_line(a, "id"))
    if not changed:
        click.echo(
            f"{len(articles)} article(s) published keep their ids "
            f"({len(items)} item(s) in {ledger})."
        )
        return
    if not keep:
        for problem in changed:
            click.echo(f"error: {worded(problem)}", err=True)
        raise SystemExit(EXIT_PROBLEM)
    kept: set[str] = set()
    for problem in changed:
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
