"""Places: one test per check rule, the roll-up of place pages, and `new place`."""
from pathlib import Path

import pytest

from generator.pipeline import check_site
from generator.model import places_around

from conftest import write_files

SYRIA = "name: Syria\nkind: country\n"
DOUMA = "name: Douma\nkind: city\naliases: [Duma]\nwithin: eastern-ghouta\nlatitude: 33.5711\nlongitude: 36.4047\n"
GHOUTA = "name: Eastern Ghouta\nkind: region\nwithin: syria\nlatitude: 33.55\nlongitude: 36.45\n"
EVENT = """\
title: An attack
date: 2017-05-01
actors: [emmanuel-macron]
summary: Something happened.
sources: [afp-red-line]
"""


def places_site(site: Path, **overrides: str) -> Path:
    files = {"syria": SYRIA, "douma": DOUMA, "eastern-ghouta": GHOUTA, **overrides}
    return write_files(site, {f"content/places/{name}.yml": text for name, text in files.items()})


def diagnostics(site: Path, severity: str = "error") -> list[str]:
    return [f"{d.path}:{d.line}:{d.column}: {d.message}" for d in check_site(site).diagnostics if d.severity == severity]


def one(site: Path, fragment: str, severity: str = "error") -> str:
    found = [m for m in diagnostics(site, severity) if fragment in m]
    assert len(found) == 1, diagnostics(site, severity)
    return found[0]


def test_places_resolve_by_id_name_or_alias_and_roll_up(minimal_site: Path):
    places_site(minimal_site)
    write_files(minimal_site, {"content/events/attack.yml": EVENT + "places: [Duma]\n"})
    report = check_site(minimal_site)
    assert [d for d in report.diagnostics if d.severity == "error"] == []
    event = report.timeline.events_by_id["attack"]
    assert event.places == ("douma",)
    assert places_around(event, report.timeline.places) == ["douma", "eastern-ghouta", "syria"]
    terms = report.timeline.taxonomies["places"].terms
    assert [e.event for e in terms["syria"].entries] == ["attack"]
    assert terms["syria"].label == "Syria"


def test_unknown_place_has_did_you_mean(minimal_site: Path):
    places_site(minimal_site)
    write_files(minimal_site, {"content/events/attack.yml": EVENT + "places: [Doumaa]\n"})
    message = one(minimal_site, 'unknown place "Doumaa"')
    assert message.startswith("content/events/attack.yml:6:")
    assert "did you mean" in message and "Douma" in message


def test_unknown_within_is_an_error(minimal_site: Path):
    places_site(minimal_site, douma=DOUMA.replace("eastern-ghouta", "eastern-gouta"))
    assert one(minimal_site, "within: unknown place").startswith("content/places/douma.yml:4:")


@pytest.mark.parametrize("field,value,words", [
    ("latitude", "95", "out of range"),
    ("longitude", "-190", "out of range"),
    ("latitude", '"north"', "as a number"),
])
def test_coordinates_out_of_range(minimal_site: Path, field: str, value: str, words: str):
    original = "33.5711" if field == "latitude" else "36.4047"
    places_site(minimal_site, douma=DOUMA.replace(f"{field}: {original}", f"{field}: {value}"))
    message = one(minimal_site, f"{field}:")
    assert words in message and message.startswith("content/places/douma.yml:")


def test_swapped_coordinates_are_named(minimal_site: Path):
    places_site(minimal_site, douma=DOUMA.replace("33.5711", "X").replace("36.4047", "33.5711").replace("X", "36.4047"))
    message = one(minimal_site, "look swapped")
    assert message.startswith("content/places/douma.yml:5:1:") and "outside Syria" in message


def test_point_outside_its_country(minimal_site: Path):
    # Paris's coordinates, on a place said to be within Syria.
    places_site(minimal_site, douma=DOUMA.replace("33.5711", "48.8566").replace("36.4047", "2.3522"))
    message = one(minimal_site, "outside Syria")
    assert "in France" in message and "km outside" in message


def test_point_near_a_coast_is_inside(minimal_site: Path):
    # Latakia sits on the shore, where simplified outlines are least exact.
    places_site(minimal_site, latakia="name: Latakia\nkind: city\nwithin: syria\nlatitude: 35.5317\nlongitude: 35.7901\n")
    assert diagnostics(minimal_site) == []


def test_a_point_needs_both_coordinates(minimal_site: Path):
    places_site(minimal_site, douma=DOUMA.replace("longitude: 36.4047\n", ""))
    assert "given without longitude" in one(minimal_site, "latitude:")


def test_cycle_in_within(minimal_site: Path):
    places_site(minimal_site, syria=SYRIA + "within: douma\n")
    message = one(minimal_site, "circle")
    assert "douma → eastern-ghouta → syria → douma" in message
    assert message.startswith("content/places/douma.yml:4:")


def test_place_within_itself(minimal_site: Path):
    places_site(minimal_site, syria=SYRIA + "within: Syria\n")
    assert one(minimal_site, "cannot lie within itself").startswith("content/places/syria.yml:3:")


def test_bad_area_order(minimal_site: Path):
    places_site(minimal_site, **{"eastern-ghouta": GHOUTA + "area: [36.6, 33.4, 36.3, 33.65]\n"})
    assert "west (36.6) is east of east" in one(minimal_site, "area:")


def test_bad_wikidata_id(minimal_site: Path):
    places_site(minimal_site, douma=DOUMA + "wikidata: 18435\n")
    assert "Wikidata" in one(minimal_site, "wikidata:")


def test_location_suggests_the_place_it_names(minimal_site: Path):
    places_site(minimal_site)
    write_files(minimal_site, {"content/events/attack.yml": EVENT + "location: Duma, Syria\n"})
    message = one(minimal_site, "location:", "warning")
    assert message.startswith("content/events/attack.yml:6:") and "places: [douma" in message


def test_location_with_places_is_not_warned(minimal_site: Path):
    places_site(minimal_site)
    write_files(minimal_site, {"content/events/attack.yml": EVENT + "location: Duma, Syria\nplaces: [douma]\n"})
    assert diagnostics(minimal_site, "warning") == []


# --- pages and maps -------------------------------------------------------------------

from generator.build import build_site  # noqa: E402
from generator.cli import main  # noqa: E402
from generator.maps import MapMaker  # noqa: E402

PARIS = "name: Paris\nkind: city\nwithin: france\nlatitude: 48.8534\nlongitude: 2.3488\n"
DAMASCUS = "name: Damascus\nkind: city\nwithin: syria\nlatitude: 33.5102\nlongitude: 36.2913\n"


def mapped_site(site: Path) -> Path:
    places_site(site, paris=PARIS, france="name: France\nkind: country\n", damascus=DAMASCUS)
    return write_files(site, {
        "content/events/attack.yml": EVENT + "places: [douma]\n",
        "content/events/talks.yml": EVENT.replace("An attack", "Talks").replace("2017-05-01", "2017-05-20") + "places: [paris]\n",
        "content/events/strike.yml": EVENT.replace("An attack", "A strike").replace("2017-05-01", "2017-05-10") + "places: [damascus, syria]\n",
    })


@pytest.fixture
def mapped_out(minimal_site: Path) -> Path:
    mapped_site(minimal_site)
    result = build_site(minimal_site, overrides={"output": str(minimal_site / "out")})
    assert result.written is not None, [str(d) for d in result.report.diagnostics]
    return result.written.output


def test_place_page_lists_the_events_of_places_within_it(mapped_out: Path):
    syria = (mapped_out / "places" / "syria" / "index.html").read_text()
    assert "An attack" in syria and "A strike" in syria and "Talks" not in syria
    douma = (mapped_out / "places" / "douma" / "index.html").read_text()
    assert "An attack" in douma and "A strike" not in douma
    assert 'href="../../places/eastern-ghouta/index.html">Eastern Ghouta</a>' in douma  # the trail of places it lies within
    index = (mapped_out / "places" / "index.html").read_text()
    assert index.count('class="map-mark') >= 5


def test_home_map_has_marks_a_text_alternative_and_no_request(mapped_out: Path):
    home = (mapped_out / "index.html").read_text()
    svg = home[home.index('<svg class="map-svg"'):home.index("</svg>", home.index('<svg class="map-svg"'))]
    assert svg.count('class="map-mark') >= 2 and "http" not in svg and "<image" not in svg
    assert 'id="map-paris" data-events="talks"' in home
    # The text alternative: each place with its count and a link to its page, not its events again.
    assert 'id="map-paris" data-events="talks"><a href="places/paris/index.html">Paris</a> <span class="map-count">1 event</span></li>' in home
    assert home.count('href="events/talks/index.html"') == 1  # the card's link only
    assert "assets/maps.js" in home and (mapped_out / "assets" / "maps.js").is_file()


def test_event_page_has_a_locator_linking_to_its_place(mapped_out: Path):
    page = (mapped_out / "events" / "attack" / "index.html").read_text()
    assert 'class="map is-locator"' in page
    assert 'href="../../places/douma/index.html" class="map-mark is-point"' in page
    assert 'class="is-focus"' in page  # Syria, the country it lies within, is shaded


def test_close_places_are_clustered_and_areas_marked(minimal_site: Path):
    timeline = check_site(mapped_site(minimal_site)).timeline
    entries = [(event, None) for event in timeline.events]
    world = MapMaker(timeline).events_map(entries)
    grouped = [mark for mark in world.marks if len(mark.places) > 1]
    assert grouped and {"douma", "damascus"} <= set(grouped[0].places)
    near = MapMaker(timeline).events_map([(timeline.events_by_id["strike"], None)])
    assert {mark.places[0]: mark.area for mark in near.marks} == {"damascus": False, "syria": True}


def test_new_place_proposes_coordinates_offline(minimal_site: Path, capsys):
    assert main(["new", "place", "Idlib", "--site", str(minimal_site)]) == 0
    text = (minimal_site / "content" / "places" / "idlib.yml").read_text()
    assert "latitude: 35.9306" in text and "longitude: 36.6339" in text and "within: syria" in text and "geonames: 169389" in text
    assert 'no place "syria" yet' in capsys.readouterr().err
    assert main(["new", "place", "Nowhere-on-earth", "--site", str(minimal_site)]) == 0
    assert "does not know" in capsys.readouterr().err


# --- exports ----------------------------------------------------------------------------

import csv  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402

import geojson  # noqa: E402
import shapely  # noqa: E402
from shapely.geometry import shape  # noqa: E402


def test_events_geojson_is_valid_rfc7946(mapped_out: Path, minimal_site: Path):
    text = (mapped_out / "events.geojson").read_text()
    collection = geojson.loads(text)
    assert collection.is_valid, collection.errors()
    features = {f["id"]: f for f in collection["features"]}
    assert features["talks"]["geometry"] == {"type": "Point", "coordinates": [2.3488, 48.8534]}  # longitude first
    strike = features["strike"]
    assert strike["geometry"]["type"] == "MultiPoint"
    assert [(p["id"], p["precision"]) for p in strike["properties"]["places"]] == [("damascus", "city"), ("syria", "country")]
    assert shape(strike["geometry"]).within(shapely.box(35.7, 32.3, 42.4, 37.3))  # both in Syria
    assert features["red-line"]["geometry"] is None  # an event with no place
    attack = features["attack"]["properties"]["places"][0]
    assert attack["within"] == ["eastern-ghouta", "syria"] and attack["derived"] is False


def test_an_area_is_a_counterclockwise_polygon(minimal_site: Path):
    mapped_site(minimal_site)
    write_files(minimal_site, {
        "content/places/eastern-ghouta.yml": "name: Eastern Ghouta\nkind: region\nwithin: syria\narea: [36.33, 33.45, 36.55, 33.65]\n",
        "content/events/siege.yml": EVENT.replace("An attack", "A siege").replace("2017-05-01", "2017-05-02") + "places: [eastern-ghouta]\n",
    })
    result = build_site(minimal_site, overrides={"output": str(minimal_site / "out")})
    collection = geojson.loads((result.written.output / "events.geojson").read_text())
    siege = next(f for f in collection["features"] if f["id"] == "siege")
    polygon = shape(siege["geometry"])
    assert collection.is_valid and polygon.geom_type == "Polygon" and polygon.exterior.is_ccw
    assert polygon.contains(shapely.Point(36.4047, 33.5711))  # Douma is inside


def test_places_in_events_json_and_csv(mapped_out: Path):
    document = json.loads((mapped_out / "events.json").read_text())
    assert {p["id"] for p in document["places"]} >= {"douma", "syria", "paris"}
    assert next(e for e in document["events"] if e["id"] == "strike")["places"] == ["damascus", "syria"]
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO((mapped_out / "events.csv").read_text()))}
    assert rows["strike"]["place_ids"] == "damascus; syria" and rows["red-line"]["place_ids"] == ""


def test_events_geojson_opens_in_a_gis_reader(mapped_out: Path):
    pyogrio = pytest.importorskip("pyogrio", reason="GDAL's reader (pyogrio) is not installed")
    info = pyogrio.read_info(mapped_out / "events.geojson")
    assert info["features"] == 4 and info["crs"] in ("EPSG:4326", "OGC:CRS84")
    meta, _, geometries, _ = pyogrio.raw.read(mapped_out / "events.geojson")
    assert "title" in list(meta["fields"]) and sum(g is None for g in geometries) == 1
