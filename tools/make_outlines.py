"""Make generator/data/countries.json, the country outlines the maps and place checks use.

Source: Natural Earth's 1:50m admin-0 countries (public domain), as packed by the npm
package `world-atlas` 2.0.2 (TopoJSON). Steps, run once by hand:

    npm pack world-atlas && tar xzf world-atlas-2.0.2.tgz
    npm install --no-save topojson-client@3
    npx topo2geo -i package/countries-50m.json countries=countries50.geojson
    python tools/make_outlines.py countries50.geojson generator/data/countries.json

Each outline is simplified (Douglas-Peucker, TOLERANCE degrees), islands smaller than
MIN_AREA square degrees are dropped unless they are all a country has, and the
coordinates are kept as whole hundredths of a degree in flat [lon, lat, lon, lat, ...]
lists: about 260 KB for the world, fine enough to draw a region and to tell
which country a point is in, to within a few kilometres.
"""
from __future__ import annotations

import json
import sys

from shapely import affinity, box, unary_union
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.validation import make_valid

TOLERANCE = 0.07
CLOSING = 0.02
MIN_AREA = 0.05
SCALE = 100


def _polygons(geometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [part for sub in getattr(geometry, "geoms", ()) for part in _polygons(sub)]


def _ring(coords) -> list[int]:
    flat: list[int] = []
    for lon, lat in coords:
        point = [round(lon * SCALE), round(lat * SCALE)]
        if flat[-2:] != point:
            flat += point
    return flat


def split_at_antimeridian(polygon: Polygon) -> list[Polygon]:
    """A ring that runs from -180 to 180 (Chukotka, Fiji, Antarctica) as two pieces, one each side."""
    if polygon.bounds[2] - polygon.bounds[0] <= 180:
        return [polygon]
    def shift(coords):
        return [(x + 360 if x < 0 else x, y) for x, y in coords]
    moved = make_valid(Polygon(shift(polygon.exterior.coords), [shift(i.coords) for i in polygon.interiors]))
    east = moved.intersection(box(0, -90, 180, 90))
    west = affinity.translate(moved.intersection(box(180, -90, 540, 90)), xoff=-360)
    return [p for part in (east, west) for p in _polygons(part)]


def outline(feature: dict) -> dict | None:
    pieces = [p for polygon in _polygons(make_valid(shape(feature["geometry"]))) for p in split_at_antimeridian(polygon)]
    # Closed (grown then shrunk by CLOSING degrees): pieces that nearly touch, as the two
    # halves of a ring split at the antimeridian do, become one and draw no seam.
    closed = unary_union(pieces).buffer(CLOSING, join_style="mitre").buffer(-CLOSING, join_style="mitre")
    geometry = make_valid(closed.simplify(TOLERANCE, preserve_topology=True))
    parts = sorted(_polygons(geometry), key=lambda p: -p.area)
    kept = [p for p in parts if p.area >= MIN_AREA] or parts[:1]
    if not kept:
        return None
    rings = [[_ring(p.exterior.coords), *(_ring(i.coords) for i in p.interiors if Polygon(i).area >= MIN_AREA)] for p in kept]
    west, south, east, north = MultiPolygon(kept).bounds
    return {
        "name": feature["properties"]["name"],
        "iso_numeric": str(feature.get("id") or ""),
        "bbox": [round(west, 2), round(south, 2), round(east, 2), round(north, 2)],
        "polygons": [[ring for ring in polygon if len(ring) >= 8] for polygon in rings],
    }


def main(source: str, target: str) -> None:
    with open(source, encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    countries = sorted(filter(None, map(outline, features)), key=lambda c: c["name"])
    document = {
        "source": "Natural Earth 1:50m admin-0 countries (public domain), via world-atlas 2.0.2; made by tools/make_outlines.py",
        "scale": SCALE,
        "countries": countries,
    }
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(document, handle, separators=(",", ":"), ensure_ascii=False)
        handle.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
