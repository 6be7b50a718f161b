"""The maps in Chromium: they follow the date range, work from the keyboard, pass axe.

The default site, built under a sub-path and served by a local server (the fixtures of
test_browser). The home page's marks carry their events' ids; with a date range in the
address, a mark must be shown exactly when one of its events is.
"""
from __future__ import annotations

import pytest

from test_browser import SUB_PATH, axe, axe_violations, page, server, site  # noqa: F401 - fixtures

VISIBLE_MARKS = """() => Array.from(document.querySelectorAll("[data-map-events] .map-mark"))
  .filter(mark => getComputedStyle(mark).display !== "none").map(mark => mark.getAttribute("data-places"))"""
MARKS_AGREE_WITH_CARDS = """() => {
  const shown = new Set(Array.from(document.querySelectorAll("[data-filter-list] .card"))
    .filter(card => !card.hidden && !card.classList.contains("is-outside-view"))
    .map(card => card.querySelector(".card-title a").getAttribute("href").split("events/")[1].split("/")[0]));
  return Array.from(document.querySelectorAll("[data-map-events] .map-mark")).every(mark => {
    const any = mark.dataset.events.split(" ").some(id => shown.has(id));
    return any === (getComputedStyle(mark).display !== "none");
  });
}"""


def test_a_date_range_changes_the_marks_shown(page, site, server):
    page.goto(server + SUB_PATH + "index.html")
    everything = page.evaluate(VISIBLE_MARKS)
    assert len(everything) >= 5
    page.goto(server + SUB_PATH + "index.html?from=2018-09-01&to=2018-09-30")
    page.wait_for_function("document.querySelector('[data-filters] [role=status]').textContent.includes('shown')")
    page.wait_for_function(MARKS_AGREE_WITH_CARDS)
    september = page.evaluate(VISIBLE_MARKS)
    assert 0 < len(september) < len(everything)
    page.fill("input[name=from]", "")
    page.fill("input[name=to]", "")
    page.locator("[data-filter-clear]").click()
    page.wait_for_function(f"document.querySelectorAll('[data-map-events] .map-mark:not([data-out])').length === {len(everything)}")
    assert page.evaluate(MARKS_AGREE_WITH_CARDS)


def test_the_map_follows_the_time_views_range_when_the_list_does(page, site, server):
    page.goto(server + SUB_PATH + "index.html")
    everything = page.evaluate(VISIBLE_MARKS)
    page.goto(server + SUB_PATH + "index.html?view=2018-09-01..2018-09-30")
    page.wait_for_function("document.querySelector('.tv-range').textContent.startsWith('Showing')")
    assert page.evaluate(VISIBLE_MARKS) == everything  # the view alone does not narrow the list
    page.check("[data-tv=narrow]")
    page.wait_for_function(MARKS_AGREE_WITH_CARDS)
    narrowed = page.evaluate(VISIBLE_MARKS)
    assert 0 < len(narrowed) < len(everything)
    page.uncheck("[data-tv=narrow]")
    page.wait_for_function(f"document.querySelectorAll('[data-map-events] .map-mark:not([data-out])').length === {len(everything)}")


def test_the_list_of_places_gives_counts_and_lists_events_from_the_cards(page, site, server):
    page.goto(server + SUB_PATH + "index.html")
    entry = page.locator("[data-map-events] + .map-places li").first
    count = len(entry.get_attribute("data-events").split(" "))
    entry.locator("summary").click()
    titles = entry.locator(".event-list li a")
    titles.first.wait_for()  # the list is filled on the "toggle" event, which comes a moment after the click
    assert titles.count() == count
    href = titles.first.get_attribute("href")
    assert page.locator(f".chronology .card-title a[href='{href}']").count() == 1  # the same link as its card
    page.goto(server + SUB_PATH + "index.html?from=2018-09-01&to=2018-09-30")
    page.wait_for_function("document.querySelector('[data-filters] [role=status]').textContent.includes('shown')")
    shown = page.locator("[data-map-events] + .map-places li:not([data-out])").first
    shown.locator("summary").click()
    shown.locator(".event-list li").first.wait_for()
    listed = shown.locator(".event-list li").count()
    assert listed >= 1 and shown.locator("summary").text_content() == f"{listed} event{'s' if listed != 1 else ''}"


def test_a_mark_is_reached_by_keyboard_and_opens_its_places_events(page, site, server):
    page.goto(server + SUB_PATH + "index.html")
    first_mark = page.locator("[data-map-events] .map-mark").first
    first_mark.focus()
    assert page.evaluate("document.activeElement.classList.contains('map-mark')")
    name = first_mark.get_attribute("aria-label")
    assert name and "event" in name
    page.keyboard.press("Enter")
    target = first_mark.get_attribute("data-places").split(" ")[0]
    page.wait_for_function(f"document.getElementById('{target}').querySelector('details').open")
    assert page.evaluate(f"document.getElementById('{target}').contains(document.activeElement)")
    assert page.locator(f"#{target} details li a").count() >= 1


@pytest.mark.parametrize("path", ["index.html", "places/syria/index.html", "places/index.html", "events/2018-04-douma-chemical-attack/index.html"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_map_pages_pass_axe_and_request_nothing_outside(page, axe, site, server, path: str, scheme: str):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.emulate_media(color_scheme=scheme)
    page.goto(server + SUB_PATH + path)
    assert page.locator("figure.map svg").count() >= 1
    assert page.problems == []
    assert [url for url in requests if not url.startswith(server)] == []
    assert axe_violations(axe, page) == []


def test_the_map_works_from_file(page, site):
    root, _ = site
    page.goto((root / SUB_PATH / "places" / "syria" / "index.html").as_uri())
    assert page.locator("figure.map .map-mark").count() >= 2 and page.problems == []
