"""`sitemap.xml` (sitemaps.org 0.9, only with a `base_url`) and `robots.txt`.

The sitemap lists every HTML page the plan makes, by its absolute URL, in the
order of their paths (not the plan's, which follows the events' dates: moving one
would make the sitemap again), except the 404 page. The plan is asked for its
pages only when the sitemap is made, after `plan_site` has returned, so the two
never call each other in a loop. Crawlers read robots.txt only at a host's root:
from a sub-path it is harmless, and copied to the root it points them at the sitemap.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.exports.common import ExportTools, SiteLinks, text_element, xml_bytes
from generator.model import Timeline
from generator.reads import record_all

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP = "sitemap.xml"
NOT_LISTED = frozenset({"404.html"})


def sitemap_xml(timeline: Timeline, tools: ExportTools) -> bytes:
    """The absolute URL of every page; the site must have a base_url."""
    record_all(("config", "pages"))
    links = SiteLinks.of(timeline)
    if not links.base_url:
        raise ValueError("a sitemap needs the site's base_url")
    urlset = ET.Element("urlset", xmlns=SITEMAP_NS)
    for path in sorted(p for p in tools.page_paths if p not in NOT_LISTED):
        text_element(ET.SubElement(urlset, "url"), "loc", links.base_url + path)
    return xml_bytes(urlset)


def robots_txt(timeline: Timeline, tools: ExportTools) -> bytes:
    """Allow every crawler everything; point at the sitemap when there is one."""
    record_all(("config",))
    lines = ["User-agent: *", "Allow: /"]
    sitemap = SiteLinks.of(timeline).absolute(SITEMAP)
    if sitemap:
        lines.append(f"Sitemap: {sitemap}")
    return ("\n".join(lines) + "\n").encode("utf-8")
