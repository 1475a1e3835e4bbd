# A small Pelican site written to Pelican's documented settings, for feedtool's dialect tests.
AUTHOR = "Pel Ican"
SITENAME = "Pelican Test Site"
SITEURL = "https://pelican.example.org"
PATH = "content"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "en"
ARTICLE_URL = "posts/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "posts/{date:%Y}/{date:%m}/{slug}/index.html"
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
TRANSLATION_FEED_ATOM = "feeds/all-{lang}.atom.xml"
DEFAULT_PAGINATION = 10
