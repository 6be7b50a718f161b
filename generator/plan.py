"""The plan stage: the Timeline → the list of pages and files the site is made of.

A `Page` names its output path, the templates that may render it (the first that
exists wins, so a site can override one kind of page) and its context. Actors,
tags, years and sources are all planned by one mechanism, `TermKind`. Exports
(feeds, JSON, ICS, CSV, sitemap) are `Export`s: a path and a function of the
Timeline.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from generator import exports
from generator.model import Entry, Event, Taxonomy, Term, Timeline, change_record, quotes_by_speaker, related_both_ways

PER_PAGE = 200  # events on one page of a term's list; longer lists are paginated
CHANGES_PATH = "changes/"
HOME_LIMIT = 300  # a longer chronology shows its latest events on the home page, the rest by year


@dataclass(frozen=True)
class Page:
    path: str  # site path: "events/x/" for a folder's index.html, or "404.html"
    templates: tuple[str, ...]
    context: Mapping[str, Any]
    # Events the page only outlines (counts, charts, titles, quotes: all but their
    # summaries; None: any event); those it shows whole are in its context. Both
    # decide when the page must be rendered again.
    outlined: tuple[str, ...] | None = ()

    @property
    def output(self) -> str:
        return output_path(self.path)


@dataclass(frozen=True)
class Export:
    path: str
    make: Callable[..., bytes]  # (timeline, ExportTools) -> bytes
    depends: tuple[str, ...] | None = None  # the events it shows; None: any


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
)
KIND_BY_SINGULAR = {kind.singular: kind for kind in TERM_KINDS}


@dataclass(frozen=True)
class Pagination:
    number: int  # from 1
    count: int
    previous: str | None  # site paths
    next: str | None


def output_path(path: str) -> str:
    """Where a site path is written: folders get their index.html."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def plan_site(timeline: Timeline) -> tuple[list[Page], list[Export]]:
    """Every page and export of the site, in a stable order."""
    pages = [_home(timeline), *_event_pages(timeline)]
    for kind in TERM_KINDS:
        pages += _term_pages(kind, timeline.taxonomies[kind.taxonomy], timeline)
    pages.append(_changes_page(timeline))  # provenance: the site's record of changes
    pages.append(Page("404.html", ("404.html",), {"title": "Page not found"}))
    return pages, exports.planned_exports(timeline)


def _home(timeline: Timeline) -> Page:
    shown = timeline.events[-HOME_LIMIT:]
    return Page("", ("home.html",), {
        "title": timeline.config.title,
        "entries": [(event, None) for event in shown],
        "hidden": len(timeline.events) - len(shown),
    }, outlined=None)


def _changes_page(timeline: Timeline) -> Page:
    """What was published, changed and corrected, and when (from git and the events' corrections)."""
    changes = [(change, timeline.events_by_id[change.event]) for change in change_record(timeline.events)]
    return Page(CHANGES_PATH, ("changes.html",), {"title": "Changes", "changes": changes, "note": timeline.history_note}, outlined=None)


def _event_pages(timeline: Timeline) -> list[Page]:
    events = timeline.events
    related_to = related_both_ways(events)
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
            outlined=tuple(sorted(related_to.get(event.id, ()))),
        )
        for index, event in enumerate(events)
    ]


def _term_pages(kind: TermKind, taxonomy: Taxonomy, timeline: Timeline) -> list[Page]:
    pages: list[Page] = []
    terms = list(taxonomy.terms.values())
    quoted = _quotes_by_speaker(timeline) if kind.taxonomy == "actors" else {}
    if kind.index_path is not None:  # counts and charts over every event
        pages.append(Page(kind.index_path, (f"{kind.taxonomy}.html", "terms.html"), {"title": kind.title, "kind": kind, "terms": terms}, outlined=None))
    for position, term in enumerate(terms):
        neighbours = {
            "previous_term": terms[position - 1] if position else None,
            "next_term": terms[position + 1] if position + 1 < len(terms) else None,
        }
        pages += _paginated(kind, term, timeline, neighbours, quoted)
    return pages


def _paginated(kind: TermKind, term: Term, timeline: Timeline, extra: dict, quoted: dict[str, tuple[str, ...]]) -> list[Page]:
    base = kind.path(term.slug)
    chunks = [term.entries[i:i + PER_PAGE] for i in range(0, len(term.entries), PER_PAGE)] or [()]
    paths = [base] + [f"{base}page/{n}/" for n in range(2, len(chunks) + 1)]
    pages = []
    # A term's charts and companions cover its whole list, quotes included.
    outlined = tuple(entry.event for entry in term.entries) + quoted.get(term.slug, ())
    for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
        pagination = Pagination(
            number, len(chunks),
            paths[number - 2] if number > 1 else None,
            paths[number] if number < len(chunks) else None,
        )
        context = {
            "title": term.label, "kind": kind, "term": term, "entries": _entries(chunk, timeline),
            "pagination": pagination, **extra,
        }
        pages.append(Page(path, (f"{kind.singular}.html", "term.html"), context, outlined=outlined))
    return pages


def _quotes_by_speaker(timeline: Timeline) -> dict[str, tuple[str, ...]]:
    """The events that quote each actor."""
    return {
        speaker: tuple(dict.fromkeys(event.id for event, _ in quotes))
        for speaker, quotes in quotes_by_speaker(timeline.events).items()
    }


def _entries(entries: tuple[Entry, ...], timeline: Timeline) -> list[tuple[Event, str | None]]:
    return [(timeline.events_by_id[entry.event], entry.via) for entry in entries]
