"""The built site in a real browser: from file:// and from a web server under a sub-path.

Debian's Chromium, driven by Playwright (the session's `browser` fixture in conftest),
opens the home page, an event page and an actor page. Each must load without a console
error or failed request, every internal link on it must lead to a file that exists
(file://) or answers 200 (http), axe-core must find no violation in light or dark mode,
and nothing may scroll sideways on a 360-pixel-wide phone.
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO, skip_or_fail
from generator.pipeline import check_site
from test_pages import build, has_default_content, rich_site

SUB_PATH = "sub/site/"
INTERNAL_LINKS = """() => Array.from(
  document.querySelectorAll("a[href], link[href], script[src], img[src]"),
  element => new URL(element.getAttribute("href") || element.getAttribute("src"), document.baseURI).href)"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


def chosen_pages(site: Path) -> list[str]:
    """Home, the event with the most quotes and sources, the actor with the most events."""
    timeline = check_site(site).timeline
    assert timeline is not None
    event = max(timeline.events, key=lambda e: (len(e.quotes) + len(e.sources), e.id))
    actor = max(timeline.taxonomies["actors"].terms.values(), key=lambda t: (len(t.entries), t.slug))
    return ["index.html", f"events/{event.id}/index.html", f"actors/{actor.slug}/index.html"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, list[str]]:
    """The default site (or, while content/ has no events, the rich test site) built under sub/site/."""
    root = tmp_path_factory.mktemp("served")
    source = REPO
    if not has_default_content():
        source = rich_site(root / "rich-site")
    build(source, root / SUB_PATH)
    return root, chosen_pages(source)


@pytest.fixture(scope="module")
def server(site) -> Iterator[str]:
    """A web server for the folder above the site: the site lives at /sub/site/."""
    root, _ = site
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    thread.join()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors, script errors and failed requests."""
    context = browser.new_context()
    new_page = context.new_page()
    problems: list[str] = []
    new_page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    new_page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    new_page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    new_page.on("response", lambda response: problems.append(f"{response.status}: {response.url}") if response.status >= 400 else None)
    new_page.problems = problems  # type: ignore[attr-defined]
    yield new_page
    context.close()


def base_url(origin: str, site, server: str) -> str:
    root, _ = site
    return (root / SUB_PATH).as_uri() + "/" if origin == "file" else server + SUB_PATH


def broken_targets(page, links: list[str], base: str) -> list[str]:
    """Internal links (under the site's base) whose target is missing."""
    broken = []
    for url in sorted({link.split("#")[0] for link in links if link.startswith(base)}):
        if url.startswith("file:"):
            if not Path(unquote(urlsplit(url).path)).is_file():
                broken.append(url)
        elif page.request.get(url).status != 200:
            broken.append(url)
    return broken


@pytest.fixture(scope="module")
def axe():
    """axe-core, injected by axe-playwright-python."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        skip_or_fail("axe-playwright-python is not installed (pip install '.[test]')")
    return Axe()


def axe_violations(axe, page) -> list[str]:
    """axe-core's violations on the page (every rule but the experimental ones)."""
    results = axe.run(page)
    assert len(results.response["passes"]) > 20  # axe really looked
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


@pytest.mark.parametrize("origin", ["file", "http"])
@pytest.mark.parametrize("which", [0, 1, 2], ids=["home", "event", "actor"])
def test_page_loads_cleanly_with_no_broken_link_and_no_axe_violation(page, axe, site, server, origin: str, which: int):
    base = base_url(origin, site, server)
    path = site[1][which]
    response = page.goto(base + path)
    assert response is None or response.status == 200  # file:// gives no response
    assert page.evaluate("document.styleSheets.length") >= 1 and page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    links = page.evaluate(INTERNAL_LINKS)
    assert len(links) > 10
    assert broken_targets(page, links, base) == []
    assert page.problems == []  # checked before axe, which fetches stylesheets itself (refused on file://)
    assert axe_violations(axe, page) == []


@pytest.mark.parametrize("which", [0, 1, 2], ids=["home", "event", "actor"])
def test_dark_mode_is_applied_and_passes_axe(page, axe, site, server, which: int):
    page.emulate_media(color_scheme="dark")
    page.goto(server + SUB_PATH + site[1][which])
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(20, 23, 27)"
    assert page.problems == []
    assert axe_violations(axe, page) == []


@pytest.mark.parametrize("which", [0, 1, 2], ids=["home", "event", "actor"])
def test_nothing_scrolls_sideways_on_a_narrow_phone(page, site, server, which: int):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(server + SUB_PATH + site[1][which])
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_skip_link_comes_first_and_moves_focus_to_the_content(page, site, server):
    page.goto(server + SUB_PATH + site[1][1])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_chart_bar_leads_to_its_month_on_the_year_page(page, site, server):
    page.goto(server + SUB_PATH + "index.html")
    bar = page.locator(".histogram svg a").first
    label = bar.get_attribute("aria-label")
    bar.click()
    month = label.split(":")[0]
    assert page.url.split("#")[1].startswith("month-")
    assert page.locator(f"#{page.url.split('#')[1]}").text_content() == month


def test_printing_hides_navigation_and_shows_source_addresses(page, site, server):
    page.emulate_media(media="print")
    page.goto(server + SUB_PATH + site[1][1])
    assert page.locator(".site-nav").is_hidden()
    after = page.evaluate("""() => { const a = document.querySelector('.source-title a[href^="http"]');
                                     return a ? getComputedStyle(a, '::after').content : 'none'; }""")
    assert after == "none" or "http" in after
