"""feedtool validate: check feed files, whoever wrote them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from feedtool.cli._group import EXIT_PROBLEM, cli, output_folder, reports_errors
from feedtool.config import SiteConfig, load_config
from feedtool.errors import printable
from feedtool.safefile import read_regular
from feedtool.values.choices import CONFIG_NAME

# Lazy imports: validators/ (lxml) and site/mediacheck.py are imported inside `validate`: every
# command loads this module, and a build with nothing to do needs neither.


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--base-url",
    metavar="URL",
    default=None,
    help="Where the folder is published: each feed's self link must be URL + its path there. "
    "Default without PATHS: feeds_url from the config file, if there is one.",
)
# Not config_option: the file is optional here and only gives the default --base-url.
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=CONFIG_NAME,
    show_default=True,
    help="Site configuration, read (if it exists) only for the default --base-url.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option(
    "--media",
    is_flag=True,
    help="Also fetch every enclosure, transcript, chapters file and picture the feeds name "
    "(http and https only; 10 s a request, 2 minutes in all): each must answer HEAD and a "
    "byte range with the type and length the feed gives.",
)
@reports_errors
def validate(
    paths: tuple[Path, ...],
    base_url: str | None,
    config_path: Path,
    as_json: bool,
    quiet: bool,
    media: bool,
) -> None:
    """Check RSS 2.0, Atom 1.0 and JSON Feed files, written by feedtool or any other tool.

    PATHS are feed files or folders (folders: every *.xml, *.rss, *.atom and *.json file
    in them that is a feed); default: the folder build writes (the config's output,
    else feeds). Prints one line per problem, FILE:LINE: error|warning: MESSAGE, and
    exits 1 if there is any error.
    """
    given = click.get_current_context().get_parameter_source("config_path")
    config: SiteConfig | None = None
    if given is not click.core.ParameterSource.DEFAULT:
        # Named on purpose: a file that cannot be read is an error, as for build.
        config = load_config(config_path)
        if not paths and base_url is None:
            base_url = config.feeds_url
    if not paths:
        site: SiteConfig | None = config  # read once when named
        if site is None and config_path.is_file():
            site = load_config(config_path)
        # The folder build writes: the config's output (a switched site's), else feeds.
        folder = output_folder(Path("feeds"), site, config_path)
        if not folder.is_dir():
            raise click.UsageError(
                printable(f"there is no {folder} folder here; name the feeds to check")
            )
        paths = (folder,)
        if base_url is None and site is not None:
            base_url = site.feeds_url
    from feedtool.validators import validate_files

    report = validate_files(list(paths), base_url)
    if media:
        from feedtool.site.mediacheck import check_feed_media

        # Read as the validator read them: regular files only, within its size limit.
        files = [(name, read_regular(name)[0]) for name in report.checked]
        report.problems += check_feed_media(files)
    if as_json:
        click.echo(json.dumps([p.as_json() for p in report.problems], indent=2))
    else:
        for problem in report.problems:
            click.echo(str(problem))
    if not quiet:
        for name, reason in report.skipped:
            click.echo(printable(f"skipped {name}: {reason}"), err=True)
        others = f"; {report.other_files} other file(s) ignored" if report.other_files else ""
        click.echo(
            f"checked {len(report.checked)} feed(s): {report.errors} error(s), "
            f"{report.warnings} warning(s){others}",
            err=True,
        )
    if not report.checked and not report.problems:
        click.echo(printable(f"error: no feeds found in {', '.join(map(str, paths))}"), err=True)
        sys.exit(EXIT_PROBLEM)
    if report.errors:
        sys.exit(EXIT_PROBLEM)
