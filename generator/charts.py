"""What the theme's inline SVG charts show: positions and labels, no markup.

The templates draw the charts (templates/_charts.html); this module only works out
what to draw, so it can be tested without parsing SVG. Horizontal positions are
percentages of the chart's width (SVG accepts them, and text keeps its real size at
any width); vertical sizes are pixels. Every chart shares one time axis, `Axis`,
running from the first month any event touches to the last one, in months of the
site's calendar (its time zone). Parts of dates known only to the year (`2014`, the
start of `2014/2016-03`) do not widen the axis when other dates give months: one
year-only event would otherwise stretch every chart across empty years. Such an
event outside the axis is drawn at its edge. The year ticks are at most MAX_TICKS,
a tick standing for 1, 2, 5, 10… years, so a chart's size never grows with the
years between two events.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Iterable, Mapping, Sequence

from generator.dates import EDTF, MAX_YEAR, MONTH_NAMES, UTC, Precision
from generator.model import Actor, Entry, Event, Term, Timeline

BAR_AREA = 96  # pixels of the tallest bar in the month histogram
MIN_MARK = 0.6  # narrowest mark on an activity strip, in percent of its width
MIN_LABELLED_YEAR = 5.0  # a year narrower than this (percent) gets a tick but no label
LANES = 10  # actors in the swim-lane chart
MARK_GAP = 0.3  # percent kept free between two marks on one row
ROWS, LANE_ROWS = 8, 3  # most rows of marks on an actor's strip, and on a swim lane
MAX_MARKS = 250  # a longer list is drawn as one mark per month (or year), so pages stay small
MAX_MONTH_BINS = 240  # beyond 20 years of months, counts go by year
ROW_HEIGHT, SINGLE_ROW_HEIGHT = 10, 20  # pixels
MAX_TICKS = 20  # most year ticks on an axis; a tick stands for several years when needed
TICK_YEARS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)


@dataclass(frozen=True)
class Tick:
    """A year (or `years` years) on the axis: where it starts and how wide it is, in percent."""

    year: int
    x: float
    width: float
    years: int = 1

    @property
    def labelled(self) -> bool:
        if self.years > 1:  # labelled at its line: only a whole tick, away from the left edge
            return self.year % self.years == 0 and self.x > 0
        return self.width >= MIN_LABELLED_YEAR

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 3)

    @property
    def label_x(self) -> float:
        """Where its label goes: the middle of a single year, else the tick's line."""
        return self.middle if self.years == 1 else self.x


@dataclass(frozen=True)
class Axis:
    """Time from `start` (a month's first instant) to `end` (the instant after the last month)."""

    start: dt.datetime
    end: dt.datetime

    def x(self, moment: dt.datetime) -> float:
        """Where `moment` lies, in percent of the width (clamped to 0–100)."""
        start = self.start.astimezone(UTC)  # in UTC: aware times of one zone would subtract as wall-clock times
        share = (moment.astimezone(UTC) - start) / (self.end.astimezone(UTC) - start)
        return round(min(100.0, max(0.0, share * 100)), 3)

    def months(self) -> list[tuple[int, int]]:
        """Every (year, month) on the axis, in order."""
        months, moment = [], self.start
        while moment < self.end:
            months.append((moment.year, moment.month))
            moment = next_month(moment)
        return months

    def ticks(self) -> list[Tick]:
        """One tick per year the axis touches, or per 2, 5, 10… years: at most MAX_TICKS."""
        span = self.end.year - self.start.year + 1
        years = next((step for step in TICK_YEARS if -(-span // step) < MAX_TICKS), TICK_YEARS[-1])
        ticks = []
        for year in range(self.start.year - self.start.year % years, self.end.year + 1, years):
            first, after = self._new_year(year), self._new_year(year + years)
            if first < after:
                ticks.append(Tick(first.year, self.x(first), round(self.x(after) - self.x(first), 3), years))
        return ticks

    def _new_year(self, year: int) -> dt.datetime:
        """1 January of `year` on the axis's calendar, kept within the axis."""
        if year > MAX_YEAR + 1:
            return self.end
        if year < 1:
            return self.start
        return min(self.end, max(self.start, dt.datetime(year, 1, 1, tzinfo=self.start.tzinfo)))


@dataclass(frozen=True)
class Bar:
    """A month (or, over a long span, a year) of the histogram; `count` events begin in it."""

    year: int
    month: int | None  # None: the bar is the whole year's
    count: int
    x: float
    width: float
    height: float  # pixels
    slot_x: float  # the whole month's (year's) column, which takes clicks too
    slot_width: float

    @property
    def label(self) -> str:
        when = str(self.year) if self.month is None else f"{MONTH_NAMES[self.month - 1]} {self.year}"
        return f"{when}: {_events(self.count)}"

    @property
    def anchor(self) -> str:
        """The month's section on the year's page ("" for a year's bar: the page itself)."""
        return "" if self.month is None else month_anchor(self.year, self.month)


@dataclass(frozen=True)
class Histogram:
    """Events per month, each counted in the month it begins; per year over more than MAX_MONTH_BINS months."""

    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    tallest: int
    year_only: int  # events dated to a year only, which no month can show (counted by year, none)
    height: int = BAR_AREA
    by_year: bool = False


@dataclass(frozen=True)
class Mark:
    """An event on an activity strip, from its first to its last instant.

    Marks that would overlap go on separate rows; `y` and `height` are pixels.
    """

    event: str  # event id ("" for a month's mark)
    x: float
    width: float
    label: str
    via: str | None = None  # the member actor it came through
    year: int | None = None  # a month's mark links to its year page…
    anchor: str = ""  # …at this month
    count: int = 0  # the events a month's or year's mark stands for
    row: int = 0
    y: int = 0
    height: int = SINGLE_ROW_HEIGHT


@dataclass(frozen=True)
class Strip:
    """An actor's (or any list's) events along the timeline's axis."""

    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]
    height: int = SINGLE_ROW_HEIGHT  # pixels taken by the rows of marks

    @property
    def counted(self) -> bool:
        """Whether the strip counts its events by month or year (a long list), not one mark an event."""
        return any(mark.count for mark in self.marks)


@dataclass(frozen=True)
class Lane:
    """One row of the swim-lane chart."""

    actor: Actor
    count: int
    strip: Strip


def month_anchor(year: int, month: int | None) -> str:
    """The id of a month's section on year pages and the home page (month None: year only)."""
    return f"month-{year}-{month:02d}" if month else f"year-{year}-only"


# What one date adds to an axis, as a plain tuple (the garbage collector leaves those of atoms
# alone; a build keeps one for each event): the first and the last of its instants on the site's
# clock whose end gives a month (None when neither does: a year alone widens no axis that has
# months), then its first and last instants, then its zone.
AxisPart = tuple[dt.datetime | None, dt.datetime | None, dt.datetime, dt.datetime, dt.tzinfo]


def axis_part(date: EDTF) -> AxisPart:
    earliest, latest = date.local_earliest, date.local_latest
    if date.start.precision >= Precision.MONTH:
        first, last = earliest, (latest if date.end.precision >= Precision.MONTH else earliest)
    elif date.end.precision >= Precision.MONTH:
        first = last = latest
    else:
        first = last = None
    return first, last, earliest, latest, date.start.tz


def axis_of(events: Iterable[Event]) -> Axis | None:
    """The axis covering every month the events touch (see the module's note); None when there are none."""
    return axis_over([axis_part(e.date) for e in events])


def axis_over(parts: Sequence[Sequence]) -> Axis | None:
    """The axis of the dates whose parts (`axis_part`, maybe with more after) these are, in order (`axis_of`)."""
    if not parts:
        return None
    firsts = [part[0] for part in parts if part[0] is not None]
    if firsts:
        first, last = min(firsts), max(part[1] for part in parts if part[1] is not None)
    else:
        first, last = min(min(part[2], part[3]) for part in parts), max(max(part[2], part[3]) for part in parts)
    zone = parts[0][4]
    return Axis(dt.datetime(first.year, first.month, 1, tzinfo=zone), next_month(dt.datetime(last.year, last.month, 1, tzinfo=zone)))


def month_histogram(events: Iterable[Event], axis: Axis | None = None) -> Histogram | None:
    """How many events begin in each month of the axis (by default, the events' own), or each year on a long axis."""
    events = list(events)
    axis = axis or axis_of(events)
    if axis is None:
        return None
    if counts_by_year(axis):
        by_year = _counts_by_year(events)
        tallest = max(by_year.values(), default=0)
        bars = tuple(_bar(axis, year, None, count, tallest) for year, count in sorted(by_year.items()))
        return Histogram(bars, tuple(axis.ticks()), tallest, 0, by_year=True)
    month_dated = [e for e in events if e.date.start.precision >= Precision.MONTH]
    counts = _counts_by_month(month_dated)
    tallest = max(counts.values(), default=0)
    bars = tuple(_bar(axis, year, month, count, tallest) for (year, month), count in sorted(counts.items()))
    return Histogram(bars, tuple(axis.ticks()), tallest, len(events) - len(month_dated))


def _counts_by_year(events: Iterable[Event]) -> dict[int, int]:
    """How many of the events begin in each year of the site's calendar."""
    counts: dict[int, int] = {}
    for event in events:
        year = event.date.local_earliest.year
        counts[year] = counts.get(year, 0) + 1
    return counts


def _counts_by_month(events: Iterable[Event]) -> dict[tuple[int, int], int]:
    """How many of the events begin in each month of the site's calendar."""
    counts: dict[tuple[int, int], int] = {}
    for event in events:
        begins = event.date.local_earliest
        counts[(begins.year, begins.month)] = counts.get((begins.year, begins.month), 0) + 1
    return counts


def activity_strip(timeline: Timeline, entries: Iterable[Entry], axis: Axis | None = None, max_rows: int = ROWS) -> Strip | None:
    """The entries' events along `axis` (by default the whole timeline's), on at most `max_rows` rows."""
    axis = axis or axis_of(timeline.events)
    if axis is None:
        return None
    entries = list(entries)
    if len(entries) > MAX_MARKS:
        marks = _count_marks(axis, [timeline.events_by_id[entry.event] for entry in entries])
    else:
        marks = [_mark(axis, timeline.events_by_id[entry.event], entry.via, timeline.actors) for entry in entries]
    rows = pack_rows(((mark.x, mark.x + mark.width) for mark in marks), max_rows, MARK_GAP)
    count = max(rows, default=0) + 1
    height = SINGLE_ROW_HEIGHT if count == 1 else ROW_HEIGHT
    tallest = max((mark.count for mark in marks), default=0)
    placed = tuple(_placed(mark, row * height, height - 2, tallest) for mark, row in zip(marks, rows))
    return Strip(placed, tuple(axis.ticks()), count * height)


def _placed(mark: Mark, y: int, height: int, tallest: int) -> Mark:
    """The mark in its row; a month's or year's as tall as its count against the strip's largest, on the row's floor."""
    if not mark.count:
        return replace(mark, y=y, height=height)
    tall = max(2, round(height * mark.count / tallest))
    return replace(mark, y=y + height - tall, height=tall)


def swimlanes(timeline: Timeline, limit: int = LANES, axis: Axis | None = None) -> list[Lane]:
    """The `limit` actors with the most events (their members' included), busiest first, on `axis` (by default the timeline's)."""
    axis = axis or axis_of(timeline.events)
    if axis is None:
        return []
    return [Lane(timeline.actors[t.slug], len(t.entries), activity_strip(timeline, t.entries, axis, LANE_ROWS)) for t in busiest(timeline, limit)]  # type: ignore[arg-type]


def busiest(timeline: Timeline, limit: int = LANES) -> list[Term]:
    """The `limit` actors' terms with the most events (their members' included), busiest first: the swim lanes' actors."""
    terms = timeline.taxonomies["actors"].terms
    return sorted((t for t in terms.values() if t.entries), key=lambda t: (-len(t.entries), t.label.casefold(), t.slug))[:limit]


def lanes_counted(timeline: Timeline, limit: int = LANES) -> bool:
    """Whether every swim lane is drawn as counts (by month or year), so that no event's title is on the chart."""
    return all(len(term.entries) > MAX_MARKS for term in busiest(timeline, limit))


def pack_rows(spans: Iterable[tuple[float, float]], max_rows: int, gap: float = 0.0) -> list[int]:
    """A row for each (start, end) span, in order: the first row where it overlaps nothing
    (`gap` kept free), else a new row while there may be more, else the one free soonest."""
    ends: list[float] = []  # where each row's last span ends
    rows = []
    for start, end in spans:
        free = [row for row, row_end in enumerate(ends) if row_end + gap <= start]
        if free:
            row = free[0]
            ends[row] = max(ends[row], end)
        elif len(ends) < max_rows:
            row = len(ends)
            ends.append(end)
        else:
            row = min(range(len(ends)), key=ends.__getitem__)
            ends[row] = max(ends[row], end)
        rows.append(row)
    return rows


def _bar(axis: Axis, year: int, month: int | None, count: int, tallest: int) -> Bar:
    first = dt.datetime(year, month or 1, 1, tzinfo=axis.start.tzinfo)
    left, right = axis.x(first), axis.x(next_month(first) if month else new_year(year + 1, first.tzinfo))
    gap = (right - left) * 0.15
    height = round(max(2.0, BAR_AREA * count / tallest), 1)
    return Bar(year, month, count, round(left + gap / 2, 3), round(right - left - gap, 3), height, left, round(right - left, 3))


def _mark(axis: Axis, event: Event, via: str | None, actors: Mapping[str, Actor]) -> Mark:
    left = axis.x(event.date.earliest)
    width = max(MIN_MARK, axis.x(event.date.latest) - left)
    left = min(left, 100 - width)
    label = f"{event.date.display()}: {event.title}"
    if via:
        label += f" (via {actors[via].name})"
    return Mark(event.id, round(left, 3), round(width, 3), label, via)


def counts_by_year(axis: Axis) -> bool:
    """Whether a chart on `axis` counts its events by year (over MAX_MONTH_BINS months), not by month."""
    return (axis.end.year - axis.start.year) * 12 + axis.end.month - axis.start.month > MAX_MONTH_BINS


def _count_marks(axis: Axis, events: list[Event]) -> list[Mark]:
    """One mark per month in which some of the events begin, labelled with their number; per year on a long axis."""
    if counts_by_year(axis):
        return _year_marks(axis, events)
    marks = []
    for (year, month), count in sorted(_counts_by_month(events).items()):
        first = dt.datetime(year, month, 1, tzinfo=axis.start.tzinfo)
        label = f"{MONTH_NAMES[month - 1]} {year}: {_events(count)}"
        marks.append(_count_mark(axis, first, next_month(first), count, label, year, month_anchor(year, month)))
    return marks


def _year_marks(axis: Axis, events: list[Event]) -> list[Mark]:
    """One mark per year in which some of the events begin, labelled with their number, linking to the year's page."""
    zone = axis.start.tzinfo
    return [
        _count_mark(axis, new_year(year, zone), new_year(year + 1, zone), count, f"{year}: {_events(count)}", year)
        for year, count in sorted(_counts_by_year(events).items())
    ]


def _count_mark(axis: Axis, first: dt.datetime, end: dt.datetime, count: int, label: str, year: int, anchor: str = "") -> Mark:
    """A month's or year's mark, MARK_GAP narrower than its span, so that the next one fits on the same row
    (a little more: positions are rounded to thousandths before the rows are packed)."""
    left = axis.x(first)
    width = max(MIN_MARK, axis.x(end) - left - MARK_GAP - 0.002)
    return Mark("", round(min(left, 100 - width), 3), round(width, 3), label, year=year, anchor=anchor, count=count)


def new_year(year: int, zone: dt.tzinfo | None) -> dt.datetime:
    """1 January of `year` in `zone`; past the calendar's last year, its last instant (a moment late in
    9998 somewhere west of UTC is in 9999 on the site's clock, and Python has no year 10000)."""
    return dt.datetime(year, 1, 1, tzinfo=zone) if year <= dt.MAXYEAR else dt.datetime.max.replace(tzinfo=zone)


def next_month(moment: dt.datetime) -> dt.datetime:
    """The first instant of the month after `moment`'s."""
    return moment.replace(year=moment.year + moment.month // 12, month=moment.month % 12 + 1, day=1)


def _events(count: int) -> str:
    return f"{count} event" if count == 1 else f"{count} events"

