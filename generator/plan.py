"""The plan stage: the Timeline → the list of pages and files the site is made of.

A `Page` names its output path, the templates that may render it (the first that
exists wins, so a site can override one kind of page) and its context. Actors,
tags, years, sources and places are all planned by one mechanism, `TermKind`. Exports
(feeds, JSON, ICS, CSV, sitemap) are `Export`s: a path and a function of the
Timeline.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping

from generator import exports
from generator.exports import Export
from generator.model import Event, Taxonomy, Term, Timeline, change_record
from generator.urls import CHANGES_PATH, KIND_BY_SINGULAR, TERM_KINDS, TermKind, output_path

# Path rules live in generator.urls; the plan hands them on to its callers.
__all__ = [
    "Export", "KIND_BY_SINGULAR", "Listing", "Page", "Pagination", "TERM_KINDS", "TermLink", "TermKind", "output_path", "plan_site",
    "HOME_LIMIT", "PER_PAGE",
]
PER_PAGE = 200  # events on one page of a term's list; longer lists are paginated
# A longer chronology shows its latest events on the home page, the rest by year: with
# its time view and map, the home page then stays under 1 MB at any size (bench/maps_bench.py).
HOME_LIMIT = 200


@dataclass(frozen=True)
class Page:
    path: str  # site path: "events/x/" for a folder's index.html, or "404.html"
    templates: tuple[str, ...]
    context: Mapping[str, Any]

    @property
    def output(self) -> str:
        return output_path(self.path)


@dataclass(frozen=True, eq=False)
class Listing:
    """A stretch of a term's list, its entries `start` to `stop`: a page's events as (event, via)
    pairs, made only when the page renders (a build plans every page and renders few)."""

    term: Term
    start: int
    stop: int

    def pairs(self, events: Mapping[str, Event]) -> list[tuple[Event, str | None]]:
        return [(events[entry.event], entry.via) for entry in self.term.entries[self.start:self.stop]]


@dataclass(frozen=True)
class TermLink:
    """A term as the pages beside its own link to it (`previous_term`, `next_term`): without its
    list of events, so that a page's plan stays the same when only a neighbour's list changes."""

    slug: str
    label: str


@dataclass(frozen=True)
class Pagination:
    number: int  # from 1
    count: int
    previous: str | None  # site paths
    next: str | None


def plan_site(timeline: Timeline) -> tuple[list[Page], list[Export]]:
    """Every page and export of the site, in a stable order."""
    pages = [_home(timeline), *_event_pages(timeline)]
    for kind in TERM_KINDS:
        pages += _term_pages(kind, timeline.taxonomies[kind.taxonomy])
    pages.append(_changes_page(timeline))  # provenance: the site's record of changes
    pages.append(Page("404.html", ("404.html",), {"title": "Page not found"}))
    pages.append(replace(_home(timeline), path="embed/", templates=("embed.html",)))  # the chronology for other sites' iframes
    pages += _embed_pages(timeline)
    return pages, exports.planned_exports(timeline)


EMBEDDED_KINDS = ("actors", "tags")  # the terms that get an embeddable chronology of their own
# Events on a term's embed page: an iframe shows a few; the term's own page has them all.
# Cold builds of a 10,000-event synthetic site (240 embed pages) on a loaded machine: with
# 300 events each, as on the home page, 191 s against 138 s without them; with 100, 150 s
# against 162 s, lost in the noise.
EMBED_LIMIT = 100


def embed_path(kind: TermKind, slug: str) -> str:
    """The site path of a term's embeddable page: embed/actors/france/."""
    return "embed/" + kind.path(slug)


def _embed_pages(timeline: Timeline) -> list[Page]:
    """An actor's or a tag's chronology for an iframe: its latest EMBED_LIMIT events."""
    pages = []
    for kind in TERM_KINDS:
        if kind.taxonomy not in EMBEDDED_KINDS:
            continue
        for term in timeline.taxonomies[kind.taxonomy].terms.values():
            hidden = max(0, len(term.entries) - EMBED_LIMIT)
            pages.append(Page(embed_path(kind, term.slug), ("embed.html",), {
                "title": term.label, "kind": kind, "term": term, "entries": Listing(term, hidden, len(term.entries)),
                "hidden": hidden,
            }))
    return pages


def _home(timeline: Timeline) -> Page:
    shown = timeline.events[-HOME_LIMIT:]
    return Page("", ("home.html",), {
        "title": timeline.config.title,
        "entries": [(event, None) for event in shown],
        "hidden": len(timeline.events) - len(shown),
    })


def _changes_page(timeline: Timeline) -> Page:
    """What was published, changed and corrected, and when (from git and the events' corrections)."""
    changes = [(change, timeline.events_by_id[change.event]) for change in change_record(timeline.events)]
    return Page(CHANGES_PATH, ("changes.html",), {"title": "Changes", "changes": changes, "note": timeline.history_note})


def _event_pages(timeline: Timeline) -> list[Page]:
    events = timeline.events
    return [
        Page(
            f"events/{event.id}/",
            ("event.html",),
            {
                "title": event.title,
                "event": event,
                "previous": events[index - 1] if index else None,
                "next": events[index + 1] if index + 1 < len(events) else None,
            },
        )
        for index, event in enumerate(events)
    ]


def _term_pages(kind: TermKind, taxonomy: Taxonomy) -> list[Page]:
    pages: list[Page] = []
    terms = list(taxonomy.terms.values())
    if kind.index_path is not None:
        pages.append(Page(kind.index_path, (f"{kind.taxonomy}.html", "terms.html"), {"title": kind.title, "kind": kind, "terms": terms}))
    links = [TermLink(term.slug, term.label) for term in terms]
    for position, term in enumerate(terms):
        neighbours = {
            "previous_term": links[position - 1] if position else None,
            "next_term": links[position + 1] if position + 1 < len(terms) else None,
        }
        pages += _paginated(kind, term, neighbours)
    return pages


def _paginated(kind: TermKind, term: Term, extra: dict) -> list[Page]:
    base = kind.path(term.slug)
    chunks = [Listing(term, i, min(i + PER_PAGE, len(term.entries))) for i in range(0, len(term.entries), PER_PAGE)] or [Listing(term, 0, 0)]
    paths = [base] + [f"{base}page/{n}/" for n in range(2, len(chunks) + 1)]
    pages = []
    for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
        pagination = Pagination(
            number, len(chunks),
            paths[number - 2] if number > 1 else None,
            paths[number] if number < len(chunks) else None,
        )
        context = {
            "title": term.label, "kind": kind, "term": term, "entries": chunk,
            "pagination": pagination, **extra,
        }
        pages.append(Page(path, (f"{kind.singular}.html", "term.html"), context))
    return pages

