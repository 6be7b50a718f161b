"""Feeds and data exports, read back with the parsers their consumers use."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import icalendar
import pytest

from generator.exports.common import ExportTools
from generator.plan import plan_site
from generator.render import Markdown
import yaml

from generator import exports
from generator.exports import ical
from generator.exports.common import plain_text
from generator.exports.data import defuse_formula
from generator.pipeline import check_site
from generator.render import Markdown

from conftest import REPO, write_files

UTC = dt.timezone.utc
BASE = "https://example.org/syria/"
EPOCH = 1700000000  # 2023-11-14T22:13:20Z
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# name: (date as written, extra fields); red-line (2017-05-29, a day) comes with the site.
EVENTS = {
    "year": ("2016", {}),
    "month": ("2018-02~", {"status": "planned", "location": "Paris, France", "tags": ["Diplomacy", "Red line"]}),
    "span": ("2018-05-24/2018-05-25", {"actors": ["france"]}),
    "moment": ("2018-04-14T03:00+02:00", {"title": "Strikes <b>& more</b>", "status": "disputed"}),
    "hours": ("2018-04-14T03:00Z/2018-04-14T05:30Z", {}),
    "formula": ("2018-06", {"title": "=HYPERLINK(\"http://evil\")", "location": "+33 Paris"}),
}


def add_event(site: Path, name: str, date: str, **fields) -> None:
    event = {"title": f"Event {name}", "date": date, "actors": ["emmanuel-macron"], "summary": f"Summary of *{name}*.", "sources": ["afp-red-line"], **fields}
    write_files(site, {f"content/events/{name}.yml": yaml.safe_dump(event, allow_unicode=True)})


def set_base_url(site: Path) -> None:
    with (site / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write(f"base_url: {BASE}\n")


def made(site: Path) -> dict[str, bytes]:
    """Every export of the site, by path."""
    report = check_site(site)
    assert report.timeline is not None, report.diagnostics
    return export_all(report.timeline, site)


def export_all(timeline, site_root: Path = REPO) -> dict[str, bytes]:
    pages, planned = plan_site(timeline)
    tools = ExportTools(Markdown(), tuple(page.path for page in pages), site_root=site_root)
    from generator.write import joined

    return {export.path: joined(export.make(timeline, tools)) for export in planned}


@pytest.fixture
def site(minimal_site: Path) -> Path:
    for name, (date, fields) in EVENTS.items():
        add_event(minimal_site, name, date, **fields)
    return minimal_site


@pytest.fixture
def files(site: Path) -> dict[str, bytes]:
    return made(site)


@pytest.fixture
def files_with_base(site: Path) -> dict[str, bytes]:
    set_base_url(site)
    return made(site)


ORDER = ["year", "red-line", "month", "moment", "hours", "span", "formula"]


def title(name: str) -> str:
    if name == "red-line":
        return "Macron draws a red line on chemical weapons"
    return EVENTS[name][1].get("title", f"Event {name}")


def test_planned_exports_without_and_with_base_url(files, files_with_base):
    expected = {"feed.xml", "actors/emmanuel-macron/feed.xml", "actors/france/feed.xml", "events.json",
                "events.csv", "events.geojson", "timelinejs.json", "events.ics", "robots.txt", "changes.xml"}
    assert set(files) == expected
    assert set(files_with_base) == expected | {"sitemap.xml"}


# --- Atom ---------------------------------------------------------------------------


def test_site_feed_is_valid_atom_newest_first(files):
    feed = feedparser.parse(files["feed.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == [title(name) for name in reversed(ORDER)]
    assert [entry.link for entry in feed.entries] == [f"events/{name}/index.html" for name in reversed(ORDER)]
    assert feed.entries[0].id == "tag:timeline,2000:minimal-test-site/events/formula/"
    assert feed.feed.id == "tag:timeline,2000:minimal-test-site/feed.xml"


def test_feed_entry_content_categories_and_contributors(files):
    entries = {entry.link: entry for entry in feedparser.parse(files["feed.xml"]).entries}
    month = entries["events/month/index.html"]
    assert [tag.term for tag in month.tags] == ["diplomacy", "red-line"]
    assert [tag.label for tag in month.tags] == ["Diplomacy", "Red line"]
    assert [c.name for c in month.contributors] == ["Emmanuel Macron"]
    assert "<em>month</em>" in month.content[0].value
    assert "c. February 2018 · Paris, France · planned" in month.content[0].value
    assert entries["events/moment/index.html"].title == "Strikes <b>& more</b>"


def test_actor_feed_includes_members_events_with_links_from_its_folder(files):
    feed = feedparser.parse(files["actors/france/feed.xml"])
    assert not feed.bozo
    assert [entry.link for entry in feed.entries] == [f"../../events/{name}/index.html" for name in reversed(ORDER)]
    assert feed.feed.title == "France · Minimal test site"
    macron = feedparser.parse(files["actors/emmanuel-macron/feed.xml"])
    assert "events/span/index.html" not in {entry.link for entry in macron.entries}


def test_feed_with_base_url_uses_absolute_links_and_ids(files_with_base):
    feed = feedparser.parse(files_with_base["feed.xml"])
    assert not feed.bozo
    assert feed.feed.id == BASE + "feed.xml"
    assert feed.entries[-1].link == feed.entries[-1].id == BASE + "events/year/"
    assert {link.href for link in feed.feed.links} == {BASE + "feed.xml", BASE}


ENDS = {  # the last instant of each event's own date
    "year": "2016-12-31T23:59:59Z", "red-line": "2017-05-29T23:59:59Z", "month": "2018-02-28T23:59:59Z",
    "moment": "2018-04-14T01:00:59Z", "hours": "2018-04-14T05:30:59Z", "span": "2018-05-25T23:59:59Z",
    "formula": "2018-06-30T23:59:59Z",
}


def test_feed_updated_comes_from_content_or_source_date_epoch(site, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    feed = feedparser.parse(made(site)["feed.xml"])
    assert feed.feed.updated == "2018-06-30T23:59:59Z"  # the end of the latest event's date
    assert {entry.link: entry.updated for entry in feed.entries} == {f"events/{name}/index.html": end for name, end in ENDS.items()}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    feed = feedparser.parse(made(site)["feed.xml"])
    assert feed.feed.updated == "2023-11-14T22:13:20Z"
    assert feed.entries[0].updated == "2018-06-30T23:59:59Z"


def test_feed_updated_never_comes_from_sources_publication(minimal_site, monkeypatch):
    """A 2008 event citing a page of 2024 is not the newest entry: sources' dates play no part."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    write_files(minimal_site, {"content/sources/retrospective.yml": "title: Looking back\npublished: 2024-03-01\n"})
    add_event(minimal_site, "old", "2008-06-10", sources=["retrospective"])
    add_event(minimal_site, "recent", "2019-01-05")
    feed = feedparser.parse(made(minimal_site)["feed.xml"])
    updated = {entry.link: entry.updated for entry in feed.entries}
    assert updated["events/old/index.html"] == "2008-06-10T23:59:59Z"
    assert feed.feed.updated == updated["events/recent/index.html"] == "2019-01-05T23:59:59Z"
    assert vevents(made(minimal_site)["events.ics"])["old@timeline"]["dtstamp"].dt == dt.datetime(2008, 6, 10, 23, 59, 59, tzinfo=UTC)


def test_event_without_dated_source_is_updated_at_the_end_of_its_date(minimal_site):
    write_files(minimal_site, {"content/sources/undated.yml": "title: Undated\n"})
    add_event(minimal_site, "late", "2019-03", sources=["undated"])
    entry = feedparser.parse(made(minimal_site)["feed.xml"]).entries[0]
    assert (entry.link, entry.updated) == ("events/late/index.html", "2019-03-31T23:59:59Z")


def test_feed_keeps_the_latest_hundred(minimal_site):
    for day in range(1, 102):
        add_event(minimal_site, f"e{day:03d}", (dt.date(2019, 1, 1) + dt.timedelta(days=day)).isoformat())
    feed = feedparser.parse(made(minimal_site)["feed.xml"])
    assert len(feed.entries) == 100
    assert feed.entries[0].link == "events/e101/index.html"
    assert feed.entries[-1].link == "events/e002/index.html"


# --- iCalendar ----------------------------------------------------------------------


def vevents(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def span(event: icalendar.Event) -> tuple:
    end = event.get("dtend")
    return event["dtstart"].dt, end.dt if end is not None else None


def test_ics_has_one_vevent_per_event_with_stable_uids(files):
    events = vevents(files["events.ics"])
    assert sorted(events) == sorted(f"{name}@timeline" for name in ORDER)
    assert files["events.ics"].startswith(b"BEGIN:VCALENDAR\r\n")


def test_ics_all_day_spans_for_days_months_years_and_intervals(files):
    events = vevents(files["events.ics"])
    assert span(events["red-line@timeline"]) == (dt.date(2017, 5, 29), dt.date(2017, 5, 30))
    # a year or a month is not a year-long or month-long entry: one all-day event on its first day
    assert span(events["month@timeline"]) == (dt.date(2018, 2, 1), dt.date(2018, 2, 2))
    assert span(events["year@timeline"]) == (dt.date(2016, 1, 1), dt.date(2016, 1, 2))
    assert span(events["span@timeline"]) == (dt.date(2018, 5, 24), dt.date(2018, 5, 26))


def test_ics_moments_are_utc_date_times(files):
    events = vevents(files["events.ics"])
    assert span(events["moment@timeline"]) == (dt.datetime(2018, 4, 14, 1, 0, tzinfo=UTC), None)
    assert span(events["hours@timeline"]) == (dt.datetime(2018, 4, 14, 3, 0, tzinfo=UTC), dt.datetime(2018, 4, 14, 5, 30, tzinfo=UTC))
    assert b"DTSTART:20180414T010000Z" in files["events.ics"]


def test_ics_properties(files, files_with_base):
    month = vevents(files["events.ics"])["month@timeline"]
    assert str(month["summary"]) == "Event month (c. February 2018, day not known)"
    assert str(month["x-timeline-edtf"]) == "2018-02~"
    assert str(vevents(files["events.ics"])["red-line@timeline"]["summary"]) == "Macron draws a red line on chemical weapons"
    assert "x-timeline-edtf" not in vevents(files["events.ics"])["span@timeline"]
    assert str(month["description"]) == "Summary of month."
    assert str(month["location"]) == "Paris, France"
    assert str(month["status"]) == "TENTATIVE"
    assert [str(c) for c in month["categories"].cats] == ["Diplomacy", "Red line"]
    assert "url" not in month
    assert str(vevents(files["events.ics"])["moment@timeline"]["status"]) == "TENTATIVE"
    assert str(vevents(files["events.ics"])["red-line@timeline"]["status"]) == "CONFIRMED"
    with_base = vevents(files_with_base["events.ics"])["month@example.org"]
    assert str(with_base["url"]) == BASE + "events/month/"


def test_ics_dtstamp_from_content_or_source_date_epoch(site, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert vevents(made(site)["events.ics"])["year@timeline"]["dtstamp"].dt == dt.datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert vevents(made(site)["events.ics"])["year@timeline"]["dtstamp"].dt == dt.datetime.fromtimestamp(EPOCH, UTC)


AWKWARD_TITLE = "Talks, again; in Genève \\ Москва, 東京 and Zürich 🇫🇷 — " + "a very long title " * 5
AWKWARD_SUMMARY = "First line; with a comma, a backslash \\ and \\N.\n\nSecond paragraph: " + "ça déborde, " * 20


def test_ics_text_with_commas_semicolons_line_breaks_and_long_multibyte_lines_reads_back(site):
    add_event(site, "awkward", "2018-03-01", title=AWKWARD_TITLE.strip(), summary=AWKWARD_SUMMARY,
              location="Genève; Palais des Nations, salle XX", tags=["Talks, round two", "Red line", "Déjà vu; again"])
    data = made(site)["events.ics"]
    event = vevents(data)["awkward@timeline"]
    assert str(event["summary"]) == AWKWARD_TITLE.strip()
    assert str(event["description"]) == plain_text(Markdown(), AWKWARD_SUMMARY)
    assert "\\N" in str(event["description"]) and "\n\n" in str(event["description"])
    assert str(event["location"]) == "Genève; Palais des Nations, salle XX"
    assert [str(c) for c in event["categories"].cats] == ["Talks, round two", "Red line", "Déjà vu; again"]
    assert span(event) == (dt.date(2018, 3, 1), dt.date(2018, 3, 2))
    assert_well_folded(data)


def assert_well_folded(data: bytes) -> None:
    """CRLF line ends only, every line at most 75 octets and whole UTF-8, folded lines starting with a space."""
    assert data.endswith(b"END:VCALENDAR\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert all(line.decode("utf-8") for line in lines)  # no character is cut in two
    assert any(line.startswith(b" ") for line in lines)


@pytest.mark.parametrize("value", ["é" * 100, "😀" * 40, "a" + "€" * 60, "x" * 65 + "\\,tail", "b" * 300, "ab\\," * 40, "é\\;" * 40])
def test_ics_folding_keeps_characters_and_escapes_whole(value):
    line = ("SUMMARY:" + value).encode()
    folded = ical.fold(line)
    pieces = folded.split(b"\r\n ")
    assert b"".join(pieces) == line  # unfolding gives the line back
    assert all(len(piece) <= 74 for piece in pieces) and all(len(piece) >= 70 for piece in pieces[:-1])
    assert all(piece.decode("utf-8") for piece in pieces)
    assert not any(piece.endswith((b"\\", b"^")) for piece in pieces[:-1])
    assert ical.fold(b"SUMMARY:short") == b"SUMMARY:short" and len(ical.fold(b"x" * 74)) == 74


def test_ics_text_escaping():
    assert ical.escape_text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert ical.escape_text("\\N stays") == "\\\\N stays"


# --- JSON ---------------------------------------------------------------------------


def test_events_json_normalises_dates_and_resolves_references(files):
    document = json.loads(files["events.json"])
    assert document["generated_from"] == "timeline"
    assert document["title"] == "Minimal test site" and document["base_url"] is None
    assert [event["id"] for event in document["events"]] == ORDER
    events = {event["id"]: event for event in document["events"]}
    assert events["month"]["date"] == {
        "edtf": "2018-02~", "kind": "date", "earliest": "2018-02-01T00:00:00Z", "latest": "2018-02-28T23:59:59Z",
        "precision": "month", "approximate": True, "uncertain": False, "display": "c. February 2018",
    }
    assert events["moment"]["date"]["earliest"] == "2018-04-14T01:00:00Z"
    assert events["moment"]["date"]["precision"] == "minute"
    assert events["span"]["date"]["latest"] == "2018-05-25T23:59:59Z"
    red_line = events["red-line"]
    assert red_line["url"] == "events/red-line/index.html" and red_line["absolute_url"] is None
    assert red_line["actors"] == [{"id": "emmanuel-macron", "name": "Emmanuel Macron", "kind": "person"}]
    assert red_line["tags"] == [{"slug": "chemical-weapons", "label": "Chemical weapons"}]
    assert red_line["sources"][0]["published"] == "2017-05-29" and red_line["sources"][0]["note"] is None
    assert red_line["quotes"] == [{"by": {"id": "emmanuel-macron", "name": "Emmanuel Macron"}, "text": "a very clear red line", "source": "afp-red-line"}]
    assert [actor["id"] for actor in document["actors"]] == ["emmanuel-macron", "france"]
    assert [source["id"] for source in document["sources"]] == ["afp-red-line"]


def test_events_json_absolute_urls_with_base_url(files_with_base):
    document = json.loads(files_with_base["events.json"])
    assert document["base_url"] == BASE
    assert document["events"][0]["absolute_url"] == BASE + "events/year/"


def test_timelinejs_slides_have_the_required_fields(files):
    document = json.loads(files["timelinejs.json"])
    assert document["title"]["text"]["headline"] == "Minimal test site"
    slides = document["events"]
    assert [slide["unique_id"] for slide in slides] == ORDER
    for slide in slides:
        assert type(slide["start_date"]["year"]) is int
        assert slide["text"]["headline"] and slide["text"]["text"].startswith("<p>")
    by_id = {slide["unique_id"]: slide for slide in slides}
    assert by_id["span"]["start_date"] == {"year": 2018, "month": 5, "day": 24, "display_date": "24 May 2018"}
    assert by_id["span"]["end_date"]["day"] == 25
    assert "end_date" not in by_id["month"]
    assert by_id["moment"]["start_date"] == {
        "year": 2018, "month": 4, "day": 14, "hour": 3, "minute": 0, "display_date": "14 April 2018, 03:00 UTC+02:00",
    }
    assert by_id["moment"]["text"]["headline"] == "Strikes &lt;b&gt;&amp; more&lt;/b&gt;"


# --- CSV ----------------------------------------------------------------------------


def test_csv_rows_and_formula_guard(files):
    text = files["events.csv"].decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert text.splitlines()[0] == "id,date_edtf,earliest,latest,precision,title,status,location,actors,actor_ids,tags,sources,url,place_ids"
    assert [row["id"] for row in rows] == ORDER
    by_id = {row["id"]: row for row in rows}
    assert by_id["formula"]["title"] == "'=HYPERLINK(\"http://evil\")"
    assert by_id["formula"]["location"] == "'+33 Paris"
    assert by_id["month"]["tags"] == "Diplomacy; Red line"
    assert by_id["month"]["earliest"] == "2018-02-01T00:00:00Z" and by_id["month"]["precision"] == "month"
    assert by_id["span"]["actors"] == "France" and by_id["red-line"]["sources"] == "afp-red-line"
    assert by_id["red-line"]["url"] == "events/red-line/index.html"
    assert "\r\n" in text


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_defuse_formula(cell):
    assert defuse_formula(cell) == "'" + cell
    assert defuse_formula("a" + cell) == "a" + cell


# --- sitemap and robots.txt ---------------------------------------------------------


def test_sitemap_lists_every_page_absolutely(files_with_base):
    root = ET.fromstring(files_with_base["sitemap.xml"])
    locations = [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]
    assert root.tag == f"{SITEMAP_NS}urlset"
    assert all(location.startswith(BASE) for location in locations)
    assert len(locations) == len(set(locations))
    for path in ["", "events/red-line/", "actors/", "actors/france/", "tags/red-line/", "2018/", "sources/afp-red-line/"]:
        assert BASE + path in locations
    assert not any(location.endswith("404.html") for location in locations)
    assert b"Sitemap: " + BASE.encode() + b"sitemap.xml\n" in files_with_base["robots.txt"]


def test_robots_without_base_url_allows_all(files):
    assert files["robots.txt"] == b"User-agent: *\nAllow: /\n"


# --- reproducibility ----------------------------------------------------------------


def export_files(output: Path) -> dict[str, bytes]:
    names = ("*.xml", "*.json", "*.ics", "*.csv", "*.txt")
    files = (p for name in names for p in output.rglob(name) if p.relative_to(output).parts[0] != "pagefind")  # search: test_search
    return {str(p.relative_to(output)): p.read_bytes() for p in files}


def build_in_subprocess(site: Path, output: Path, **env: str) -> dict[str, bytes]:
    """Build in a fresh interpreter, so a different hash seed would show any unordered output."""
    environment = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"} | env
    command = [sys.executable, "-m", "generator", "build", "--site", str(site), "--output", str(output), "--base-url", BASE]
    done = subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return export_files(output)


def test_builds_are_byte_identical(site, tmp_path):
    one = build_in_subprocess(site, tmp_path / "one", PYTHONHASHSEED="1")
    two = build_in_subprocess(site, tmp_path / "two", PYTHONHASHSEED="2")
    assert len(one) == 10 and one == two


def test_source_date_epoch_changes_only_the_files_timestamps(site, tmp_path):
    plain = build_in_subprocess(site, tmp_path / "plain")
    stamped = build_in_subprocess(site, tmp_path / "stamped", SOURCE_DATE_EPOCH=str(EPOCH))
    changed = sorted(path for path in plain if plain[path] != stamped[path])
    assert changed == ["actors/emmanuel-macron/feed.xml", "actors/france/feed.xml", "events.ics", "feed.xml"]
    assert b"<updated>2023-11-14T22:13:20Z</updated>" in stamped["feed.xml"]
    assert b"DTSTAMP:20231114T221320Z" in stamped["events.ics"]


def test_plain_text_of_markdown():
    assert plain_text(Markdown(), "A *b* & [c](https://x.org).\n\n- one\n- two") == "A b & c.\n\none\n\ntwo"


# --- the default site ---------------------------------------------------------------


@pytest.mark.skipif(not any((REPO / "content" / "events").rglob("*.yml")), reason="the default site has no events")
def test_default_site_exports_parse(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    report = check_site(REPO, overrides={"base_url": BASE})
    assert report.timeline is not None
    count = len(report.timeline.events)
    files = export_all(report.timeline)
    feed = feedparser.parse(files["feed.xml"])
    assert not feed.bozo and len(feed.entries) == min(count, 100)
    for actor_id in report.timeline.actors:
        assert not feedparser.parse(files[f"actors/{actor_id}/feed.xml"]).bozo
    assert len(vevents(files["events.ics"])) == count
    assert len(json.loads(files["events.json"])["events"]) == count
    slides = json.loads(files["timelinejs.json"])["events"]
    assert len(slides) == count and all(type(slide["start_date"]["year"]) is int for slide in slides)
    assert len(list(csv.reader(io.StringIO(files["events.csv"].decode(), newline="")))) == count + 1
    locations = [loc.text for loc in ET.fromstring(files["sitemap.xml"]).iter(f"{SITEMAP_NS}loc")]
    assert len(locations) > count and all(location.startswith(BASE) for location in locations)


def test_feed_entries_written_as_text_read_back_as_elementtree_writes_them(minimal_site):
    """Entries are written as text, not through a tree: characters XML escapes, in text and in
    attributes, read back whole, and the file is the one ElementTree writes for the same entries
    (the checker refuses the characters XML cannot hold)."""
    odd = 'Quotes " & <b>tags</b> > all'
    write_files(minimal_site, {"content/actors/odd.yml": yaml.safe_dump({"name": 'A & "B" <c>', "kind": "organization"})})
    add_event(minimal_site, "odd", "2019-02-03", title=odd, actors=["odd", "france"], tags=['R&D "lab"'], key=True)
    text = made(minimal_site)["feed.xml"]
    root = ET.fromstring(text)
    atom = "{http://www.w3.org/2005/Atom}"
    entry = next(e for e in root.iter(f"{atom}entry") if e.find(f"{atom}title").text.startswith("Quotes"))
    assert entry.find(f"{atom}title").text == odd
    assert [c.find(f"{atom}name").text for c in entry.iter(f"{atom}contributor")] == ['A & "B" <c>', "France"]
    assert [(c.get("term"), c.get("label")) for c in entry.iter(f"{atom}category")] == [("key-event", "Key event"), ("r-d-lab", 'R&D "lab"')]
    # Written again through ElementTree, the parsed document gives the same bytes.
    for element in root.iter():
        element.tag = element.tag.replace(atom, "")
    root.set("xmlns", "http://www.w3.org/2005/Atom")
    lang = root.attrib.pop("{http://www.w3.org/XML/1998/namespace}lang")
    attributes = dict(root.attrib)
    root.attrib.clear()
    root.attrib.update({"xmlns": attributes.pop("xmlns"), "xml:lang": lang, **attributes})
    for element in root.iter():
        element.text = None if element.text is None or not element.text.strip() else element.text
        element.tail = None
    ET.indent(root)
    assert ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n" == text
