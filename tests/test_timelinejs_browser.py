"""`timelinejs.json` in Knight Lab's real TimelineJS, in Chromium: slides, eras and media appear.

TimelineJS (MPL-2.0) is not kept in this repository: the test takes the package from
the npm registry once (`npm pack @knight-lab/timelinejs@VERSION`) into a cache folder
($TIMELINE_TEST_CACHE, else ~/.cache/timeline-tests) and uses its built files,
dist/js/timeline.js and dist/css/timeline.css. Without npm or the network the test
skips, except when CI is set. The default site (key events, periods and two images)
is built without a base_url and served, with a page beside timelinejs.json that loads it.
"""
from __future__ import annotations

import functools
import html
import http.server
import json
import os
import shutil
import subprocess
import tarfile
import threading
from pathlib import Path
from typing import Iterator

import pytest

from conftest import REPO, skip_or_fail
from test_browser import QuietHandler
from test_pages import build, has_default_content

VERSION = "3.9.11"
PACKAGE = f"@knight-lab/timelinejs@{VERSION}"
BUILT_FILES = ("package/dist/js/timeline.js", "package/dist/css/timeline.css", "package/LICENSE")
VIEWER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS</title>
<link rel="stylesheet" href="timelinejs/timeline.css">
<script src="timelinejs/timeline.js"></script></head>
<body><div id="timeline" style="width: 1200px; height: 700px"></div>
<script>window.timeline = new TL.Timeline("timeline", "timelinejs.json", {font: null});</script>
</body></html>
"""


def cache_folder() -> Path:
    return Path(os.environ.get("TIMELINE_TEST_CACHE") or Path.home() / ".cache" / "timeline-tests") / f"timelinejs-{VERSION}"


def timelinejs_files() -> Path:
    """The folder holding TimelineJS's built files, fetched with npm when not there yet."""
    folder = cache_folder()
    if all((folder / name).is_file() for name in BUILT_FILES):
        return folder
    npm = shutil.which("npm")
    if npm is None:
        skip_or_fail("npm is not installed: TimelineJS cannot be fetched")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run([npm, "pack", PACKAGE, "--pack-destination", str(folder)], capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        skip_or_fail("npm pack timed out: no network?")
    archive = folder / f"knight-lab-timelinejs-{VERSION}.tgz"
    if done.returncode != 0 or not archive.is_file():
        skip_or_fail(f"npm pack {PACKAGE} failed (no network?): {done.stderr.strip()[-300:]}")
    with tarfile.open(archive) as packed:
        for name in BUILT_FILES:
            member = packed.getmember(name)
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(packed.extractfile(member).read())  # type: ignore[union-attr]
    archive.unlink()
    return folder


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, dict]]:
    if not has_default_content():
        pytest.skip("the default site has no events in content/events yet")
    files = timelinejs_files()
    out = build(REPO, tmp_path_factory.mktemp("timelinejs") / "out")
    (out / "timelinejs").mkdir()
    for name in ("timeline.js", "timeline.css"):
        shutil.copy(next(files.rglob(name)), out / "timelinejs" / name)
    (out / "viewer.html").write_text(VIEWER)
    document = json.loads((out / "timelinejs.json").read_text())
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", document
    httpd.shutdown()
    thread.join()


def test_timelinejs_shows_every_slide_era_and_image(browser, served):
    base, document = served
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    own_failures: list[str] = []
    ours = (base + "timelinejs.json", base + "media/")  # TimelineJS's own icons and fonts are not the export's business
    page.on("response", lambda response: own_failures.append(response.url) if response.status >= 400 and response.url.startswith(ours) else None)
    page.goto(base + "viewer.html")
    page.wait_for_selector(".tl-slide-titleslide")
    events = document["events"]
    assert page.locator(".tl-storyslider .tl-slide").count() == len(events) + 1  # and the title slide
    assert page.locator(".tl-timeera").count() == len(document["eras"]) > 0
    era_names = page.locator(".tl-timeera .tl-timeera-text").all_text_contents()
    assert sorted(name.strip() for name in era_names) == sorted(html.unescape(era["text"]["headline"]) for era in document["eras"])
    key_group = page.locator(".tl-timegroup-message", has_text="Key events")
    assert key_group.count() == 1
    # an event with an image: its slide shows the picture of the site, with credit and caption
    with_media = next(event for event in events if "media" in event)
    page.evaluate(f"window.timeline.goToId({json.dumps(with_media['unique_id'])})")
    slide = page.locator(f"[id=\"{with_media['unique_id']}\"]")
    image = slide.locator("img.tl-media-image")
    image.wait_for()
    page.wait_for_function(
        "id => { const img = document.getElementById(id).querySelector('img.tl-media-image'); return img && img.complete && img.naturalWidth > 0; }",
        arg=with_media["unique_id"],
    )
    assert image.get_attribute("src").endswith(with_media["media"]["url"])
    assert image.get_attribute("alt") == with_media["media"]["alt"]
    assert with_media["media"]["credit"] in slide.locator(".tl-credit").text_content()
    assert slide.locator(".tl-caption em").count() == 1  # the caption's Markdown, as HTML
    assert errors == [] and own_failures == []
    context.close()
