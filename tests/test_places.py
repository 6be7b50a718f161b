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
