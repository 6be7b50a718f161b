"""The built pages: each kind has its parts, and no internal link or fragment is broken.

Pages are read with `html.parser` only. The link checker resolves every relative
href/src against the file that holds it (as a browser does from file://), strips the
fragment, and checks that the file exists and, for a fragment, that the id does too.
The helpers here (`build`, `parse`, `broken_links`) are shared by the other page tests.
"""
from __future__ import annotations

import io
import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image

from generator import plan
from generator.build import build_site

from conftest import MINIMAL, REPO, write_files

HTML_DATETIME = re.compile(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?Z)?)?)?")
LINK_ATTRIBUTES = {"href", "src"}


@dataclass
class Page:
    """What the tests look at in one HTML file."""

    path: Path
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)
    tags: Counter = field(default_factory=Counter)
    classes: Counter = field(default_factory=Counter)
    headings: list[tuple[int, str]] = field(default_factory=list)
    datetimes: list[str] = field(default_factory=list)
    scripts: list[tuple[str, str]] = field(default_factory=list)  # (type, text)
    text: str = ""

    @property
    def inline_scripts(self) -> list[tuple[str, str]]:
        """The scripts written in the page (JSON-LD), not those loaded from assets/."""
        return [(kind, text) for kind, text in self.scripts if text.strip()]

    def has_class(self, name: str) -> bool:
        return self.classes[name] > 0

    def links_to(self, fragment: str) -> list[str]:
        return [url for _, url in self.links if fragment in url]


class _Parser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.heading: tuple[int, list[str]] | None = None
        self.script: tuple[str, list[str]] | None = None
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.page.tags[tag] += 1
        self.page.classes.update(values.get("class", "").split())
        if "id" in values:
            self.page.ids.add(values["id"])
        for name in LINK_ATTRIBUTES & values.keys():
            self.page.links.append((tag, values[name]))
        if tag == "time":
            self.page.datetimes.append(values.get("datetime", ""))
        if re.fullmatch(r"h[1-6]", tag):
            self.heading = (int(tag[1]), [])
        if tag == "script":
            self.script = (values.get("type", ""), [])

    def handle_endtag(self, tag: str) -> None:
        if self.heading and tag == f"h{self.heading[0]}":
            self.page.headings.append((self.heading[0], " ".join("".join(self.heading[1]).split())))
            self.heading = None
        if self.script and tag == "script":
            self.page.scripts.append((self.script[0], "".join(self.script[1])))
            self.script = None

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)
        if self.heading:
            self.heading[1].append(data)
        if self.script:
            self.script[1].append(data)


def parse(path: Path) -> Page:
    page = Page(path)
    parser = _Parser(page)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    page.text = " ".join(" ".join(parser.chunks).split())
    return page


def build(site: Path, output: Path, **overrides: str) -> Path:
    """Build `site` into `output` (site.yml keys may be overridden); the output folder."""
    result = build_site(site, overrides={"output": str(output), **overrides})
    assert result.written is not None, [str(d) for d in result.report.diagnostics]
    return result.written.output


def html_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def resolve(output: Path, page: Path, url: str, base_url: str = "") -> tuple[Path, str] | None:
    """The file and fragment an internal link points at; None for an external one."""
    if base_url and url.startswith(base_url):
        url = "/" + url[len(base_url):]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page, parts.fragment
    target = output / unquote(parts.path).lstrip("/") if parts.path.startswith("/") else page.parent / unquote(parts.path)
    if parts.path.endswith("/"):
        target = target / "index.html"
    return target.resolve(), parts.fragment


def broken_links(output: Path, base_url: str = "") -> tuple[list[str], int]:
    """Every internal link whose file or fragment is missing, and how many links were checked."""
    pages = {path.resolve(): parse(path) for path in html_files(output)}
    broken, checked = [], 0
    for path, page in pages.items():
        for _, url in page.links:
            target = resolve(output, path, url, base_url)
            if target is None:
                continue
            checked += 1
            file, fragment = target
            if not file.is_file() or not file.is_relative_to(output.resolve()):
                broken.append(f"{path.relative_to(output.resolve())}: {url} (no file)")
            elif fragment and file in pages and fragment not in pages[file].ids:
                broken.append(f"{path.relative_to(output.resolve())}: {url} (no id {fragment})")
    return broken, checked


def heading_skips(page: Page) -> list[str]:
    """Headings that go down more than one level at once (h2 then h4)."""
    skips, previous = [], 0
    for level, text in page.headings:
        if level > previous + 1:
            skips.append(f"h{level} {text!r} after h{previous}")
        previous = level
    return skips


# --- fixtures ---------------------------------------------------------------------

def sample_jpeg(width: int, height: int) -> bytes:
    """A JPEG picture of two colours, with an EXIF note that the published copies must not keep."""
    image = Image.new("RGB", (width, height), (40, 90, 160))
    image.paste((220, 180, 60), (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[0x010E] = "secret note of the camera"  # ImageDescription
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


RICH_EVENTS = {
    "content/events/talks.yml": """\
        title: Paris proposes talks on a settlement
        date: '2017-05~'
        status: planned
        actors: [france]
        tags: [Diplomacy]
        summary: |
          France proposes talks.

          A second paragraph that cards leave out.
        sources: [{source: afp-red-line, note: mentioned in passing}]
        related: [red-line]
        """,
    "content/events/strikes.yml": """\
        title: Strikes on research centres
        date: '2018-04-14?'
        status: disputed
        location: Damascus, Syria
        actors: [france]
        summary: Strikes are reported.
        sources: [afp-red-line]
        """,
    "content/events/long-war.yml": """\
        title: A long campaign
        date: 2016-12/2018-01
        actors: [france]
        summary: A campaign runs for more than a year.
        sources: [afp-red-line]
        """,
    "content/events/year-only.yml": """\
        title: Something in 2016
        date: 2016
        actors: [emmanuel-macron]
        summary: Dated to the year.
        sources: [afp-red-line]
        """,
    "content/events/at-night.yml": """\
        title: A statement at night
        date: '2018-04-14T03:00+02:00'
        actors: [emmanuel-macron, france]
        summary: Said at three in the morning.
        sources: [afp-red-line]
        """,
    "content/events/with-media.yml": """\
        title: Pictures and recordings of the talks
        date: 2017-05-30
        actors: [emmanuel-macron]
        summary: The talks as they were seen and heard.
        sources: [afp-red-line]
        media:
          - file: photos/table.jpg
            alt: A long table with chairs on both sides
            credit: Test photographer
            caption: The *table* before the talks.
          - file: docs/statement.pdf
            credit: Ministry of Foreign Affairs
          - url: https://www.youtube.com/watch?v=abcdefghijk
            credit: A broadcaster
            caption: The opening statements.
          - url: https://example.org/archive/speech.mp3
            credit: A radio
          - url: https://example.org/report
            kind: document
            credit: A think tank
        """,
    "content/media/photos/table.jpg": sample_jpeg(1200, 800),
    "content/media/docs/statement.pdf": b"%PDF-1.4\n% a document for the tests\n",
    "content/sources/afp-red-line.yml": """\
        title: Macron draws a red line
        publisher: Agence France-Presse
        published: 2017-05-29
        url: https://example.org/afp
        date_note: the wire gives the day only
        """,
}


def rich_site(folder: Path) -> Path:
    """A copy of the minimal site with the events of RICH_EVENTS added."""
    write_files(folder, {p.relative_to(MINIMAL).as_posix(): p.read_text() for p in MINIMAL.rglob("*.yml")})
    return write_files(folder, RICH_EVENTS)


@pytest.fixture(scope="module")
def minimal_out(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("minimal") / "site"
    shutil.copytree(MINIMAL, site)  # a build keeps its cache in the site's folder: never the repository's
    return build(site, site / "out")


@pytest.fixture(scope="module")
def rich_out(tmp_path_factory) -> Path:
    """The minimal site with events of every kind of date and status, and a base_url."""
    site = rich_site(tmp_path_factory.mktemp("rich") / "site")
    return build(site, site.parent / "out", base_url="https://example.org/syria/")


def has_default_content() -> bool:
    """Whether the default site at the repository's root has events yet."""
    return any((REPO / "content" / "events").rglob("*.yml"))


@pytest.fixture(scope="module")
def default_out(tmp_path_factory) -> Path:
    if not has_default_content():
        pytest.skip("the default site has no events in content/events yet")
    return build(REPO, tmp_path_factory.mktemp("default") / "out")


# --- every kind of page, with its parts --------------------------------------------


def test_home_has_counts_chart_years_and_the_chronology_by_year_and_month(minimal_out: Path):
    home = parse(minimal_out / "index.html")
    assert (1, "Minimal test site") in home.headings
    assert "Events 1" in home.text and "Actors 2" in home.text and "Sources 1" in home.text and "Span 29 May 2017" in home.text
    assert home.classes["tv-svg"] == 2 and home.classes["chart-svg"] == 1 and home.links_to("2017/index.html#month-2017-05")
    assert "May 2017: 1 event" in home.text  # the bar's accessible title
    assert (2, "2017") in home.headings and (3, "May 2017") in home.headings
    assert home.classes["card"] == 1
    assert home.links_to("events/red-line/index.html") and home.links_to("actors/emmanuel-macron/index.html")
    assert home.links_to("tags/chemical-weapons/index.html") and "1 source" in home.text


def test_event_page_has_date_quotes_sources_citation_and_json_ld(minimal_out: Path):
    page = parse(minimal_out / "events/red-line/index.html")
    assert page.headings[0] == (1, "Macron draws a red line on chemical weapons")
    assert "2017-05-29" in page.datetimes
    assert page.tags["blockquote"] == 1 and page.tags["cite"] >= 1 and "a very clear red line" in page.text
    assert "Agence France-Presse" in page.text and ("a", "https://example.org/afp") in page.links
    assert page.tags["pre"] == 1 and "Minimal test site. “Macron draws a red line on chemical weapons”, 29 May 2017." in page.text
    [(kind, text)] = page.inline_scripts
    data = json.loads(text)
    assert kind == "application/ld+json" and data["@type"] == "Event" and data["startDate"] == "2017-05-29"


def test_actor_pages_show_members_via_activity_and_quotes(minimal_out: Path):
    france = parse(minimal_out / "actors/france/index.html")
    assert france.headings[0] == (1, "France") and "State" in france.text
    assert "Members Emmanuel Macron" in france.text and "via Emmanuel Macron" in france.text
    assert france.classes["tv-svg"] == 1 and france.classes["via"] >= 1
    macron = parse(minimal_out / "actors/emmanuel-macron/index.html")
    assert "Affiliated with France" in macron.text and "a very clear red line" in macron.text
    index = parse(minimal_out / "actors/index.html")
    assert (2, "People") in index.headings and (2, "States") in index.headings
    assert index.classes["lane"] == 2 and "1 event" in index.text


def test_tag_year_and_source_pages_and_their_indexes(minimal_out: Path):
    tag = parse(minimal_out / "tags/chemical-weapons/index.html")
    assert tag.headings[0] == (1, "Chemical weapons") and tag.classes["card"] == 1
    assert parse(minimal_out / "tags/index.html").links_to("chemical-weapons/index.html")
    year = parse(minimal_out / "2017/index.html")
    assert year.headings[0] == (1, "2017") and "month-2017-05" in year.ids
    source = parse(minimal_out / "sources/afp-red-line/index.html")
    assert source.headings[0] == (1, "Macron draws a red line")
    assert "Agence France-Presse" in source.text and "2017-05-29" in source.datetimes and source.classes["card"] == 1
    assert "Agence France-Presse" in parse(minimal_out / "sources/index.html").text


def test_not_found_page_links_from_the_root(minimal_out: Path):
    page = parse(minimal_out / "404.html")
    assert page.headings[0] == (1, "Page not found")
    assert ("link", "/assets/style.css") in page.links and ("a", "/index.html") in page.links


def test_dates_show_precision_uncertainty_and_intervals(rich_out: Path):
    home = parse(rich_out / "index.html")
    for shown in ("c. May 2017", "14 April 2018 (uncertain)", "December 2016 – January 2018", "14 April 2018, 03:00 UTC+02:00"):
        assert shown in home.text
    assert home.classes["is-approximate"] and home.classes["is-uncertain"] and home.classes["is-interval"]
    assert (3, "Dated to 2016 only") in home.headings
    assert "France proposes talks." in home.text and "A second paragraph" not in home.text


def test_status_location_notes_related_and_neighbours_on_event_pages(rich_out: Path):
    talks = parse(rich_out / "events/talks/index.html")
    assert "Planned" in talks.text and talks.has_class("badge-planned") and "mentioned in passing" in talks.text
    assert talks.links_to("../../events/red-line/index.html") and "Earlier" in talks.text and "Later" in talks.text
    assert "the wire gives the day only" not in talks.text  # a source's own note belongs to its page
    strikes = parse(rich_out / "events/strikes/index.html")
    assert "Disputed" in strikes.text and "Damascus, Syria" in strikes.text
    red_line = parse(rich_out / "events/red-line/index.html")
    assert red_line.links_to("../../events/talks/index.html")  # related either way round
    assert "https://example.org/syria/events/red-line/" in red_line.text
    assert json.loads(red_line.inline_scripts[0][1])["url"] == "https://example.org/syria/events/red-line/"
    assert "the wire gives the day only" in parse(rich_out / "sources/afp-red-line/index.html").text


def test_year_pages_group_by_month_and_link_their_neighbours(rich_out: Path):
    y2017 = parse(rich_out / "2017/index.html")
    assert [h for h in y2017.headings if h[0] == 3] == [(3, "Begun before 2017"), (3, "May 2017")]
    assert y2017.links_to("../2016/index.html") and y2017.links_to("../2018/index.html")
    assert "year-2016-only" in parse(rich_out / "2016/index.html").ids


def test_long_lists_are_paginated_with_page_numbers(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(plan, "PER_PAGE", 2)
    out = build(rich_site(tmp_path / "site"), tmp_path / "out")
    first, second = parse(out / "actors/france/index.html"), parse(out / "actors/france/page/2/index.html")
    assert "Page 1 of 4" in first.text and first.links_to("../../actors/france/page/2/index.html")
    assert "Page 2 of 4" in second.text
    # what covers the whole list (quotes) is shown once, on the first page, not on every page
    pages = sorted((out / "actors/emmanuel-macron").rglob("index.html"))
    assert len(pages) > 1
    assert ['id="quotes-heading"' in p.read_text() for p in pages] == [True] + [False] * (len(pages) - 1)
    assert second.links_to("../../../../actors/france/index.html") and second.links_to("../../../../actors/france/page/3/index.html")
    assert broken_links(out)[0] == []


def test_time_elements_hold_valid_html_datetimes(rich_out: Path):
    values = [value for path in html_files(rich_out) for value in parse(path).datetimes]
    assert values and [v for v in values if not HTML_DATETIME.fullmatch(v)] == []


def test_headings_never_skip_a_level(rich_out: Path):
    assert {str(p.relative_to(rich_out)): heading_skips(parse(p)) for p in html_files(rich_out) if heading_skips(parse(p))} == {}


def test_canonical_links_and_not_found_page_use_the_base_url(rich_out: Path):
    assert ("link", "https://example.org/syria/actors/france/") in parse(rich_out / "actors/france/index.html").links
    assert ("a", "https://example.org/syria/index.html") in parse(rich_out / "404.html").links


# --- links -------------------------------------------------------------------------


def test_no_broken_internal_link_in_the_minimal_site(minimal_out: Path):
    broken, checked = broken_links(minimal_out)
    assert broken == [] and checked > 50


def test_no_broken_internal_link_in_the_rich_site(rich_out: Path):
    broken, checked = broken_links(rich_out, "https://example.org/syria/")
    assert broken == [] and checked > 100


def test_the_link_checker_finds_a_broken_link_and_fragment(tmp_path: Path):
    write_files(tmp_path, {"index.html": '<a href="a/index.html">x</a><a href="b.html#nowhere">y</a><a href="#top">z</a><p id="top">',
                           "b.html": "<p id='here'>"})
    broken, checked = broken_links(tmp_path)
    assert checked == 3 and broken == ["index.html: a/index.html (no file)", "index.html: b.html#nowhere (no id nowhere)"]


def test_default_site_has_every_page_and_no_broken_link(default_out: Path):
    for page in ("index.html", "actors/index.html", "tags/index.html", "sources/index.html", "404.html"):
        assert (default_out / page).is_file(), page
    assert list(default_out.glob("events/*/index.html")) and list(default_out.glob("20[0-9][0-9]/index.html"))
    broken, checked = broken_links(default_out)
    assert broken == [] and checked > 1000
    skips = {str(p.relative_to(default_out)): heading_skips(parse(p)) for p in html_files(default_out) if heading_skips(parse(p))}
    assert skips == {}


def test_every_page_has_share_tags_and_the_embed_page_holds_the_view_and_the_list(minimal_out: Path):
    for path in html_files(minimal_out):
        text = path.read_text()
        if path.name == "index.html" and "embed" not in path.relative_to(minimal_out).parts:  # embed pages live in other pages
            assert '<meta property="og:title" content="' in text and '<meta name="twitter:card" content="summary">' in text, path
    event = (minimal_out / "events/red-line/index.html").read_text()
    assert '<meta property="og:type" content="article">' in event and 'og:description" content="29 May 2017.' in event
    embed = parse(minimal_out / "embed/index.html")
    assert embed.classes["tv-svg"] == 1 and embed.classes["card"] == 1 and embed.tags["base"] == 1
    assert "embed/index.html" in (minimal_out / "index.html").read_text()  # the snippet to copy
