"""feedtool new and feedtool init: start an article, start a site."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from feedtool.cli._group import cli, config_option, content_option, reports_errors
from feedtool.config import PLACEHOLDER_BASE_URL, load_config
from feedtool.errors import FeedtoolError
from feedtool.read.dates import parse_date
from feedtool.site.scaffold import BODY_TEMPLATES, config_text, init_site, new_article


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
@content_option
@config_option
@reports_errors
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
    default=PLACEHOLDER_BASE_URL,
    show_default=True,
    help="The site's address (change it in feedtool.toml later if you like).",
)
@click.option(
    "--timezone", default="UTC", show_default=True, help="IANA time zone, e.g. Europe/Berlin."
)
@reports_errors
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
    here = directory.resolve() == Path.cwd().resolve()
    click.echo(
        f"Next: {'' if here else f'cd {directory}, '}edit feedtool.toml, run `feedtool build`, "
        "and push the repository to GitHub (the workflow publishes feeds/: first replace "
        "OWNER/feedtool in .github/workflows/publish.yml with where feedtool lives)."
    )
