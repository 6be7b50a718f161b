"""The search index in shards: how pages are split, what an edit re-makes, and a search over merged shards.

The default site has a few dozen events; `PAGES_PER_SHARD` is lowered so that it is
split into four shards. As files: every event page is in exactly one shard, chosen
by its event id alone; an edit re-makes one shard and the output then equals a
cold build's, byte for byte. In Chromium (served under a sub-path): a search finds
the events of several shards, the facet counts are those of the whole site, a
facet narrows results across shards, and the listing of a facet without words is
the whole list, in date order across shards.
"""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO
from generator import search
from generator.build import Makers, build_site
from generator.pipeline import check_site
from test_browser import SUB_PATH, page, server  # noqa: F401 - fixtures (the server serves this module's site)
from test_search import event_text

SHARDS = 4
SORT_KEY = re.compile(r'data-pagefind-sort="date:([^"]*)"')


@pytest.fixture
def four_shards(monkeypatch) -> None:
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 10)
    monkeypatch.setattr(search, "MAX_SHARDS", SHARDS)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def modified(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def _built_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the default site, built (search included) into its own output folder."""
    site = tmp_path / "site"
    shutil.copytree(REPO, site, ignore=shutil.ignore_patterns(".git", "_site", ".timeline-cache", "node_modules", "__pycache__"))
    out = tmp_path / "out"
    assert build_site(site, overrides={"output": str(out)}).notes == ()
    return site, out


def _edited_summary(site: Path) -> None:
    event_file = next((site / "content/events").rglob("*.yml"))
    text = event_file.read_text()
    event_file.write_text(re.sub(r"^summary: ", "summary: Edited. ", text, count=1, flags=re.M))


# --- shards as files ---------------------------------------------------------------


def test_the_number_of_shards_grows_with_the_events_up_to_a_cap():
    assert [search.shard_count(n) for n in (0, 1, 1250, 1251, 10_000, 20_000, 100_000)] == [1, 1, 1, 2, 8, 16, 16]


def test_a_page_s_shard_depends_on_its_event_id_only():
    paths = [f"events/event-{n}/index.html" for n in range(400)]
    groups = search.split_pages(reversed(paths), 8)
    assert sorted(path for group in groups for path in group) == sorted(paths)
    assert all(len(group) > 20 for group in groups)  # spread, not piled in one
    assert search.split_pages(paths[:200], 8) == [[p for p in group if p in paths[:200]] for group in groups]
    assert search.shard_of("events/event-7/index.html", 8) == 6  # fixed: the same on every machine and run


def test_the_site_s_index_is_in_shards_listed_for_the_browser(four_shards, tmp_path: Path):
    result = build_site(REPO, overrides={"output": str(tmp_path / "out")}, use_cache=False)
    out = result.written.output
    listing = json.loads((out / "pagefind/shards.json").read_text())
    assert listing["language"] == "en" and listing["shards"] == [f"s{n}/" for n in range(SHARDS)]
    timeline = check_site(REPO).timeline
    assert listing["facets"]["year"] == dict(sorted(Counter(str(e.date.local_earliest.year) for e in timeline.events).items()))
    pages = sorted(p.relative_to(out).as_posix() for p in out.glob("events/*/index.html"))
    for shard, group in enumerate(search.split_pages(pages, SHARDS)):
        entry = json.loads((out / f"pagefind/s{shard}/pagefind-entry.json").read_text())
        assert entry["languages"]["en"]["page_count"] == len(group) > 0
        assert (out / f"pagefind/s{shard}/pagefind.js").is_file() == (shard == 0)  # the runtime comes from the first


def test_an_edit_re_makes_one_shard_and_equals_a_cold_build(four_shards, tmp_path: Path, monkeypatch):
    site, out = _built_copy(tmp_path)
    before, times = snapshot(out), modified(out)

    made: list[int] = []
    real = search.shard_files
    monkeypatch.setattr("generator.build.shard_files", lambda *args: made.append(args[3]) or real(*args))
    from generator.write import SiteWriter

    early: dict[str, str | None] = {}  # the shard's files are written as soon as it is made, not held to the end
    write_early = SiteWriter.write_early
    monkeypatch.setattr(SiteWriter, "write_early", lambda self, path, data: early.setdefault(path, write_early(self, path, data)))
    event = sorted((site / "content/events").rglob("*.yml"))[5]
    text = event.read_text()
    assert "summary: |\n  " in text
    event.write_text(text.replace("summary: |\n  ", "summary: |\n  Zyxwvut. ", 1))
    assert build_site(site, overrides={"output": str(out)}).notes == ()
    edited = f"events/{event.stem}/index.html"
    assert made == [search.shard_of(edited, SHARDS)]
    after = snapshot(out)
    changed = {path for path in after.keys() | before.keys() if before.get(path) != after.get(path)}
    assert edited in changed
    shard_folder = search.shard_folder(made[0])
    changed_index = {path for path in changed if path.startswith("pagefind/")}
    assert changed_index and all(path.startswith(shard_folder) for path in changed_index)
    rewritten = {path for path, mtime in modified(out).items() if times.get(path) != mtime and path.startswith("pagefind/")}
    assert rewritten == {path for path in changed_index if path in after}  # the other shards' files are not touched
    assert early and all(early.values()) and set(early) >= rewritten  # unchanged files of the shard: not written again

    cold = tmp_path / "cold"
    build_site(site, overrides={"output": str(cold)}, use_cache=False)
    assert snapshot(cold) == after


def test_a_title_edit_re_makes_only_its_own_shard_though_its_neighbours_pages_change(four_shards, tmp_path: Path, monkeypatch):
    """The neighbours' pages and the related events' name the new title outside what Pagefind reads: their shards are kept."""
    site, out = _built_copy(tmp_path)
    before = snapshot(out)
    timeline = check_site(site).timeline
    events = timeline.events
    shard = {event.id: search.shard_of(f"events/{event.id}/index.html", SHARDS) for event in events}
    # An event whose earlier neighbour is in another shard (the pages that list it among their
    # related events change too, in a part Pagefind ignores).
    index = next(i for i in range(1, len(events) - 1) if shard[events[i - 1].id] != shard[events[i].id] and timeline.related.get(events[i].id))
    edited, neighbour = events[index], events[index - 1]
    made: list[int] = []
    real = search.shard_files
    monkeypatch.setattr("generator.build.shard_files", lambda *args: made.append(args[3]) or real(*args))
    event_file = site / edited.path
    text = event_file.read_text()
    assert re.search(r"^title: ", text, re.M)
    event_file.write_text(re.sub(r"^title: .*$", "title: Zyxwvut talks", text, count=1, flags=re.M))
    assert build_site(site, overrides={"output": str(out)}).notes == ()
    after = snapshot(out)
    neighbour_page = f"events/{neighbour.id}/index.html"
    assert b"Zyxwvut talks" in after[neighbour_page] and before[neighbour_page] != after[neighbour_page]
    assert made == [shard[edited.id]]
    assert not any(before.get(path) != data for path, data in after.items() if path.startswith(search.shard_folder(shard[neighbour.id])))
    cold = tmp_path / "cold"
    build_site(site, overrides={"output": str(cold)}, use_cache=False)
    assert snapshot(cold) == after


# --- in a browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The default site in four shards under sub/site/, and each event page's date sort key by event id."""
    root = tmp_path_factory.mktemp("sharded")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PAGES_PER_SHARD", 10)
        patch.setattr(search, "MAX_SHARDS", SHARDS)
        result = build_site(REPO, overrides={"output": str(root / SUB_PATH)}, use_cache=False)
    assert result.notes == ()
    out = result.written.output
    keys = {p.parent.name: SORT_KEY.search(p.read_text()).group(1) for p in out.glob("events/*/index.html")}
    return root, keys


@pytest.fixture(scope="module")
def timeline():
    model = check_site(REPO).timeline
    assert model is not None
    return model


def shown_ids(page) -> list[str]:
    hrefs = page.eval_on_selector_all(".search-results a", "links => links.map(a => a.getAttribute('href'))")
    return [href.split("events/")[1].split("/")[0] for href in hrefs]


def show_all(page) -> list[str]:
    """Press "more results" until every result is listed; the event ids in the order shown."""
    while page.locator(".search-more").is_visible():
        count = page.locator(".search-results li").count()
        page.click(".search-more")
        page.wait_for_function(f"document.querySelectorAll('.search-results li').length > {count}")
    return shown_ids(page)


def open_search(page, server: str) -> None:
    page.goto(server + SUB_PATH + "index.html")
    page.keyboard.press("/")
    page.wait_for_selector("#search-year")


def option_counts(page, facet: str) -> dict[str, int]:
    texts = page.eval_on_selector_all(f"#search-{facet} option", "options => options.map(o => [o.value, o.textContent])")
    return {value: int(text.rsplit("(", 1)[1].rstrip(")")) for value, text in texts if value}


def search_all(page, server: str, term: str) -> set[str]:
    open_search(page, server)
    page.keyboard.type(term)
    page.wait_for_function("document.querySelector('.search-status').textContent.includes('found')")
    return set(show_all(page))


def test_a_search_finds_the_events_of_several_shards(page, site, server, timeline):
    found = search_all(page, server, "russia")
    expected = {event.id for event in timeline.events if "russia" in event_text(timeline, event)}
    assert found == expected
    assert len({search.shard_of(f"events/{e}/index.html", SHARDS) for e in found}) >= 3
    assert page.problems == []


@pytest.mark.xfail(strict=True, reason="in a shard without the word, Pagefind falls back to a shorter word of it")
def test_a_word_missing_from_some_shards_finds_only_the_events_that_have_it(page, site, server, timeline):
    found = search_all(page, server, "chlorine")
    assert found == {event.id for event in timeline.events if "chlorine" in event_text(timeline, event)}


def test_the_facet_counts_are_those_of_the_whole_site(page, site, server, timeline):
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    open_search(page, server)
    assert not [url for url in fetched if "/filter/" in url]  # counted at build time, not from every shard's filters
    years = Counter(str(event.date.local_earliest.year) for event in timeline.events)
    assert option_counts(page, "year") == dict(years)
    actors = Counter(timeline.actors[actor].name for event in timeline.events for actor in event.actors)
    assert option_counts(page, "actor") == dict(actors)
    assert page.locator("#search-shard").count() == 0  # the shard filter is not a facet


def test_a_facet_alone_lists_its_events_in_date_order_across_shards(page, site, server, timeline):
    _, keys = site
    open_search(page, server)
    counts = option_counts(page, "actor")
    actor = max(counts, key=lambda name: (counts[name], name))
    assert counts[actor] > 10  # more than a page of results
    page.select_option("#search-actor", actor)
    page.wait_for_function("document.querySelector('.search-status').textContent.includes('found')")
    assert page.locator(".search-status").text_content() == f"{counts[actor]} events found."
    listed = show_all(page)
    expected = {e.id for e in timeline.events if actor in (timeline.actors[a].name for a in e.actors)}
    assert len(listed) == len(expected) and set(listed) == expected
    assert [keys[e] for e in listed] == sorted(keys[e] for e in listed)
    assert len({search.shard_of(f"events/{e}/index.html", SHARDS) for e in listed}) >= 2
    assert page.problems == []


def test_a_facet_narrows_a_search_across_shards(page, site, server, timeline):
    open_search(page, server)
    page.keyboard.type("chlorine")
    page.wait_for_function("document.querySelector('.search-status').textContent.includes('found')")
    years = Counter(e.date.local_earliest.year for e in timeline.events if "chlorine" in event_text(timeline, e))
    year = max(years, key=lambda y: (years[y], y))
    page.select_option("#search-year", str(year))
    page.wait_for_function(f"document.querySelector('.search-status').textContent.startsWith('{years[year]} event')")
    assert set(show_all(page)) == {e.id for e in timeline.events
                                   if "chlorine" in event_text(timeline, e) and e.date.local_earliest.year == year}
    page.select_option("#search-order", "date")
    page.wait_for_function(f"document.querySelector('.search-status').textContent.startsWith('{years[year]} event')")
    _, keys = site
    listed = show_all(page)
    assert [keys[e] for e in listed] == sorted(keys[e] for e in listed)


def test_an_edit_renders_its_few_other_outputs_once_pagefind_has_read_the_shard(tmp_path: Path, monkeypatch):
    """Fewer outputs to make than pages to index: the build waits until Pagefind has read them (its own threads
    would take turns with the rendering), and renders while Pagefind writes the index; the result is a cold build's."""
    site, out = _built_copy(tmp_path)
    log: list[str] = []
    real = search.shard_files
    monkeypatch.setattr("generator.build.shard_files", lambda *args: real(*args[:7], lambda: log.append("fed") or args[7]()))
    make = Makers.make
    monkeypatch.setattr(Makers, "make", lambda self, path, job: log.append(path) or make(self, path, job))
    _edited_summary(site)
    result = build_site(site, overrides={"output": str(out)})
    assert result.notes == ()
    others = [entry for entry in log if entry != "fed" and not search.EVENT_PAGE.fullmatch(entry)]
    assert "fed" in log and others and log.index("fed") < log.index(others[0]), log
    cold = tmp_path / "cold"
    build_site(site, overrides={"output": str(cold)}, use_cache=False)
    assert snapshot(cold) == snapshot(out)


def test_a_shard_that_fails_before_pagefind_has_read_its_pages_does_not_hold_the_build(tmp_path: Path, monkeypatch):
    site, out = _built_copy(tmp_path)

    def failing(*args):
        raise search.SearchUnavailable("Pagefind stopped unexpectedly")
    monkeypatch.setattr("generator.build.shard_files", failing)
    _edited_summary(site)
    result = build_site(site, overrides={"output": str(out)})
    assert result.written is not None and result.notes == ("search skipped: Pagefind stopped unexpectedly",)
