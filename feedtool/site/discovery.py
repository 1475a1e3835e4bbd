"""Feed autodiscovery: the <link rel="alternate"> tags a page's HTML head carries."""

from __future__ import annotations

from html import escape

from feedtool.config import SiteConfig
from feedtool.plan.feeds import FeedPlan
from feedtool.render.formats import feed_url, named


def link_tags(config: SiteConfig, plans: list[FeedPlan]) -> list[str]:
    """One <link> per feed and format, in config order; a comment names each group's feeds.

    Archive pages are left out: nobody subscribes to them.
    """
    lines: list[str] = []
    for plan in plans:
        if plan.archive:
            continue
        if plan.key:
            # Keys are plain ASCII folder names, so they cannot end the comment early.
            lines.append(f"<!-- {plan.key} -->")
        for fmt in named(plan.formats or config.formats):
            title = f"{plan.title} ({fmt.label})"
            href = feed_url(config.feeds_url, plan.key, fmt, config.feed_files)
            lines.append(
                f'<link rel="alternate" type="{fmt.media_type}" '
                f'title="{escape(title)}" href="{escape(href)}">'
            )
    return lines
