"""UCDP's Georeferenced Event Dataset (GED), its CSV layout, read as ACLED's rows are.

A row's `id` makes the event's id (`ucdp-` and the id). `date_start` and `date_end`
give the date: one day when they are equal; an interval when UCDP knows the exact
days (`date_prec` 1) and the event lasted several; else a window, "sometime
between", with `date_prec` said in `date_note`. side_a and side_b are the actors, the
place is `where_coordinates` within `adm_1` within `country` at `where_prec`'s
precision, `source_office` names the sources, and the deaths go in the note of the
citation of UCDP itself.
"""
from __future__ import annotations

from datetime import tzinfo

from generator.importers.common import Row
from generator.importers.eventdata import Actor, Dataset, Facts, PlaceFacts, calendar_day, checked_date, degrees, split_names

_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S")
_VIOLENCE = {"1": "State-based armed conflict", "2": "Non-state conflict", "3": "One-sided violence"}
# where_prec → (the place's kind, its precision); 6 (the country only) is the country itself.
_WHERE = {
    "1": ("town", "city"), "2": ("area", "near"), "3": ("region", "region"), "4": ("region", "region"),
    "5": ("area", "region"), "7": ("area", "near"),
}
_DATE_PRECISION = {"2": "a span of 2 to 6 days", "3": "the week", "4": "the month", "5": "the year"}
_UCDP_SOURCE = {
    "title": "UCDP Georeferenced Event Dataset",
    "publisher": "Uppsala Conflict Data Program",
    "url": "https://ucdp.uu.se/downloads/",
}


def _facts(row: Row, timezone: tzinfo) -> Facts:
    first = calendar_day(row, "date_start", _DATE_FORMATS, "UCDP writes 2017-01-15")
    last = calendar_day(row, "date_end", _DATE_FORMATS, "UCDP writes 2017-01-15") if row.get("date_end") else first
    precision = row.get("date_prec") or "1"
    note = ""
    if last == first:
        text = first.isoformat()
    elif precision == "1":
        text = f"{first.isoformat()}/{last.isoformat()}"
    else:
        text = f"[{first.isoformat()}..{last.isoformat()}]"
        note = f"UCDP knows {_DATE_PRECISION.get(precision, 'the span')} only (date_prec {precision})."
    country = row.get("country")
    if not country:
        raise row.fail("country", "empty: every UCDP row names its country")
    location = row.get("where_coordinates") or row.get("adm_1") or country
    kind, place_precision = _WHERE.get(row.get("where_prec"), ("other", "near"))
    if row.get("where_prec") == "6":
        location = country
    place = PlaceFacts(location, row.get("adm_1"), country, degrees(row, "latitude", 90), degrees(row, "longitude", 180), kind, place_precision)
    violence = _VIOLENCE.get(row.get("type_of_violence"), "Organised violence")
    side_a, side_b = row.get("side_a"), row.get("side_b")
    if not side_a:
        raise row.fail("side_a", "empty: every UCDP row names side A")
    deaths = f"best estimate {row.get('best') or '?'} (low {row.get('low') or '?'}, high {row.get('high') or '?'})"
    return Facts(
        row_id=row.get("id"), year=first.year, date=checked_date(row, "date_start", text, timezone), date_note=note,
        title=f"{row.get('dyad_name') or side_a}, {location}"[:200],
        summary=f"{violence} ({side_a}{'; ' + side_b if side_b else ''}), {row.get('where_description') or location}. Deaths: {deaths}.",
        place=place, actors=[_actor(name) for name in (side_a, side_b) if name],
        sources=split_names(row.get("source_office")),
        tags=[t for t in (violence, row.get("conflict_name")) if t],
        citation_note=f"UCDP GED event {row.get('id')}; deaths: {deaths}",
    )


def _actor(name: str) -> Actor:
    if name.startswith("Government of"):
        return Actor(name, "state")
    return Actor(name, "other" if name == "Civilians" else "armed-group")


UCDP_GED = Dataset(
    name="UCDP", origin="ucdp", id_column="id",
    required_columns=("id", "side_a", "side_b", "country", "date_start", "date_end", "where_coordinates"),
    source=_UCDP_SOURCE, facts=_facts,
)
