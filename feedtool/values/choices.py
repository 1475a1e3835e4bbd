"""The names settings choose among, and which files are articles, as plain data:
config.py checks ``formats``, ``feeds_per`` and ``dialect`` against them without
importing the registries above it, and the content folder is listed without the records.

Each registry is keyed by these names and checks so when it is imported
(render/formats, plan/groups, read/dialects); a new format, grouping or dialect is its
module, its registry line, and its name here.
"""

from __future__ import annotations

# Body file suffix -> format name. Anything else in content/ is not an article.
BODY_SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}

# Feed formats every feed may be written in (render/formats.FORMATS), in the default
# order, each with its file name (feed_files may give another).
FORMATS: dict[str, str] = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}

# Files the build writes for itself (podcast.xml, the OPML list, the HTML page): feed_files
# may not name them (render/documents.py checks the list against its formats).
OWN_FILES = ("podcast.xml", "index.opml", "index.html")

# The ledger of published ids, beside the config file (publish/ledger.py), and the lock
# builds take turns on to update it; the list of the files a build wrote, in the output
# folder (publish/manifest.py).
LEDGER_NAME = "feedtool.ids"
LEDGER_LOCK = f".{LEDGER_NAME}.lock"
MANIFEST_NAME = ".feedtool-files"

# Where the command line looks for a site's config and keeps its cache, unless told.
CONFIG_NAME = "feedtool.toml"
CACHE_FOLDER = ".feedtool-cache"

# What feeds_per may split the articles by (plan/groups.GROUPINGS).
GROUPINGS = ("tags", "categories", "authors", "languages")

# Dialect name -> its module in read/dialects/. A new dialect is one module and one line.
DIALECTS: dict[str, str] = {
    "hugo": "hugo",
    "jekyll": "jekyll",
    "pelican": "pelican",
    "zola": "zola",
    "eleventy": "eleventy",
}
