"""What validating before publishing costs a build: render vs validate time, per format.

Usage: python benchmarks/validate_speed.py [ENTRIES]   (default 10000)

Renders one feed document with ENTRIES entries in every output format, then checks
each rendered file the way `feedtool build` does, and prints both times (best of 3).
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedtool.model import Article, Author, Body, Entry, FeedDoc  # noqa: E402
from feedtool.render.formats import FORMATS  # noqa: E402
from feedtool.validators import validate_output  # noqa: E402

BASE = "https://example.org/"


def make_doc(count: int) -> FeedDoc:
    """One feed document with ``count`` entries of realistic shape."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    entries = []
    for number in range(count):
        when = start + timedelta(minutes=number)
        article = Article(
            source=f"content/post-{number}.md",
            id=f"tag:example.org,2025-01-01:/post-{number}",
            slug=f"post-{number}",
            title=f"Post number {number}",
            link=f"{BASE}post-{number}/",
            published=when,
            updated=when,
            body=Body(path=Path("unused.md"), format="markdown", start=0),
            authors=(Author("Ada Writer", "ada@example.org"),),
            tags=("python", "feeds"),
        )
        html = f'<p>Hello <em>world</em> number {number}: <a href="{BASE}{number}">a link</a>.</p>'
        entries.append(Entry(article=article, content_html=html, summary=f"Hello {number}."))
    return FeedDoc(
        key="",
        title="Speed test",
        description="Many entries",
        site_url=BASE,
        updated=start + timedelta(minutes=count),
        entries=tuple(reversed(entries)),
        language="en",
        authors=(Author("Site Owner"),),
    )


def best_of(runs: int, action: object) -> float:
    """The fastest of ``runs`` timings of ``action``, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    """Render and validate each format; print the times."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    doc = make_doc(count)
    print(f"{count} entries per feed; best of 3")
    total_render = total_check = 0.0
    for fmt in FORMATS.values():
        rendered: dict[str, bytes] = {}

        def render(fmt: object = fmt, rendered: dict[str, bytes] = rendered) -> None:
            rendered[fmt.filename] = fmt.render(doc, BASE + fmt.filename)  # type: ignore[attr-defined]

        render_time = best_of(3, render)
        problems: list[object] = []

        def check(rendered: dict[str, bytes] = rendered, problems: list[object] = problems) -> None:
            problems.extend(validate_output(rendered, BASE))

        check_time = best_of(3, check)
        size = len(rendered[fmt.filename]) / 1e6
        print(
            f"{fmt.filename:>10}: {size:5.1f} MB  render {render_time * 1000:6.0f} ms  "
            f"validate {check_time * 1000:5.0f} ms ({1e6 * check_time / count:.1f} µs per entry)"
            f"  problems: {len(problems) // 3}"
        )
        total_render += render_time
        total_check += check_time
    print(
        f"     total: render {total_render * 1000:.0f} ms, validate {total_check * 1000:.0f} ms "
        f"({100 * total_check / total_render:.0f}% of rendering)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
