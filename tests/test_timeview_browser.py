"""The chronology and its time view in Chromium: above the fold, by keyboard alone, through the address.

Uses the default site (or the rich test site) built and served as in test_browser.
"""
from __future__ import annotations

import pytest

from test_browser import SUB_PATH, axe, axe_violations, page, server, site  # noqa: F401 - fixtures

FIRST_CARD = """() => {
  const card = document.querySelector('.chronology .card');
  const box = (el) => el.getBoundingClientRect();
  return {date: box(card.querySelector('.card-date time')).bottom, title: box(card.querySelector('.card-title')).bottom,
          text: card.querySelector('.card-title').textContent.trim()};
}"""


def home(page, server: str, query: str = "") -> None:
    page.goto(server + SUB_PATH + "index.html" + query)
    page.wait_for_selector("[data-tv-controls]:not([hidden])")


def tab_into_view(page) -> None:
    """Tab from the top of the page until a mark of the time view has the focus."""
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#tv-main')"):
            return
    pytest.fail("no mark of the time view took the focus")


def test_the_first_event_is_above_the_fold_at_1280_by_900(page, site, server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + SUB_PATH + "index.html")
    first = page.evaluate(FIRST_CARD)
    assert first["text"] and first["date"] <= 900 and first["title"] <= 900


def test_the_first_event_is_within_the_first_screen_of_a_phone(page, site, server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + SUB_PATH + "index.html")
    page.wait_for_selector("[data-tv-controls]:not([hidden])")  # the script has laid out the view
    first = page.evaluate(FIRST_CARD)
    assert first["text"] and first["date"] <= 844 and first["title"] <= 844


def test_the_time_view_is_operable_by_keyboard_and_keeps_the_list_in_step(page, site, server):
    home(page, server)
    tab_into_view(page)
    first = page.evaluate("document.activeElement.dataset.id")
    assert page.evaluate("document.querySelectorAll('#tv-main a[tabindex=\"0\"]').length") == 1  # one mark in the tab order
    page.keyboard.press("ArrowRight")
    second = page.evaluate("document.activeElement.dataset.id")
    assert second and second != first
    assert page.evaluate(f"document.getElementById('e-{second}').classList.contains('is-current')")
    page.keyboard.press("Enter")  # to the event's card
    assert page.evaluate("document.activeElement.closest('.card').id") == f"e-{second}"
    in_view = f"(() => {{ const top = document.getElementById('e-{second}').getBoundingClientRect().top; return top >= 0 && top < innerHeight; }})()"
    page.wait_for_function(in_view)  # the scroll may be smooth
    # and the other way: the event at the top of the screen is marked in the view
    last = page.evaluate("Array.from(document.querySelectorAll('.chronology .card')).at(-3).id.slice(2)")
    page.evaluate(f"document.getElementById('e-{last}').scrollIntoView({{block: 'start'}})")
    page.wait_for_function(f"document.querySelector('#tv-main a[data-id=\"{last}\"]').classList.contains('is-current')")


def test_zoom_keys_narrow_the_view_and_the_list_can_follow(page, site, server):
    home(page, server)
    tab_into_view(page)
    before = page.evaluate("document.querySelectorAll('#tv-main a.tv-mark:not([style*=\"none\"])').length")
    for _ in range(3):
        page.keyboard.press("+")
    assert "view=" in page.url and page.locator(".tv-range").text_content().startswith("Showing")
    shown = page.evaluate("document.querySelectorAll('#tv-main a.tv-mark:not([style*=\"none\"])').length")
    assert 0 < shown < before
    assert page.evaluate("document.activeElement.closest('#tv-main') !== null")  # the focus stays in the view
    page.check("[data-tv=narrow]")
    listed = page.evaluate("document.querySelectorAll('.chronology .card:not(.is-outside-view)').length")
    assert 0 < listed < page.evaluate("document.querySelectorAll('.chronology .card').length")
    page.locator("#tv-main a.tv-mark:not([style*=none])").first.focus()
    page.keyboard.press("0")
    assert "view=" not in page.url and page.locator(".tv-range").text_content() == ""


def test_a_zoom_and_a_lane_choice_survive_a_reload(page, site, server):
    home(page, server)
    page.click("[data-tv=in]")
    page.click("[data-tv=later]")
    page.click(".tv-lanes summary")
    boxes = page.locator("[data-tv-lane-picker] input")
    dropped = boxes.first.get_attribute("value")
    boxes.first.uncheck()
    address, shown = page.url, page.locator(".tv-range").text_content()
    assert "view=" in address and f"lanes=" in address
    page.reload()
    page.wait_for_selector("[data-tv-controls]:not([hidden])")
    assert page.url == address and page.locator(".tv-range").text_content() == shown
    assert page.evaluate("document.querySelector('[data-tv-lanes]').open")
    assert not page.locator("[data-tv-lane-picker] input").first.is_checked()
    assert page.evaluate(f"document.querySelector('#tv-lanes [data-lane=\"{dropped}\"]').classList.contains('is-hidden')")
    visible_lanes = page.evaluate("document.querySelectorAll('#tv-lanes .tv-lane:not(.is-hidden)').length")
    assert visible_lanes == boxes.count() - 1


def test_axe_finds_nothing_with_the_view_open_and_zoomed(page, axe, site, server):
    home(page, server)
    page.click(".tv-lanes summary")
    page.click("[data-tv=in]")
    tab_into_view(page)
    assert page.problems == []
    assert axe_violations(axe, page) == []


def test_without_javascript_the_drawing_and_the_list_are_all_there(browser, site, server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server + SUB_PATH + "index.html")
        cards = page.locator(".chronology .card").count()
        marks = page.locator("#tv-main a.tv-mark, #tv-main a.tv-bin").count()
        assert cards > 0 and marks >= cards
        assert page.locator("[data-tv-controls]").is_hidden()
        first_mark = page.locator("#tv-main a.tv-mark").first
        target = first_mark.get_attribute("href")
        assert target.startswith("#e-") and page.locator(target).count() == 1
    finally:
        context.close()


def test_intervals_and_unsure_dates_are_drawn_unlike_days(page, site, server):
    home(page, server)
    marker = """(selector) => { const card = document.querySelector(selector); if (!card) return null;
                 const style = getComputedStyle(card, '::before');
                 return {height: parseFloat(style.height), border: style.borderTopStyle, background: style.backgroundColor}; }"""
    point = page.evaluate(marker, ".card.is-point:not(.is-fuzzy):not(.is-key)")
    span = page.evaluate(marker, ".card.is-span:not(.is-fuzzy)")
    fuzzy = page.evaluate(marker, ".card.is-fuzzy")
    window = page.evaluate(marker, ".card.is-window:not(.is-fuzzy)")
    assert span["height"] > 2 * point["height"]
    assert fuzzy["border"] == "dashed" and point["border"] == "solid"
    assert window["background"] != point["background"]


def test_month_only_dates_in_the_address_fill_the_date_filters_and_cover_the_whole_month(page, site, server):
    page.goto(server + SUB_PATH + "index.html?from=2018-09&to=2018-09")
    page.wait_for_selector("[data-filters]:not([hidden])")
    assert page.input_value("#filter-from") == "2018-09-01" and page.input_value("#filter-to") == "2018-09-30"
    shown = page.evaluate("Array.from(document.querySelectorAll('.chronology .card:not([hidden])'), c => c.dataset.start)")
    assert shown and all(start <= "2018-09-30" for start in shown)
    assert any(start.startswith("2018-09-") and start > "2018-09-01" for start in shown)  # days after the 1st are in


def test_search_results_can_go_by_date_and_read_from_the_summary(page, site, server):
    from conftest import REPO
    from generator.pipeline import check_site
    from test_search import search_for

    timeline = check_site(REPO).timeline
    page.goto(server + SUB_PATH + "index.html")
    search_for(page, "chemical")
    page.select_option("#search-order", "date")
    page.wait_for_function("document.querySelector('.search-results li') !== null")
    page.wait_for_timeout(300)
    hrefs = page.eval_on_selector_all(".search-results a", "links => links.map(a => a.getAttribute('href'))")
    ids = [href.split("events/")[1].split("/")[0] for href in hrefs]
    years = [timeline.events_by_id[event_id].date.start.year for event_id in ids]
    assert len(ids) >= 3 and years == sorted(years)
    first = timeline.events_by_id[ids[0]]
    text = page.locator(".search-results li .search-excerpt").first.text_content()
    assert text.startswith(" ".join(first.summary.split()[:5]))
