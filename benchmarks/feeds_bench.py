"""How long a build takes with every output on: per-group feeds, archives, three formats, OPML.

Usage: python benchmarks/feeds_bench.py [ARTICLES] [TAGS]

Writes a generated site to a temporary folder, builds it twice (the second build writes
nothing) and prints the figures. Not a test: no limits, just numbers.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feedtool.config import config_from_mapping
from feedtool.pipeline import BuildOptions, build


def make_site(root: Path, articles: int, tags: int) -> None:
    content = root / "content"
    content.mkdir()
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for n in range(articles):
        when = start + timedelta(hours=7 * n)
        names = [f"Topic {(n * k) % tags}" for k in (1, 3, 7)]
        (content / f"post-{n:05d}.md").write_text(
            f"---\ntitle: Post {n}\ndate: {when.isoformat()}\ntags: {names}\n"
            f"author: Writer {n % 5} <w{n % 5}@example.org>\n---\n"
            + ("Some *markdown* text with a [link](../other/). " * 30)
            + "\n",
            encoding="utf-8",
        )


def main() -> None:
    articles = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    tags = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    config = config_from_mapping(
        {
            "base_url": "https://bench.example.org/",
            "title": "Bench",
            "feeds_per": ["tags", "categories", "authors"],
            "archives": True,
            "archive_page_size": 100,
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_site(root, articles, tags)
        now = datetime(2100, 1, 1, tzinfo=UTC)
        began = time.perf_counter()
        first = build(root / "content", root / "feeds", config, BuildOptions(now=now))
        cold = time.perf_counter() - began
        began = time.perf_counter()
        second = build(root / "content", root / "feeds", config, BuildOptions(now=now))
        warm = time.perf_counter() - began
    size = sum(len(data) for data in first.files.values())
    print(f"{articles} articles, {tags} tags: {len(first.files)} files, {size / 1e6:.1f} MB")
    print(f"first build (writes everything): {cold:.2f} s")
    print(f"second build (writes nothing, {len(second.changed)} changed): {warm:.2f} s")


if __name__ == "__main__":
    main()
