"""Chart data: the shared time axis, the month histogram, activity strips, swim lanes."""
from __future__ import annotations

import datetime as dt

import pytest

from generator import charts
from generator.dates import UTC, parse
from generator.model import Actor, Citation, Entry, Event, SiteConfig, Source, Timeline, build_timeline


def event(event_id: str, date: str, actors: tuple[str, ...] = ("macron",)) -> Event:
    return Event(event_id, f"Event {event_id}", parse(date), "Summary.", actors, (Citation("src"),))


def timeline_of(*events: Event) -> Timeline:
    actors = {
        "france": Actor("france", "France", "state"),
        "macron": Actor("macron", "Emmanuel Macron", "person", affiliations=("france",)),
        "putin": Actor("putin", "Vladimir Putin", "person"),
    }
    return build_timeline(SiteConfig("T"), events, actors, {"src": Source("src", "A source")})


def test_axis_runs_from_the_first_month_to_the_end_of_the_last():
    axis = charts.axis_of([event("a", "2017-05-29"), event("b", "2017-06/2017-08")])
    assert axis == charts.Axis(dt.datetime(2017, 5, 1, tzinfo=UTC), dt.datetime(2017, 9, 1, tzinfo=UTC))
    assert axis.months() == [(2017, 5), (2017, 6), (2017, 7), (2017, 8)]
    assert axis.x(axis.start) == 0 and axis.x(axis.end) == 100
    assert axis.x(dt.datetime(2030, 1, 1, tzinfo=UTC)) == 100  # clamped


def test_axis_has_no_events_to_cover():
    assert charts.axis_of([]) is None and charts.month_histogram([]) is None
    assert charts.swimlanes(timeline_of()) == []


def test_year_ticks_cover_the_axis_and_only_wide_years_are_labelled():
    ticks = charts.axis_of([event("a", "2016-12"), event("b", "2018-12")]).ticks()
    assert [t.year for t in ticks] == [2016, 2017, 2018]
    assert ticks[0].x == 0 and ticks[0].width == pytest.approx(100 * 31 / 761, abs=0.01)
    assert not ticks[0].labelled and ticks[1].labelled
    assert sum(t.width for t in ticks) == pytest.approx(100, abs=0.01)


def test_histogram_counts_events_in_the_month_they_begin():
    chart = charts.month_histogram([
        event("a", "2017-05-29"), event("b", "2017-05~"), event("c", "2017-07-01/2017-09-01"), event("d", "2017"),
    ])
    assert [(b.year, b.month, b.count) for b in chart.bars] == [(2017, 5, 2), (2017, 7, 1)]
    assert chart.tallest == 2 and chart.year_only == 1
    may, july = chart.bars
    assert may.height == charts.BAR_AREA and july.height == charts.BAR_AREA / 2
    assert may.label == "May 2017: 2 events" and july.label == "July 2017: 1 event"
    assert may.anchor == "month-2017-05"
    assert may.slot_x <= may.x and may.x + may.width <= may.slot_x + may.slot_width


def test_a_histogram_over_twenty_years_counts_events_in_the_year_they_begin():
    chart = charts.month_histogram([event("a", "2001-05-29"), event("b", "2001"), event("c", "2001-12-31"), event("d", "2024-03~")])
    assert chart.by_year and chart.year_only == 0  # an event dated to a year alone counts in it too
    assert [(b.year, b.month, b.count, b.label, b.anchor) for b in chart.bars] == [
        (2001, None, 3, "2001: 3 events", ""), (2024, None, 1, "2024: 1 event", ""),
    ]
    first, last = chart.bars
    assert first.slot_x == 0 and first.slot_width == pytest.approx(100 * 245 / 8371, abs=0.01)  # May to December 2001, of May 2001 to March 2024
    assert first.height == charts.BAR_AREA and last.height == pytest.approx(charts.BAR_AREA / 3, abs=0.1)
    assert not charts.month_histogram([event("a", "2001-05-29"), event("d", "2021-04")]).by_year  # 240 months: by month


def test_month_anchor_names_months_and_years_alone():
    assert charts.month_anchor(2017, 5) == "month-2017-05"
    assert charts.month_anchor(2017, None) == "year-2017-only"


def test_strip_marks_span_the_event_and_stay_inside_the_chart():
    timeline = timeline_of(event("early", "2017-01-01"), event("span", "2017-01/2017-06"), event("late", "2017-12-31"))
    strip = charts.activity_strip(timeline, [Entry("early"), Entry("span", via="macron"), Entry("late")])
    early, span, late = strip.marks
    assert early.x == 0 and early.width == charts.MIN_MARK
    assert span.width == pytest.approx(100 * 181 / 365, abs=0.01) and span.via == "macron"
    assert span.label == "January–June 2017: Event span (via Emmanuel Macron)"
    assert late.x + late.width <= 100 and late.width == charts.MIN_MARK


def test_swimlanes_show_the_busiest_actors_first_with_members_events():
    timeline = timeline_of(event("a", "2017-01", ("macron",)), event("b", "2017-02", ("macron", "putin")), event("c", "2017-03", ("putin",)))
    lanes = charts.swimlanes(timeline, limit=2)
    assert [(lane.actor.id, lane.count) for lane in lanes] == [("macron", 2), ("france", 2)]  # ties by name
    assert [m.via for m in lanes[1].strip.marks] == ["macron", "macron"]
    assert all(lane.strip.ticks == lanes[0].strip.ticks for lane in lanes)


def _strip_of(days: list[str]) -> charts.Strip:
    """The activity strip of one event on each day, in order."""
    timeline = timeline_of(*(event(f"e{n}", day) for n, day in enumerate(days)))
    return charts.activity_strip(timeline, [Entry(f"e{n}") for n in range(len(days))])


def test_a_long_list_is_drawn_as_one_mark_per_month(monkeypatch):
    monkeypatch.setattr(charts, "MAX_MARKS", 3)
    strip = _strip_of(["2017-01-03", "2017-01-20", "2017-01-28", "2017-03-05"])
    assert [(m.label, m.year, m.anchor) for m in strip.marks] == [
        ("January 2017: 3 events", 2017, "month-2017-01"),
        ("March 2017: 1 event", 2017, "month-2017-03"),
    ]


def test_a_long_list_on_an_axis_of_over_twenty_years_is_drawn_as_one_mark_per_year(monkeypatch):
    """Months would be thinner than a mark there: the lanes count by year, as the time view does."""
    monkeypatch.setattr(charts, "MAX_MARKS", 3)
    days = ["2001-01-03", "2001-11-20", "2002-12-28", "2024-03-05"]
    strip = _strip_of(days)
    assert [(m.label, m.year, m.anchor) for m in strip.marks] == [
        ("2001: 2 events", 2001, ""), ("2002: 1 event", 2002, ""), ("2024: 1 event", 2024, ""),
    ]
    first, second, last = strip.marks
    assert first.x == 0 and first.width == pytest.approx(100 * 12 / (23 * 12 + 3) - charts.MARK_GAP, abs=0.01)  # of January 2001 to March 2024
    assert first.row == second.row == last.row == 0  # a year's mark leaves room for the next on its row
    assert [(m.y, m.height) for m in strip.marks] == [(0, 18), (9, 9), (9, 9)]  # as tall as its count, on the row's floor
    assert last.x + last.width <= 100  # the year past the axis's end is drawn at its edge
    short = _strip_of(days[:3])
    assert [m.event for m in short.marks] == ["e0", "e1", "e2"]  # three: each event's own mark
    assert strip.counted and not short.counted


def test_year_only_dates_do_not_widen_an_axis_of_months():
    axis = charts.axis_of([event("a", "2017-05-29"), event("b", "2012"), event("c", "2010/2017-08")])
    assert (axis.start, axis.end) == (dt.datetime(2017, 5, 1, tzinfo=UTC), dt.datetime(2017, 9, 1, tzinfo=UTC))
    only_years = charts.axis_of([event("b", "2012"), event("c", "2014")])
    assert (only_years.start, only_years.end) == (dt.datetime(2012, 1, 1, tzinfo=UTC), dt.datetime(2015, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(("first", "last", "years"), [("2001-03", "2019-06", 1), ("1950-02", "1995-01", 5), ("0002-06", "9998-12", 1000)])
def test_ticks_are_bounded_and_stand_for_round_numbers_of_years(first, last, years):
    ticks = charts.axis_of([event("a", first), event("b", last)]).ticks()
    assert len(ticks) <= charts.MAX_TICKS
    assert {t.years for t in ticks} == {years}
    assert sum(t.width for t in ticks) == pytest.approx(100, abs=0.01)
    assert all(t.year % years == 0 for t in ticks[1:])
    assert all(t.label_x == (t.middle if years == 1 else t.x) for t in ticks)
