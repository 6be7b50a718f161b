"""`events.ics`: the events as an iCalendar file (RFC 5545), one VEVENT each.

A day is an all-day event (DTEND is the day after, as RFC 5545 wants), and so is an
interval of days, months or years, which lasted: it covers the whole period. A
moment becomes a UTC date-time; an interval of moments runs from the first to the
second. An interval mixing a day and a moment is made all-day, since DTSTART and
DTEND must share a type. Days are the calendar days as written (the site's, or a
moment's own offset), never shifted to UTC.

A date that does not say its day — a year, a month, or a window "sometime between A
and B" — is not a period that lasted, and a calendar has no way to say "one day of
this month". It becomes an all-day event on its first day, its SUMMARY ends with
what is known ("(May 2011, day not known)", "(between 2 and 19 September 2011)"),
and X-TIMELINE-EDTF carries the date as written for programs. A year-long or
month-long entry would claim a duration nobody reported. UIDs are `<event id>@<host of base_url>` (or `@timeline`), DTSTAMP comes
from the content or SOURCE_DATE_EPOCH, never the clock.

The content lines are written here rather than by the icalendar library: making
and serialising 10,000 VEVENTs with it takes about 7 times as long as these lines
(bench/ical_bench.py: 9.8 s against 1.35 s on a busy 2-core machine), which a cold
build would pay in full, far past its 5 % budget. They are what
icalendar 7 writes, byte for byte: its property order; TEXT values escaped (`\\`,
`;`, `,`, line breaks as `\\n`); X-WR-CALNAME as it is (icalendar's "unknown"
type); lines folded into pieces of 74 octets at most, never inside a UTF-8
character nor right after a backslash or caret; CRLF line ends. The one
difference: icalendar turns a literal `\\N` in a text into a line break, while
here it stays `\\N`. The tests read the file back with icalendar.
"""
from __future__ import annotations

import datetime as dt

from generator.dates import UTC, PartialDate, Precision
from generator.exports.common import ExportTools, SiteLinks, event_path, event_updated, plain_text, source_date_epoch
from generator.model import Event, Timeline
from generator.reads import record_all
from generator.markup import Markdown

PRODID = "-//timeline//timeline static site generator//EN"
STATUS = {"occurred": "CONFIRMED", "planned": "TENTATIVE", "disputed": "TENTATIVE"}
ONE_DAY = dt.timedelta(days=1)
PIECE_OCTETS = 74  # with the space that starts a folded line, RFC 5545's 75 octets
FOLD = b"\r\n "
CRLF = b"\r\n"
ESCAPES = b"\\^"  # TEXT and RFC 6868 escapes: icalendar never ends a piece on one, nor do we


def events_ics(timeline: Timeline, tools: ExportTools) -> list[bytes]:
    """Every event as a VEVENT of one VCALENDAR."""
    record_all(("config", "all:events", "all:sources"))
    links = SiteLinks.of(timeline)
    stamp = source_date_epoch()
    head = _component("VCALENDAR", [
        "VERSION:2.0",
        f"PRODID:{escape_text(PRODID)}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_unknown_value(timeline.config.title)}",
    ])
    # Each VEVENT is kept between builds by the event's digest.
    events = tools.each("ics", timeline.events, lambda event: _vevent(event, timeline, links, tools.markdown, stamp))
    return [head, *events, b"END:VCALENDAR" + CRLF]


def _vevent(event: Event, timeline: Timeline, links: SiteLinks, markdown: Markdown, stamp: dt.datetime | None) -> bytes:
    """One VEVENT, its properties in icalendar's order (SUMMARY, DTSTART, DTEND, DTSTAMP, UID, then A to Z)."""
    start, end = event_span(event)
    unknown_day = _day_not_given(event)
    lines = [f"SUMMARY:{escape_text(event.title + unknown_day)}", _date_line("DTSTART", start)]
    if end is not None:
        lines.append(_date_line("DTEND", end))
    lines.append(f"DTSTAMP:{_date_time(stamp or event_updated(event, timeline))}")
    lines.append(f"UID:{escape_text(f'{event.id}@{links.host}')}")
    if event.tags:
        lines.append("CATEGORIES:" + ",".join(escape_text(tag.label) for tag in event.tags))
    lines.append(f"DESCRIPTION:{escape_text(plain_text(markdown, event.summary))}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    lines.append(f"STATUS:{STATUS.get(event.status, 'CONFIRMED')}")
    url = links.absolute(event_path(event))
    if url:
        lines.append(f"URL:{url}")  # a URI value is written as it is (RFC 5545 3.3.13)
    if unknown_day:
        lines.append(f"X-TIMELINE-EDTF:{escape_text(event.date.edtf)}")
    return _component("VEVENT", lines) + b"END:VEVENT" + CRLF


def _component(name: str, lines: list[str]) -> bytes:
    """BEGIN:`name` and the folded content lines, each ended by CRLF (the END line is the caller's)."""
    data = "\r\n".join([f"BEGIN:{name}", *lines, ""]).encode("utf-8")
    return CRLF.join([line if len(line) <= PIECE_OCTETS else fold(line) for line in data.split(CRLF)])


def escape_text(text: str) -> str:
    """A TEXT value escaped as RFC 5545 (3.3.11) wants: backslash, semicolon, comma and line breaks."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _unknown_value(text: str) -> str:
    """The value of an X- property, written as it is, as icalendar writes and reads it (RFC 7265's "unknown")."""
    return text.replace("\r", " ").replace("\n", " ")  # the site title is one line; a stray CR would end it


def fold(line: bytes) -> bytes:
    """A content line (UTF-8, no CRLF) folded by CRLF and a space into pieces of at most 74 octets.

    A piece never ends inside a UTF-8 character, nor on a backslash or caret
    (unless that is all the piece holds), as with icalendar.
    """
    if len(line) <= PIECE_OCTETS:
        return line
    pieces = []
    start = 0
    while len(line) - start > PIECE_OCTETS:
        end = start + PIECE_OCTETS
        while line[end] & 0xC0 == 0x80:  # a byte inside a UTF-8 character
            end -= 1
        if line[end - 1] in ESCAPES and end - 1 > start:
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return FOLD.join(pieces)


def _date_line(name: str, value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return f"{name}:{_date_time(value)}"
    return f"{name};VALUE=DATE:{value.year:04}{value.month:02}{value.day:02}"


def _date_time(moment: dt.datetime) -> str:
    """A DATE-TIME in UTC ("form #2" of RFC 5545 3.3.5): 20180414T010000Z."""
    moment = moment.astimezone(UTC)
    return f"{moment.year:04}{moment.month:02}{moment.day:02}T{moment.hour:02}{moment.minute:02}{moment.second:02}Z"


def event_span(event: Event) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime | None]:
    """DTSTART and DTEND (exclusive; None for a single moment) of an event's date."""
    date = event.date
    start, end = date.start, date.end
    if _day_not_given(event):
        return start.first_day, start.first_day + ONE_DAY
    if _is_moment(start) and _is_moment(end):
        lasts = date.is_interval and end.earliest > start.earliest
        return start.earliest, end.earliest if lasts else None
    return start.first_day, end.last_day + ONE_DAY


def _day_not_given(event: Event) -> str:
    """What a SUMMARY adds for a date without a day: a year, a month or a window; else ""."""
    date = event.date
    if date.is_window:
        return f" ({date.display()})"
    if not date.is_interval and date.precision <= Precision.MONTH:
        return f" ({date.display()}, day not known)"
    return ""


def _is_moment(date: PartialDate) -> bool:
    return date.precision >= Precision.MINUTE
