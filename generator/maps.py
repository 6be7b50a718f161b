"""Maps drawn at build time: country outlines and event marks as plain records for SVG.

No tiles and no request to anyone: `_map.html` draws these records as inline SVG, so a
map works from `file://`, offline and in print. The projection is equirectangular,
squeezed by the cosine of the view's middle latitude, and fitted to the marks shown.
Places close together on the map are clustered into one mark with their count; a
place whose precision is a region or a country is drawn as an area, not a point.
Outlines are clipped to the view and thinned to whole pixels, and each view's land
layer is drawn once per build as SVG (many event pages share a locator view); a
locator map is made once per set of places. The list under an events map names each
place with its count of events and a link to its page, not every event again: the
page's own cards are those events (assets/maps.js lists them from the cards).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

import jinja2
from markupsafe import Markup, escape

from generator import geo
from generator.model import Event, Place, Timeline, enclosing
from generator.urls import term_path

WIDTH = 640
ASPECT = 0.625  # height / width of every map
# The heights (in degrees of latitude) a view may have, and its centre snapped to half
# of that: maps of nearby places share a view, so its outlines are made once. The
# outlines are simplified once per height.
SPANS = (6.0, 9.0, 13.5, 20.0, 30.0, 45.0, 67.5, 100.0, 150.0, 180.0)
PADDING = 0.15
CLUSTER_PX = 22
AREA_PRECISIONS = ("region", "country")
_DISPLAY_TOLERANCE_PX = 0.9  # outlines are simplified to within a pixel
_SMALLEST_PX = 3.0  # islands smaller than this square are left out


@dataclass(frozen=True)
class Outline:
    name: str
    d: str  # SVG path data in the map's pixels: digits, spaces and M, L, Z only


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    r: float
    area: bool  # located only to a region or a country
    name: str  # "Douma and 2 places nearby"
    label: str  # the accessible name: "Douma and 2 places nearby: 5 events"
    count: int
    anchor: str  # the id of its first place's entry in the list below the map
    events: tuple[str, ...]  # event ids, for the filters
    places: tuple[str, ...]
    entries: str  # the ids of its places' entries in the list, space-separated

    @property
    def event_ids(self) -> str:
        """The events' ids, space-separated (one string to escape, not one per event)."""
        return " ".join(self.events)


@dataclass(frozen=True)
class Listed:
    """One place in the text alternative: the ids of its events on this map."""

    place: Place
    anchor: str
    events: tuple[str, ...]

    @property
    def event_ids(self) -> str:
        """The events' ids, space-separated."""
        return " ".join(self.events)


@dataclass(frozen=True)
class Map:
    id: str
    width: int
    height: int
    land: Markup  # the SVG group of the country outlines
    marks: tuple[Mark, ...]
    listed: tuple[Listed, ...]
    unlocated: int  # events on the list with no place on the map


@dataclass(frozen=True)
class _View:
    west: float
    south: float
    east: float
    north: float
    scale: float  # pixels per degree of latitude
    squeeze: float  # cos(middle latitude)

    @property
    def height(self) -> int:
        return round((self.north - self.south) * self.scale)

    @property
    def width(self) -> int:
        return round((self.east - self.west) * self.squeeze * self.scale)

    def project(self, latitude: float, longitude: float) -> tuple[float, float]:
        return round((longitude - self.west) * self.squeeze * self.scale, 1), round((self.north - latitude) * self.scale, 1)


def template_globals(timeline: Timeline) -> dict[str, Callable[..., Any]]:
    """The map functions templates call, bound to this Timeline."""
    maker = MapMaker(timeline)
    drawer = MapDrawer()
    return {
        "events_map": maker.events_map, "locator_map": maker.locator_map, "place_trail": maker.place_trail,
        "map_marks": drawer.marks, "map_places": drawer.places, "where_once": drawer.where_once,
    }


class MapDrawer:
    """A map's marks (SVG) and its list of places (HTML), as markup for `_map.html`.

    Made here rather than in the template: a term page's map has up to hundreds of
    marks and places, and a template loop over them cost more than the rest of the
    map. Links are relative to the page (its `root`); a locator map, shared by many
    pages at one depth, is drawn once per depth, and so is the whole "where" of a set
    of places (its trail and locator: the same on every event page that names them).
    """

    def __init__(self) -> None:
        self._drawn: dict[tuple, tuple[Map, Markup]] = {}  # (id of a locator map, root) → (the map, kept alive; its marks)
        self._links: dict[tuple[str, str], str] = {}  # (place id, root) → the link to its page
        self._wheres: dict[tuple, Markup] = {}  # (place ids, root) → their trail and locator

    @jinja2.pass_context
    def where_once(self, context: Any, place_ids: Sequence[str], draw: Callable[[Sequence[str]], str]) -> Markup:
        """`draw(place_ids)` (a macro of `_map.html`), made once per set of places and page depth.

        What it draws depends only on the places and on the page's depth (links are
        relative), so every other page at that depth gets the same markup.
        """
        key = (tuple(place_ids), context["root"])
        if key not in self._wheres:
            self._wheres[key] = Markup(draw(place_ids))
        return self._wheres[key]

    @jinja2.pass_context
    def marks(self, context: Any, map_: Map, locator: bool = False) -> Markup:
        """The `<a class="map-mark">` of each mark: to the place's page on a locator, else to its entry in the list."""
        root = context["root"]
        if not locator:
            return Markup("".join(_mark_link(mark, "#" + mark.anchor) for mark in map_.marks))
        key = (id(map_), root)
        if key not in self._drawn:
            drawn = "".join(_mark_link(mark, root + term_path("place", mark.places[0])) for mark in map_.marks)
            self._drawn[key] = (map_, Markup(drawn))
        return self._drawn[key][1]

    @jinja2.pass_context
    def places(self, context: Any, map_: Map) -> Markup:
        """The `<li>` of each place on the map: a link to its page and its number of events."""
        root = context["root"]
        return Markup("".join(self._place_entry(item, root) for item in map_.listed))

    def _place_entry(self, item: Listed, root: str) -> str:
        key = (item.place.id, root)
        link = self._links.get(key)
        if link is None:
            link = self._links[key] = f'<a href="{escape(root + term_path("place", item.place.id))}">{escape(item.place.name)}</a>'
        events = len(item.events)
        count = f' <span class="map-count">{events} event{"s" if events != 1 else ""}</span>' if events else ""
        return f'<li id="{escape(item.anchor)}" data-events="{escape(item.event_ids)}">{link}{count}</li>\n'


def _mark_link(mark: Mark, href: str) -> str:
    count = f'<text x="{mark.x}" y="{mark.y}" dy="0.35em">{mark.count}</text>' if len(mark.places) > 1 and mark.count else ""
    return (
        f'<a href="{escape(href)}" class="map-mark {"is-area" if mark.area else "is-point"}" data-events="{escape(mark.event_ids)}"'
        f' data-places="{escape(mark.entries)}" data-name="{escape(mark.name)}" aria-label="{escape(mark.label)}">'
        f'<circle cx="{mark.x}" cy="{mark.y}" r="{mark.r}"/>{count}</a>'
    )


class MapMaker:
    """Maps of one Timeline; outlines are made once per view."""

    def __init__(self, timeline: Timeline) -> None:
        self._timeline = timeline
        self._places = timeline.places
        self._layers: dict[tuple, tuple[Outline, ...]] = {}
        self._lands: dict[tuple, Markup] = {}  # (view, focus) → its land layer drawn
        self._locators: dict[tuple, Map | None] = {}  # (map id, places) → their locator map
        self._simplified: dict[tuple[str, float], Any] = {}  # (country, span) → its outline simplified for that span
        self._positions: dict[str, tuple[float, float, bool] | None] = {}

    def place_trail(self, place_id: str) -> list[Place]:
        """A place and those it lies within, nearest first."""
        return [self._places[p] for p in (place_id, *enclosing(place_id, self._places))]

    def events_map(self, entries: Sequence[tuple[Event, Any]], map_id: str = "map") -> Map | None:
        """The map of a list's events, each at its own places; None when none has one."""
        by_place: dict[str, list[Event]] = {}
        unlocated = 0
        for event, _ in entries:
            located = [p for p in event.places if self._position(p)]
            unlocated += not located
            for place_id in located:
                by_place.setdefault(place_id, []).append(event)
        if not by_place:
            return None
        return self._draw(map_id, by_place, unlocated, focus=())

    def locator_map(self, place_ids: Iterable[str], map_id: str = "locator") -> Map | None:
        """A small map showing where these places are; None when none can be placed."""
        key = (map_id, *place_ids)
        if key not in self._locators:
            self._locators[key] = self._draw_locator(map_id, key[1:])
        return self._locators[key]

    def _draw_locator(self, map_id: str, place_ids: tuple[str, ...]) -> Map | None:
        by_place: dict[str, list[Event]] = {p: [] for p in place_ids if self._position(p)}
        if not by_place:
            return None
        countries = (geo.country_of(self._places[p], self._places) for p in by_place)
        return self._draw(map_id, by_place, 0, tuple(dict.fromkeys(c.name for c in countries if c)))

    # --- drawing -------------------------------------------------------------------

    def _draw(self, map_id: str, by_place: Mapping[str, list[Event]], unlocated: int, focus: tuple[str, ...]) -> Map:
        """The map of these places (with their events, if any); `focus` names countries to shade."""
        positions = {p: self._position(p) for p in by_place}
        view = _fit([(lat, lon) for lat, lon, _ in positions.values()])  # type: ignore[misc]
        order = sorted(by_place, key=lambda p: (-len(by_place[p]), self._places[p].name.casefold()))
        anchors = {p: f"{map_id}-{p}" for p in order}
        groups = _clusters(order, {p: view.project(*positions[p][:2]) for p in order})  # type: ignore[index]
        marks = [self._mark(group, view, positions, by_place, anchors) for group in groups]
        listed = tuple(Listed(self._places[p], anchors[p], tuple(e.id for e in by_place[p])) for group in groups for p in group)
        return Map(map_id, view.width, view.height, self._land(view, focus), tuple(marks), listed, unlocated)

    def _mark(self, group: list[str], view: _View, positions: dict, by_place: Mapping[str, list[Event]], anchors: dict[str, str]) -> Mark:
        points = [view.project(*positions[p][:2]) for p in group]
        x = round(sum(p[0] for p in points) / len(points), 1)
        y = round(sum(p[1] for p in points) / len(points), 1)
        events = tuple(dict.fromkeys(e.id for p in group for e in by_place[p]))
        area = all(positions[p][2] for p in group)
        name = self._places[group[0]].name
        others = len(group) - 1
        name += f" and {others} place{'s' if others > 1 else ''} nearby" if others else ""
        label = f"{name}: {len(events)} event{'s' if len(events) != 1 else ''}" if events else name
        radius = 12.0 if area else min(4.0 + 2 * math.sqrt(max(len(events), 1)), 14.0)
        return Mark(x, y, radius, area, name, label, len(events), anchors[group[0]], events, tuple(group), " ".join(anchors[p] for p in group))

    def _position(self, place_id: str) -> tuple[float, float, bool] | None:
        """(latitude, longitude, drawn as an area) of a place, or None when it cannot be placed."""
        if place_id not in self._positions:
            self._positions[place_id] = self._find_position(place_id)
        return self._positions[place_id]

    def _find_position(self, place_id: str) -> tuple[float, float, bool] | None:
        found = geo.locate(place_id, self._places)
        if found is None:
            return None
        latitude, longitude, rough = found
        return latitude, longitude, rough or self._places[place_id].precision in AREA_PRECISIONS

    def _land(self, view: _View, focus: tuple[str, ...]) -> Markup:
        """The view's country outlines as one SVG group, the `focus` countries shaded; drawn once per build."""
        key = (view.west, view.south, view.east, view.north, focus)
        if key not in self._lands:
            shaded = ' class="is-focus"'
            paths = "".join(f'<path d="{o.d}"{shaded if o.name in focus else ""}/>' for o in self._outlines(view))
            self._lands[key] = Markup(f'<g class="map-land" aria-hidden="true">{paths}</g>')
        return self._lands[key]

    def _outlines(self, view: _View) -> tuple[Outline, ...]:
        key = (view.west, view.south, view.east, view.north)
        if key not in self._layers:
            drawn = (_outline(country.name, self._simplify(country, view), view) for country in geo.in_view(key))
            self._layers[key] = tuple(outline for outline in drawn if outline.d)
        return self._layers[key]

    def _simplify(self, country: geo.Country, view: _View) -> Any:
        """The country's outline simplified to within a pixel at the view's scale, islands too small left out."""
        import shapely  # loaded only when a map is drawn (see generator.geo)

        key = (country.name, view.north - view.south)
        if key not in self._simplified:
            pixel = 1 / view.scale  # in degrees of latitude
            smallest = (_SMALLEST_PX * pixel) ** 2 / view.squeeze
            simplified = shapely.simplify(country.shape, _DISPLAY_TOLERANCE_PX * pixel)
            parts = [p for p in getattr(simplified, "geoms", [simplified]) if p.geom_type == "Polygon" and p.area >= smallest]
            self._simplified[key] = shapely.MultiPolygon(parts) if parts else None
        return self._simplified[key]


def _fit(points: list[tuple[float, float]]) -> _View:
    """A view around the points, padded, of one of the SPANS, its centre on a grid."""
    south, north = min(p[0] for p in points), max(p[0] for p in points)
    west, east = min(p[1] for p in points), max(p[1] for p in points)
    squeeze = max(math.cos(math.radians((south + north) / 2)), 0.2)
    needed = max((north - south) * (1 + 2 * PADDING), (east - west) * squeeze * (1 + 2 * PADDING) * ASPECT)
    for span in SPANS:
        step = span / 2
        middle = min(max(round((south + north) / 2 / step) * step, -90 + span / 2), 90 - span / 2)
        centre = round((west + east) / 2 / step) * step
        squeeze = max(math.cos(math.radians(middle)), 0.2)
        half_lon = span / ASPECT / squeeze / 2
        if middle - span / 2 <= south and north <= middle + span / 2 and centre - half_lon <= west and east <= centre + half_lon and span >= needed:
            break
    return _View(round(centre - half_lon, 4), round(middle - span / 2, 4), round(centre + half_lon, 4), round(middle + span / 2, 4), WIDTH * ASPECT / span, squeeze)


def _outline(name: str, shape: Any, view: _View) -> Outline:
    import shapely

    if shape is None:
        return Outline(name, "")
    margin = 1.0
    clipped = shapely.intersection(shape, shapely.box(view.west - margin, view.south - margin, view.east + margin, view.north + margin))
    parts = []
    for polygon in getattr(clipped, "geoms", [clipped]):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            path = _ring_path(shapely.get_coordinates(ring), view)
            if path:
                parts.append(path)
    return Outline(name, "".join(parts))


def _ring_path(coords: Any, view: _View) -> str:
    """A ring's path in whole pixels, repeated points left out (`coords`: shapely's array)."""
    pixels = coords.copy()
    pixels[:, 0] = (pixels[:, 0] - view.west) * view.squeeze * view.scale
    pixels[:, 1] = (view.north - pixels[:, 1]) * view.scale
    points = pixels.round().astype(int)
    moved = (points[1:] != points[:-1]).any(axis=1)
    kept = [points[0].tolist(), *points[1:][moved].tolist()]
    if len(kept) < 4:
        return ""
    return "M" + "L".join(f"{x} {y}" for x, y in kept) + "Z"


def _clusters(order: list[str], points: dict[str, tuple[float, float]]) -> list[list[str]]:
    """Places grouped with the first (busiest) one within CLUSTER_PX of them."""
    groups: list[tuple[tuple[float, float], list[str]]] = []
    for place_id in order:
        x, y = points[place_id]
        for centre, members in groups:
            if math.hypot(centre[0] - x, centre[1] - y) < CLUSTER_PX:
                members.append(place_id)
                break
        else:
            groups.append(((x, y), [place_id]))
    return [members for _, members in groups]
