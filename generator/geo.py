"""Country outlines shipped with the package, and what is asked of them.

The outlines are Natural Earth's 1:50m countries (public domain), simplified once into
`generator/data/countries.json` by `tools/make_outlines.py` (it says how). They serve
two stages: the checker asks which country a point falls in, the maps draw them.
Everything is loaded on first use and kept read-only; shapely (GEOS) itself is
imported only then, so a site without places never pays for loading it.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Mapping

from generator.model import Place

if TYPE_CHECKING:
    import shapely
    from shapely.geometry import MultiPolygon

KM_PER_DEGREE = 111.32
# A point this close to a country counts as in it: the outlines are simplified to a
# few kilometres, and coastal cities (St Petersburg, Tartus) sit right on the line.
BORDER_TOLERANCE_KM = 25


@dataclass(frozen=True)
class Country:
    name: str
    shape: MultiPolygon
    bbox: tuple[float, float, float, float]  # west, south, east, north


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """Every outline, by name."""
    from shapely.geometry import MultiPolygon, Polygon

    text = resources.files("generator").joinpath("data/countries.json").read_text(encoding="utf-8")
    document = json.loads(text)
    scale = document["scale"]
    made = []
    for country in document["countries"]:
        polygons = [
            Polygon(_pairs(rings[0], scale), [_pairs(hole, scale) for hole in rings[1:]])
            for rings in country["polygons"] if rings
        ]
        made.append(Country(country["name"], _valid(MultiPolygon(polygons)), tuple(country["bbox"])))
    return tuple(made)


def _valid(shape: "MultiPolygon") -> "MultiPolygon":
    """The outline, mended where rounding its points made it cross itself (clipping needs valid shapes)."""
    import shapely
    from shapely.geometry import MultiPolygon

    if shape.is_valid:
        return shape
    parts = shapely.get_parts(shapely.make_valid(shape))
    return MultiPolygon([p for part in parts for p in (part.geoms if part.geom_type == "MultiPolygon" else [part]) if p.geom_type == "Polygon"])


def _pairs(flat: list[int], scale: int) -> list[tuple[float, float]]:
    return [(flat[i] / scale, flat[i + 1] / scale) for i in range(0, len(flat), 2)]


@lru_cache(maxsize=1)
def _by_folded_name() -> dict[str, Country]:
    return {country.name.casefold(): country for country in countries()}


@lru_cache(maxsize=1)
def _index() -> "shapely.STRtree":
    import shapely

    return shapely.STRtree([country.shape for country in countries()])


def country_named(*names: str) -> Country | None:
    """The outline of the first of `names` that is a country's (case ignored)."""
    table = _by_folded_name()
    for name in names:
        found = table.get(name.casefold())
        if found:
            return found
    return None


def country_of(place: Place, places: Mapping[str, Place]) -> Country | None:
    """The outline of the country a place is, or lies within, if it has a shipped one."""
    seen: set[str] = set()
    current: Place | None = place
    while current is not None and current.id not in seen:
        seen.add(current.id)
        if current.kind == "country":
            outline = country_named(current.name, *current.aliases)
            if outline:
                return outline
        current = places.get(current.within) if current.within else None
    return None


def locate(place_id: str, places: Mapping[str, Place]) -> tuple[float, float, bool] | None:
    """Where to put a place: (latitude, longitude, only roughly), or None.

    Its own point; else the middle of its area; else, for a country, a point inside
    its outline; else, roughly, where the place it lies within is.
    """
    seen: set[str] = set()
    rough = False
    place = places.get(place_id)
    while place is not None and place.id not in seen:
        seen.add(place.id)
        if place.latitude is not None and place.longitude is not None:
            return place.latitude, place.longitude, rough
        if place.area:
            west, south, east, north = place.area
            return (south + north) / 2, (west + east) / 2, rough
        outline = country_named(place.name, *place.aliases) if place.kind == "country" else None
        if outline:
            return (*representative(outline), rough)
        rough = True
        place = places.get(place.within) if place.within else None
    return None


def distance_km(country: Country, latitude: float, longitude: float) -> float:
    """How far a point is from a country's outline (0 inside), roughly, in kilometres."""
    from shapely.geometry import Point

    degrees = country.shape.distance(Point(longitude, latitude))
    return degrees * KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.2)


def is_in(country: Country, latitude: float, longitude: float) -> bool:
    """Whether a point lies in a country, or within BORDER_TOLERANCE_KM of its outline."""
    return distance_km(country, latitude, longitude) <= BORDER_TOLERANCE_KM


def country_at(latitude: float, longitude: float) -> Country | None:
    """The country a point falls in, if any."""
    from shapely.geometry import Point

    for index in _index().query(Point(longitude, latitude), predicate="intersects"):
        return countries()[int(index)]
    return None


def in_view(view: tuple[float, float, float, float]) -> list[Country]:
    """The countries whose outlines reach into a box (west, south, east, north)."""
    import shapely

    return [countries()[int(i)] for i in sorted(_index().query(shapely.box(*view)))]


def representative(country: Country) -> tuple[float, float]:
    """A (latitude, longitude) inside the country, for a mark when a place has no coordinates."""
    point = country.shape.representative_point() if len(country.shape.geoms) == 1 else max(country.shape.geoms, key=lambda p: p.area).representative_point()
    return point.y, point.x
