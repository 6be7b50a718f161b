"""Places in the check stage: `within` resolved, cycles and misplaced points caught.

A place's coordinates are tested against the shipped outline of the country it says
it lies within (directly or through other places): a point outside it is an error,
and when swapping latitude and longitude would put it inside, the error says so.
Events' `places` are resolved like actors (id, name or alias), and an event that
gives only a free-text `location` is told which place it probably means.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Protocol

from generator import geo
from generator.diagnostics import ERROR, WARNING, Diagnostic, fold
from generator.model import Place, enclosing

DEFAULT_PRECISION = {"country": "country", "region": "region", "area": "region", "city": "city", "town": "city", "site": "exact", "other": "near"}


class Item(Protocol):
    """A validated content file as the checker hands it over."""

    id: str
    path: str
    values: dict
    complete: bool

    def where(self, *at: object) -> Any: ...


class Names(Protocol):
    def resolve(self, reference: str) -> tuple[str | None, str]: ...


def make_places(items: list[Item], names: Names, diagnostics: list[Diagnostic]) -> dict[str, Place]:
    """Every complete place, its `within` resolved; problems added to `diagnostics`."""
    parents: dict[str, str] = {}
    for item in items:
        reference = item.values.get("within")
        if not reference:
            continue
        parent, problem = names.resolve(reference)
        if parent is None:
            diagnostics.append(Diagnostic.at(ERROR, item.where("within"), f"within: {problem}"))
        elif parent == item.id:
            diagnostics.append(Diagnostic.at(ERROR, item.where("within"), "within: a place cannot lie within itself; name the place that contains it"))
        else:
            parents[item.id] = parent
    by_id = {item.id: item for item in items}
    for cycle in _cycles(parents):
        first = by_id[cycle[0]]
        path = " → ".join([*cycle, cycle[0]])
        diagnostics.append(Diagnostic.at(ERROR, first.where("within"), f"within: the places lie within each other in a circle ({path}); remove one of these `within`"))
        for place_id in cycle:
            parents.pop(place_id, None)
    places = {item.id: _place(item, parents.get(item.id)) for item in items if item.complete}
    for item in items:
        if item.complete:
            diagnostics.extend(_coordinate_problems(item, places))
    return places


def _place(item: Item, within: str | None) -> Place:
    values = item.values
    return Place(
        id=item.id, name=values["name"], kind=values["kind"], aliases=tuple(values["aliases"]), within=within,
        latitude=values["latitude"], longitude=values["longitude"], area=values["area"],
        precision=values["precision"] or DEFAULT_PRECISION.get(values["kind"], "near"),
        geonames=values["geonames"], wikidata=values["wikidata"], description=values["description"], path=item.path,
    )


def _cycles(parents: dict[str, str]) -> list[list[str]]:
    """Each circle of `within`, once, starting from its first place in sorted order."""
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in sorted(parents):
        trail: list[str] = []
        current: str | None = start
        while current in parents and current not in done and current not in trail:
            trail.append(current)
            current = parents[current]
        if current in trail:
            cycle = trail[trail.index(current):]
            turn = cycle.index(min(cycle))
            cycles.append(cycle[turn:] + cycle[:turn])
        done.update(trail)
    return cycles


def _coordinate_problems(item: Item, places: dict[str, Place]) -> list[Diagnostic]:
    place = places[item.id]
    latitude, longitude = place.latitude, place.longitude
    if (latitude is None) != (longitude is None):
        given, missing = ("latitude", "longitude") if longitude is None else ("longitude", "latitude")
        return [Diagnostic.at(ERROR, item.where(given), f"{given}: given without {missing}; a point needs both")]
    if latitude is None or longitude is None:
        return []
    country = geo.country_of(place, places)
    if country is None or geo.is_in(country, latitude, longitude):
        return []
    if abs(longitude) <= 90 and geo.is_in(country, longitude, latitude):
        return [Diagnostic.at(ERROR, item.where("latitude"), f"latitude/longitude: ({latitude:g}, {longitude:g}) is outside {country.name}, but ({longitude:g}, {latitude:g}) is in it: latitude and longitude look swapped")]
    away = geo.distance_km(country, latitude, longitude)
    found = geo.country_at(latitude, longitude)
    there = f"; it is in {found.name}" if found else ""
    return [Diagnostic.at(ERROR, item.where("latitude"), f"latitude/longitude: ({latitude:g}, {longitude:g}) is {away:,.0f} km outside {country.name}, which the place lies within{there}; check the signs (south and west are negative) and the `within`")]


def resolve_event_places(item: Item, names: Names, diagnostics: list[Diagnostic]) -> tuple[str, ...]:
    """The ids of the places an event names, each once."""
    resolved: list[str] = []
    for index, reference in enumerate(item.values.get("places", ())):
        place_id, problem = names.resolve(reference)
        if place_id is None:
            diagnostics.append(Diagnostic.at(ERROR, item.where("places", index), f"places: {problem}"))
        elif place_id in resolved:
            diagnostics.append(Diagnostic.at(WARNING, item.where("places", index), f'places: "{reference}" names {place_id} a second time'))
        else:
            resolved.append(place_id)
    return tuple(resolved)


def _places_named(location: str, names: Names, places: dict[str, Place]) -> list[str]:
    parts = [part for piece in location.split(",") for part in re.split(r"\s+and\s+", piece)]
    found = list(dict.fromkeys(p for part in parts if (p := names.resolve(fold(part))[0])))
    around = {outer for p in found for outer in enclosing(p, places)}
    return [p for p in found if p not in around]


def suggest_places(items: Iterable[Item], names: Names, places: dict[str, Place]) -> list[Diagnostic]:
    """For events with a free-text `location` and no `places`, the places it probably names.

    The location is cut at commas and "and"; a place that contains another one found
    is left out (an event in Douma is in Syria already).
    """
    warnings = []
    named_in: dict[str, list[str]] = {}  # location → the places it names: a few locations recur on many events
    for item in items:
        location, named = item.values.get("location"), item.values.get("places")
        if not location or named:
            continue
        found = named_in.get(location)
        if found is None:
            found = named_in[location] = _places_named(location, names, places)
        if found:
            listed = ", ".join(found)
            warnings.append(Diagnostic.at(WARNING, item.where("location"), f'location: "{location}" names a known place; add places: [{listed}] so the event is on its page and the maps'))
    return warnings
