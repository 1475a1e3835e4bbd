"""feedtool new and feedtool init: start an article, start a site."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from feedtool.cli._group import cli, config_option, content_option, reports_errors
from feedtool.cli.ids import report_adoption
from feedtool.config import PLACEHOLDER_BASE_URL, load_config
from feedtool.errors import ConfigError, FeedtoolError
from feedtool.read.dates import parse_date
from feedtool.site.scaffold import BODY_TEMPLATES, config_text, init_site, new_article
from feedtool.values.choices import CONFIG_NAME, LEDGER_NAME
from feedtool.values.zones import zone_caution, zone_problem

# Lazy imports: site/ modules are imported inside the commands that use them: every command loads
# this module, and a build with nothing to do needs none of them.


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


class ZoneName(click.ParamType):  # type: ignore[type-arg]
    """An IANA time zone name (or UTC), as the config's timezone takes."""

    name = "ZONE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        problem = zone_problem(value)
        if problem:
            self.fail(problem, param, ctx)
        return value


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
    "--timezone",
    type=ZoneName(),
    default="UTC",
    show_default=True,
    help="IANA time zone, e.g. Europe/Berlin.",
)
@click.option(
    "--from",
    "from_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="An existing Hugo, Jekyll, Zola, Eleventy or Pelican site: write only the "
    "feedtool.toml that reads it as its generator does.",
)
@click.option(
    "--old-feed",
    metavar="FILE|URL",
    default=None,
    help="With --from: the feed the site publishes today, if not in its build folder "
    "(public/, _site/, output/); its ids and links are kept in feedtool.ids.",
)
@reports_errors
def init(
    directory: Path,
    title: str,
    base_url: str,
    timezone: str,
    from_dir: Path | None,
    old_feed: str | None,
) -> None:
    """Start a site in DIRECTORY (default: here): feedtool.toml, content/ with an example,
    and a GitHub Actions workflow that builds, validates and publishes hourly.

    With --from DIR, DIR is a site of another generator: feedtool.toml is written there,
    made from its config (never running its code); what stays unknown comes from
    --base-url, --title and --timezone, or is asked for at a terminal.
    Never overwrites a file: if any of them exists, nothing is written (exit 1).
    """
    caution = zone_caution(timezone)
    if caution:
        click.echo(f"warning: --timezone: {caution}", err=True)
    if from_dir is not None:
        _init_from(from_dir, title, base_url, timezone)
        _adopt_old_feed(from_dir, old_feed)
        return
    if old_feed is not None:
        raise click.UsageError("--old-feed goes with --from")
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
        "OWNER/feedtool in .github/workflows/publish.yml with where feedtool lives). "
        "It serves feeds/ on GitHub Pages once Settings > Pages has GitHub Actions as its "
        "source; builds say at which address."
    )


def _init_from(directory: Path, title: str, base_url: str, timezone: str) -> None:

    from feedtool.site import switch
    from feedtool.site.importer import config_toml, detect

    target = directory / CONFIG_NAME
    if target.exists():
        raise ConfigError("exists already; nothing was written", path=target)
    found = detect(directory)
    click.echo(f"found: a {found.dialect.capitalize()} site ({found.source})")
    context = click.get_current_context()
    given = {
        name: context.get_parameter_source(name) != click.core.ParameterSource.DEFAULT
        for name in ("base_url", "title", "timezone")
    }
    for key, value in (("base_url", base_url), ("title", title), ("timezone", timezone)):
        if given[key]:
            found.settings[key] = value
        elif key not in found.settings:
            if key == "base_url" and sys.stdin.isatty():
                value = click.prompt("The site's address (base_url)", default=value)
            found.settings[key] = value
            click.echo(f"not in the site's config: {key} = {value!r} (change it in feedtool.toml)")
    # The feeds go where the generator's were, at the same URLs (site/switch.py).
    switch.apply(found, directory)
    for key, value in found.settings.items():
        click.echo(f"chose: {key} = {value!r}")
    for key, value in found.options.items():
        click.echo(f"chose: dialect_options.{key} = {value!r}")
    for note in found.notes:
        warned = note.startswith("warning: ")  # what a switch loses, said on stderr
        click.echo(note if warned else f"note: {note}", err=warned)
    text = config_toml(found)
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    load_config(target)  # what was written must load
    click.echo(f"created {target}; next: feedtool build (in {directory})")
    workflow = directory / ".github" / "workflows" / "feeds-and-site.yml"
    if workflow.exists():
        click.echo(f"note: {workflow} exists already; left as it is")
    else:
        workflow.parent.mkdir(parents=True, exist_ok=True)
        with open(workflow, "x", encoding="utf-8") as handle:
            handle.write(switch.workflow_text(found, directory))
        click.echo(
            f"created {workflow}: feedtool's feeds first, then the site, then GitHub Pages "
            "(it takes the place of the site's own Pages workflow: keep one)"
        )


def _adopt_old_feed(directory: Path, old_feed: str | None) -> None:
    """Compare the feed the site publishes today with feedtool's, and keep its ids."""
    from feedtool.site.adopt import find_old_feed, where_looked

    config_path = directory / CONFIG_NAME
    config = load_config(config_path)
    assert config.dialect is not None  # init --from writes one
    feed = old_feed or find_old_feed(directory, config.dialect)
    if feed is None:
        click.echo(
            f"note: no feed built by the generator found ({where_looked(config.dialect)}): "
            "build the site once and run `feedtool ids --adopt FEED`, or readers may see "
            "items again as new where feedtool's ids differ"
        )
        return
    content = config_path.parent / (config.content or "content")
    try:
        report_adoption(str(feed), directory / LEDGER_NAME, content, config, None)
    except FeedtoolError:
        click.echo(
            f"note: {config_path} was written; once the feed can be read, adopt it with "
            "`feedtool ids --adopt FEED`"
        )
        raise
