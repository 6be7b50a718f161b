"""`storymap.json`: the located events as a story for Knight Lab's StoryMapJS.

StoryMapJS reads `{"storymap": {"slides": [...]}}`: a title slide (`type: overview`,
which shows every point at once), then one slide per event, in the chronology's order,
each with a `location` (`lat`, `lon`, `zoom`, `name`), a `date` (display text) and a
`text` (`headline`, `text`: HTML). Only events with at least one place that can be put
on a map have a slide; the slide is at the first such place, and the text names the
others. The zoom follows how precisely the place is located (a site closer than a
country). Headlines are escaped and texts are the sanitised HTML of the summaries, as
in `timelinejs.json`; links to event pages need a `base_url`. Connecting lines between
slides are off (`line: false`): consecutive events are not a route. A slide's `media`
is the event's first picture, clip or recording: a link as it is, a file of the site
only with a `base_url` (StoryMapJS resolves addresses from the page that embeds it).

StoryMapJS draws its map from a tile server chosen where the story is embedded; this
file names none (`map_type` is left to the embedding page).
"""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from generator import geo, media
from generator.exports.common import ExportTools, SiteLinks, event_path, json_document, to_json
from generator.markup import Markdown
from generator.model import Event, Media, Timeline
from generator.reads import record_all

COORDINATE_DIGITS = 5
# Web-map zoom levels (0: the whole world) for each precision of a place.
ZOOM = {"exact": 12, "near": 10, "city": 9, "region": 6, "country": 4}
ROUGH_ZOOM = 5  # a place put where the place it lies within is


def storymap_json(timeline: Timeline, tools: ExportTools) -> list[bytes]:
    """The StoryMapJS document: an overview slide, then one slide per located event."""
    record_all(("config", "all:events", "timeline:places"))
    links = SiteLinks.of(timeline)
    overview = {
        "type": "overview",
        "text": {
            "headline": str(escape(timeline.config.title)),
            "text": str(tools.markdown.to_html(timeline.config.description)),
        },
    }
    made = tools.each("storymap", timeline.events, lambda event: _slide_json(event, timeline, tools.markdown, links))
    slides = [to_json(overview), *filter(None, made)]
    # StoryMapJS takes a two-letter language code: the primary subtag of the site's BCP 47 tag.
    settings = {"language": timeline.config.language.split("-")[0].lower(), "map_as_image": False, "calculate_zoom": False}
    return [b'{"storymap": ', *json_document(settings, "slides", slides, end=b"}"), b"}\n"]


def _slide_json(event: Event, timeline: Timeline, markdown: Markdown, links: SiteLinks) -> bytes:
    """An event's slide as JSON, or b"" when none of its places can be put on a map."""
    record_all(("config", "timeline:places"))  # a slide holds its place's position and, with a base_url, a link
    slide = _slide(event, timeline, markdown, links)
    return to_json(slide) if slide else b""


def _slide(event: Event, timeline: Timeline, markdown: Markdown, links: SiteLinks) -> dict[str, Any] | None:
    places = timeline.places
    located = [(p, geo.locate(p, places)) for p in event.places]
    located = [(p, found) for p, found in located if found]
    if not located:
        return None
    place_id, (latitude, longitude, rough) = located[0]
    place = places[place_id]
    return {
        "uniqueid": event.id,
        "date": event.date.display(),
        "location": {
            "name": place.name,
            "lat": round(latitude, COORDINATE_DIGITS),
            "lon": round(longitude, COORDINATE_DIGITS),
            "zoom": ROUGH_ZOOM if rough else ZOOM.get(place.precision, ROUGH_ZOOM),
            "line": False,
        },
        "text": {"headline": str(escape(event.title)), "text": _text(event, timeline, markdown, links)},
        **_media(event, markdown, links),
    }


def _media(event: Event, markdown: Markdown, links: SiteLinks) -> dict[str, Any]:
    """`{"media": …}` for the event's first picture, clip or recording that can be addressed, else nothing."""
    for item in event.media:
        url = item.url or _published(item, links)
        if item.kind != "document" and url:
            shown = {"url": url, "credit": str(escape(item.credit)), "caption": str(markdown.to_html(item.caption)) if item.caption else ""}
            return {"media": shown | ({"alt": item.alt} if item.alt else {})}
    return {}


def _published(item: Media, links: SiteLinks) -> str | None:
    """The absolute address of a media file as the site publishes it (an image at its largest width), or None."""
    if not item.file:
        return None
    path = media.resized_path(item.file, media.widths_for(item.width)[-1]) if item.kind == "image" and item.width else media.published_path(item.file)
    return links.absolute(path)


def _text(event: Event, timeline: Timeline, markdown: Markdown, links: SiteLinks) -> str:
    html = markdown.to_html(event.summary)
    if len(event.places) > 1:
        names = Markup(", ").join(timeline.places[p].name for p in event.places)
        html += Markup("<p>Places: {}</p>").format(names)
    url = links.absolute(event_path(event))
    if url:
        html += Markup('<p><a href="{}">More about this event</a></p>').format(url)
    return str(html)
