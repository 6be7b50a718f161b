"""Where things live in the site: every path and link rule, in one place.

Pages are folders with an `index.html` ("events/x/"), links are relative to the
page (so the site works at any sub-path and from disk), and actors, tags, years and
sources are all "a term with a list of events" under one `TermKind` each.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TermKind:
    """How one taxonomy becomes pages: where its terms live and what they are called."""

    taxonomy: str  # key in Timeline.taxonomies
    singular: str
    title: str
    term_path: str  # with {slug}
    index_path: str | None  # the page listing every term, if any

    def path(self, slug: str) -> str:
        return self.term_path.format(slug=slug)


TERM_KINDS = (
    TermKind("actors", "actor", "Actors", "actors/{slug}/", "actors/"),
    TermKind("tags", "tag", "Tags", "tags/{slug}/", "tags/"),
    TermKind("years", "year", "Years", "{slug}/", None),
    TermKind("sources", "source", "Sources", "sources/{slug}/", "sources/"),
    TermKind("places", "place", "Places", "places/{slug}/", "places/"),
)
KIND_BY_SINGULAR = {kind.singular: kind for kind in TERM_KINDS}


def output_path(path: str) -> str:
    """Where a site path is written: folders get their index.html."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def page_root(path: str, base_url: str) -> str:
    """The relative way back to the site's root from a page at `path`."""
    if path == "404.html":  # served at any depth: only an absolute root works
        return base_url or "/"
    return "../" * output_path(path).count("/")


CHANGES_PATH = "changes/"  # the record of changes (provenance)


def term_path(kind: str, slug: str) -> str:
    """The file of a term's page: term_path("actor", "france") is "actors/france/index.html"."""
    return output_path(KIND_BY_SINGULAR[kind].path(slug))


def event_path(event_id: str) -> str:
    """The site path of an event's page."""
    return f"events/{event_id}/"
