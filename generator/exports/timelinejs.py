"""`timelinejs.json`: the events in Knight Lab's TimelineJS3 JSON format.

The file loads as it is: `new TL.Timeline("id", "timelinejs.json")`. A date's parts
are those the author wrote (a time keeps its wall-clock value), and each slide's
`display_date` carries the full display text, qualifiers and UTC offset included.
TimelineJS inserts headlines and text as HTML, so titles are escaped and summaries
are the sanitised HTML of their Markdown. A window ("sometime between A and B")
has no end date, which would make it a span: its start date gives only what both
ends share (September 2011 for 2–19 September 2011, else the first year). Links to event pages need a `base_url`:
the JSON is read from whatever page embeds it.
"""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from generator.dates import PartialDate
from generator.exports.common import ExportTools, SiteLinks, event_path, json_document, to_json
from generator.model import Event, Timeline
from generator.render import Markdown

_PARTS = ("year", "month", "day", "hour", "minute", "second")


def timelinejs_json(timeline: Timeline, tools: ExportTools) -> bytes:
    """The TimelineJS3 document: a title slide and one slide per event."""
    markdown = tools.markdown
    links = SiteLinks.of(timeline)
    document = {
        "title": {"text": {
            "headline": str(escape(timeline.config.title)),
            "text": str(markdown.to_html(timeline.config.description)),
        }},
    }
    slides = (tools.once("timelinejs", event, lambda event=event: to_json(_slide(event, markdown, links))) for event in timeline.events)
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
    return slide


def _date(date: PartialDate) -> dict[str, Any]:
    parts: dict[str, Any] = {name: getattr(date, name) for name in _PARTS if getattr(date, name) is not None}
    return parts | {"display_date": date.display()}


def _text(event: Event, markdown: Markdown, links: SiteLinks) -> str:
    html = markdown.to_html(event.summary)
    url = links.absolute(event_path(event))
    if url:
        html += Markup('<p><a href="{}">More about this event</a></p>').format(url)
    return str(html)
