"""`timelinejs.json`: the events in Knight Lab's TimelineJS3 JSON format.

The file loads as it is: `new TL.Timeline("id", "timelinejs.json")`. A date's parts
are those the author wrote (a time keeps its wall-clock value), and each slide's
`display_date` carries the full display text, qualifiers and UTC offset included.
TimelineJS inserts headlines and text as HTML, so titles are escaped and summaries
are the sanitised HTML of their Markdown. A window ("sometime between A and B")
has no end date, which would make it a span: its start date gives only what both
ends share (September 2011 for 2–19 September 2011, else the first year). Links to event pages need a `base_url`:
the JSON is read from whatever page embeds it.

An event's first media item is its slide's media (an image of the site by its
960-pixel copy, with a 480-pixel thumbnail; a link as it is, which TimelineJS plays
itself), with its credit and caption.

Key events are listed on the title slide and grouped on a row of their own ("Key
events"); the site's periods are TimelineJS eras.
"""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from generator.dates import PartialDate
from generator.exports.common import ExportTools, SiteLinks, event_path, json_document, to_json
from generator.markup import Markdown
from generator.media import image_copies, published_path
from generator.model import Event, Media, Period, Timeline
from generator.reads import record_all

_PARTS = ("year", "month", "day", "hour", "minute", "second")
KEY_GROUP = "Key events"


def timelinejs_json(timeline: Timeline, tools: ExportTools) -> list[bytes]:
    """The TimelineJS3 document: a title slide and one slide per event."""
    record_all(("config", "all:events"))
    markdown = tools.markdown
    links = SiteLinks.of(timeline)
    document: dict[str, Any] = {
        "title": {"text": {
            "headline": str(escape(timeline.config.title)),
            "text": str(markdown.to_html(timeline.config.description)) + _key_list(timeline),
        }},
    }
    if timeline.config.periods:
        document["eras"] = [_era(period, markdown) for period in timeline.config.periods]
    slides = tools.each("timelinejs", timeline.events, lambda event: to_json(_slide(event, markdown, links)))
    return json_document(document, "events", slides)


def _slide(event: Event, markdown: Markdown, links: SiteLinks) -> dict[str, Any]:
    date = event.date
    known = (date.shared or PartialDate(date.start.year)) if date.is_window else date.start  # type: ignore[union-attr]
    slide: dict[str, Any] = {
        "unique_id": event.id,
        "start_date": _date(known),
        "display_date": event.date.display(),
        "text": {"headline": str(escape(event.title)), "text": _text(event, markdown, links)},
    }
    if event.date.is_interval:
        slide["end_date"] = _date(event.date.end)
    if event.key:
        slide["group"] = KEY_GROUP
    if event.media:
        slide["media"] = _media(event.media[0], markdown, links)
    return slide


def _media(item: Media, markdown: Markdown, links: SiteLinks) -> dict[str, str]:
    """A slide's media: TimelineJS shows one, so the event's first (an image of the site in its 960 px copy)."""
    media: dict[str, str] = {"credit": str(escape(item.credit))}
    if item.file and item.kind == "image":
        copies = image_copies(item.file, item.width, item.height)
        middle = copies[min(1, len(copies) - 1)][0]
        media |= {"url": links.link(middle), "thumbnail": links.link(copies[0][0]), "alt": item.alt}
    elif item.file:
        media["url"] = links.link(published_path(item.file))
    else:
        media["url"] = item.url
        if item.alt:
            media["alt"] = item.alt
    if item.caption:
        media["caption"] = str(markdown.inline(item.caption))
    return media


def _key_list(timeline: Timeline) -> str:
    """The key events, as an HTML list for the title slide ("" when none is marked)."""
    items = [
        Markup("<li>{}: {}</li>").format(event.date.display(), event.title)
        for event in timeline.events if event.key
    ]
    return str(Markup("<p>Key events:</p><ul>{}</ul>").format(Markup("").join(items))) if items else ""


def _era(period: Period, markdown: Markdown) -> dict[str, Any]:
    return {
        "start_date": _date(period.date.start),
        "end_date": _date(period.date.end),
        "text": {"headline": str(escape(period.name)), "text": str(markdown.to_html(period.description)) if period.description else ""},
    }


def _date(date: PartialDate) -> dict[str, Any]:
    parts: dict[str, Any] = {name: getattr(date, name) for name in _PARTS if getattr(date, name) is not None}
    return parts | {"display_date": date.display()}


def _text(event: Event, markdown: Markdown, links: SiteLinks) -> str:
    html = markdown.to_html(event.summary)
    url = links.absolute(event_path(event))
    if url:
        html += Markup('<p><a href="{}">More about this event</a></p>').format(url)
    return str(html)
