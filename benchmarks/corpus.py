"""Write a seeded corpus of N Markdown articles for the benchmarks.

Each article has YAML front matter (title, date, tags from a pool of 50,
summary) and about 700 words of body text, as in issue 7's measurements.

Usage: python benchmarks/corpus.py N DIR [--seed S]
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

WORDS = (
    "feed reader article publish syndication atom channel item content summary link date "
    "author category archive cache build render parse markdown yaml front matter text html "
    "valid schema entry update newest oldest order limit site page web writer reader news "
    "story letter summit river mountain city garden winter summer autumn spring coffee "
    "library music picture window network server client request response token stream"
).split()
TAGS = [f"topic-{i:02d}" for i in range(50)]
START = datetime(2015, 1, 1, tzinfo=UTC)


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def article(rng: random.Random, number: int) -> tuple[str, str]:
    date = START + timedelta(minutes=rng.randrange(0, 10 * 365 * 24 * 60))
    title = paragraph(rng, rng.randint(3, 9)).rstrip(".")
    tags = sorted(rng.sample(TAGS, rng.randint(1, 4)))
    front = [
        "---",
        f'title: "{title}"',
        f"date: {date:%Y-%m-%dT%H:%M:%S}Z",
        f"tags: [{', '.join(tags)}]",
        f'summary: "{paragraph(rng, 20)}"',
        "---",
    ]
    body = "\n\n".join(paragraph(rng, 70) for _ in range(10))
    name = f"{date:%Y-%m-%d}-post-{number:06d}.md"
    return name, "\n".join(front) + "\n" + body + "\n"


def write_corpus(count: int, directory: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        name, text = article(rng, number)
        (directory / name).write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_corpus(args.count, args.directory, args.seed)


if __name__ == "__main__":
    main()
