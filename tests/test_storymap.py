"""`storymap.json`: parses as JSON and has the shape Knight Lab's StoryMapJS reads.

The shape checked is the one StoryMapJS's slide and map code reads: `storymap.slides`,
a first slide of type "overview", then slides with a numeric `location` (lat, lon,
zoom), a `date` text and `text.headline`/`text.text`; slides in the chronology's order.
"""
from __future__ import annotations

import json
from pathlib import Path

from generator.build import build_site

from conftest import write_files
from test_places import EVENT, mapped_out, mapped_site  # noqa: F401 - fixtures


def slides_of(output: Path) -> list[dict]:
    document = json.loads((output / "storymap.json").read_text(encoding="utf-8"))
    assert set(document) == {"storymap"}
    story = document["storymap"]
    assert story["map_as_image"] is False and story["language"] == "en"
    return story["slides"]


def test_storymap_has_an_overview_then_the_located_events_in_order(mapped_out: Path):
    slides = slides_of(mapped_out)
    overview, *events = slides
    assert overview["type"] == "overview" and "location" not in overview and overview["text"]["headline"]
    # red-line has no place: no slide. The others, by date: attack (1 May), strike (10 May), talks (20 May).
    assert [s["uniqueid"] for s in events] == ["attack", "strike", "talks"]
    for slide in events:
        location = slide["location"]
        assert all(isinstance(location[k], (int, float)) and not isinstance(location[k], bool) for k in ("lat", "lon", "zoom"))
        assert -90 <= location["lat"] <= 90 and -180 <= location["lon"] <= 180 and 0 <= location["zoom"] <= 18
        assert location["line"] is False
        assert isinstance(slide["date"], str) and slide["date"]
        assert isinstance(slide["text"]["headline"], str) and slide["text"]["text"].startswith("<p>")
    attack, strike, talks = events
    assert attack["location"] == {"name": "Douma", "lat": 33.5711, "lon": 36.4047, "zoom": 9, "line": False}  # a city
    assert talks["location"]["name"] == "Paris" and talks["date"] == "20 May 2017"
    assert strike["location"]["name"] == "Damascus" and "<p>Places: Damascus, Syria</p>" in strike["text"]["text"]


def test_storymap_is_listed_with_the_other_downloads(mapped_out: Path):
    home = (mapped_out / "index.html").read_text(encoding="utf-8")
    assert 'href="storymap.json">StoryMapJS</a>' in home


def test_headlines_are_escaped_and_links_need_a_base_url(minimal_site: Path):
    mapped_site(minimal_site)
    write_files(minimal_site, {
        "content/events/talks.yml": EVENT.replace("An attack", "Talks <b>in</b> Paris").replace("2017-05-01", "2017-05-20") + "places: [paris]\n",
    })
    site_yml = minimal_site / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "base_url: https://example.org/chronology/\n", encoding="utf-8")
    result = build_site(minimal_site, overrides={"output": str(minimal_site / "out")})
    assert result.written is not None, [str(d) for d in result.report.diagnostics]
    talks = next(s for s in slides_of(result.written.output) if s.get("uniqueid") == "talks")
    assert talks["text"]["headline"] == "Talks &lt;b&gt;in&lt;/b&gt; Paris"
    assert '<a href="https://example.org/chronology/events/talks/">More about this event</a>' in talks["text"]["text"]


def test_a_site_without_places_writes_no_storymap(minimal_site: Path):
    result = build_site(minimal_site, overrides={"output": str(minimal_site / "out")})
    assert result.written is not None
    assert not (result.written.output / "storymap.json").exists()
    assert "storymap.json" not in (result.written.output / "index.html").read_text(encoding="utf-8")


def test_moving_a_place_remakes_its_slides_as_a_cold_build_would(minimal_site: Path, tmp_path: Path):
    mapped_site(minimal_site)
    output = minimal_site / "out"
    assert build_site(minimal_site, overrides={"output": str(output)}).written is not None
    write_files(minimal_site, {"content/places/paris.yml": "name: Paris\nkind: city\nwithin: france\nlatitude: 48.86\nlongitude: 2.35\nprecision: exact\n"})
    assert build_site(minimal_site, overrides={"output": str(output)}).written is not None
    talks = next(s for s in slides_of(output) if s.get("uniqueid") == "talks")
    assert talks["location"] == {"name": "Paris", "lat": 48.86, "lon": 2.35, "zoom": 12, "line": False}
    cold = tmp_path / "cold"
    assert build_site(minimal_site, overrides={"output": str(cold)}, use_cache=False).written is not None
    for name in ("storymap.json", "events.geojson", "index.html", "events/talks/index.html", "places/france/index.html"):
        assert (output / name).read_bytes() == (cold / name).read_bytes(), name


def test_a_slide_shows_the_events_first_picture_or_clip(minimal_site: Path):
    from test_media_check import png

    mapped_site(minimal_site)
    clip = "  - url: https://www.youtube.com/watch?v=dQw4w9WgXcQ\n    credit: AFP & partners\n    caption: The *talks* opening\n"
    picture = "  - file: maps/douma.png\n    alt: A map of Douma\n    credit: OCHA\n"
    write_files(minimal_site, {
        "content/media/maps/douma.png": png(1200, 800),
        "content/events/talks.yml": EVENT.replace("An attack", "Talks").replace("2017-05-01", "2017-05-20") + "places: [paris]\nmedia:\n" + clip,
        "content/events/attack.yml": EVENT + "places: [douma]\nmedia:\n" + picture,
    })
    result = build_site(minimal_site, overrides={"output": str(minimal_site / "out")})
    assert result.written is not None, [str(d) for d in result.report.diagnostics]
    slides = {s.get("uniqueid"): s for s in slides_of(result.written.output)}
    assert slides["talks"]["media"] == {
        "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "credit": "AFP &amp; partners", "caption": "<p>The <em>talks</em> opening</p>",
    }
    assert "media" not in slides["attack"]  # a file of the site needs a base_url: StoryMapJS reads addresses from the embedding page
    site_yml = minimal_site / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "base_url: https://example.org/\n", encoding="utf-8")
    result = build_site(minimal_site, overrides={"output": str(minimal_site / "out")})
    attack = next(s for s in slides_of(result.written.output) if s.get("uniqueid") == "attack")
    assert attack["media"] == {"url": "https://example.org/media/maps/douma-1200.png", "credit": "OCHA", "caption": "", "alt": "A map of Douma"}
    # media.resized_path names the copy the build publishes for the event page (the largest width of it)
