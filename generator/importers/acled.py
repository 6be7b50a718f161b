"""ACLED's event data (its published CSV layout) as events, actors, places and sources.

One row is one event, its id `acled-` and the row's `event_id_cnty`, which ACLED
keeps when it revises an event. `time_precision` sets how the date is known: 1 the
day, 2 the week (a window of the seven days around the date ACLED coded, the middle
of that week), 3 the month. Actors (actor1, assoc_actor_1, actor2, assoc_actor_2)
become actor files, their kind from inter1/inter2, their name without ACLED's period
suffix ("Military Forces of Syria (2000-)") as an alias; the location a place within
its admin1 region within its country, with its coordinates and `geo_precision` as
the place's precision; each name in `source` a source; `notes` the summary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as calendar_date
from datetime import datetime, timedelta
from datetime import tzinfo
from pathlib import Path
from typing import Any, Callable

from generator import dates
from generator.importers.common import Draft, Ids, ImportError_, Imported, Row, RowError, read_table, row_slug

ORIGIN = "acled"
REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "event_type", "actor1", "country", "location")
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d-%m-%Y", "%d/%m/%Y")
# inter1/inter2, as numbers (older exports) or words (newer ones) → an actor kind.
_ACTOR_KINDS = {
    "1": "state", "state forces": "state",
    "2": "armed-group", "rebel group": "armed-group", "rebel groups": "armed-group",
    "3": "armed-group", "political militia": "armed-group", "political militias": "armed-group",
    "4": "armed-group", "identity militia": "armed-group", "identity militias": "armed-group",
}
# geo_precision → (the place's kind, its precision).
_GEO = {"1": ("town", "city"), "2": ("area", "near"), "3": ("region", "region")}
_PERIOD_SUFFIX = re.compile(r"\s*\((?:\d{4})?\s*-\s*(?:\d{4})?\)\s*$")
_ACLED_SOURCE = {
    "title": "ACLED event data",
    "publisher": "Armed Conflict Location & Event Data Project (ACLED)",
    "url": "https://acleddata.com/",
}


@dataclass(frozen=True)
class Options:
    timezone: tzinfo = dates.UTC


class AcledImport:
    """The drafts an ACLED export makes, shared actors, places and sources written once."""

    def __init__(self, path: Path, shown: str, ids: Ids, options: Options) -> None:
        self.path, self.shown, self.ids, self.options = path, shown, ids, options
        self.result = Imported()
        self.shared: dict[tuple[str, str], Draft] = {}
        self.resolved: dict[tuple[str, str], str] = {}  # (kind, key) → id, for the rows that name it again
        self.seen: dict[str, int] = {}
        self.note = "Imported from ACLED data."  # no file name: a newer export must not change every file

    def run(self) -> Imported:
        header, rows = read_table(self.path)
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise ImportError_(f"{self.shown}:1: no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}: not an ACLED export")
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
        row_id = row.get("event_id_cnty")
        event_id = row_slug("acled", row_id)
        if not row_id or event_id == "acled":
            raise row.fail("event_id_cnty", "empty: every ACLED row has an event id")
        if row_id in self.seen:
            raise row.fail("event_id_cnty", f'"{row_id}" is on row {self.seen[row_id]} already')
        self.seen[row_id] = row.number
        day, date, date_note = _date(row, self.options.timezone)
        location = row.get("location")
        if not location:
            raise row.fail("location", "empty: every ACLED row names its location")
        sub_type, event_type = row.get("sub_event_type"), row.get("event_type")
        values: dict[str, Any] = {
            "title": f"{sub_type or event_type or 'Event'} in {location}",
            "date": date,
            "summary": row.get("notes") or f"{sub_type or event_type} in {location}, {row.get('country')}.",
            "actors": self._actors(row),
            "sources": self._sources(row),
            "tags": list(dict.fromkeys(t for t in (row.get("disorder_type"), event_type, sub_type) if t)),
            "places": [self._place(row)],
        }
        if date_note:
            values["date_note"] = date_note
        if not values["actors"]:
            del values["actors"]
        return Draft("events", event_id, values, key=row_id, year=day.year, origin_note=f"Imported from ACLED event {row_id}.")

    # --- shared items ---

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

    def _actors(self, row: Row) -> list[str]:
        named: list[str] = []
        for column, kind_column in (("actor1", "inter1"), ("assoc_actor_1", ""), ("actor2", "inter2"), ("assoc_actor_2", "")):
            for name in _split(row.get(column)):
                kind = _ACTOR_KINDS.get(row.get(kind_column).lower(), "other") if kind_column else "other"
                short = _PERIOD_SUFFIX.sub("", name)
                named.append(self._shared("actors", name, name, lambda: [row_slug(short), row_slug(name)], lambda: _actor(name, short, kind)))
        return list(dict.fromkeys(named))

    def _sources(self, row: Row) -> list[Any]:
        acled = self._shared("sources", "ACLED", _ACLED_SOURCE["title"], lambda: ["acled"], lambda: dict(_ACLED_SOURCE))
        note = f"ACLED event {row.get('event_id_cnty')}"
        fatalities = row.get("fatalities")
        if fatalities:
            note += f"; fatalities recorded: {fatalities}"
        cited: list[Any] = [{"source": acled, "note": note}]
        for name in _split(row.get("source")):
            cited.append(self._shared("sources", name, name, lambda: [row_slug(name)], lambda: {"title": name, "publisher": name}))
        return list({(c if isinstance(c, str) else c["source"]): c for c in cited}.values())

    def _place(self, row: Row) -> str:
        country, admin1, location = row.get("country"), row.get("admin1"), row.get("location")
        if not country:
            raise row.fail("country", "empty: every ACLED row names its country")
        within = self._shared("places", f"country:{country}", country, lambda: [row_slug(country)], lambda: {"name": country, "kind": "country"})
        if admin1 and admin1 != location:
            region = {"name": admin1, "kind": "region", "within": within}
            within = self._shared("places", f"admin1:{admin1}|{country}", admin1, lambda: [row_slug(admin1), row_slug(admin1, country)], lambda: region)
        kind, precision = _GEO.get(row.get("geo_precision"), ("other", "near"))
        values: dict[str, Any] = {"name": location, "kind": kind, "within": within, "precision": precision}
        latitude, longitude = _degrees(row, "latitude", 90), _degrees(row, "longitude", 180)
        if latitude is not None and longitude is not None:
            values["latitude"], values["longitude"] = latitude, longitude
        key = f"location:{location}|{admin1}|{country}"
        place_id = self._shared("places", key, location, lambda: [row_slug(location), row_slug(location, admin1), row_slug(location, admin1, country)], lambda: values)
        draft = self.shared.get(("places", place_id))
        if draft is not None and _finer(precision, draft.values.get("precision")):
            draft.values.update(kind=kind, precision=precision)
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


def import_acled(path: Path, shown: str, ids: Ids, options: Options) -> Imported:
    """The events, actors, places and sources an ACLED CSV (or XLSX) export makes, and its bad rows."""
    return AcledImport(path, shown, ids, options).run()


def _actor(name: str, short: str, kind: str) -> dict[str, Any]:
    values: dict[str, Any] = {"name": name, "kind": kind}
    if short != name:
        values["aliases"] = [short]
    return values


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _finer(precision: str, than: Any) -> bool:
    order = ("exact", "near", "city", "region", "country")
    return isinstance(than, str) and than in order and order.index(precision) < order.index(than)


def _degrees(row: Row, column: str, limit: float) -> float | None:
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


def _date(row: Row, tz: tzinfo) -> tuple[calendar_date, str, str]:
    """The day ACLED coded, the event's EDTF date from it and time_precision, and a note saying how."""
    day = _calendar_day(row)
    precision = row.get("time_precision") or "1"
    if precision == "1":
        text, note = day.isoformat(), ""
    elif precision == "2":
        first, last = day - timedelta(days=3), day + timedelta(days=3)
        text = f"[{first.isoformat()}..{last.isoformat()}]"
        note = f"ACLED gives the week only (time_precision 2), coded as {day.isoformat()}."
    elif precision == "3":
        text = f"{day.year:04d}-{day.month:02d}"
        note = f"ACLED gives the month only (time_precision 3), coded as {day.isoformat()}."
    else:
        raise row.fail("time_precision", f'"{precision}" is not one of ACLED\'s time precisions (1 day, 2 week, 3 month)')
    try:
        dates.parse(text, tz)
    except dates.DateError as err:
        raise row.fail("event_date", f"not a date timeline can hold: {err}") from None
    return day, text, note


def _calendar_day(row: Row) -> calendar_date:
    value = row.raw("event_date")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, calendar_date):
        return value
    text = row.get("event_date")
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise row.fail("event_date", f'"{text}" is not a date (ACLED writes 2023-01-15 or 15 January 2023)')
