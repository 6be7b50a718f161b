"""The Timeline: order of events and the one mechanism for terms."""
from pathlib import Path

from generator.model import Entry
from generator.pipeline import check_site

from conftest import write_files


def add_event(site: Path, name: str, date: str, actors: str = "[emmanuel-macron]", tags: str = "[]") -> None:
    write_files(site, {f"content/events/{name}.yml": f"title: Event {name}\ndate: '{date}'\nactors: {actors}\ntags: {tags}\nsummary: s\nsources: [afp-red-line]\n"})


def timeline(site: Path):
    report = check_site(site)
    assert report.timeline is not None, report.diagnostics
    return report.timeline


def test_events_in_total_order(minimal_site: Path):
    for name, date in [("day", "2017-05-01"), ("month", "2017-05"), ("span", "2017-05-01/2017-05-03"), ("b-day", "2017-05-01"), ("year", "2016")]:
        add_event(minimal_site, name, date)
    order = [e.id for e in timeline(minimal_site).events]
    assert order == ["year", "month", "span", "b-day", "day", "red-line"]


def test_actor_term_lists_members_events_marked_via(minimal_site: Path):
    add_event(minimal_site, "direct", "2017-06", actors="[france]")
    actors = timeline(minimal_site).taxonomies["actors"].terms
    assert actors["france"].entries == (Entry("red-line", via="emmanuel-macron"), Entry("direct"))
    assert actors["emmanuel-macron"].entries == (Entry("red-line"),)


def test_tags_years_and_sources_are_terms_too(minimal_site: Path):
    add_event(minimal_site, "span", "2017-12/2018-01", tags="[Chemical weapons, Diplomacy]")
    taxonomies = timeline(minimal_site).taxonomies
    assert taxonomies["tags"].terms["chemical-weapons"].label == "Chemical weapons"
    assert [e.event for e in taxonomies["tags"].terms["chemical-weapons"].entries] == ["red-line", "span"]
    assert [e.event for e in taxonomies["years"].terms["2018"].entries] == ["span"]
    assert [e.event for e in taxonomies["years"].terms["2017"].entries] == ["red-line", "span"]
    assert taxonomies["sources"].terms["afp-red-line"].label == "Macron draws a red line"
