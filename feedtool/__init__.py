"""feedtool: publish RSS 2.0, Atom 1.0 and JSON Feed files from a folder of articles.

The Python API; the command line (feedtool.cli) is a thin layer over it::

    from pathlib import Path
    import feedtool

    config = feedtool.load_config(Path("feedtool.toml"))
    result = feedtool.build(Path("content"), Path("feeds"), config)
    print(result.changed)

    # Feeds from articles made in memory, no content folder:
    post = feedtool.article(
        config, {"title": "Hello", "date": "2026-12-01T09:00:00Z"}, "Some *Markdown*.",
        source="hello.md",
    )
    feedtool.build([post], Path("feeds"), config)

    # Any feed, from anywhere: bytes in, problems out.
    for problem in feedtool.validate(Path("feeds/atom.xml").read_bytes()):
        print(problem.line, problem.level, problem.message)

Every problem with the input is a FeedtoolError (ContentError, ConfigError,
PublishError; ManyErrors holds several), carrying the file, line and field. Nothing here
changes process-wide state. Names are imported when first used, so that a command that
has nothing to do does not pay for loading what it does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from feedtool.config import SiteConfig, load_config
    from feedtool.errors import (
        ConfigError,
        ContentError,
        FeedtoolError,
        ManyErrors,
        PublishError,
    )
    from feedtool.model import Article, Author, Enclosure
    from feedtool.pipeline import BuildOptions, BuildResult, build, open_cache
    from feedtool.read.record import article_from_metadata as article
    from feedtool.validators import Problem
    from feedtool.validators import validate_document as validate

# Public name -> (module, name in it).
_API = {
    "build": ("feedtool.pipeline", "build"),
    "BuildResult": ("feedtool.pipeline", "BuildResult"),
    "BuildOptions": ("feedtool.pipeline", "BuildOptions"),
    "open_cache": ("feedtool.pipeline", "open_cache"),
    "load_config": ("feedtool.config", "load_config"),
    "SiteConfig": ("feedtool.config", "SiteConfig"),
    "article": ("feedtool.read.record", "article_from_metadata"),
    "Article": ("feedtool.model", "Article"),
    "Author": ("feedtool.model", "Author"),
    "Enclosure": ("feedtool.model", "Enclosure"),
    "validate": ("feedtool.validators", "validate_document"),
    "Problem": ("feedtool.validators", "Problem"),
    "FeedtoolError": ("feedtool.errors", "FeedtoolError"),
    "ContentError": ("feedtool.errors", "ContentError"),
    "ConfigError": ("feedtool.errors", "ConfigError"),
    "PublishError": ("feedtool.errors", "PublishError"),
    "ManyErrors": ("feedtool.errors", "ManyErrors"),
}

__all__ = [
    "Article",
    "Author",
    "BuildOptions",
    "BuildResult",
    "ConfigError",
    "ContentError",
    "Enclosure",
    "FeedtoolError",
    "ManyErrors",
    "Problem",
    "PublishError",
    "SiteConfig",
    "article",
    "build",
    "load_config",
    "open_cache",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'feedtool' has no attribute {name!r}")
    module, attribute = _API[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
