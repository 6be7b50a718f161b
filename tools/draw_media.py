"""Draw the default timeline's locator maps (content/media/maps/*.png) with Pillow.

The outlines are Natural Earth's, shipped in generator/data/countries.json (public
domain); the points are the coordinates of the site's own places (content/places/,
from GeoNames). Run it again after changing a place: `python tools/draw_media.py`.
The maps are drawn in a plain equirectangular projection scaled by the cosine of the
middle latitude, which is close enough at this size.
"""
from __future__ import annotations

import math
from pathlib import Path

import shapely
import yaml
from PIL import Image, ImageDraw, ImageFont

from generator import geo

REPO = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
LAND, OTHER_LAND, SEA, EDGE, INK, MARK = (236, 229, 214), (246, 243, 236), (205, 224, 238), (140, 132, 120), (28, 31, 35), (178, 34, 34)

MAPS = {
    "maps/idlib-2018.png": {
        "view": (35.4, 34.3, 38.6, 37.0),  # west, south, east, north
        "title": "North-western Syria, September 2018",
        "places": ["idlib", "khan-sheikhoun", "aleppo", "afrin", "idlib-province"],
        "highlight": "Syria",
    },
    "maps/eastern-ghouta-2018.png": {
        "view": (35.9, 33.2, 36.9, 33.85),
        "title": "Damascus and Eastern Ghouta, April 2018",
        "places": ["damascus", "douma", "eastern-ghouta"],
        "highlight": "Syria",
    },
}
WIDTH = 1600
GAP_DEGREES = 0.1


def place(place_id: str) -> dict:
    return yaml.safe_load((REPO / "content" / "places" / f"{place_id}.yml").read_text(encoding="utf-8"))


def draw(view: tuple[float, float, float, float], title: str, place_ids: list[str], highlight: str) -> Image.Image:
    west, south, east, north = view
    squash = math.cos(math.radians((south + north) / 2))
    height = round(WIDTH * (north - south) / ((east - west) * squash))
    image = Image.new("RGB", (WIDTH, height), OTHER_LAND)
    pen = ImageDraw.Draw(image)

    def at(longitude: float, latitude: float) -> tuple[float, float]:
        return (longitude - west) / (east - west) * WIDTH, (north - latitude) / (north - south) * height

    shown = geo.in_view(view)
    # The simplified outlines leave slivers between neighbours: closing the land by a few
    # kilometres fills them, so only open water is drawn as sea.
    land = shapely.union_all([country.shape for country in shown]).buffer(GAP_DEGREES).buffer(-GAP_DEGREES)
    sea = shapely.box(*view).difference(land)
    for polygon in getattr(sea, "geoms", [sea]):
        if not polygon.is_empty:
            pen.polygon([at(x, y) for x, y in polygon.exterior.coords], fill=SEA)
    for country in shown:
        for polygon in country.shape.geoms:
            outline = [at(x, y) for x, y in polygon.exterior.coords]
            if country.name == highlight:
                pen.polygon(outline, fill=LAND)
            pen.line(outline, fill=EDGE, width=3)
    label = ImageFont.truetype(FONT, 34)
    heading = ImageFont.truetype(BOLD, 44)
    for place_id in place_ids:
        values = place(place_id)
        x, y = at(values["longitude"], values["latitude"])
        if values.get("area"):
            a_west, a_south, a_east, a_north = values["area"]
            pen.rectangle([at(a_west, a_north), at(a_east, a_south)], outline=MARK, width=4)
        if values["kind"] in ("region", "area"):
            pen.text((x, y), values["name"], font=label, fill=MARK, anchor="mm")
            continue
        pen.ellipse([x - 11, y - 11, x + 11, y + 11], fill=MARK, outline=(255, 255, 255), width=3)
        pen.text((x + 20, y), values["name"], font=label, fill=INK, anchor="lm", stroke_width=4, stroke_fill=(255, 255, 255))
    pen.rectangle([0, 0, WIDTH, 80], fill=(255, 255, 255))
    pen.text((28, 40), title, font=heading, fill=INK, anchor="lm")
    scale_km = 50 if east - west > 1.5 else 10
    pixels = scale_km / (geo.KM_PER_DEGREE * squash) / (east - west) * WIDTH
    pen.rectangle([28, height - 46, 28 + pixels, height - 36], fill=INK)
    pen.text((40 + pixels, height - 41), f"{scale_km} km", font=label, fill=INK, anchor="lm")
    return image


def main() -> None:
    for name, spec in MAPS.items():
        path = REPO / "content" / "media" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        draw(spec["view"], spec["title"], spec["places"], spec["highlight"]).save(path, "PNG", optimize=True)
        print(path.relative_to(REPO))


if __name__ == "__main__":
    main()
