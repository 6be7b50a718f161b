"""The content as data: `events.json` (everything, dates normalised) and `events.csv`.

Both follow the chronology. A date's first and last instants are written on the
site's clock, with its offset (a day of a Paris site begins at 00:00:00+02:00, not at
UTC midnight); its `kind` says whether it is one date, an interval that lasted, or
a window within which it happened (EDTF `[A..B]`). Optional text that an item does not give is `null` in
JSON and an empty cell in CSV. A CSV cell that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) gets a leading apostrophe.
"""
from __future__ import annotations

import csv
import io
from typing import Any

from generator.dates import EDTF
from generator.exports.common import ExportTools, SiteLinks, event_path, json_document, local_iso, to_json
from generator.model import Actor, Event, Place, Source, Timeline
from generator.reads import record_all
from generator.urls import output_path

CSV_COLUMNS = (
    "id", "date_edtf", "earliest", "latest", "precision", "title", "status", "location",
    "actors", "actor_ids", "tags", "sources", "url", "place_ids",
)
LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def events_json(timeline: Timeline, tools: ExportTools) -> list[bytes]:
    """Every event, actor, source and place, with dates in normalised form."""
    record_all(("config", "all:events", "all:actors", "all:sources", "timeline:places"))
    links = SiteLinks.of(timeline)
    config = timeline.config
    document = {
        "title": config.title,
        "description": config.description,
        "base_url": config.base_url or None,
        "generated_from": "timeline",
        "actors": [_actor(actor) for actor in timeline.actors.values()],
        "sources": [_source(source) for source in timeline.sources.values()],
        "places": [_place(place) for place in timeline.places.values()],
    }
    events = tools.each("json", timeline.events, lambda event: to_json(_event(event, timeline, links)))
    return json_document(document, "events", events)


def date_json(date: EDTF) -> dict[str, Any]:
    return {
        "edtf": date.edtf,
        "kind": date_kind(date),
        "earliest": local_iso(date.local_earliest),
        "latest": local_iso(date.local_latest),
        "precision": date.precision.label,
        "approximate": date.approximate,
        "uncertain": date.uncertain,
        "display": date.display(),
    }


def date_kind(date: EDTF) -> str:
    """ "date", "interval" (it lasted from A to B) or "window" (sometime between A and B)."""
    return "window" if date.is_window else "interval" if date.is_interval else "date"


def _event(event: Event, timeline: Timeline, links: SiteLinks) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "url": output_path(event_path(event)),
        "absolute_url": links.absolute(event_path(event)),
        "date": date_json(event.date),
        "date_note": event.date_note or None,
        "status": event.status,
        "location": event.location or None,
        "places": list(event.places),
        "summary": event.summary,
        "actors": [_actor_ref(timeline.actors[a]) | {"kind": timeline.actors[a].kind} for a in event.actors],
        "tags": [{"slug": tag.slug, "label": tag.label} for tag in event.tags],
        "sources": [_source(timeline.sources[c.source]) | {"note": c.note or None} for c in event.sources],
        "quotes": [
            {"by": _actor_ref(timeline.actors[q.by]), "text": q.text, "source": q.source} for q in event.quotes
        ],
        "related": list(event.related),
    }


def _actor_ref(actor: Actor) -> dict[str, Any]:
    return {"id": actor.id, "name": actor.name}


def _actor(actor: Actor) -> dict[str, Any]:
    return _actor_ref(actor) | {
        "kind": actor.kind,
        "aliases": list(actor.aliases),
        "affiliations": list(actor.affiliations),
        "roles": [
            {
                "title": role.title,
                "of": role.of,
                "from": role.start.edtf if role.start else None,
                "to": role.end.edtf if role.end else None,
            }
            for role in actor.roles
        ],
        "description": actor.description or None,
    }


def _place(place: Place) -> dict[str, Any]:
    return {
        "id": place.id,
        "name": place.name,
        "kind": place.kind,
        "aliases": list(place.aliases),
        "within": place.within,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "area": list(place.area) if place.area else None,
        "precision": place.precision,
        "geonames": place.geonames,
        "wikidata": place.wikidata,
    }


def _source(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher or None,
        "published": source.published.edtf if source.published else None,
        "url": source.url or None,
        "author": source.author or None,
    }


def events_csv(timeline: Timeline, tools: ExportTools) -> list[bytes]:
    """One row per event, under a header row (RFC 4180)."""
    record_all(("config", "all:events", "all:actors"))
    links = SiteLinks.of(timeline)
    rows = tools.each("csv", timeline.events, lambda event: _csv_line(_row(event, timeline, links)))
    return [_csv_line(CSV_COLUMNS), *rows]


def _csv_line(cells: tuple[str, ...] | list[str]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerow([defuse_formula(cell) for cell in cells])
    return buffer.getvalue().encode("utf-8")


def _row(event: Event, timeline: Timeline, links: SiteLinks) -> list[str]:
    date = event.date
    return [
        event.id, date.edtf, local_iso(date.local_earliest), local_iso(date.local_latest), date.precision.label,
        event.title, event.status, event.location,
        LIST_SEPARATOR.join(timeline.actors[a].name for a in event.actors),
        LIST_SEPARATOR.join(event.actors),
        LIST_SEPARATOR.join(tag.label for tag in event.tags),
        LIST_SEPARATOR.join(c.source for c in event.sources),
        links.link(event_path(event)),
        LIST_SEPARATOR.join(event.places),
    ]


def defuse_formula(cell: str) -> str:
    """A cell a spreadsheet will show as text, never evaluate."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
