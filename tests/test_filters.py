"""Filters of the chronology (home and year pages): actors, tag and date range, in the page.

As HTML: each card carries its event's own actors, tags and first and last days (as
the model says), and the controls are hidden without JavaScript. In Chromium on the
default site served under a sub-path: one actor shows exactly that actor's events
(compared with the model), headings left empty are hidden, a live region counts
the events shown, the query string holds the view (a shared URL opened in a new page
shows the same events; Back restores the one before), the controls work from the
keyboard, and axe-core finds no violation with the filters (and the search) open.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import REPO
from generator.dates import parse as parse_date
from generator.model import Timeline
from generator.pipeline import check_site
from generator.views import Views, day_span
from test_browser import SUB_PATH, axe, axe_violations, page, server, site  # noqa: F401 - fixtures
from test_pages import build, parse

SHOWN_IDS = """() => Array.from(document.querySelectorAll("[data-filter-list] .card"))
  .filter(card => card.offsetParent !== null)
  .map(card => card.querySelector(".card-title a").getAttribute("href").split("events/")[1].split("/")[0])"""
VISIBLE_HEADINGS = """() => Array.from(document.querySelectorAll("[data-filter-list] h2, [data-filter-list] h3"))
  .filter(h => h.offsetParent !== null).map(h => h.textContent.trim())"""


@pytest.mark.parametrize("written, first, last", [
    ("2017", "2017-01-01", "2017-12-31"),
    ("2016-02", "2016-02-01", "2016-02-29"),
    ("2017-05-29", "2017-05-29", "2017-05-29"),
    ("2018-05-24/2018-06", "2018-05-24", "2018-06-30"),
    ("2018-04-14T23:30-05:00", "2018-04-14", "2018-04-14"),  # the day it was written in, not UTC's
    ("2018-02~", "2018-02-01", "2018-02-28"),
])
def test_day_span_gives_the_first_and_last_calendar_days(written: str, first: str, last: str):
    assert day_span(parse_date(written)) == (first, last)


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    model = check_site(REPO).timeline
    assert model is not None
    return model


@pytest.fixture(scope="module")
def default_out(site) -> Path:
    return site[0] / SUB_PATH


def test_cards_carry_their_events_own_actors_tags_and_days(default_out: Path, timeline: Timeline):
    html = (default_out / "index.html").read_text()
    for event in timeline.events:
        first, last = day_span(event.date)
        tags = " ".join(tag.slug for tag in event.tags)
        assert f'data-actors="{" ".join(event.actors)}" data-tags="{tags}" data-start="{first}" data-end="{last}"' in html


def test_the_controls_are_hidden_without_javascript_and_list_the_pages_actors(default_out: Path, timeline: Timeline):
    home = (default_out / "index.html").read_text()
    assert '<div class="filter-bar" data-filters hidden>' in home and "data-filter-list" in home
    actors = {actor for event in timeline.events for actor in event.actors}
    assert home.count('name="actor"') == len(actors)
    year = parse(default_out / "2016/index.html")
    entries = timeline.taxonomies["years"].terms["2016"].entries
    year_actors = {a for entry in entries for a in timeline.events_by_id[entry.event].actors}
    assert "filter-from" in year.ids and (default_out / "2016/index.html").read_text().count('name="actor"') == len(year_actors)
    assert "data-filters" not in (default_out / "actors/france/index.html").read_text()


def test_a_site_without_events_has_no_filters(minimal_site: Path, tmp_path: Path):
    for event in (minimal_site / "content/events").rglob("*.yml"):
        event.unlink()
    out = build(minimal_site, tmp_path / "out")
    assert "data-filters" not in (out / "index.html").read_text()


# --- in a browser ------------------------------------------------------------------


def open_filters(page) -> None:
    page.locator(".filters summary").click()


def test_without_javascript_every_event_is_shown_and_no_control(browser, site, server, timeline):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server + SUB_PATH + "index.html?actor=france")
        assert page.locator("[data-filters]").is_hidden() and page.locator("[data-search]").is_hidden()
        assert page.locator(".card").count() == len(timeline.events)
        assert all(card.is_visible() for card in page.locator(".card").all())
    finally:
        context.close()


@pytest.mark.parametrize("actor", ["iran", "emmanuel-macron"])
def test_one_actor_shows_exactly_that_actors_events(page, site, server, timeline, actor: str):
    page.goto(server + SUB_PATH + "index.html")
    open_filters(page)
    page.locator(f"input[name=actor][value={actor}]").check()
    expected = [event.id for event in timeline.events if actor in event.actors]
    assert page.evaluate(SHOWN_IDS) == expected
    assert page.locator(".filter-status").text_content() == f"{len(expected)} of {len(timeline.events)} events shown."
    assert parse_qs(urlsplit(page.url).query) == {"actor": [actor]}
    years = {str(e.date.start.year) for e in timeline.events if e.id in expected}
    shown_years = {h for h in page.evaluate(VISIBLE_HEADINGS) if h.isdigit()}
    assert shown_years == years  # headings with no visible event are hidden
    assert page.problems == []


def test_several_actors_show_the_events_of_any_of_them(page, site, server, timeline):
    page.goto(server + SUB_PATH + "index.html?actor=iran&actor=russia")
    expected = [e.id for e in timeline.events if {"iran", "russia"} & set(e.actors)]
    assert page.evaluate(SHOWN_IDS) == expected
    assert page.locator(".filters").get_attribute("open") is not None


def test_a_date_range_is_shared_by_its_url_and_back_restores_the_view(page, browser, site, server, timeline):
    page.goto(server + SUB_PATH + "index.html")
    open_filters(page)
    tag = max(timeline.taxonomies["tags"].terms.values(), key=lambda term: len(term.entries)).slug
    page.locator("#filter-tag").select_option(tag)
    after_tag = page.evaluate(SHOWN_IDS)
    page.fill("#filter-from", "2017-06-01")
    page.fill("#filter-to", "2018-03-31")
    shown = page.evaluate(SHOWN_IDS)
    low, high = dt.date(2017, 6, 1), dt.date(2018, 3, 31)
    expected = [
        e.id for e in timeline.events
        if tag in {t.slug for t in e.tags}
        and dt.date.fromisoformat(day_span(e.date)[1]) >= low and dt.date.fromisoformat(day_span(e.date)[0]) <= high
    ]
    assert shown == expected and 0 < len(shown) < len(after_tag)
    assert parse_qs(urlsplit(page.url).query) == {"tag": [tag], "from": ["2017-06-01"], "to": ["2018-03-31"]}
    other = browser.new_page()
    try:
        other.goto(page.url)
        assert other.evaluate(SHOWN_IDS) == shown
        assert other.input_value("#filter-from") == "2017-06-01" and other.input_value("#filter-tag") == tag
    finally:
        other.close()
    page.go_back()
    page.go_back()
    assert page.evaluate(SHOWN_IDS) == after_tag and page.input_value("#filter-from") == ""
    page.go_back()
    assert len(page.evaluate(SHOWN_IDS)) == len(timeline.events)
    assert page.locator(".filter-status").text_content() == f"All {len(timeline.events)} events shown."


def test_show_all_clears_the_filters(page, site, server, timeline):
    page.goto(server + SUB_PATH + "index.html?tag=red-line&from=2018-01-01")
    page.get_by_role("button", name="Show all events").click()
    assert len(page.evaluate(SHOWN_IDS)) == len(timeline.events)
    assert urlsplit(page.url).query == "" and page.input_value("#filter-from") == ""


def test_the_filters_work_from_the_keyboard(page, site, server, timeline):
    page.goto(server + SUB_PATH + "index.html")
    page.locator(".filters summary").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "actor"
    first = page.evaluate("document.activeElement.value")
    page.keyboard.press("Space")
    assert page.evaluate(SHOWN_IDS) == [e.id for e in timeline.events if first in e.actors]


def test_a_year_page_filters_its_months(page, site, server, timeline):
    page.goto(server + SUB_PATH + "2018/index.html?actor=france")
    entries = timeline.taxonomies["years"].terms["2018"].entries
    expected = [entry.event for entry in entries if "france" in timeline.events_by_id[entry.event].actors]
    assert page.evaluate(SHOWN_IDS) == expected
    groups = Views(timeline).by_month([(timeline.events_by_id[id_], None) for id_ in expected], 2018)
    assert page.evaluate(VISIBLE_HEADINGS) == [group.label for group in groups]


def test_from_disk_the_filters_work_too(page, site, timeline):
    root, _ = site
    page.goto((root / SUB_PATH / "index.html").as_uri())
    open_filters(page)
    page.locator("input[name=actor][value=iran]").check()
    assert page.evaluate(SHOWN_IDS) == [e.id for e in timeline.events if "iran" in e.actors]
    assert page.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violation_with_the_filters_and_search_open(page, axe, site, server, scheme: str):
    page.emulate_media(color_scheme=scheme)
    page.goto(server + SUB_PATH + "index.html?actor=iran&from=2016-01-01")
    page.keyboard.press("/")
    page.keyboard.type("Iran")
    page.wait_for_function("document.querySelector('.search-status').textContent.includes('found')")
    assert page.locator(".filter-form").is_visible() and page.locator(".search-panel").is_visible()
    assert axe_violations(axe, page) == []
