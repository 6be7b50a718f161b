"""`events.geojson`: the events on a map, as RFC 7946 GeoJSON.

One Feature per event, in the chronology's order, its geometry made of its places':
a Point for a place with a point, a Polygon for one given as an area (a bounding box,
drawn counterclockwise as RFC 7946 asks), a point inside the outline for a country
given neither; a MultiPoint or GeometryCollection when there are several, and null
for an event with no place that can be put on a map. The properties say how precisely
each place is located (its `precision`, and `derived` when the position is that of a
place it lies within), so a GIS reader can style or filter by it.
"""
from __future__ import annotations

from typing import Any

from generator import geo
from generator.exports.common import ExportTools, SiteLinks, event_path, iso, json_document, to_json
from generator.model import Event, Place, Timeline, enclosing
from generator.reads import record_all

COORDINATE_DIGITS = 5  # about a metre: more would claim a precision no place has


def events_geojson(timeline: Timeline, tools: ExportTools) -> list[bytes]:
    """A FeatureCollection of every event."""
    record_all(("config", "all:events", "timeline:places"))
    links = SiteLinks.of(timeline)
    document = {"type": "FeatureCollection", "name": timeline.config.title}
    features = tools.each("geojson", timeline.events, lambda event: _feature_json(event, timeline, links))
    return json_document(document, "features", features)


def _feature_json(event: Event, timeline: Timeline, links: SiteLinks) -> bytes:
    record_all(("timeline:places",))  # a feature holds its places' geometry
    return to_json(_feature(event, timeline, links))


def _feature(event: Event, timeline: Timeline, links: SiteLinks) -> dict[str, Any]:
    places = timeline.places
    geometries = [g for g in (_geometry(p, places) for p in event.places) if g]
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": _combined(geometries),
        "properties": {
            "title": event.title,
            "date": event.date.edtf,
            "earliest": iso(event.date.earliest),
            "latest": iso(event.date.latest),
            "status": event.status,
            "location": event.location or None,
            "url": links.link(event_path(event), "events.geojson"),
            "places": [_place(places[p], places) for p in event.places],
        },
    }


def _place(place: Place, places: dict[str, Place]) -> dict[str, Any]:
    located = geo.locate(place.id, places)
    return {
        "id": place.id,
        "name": place.name,
        "kind": place.kind,
        "precision": place.precision,
        "derived": bool(located and located[2]),
        "within": enclosing(place.id, places),
        "geonames": place.geonames,
        "wikidata": place.wikidata,
    }


def _geometry(place_id: str, places: dict[str, Place]) -> dict[str, Any] | None:
    place = places[place_id]
    if place.area and place.latitude is None:
        west, south, east, north = place.area
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        return {"type": "Polygon", "coordinates": [[[round(x, COORDINATE_DIGITS) for x in point] for point in ring]]}
    located = geo.locate(place_id, places)
    if located is None:
        return None
    latitude, longitude, _ = located
    return {"type": "Point", "coordinates": [round(longitude, COORDINATE_DIGITS), round(latitude, COORDINATE_DIGITS)]}


def _combined(geometries: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not geometries:
        return None
    if len(geometries) == 1:
        return geometries[0]
    if all(g["type"] == "Point" for g in geometries):
        return {"type": "MultiPoint", "coordinates": [g["coordinates"] for g in geometries]}
    return {"type": "GeometryCollection", "geometries": geometries}
