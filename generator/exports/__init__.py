"""Feeds and data exports: files made from the Timeline without templates.

`planned_exports` lists them for the plan: the Atom feed of the site and of each
actor (`atom`), `events.json` and `events.csv` (`data`), `timelinejs.json`
(`timelinejs`), `events.ics` (`ical`), `changes.xml` (`changes`), `robots.txt` and, with a `base_url`,
`sitemap.xml` (`sitemap`). Every one is a pure function of the Timeline (and of
SOURCE_DATE_EPOCH when set): the same content gives the same bytes.
"""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.model import Timeline
    from generator.plan import Export


def planned_exports(timeline: "Timeline") -> list["Export"]:
    """Every export of the site, in a stable order."""
    # Imported here, not above: generator.plan imports this package while it loads,
    # and these modules need generator.plan (and generator.render) fully loaded.
    from generator.exports import atom, changes, data, ical, sitemap, timelinejs
    from generator.plan import Export

    exports = [
        Export(atom.SITE_FEED, atom.site_feed),
        *(
            Export(atom.actor_feed_path(actor_id), partial(atom.actor_feed, actor_id), depends=tuple(e.event for e in term.entries))
            for actor_id, term in timeline.taxonomies["actors"].terms.items()
        ),
        Export("events.json", data.events_json),
        Export("events.csv", data.events_csv),
        Export("timelinejs.json", timelinejs.timelinejs_json),
        Export("events.ics", ical.events_ics),
        Export("robots.txt", sitemap.robots_txt),
        Export(changes.CHANGES_FEED, changes.changes_feed),  # provenance: the record of changes
    ]
    if timeline.config.base_url:
        exports.append(Export(sitemap.SITEMAP, sitemap.sitemap_xml))
    return exports
