"""Pelican settings for the equivalent of the synthetic timeline site (see bench/README.md).

Same pages as the Hugo one: an event page each (articles), a page per actor
(authors), tag and year (categories) listing its events, an index of actors, of
tags and of years, and a home page listing every event. No feeds, no pagination,
relative links, no cache.
"""
SITENAME = "Synthetic timeline"
SITEURL = ""
RELATIVE_URLS = True
PATH = "content"
THEME = "theme"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False

FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

DIRECT_TEMPLATES = ["index", "authors", "tags", "categories"]
AUTHORS_SAVE_AS = "actors/index.html"
TAGS_SAVE_AS = "tags/index.html"
ARTICLE_URL = "events/{slug}/"
ARTICLE_SAVE_AS = "events/{slug}/index.html"
AUTHOR_URL = "actors/{slug}/"
AUTHOR_SAVE_AS = "actors/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
ARCHIVES_SAVE_AS = ""
CATEGORIES_SAVE_AS = "years/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
PAGE_PATHS: list[str] = []
STATIC_PATHS: list[str] = []
