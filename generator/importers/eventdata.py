"""Conflict event data sets (ACLED, UCDP GED): one row an event, with actors, a place and sources.

Each data set says how a row reads (`Dataset.facts`: its id, date, title, summary,
actors, place, sources); this module makes the files from that. Actors, places and
sources that many rows name are written once, with ids that stay theirs across
imports; a place lies within its first-level region, within its country.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as calendar_date
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Callable

from generator import dates
from generator.importers.common import Draft, Ids, UnreadableFile, Imported, Row, RowError, read_table, row_slug

PRECISION_ORDER = ("exact", "near", "city", "region", "country")


@dataclass(frozen=True)
class PlaceFacts:
    """Where a row happened, from the finest: the location, its region and its country."""

    location: str
    region: str
    country: str
    latitude: float | None
    longitude: float | None
    kind: str  # the location's kind (town, area, region…)
    precision: str  # one of PRECISION_ORDER


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str
    alias: str = ""


@dataclass(frozen=True)
class Facts:
    """What one row says, in the terms of the content format."""

    row_id: str
    year: int  # the folder the event is filed under
    date: str  # EDTF
    title: str
    summary: str
    place: PlaceFacts
    actors: list[Actor] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # publishers' names
    tags: list[str] = field(default_factory=list)
    date_note: str = ""
    citation_note: str = ""  # what the data set's own citation says (its event id, deaths)


@dataclass(frozen=True)
class Dataset:
    """How to read one data set's rows."""

    name: str  # as shown in messages: ACLED
    origin: str  # the manifest's name for it, and the events' id prefix: acled
    id_column: str
    required_columns: tuple[str, ...]
    source: dict[str, str]  # the source file standing for the data set
    facts: Callable[[Row, tzinfo], Facts]


class EventDataImport:
    """The drafts a data set's export makes, shared actors, places and sources written once."""

    def __init__(self, dataset: Dataset, path: Path, shown: str, ids: Ids, timezone: tzinfo) -> None:
        self.dataset, self.path, self.shown, self.ids, self.timezone = dataset, path, shown, ids, timezone
        self.result = Imported()
        self.shared: dict[tuple[str, str], Draft] = {}
        self.resolved: dict[tuple[str, str], str] = {}  # (kind, key) → id, for the rows that name it again
        self.seen: dict[str, int] = {}
        self.note = f"Imported from {dataset.name} data."  # no file name: a newer export must not change every file

    def run(self) -> Imported:
        header, rows = read_table(self.path)
        missing = [name for name in self.dataset.required_columns if name not in header]
        if missing:
            raise UnreadableFile(f"{self.shown}:1: no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}: not an {self.dataset.name} export")
        events: list[Draft] = []
        for row in rows:
            self.result.rows += 1
            try:
                events.append(self._event(row))
            except RowError as err:
                self.result.row_problem(self.shown, row.number, err.column, f"{err.column_name}: {err}")
                self.result.failed_rows += 1
        self._aliases()
        self.result.drafts = [*self.shared.values(), *events]
        return self.result

    def _event(self, row: Row) -> Draft:
        column = self.dataset.id_column
        row_id = row.get(column)
        event_id = row_slug(self.dataset.origin, row_id)
        if not row_id or event_id == self.dataset.origin:
            raise row.fail(column, f"empty: every {self.dataset.name} row has an event id")
        if row_id in self.seen:
            raise row.fail(column, f'"{row_id}" is on row {self.seen[row_id]} already')
        facts = self.dataset.facts(row, self.timezone)
        self.seen[row_id] = row.number
        values: dict[str, Any] = {"title": facts.title, "date": facts.date, "summary": facts.summary}
        actors = list(dict.fromkeys(self._actor(actor) for actor in facts.actors))
        if actors:
            values["actors"] = actors
        values["sources"] = self._sources(facts)
        if facts.tags:
            values["tags"] = list(dict.fromkeys(facts.tags))
        values["places"] = [self._place(facts.place)]
        if facts.date_note:
            values["date_note"] = facts.date_note
        return Draft("events", event_id, values, key=row_id, year=facts.year, origin_note=f"Imported from {self.dataset.name} event {row_id}.")

    def _shared(self, kind: str, key: str, name: str, candidates: Callable[[], list[str]], values: Callable[[], dict[str, Any]]) -> str:
        """The id of a shared item; its draft made once (none for an item the site has itself)."""
        found = self.resolved.get((kind, key))
        if found is None:
            found = self.ids.own(kind, name)
            if not found:
                found = self.ids.id_for(kind, key, candidates())
                self.shared[(kind, found)] = Draft(kind, found, values(), key=key, origin_note=self.note)
            self.resolved[(kind, key)] = found
        return found

    def _actor(self, actor: Actor) -> str:
        def values() -> dict[str, Any]:
            made: dict[str, Any] = {"name": actor.name, "kind": actor.kind}
            if actor.alias and actor.alias != actor.name:
                made["aliases"] = [actor.alias]
            return made

        return self._shared("actors", actor.name, actor.name, lambda: [row_slug(actor.alias or actor.name), row_slug(actor.name)], values)

    def _sources(self, facts: Facts) -> list[Any]:
        own = self.dataset.source
        data_set = self._shared("sources", self.dataset.name, own["title"], lambda: [self.dataset.origin], lambda: dict(own))
        cited: dict[str, Any] = {data_set: {"source": data_set, "note": facts.citation_note} if facts.citation_note else data_set}
        for name in facts.sources:
            source_id = self._shared("sources", name, name, lambda: [row_slug(name)], lambda: {"title": name, "publisher": name})
            cited.setdefault(source_id, source_id)
        return list(cited.values())

    def _place(self, place: PlaceFacts) -> str:
        country, region, location = place.country, place.region, place.location
        within = self._shared("places", f"country:{country}", country, lambda: [row_slug(country)], lambda: {"name": country, "kind": "country"})
        if region and region not in (location, country):
            parent = {"name": region, "kind": "region", "within": within}
            within = self._shared("places", f"admin1:{region}|{country}", region, lambda: [row_slug(region), row_slug(region, country)], lambda: parent)
        if location == country:
            return within
        values: dict[str, Any] = {"name": location, "kind": place.kind, "within": within, "precision": place.precision}
        if place.latitude is not None and place.longitude is not None:
            values["latitude"], values["longitude"] = place.latitude, place.longitude
        key = f"location:{location}|{region}|{country}"
        place_id = self._shared("places", key, location, lambda: [row_slug(location), row_slug(location, region), row_slug(location, region, country)], lambda: values)
        draft = self.shared.get(("places", place_id))
        if draft is not None and _finer(place.precision, draft.values.get("precision")):
            draft.values.update(kind=place.kind, precision=place.precision)
        return place_id

    def _aliases(self) -> None:
        """An alias two imported actors share names neither: it is dropped from both."""
        count: dict[str, int] = {}
        for (kind, _), draft in self.shared.items():
            if kind == "actors":
                for name in [draft.values["name"], *draft.values.get("aliases", ())]:
                    count[name.casefold()] = count.get(name.casefold(), 0) + 1
        for (kind, _), draft in self.shared.items():
            if kind == "actors" and draft.values.get("aliases"):
                kept = [a for a in draft.values["aliases"] if count[a.casefold()] == 1 and not self.ids.own("actors", a)]
                if kept:
                    draft.values["aliases"] = kept
                else:
                    del draft.values["aliases"]


def import_event_data(dataset: Dataset, path: Path, shown: str, ids: Ids, timezone: tzinfo) -> Imported:
    """The events, actors, places and sources a data set's CSV (or XLSX) export makes, and its bad rows."""
    return EventDataImport(dataset, path, shown, ids, timezone).run()


# --- cells ------------------------------------------------------------------------------


def split_names(text: str) -> list[str]:
    """`A; B` → [A, B]: the data sets separate several names in one cell with semicolons."""
    return [part.strip() for part in text.split(";") if part.strip()]


def degrees(row: Row, column: str, limit: float) -> float | None:
    text = row.get(column)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise row.fail(column, f'"{text}" is not a number of degrees') from None
    if not -limit <= value <= limit:
        raise row.fail(column, f"{value:g} is out of range (±{limit:g})")
    return round(value, 5)


def calendar_day(row: Row, column: str, formats: tuple[str, ...], example: str) -> calendar_date:
    """A day written in one of `formats` (or a spreadsheet's date cell)."""
    value = row.raw(column)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, calendar_date):
        return value
    text = row.get(column)
    for form in formats:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise row.fail(column, f'"{text}" is not a date ({example})')


def checked_date(row: Row, column: str, text: str, timezone: tzinfo) -> str:
    """The EDTF text, refused (at `column`) when timeline cannot hold it."""
    try:
        dates.parse(text, timezone)
    except dates.DateError as err:
        raise row.fail(column, f"not a date timeline can hold: {err}") from None
    return text


def _finer(precision: str, than: Any) -> bool:
    return isinstance(than, str) and than in PRECISION_ORDER and PRECISION_ORDER.index(precision) < PRECISION_ORDER.index(than)
