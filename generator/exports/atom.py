"""Atom 1.0 feeds (RFC 4287): the site's latest events, and each actor's.

"Latest" follows the chronology (the feed is its end, reversed), not the order in
which events were written. The actors of an event are its entry's contributors
(they took part in it; they did not write it); the site is the feed's author.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Sequence

from markupsafe import Markup

from generator.exports.common import ExportTools, SiteLinks, event_path, event_updated, iso, newest, text_element, xml_bytes
from generator.model import Event, Timeline
from generator.plan import KIND_BY_SINGULAR
from generator.render import Markdown

ATOM = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 100
SITE_FEED = "feed.xml"


def actor_feed_path(actor_id: str) -> str:
    return KIND_BY_SINGULAR["actor"].path(actor_id) + "feed.xml"


def site_feed(timeline: Timeline, tools: ExportTools) -> bytes:
    """The whole site's feed: its latest events."""
    return _feed(timeline, tools.markdown, SITE_FEED, timeline.config.title, "", timeline.events)


def actor_feed(actor_id: str, timeline: Timeline, tools: ExportTools) -> bytes:
    """One actor's feed: its events, including those of its members."""
    term = timeline.taxonomies["actors"].terms[actor_id]
    events = [timeline.events_by_id[entry.event] for entry in term.entries]
    title = f"{term.label} · {timeline.config.title}"
    return _feed(timeline, tools.markdown, actor_feed_path(actor_id), title, KIND_BY_SINGULAR["actor"].path(actor_id), events)


def _feed(timeline: Timeline, markdown: Markdown, path: str, title: str, page: str, events: Sequence[Event]) -> bytes:
    links = SiteLinks.of(timeline)
    latest = sorted(list(reversed(events))[:FEED_LIMIT], key=lambda event: not event.key)  # key events first
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": timeline.config.language})
    text_element(feed, "id", links.id(path))
    text_element(feed, "title", title)
    text_element(feed, "updated", iso(newest(latest, timeline)))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=links.link(path, path))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=links.link(page, path))
    text_element(ET.SubElement(feed, "author"), "name", timeline.config.title)
    text_element(feed, "generator", "timeline")
    for event in latest:
        feed.append(_entry(event, timeline, links, path, markdown))
    return xml_bytes(feed)


def _entry(event: Event, timeline: Timeline, links: SiteLinks, feed_path: str, markdown: Markdown) -> ET.Element:
    entry = ET.Element("entry")
    text_element(entry, "id", links.id(event_path(event)))
    text_element(entry, "title", event.title)
    text_element(entry, "updated", iso(event_updated(event, timeline)))
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=links.link(event_path(event), feed_path))
    for actor_id in event.actors:
        contributor = ET.SubElement(entry, "contributor")
        text_element(contributor, "name", timeline.actors[actor_id].name)
        text_element(contributor, "uri", links.link(KIND_BY_SINGULAR["actor"].path(actor_id), feed_path))
    if event.key:
        ET.SubElement(entry, "category", term="key-event", label="Key event")
    for tag in event.tags:
        ET.SubElement(entry, "category", term=tag.slug, label=tag.label)
    text_element(entry, "content", _content_html(event, markdown), type="html")
    return entry


def _content_html(event: Event, markdown: Markdown) -> str:
    """The date, place and status (when not `occurred`), then the summary as HTML."""
    facts = [event.date.display(), event.location, "" if event.status == "occurred" else event.status]
    heading = Markup("<p>{}</p>").format(" · ".join(fact for fact in facts if fact))
    return str(heading + markdown.to_html(event.summary))

