"""Events' media in the built site: resized copies, responsive markup, placeholders, exports, and the record.

Built from the rich test site of test_pages (a 1200×800 JPEG with an EXIF note, a PDF,
a YouTube link, a recording's link and a document's link on one event).
"""
from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from generator.build import build_site
from generator.exports import mediafiles

from conftest import write_files
from test_pages import build, rich_site, sample_jpeg

EVENT_PAGE = "events/with-media/index.html"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    site = rich_site(tmp_path_factory.mktemp("media") / "site")
    return build(site, site.parent / "out", base_url="https://example.org/syria/")


def test_an_image_is_published_in_responsive_widths_without_its_metadata(out: Path):
    widths = {}
    for path in sorted((out / "media" / "photos").iterdir()):
        with Image.open(path) as image:
            widths[path.name] = (image.format, image.size)
            assert not image.getexif(), path.name
        assert b"secret note" not in path.read_bytes()
    assert widths == {
        "table-480.jpg": ("JPEG", (480, 320)), "table-960.jpg": ("JPEG", (960, 640)), "table-1200.jpg": ("JPEG", (1200, 800)),
    }
    assert (out / "media" / "docs" / "statement.pdf").read_bytes().startswith(b"%PDF-1.4")


def test_the_event_page_shows_the_image_lazily_in_the_width_it_needs(out: Path):
    html = (out / EVENT_PAGE).read_text()
    img = re.search(r'<img src="[^"]*table-1200\.jpg"[^>]*>', html).group(0)
    assert 'srcset="../../media/photos/table-480.jpg 480w, ../../media/photos/table-960.jpg 960w, ../../media/photos/table-1200.jpg 1200w"' in img
    assert 'sizes="' in img and 'loading="lazy"' in img and 'width="1200"' in img and 'height="800"' in img
    assert 'alt="A long table with chairs on both sides"' in img
    assert "The <em>table</em> before the talks." in html and "Test photographer" in html
    assert '<a href="../../media/docs/statement.pdf">statement.pdf</a>' in html


def test_the_card_shows_a_small_copy(out: Path):
    html = (out / "index.html").read_text()
    card = re.search(r'<article id="e-with-media".*?</article>', html, re.DOTALL).group(0)
    assert 'class="card-picture"' in card and 'sizes="7.5rem"' in card and 'loading="lazy"' in card


def test_the_first_image_is_the_page_s_picture_when_shared(out: Path):
    html = (out / EVENT_PAGE).read_text()
    assert '<meta property="og:image" content="https://example.org/syria/media/photos/table-1200.jpg">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta name="twitter:card" content="summary">' in (out / "events/red-line/index.html").read_text()


def test_third_party_media_are_placeholders_that_load_nothing(out: Path):
    html = (out / EVENT_PAGE).read_text()
    assert 'data-player="https://www.youtube-nocookie.com/embed/abcdefghijk"' in html
    assert 'data-player="https://example.org/archive/speech.mp3"' in html
    assert html.count("media-deferred") == 2  # the document link has nothing to play
    assert '<a class="external" href="https://example.org/report">Read the document on example.org</a>' in html
    # nothing on the page fetches from another site by itself
    assert not re.search(r'<(img|iframe|video|audio|script|source)\b[^>]*\bsrc="https?://', html)
    assert "assets/media.js" in html and "assets/media.js" not in (out / "events/red-line/index.html").read_text()


def test_timelinejs_carries_each_event_s_first_media(out: Path):
    slides = {slide["unique_id"]: slide for slide in json.loads((out / "timelinejs.json").read_text())["events"]}
    assert slides["with-media"]["media"] == {
        "url": "https://example.org/syria/media/photos/table-960.jpg",
        "thumbnail": "https://example.org/syria/media/photos/table-480.jpg",
        "alt": "A long table with chairs on both sides",
        "credit": "Test photographer",
        "caption": "The <em>table</em> before the talks.",
    }
    assert "media" not in slides["red-line"]


def test_an_image_is_resized_again_only_when_its_bytes_change(tmp_path: Path, monkeypatch):
    calls: list[tuple[str, int]] = []
    real = mediafiles.resized_bytes
    monkeypatch.setattr(mediafiles, "resized_bytes", lambda path, width: calls.append((path.name, width)) or real(path, width))
    site = rich_site(tmp_path / "site")
    output = tmp_path / "out"
    build(site, output)
    assert sorted(calls) == [("table.jpg", 480), ("table.jpg", 960), ("table.jpg", 1200)]
    calls.clear()
    write_files(site, {"content/events/year-only.yml": (site / "content/events/year-only.yml").read_text().replace("Dated to the year.", "Dated to the year, and edited.")})
    build(site, output)
    assert calls == []  # another event changed: the copies are kept
    picture = Image.new("RGB", (1200, 800), (10, 120, 30))
    data = io.BytesIO()
    picture.save(data, "JPEG")
    (site / "content/media/photos/table.jpg").write_bytes(data.getvalue())
    build(site, output)
    assert sorted(calls) == [("table.jpg", 480), ("table.jpg", 960), ("table.jpg", 1200)]
    cold = tmp_path / "cold"
    shutil.copytree(site, cold, ignore=shutil.ignore_patterns(".timeline-cache"))
    cold_out = build(cold, tmp_path / "cold-out")
    for copy in (output / "media/photos").iterdir():
        assert copy.read_bytes() == (cold_out / "media/photos" / copy.name).read_bytes()  # incremental == cold


def test_a_smaller_image_keeps_its_own_width(tmp_path: Path):
    site = rich_site(tmp_path / "site")
    write_files(site, {"content/media/photos/table.jpg": sample_jpeg(300, 200)})
    out = build(site, tmp_path / "out")
    assert sorted(p.name for p in (out / "media/photos").iterdir()) == ["table-300.jpg"]
    html = (out / EVENT_PAGE).read_text()
    assert 'srcset="../../media/photos/table-300.jpg 300w"' in html and 'width="300" height="200"' in html


def test_a_build_with_a_missing_media_file_writes_nothing(tmp_path: Path):
    site = rich_site(tmp_path / "site")
    (site / "content/media/docs/statement.pdf").unlink()
    result = build_site(site, overrides={"output": str(tmp_path / "out")})
    assert result.written is None
    assert any("there is no file content/media/docs/statement.pdf" in d.message for d in result.report.diagnostics)


def test_an_image_of_another_size_changes_the_page_as_a_cold_build_would(tmp_path: Path):
    site = rich_site(tmp_path / "site")
    output = build(site, tmp_path / "out")
    write_files(site, {"content/media/photos/table.jpg": sample_jpeg(600, 600)})  # the event's file is as it was
    build(site, output)
    html = (output / EVENT_PAGE).read_text()
    assert 'width="600" height="600"' in html and "table-1200.jpg" not in html
    assert sorted(p.name for p in (output / "media/photos").iterdir()) == ["table-480.jpg", "table-600.jpg"]
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(".timeline-cache"))
    cold_out = build(fresh, tmp_path / "cold-out")
    for page in ("index.html", EVENT_PAGE):
        assert (output / page).read_bytes() == (cold_out / page).read_bytes()
