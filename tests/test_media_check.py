"""Checking events' media: file or link, alt for images, credit, the file found and readable."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from generator.pipeline import check_site

from conftest import write_files

EVENT = """\
title: An event
date: 2017-05-29
actors: [emmanuel-macron]
summary: Something happened.
sources: [afp-red-line]
media:
"""


def png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


def problems(site: Path, media: str, severity: str = "error") -> list[str]:
    write_files(site, {"content/events/e.yml": EVENT + media})
    return [f"{d.path}:{d.line}:{d.column}: {d.message}" for d in check_site(site).diagnostics if d.severity == severity]


def test_an_image_with_alt_and_credit_is_measured(minimal_site: Path):
    write_files(minimal_site, {"content/media/maps/zone.png": png(40, 30)})
    write_files(minimal_site, {"content/events/e.yml": EVENT + "  - file: maps/zone.png\n    alt: A red square\n    credit: Drawn for this site\n"})
    report = check_site(minimal_site)
    assert report.diagnostics == []
    (item,) = report.timeline.events_by_id["e"].media
    assert (item.kind, item.file, item.width, item.height, item.credit) == ("image", "maps/zone.png", 40, 30, "Drawn for this site")


def test_an_image_without_alt_is_an_error_at_the_item(minimal_site: Path):
    write_files(minimal_site, {"content/media/zone.png": png()})
    (found,) = problems(minimal_site, "  - file: zone.png\n    credit: Me\n")
    assert found.startswith("content/events/e.yml:7:5: media[1]: an image needs alt:")


def test_credit_is_required(minimal_site: Path):
    write_files(minimal_site, {"content/media/report.pdf": b"%PDF-1.4\n"})
    (found,) = problems(minimal_site, "  - file: report.pdf\n")
    assert 'media[1]: missing required field "credit"' in found and found.startswith("content/events/e.yml:7:")


def test_a_missing_file_is_named_with_a_close_one_suggested(minimal_site: Path):
    write_files(minimal_site, {"content/media/exclusion-zone.png": png()})
    (found,) = problems(minimal_site, "  - file: exclusion-zon.png\n    alt: A map\n    credit: Me\n")
    assert found.startswith("content/events/e.yml:7:5: media[1].file: there is no file content/media/exclusion-zon.png")
    assert 'did you mean "exclusion-zone.png"' in found


@pytest.mark.parametrize("path,hint", [("../site.yml", "no .."), ("/etc/passwd", "no leading /"), ("My Map.PNG", '"my-map.png"'), ("content/media/a.png", '("a.png")')])
def test_a_path_leaving_the_media_folder_or_with_odd_names_is_refused(minimal_site: Path, path: str, hint: str):
    (found,) = problems(minimal_site, f"  - file: {path}\n    alt: A map\n    credit: Me\n")
    assert "media[1].file:" in found and hint in found


def test_a_file_that_is_not_an_image_is_reported(minimal_site: Path):
    write_files(minimal_site, {"content/media/fake.png": b"not a picture"})
    (found,) = problems(minimal_site, "  - file: fake.png\n    alt: A map\n    credit: Me\n")
    assert "content/media/fake.png cannot be read as an image" in found


def test_a_symbolic_link_out_of_the_site_is_refused(minimal_site: Path, tmp_path: Path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(png())
    (minimal_site / "content" / "media").mkdir(parents=True)
    (minimal_site / "content" / "media" / "leak.png").symlink_to(outside)
    (found,) = problems(minimal_site, "  - file: leak.png\n    alt: A map\n    credit: Me\n")
    assert "symbolic link pointing outside the site folder" in found


@pytest.mark.parametrize("media,words", [
    ("  - url: ftp://example.org/a.pdf\n    credit: Me\n", "only http and https URLs are allowed"),
    ("  - url: javascript:alert(1)\n    credit: Me\n", "only http and https URLs are allowed"),
    ("  - url: https://example.org/page\n    credit: Me\n", "add kind: video, audio, document or image"),
    ("  - credit: Me\n", 'missing "file" or "url"'),
    ("  - file: a.pdf\n    url: https://example.org/a.pdf\n    credit: Me\n", "not both"),
    ("  - file: clip.avi\n    credit: Me\n", "is not a kind of file the site publishes"),
    ("  - url: https://example.org/a.png\n    credit: Me\n", "an image needs alt"),
    ("  - url: https://example.org/a.pdf\n    kind: film\n    credit: Me\n", "expected one of image, video, audio, document"),
])
def test_bad_items_are_explained(minimal_site: Path, media: str, words: str):
    found = problems(minimal_site, media)
    assert len(found) == 1 and words in found[0], found
    assert re.match(r"content/events/e\.yml:[78]:\d+: media\[1\]", found[0])  # at the item or at its field


@pytest.mark.parametrize("url,kind", [
    ("https://www.youtube.com/watch?v=abcdefghijk", "video"), ("https://youtu.be/abcdefghijk", "video"),
    ("https://vimeo.com/76979871", "video"), ("https://soundcloud.com/artist/track", "audio"),
    ("https://example.org/report.PDF", "document"), ("https://example.org/clip.mp4?x=1", "video"),
])
def test_the_kind_of_a_link_is_told_from_its_host_or_extension(minimal_site: Path, url: str, kind: str):
    write_files(minimal_site, {"content/events/e.yml": EVENT + f"  - url: {url}\n    credit: Someone\n"})
    report = check_site(minimal_site)
    assert report.diagnostics == []
    assert report.timeline.events_by_id["e"].media[0].kind == kind
