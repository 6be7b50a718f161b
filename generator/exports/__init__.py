"""Feeds and data exports: files made from the Timeline without templates.

`planned_exports` lists them for the plan: the Atom feed of the site and of each
actor (`atom`), `events.json` and `events.csv` (`data`), `events.geojson` (`mapdata`), with places
`storymap.json` (`storymap`), `timelinejs.json` (`timelinejs`), `events.ics` (`ical`), `changes.xml`
(`changes`), events' media files under `media/` (`mediafiles`), `robots.txt` and, with a `base_url`,
`sitemap.xml` (`sitemap`). Every one is a pure function of the Timeline (and of
SOURCE_DATE_EPOCH when set): the same content gives the same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

from generator.exports import atom, changes, data, ical, mapdata, mediafiles, sitemap, storymap, timelinejs
from generator.model import Timeline


@dataclass(frozen=True)
class Export:
    path: str
    make: Callable[..., bytes | list[bytes]]  # (timeline, ExportTools) -> the file's bytes, or its parts in order


def planned_exports(timeline: Timeline) -> list[Export]:
    """Every export of the site, in a stable order."""
    exports = [
        Export(atom.SITE_FEED, atom.site_feed),
        *(
            Export(atom.actor_feed_path(actor_id), partial(atom.actor_feed, actor_id))
            for actor_id in timeline.taxonomies["actors"].terms
        ),
        Export("events.json", data.events_json),
        Export("events.csv", data.events_csv),
        Export("events.geojson", mapdata.events_geojson),
        Export("timelinejs.json", timelinejs.timelinejs_json),
        Export("events.ics", ical.events_ics),
        Export("robots.txt", sitemap.robots_txt),
        Export(changes.CHANGES_FEED, changes.changes_feed),  # provenance: the record of changes
        *(Export(path, make) for path, make in mediafiles.media_outputs(timeline)),  # events' images, resized
    ]
    if timeline.places:
        exports.append(Export("storymap.json", storymap.storymap_json))
    if timeline.config.base_url:
        exports.append(Export(sitemap.SITEMAP, sitemap.sitemap_xml))
    return exports
