"""What every export shares: the site's URLs and ids, timestamps derived from content.

Links are absolute when the site has a `base_url` and relative otherwise, like the
pages themselves. Feeds and calendars also need ids that never change; without a
`base_url` they are `tag:` URIs (RFC 4151) under the fixed authority `timeline,2000`
and the site's title as a slug, e.g. `tag:timeline,2000:france-and-syria/events/x/`.
Changing the title therefore changes those ids: set `base_url` for lasting ones.

No timestamp comes from the clock: an event is "updated" when the last commit changed
its file (from git), else at the end of its own date, and a whole file's timestamp is
the newest of its events' unless SOURCE_DATE_EPOCH is set. Sources' publication dates
play no part: a 2008 event citing a page of 2024 is not the newest entry of a feed.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import xml.etree.ElementTree as ET
from operator import attrgetter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import nh3

from generator.dates import UTC
from generator import urls
from generator.markup import Markdown
from generator.model import Event, Timeline
from generator.record import Pieces
from generator.reads import pieces, record_event_whole
from generator.urls import output_path, page_root
from generator.schema import slugify

TAG_AUTHORITY = "tag:timeline,2000:"
DEFAULT_HOST = "timeline"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|li|h[1-6]|blockquote|pre|tr)>", re.IGNORECASE)


@dataclass(frozen=True)
class ExportTools:
    """What exports share with the pages of the same build."""

    markdown: Markdown  # one converter, so each summary is converted once per build
    page_paths: tuple[str, ...] = ()  # every page's site path, in the plan's order
    # Pieces of exports, a group by kind, by event id: the piece and the keys it read.
    # A build seeds them with the pieces of earlier builds whose reads did not change.
    pieces: Pieces = field(default_factory=Pieces)
    site_root: Path | None = None  # where media files are read from (a build sets it)

    def each(self, kind: str, events: Iterable[Event], make: Callable[[Event], Any]) -> list[Any]:
        """A piece of an export for each event, in order, made only when not made before; its reads are recorded either way.

        `kind` is the export's own group: no other output pastes its pieces, so once they are
        all here the group is stored for the next build (`Pieces.flush`) and not kept in memory.
        """
        def made(event: Event) -> Any:
            record_event_whole(event)
            return make(event)

        found = pieces(self.pieces.group(kind), events, attrgetter("id"), made)
        self.pieces.flush(kind)
        return found


@dataclass(frozen=True)
class SiteLinks:
    """How the exports of one site name its pages and files."""

    base_url: str  # with a trailing "/", or "" when the site has none
    tag_prefix: str

    @classmethod
    def of(cls, timeline: Timeline) -> SiteLinks:
        base = timeline.config.base_url
        if base and not base.endswith("/"):
            base += "/"
        slug = slugify(timeline.config.title) or "site"
        return cls(base, f"{TAG_AUTHORITY}{slug}/")

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or DEFAULT_HOST

    def absolute(self, path: str) -> str | None:
        """The absolute URL of a site path ("events/x/", "feed.xml"), if the site has a base_url."""
        return self.base_url + path if self.base_url else None

    def link(self, path: str, from_file: str = "") -> str:
        """A link to `path`: absolute when possible, else relative to the file `from_file`."""
        return self.absolute(path) or page_root(from_file, "") + output_path(path)

    def id(self, path: str) -> str:
        """A lasting, absolute identifier for the thing at `path`."""
        return self.absolute(path) or self.tag_prefix + path


def event_path(event: Event) -> str:
    return urls.event_path(event.id)


def iso(moment: dt.datetime) -> str:
    """An instant as RFC 3339 / ISO 8601 text in UTC: 2017-05-29T23:59:59Z."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def event_updated(event: Event, timeline: Timeline) -> dt.datetime:
    """The event's timestamp in feeds and calendars: when its file last changed (from git), else the last instant of its own date."""
    if event.history:
        return dt.datetime.fromisoformat(event.history.updated.replace("Z", "+00:00"))
    return event.date.latest


def local_iso(moment: dt.datetime) -> str:
    """An instant as RFC 3339 text on the site's clock (`moment`'s zone): 2017-05-29T00:00:00+02:00, or …Z in UTC."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def newest(events: Iterable[Event], timeline: Timeline) -> dt.datetime:
    """The timestamp of a file made of `events`: SOURCE_DATE_EPOCH, else the newest update."""
    return source_date_epoch() or max((event_updated(e, timeline) for e in events), default=EPOCH)


def source_date_epoch() -> dt.datetime | None:
    """The reproducible-builds timestamp, if the environment sets one."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}")
    return dt.datetime.fromtimestamp(int(value), UTC)


def plain_text(markdown: Markdown, text: str) -> str:
    """Markdown as plain text: its sanitised HTML without tags, a blank line between blocks."""
    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n\n", str(markdown.to_html(text)))
    stripped = html.unescape(nh3.clean(marked, tags=set()))
    return re.sub(r"\n\s*\n\s*", "\n\n", stripped).strip()


def json_document(document: dict[str, Any], pieces_key: str, pieces: Iterable[bytes], end: bytes = b"}\n") -> list[bytes]:
    """`document` as UTF-8 JSON, keys sorted, with `pieces_key` holding a list of JSON pieces,
    as the parts of its file (`generator.write.Content`), the last one `end`.

    The same bytes as `json.dumps(…, sort_keys=True, ensure_ascii=False)` of the whole,
    but each item of the list may be a piece made (and kept) before: see `to_json`.
    """
    values = {**document, pieces_key: None}
    parts: list[bytes] = []
    for key in sorted(values):
        parts += [b", " if parts else b"{", json.dumps(key).encode(), b": "]
        if key == pieces_key:
            items = list(pieces)
            listed = [b", "] * max(0, 2 * len(items) - 1)
            listed[::2] = items  # each piece, a separator between two
            parts += [b"[", *listed, b"]"]
        else:
            parts.append(to_json(values[key]))
    parts.append(end)
    return parts


def to_json(value: Any) -> bytes:
    """A value as a piece of `json_document`."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")


def xml_bytes(root: ET.Element) -> bytes:
    """An XML document, indented, in UTF-8 with its declaration."""
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def text_element(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    """A child element holding `text`, less any character XML cannot hold."""
    element = ET.SubElement(parent, tag, attributes)
    element.text = XML_INVALID.sub("", text)
    return element
