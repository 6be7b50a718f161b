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
from datetime import date as calendar_date
from datetime import timedelta, tzinfo

from generator.importers.common import Row
from generator.importers.eventdata import Actor, Dataset, Facts, PlaceFacts, calendar_day, checked_date, degrees, split_names

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


def _facts(row: Row, timezone: tzinfo) -> Facts:
    day, date, date_note = _date(row, timezone)
    location, country = row.get("location"), row.get("country")
    if not location:
        raise row.fail("location", "empty: every ACLED row names its location")
    if not country:
        raise row.fail("country", "empty: every ACLED row names its country")
    sub_type, event_type = row.get("sub_event_type"), row.get("event_type")
    kind, precision = _GEO.get(row.get("geo_precision"), ("other", "near"))
    place = PlaceFacts(location, row.get("admin1"), country, degrees(row, "latitude", 90), degrees(row, "longitude", 180), kind, precision)
    note = f"ACLED event {row.get('event_id_cnty')}"
    if row.get("fatalities"):
        note += f"; fatalities recorded: {row.get('fatalities')}"
    return Facts(
        row_id=row.get("event_id_cnty"), year=day.year, date=date, date_note=date_note,
        title=f"{sub_type or event_type or 'Event'} in {location}",
        summary=row.get("notes") or f"{sub_type or event_type} in {location}, {country}.",
        place=place, actors=_actors(row), sources=split_names(row.get("source")),
        tags=[t for t in (row.get("disorder_type"), event_type, sub_type) if t], citation_note=note,
    )


def _actors(row: Row) -> list[Actor]:
    found = []
    for column, kind_column in (("actor1", "inter1"), ("assoc_actor_1", ""), ("actor2", "inter2"), ("assoc_actor_2", "")):
        kind = _ACTOR_KINDS.get(row.get(kind_column).lower(), "other") if kind_column else "other"
        found += [Actor(name, kind, _PERIOD_SUFFIX.sub("", name)) for name in split_names(row.get(column))]
    return found


def _date(row: Row, timezone: tzinfo) -> tuple[calendar_date, str, str]:
    """The day ACLED coded, the event's EDTF date from it and time_precision, and a note saying how."""
    day = calendar_day(row, "event_date", _DATE_FORMATS, "ACLED writes 2023-01-15 or 15 January 2023")
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
    return day, checked_date(row, "event_date", text, timezone), note


ACLED = Dataset(
    name="ACLED", origin="acled", id_column="event_id_cnty", required_columns=REQUIRED_COLUMNS,
    source=_ACLED_SOURCE, facts=_facts,
)
