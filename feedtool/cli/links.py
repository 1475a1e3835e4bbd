"""feedtool links: the <link rel="alternate"> tags that let readers discover the feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from feedtool.cli._group import Timestamp, cli, config_option, content_folder, reports_errors
from feedtool.config import load_config
from feedtool.plan.feeds import plan_feeds
from feedtool.read.content import load_published

# Lazy imports: site/discovery.py is imported inside `links`: every command loads this module.


@cli.command()
@config_option
@click.option(
    "--tags",
    "--groups",
    "groups",
    is_flag=True,
    help="Also the per-tag (and per-category, per-author) feeds that feeds_per turns on.",
)
# Not content_option: here the folder is read only with --tags, and the help says so.
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
@reports_errors
def links(config_path: Path, groups: bool, content_dir: Path, now: datetime | None) -> None:
    """Print the <link rel="alternate"> tags for feed autodiscovery in a page's HTML head."""
    config = load_config(config_path)
    content_dir = content_folder(content_dir, config, config_path)
    from feedtool.site.discovery import link_tags

    articles = load_published(content_dir, config, now or datetime.now(UTC)) if groups else []
    plans = plan_feeds(config, articles)
    if not groups:
        plans = [plan for plan in plans if plan.kind in ("main", "podcast")]
    elif not config.feeds_per:
        click.echo(
            f"note: {config.source} has no feeds_per, so there are no per-tag feeds", err=True
        )
    for line in link_tags(config, plans):
        click.echo(line)
