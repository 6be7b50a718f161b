"""The site's record of changes as an Atom feed: events published, changed and corrected.

The same record as the changes page (`model.change_record`): the dates come from the
git history of the event files and from the events' `corrections`, never the clock.
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from generator.exports.atom import ATOM, FEED_LIMIT
from generator.exports.common import EPOCH, ExportTools, SiteLinks, event_path, iso, text_element, xml_bytes
from generator.model import Change, Timeline, change_record
from generator.plan import CHANGES_PATH

CHANGES_FEED = "changes.xml"
LABELS = {"published": "Published", "changed": "Changed", "corrected": "Corrected"}


def changes_feed(timeline: Timeline, tools: ExportTools) -> bytes:
    """The latest changes, newest first."""
    links = SiteLinks.of(timeline)
    changes = change_record(timeline.events)[:FEED_LIMIT]
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": timeline.config.language})
    text_element(feed, "id", links.id(CHANGES_FEED))
    text_element(feed, "title", f"Changes · {timeline.config.title}")
    text_element(feed, "updated", iso(moment(changes[0].when)) if changes else iso(EPOCH))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=links.link(CHANGES_FEED, CHANGES_FEED))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=links.link(CHANGES_PATH, CHANGES_FEED))
    text_element(ET.SubElement(feed, "author"), "name", timeline.config.title)
    text_element(feed, "generator", "timeline")
    for change in changes:
        feed.append(_entry(change, timeline, links, tools))
    return xml_bytes(feed)


def moment(text: str) -> dt.datetime:
    """An RFC 3339 UTC text of the record as a datetime."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _entry(change: Change, timeline: Timeline, links: SiteLinks, tools: ExportTools) -> ET.Element:
    event = timeline.events_by_id[change.event]
    entry = ET.Element("entry")
    text_element(entry, "id", links.id(f"{CHANGES_PATH}{change.kind}/{change.when}/{event_path(event)}"))
    text_element(entry, "title", f"{LABELS[change.kind]}: {event.title}")
    text_element(entry, "updated", iso(moment(change.when)))
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=links.link(event_path(event), CHANGES_FEED))
    body = change.text if change.kind == "corrected" else event.summary
    text_element(entry, "content", str(tools.markdown.to_html(body)), type="html")
    return entry
