"""Key digests: what a title edit may leave as it is (the frame), checked against a retitled timeline."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from generator.keys import TITLE_FREE_FACTS, Digests, shape_digest
from generator.pipeline import load_site
from generator.plan import plan_site
from generator.render import make_environment
from generator.views import FACTS, Views


def _timeline(site: Path):
    report = load_site(site)
    assert report.timeline is not None, [d.text() for d in report.diagnostics]
    return report.timeline


@pytest.fixture(scope="module")
def timelines(tmp_path_factory: pytest.TempPathFactory):
    """The repository's timeline, and the same with every event's title changed."""
    sites = []
    for retitled in (False, True):
        site = tmp_path_factory.mktemp("site")
        shutil.copytree(REPO / "content", site / "content")
        shutil.copy(REPO / "site.yml", site)
        if retitled:
            for path in (site / "content/events").rglob("*.yml"):
                text = path.read_text(encoding="utf-8")
                path.write_text(re.sub(r"^title: ([\"']?)", r"title: \1Retold ", text, count=1, flags=re.M), encoding="utf-8")
        sites.append(_timeline(site))
    before, after = sites
    assert [e.title for e in before.events] != [e.title for e in after.events]
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


def test_a_title_edit_changes_the_world_but_not_its_frame(timelines, tmp_path: Path):
    before, after = timelines
    env = make_environment(tmp_path)
    worlds = [Digests(timeline, env, {}).world() for timeline in (before, after)]
    assert worlds[0] != worlds[1]
    assert worlds[0].partition("/")[2] == worlds[1].partition("/")[2]
