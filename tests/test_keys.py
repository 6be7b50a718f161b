"""Key digests: what a title edit may leave as it is (the frame), checked against a retitled timeline;
what a date edit may leave (the cast), checked against a timeline whose every event moved."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from generator import charts, keys
from generator.keys import CAST_FACTS, TITLE_FREE_FACTS, Digests, shape_digest
from generator.pipeline import load_site
from generator.plan import plan_site
from generator.reads import outline, summary
from generator.render import make_environment
from generator.views import FACTS, Views


def _timeline(site: Path):
    report = load_site(site)
    assert report.timeline is not None, [d.text() for d in report.diagnostics]
    return report.timeline


def _changed_site(into: Path, change) -> Path:
    """A copy of the repository's site, each event file's text passed through `change`."""
    site = into / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.yml", site)
    for path in (site / "content/events").rglob("*.yml"):
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return site


def _retitled(text: str) -> str:
    return re.sub(r"^title: ([\"']?)", r"title: \1Retold ", text, count=1, flags=re.M)


def _moved(text: str, years: int) -> str:
    """Every year on the date line shifted by `years` (a multiple of 4 keeps every 29 February)."""
    return re.sub(r"^date: .*$", lambda line: re.sub(r"\b(19|20)\d\d\b", lambda y: str(int(y.group()) + years), line.group()),
                  text, count=1, flags=re.M)


@pytest.fixture(scope="module")
def timelines(tmp_path_factory: pytest.TempPathFactory):
    """The repository's timeline, and the same with every event's title changed."""
    before = _timeline(_changed_site(tmp_path_factory.mktemp("site"), lambda text: text))
    after = _timeline(_changed_site(tmp_path_factory.mktemp("site"), _retitled))
    assert [e.title for e in before.events] != [e.title for e in after.events]
    return before, after


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory, timelines):
    """The repository's timeline, and the same with every event retitled and some moved by 4 years, others by 8."""
    before, _ = timelines
    shifts = iter([-4, -8] * 1000)
    after = _timeline(_changed_site(tmp_path_factory.mktemp("site"), lambda text: _moved(_retitled(text), next(shifts))))
    assert [e.date for e in before.events] != [e.date for e in after.events]
    assert [e.id for e in before.events] != [e.id for e in after.events]  # the order changed too
    return before, after


def _arguments(fact: str, timeline) -> list[str]:
    actors = list(timeline.actors)
    if fact == "companions":
        return [f"{actor}\t8" for actor in actors]
    if fact in ("activity", "members", "quotes_by"):
        return actors
    if fact == "related":
        return [event.id for event in timeline.events]
    return [""]


def _fact_digests(fact: str, timeline) -> list[str]:
    views = Views(timeline)
    return [shape_digest(FACTS[fact](views, argument)) for argument in _arguments(fact, timeline)]


@pytest.mark.parametrize("fact", sorted(TITLE_FREE_FACTS))
def test_a_title_free_fact_is_the_same_whatever_the_titles(timelines, fact: str):
    before, after = timelines
    assert _fact_digests(fact, before) == _fact_digests(fact, after)


def test_the_facts_left_out_do_hold_titles(timelines):
    """The check above can fail: the swim lanes label their marks with titles."""
    before, after = timelines
    assert set(FACTS) - TITLE_FREE_FACTS == {"lanes", "activity"}
    assert _fact_digests("lanes", before) != _fact_digests("lanes", after)


def test_swim_lanes_drawn_as_counts_hold_no_title(timelines, monkeypatch):
    """Lanes of more than MAX_MARKS events show counts by month: then, and only then, a title edit leaves them."""
    before, after = timelines
    assert not charts.lanes_counted(before)
    monkeypatch.setattr(charts, "MAX_MARKS", 0)
    assert charts.lanes_counted(before) and charts.lanes_counted(after)
    assert _fact_digests("lanes", before) == _fact_digests("lanes", after)


def test_only_the_plans_of_event_pages_hold_titles(timelines):
    before, after = timelines
    plans = []
    for timeline in (before, after):
        pages, _ = plan_site(timeline)
        plans.append({page.output: (page, shape_digest((page.templates, page.context))) for page in pages})
    title_free = [path for path, (page, _) in plans[0].items() if "event" not in page.context]
    assert title_free and all(plans[0][path][1] == plans[1][path][1] for path in title_free)
    event_pages = [path for path, (page, _) in plans[0].items() if "event" in page.context]
    assert event_pages and all(plans[0][path][1] != plans[1][path][1] for path in event_pages)


def _one_event_edited(tmp_path: Path, edit):
    """The repository's timeline before and after one event file went through `edit`, the pages
    each plans by output path, and the event edited."""
    before = _timeline(_changed_site(tmp_path / "before", lambda text: text))
    edited = before.events[len(before.events) // 2]
    after_site = _changed_site(tmp_path / "after", lambda text: text)
    event_file = after_site / edited.path
    event_file.write_text(edit(event_file.read_text(encoding="utf-8")), encoding="utf-8")
    after = _timeline(after_site)
    pages = [{page.output: page for page in plan_site(timeline)[0]} for timeline in (before, after)]
    return before, after, pages, edited


def test_while_the_frame_holds_an_event_page_plan_is_digested_again_only_when_its_own_event_changed(tmp_path: Path, monkeypatch):
    """One event retitled: the build keeps every other event page's plan digest without making it,
    and what it keeps is what digesting each plan afresh gives."""
    before, after, pages, retold = _one_event_edited(tmp_path, _retitled)
    env = make_environment(tmp_path)
    plan_keys = [f"plan:{path}" for path, page in pages[0].items() if "event" in page.context]
    last = Digests(before, env, pages[0])
    recorded = {key: last(key) for key in plan_keys + [outline(event.id) for event in before.events]}
    fresh = Digests(after, env, pages[1])
    assert [key for key in plan_keys if fresh(key) != recorded[key]] == [f"plan:events/{retold.id}/index.html"]
    made = []
    real = keys._plain_plan
    monkeypatch.setattr(keys, "_plain_plan", lambda page: made.append(page.output) or real(page))
    kept = Digests(after, env, pages[1], last=recorded, last_world=last.world())
    assert kept.world().split("/")[1] == last.world().split("/")[1]  # the frame holds
    assert {key: kept(key) for key in plan_keys} == {key: fresh(key) for key in plan_keys}
    assert made == [f"events/{retold.id}/index.html"]


def test_a_title_edit_changes_the_world_but_not_its_frame(timelines, tmp_path: Path):
    before, after = timelines
    env = make_environment(tmp_path)
    worlds = [Digests(timeline, env, {}).world() for timeline in (before, after)]
    assert worlds[0] != worlds[1]
    assert worlds[0].split("/")[1:] == worlds[1].split("/")[1:]


@pytest.mark.parametrize("fact", sorted(CAST_FACTS))
def test_a_cast_fact_is_the_same_wherever_the_events_are(moved, fact: str):
    before, after = moved
    assert _fact_digests(fact, before) == _fact_digests(fact, after)


def test_moving_events_changes_facts_outside_the_cast_and_the_frame_but_not_the_cast(moved, tmp_path: Path):
    """The check above can fail: the overview chart and quotes by speaker do change when events move."""
    before, after = moved
    assert _fact_digests("overview_chart", before) != _fact_digests("overview_chart", after)
    assert _fact_digests("quotes_by", before) != _fact_digests("quotes_by", after)
    env = make_environment(tmp_path)
    worlds = [Digests(timeline, env, {}).world().split("/") for timeline in (before, after)]
    assert worlds[0][:2] != worlds[1][:2] and worlds[0][1] != worlds[1][1]
    assert worlds[0][2] == worlds[1][2]


def test_a_related_fact_is_digested_as_its_value_is(timelines):
    """The related lists are digested from the model's ids, not from the fact's value: the two agree."""
    timeline = timelines[0]
    digests = Digests(timeline, make_environment(REPO), {})
    arguments = [*_arguments("related", timeline), "no-such-event"]
    assert any(timeline.related.get(argument) for argument in arguments)
    views = Views(timeline)
    assert [digests(f"fact:related:{argument}") for argument in arguments] == [
        shape_digest(FACTS["related"](views, argument)) for argument in arguments
    ]


def _every_key(timeline, pages) -> list[str]:
    """Keys of every worldly kind a build's table holds, with the events' own."""
    found = [f"plan:{path}" for path in pages]
    found += [f"fact:{fact}:{argument}" for fact in FACTS for argument in _arguments(fact, timeline)]
    for name, taxonomy in timeline.taxonomies.items():
        found.append(f"terms:{name}")
        found += [f"{kind}:{name}:{slug}" for slug in taxonomy.terms for kind in ("term", "outlines", "bins", "mbins")]
    events = [key for event in timeline.events for key in (outline(event.id), summary(event.id))]
    return found + events + ["all:outlines", "all:events", "bins:all", "mbins:all", "order", "config"]


@pytest.mark.parametrize("edit", [_retitled, lambda text: re.sub(r"^summary: ", "summary: Retold. ", text, count=1, flags=re.M)])
def test_the_keys_found_changed_in_bulk_are_those_a_fresh_digest_tells(tmp_path: Path, edit):
    """One event retitled (the frame holds) or retold (the world holds): `changed` finds the same
    keys changed as digesting every key afresh does, though it decides most of them by kind."""
    before, after, pages, _ = _one_event_edited(tmp_path, edit)
    env = make_environment(tmp_path)
    last = Digests(before, env, pages[0])
    table = {key: last(key) for key in _every_key(before, pages[0])}
    fresh = Digests(after, env, pages[1])
    expected = {index for index, (key, old) in enumerate(table.items()) if fresh(key) != old}
    assert expected  # the edit changed something
    kept = Digests(after, env, pages[1], last=table, last_world=last.world())
    assert any(kept._same_parts)
    assert kept.changed(table) == expected
