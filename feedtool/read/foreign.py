"""Front matter keys that other site generators read: never taken for a typo of feedtool's.

A key one edit away from one of feedtool's own (``drafft``, ``tittle``) is reported as a
typo (see typos.py), unless it is listed here: Hugo's ``images`` is one letter from
``image`` and means something else. Each list is the generator's documented front
matter, spelled as its documentation spells it; add a generator as one more entry.
"""

from __future__ import annotations

FOREIGN_KEYS: dict[str, frozenset[str]] = {
    # gohugoio/hugoDocs content/en/content-management/front-matter.md ("Predefined"), and
    # the date keys of https://gohugo.io/configuration/front-matter.
    "hugo": frozenset(
        """aliases audio build cascade categories date description draft expiryDate
        expirydate headless images isCJKLanguage keywords lastmod layout linkTitle markup
        menu menus modified outputs params pubdate publishDate publishdate published
        resources series sitemap slug summary tags title translationKey type unpublishdate
        url videos weight""".split()
    ),
    # jekyll/jekyll docs/_docs/front-matter.md, docs/_docs/posts.md (excerpt,
    # excerpt_separator), and lib/jekyll/document.rb, whose populate_tags reads "tag" too.
    "jekyll": frozenset(
        """categories category date excerpt excerpt_separator layout permalink published
        tag tags""".split()
    ),
    # getzola/zola docs/content/documentation/content/page.md ("Front-matter"), with the
    # authors and updated keys of later versions.
    "zola": frozenset(
        """aliases authors date description draft extra in_search_index path slug
        taxonomies template title updated weight""".split()
    ),
    # https://www.11ty.dev/docs/data-configuration/ ("special data keys").
    "eleventy": frozenset(
        """date dynamicPermalink eleventyComputed eleventyDataSchema
        eleventyExcludeFromCollections eleventyImport layout pagination permalink tags
        templateEngineOverride""".split()
    ),
    # getpelican/pelican docs/content.rst ("File metadata", "Pages", "Translations") and
    # docs/settings.rst (an article's own save_as, url and template).
    "pelican": frozenset(
        """author authors category date keywords lang modified save_as slug status summary
        tags template title translation url""".split()
    ),
}

ALL_FOREIGN_KEYS: frozenset[str] = frozenset().union(*FOREIGN_KEYS.values())
