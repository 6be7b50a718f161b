"""The rules that make dates mean what the author meant, end to end on built sites.

One test (at least) per rule of the content format's "Dates" section: the site's
calendar for years and months, same-day order, "sometime between", exports on the
site's clock, calendars for year- and month-only events, bounded charts, and the
dates at the edges of what can be written.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import icalendar
import pytest
import yaml

from generator import charts
from generator.exports.common import ExportTools
from generator.pipeline import check_site
from generator.plan import plan_site
from generator.render import Markdown

from conftest import write_files
from test_pages import build, parse as parse_page

UTC = dt.timezone.utc


def add_event(site: Path, name: str, date: str | list, **fields) -> None:
    event = {"title": f"Event {name}", "date": date, "actors": ["emmanuel-macron"], "summary": f"Summary of {name}.",
             "sources": ["afp-red-line"], **fields}
    write_files(site, {f"content/events/{name}.yml": yaml.safe_dump(event, allow_unicode=True)})


def set_timezone(site: Path, zone: str) -> None:
    with (site / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write(f"timezone: {zone}\n")


def checked(site: Path):
    report = check_site(site)
    assert report.timeline is not None, [d.text() for d in report.diagnostics]
    return report


def errors(site: Path) -> list[str]:
    return [d.text() for d in check_site(site).diagnostics if d.severity == "error"]


def exports(site: Path) -> dict[str, bytes]:
    timeline = checked(site).timeline
    pages, planned = plan_site(timeline)
    tools = ExportTools(Markdown(), tuple(page.path for page in pages))
    from generator.write import joined

    return {export.path: joined(export.make(timeline, tools)) for export in planned}


def vevents(data: bytes) -> dict[str, icalendar.Event]:
    return {str(event["uid"]).split("@")[0]: event for event in icalendar.Calendar.from_ical(data).walk("VEVENT")}


@pytest.fixture
def tokyo_site(minimal_site: Path) -> Path:
    set_timezone(minimal_site, "Asia/Tokyo")
    return minimal_site


# --- 1. years and months of the site's calendar --------------------------------------------


def test_tokyo_dawn_on_new_years_day_is_on_the_2012_page_under_january(tokyo_site: Path, tmp_path: Path):
    add_event(tokyo_site, "dawn", "2012-01-01T05:00")  # 2011-12-31T20:00Z
    add_event(tokyo_site, "eve", "2011-12-31")
    timeline = checked(tokyo_site).timeline
    years = timeline.taxonomies["years"].terms
    assert [entry.event for entry in years["2012"].entries] == ["dawn"]
    assert "dawn" not in [entry.event for entry in years["2011"].entries]
    chart = charts.month_histogram(timeline.events)
    assert [(bar.year, bar.month, bar.count) for bar in chart.bars][:2] == [(2011, 12, 1), (2012, 1, 1)]

    out = build(tokyo_site, tmp_path / "out")
    y2012 = parse_page(out / "2012/index.html")
    assert (3, "January 2012") in y2012.headings and "Event dawn" in y2012.text
    y2011 = parse_page(out / "2011/index.html")
    assert "Event dawn" not in y2011.text and (3, "January 2011") not in y2011.headings
    assert 'data-pagefind-filter="year:2012"' in (out / "events/dawn/index.html").read_text(encoding="utf-8")
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2012/index.html#month-2012-01"' in home


# --- 2. same-day order ---------------------------------------------------------------------


def test_day_only_events_lead_their_day_unless_they_name_the_event_they_followed(minimal_site: Path):
    add_event(minimal_site, "quake", "2011-03-11T14:46")
    add_event(minimal_site, "emergency", "2011-03-11")
    add_event(minimal_site, "aftershock", "2011-03-11T15:15")
    order = [e.id for e in checked(minimal_site).timeline.events if e.id != "red-line"]
    assert order == ["emergency", "quake", "aftershock"]  # the documented default: the day before its hours

    add_event(minimal_site, "emergency", "2011-03-11", after="quake")
    order = [e.id for e in checked(minimal_site).timeline.events if e.id != "red-line"]
    assert order == ["quake", "emergency", "aftershock"]


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ({"a": ("2011-03-11", "a")}, "cannot come after itself"),
        ({"a": ("2011-03-11", "qauke")}, 'unknown event "qauke"'),
        ({"a": ("2011-03-12", "quake")}, "not on the day this event begins"),
        ({"a": ("2011-03-11T09:00", "quake")}, "begins after this event"),
        ({"a": ("2011-03-11", "b"), "b": ("2011-03-11", "a")}, "comes after this event itself"),
    ],
)
def test_after_must_name_an_earlier_event_of_the_same_day(minimal_site: Path, events: dict, message: str):
    add_event(minimal_site, "quake", "2011-03-11T14:46")
    for name, (date, after) in events.items():
        add_event(minimal_site, name, date, after=after)
    found = errors(minimal_site)
    assert any(message in line and "after:" in line and "events/a.yml" in line for line in found), found


# --- 3. sometime between A and B -------------------------------------------------------------


def test_a_window_is_shown_sorted_and_exported_as_sometime_between(minimal_site: Path, tmp_path: Path):
    write_files(minimal_site, {"content/events/window.yml": (
        "title: Event window\ndate: [2011-09-02..2011-09-19]\nactors: [emmanuel-macron]\n"
        "summary: Sometime then.\nsources: [afp-red-line]\n"
    )})
    add_event(minimal_site, "lasted", "2011-09-02/2011-09-19")
    add_event(minimal_site, "fifth", "2011-09-05")
    timeline = checked(minimal_site).timeline
    assert [e.id for e in timeline.events][:3] == ["lasted", "window", "fifth"]
    window = timeline.events_by_id["window"].date
    assert window.is_window and not window.is_interval
    assert window.display() == "between 2 and 19 September 2011"
    assert timeline.events_by_id["lasted"].date.display() == "2–19 September 2011"

    out = build(minimal_site, tmp_path / "out")
    page = parse_page(out / "events/window/index.html")
    assert "between 2 and 19 September 2011" in page.text
    assert "2011-09" in page.datetimes  # what both ends share, valid HTML

    made = exports(minimal_site)
    events = {e["id"]: e for e in json.loads(made["events.json"])["events"]}
    assert events["window"]["date"]["edtf"] == "[2011-09-02..2011-09-19]"
    assert events["window"]["date"]["kind"] == "window" and events["lasted"]["date"]["kind"] == "interval"
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(made["events.csv"].decode(), newline=""))}
    assert rows["window"]["date_edtf"] == "[2011-09-02..2011-09-19]"
    calendar = vevents(made["events.ics"])
    assert (calendar["window"]["dtstart"].dt, calendar["window"]["dtend"].dt) == (dt.date(2011, 9, 2), dt.date(2011, 9, 3))
    assert str(calendar["window"]["summary"]) == "Event window (between 2 and 19 September 2011)"
    assert str(calendar["window"]["x-timeline-edtf"]) == "[2011-09-02..2011-09-19]"
    assert calendar["lasted"]["dtend"].dt == dt.date(2011, 9, 20)  # an interval lasted: it spans
    slides = {s["unique_id"]: s for s in json.loads(made["timelinejs.json"])["events"]}
    assert slides["window"]["start_date"] == {"year": 2011, "month": 9, "display_date": "September 2011"}
    assert "end_date" not in slides["window"] and slides["window"]["display_date"] == "between 2 and 19 September 2011"


# --- 4. exports on the site's clock ----------------------------------------------------------------


def test_exports_put_days_and_months_at_the_sites_midnight(tokyo_site: Path):
    add_event(tokyo_site, "day", "2012-01-01")
    add_event(tokyo_site, "month", "2012-02")
    add_event(tokyo_site, "year", "2013")
    add_event(tokyo_site, "moment", "2012-01-01T05:00")
    made = exports(tokyo_site)
    dates = {e["id"]: e["date"] for e in json.loads(made["events.json"])["events"]}
    assert (dates["day"]["earliest"], dates["day"]["latest"]) == ("2012-01-01T00:00:00+09:00", "2012-01-01T23:59:59+09:00")
    assert dates["month"]["latest"] == "2012-02-29T23:59:59+09:00"
    assert dates["moment"]["earliest"] == "2012-01-01T05:00:00+09:00"
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(made["events.csv"].decode(), newline=""))}
    assert rows["day"]["earliest"] == "2012-01-01T00:00:00+09:00" and rows["year"]["earliest"] == "2013-01-01T00:00:00+09:00"
    calendar = vevents(made["events.ics"])
    assert (calendar["day"]["dtstart"].dt, calendar["day"]["dtend"].dt) == (dt.date(2012, 1, 1), dt.date(2012, 1, 2))
    assert calendar["moment"]["dtstart"].dt == dt.datetime(2011, 12, 31, 20, tzinfo=UTC)


def test_calendar_gives_year_and_month_events_one_day_and_says_the_day_is_unknown(tokyo_site: Path):
    add_event(tokyo_site, "year", "2013")
    add_event(tokyo_site, "month", "2012-02~")
    add_event(tokyo_site, "months", "2012-02/2012-04")
    calendar = vevents(exports(tokyo_site)["events.ics"])
    assert (calendar["year"]["dtstart"].dt, calendar["year"]["dtend"].dt) == (dt.date(2013, 1, 1), dt.date(2013, 1, 2))
    assert str(calendar["year"]["summary"]) == "Event year (2013, day not known)"
    assert (calendar["month"]["dtstart"].dt, calendar["month"]["dtend"].dt) == (dt.date(2012, 2, 1), dt.date(2012, 2, 2))
    assert str(calendar["month"]["x-timeline-edtf"]) == "2012-02~"
    assert (calendar["months"]["dtstart"].dt, calendar["months"]["dtend"].dt) == (dt.date(2012, 2, 1), dt.date(2012, 5, 1))


# --- 5. charts ----------------------------------------------------------------------------


def test_a_year_only_event_does_not_stretch_the_axis(minimal_site: Path):
    add_event(minimal_site, "background", "1990")
    add_event(minimal_site, "start", "2017-02-10")
    timeline = checked(minimal_site).timeline
    axis = charts.axis_of(timeline.events)
    assert (axis.start.year, axis.start.month) == (2017, 2)
    assert (axis.end.year, axis.end.month) == (2017, 6)  # red-line is 29 May 2017
    strip = charts.activity_strip(timeline, [e for t in timeline.taxonomies["actors"].terms.values() for e in t.entries][:1])
    assert all(0 <= mark.x <= 100 for mark in strip.marks)


def test_chart_markup_does_not_grow_with_the_years_between_two_events(minimal_site: Path, tmp_path: Path):
    add_event(minimal_site, "close", "2017-06-02")
    near = (build(minimal_site, tmp_path / "near") / "index.html").stat().st_size
    add_event(minimal_site, "close", "0002-06-02")
    add_event(minimal_site, "far", "9998-12-31")
    far_out = build(minimal_site, tmp_path / "far")
    far = (far_out / "index.html").stat().st_size
    assert far < near + 4000, (near, far)
    ticks = charts.axis_of(checked(minimal_site).timeline.events).ticks()
    assert len(ticks) <= charts.MAX_TICKS
    assert ticks[0].years == 1000 and [t.year for t in ticks if t.labelled][:2] == [1000, 2000]


# --- 6. the edges of what can be written -------------------------------------------------------


def test_december_9998_builds_and_9999_is_refused_with_a_message(minimal_site: Path, tmp_path: Path):
    add_event(minimal_site, "last-day", "9998-12-31")
    add_event(minimal_site, "last-month", "9998-12")
    add_event(minimal_site, "last-moment", "9998-12-31T23:59:59-12:00")
    out = build(minimal_site, tmp_path / "out")
    calendar = vevents((out / "events.ics").read_bytes())
    assert calendar["last-day"]["dtend"].dt == dt.date(9999, 1, 1)
    assert (out / "9998/index.html").is_file()
    add_event(minimal_site, "too-late", "9999-01-01")
    assert any("events/too-late.yml" in line and "between 1 and 9998" in line for line in errors(minimal_site))


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("29 May 2017 14:00 +25:00", "UTC offset must be less than 24 hours"),
        ("2018-05-25T01:00+05:00/2018-05-24", "ends before it starts"),
        ("2018-05-25T10:00:30/2018-05-25T10:00", "ends before it starts"),
        ("[2011-09-19..2011-09-02]", "ends before it starts"),
        ("[2011-09-02..2011-09-02]", "two different ends"),
    ],
)
def test_impossible_dates_are_diagnostics_not_tracebacks(minimal_site: Path, date: str, message: str):
    add_event(minimal_site, "bad", date)
    assert any("events/bad.yml" in line and message in line for line in errors(minimal_site)), errors(minimal_site)


def test_time_view_draws_a_window_as_a_window_and_counts_months_of_the_sites_calendar(monkeypatch):
    import zoneinfo

    from generator import timeview
    from generator.dates import parse
    from generator.model import Actor, Citation, Event, SiteConfig, Source, build_timeline

    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")

    def event(event_id: str, date: str) -> Event:
        return Event(event_id, f"Event {event_id}", parse(date, tokyo), "Summary.", ("macron",), (Citation("src"),))

    timeline = build_timeline(
        SiteConfig("T", timezone="Asia/Tokyo"), (event("window", "[2011-09-02..2011-09-19]"), event("dawn", "2012-01-01T05:00")),
        {"macron": Actor("macron", "Emmanuel Macron", "person")}, {"src": Source("src", "A source")},
    )
    assert timeview.mark_of(timeline.events_by_id["window"]).shape == "window"
    monkeypatch.setattr(timeview, "MAX_MARKS", 0)  # counted by month
    axis = charts.axis_of(timeline.events)
    bins = timeview._bins([timeview.binned_part(event)[5] for event in timeline.events], axis)
    assert [b.label for b in bins] == ["September 2011: 1 event", "January 2012: 1 event"]
    assert bins[1].href == "2012/index.html#month-2012-01"
