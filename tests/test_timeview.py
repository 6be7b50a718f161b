"""The time view's drawing: shapes by how a date is known, rows, counts at scale, periods, reading order."""
from __future__ import annotations

import re
from xml.etree import ElementTree

import jinja2

from generator import timeview
from generator.dates import parse
from generator.model import Actor, Citation, Entry, Event, Period, SiteConfig, Source, Timeline, build_timeline
from generator.views import Views

SVG = "{http://www.w3.org/2000/svg}"


def event(event_id: str, date: str, key: bool = False, actors: tuple[str, ...] = ("macron",)) -> Event:
    return Event(event_id, f"Event {event_id}", parse(date), "Summary.", actors, (Citation("src"),), key=key)


def timeline_of(*events: Event, **config) -> Timeline:
    actors = {"macron": Actor("macron", "Emmanuel Macron", "person"), "putin": Actor("putin", "Vladimir Putin", "person")}
    return build_timeline(SiteConfig("T", **config), events, actors, {"src": Source("src", "A source")})


def draw(timeline: Timeline, entries=None, on_page=(), lanes: bool = False) -> ElementTree.Element:
    """The drawing as a template would get it, parsed as XML (so it is well formed)."""
    env = jinja2.Environment(autoescape=True)
    env.globals.update(timeview.template_globals(timeline))
    source = "{{ lane_view(on_page) }}" if lanes else "{{ time_view(entries, on_page) }}"
    markup = env.from_string(source).render(root="../", entries=entries, on_page=on_page)
    return ElementTree.fromstring(markup.replace('xmlns=""', ""))


def marks(svg: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {a.get("data-id"): a for a in svg.iter("a") if a.get("data-id")}


def test_days_are_points_months_windows_intervals_bars_and_unsure_ends_fade():
    timeline = timeline_of(
        event("day", "2017-05-29", key=True), event("month", "2017-06"), event("span", "2017-07-01/2017-08-15"),
        event("unsure", "2017-09~/2017-10-02"), event("about", "2017-10-10?"),
    )
    drawn = marks(draw(timeline, on_page=[(timeline.events_by_id["day"], None)]))
    assert drawn["day"].find("circle") is not None and "is-key" in drawn["day"].get("class")
    assert drawn["day"].get("href") == "#e-day"  # on this page: to its card
    assert drawn["month"].get("href") == "../events/month/index.html"  # elsewhere: to its page
    assert "tv-window" in drawn["month"].get("class") and drawn["month"].find("rect") is not None
    assert "tv-span" in drawn["span"].get("class") and drawn["span"].find("rect").get("fill") is None
    assert drawn["unsure"].find("rect").get("fill") == "url(#tv-main-fade-start)"
    assert "is-fuzzy" in drawn["about"].get("class") and drawn["about"].find("circle") is not None
    assert float(drawn["span"].get("data-e")) - float(drawn["span"].get("data-s")) == 46
    assert drawn["day"].find("title").text == "29 May 2017: Event day"


def test_overlapping_marks_go_on_separate_rows_and_distant_ones_share_a_row():
    timeline = timeline_of(event("a", "2017-01-01/2017-06-30"), event("b", "2017-03-01"), event("c", "2017-12-20"))
    drawn = marks(draw(timeline))
    y = {key: float(a.find("rect").get("y")) if a.find("rect") is not None else float(a.find("circle").get("cy")) - 4 for key, a in drawn.items()}
    assert y["a"] != y["b"]
    assert y["c"] == y["a"]


def test_a_long_list_is_counted_by_month_so_the_page_stays_small():
    events = [event(f"e{n}", f"{2000 + n // 1000}-{n % 12 + 1:02d}-{n % 28 + 1:02d}") for n in range(10_000)]
    timeline = timeline_of(*events)
    svg = draw(timeline)
    bins = [a for a in svg.iter("a") if "tv-bin" in a.get("class")]
    assert not marks(svg) and 100 <= len(bins) <= 120  # ten years of months
    assert sum(int(re.search(r": (\d+) events?", a.find("title").text).group(1)) for a in bins) == 10_000
    assert len(ElementTree.tostring(svg)) < 100_000


def test_periods_are_bands_whose_names_do_not_overlap():
    periods = (
        Period("First term", parse("2017-05-14/2022-05-13")),
        Period("Ceasefire", parse("2017-05-04/2018-09-17")),
        Period("Long before", parse("1990/1991")),
    )
    timeline = timeline_of(event("a", "2017-01-01"), event("b", "2018-12-01"), periods=periods)
    bands = [g for g in draw(timeline).iter("g") if g.get("class") == "tv-band"]
    assert [b.find(".//text").text for b in bands] == ["Ceasefire", "First term"]  # the one outside the axis is left out
    assert bands[0].find("rect").get("y") != bands[1].find("rect").get("y")


def test_lanes_show_the_busiest_actors_first():
    timeline = timeline_of(event("a", "2017-01-01", actors=("putin",)), event("b", "2017-02-01", actors=("putin", "macron")), event("c", "2017-03-01", actors=("putin",)))
    lanes = [g for g in draw(timeline, lanes=True).iter("g") if g.get("class") == "tv-lane"]
    assert [g.get("data-lane") for g in lanes] == ["putin", "macron"]
    assert len(marks(lanes[0])) == 3 and list(marks(lanes[1])) == ["b"]


def test_periods_are_named_where_a_list_enters_them_and_newest_first_reverses_the_list():
    periods = (Period("Talks", parse("2017-03/2017-04")),)
    events = [event("a", "2017-01-01"), event("b", "2017-03-10"), event("c", "2017-04-02"), event("d", "2017-06-01")]
    timeline = timeline_of(*events, periods=periods, newest_first=True)
    globals_ = timeview.template_globals(timeline)
    entries = [(e, None) for e in timeline.events]
    assert {key: [p.name for p in value] for key, value in globals_["period_starts"](entries).items()} == {"b": ["Talks"]}
    groups = globals_["reading_order"](Views(timeline).by_month(entries, 2017))
    assert [group.label for group in groups] == ["June 2017", "April 2017", "March 2017", "January 2017"]
    reversed_entries = [pair for group in groups for pair in group.entries]
    assert [e.id for e, _ in reversed_entries] == ["d", "c", "b", "a"]
    assert list(globals_["period_starts"](reversed_entries)) == ["c"]


def test_ticks_are_years_months_or_days_by_span():
    assert [t.label for t in timeview.ticks_of(timeview.days_of_iso("2014-01-01"), timeview.days_of_iso("2018-10-01"))] == ["2015", "2016", "2017", "2018"]
    months = timeview.ticks_of(timeview.days_of_iso("2017-01-01"), timeview.days_of_iso("2017-07-01"))
    assert [t.label for t in months] == ["2017", "Feb", "Mar", "Apr", "May", "Jun", "Jul"]
    assert len(timeview.ticks_of(timeview.days_of_iso("2017-01-01"), timeview.days_of_iso("2017-01-10"))) == 9


def test_an_empty_list_draws_nothing():
    assert str(jinja2.Environment().from_string("{{ time_view([]) }}").render(root="", **timeview.template_globals(timeline_of()))) == ""


def test_key_is_read_from_event_files(minimal_site):
    from generator.pipeline import check_site

    path = next((minimal_site / "content" / "events").rglob("*.yml"))
    path.write_text(path.read_text() + "key: true\n")
    timeline = check_site(minimal_site).timeline
    assert timeline is not None and [e.key for e in timeline.events] == [True]


def test_the_default_timeline_exports_key_events_and_eras_to_timelinejs_and_feeds_key_events_first():
    import json

    import feedparser

    from conftest import REPO
    from generator.pipeline import check_site
    from test_exports import export_all

    timeline = check_site(REPO).timeline
    assert timeline is not None
    files = export_all(timeline)
    document = json.loads(files["timelinejs.json"])
    keys = [event for event in timeline.events if event.key]
    assert len(keys) >= 3
    assert all(event.title.split(" ")[0] in document["title"]["text"]["text"] for event in keys)
    grouped = {slide["unique_id"] for slide in document["events"] if slide.get("group") == "Key events"}
    assert grouped == {event.id for event in keys}
    eras = {era["text"]["headline"]: era for era in document["eras"]}
    assert {"Hollande&#39;s presidency", "Macron&#39;s presidency", "Idlib de-escalation zone"} <= eras.keys()
    assert all(type(era["start_date"]["year"]) is int and type(era["end_date"]["year"]) is int for era in eras.values())
    feed = feedparser.parse(files["feed.xml"])
    flags = [any(tag.term == "key-event" for tag in entry.get("tags", [])) for entry in feed.entries]
    assert flags == sorted(flags, reverse=True) and sum(flags) == len(keys)


class _CountingEvents(dict):
    def __init__(self, *args):
        super().__init__(*args)
        self.looked_up = 0

    def __getitem__(self, key):
        self.looked_up += 1
        return super().__getitem__(key)


def test_a_terms_list_drawn_on_each_of_its_pages_has_its_events_looked_up_once():
    """A year of 6,000 events has 60 pages, each drawing the year's list: its events are found once;
    a list a page makes for itself is not kept."""
    timeline = timeline_of(*(event(f"e{n}", f"2017-{n % 12 + 1:02d}-{n % 28 + 1:02d}") for n in range(500)))
    counting = _CountingEvents(timeline.events_by_id)
    object.__setattr__(timeline, "events_by_id", counting)
    year = timeline.taxonomies["years"].terms["2017"].entries
    env = jinja2.Environment(autoescape=True)
    env.globals.update(timeview.template_globals(timeline))
    drawn = [env.from_string("{{ time_view(entries) }}").render(root="../", entries=year) for _ in range(3)]
    assert drawn[0] == drawn[1] == drawn[2] and "tv-bin" in drawn[0]
    assert counting.looked_up == 500
    as_list = list(year)
    env.from_string("{{ time_view(entries) }}").render(root="../", entries=as_list)
    assert counting.looked_up == 1000  # a list is looked up each time, and not kept
