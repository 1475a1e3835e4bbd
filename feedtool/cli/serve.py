"""feedtool serve: the preview server, rebuilding when the content or config changes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import click

from feedtool.cli._group import (
    cli,
    config_option,
    content_folder,
    content_option,
    output_folder,
    output_option,
    reports_errors,
)
from feedtool.cli.build import echo_warnings, files_changed
from feedtool.cli.interrupts import Interrupted, stop_signals_raise
from feedtool.config import load_config
from feedtool.errors import printable
from feedtool.pipeline import BuildOptions
from feedtool.pipeline import build as build_feeds

# Lazy imports: site/serve.py (http.server) and site/mediatypes.py are imported inside `serve`:
# every command loads this module.


def _host(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not value.strip():
        raise click.BadParameter(
            '"" would listen on every network interface; give an address: 127.0.0.1 '
            "(this machine alone, the default) or 0.0.0.0 (every interface)"
        )
    return value


@cli.command()
@content_option
@output_option
@config_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    callback=_host,
    help="Address to listen on. 0.0.0.0 (or ::) lets other machines in.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@reports_errors
def serve(content_dir: Path, output_dir: Path, config_path: Path, host: str, port: int) -> None:
    """Preview the feeds over HTTP, as a reader on this machine would fetch them.

    Builds first, and again whenever the content or config changes (it looks again
    and again; an edit shows within a second or so on a small site). Serves only
    OUTPUT (and the content folder's media, so the page plays episodes), with feed
    content types, ETag and Last-Modified (and 304s), byte ranges and HEAD. A preview, not
    a web server for the world: it listens on 127.0.0.1 unless --host says otherwise.
    Ctrl-C (or SIGTERM) stops it, once a build under way has finished.
    """
    # A config that cannot be read stops here, as build would, not at every rebuild.
    config = load_config(config_path)
    content_dir = content_folder(content_dir, config, config_path)
    output_dir = output_folder(output_dir, config, config_path)

    def rebuild() -> None:
        result = build_feeds(
            content_dir, output_dir, load_config(config_path), BuildOptions(now=datetime.now(UTC))
        )
        echo_warnings(result)
        click.echo(f"built: {result.articles} article(s), {files_changed(result)}", err=True)

    from feedtool.site.serve import start_server

    running = None
    # SIGTERM too stops it cleanly: a build under way in the watcher thread is let
    # finish (RunningServer.stop), and further signals do not cut that short.
    with stop_signals_raise():
        try:
            running = start_server(
                output_dir,
                host,
                port,
                rebuild=rebuild,
                watch=[content_dir, config_path],
                log=lambda message: click.echo(message, err=True),
                media=content_dir,  # local enclosures play from the page, as published
            )
            click.echo(f"Serving {output_dir} at {running.url} (Ctrl-C stops)")
            for line in _main_feeds(output_dir, running.url):
                click.echo(line)
            while running.thread.is_alive():
                running.thread.join(0.5)
        except (KeyboardInterrupt, Interrupted):
            click.echo("Stopped.")
        finally:
            if running is not None:
                running.stop()


def _main_feeds(output_dir: Path, url: str) -> list[str]:
    """The feeds at the top of the output folder, one line each, and a count of the rest."""
    from feedtool.site.mediatypes import OPML, is_feed, media_type

    main, others = [], 0
    root = output_dir.resolve()
    for path in sorted(output_dir.rglob("*")):
        relative = path.relative_to(output_dir).as_posix()
        if relative.startswith(".") or "/." in relative or not path.is_file():
            continue
        if not path.resolve().is_relative_to(root):
            continue  # a link pointing out, which serve does not serve either
        if relative == "index.html":
            continue  # the page at the URL itself
        if "/" not in relative:
            data = path.read_bytes()
            if is_feed(relative, data) or media_type(relative, data) == OPML:
                main.append(printable(f"  {url}{quote(relative)}"))
                continue
        others += 1
    if others:
        main.append(f"  and {others} more file(s) (per-tag feeds, archives...)")
    return main
