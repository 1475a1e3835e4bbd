from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings

from feedtool.cli import cli
from feedtool.config import SiteConfig, load_config
from feedtool.pipeline import BuildOptions, BuildResult, build, open_cache
from feedtool.publish.write import MANIFEST

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

    def run(self, *args: str) -> Result:
        base = [
            "--content",
            str(self.content),
            "--output",
            str(self.output),
            "--config",
            str(self.config_path),
        ]
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


@pytest.fixture
def site(tmp_path: Path) -> Site:
    result = Site(tmp_path)
    result.content.mkdir()
    result.configure()
    return result


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def options(
    config: SiteConfig, now: datetime = NOW, *, cache_dir: Path | None = None, **kwargs: Any
) -> BuildOptions:
    """build()'s options as the tests give them; ``cache_dir`` is opened as the command
    line opens it (a new Cache for each build)."""
    cache = open_cache(cache_dir, config) if cache_dir is not None else None
    return BuildOptions(now=now, cache=cache, **kwargs)
