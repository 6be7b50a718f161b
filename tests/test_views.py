"""Template helpers: grouping, dates for <time>, actors' neighbours, citations, JSON-LD."""
from __future__ import annotations

import pytest

from generator import charts, views
from generator.dates import parse
from generator.model import Actor, Citation, Event, Quote, Role, SiteConfig, Source, Timeline, build_timeline


def event(event_id: str, date: str, actors: tuple[str, ...] = ("macron",), **fields) -> Event:
    return Event(event_id, f"Event {event_id}", parse(date), fields.pop("summary", "Summary."), actors, (Citation("src", "a note"),), **fields)


ACTORS = {
    "france": Actor("france", "France", "state"),
    "macron": Actor("macron", "Emmanuel Macron", "person", affiliations=("france",)),
    "le-drian": Actor("le-drian", "Jean-Yves Le Drian", "person", roles=(Role("Foreign minister", "france", parse("2017-05-17")),)),
    "putin": Actor("putin", "Vladimir Putin", "person"),
    "russia": Actor("russia", "Russia", "state"),
}


def timeline_of(*events: Event, base_url: str = "") -> Timeline:
    sources = {"src": Source("src", "A source"), "other": Source("other", "Another")}
    return build_timeline(SiteConfig("Syria", base_url=base_url), events, ACTORS, sources)


@pytest.fixture
def helpers() -> views.Views:
    return views.Views(timeline_of(
        event("versailles", "2017-05-29", ("macron", "putin"), quotes=(Quote("macron", "A red line.", "other"),), related=("strikes",)),
        event("call", "2017-05~", ("macron", "putin", "le-drian")),
        event("strikes", "2018-04-14?", ("france", "russia"), status="disputed", location="Syria"),
        event("war", "2016-09/2018-01", ("russia",)),
        event("deal", "2017", ("le-drian",)),
    ))


@pytest.mark.parametrize("date, expected", [
    ("2017", "2017"), ("2017-05~", "2017-05"), ("2017-05-29?", "2017-05-29"), ("2016-09/2018-01", "2016-09"),
    ("2017-05-29T14:30+02:00", "2017-05-29T12:30Z"), ("2017-05-29T14:30:15Z", "2017-05-29T14:30:15Z"),
])
def test_html_datetime_is_the_earliest_date_at_its_precision(date: str, expected: str):
    assert views.html_datetime(parse(date)) == expected


def test_template_globals_are_the_public_helpers():
    names = views.template_globals(timeline_of())
    assert {"by_year", "by_month", "overview_chart", "companions", "citation", "has_export"} <= names.keys()
    assert not [name for name in names if name.startswith("_")]


def test_lists_group_by_the_year_each_event_begins(helpers: views.Views):
    groups = helpers.by_year([(e, None) for e in helpers._timeline.events])
    assert [(g.key, g.anchor, [e.id for e, _ in g.entries]) for g in groups] == [
        (2016, "year-2016", ["war"]), (2017, "year-2017", ["deal", "call", "versailles"]), (2018, "year-2018", ["strikes"]),
    ]


def test_a_years_list_groups_earlier_events_then_the_year_only_then_months(helpers: views.Views):
    entries = [(e, None) for e in helpers._timeline.events if e.id != "strikes"]
    groups = helpers.by_month(entries, 2017)
    assert [(g.anchor, g.label, [e.id for e, _ in g.entries]) for g in groups] == [
        ("earlier", "Begun before 2017", ["war"]),
        ("year-2017-only", "Dated to 2017 only", ["deal"]),
        ("month-2017-05", "May 2017", ["call", "versailles"]),
    ]


def test_span_runs_from_the_first_start_to_the_last_end(helpers: views.Views):
    assert helpers.span_text() == "September 2016 – 14 April 2018"
    assert views.Views(timeline_of()).span_text() == ""


def test_members_include_roles_and_companions_leave_members_out(helpers: views.Views):
    assert [a.id for a in helpers.members("france")] == ["macron", "le-drian"]
    assert [(a.id, n) for a, n in helpers.companions("macron")] == [("putin", 2), ("le-drian", 1)]
    assert [(a.id, n) for a, n in helpers.companions("france")] == [("putin", 2), ("russia", 1)]


def test_companions_leave_out_every_member_even_on_direct_events():
    helpers = views.Views(timeline_of(event("joint", "2017-06", ("france", "le-drian", "putin"))))
    assert [(a.id, n) for a, n in helpers.companions("france")] == [("putin", 1)]
    assert [(a.id, n) for a, n in helpers.companions("le-drian")] == [("france", 1), ("putin", 1)]


def test_companions_are_limited_and_ranked_by_count_then_name(helpers: views.Views):
    assert [a.id for a, _ in helpers.companions("putin", limit=1)] == ["macron"]


def test_quotes_sources_and_related_events(helpers: views.Views):
    versailles = helpers._timeline.events_by_id["versailles"]
    assert [(e.id, q.text) for e, q in helpers.quotes_by("macron")] == [("versailles", "A red line.")]
    assert helpers.quotes_by("putin") == []
    assert [(c.source.id, c.note) for c in helpers.cited(versailles)] == [("src", "a note"), ("other", "")]
    assert helpers.source_count(versailles) == 2
    assert [e.id for e in helpers.related(versailles)] == ["strikes"]
    assert [e.id for e in helpers.related(helpers._timeline.events_by_id["strikes"])] == ["versailles"]


def test_activity_strips_share_the_timelines_axis(helpers: views.Views):
    timeline = helpers._timeline
    for actor_id in ("macron", "france"):
        assert helpers.activity(actor_id) == charts.activity_strip(timeline, timeline.taxonomies["actors"].terms[actor_id].entries)
    assert views.Views(timeline_of()).activity("macron") is None


def test_actors_by_kind_follow_the_contracts_order_with_counts(helpers: views.Views):
    assert [(kind, [(a.id, n) for a, n in actors]) for kind, actors in helpers.actors_by_kind()] == [
        ("person", [("macron", 2), ("le-drian", 2), ("putin", 2)]),
        ("state", [("france", 4), ("russia", 2)]),
    ]
    assert helpers.kind_label("armed-group") == "Armed group" and helpers.kind_label("person", many=True) == "People"


def test_citation_and_json_ld_use_the_url_when_given(helpers: views.Views):
    strikes = helpers._timeline.events_by_id["strikes"]
    assert helpers.citation(strikes) == "Syria. “Event strikes”, 14 April 2018 (uncertain)."
    assert helpers.citation(strikes, "https://x.org/events/strikes/").endswith("(uncertain). https://x.org/events/strikes/")
    data = helpers.event_jsonld(helpers._timeline.events_by_id["war"], "https://x.org/events/war/")
    assert data == {
        "@context": "https://schema.org", "@type": "Event", "name": "Event war", "startDate": "2016-09",
        "endDate": "2018-01", "description": "Summary.", "url": "https://x.org/events/war/",
    }
    assert helpers.event_jsonld(strikes)["location"] == {"@type": "Place", "name": "Syria"}


def test_absolute_urls_need_a_base_url():
    assert views.Views(timeline_of()).absolute_url("events/x/") == ""
    assert views.Views(timeline_of(base_url="https://x.org/syria")).absolute_url("events/x/") == "https://x.org/syria/events/x/"


def test_downloads_list_only_files_the_site_writes(helpers: views.Views):
    paths = [path for path, _ in helpers.downloads()]
    assert all(helpers.has_export(path) for path in paths)
    assert not helpers.has_export("nothing.xml")


def test_plural():
    assert views.plural(1, "event") == "1 event" and views.plural(2, "event") == "2 events"
    assert views.plural(3, "medium", "media") == "3 media"


def test_a_helpers_argument_reads_its_events_outlines_and_only_the_models_lists_are_kept():
    """A term's list (a tuple of the model) is handed again for each page: its keys are kept. A list a
    page makes is handed once: kept, it and its keys would live to the end of the build."""
    timeline = timeline_of(event("a", "2017-01-01"), event("b", "2017-02-01"), event("c", "2017-03-01", after="a"))
    handed = views._HandedEvents(timeline)
    kept = len(handed._known)
    pairs = [(timeline.events_by_id["c"], None), (timeline.events_by_id["b"], "via")]
    assert handed.outlines(pairs) == {"e:c:o", "e:a:o", "e:b:o"}  # "a" places "c"
    assert len(handed._known) == kept
    entries = timeline.taxonomies["years"].terms["2017"].entries
    assert handed.outlines(entries) == {"outlines:years:2017"}
    chosen = (timeline.events_by_id["b"],)
    assert handed.outlines(chosen) == {"e:b:o"} and handed.outlines(chosen) is handed.outlines(chosen)
    assert len(handed._known) == kept + 1
