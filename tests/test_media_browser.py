"""Media of other sites in Chromium: nothing is asked of them until the reader clicks.

A second local web server plays the third party (its picture and its clip); every
request Chromium makes to it is counted, before and after the clicks.
"""
from __future__ import annotations

import functools
import http.server
import io
import threading
from pathlib import Path
from typing import Iterator

import pytest
from PIL import Image

from conftest import write_files
from test_browser import QuietHandler, axe, axe_violations  # noqa: F401 - fixtures
from test_pages import build, rich_site

EVENT = """\
title: A clip and a picture from elsewhere
date: 2017-05-30
actors: [emmanuel-macron]
summary: Seen on another site.
sources: [afp-red-line]
media:
  - url: {third}clip.webm
    credit: Another site
    caption: The clip.
  - url: {third}picture.png
    alt: A grey square
    credit: Another site
"""


class CountingHandler(http.server.BaseHTTPRequestHandler):
    """The third party: answers anything with a small picture, and notes every request."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        picture = io.BytesIO()
        Image.new("RGB", (8, 8), (128, 128, 128)).save(picture, "PNG")
        body = picture.getvalue()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(httpd: http.server.ThreadingHTTPServer) -> Iterator[str]:
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def third_party() -> Iterator[tuple[str, list[str]]]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    httpd.requests = []  # type: ignore[attr-defined]
    for base in serve(httpd):
        yield base, httpd.requests  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def media_site(tmp_path_factory, third_party) -> Iterator[str]:
    root = tmp_path_factory.mktemp("media-browser")
    site = rich_site(root / "site")
    write_files(site, {"content/events/elsewhere.yml": EVENT.format(third=third_party[0])})
    build(site, root / "out")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root / "out")))
    yield from serve(httpd)


def test_no_request_reaches_the_third_party_before_a_click(browser, media_site, third_party):
    base, requests = third_party
    context = browser.new_context()
    page = context.new_page()
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(media_site + "events/elsewhere/index.html")
    page.wait_for_selector(".media-consent:not([hidden]) button")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy pictures would load now
    page.wait_for_timeout(300)
    assert [url for url in seen if url.startswith(base)] == [] and requests == []
    assert any(url.startswith(media_site) for url in seen)  # the page itself did load
    buttons = page.locator(".media-consent button")
    assert buttons.count() == 2
    buttons.nth(1).click()  # the picture
    page.wait_for_selector("img.media-player-image")
    page.wait_for_function("document.querySelector('img.media-player-image').complete")
    assert requests == ["/picture.png"]
    assert page.get_attribute("img.media-player-image", "alt") == "A grey square"
    page.locator(".media-consent button").first.click()  # the clip
    page.wait_for_selector("video.media-player-video")
    page.wait_for_function(f"performance.getEntriesByType('resource').some(e => e.name.startsWith('{base}clip'))")
    assert "/clip.webm" in requests
    context.close()


def test_without_javascript_only_the_links_are_there(browser, media_site, third_party):
    base, requests = third_party
    before = len(requests)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(media_site + "events/elsewhere/index.html")
    assert page.locator(".media-consent").first.is_hidden()
    assert page.locator(f'.media-link a[href="{base}clip.webm"]').count() == 1
    assert len(requests) == before
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_media_pass_axe_before_and_after_a_click(browser, axe, media_site, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(media_site + "events/with-media/index.html")  # a picture of the site, a document, a player's placeholder
    page.wait_for_selector(".media-consent:not([hidden]) button")
    assert axe_violations(axe, page) == []
    page.goto(media_site + "events/elsewhere/index.html")
    page.locator(".media-consent button").first.click()
    page.wait_for_selector("video.media-player-video")
    assert axe_violations(axe, page) == []
    context.close()
