"""`events.ics`: the events as an iCalendar file (RFC 5545), one VEVENT each.

A year, month or day, and an interval of them, is an all-day event covering the
whole period (DTEND is the day after, as RFC 5545 wants). A moment becomes a UTC
date-time; an interval of moments runs from the first to the second. An interval
mixing a day and a moment is made all-day, since DTSTART and DTEND must share a
type. UIDs are `<event id>@<host of base_url>` (or `@timeline`), DTSTAMP comes
from the content or SOURCE_DATE_EPOCH, never the clock.
"""
from __future__ import annotations

import datetime as dt

import icalendar

from generator.dates import PartialDate, Precision
from generator.exports.common import ExportTools, SiteLinks, event_path, event_updated, plain_text, source_date_epoch
from generator.model import Event, Timeline
from generator.render import Markdown

PRODID = "-//timeline//timeline static site generator//EN"
STATUS = {"occurred": "CONFIRMED", "planned": "TENTATIVE", "disputed": "TENTATIVE"}
ONE_DAY = dt.timedelta(days=1)


def events_ics(timeline: Timeline, tools: ExportTools) -> bytes:
    """Every event as a VEVENT of one VCALENDAR."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", timeline.config.title)
    links = SiteLinks.of(timeline)
    stamp = source_date_epoch()
    # Each VEVENT is made by the library on its own and kept between builds by the
    # event's digest, then placed inside the calendar's own lines.
    events = b"".join(
        tools.once("ics", event, lambda event=event: _vevent(event, timeline, links, tools.markdown, stamp).to_ical())
        for event in timeline.events
    )
    head, end = calendar.to_ical().rsplit(b"END:VCALENDAR", 1)
    return head + events + b"END:VCALENDAR" + end


def _vevent(event: Event, timeline: Timeline, links: SiteLinks, markdown: Markdown, stamp: dt.datetime | None) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", f"{event.id}@{links.host}")
    vevent.add("dtstamp", stamp or event_updated(event, timeline))
    start, end = event_span(event)
    vevent.add("dtstart", start)
    if end is not None:
        vevent.add("dtend", end)
    vevent.add("summary", event.title)
    vevent.add("description", plain_text(markdown, event.summary))
    vevent.add("status", STATUS.get(event.status, "CONFIRMED"))
    if event.location:
        vevent.add("location", event.location)
    url = links.absolute(event_path(event))
    if url:
        vevent.add("url", url)
    if event.tags:
        vevent.add("categories", [tag.label for tag in event.tags])
    return vevent


def event_span(event: Event) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime | None]:
    """DTSTART and DTEND (exclusive; None for a single moment) of an event's date."""
    start, end = event.date.start, event.date.end
    if _is_moment(start) and _is_moment(end):
        return start.earliest, end.earliest if event.date.is_interval else None
    return _first_day(start), _last_day(end) + ONE_DAY


def _is_moment(date: PartialDate) -> bool:
    return date.precision >= Precision.MINUTE


def _first_day(date: PartialDate) -> dt.date:
    """The first calendar day of a period, as written."""
    return dt.date(date.year, date.month, date.day) if _is_moment(date) else date.earliest.date()  # type: ignore[arg-type]


def _last_day(date: PartialDate) -> dt.date:
    """The last calendar day of a period, as written."""
    return dt.date(date.year, date.month, date.day) if _is_moment(date) else date.latest.date()  # type: ignore[arg-type]
