"""The time view: a list's events along a horizontal time axis, drawn at build time as SVG.

A day or a moment is a point; an interval is a bar; a date known only to its month or
year is a window (an outlined box: it happened at some point inside, not all along).
Approximate and uncertain dates are drawn open or faded at the end that is unsure.
Key events are larger; periods of the site are bands behind the marks. Marks that
would overlap go on separate rows; past `MAX_MARKS` events the view counts events by
month (or by year over long spans), so a page stays small at any size of timeline.

Every mark carries its first and last instant in days since 1970 (`data-s`, `data-e`)
and the view its range (`data-from`, `data-to`): assets/timeview.js redraws the marks
from those when the reader zooms or pans. Without the script the SVG is complete.

The lanes view is the same drawing with one lane per actor, busiest first.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any, Callable, Iterable, Mapping, Sequence

import jinja2
from markupsafe import Markup, escape

from generator.charts import MAX_TICKS, TICK_YEARS, Axis, axis_of, axis_over, axis_part, busiest, counts_by_year, new_year, next_month, pack_rows
from generator.dates import MONTH_NAMES, UTC, Precision
from generator.model import Entry, Event, Period, Timeline

EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
LAST_DAY = (dt.datetime(dt.MAXYEAR, 12, 31, tzinfo=UTC) - EPOCH).days  # the last whole day a date can hold
ROW = 16  # pixels per row of marks
MAX_ROWS, LANE_ROWS = 6, 2
MIN_GAP = 1.6  # percent of the width two marks on one row keep apart
MIN_WIDTH = 0.8  # narrowest window or bar, in percent
MAX_MARKS = 400  # a longer list is drawn as counts per month or year
LANES = 8
LABEL_SHARE = 0.011  # share of the width a period's name takes per character, for laying names out
LABEL_ROW = 16  # pixels of a row of period names, and of a lane's name
AXIS_HEIGHT = 22
POINT, KEY_POINT, BAR = 5, 7, 8  # radii and bar height, in pixels


BinnedPart = tuple  # `charts.AxisPart`'s five, then the month the event counts in (year * 12 + month - 1): one plain tuple


@dataclass(frozen=True)
class Mark:
    """One event in the view: where it starts and ends (days since 1970) and how sure that is."""

    event: Event
    start: float
    end: float
    shape: str  # "point", "window" or "span"
    fuzzy_start: bool
    fuzzy_end: bool


@dataclass(frozen=True)
class Bin:
    """A month or a year of a dense view, with how many events begin in it."""

    start: float
    end: float
    count: int
    label: str
    href: str  # a site path with its fragment


@dataclass(frozen=True)
class Tick:
    """A line on the axis, with a label when `label` is not empty."""

    day: float
    label: str
    major: bool


def template_globals(
    timeline: Timeline, whole_axis: Callable[[], Axis | None] | None = None, parts: Callable[[], Mapping[str, BinnedPart]] | None = None,
) -> dict[str, Callable[..., Any]]:
    """`time_view`, `lane_view` and the period helpers, bound to this Timeline (`whole_axis` gives its axis,
    and `parts` each event's `binned_part` by id, when known)."""
    drawer = Drawer(timeline, whole_axis, parts)
    return {
        "time_view": drawer.time_view,
        "lane_view": drawer.lane_view,
        "lane_choices": drawer.lane_choices,
        "period_starts": drawer.period_starts,
        "reading_order": drawer.reading_order,
    }


def days(moment: dt.datetime) -> float:
    """Days since 1970-01-01 UTC, to the minute."""
    return round((moment - EPOCH).total_seconds() / 86400, 3)


def mark_of(event: Event) -> Mark:
    """How an event is drawn, from its date alone."""
    date = event.date
    if date.is_interval:
        shape = "span"
    elif date.precision >= Precision.DAY and not date.is_window:
        shape = "point"
    else:
        shape = "window"
    start, end = date.start, date.end
    return Mark(
        event, days(date.earliest), days(date.latest), shape,
        start.approximate or start.uncertain, end.approximate or end.uncertain,
    )


def rows_of(marks: Sequence[Mark], span: float, max_rows: int) -> list[int]:
    """A row for each mark (in start order): the first where it overlaps nothing, else the one free soonest."""
    gap = span * MIN_GAP / 100
    return pack_rows(((mark.start, max(mark.end, mark.start + gap)) for mark in marks), max_rows)


def ticks_of(start: float, end: float) -> list[Tick]:
    """Years on a long axis, months on a shorter one, days on a few weeks (as timeview.js does)."""
    first, last = _date(start), _date(min(end, days(dt.datetime(dt.MAXYEAR, 12, 31, tzinfo=UTC))))
    span = end - start
    if span > 3 * 366:
        # Labelled years only, at most MAX_TICKS of them: the markup must not grow with the span.
        years = last.year - first.year + 1
        step = next((step for step in TICK_YEARS if -(-years // step) < MAX_TICKS), TICK_YEARS[-1])
        return [
            Tick(days(dt.datetime(year, 1, 1, tzinfo=UTC)), str(year), True)
            for year in range(first.year + 1 + (-(first.year + 1)) % step, last.year + 1, step)
        ]
    if span > 62:
        every = 1 if span < 400 else 3
        ticks, moment = [], dt.datetime(first.year, first.month, 1, tzinfo=UTC)
        while moment.date() <= last and moment.year < dt.MAXYEAR:
            if days(moment) >= start:
                label = str(moment.year) if moment.month == 1 else (MONTH_NAMES[moment.month - 1][:3] if (moment.month - 1) % every == 0 else "")
                ticks.append(Tick(days(moment), label, moment.month == 1))
            if (moment.year, moment.month) == (dt.MAXYEAR, 12):
                break
            moment = moment.replace(year=moment.year + moment.month // 12, month=moment.month % 12 + 1)
        return ticks
    step = 1 if span <= 14 else 7
    return [
        Tick(day, f"{_date(day).day} {MONTH_NAMES[_date(day).month - 1][:3]}", _date(day).day == 1)
        for day in range(int(start) + 1, int(end) + 1, step)
    ]


def _year_axis(year: int, zone: dt.tzinfo) -> Axis:
    """One year of the site's calendar (`zone`); the last year a datetime can hold ends at its last instant."""
    return Axis(dt.datetime(year, 1, 1, tzinfo=zone), new_year(year + 1, zone))


class Drawer:
    """Draws the time views of one Timeline's lists (a page has at most one of each kind)."""

    def __init__(
        self, timeline: Timeline, whole_axis: Callable[[], Axis | None] | None = None, parts: Callable[[], Mapping[str, BinnedPart]] | None = None,
    ) -> None:
        self._timeline = timeline
        self._whole_axis = whole_axis or cache(lambda: axis_of(timeline.events))  # shared with the charts, when they are drawn too
        self._parts = parts or cache(lambda: {event.id: binned_part(event) for event in timeline.events})  # an event is on many lists
        self._periods = tuple(sorted(timeline.config.periods, key=lambda p: p.date.sort_key))
        # A build draws many views of the same lists (each page of a long one) and events:
        # what does not depend on the page is worked out once.
        self._marks: dict[str, tuple[Mark, str, str]] = {}  # event id: mark, classes, title
        self._axes: dict[int, tuple[Any, Axis | None]] = {}  # id of a list: the list, its axis
        self._lists: dict[int, tuple[Any, list[Event]]] = {}  # id of a term's list (a tuple): the list, its events
        self._bins: dict[tuple[int, float, float], tuple[Any, list[Bin]]] = {}

    # --- template globals ---------------------------------------------------------------

    @jinja2.pass_context
    def time_view(self, context: Any, entries: Iterable[Entry] | None = None, on_page: Iterable[tuple[Event, Any]] = (), year: int | None = None) -> Markup:
        """The view of a list (every event when `entries` is None); events in `on_page` link to their card.

        With `year`, the axis is that year alone (events begun before it run in from the left edge).
        """
        events = self._events(entries)
        if not events:
            return Markup("")
        zone = events[0].date.start.tz  # the site's: a year page shows the year of its calendar
        axis = _year_axis(year, zone) if year else self._axis(entries, events)
        assert axis is not None
        links = _Links(context["root"], {event.id for event, _ in on_page})
        body, height = self._layer(events, axis, links, MAX_ROWS, top=self._band_rows(axis) * LABEL_ROW, key=entries)
        return self._svg(axis, self._bands(axis, height) + body, height, f"{len(events)} events", "tv-main")

    @jinja2.pass_context
    def lane_view(self, context: Any, on_page: Iterable[tuple[Event, Any]] = ()) -> Markup:
        """The whole timeline with one lane per busiest actor (their members' events included)."""
        lanes = self.lane_choices()
        if not lanes:
            return Markup("")
        axis = self._whole_axis()
        assert axis is not None
        links = _Links(context["root"], {event.id for event, _ in on_page})
        parts, top = [], 0
        for term, events in lanes:
            body, height = self._layer(events, axis, links, LANE_ROWS, top=LABEL_ROW)
            name = f'<text class="tv-lane-name" x="0" y="{LABEL_ROW - 4}">{escape(term.label)} ({len(events)})</text>'
            parts.append(f'<g class="tv-lane" data-lane="{escape(term.slug)}" data-height="{height}" transform="translate(0,{top})">{name}{body}</g>')
            top += height
        return self._svg(axis, "".join(parts), top, f"{len(lanes)} actors", "tv-lanes")

    def lane_choices(self) -> list[tuple[Any, list[Event]]]:
        """The busiest actors' terms with their events, busiest first."""
        return [(term, self._events(term.entries)) for term in self.lane_terms()]

    def lane_terms(self) -> list[Any]:
        """The busiest actors' terms, busiest first (as the swim lanes choose them)."""
        return busiest(self._timeline, LANES)

    def period_starts(self, entries: Sequence[tuple[Event, Any]]) -> dict[str, list[Period]]:
        """For a list in reading order: the periods entered at each event (none entered at the one before)."""
        starts: dict[str, list[Period]] = {}
        previous: set[int] = set()
        for event, _ in entries:
            moment = event.date.earliest
            inside = {index for index, period in enumerate(self._periods) if period.date.earliest <= moment <= period.date.latest}
            entered = [self._periods[index] for index in sorted(inside - previous)]
            if entered:
                starts.setdefault(event.id, entered)
            previous = inside
        return starts

    def reading_order(self, groups: list) -> list:
        """Groups of a list (years, months) and their entries, newest first when site.yml asks."""
        if not self._timeline.config.newest_first:
            return groups
        position = self._timeline.position
        return [
            replace(group, entries=tuple(sorted(group.entries, key=lambda pair: -position[pair[0].id])))
            for group in reversed(groups)
        ]

    # --- drawing ------------------------------------------------------------------------

    def _events(self, entries: Iterable[Entry] | None) -> list[Event]:
        """The events of a list; those of a term's list (a tuple of the model, drawn on each of its
        pages) looked up once: a year of 6,000 events has 60 pages."""
        if entries is None:
            return list(self._timeline.events)
        known = self._lists.get(id(entries)) if type(entries) is tuple else None
        if known is None or known[0] is not entries:
            by_id = self._timeline.events_by_id
            known = (entries, [by_id[entry.event] for entry in entries])
            if type(entries) is tuple:
                self._lists[id(entries)] = known
        return known[1]

    def _axis(self, entries: Any, events: list[Event]) -> Axis | None:
        if entries is None:
            return self._whole_axis()
        known = self._axes.get(id(entries))
        if known is None:
            parts = self._parts()
            known = self._axes[id(entries)] = (entries, axis_over([parts[event.id] for event in events]))  # the list is kept, so its id stays its own
        return known[1]

    def _layer(self, events: list[Event], axis: Axis, links: "_Links", max_rows: int, top: int, key: Any = None) -> tuple[str, int]:
        """The marks (or counts) of `events` below `top`; the markup and the height it takes."""
        start, end = days(axis.start), days(axis.end)
        if len(events) > MAX_MARKS:
            known = self._bins.get((id(key), start, end)) if key is not None else None
            if known is None:
                parts = self._parts()
                known = (key, _bins([parts[event.id][5] for event in events], axis))
                if key is not None:
                    self._bins[(id(key), start, end)] = known
            bins = known[1]
            tallest = max(b.count for b in bins)
            area = max_rows * ROW
            parts = [_bin(b, start, end, top + area, max(2, round(area * b.count / tallest)), links.root) for b in bins]
            return f'<g class="tv-bins">{"".join(parts)}</g>', top + area + 4
        drawn = sorted((self._mark_of(event) for event in events), key=lambda m: (m[0].start, -m[0].end))
        rows = rows_of([mark for mark, _, _ in drawn], end - start, max_rows)
        parts = [_mark(mark, classes, title, row, start, end, top, links) for (mark, classes, title), row in zip(drawn, rows)]
        return f'<g class="tv-marks">{"".join(parts)}</g>', top + (max(rows) + 1) * ROW + 4

    def _mark_of(self, event: Event) -> tuple[Mark, str, str]:
        known = self._marks.get(event.id)
        if known is None:
            mark = mark_of(event)
            classes = f"tv-mark tv-{mark.shape}"
            if event.key:
                classes += " is-key"
            if mark.fuzzy_start or mark.fuzzy_end:
                classes += " is-fuzzy"
            if event.status != "occurred":
                classes += f" is-{event.status}"
            known = self._marks[event.id] = (mark, classes, f"{escape(event.date.display())}: {escape(event.title)}")
        return known

    def _band_layout(self, axis: Axis) -> list[tuple[Period, int]]:
        """The periods the axis shows, each with the row of its name (names never overlap)."""
        start, end = days(axis.start), days(axis.end)
        shown = [p for p in self._periods if p.date.latest > axis.start and p.date.earliest < axis.end]
        span = end - start
        extents = [
            Mark(None, max(start, days(p.date.earliest)), max(start, days(p.date.earliest)) + span * LABEL_SHARE * len(p.name), "span", False, False)  # type: ignore[arg-type]
            for p in shown
        ]
        return list(zip(shown, rows_of(extents, span, 3)))

    def _band_rows(self, axis: Axis) -> int:
        return max((row + 1 for _, row in self._band_layout(axis)), default=0)

    def _bands(self, axis: Axis, height: int) -> str:
        start, end = days(axis.start), days(axis.end)
        parts = []
        for period, row in self._band_layout(axis):
            s, e = max(start, days(period.date.earliest)), min(end, days(period.date.latest))
            x, width = _x(s, start, end), max(MIN_WIDTH, _x(e, start, end) - _x(s, start, end))
            title = f"{escape(period.name)}: {escape(period.date.display())}"
            parts.append(
                f'<g class="tv-band" data-s="{s}" data-e="{e}"><title>{title}</title>'
                f'<rect x="{x}%" y="{row * LABEL_ROW}" width="{width}%" height="{height - row * LABEL_ROW}"/>'
                f'<svg x="{x}%" y="{row * LABEL_ROW}" width="{width}%" height="{LABEL_ROW}"><text x="4" y="12">{escape(period.name)}</text></svg></g>'
            )
        return f'<g class="tv-bands">{"".join(parts)}</g>' if parts else ""

    def _svg(self, axis: Axis, body: str, height: int, what: str, ident: str) -> Markup:
        start, end = days(axis.start), days(axis.end)
        ticks = _axis_markup(start, end, height)
        last_day = (axis.end - dt.timedelta(days=1)).date()  # the axis's own calendar, not UTC's
        label = f"Time view: {what}, {axis.start.date().isoformat()} to {last_day.isoformat()}"
        return Markup(
            f'<svg class="tv-svg" id="{ident}" width="100%" height="{height + AXIS_HEIGHT}" '
            f'aria-label="{escape(label)}" data-from="{start}" data-to="{end}">'
            f'{_defs(ident)}<g class="tv-axis" aria-hidden="true">{ticks}</g>'
            f'{body.replace("url(#fade-", f"url(#{ident}-fade-")}</svg>'
        )


@dataclass(frozen=True)
class _Links:
    root: str
    on_page: set[str]

    def event(self, event_id: str) -> str:
        return f"#e-{event_id}" if event_id in self.on_page else f"{self.root}events/{event_id}/index.html"


def _x(day: float, start: float, end: float) -> float:
    return round((day - start) / (end - start) * 100, 3)


def _date(day: float) -> dt.date:
    return (EPOCH + dt.timedelta(days=min(day, LAST_DAY))).date()


def _defs(ident: str) -> str:
    """Gradients that fade a bar's unsure ends."""
    stops = {
        "start": '<stop offset="0" stop-opacity="0"/><stop offset="0.35" stop-opacity="1"/>',
        "end": '<stop offset="0.65" stop-opacity="1"/><stop offset="1" stop-opacity="0"/>',
        "both": '<stop offset="0" stop-opacity="0"/><stop offset="0.3" stop-opacity="1"/><stop offset="0.7" stop-opacity="1"/><stop offset="1" stop-opacity="0"/>',
    }
    return "<defs>" + "".join(f'<linearGradient id="{ident}-fade-{name}" class="tv-fade">{body}</linearGradient>' for name, body in stops.items()) + "</defs>"


def _tick(tick: Tick, start: float, end: float, height: int) -> str:
    x = _x(tick.day, start, end)
    line = f'<line class="{"major" if tick.major else "minor"}" x1="{x}%" x2="{x}%" y1="0" y2="{height + 4}"/>'
    return line + (f'<text x="{x}%" y="{height + 17}">{tick.label}</text>' if tick.label else "")


@lru_cache(maxsize=1024)
def _axis_markup(start: float, end: float, height: int) -> str:
    return "".join(_tick(tick, start, end, height) for tick in ticks_of(start, end))


def _mark(mark: Mark, classes: str, title: str, row: int, start: float, end: float, top: int, links: _Links) -> str:
    event = mark.event
    middle = top + row * ROW + ROW // 2
    x = _x(mark.start, start, end)
    if mark.shape == "point":
        centre = _x((mark.start + mark.end) / 2, start, end)
        shape = f'<circle cx="{centre}%" cy="{middle}" r="{KEY_POINT if event.key else POINT}"/>'
    else:
        width = max(MIN_WIDTH, _x(mark.end, start, end) - x)
        height = BAR + 4 if event.key else BAR
        fade = {(True, False): "start", (False, True): "end", (True, True): "both"}.get((mark.fuzzy_start, mark.fuzzy_end))
        fill = f' fill="url(#fade-{fade})"' if fade and mark.shape == "span" else ""
        shape = f'<rect x="{x}%" y="{middle - height // 2}" width="{width}%" height="{height}" rx="2"{fill}/>'
    return f'<a class="{classes}" href="{escape(links.event(event.id))}" data-id="{event.id}" data-s="{mark.start}" data-e="{mark.end}"><title>{title}</title>{shape}</a>'


def binned_part(event: Event) -> BinnedPart:
    """What an event adds to a view drawn as counts: to its axis, and to the count of its month (`binned_shape`)."""
    moment = event.date.local_earliest
    return (*axis_part(event.date), moment.year * 12 + moment.month - 1)


def binned_shape(parts: Sequence[BinnedPart], by_month: bool = False) -> tuple:
    """All that a view of some events drawn as counts (past MAX_MARKS) is made of but the page's own
    settings, from their `binned_part`s in order: their axis, how many begin in each month of the
    site's calendar (each year, on an axis that counts by year), and their number.

    On a wider axis (the whole timeline's) a list is counted by the same bins or by years, which
    follow from them; on a year's axis (`by_month`) it is counted by month, whatever its own span.
    """
    axis = axis_over(parts)
    by_year = not by_month and axis is not None and counts_by_year(axis)
    return (axis, by_year, sorted(_counted([part[5] for part in parts], by_year).items()), len(parts))


def _counted(months: Iterable[int], by_year: bool) -> dict[int, int]:
    """How many of the months (year * 12 + month - 1, as `binned_part` gives them) fall in each month, or each year."""
    counts: dict[int, int] = {}
    for month in months:
        counted = month // 12 if by_year else month
        counts[counted] = counts.get(counted, 0) + 1
    return counts


def _bins(months: Iterable[int], axis: Axis) -> list[Bin]:
    """Events, by the month they begin in (`binned_part`), counted by month (or, over long spans, year) of the site's calendar."""
    by_year = counts_by_year(axis)
    bins = []
    for counted, number in sorted(_counted(months, by_year).items()):
        year, month = (counted, 0) if by_year else (counted // 12, counted % 12 + 1)
        first = dt.datetime(year, month or 1, 1, tzinfo=axis.start.tzinfo)
        after = next_month(first) if month else new_year(year + 1, first.tzinfo)
        label = f"{MONTH_NAMES[month - 1]} {year}" if month else str(year)
        anchor = f"#month-{year}-{month:02d}" if month else ""
        bins.append(Bin(days(first), days(after), number, f"{label}: {number} event{'s' if number != 1 else ''}", f"{year}/index.html{anchor}"))
    return bins


def _bin(b: Bin, start: float, end: float, base: int, height: int, root: str) -> str:
    x = _x(b.start, start, end)
    width = max(0.1, round(_x(b.end, start, end) - x - 0.05, 3))
    return (
        f'<a class="tv-bin" href="{escape(root + b.href)}" data-s="{b.start}" data-e="{b.end}"><title>{escape(b.label)}</title>'
        f'<rect x="{x}%" y="{base - height}" width="{width}%" height="{height}"/></a>'
    )


def days_of_iso(day: str) -> float:
    """Days since 1970 of an ISO day ("2017-05-29")."""
    return days(dt.datetime.fromisoformat(day).replace(tzinfo=UTC))
