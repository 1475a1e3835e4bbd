"""feedtool serve: the preview server, rebuilding when the content or config changes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from feedtool.cli._group import (
    cli,
    config_option,
    content_folder,
    content_option,
    output_option,
    reports_errors,
)
from feedtool.cli.build import echo_warnings, files_changed
from feedtool.config import load_config
from feedtool.pipeline import build as build_feeds


@cli.command()
@content_option
@output_option
@config_option
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
@reports_errors
def serve(content_dir: Path, output_dir: Path, config_path: Path, host: str, port: int) -> None:
    """Preview the feeds over HTTP, as a reader on this machine would fetch them.

    Builds first, and again whenever a request finds the content or config changed.
    Serves only OUTPUT, with feed content types, ETag and Last-Modified (and 304s).
    Ctrl-C stops it.
    """

    content_dir = content_folder(content_dir, load_config(config_path), config_path)

    def rebuild() -> None:
        result = build_feeds(content_dir, output_dir, load_config(config_path), datetime.now(UTC))
        echo_warnings(result)
        click.echo(f"built: {result.articles} article(s), {files_changed(result)}", err=True)

    from feedtool.site.serve import start_server

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
