from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings

from feedtool.cli import cli, interrupts
from feedtool.config import SiteConfig, load_config
from feedtool.model import Article, Body
from feedtool.pipeline import BuildOptions, BuildResult, build, open_cache
from feedtool.publish.write import MANIFEST
from feedtool.render.formats import FORMATS, filename
from feedtool.site.serve import start_server

NOW = datetime(2026, 1, 1, tzinfo=UTC)
TESTS = Path(__file__).parent  # tests/, with data/ and golden/
ROOT = TESTS.parent  # the repository

# Property tests: "dev" (the default at a desk) is a quick pass for the inner loop;
# "ci" (the default where CI is set, as .ci/run has it) a fixed budget with a fixed seed,
# so CI is thorough and repeatable; HYPOTHESIS_PROFILE=long explores far more at random.
# Each example builds a whole site on disk, hence no deadline and the health check for
# slow data generation is off.
settings.register_profile(
    "dev",
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=3000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

DEFAULT_CONFIG = """\
title = "Test site"
description = "A site for tests"
base_url = "https://example.org/blog/"
author = "Site Owner <owner@example.org>"
language = "en"
timezone = "UTC"
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="Rewrite tests/golden/ from the current output instead of comparing with it.",
    )


@dataclass
class Site:
    """A throwaway site: content folder, output folder and config, in tmp_path."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "feeds"

    @property
    def config_path(self) -> Path:
        return self.root / "feedtool.toml"

    def write(self, name: str, text: str, *, dedent: bool = True) -> Path:
        path = self.content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if dedent else text, encoding="utf-8")
        return path

    def article(
        self,
        name: str,
        title: str = "A title",
        date: str = "2025-01-02T03:04:05Z",
        body: str = "Body text.",
        **meta: str,
    ) -> Path:
        lines = [f"title: {title!r}" if "'" not in title else f'title: "{title}"', f"date: {date}"]
        lines += [f"{key}: {value}" for key, value in meta.items()]
        return self.write(name, "---\n" + "\n".join(lines) + "\n---\n" + body + "\n", dedent=False)

    def configure(self, text: str = DEFAULT_CONFIG, **extra: Any) -> None:
        lines = [text.rstrip("\n")]
        for key, value in extra.items():
            if isinstance(value, bool):
                lines.append(f"{key} = {str(value).lower()}")
            else:
                lines.append(
                    f"{key} = {value!r}" if not isinstance(value, str) else f'{key} = "{value}"'
                )
        self.config_path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def build(self, now: datetime = NOW, **kwargs: Any) -> BuildResult:
        config = load_config(self.config_path)
        return build(self.content, self.output, config, options(config, now, **kwargs))

    def folders(self) -> list[str]:
        """The options that point a command at this site: --content, --output, --config."""
        return [
            "--content",
            str(self.content),
            "--output",
            str(self.output),
            "--config",
            str(self.config_path),
        ]

    def run(self, *args: str) -> Result:
        base = self.folders()
        command, rest = (args[0], list(args[1:])) if args else ("build", [])
        if command == "build" and "--no-cache" not in rest and "--cache" not in rest:
            # Beside the site, never in the repo, and not among the files tests look at.
            rest += ["--cache", str(self.root.with_name(self.root.name + "-cache"))]
        return CliRunner().invoke(cli, [command, *base, *rest])

    def parsed(self, name: str = "atom.xml") -> Any:
        return feedparser.parse((self.output / name).read_bytes())

    def leftovers(self) -> list[Path]:
        """Temporary files anywhere in the site, and hidden files in the output folder
        other than the manifest of what feedtool wrote there."""
        return sorted(
            p
            for p in self.root.rglob("*")
            if p.name.endswith(".tmp")
            or (p.is_relative_to(self.output) and p.name.startswith(".") and p.name != MANIFEST)
        )

    def snapshot(self) -> dict[str, bytes]:
        if not self.output.exists():
            return {}
        return {
            str(p.relative_to(self.output)): p.read_bytes()
            for p in sorted(self.output.rglob("*"))
            if p.is_file()
        }


def run_in(folder: Path, *args: str) -> Result:
    """The command line run from inside ``folder``, as a person in that site runs it
    (the working directory is restored afterwards, whatever happens)."""
    with contextlib.chdir(folder):
        return CliRunner().invoke(cli, list(args))


@pytest.fixture(autouse=True)
def stop_signals_put_back(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A command run in the tests' own process as the script runs it (main(), run()) keeps
    SIGINT and SIGTERM for the rest of the process (interrupts.process_ends_with_command):
    after each test they are the tests' again, and Ctrl-C stops pytest."""
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    monkeypatch.setattr(interrupts._Recorded, "process_ends", interrupts._Recorded.process_ends)
    yield
    for signum, handler in before.items():
        signal.signal(signum, handler)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    result = Site(tmp_path)
    result.content.mkdir()
    result.configure()
    return result


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def forge(path: Path, change: Callable[[Any], None]) -> None:
    """Change a cache file's JSON as a forger would, keeping its header line."""
    header, _, body = path.read_bytes().partition(b"\n")
    data = json.loads(body)
    change(data)
    path.write_bytes(header + b"\n" + json.dumps(data).encode())


def options(
    config: SiteConfig, now: datetime = NOW, *, cache_dir: Path | None = None, **kwargs: Any
) -> BuildOptions:
    """build()'s options as the tests give them; ``cache_dir`` is opened as the command
    line opens it (a new Cache for each build)."""
    cache = open_cache(cache_dir, config) if cache_dir is not None else None
    return BuildOptions(now=now, cache=cache, **kwargs)


# Shared by the dialect, switching and real-reader tests (one place, so plain `pytest`
# needs no `tests.` package imports).


def feed_file(site: Path, fmt: str, key: str = "") -> Path:
    """A feed a build wrote: init --from puts them where the generator's were, with its
    names (site/switch.py)."""
    config = load_config(site / "feedtool.toml")
    name = filename(FORMATS[fmt], config.feed_files)
    return site / (config.output or "feeds") / key / name


def turn_on_language_feeds(site: Path) -> None:
    """Add feeds_per = ["languages"] to the feedtool.toml init --from wrote."""
    config = site / "feedtool.toml"
    text = config.read_text(encoding="utf-8")
    if "feeds_per = [" in text:  # init --from turned on the generator's tag feeds
        config.write_text(text.replace("feeds_per = [", 'feeds_per = ["languages", ', 1))
        return
    config.write_text(
        text.replace("[dialect_options]", 'feeds_per = ["languages"]\n\n[dialect_options]')
    )


@pytest.fixture
def feed_server() -> Iterator[Any]:
    """A function that serves a folder with ``feedtool serve``'s server on 127.0.0.1
    (a free port, real content types and conditional requests) and returns its URL."""
    servers: list[Any] = []

    def serve(folder: Path) -> str:
        server = start_server(folder, "127.0.0.1", 0)
        servers.append(server)
        return str(server.url).rstrip("/") + "/"

    yield serve
    for server in servers:
        server.stop()


def newsboat(urls: list[str], home: Path) -> list[dict[str, Any]]:
    """Run ``newsboat -x reload`` on ``urls`` with everything in ``home``; its cached items."""
    executable = shutil.which("newsboat")
    if executable is None:
        pytest.fail(
            "newsboat is not installed; this test needs the real reader "
            "(apt-get install -y newsboat, as .ci/run does)"
        )
    home.mkdir(exist_ok=True)  # a second reload reads into the same cache
    (home / "urls").write_text("".join(url + "\n" for url in urls), encoding="utf-8")
    (home / "config").write_text("", encoding="utf-8")
    cache = home / "cache.db"
    # Only what newsboat needs: no proxy settings from outside, nothing of the real HOME.
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TERM": "dumb",
    }
    command = [executable, "-u", str(home / "urls"), "-c", str(cache), "-C", str(home / "config")]
    completed = subprocess.run(
        [*command, "-x", "reload"], env=env, capture_output=True, text=True, timeout=600
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    with sqlite3.connect(cache) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(
            "SELECT feedurl, guid, title, url, author, enclosure_url, enclosure_type"
            " FROM rss_item WHERE deleted = 0 ORDER BY pubDate DESC"
        )
        return [dict(row) for row in rows]


LEDGER_CONTENT = Path("/site/content")  # a content folder named in ledgers, never read


def ledger_article(name: str, id: str, link: str | None = None) -> Article:
    """An article of LEDGER_CONTENT, as the ledger sees one (no body is read)."""
    day = datetime(2025, 1, 2, tzinfo=UTC)
    return Article(
        source=str(LEDGER_CONTENT / name),
        id=id,
        slug=name,
        title=name,
        link=link or f"https://example.org/{name}/",
        published=day,
        updated=day,
        body=Body(str(LEDGER_CONTENT / name), "markdown", 0),
    )
