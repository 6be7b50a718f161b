"""Atom 1.0 feeds (RFC 4287): the site's latest events, and each actor's.

"Latest" follows the chronology (the feed is its end, reversed), not the order in
which events were written. The actors of an event are its entry's contributors
(they took part in it; they did not write it); the site is the feed's author.
"""
from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from typing import Sequence

from markupsafe import Markup

from generator.exports.common import (
    XML_INVALID, ExportTools, SiteLinks, event_path, event_updated, iso, newest, text_element, xml_bytes,
)
from generator.model import Event, Timeline
from generator.urls import KIND_BY_SINGULAR
from generator.reads import record, record_event_whole
from generator.markup import Markdown

ATOM = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 100
SITE_FEED = "feed.xml"


def actor_feed_path(actor_id: str) -> str:
    return KIND_BY_SINGULAR["actor"].path(actor_id) + "feed.xml"


def site_feed(timeline: Timeline, tools: ExportTools) -> bytes:
    """The whole site's feed: its latest events."""
    record("order")
    return _feed(timeline, tools.markdown, SITE_FEED, timeline.config.title, "", timeline.events)


def actor_feed(actor_id: str, timeline: Timeline, tools: ExportTools) -> bytes:
    """One actor's feed: its events, including those of its members."""
    record(f"term:actors:{actor_id}")
    term = timeline.taxonomies["actors"].terms[actor_id]
    events = [timeline.events_by_id[entry.event] for entry in term.entries]
    title = f"{term.label} · {timeline.config.title}"
    return _feed(timeline, tools.markdown, actor_feed_path(actor_id), title, KIND_BY_SINGULAR["actor"].path(actor_id), events)


def _feed(timeline: Timeline, markdown: Markdown, path: str, title: str, page: str, events: Sequence[Event]) -> bytes:
    links = SiteLinks.of(timeline)
    latest = sorted(list(reversed(events))[:FEED_LIMIT], key=lambda event: not event.key)  # key events first
    record("config")
    for event in latest:
        record_event_whole(event)
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": timeline.config.language})
    text_element(feed, "id", links.id(path))
    text_element(feed, "title", title)
    text_element(feed, "updated", iso(newest(latest, timeline)))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=links.link(path, path))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=links.link(page, path))
    text_element(ET.SubElement(feed, "author"), "name", timeline.config.title)
    text_element(feed, "generator", "timeline")
    if not latest:
        return xml_bytes(feed)
    # The entries are written as text, each where an empty <entry /> stands in the indented tree:
    # built as elements, they took 0.9 of 26 CPU-s of a cold 10,000-event build.
    ET.SubElement(feed, "entry")
    head, tail = xml_bytes(feed).split(b"<entry />", 1)
    entries = "\n  ".join(_entry(event, timeline, links, path, markdown) for event in latest)
    return head + entries.encode("utf-8") + tail


def _entry(event: Event, timeline: Timeline, links: SiteLinks, feed_path: str, markdown: Markdown) -> str:
    """An entry as the feed holds it, one level in: the text ElementTree writes for it once indented."""
    page = event_path(event)
    lines = [
        "<entry>",
        _element("id", links.id(page)),
        _element("title", event.title),
        _element("updated", iso(event_updated(event, timeline))),
        f'<link rel="alternate" type="text/html" href="{_attribute(links.link(page, feed_path))}" />',
    ]
    for actor_id in event.actors:
        lines += [
            "<contributor>",
            "  " + _element("name", timeline.actors[actor_id].name),
            "  " + _element("uri", links.link(KIND_BY_SINGULAR["actor"].path(actor_id), feed_path)),
            "</contributor>",
        ]
    if event.key:
        lines.append('<category term="key-event" label="Key event" />')
    lines += [f'<category term="{_attribute(tag.slug)}" label="{_attribute(tag.label)}" />' for tag in event.tags]
    lines.append(_element("content", _content_html(event, markdown), ' type="html"'))
    return "\n    ".join(lines) + "\n  </entry>"


def _element(tag: str, text: str, attributes: str = "") -> str:
    """An element holding `text` as ElementTree writes it: less what XML cannot hold, escaped, and empty as <tag />."""
    text = XML_INVALID.sub("", text)
    return f"<{tag}{attributes}>{html.escape(text, quote=False)}</{tag}>" if text else f"<{tag}{attributes} />"


def _attribute(value: str) -> str:
    """An attribute's value as ElementTree writes it between double quotes."""
    return html.escape(value, quote=False).translate(_ATTRIBUTE_REFERENCES)


# Beyond & < >, which `html.escape` replaces. (Not xml.sax.saxutils's escape: importing it imports
# urllib.request, a fifth of the imports of a build that makes one event's entry again.)
_ATTRIBUTE_REFERENCES = str.maketrans({'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"})


def _content_html(event: Event, markdown: Markdown) -> str:
    """The date, place and status (when not `occurred`), then the summary as HTML."""
    facts = [event.date.display(), event.location, "" if event.status == "occurred" else event.status]
    heading = Markup("<p>{}</p>").format(" · ".join(fact for fact in facts if fact))
    return str(heading + markdown.to_html(event.summary))

