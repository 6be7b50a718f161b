"""`timeline import timelinejs`: the template's columns (CSV and XLSX), TimelineJS JSON, and a round trip.

The sheet in tests/fixtures/import/ uses every date form the TimelineJS template
allows (years only, a BCE year, times with and without AM/PM, display dates), a
title slide, an era, groups and media rows, and three rows that cannot be read.
"""
from __future__ import annotations

import csv
import json
import shutil
from datetime import time
from pathlib import Path

import pytest
import yaml

from generator.build import build_site
from generator.cli import main
from generator.exports import timelinejs as export
from generator.importers import timelinejs as importer
from generator.markup import Markdown
from generator.pipeline import check_site
from tests.conftest import write_files

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SHEET = FIXTURES / "timelinejs-template.csv"


def read_event(site: Path, relative: str) -> dict:
    return yaml.safe_load((site / "content" / "events" / relative).read_text(encoding="utf-8"))


def imported(site: Path, sheet: Path, *options: str) -> int:
    return main(["import", "timelinejs", str(sheet), "--site", str(site), *options])


def test_the_template_columns_give_events_with_their_dates(tmp_path, capsys):
    site = tmp_path / "nile"
    assert imported(site, SHEET, "--actor", "Editors") == 1  # rows failed
    rosetta = read_event(site, "1799/1799-07-15-the-rosetta-stone-is-found.yml")
    assert rosetta["date"] == "1799-07-15" and rosetta["tags"] == ["Discoveries"]
    assert rosetta["summary"] == "Found near [Rashid](https://en.wikipedia.org/wiki/Rashid)."  # the script is gone
    assert rosetta["actors"] == ["editors"] and rosetta["sources"] == ["timelinejs-the-nile-valley"]
    assert rosetta["media"] == [{
        "url": "https://upload.wikimedia.org/wikipedia/commons/2/23/Rosetta_Stone.JPG", "credit": "British Museum",
        "caption": "The stone in *London*", "alt": "The stone in London",
    }]
    # A year only, with a display date no date of ours prints: kept in date_note.
    champollion = read_event(site, "1822/1822-champollion-reads-the-hieroglyphs.yml")
    assert champollion["date"] == "1822" and champollion["date_note"] == 'Shown in TimelineJS as "Autumn 1822".'
    # Times, an end date and the key-events group; a time written with AM.
    canal = read_event(site, "1869/1869-11-17-the-suez-canal-opens.yml")
    assert canal["date"] == "1869-11-17T10:30/1869-11-17T18:00" and canal["key"] is True and "tags" not in canal
    assert read_event(site, "1952/1952-07-23-the-free-officers-take-power.yml")["date"] == "1952-07-23T02:15"
    # Display dates that say how the date is known become its qualifier.
    assert read_event(site, "1956/1956-crisis-over-the-canal.yml")["date"] == "1956?"
    nasser = read_event(site, "1970/1970-09-nasser-dies.yml")
    assert nasser["date"] == "1970-09~" and "date_note" not in nasser


def test_title_slide_and_eras_fill_a_new_site_yml(tmp_path):
    site = tmp_path / "nile"
    imported(site, SHEET, "--actor", "Editors")
    config = yaml.safe_load((site / "site.yml").read_text(encoding="utf-8"))
    assert config["title"] == "The Nile valley"
    assert config["description"] == "Dates from **farming** to the *present*."
    assert config["periods"] == [{"name": "Nasser's presidency", "date": "1954-11-14/1970-09-28", "description": "From his takeover to his death."}]


def test_bad_rows_are_reported_by_row_and_column_and_skipped(tmp_path, capsys):
    site = tmp_path / "nile"
    assert imported(site, SHEET, "--actor", "Editors") == 1
    err = capsys.readouterr().err
    assert f"{SHEET}:3:1: error: Year: -3100 is a year before the Common Era" in err
    assert f"{SHEET}:11:2: error: Month: not a date: 1800-13 is not a date: there is no month 13" in err
    assert f"{SHEET}:12:10: error: Headline: empty" in err
    assert f'{SHEET}:13:4: error: Time: "25:00" is not a time of day' in err
    assert "12 rows read, 4 skipped for errors" in err
    events = sorted(p.name for p in (site / "content" / "events").rglob("*.yml"))
    assert len(events) == 6 and not any("month-that-does-not-exist" in name for name in events)


def test_imported_site_passes_check_but_for_what_the_sheet_lacks(tmp_path, capsys):
    """The one error left is the video without a credit, which the import also warned of."""
    site = tmp_path / "nile"
    imported(site, SHEET, "--actor", "Editors")
    assert f'{SHEET}:6:13: warning: Media Credit: missing required field "credit"' in capsys.readouterr().err
    report = check_site(site)
    errors = [d for d in report.diagnostics if d.severity == "error"]
    assert [(d.path, d.message) for d in errors] == [
        ("content/events/1869/1869-11-17-the-suez-canal-opens.yml", 'media[1]: missing required field "credit" (who made it or holds its rights)'),
    ]


def test_groups_can_become_actors(tmp_path, capsys):
    site = tmp_path / "nile"
    imported(site, SHEET, "--groups", "actors")
    assert f"{SHEET}: warning: 2 events have no actor (TimelineJS has none): import again with --actor NAME" in capsys.readouterr().err
    rosetta = read_event(site, "1799/1799-07-15-the-rosetta-stone-is-found.yml")
    assert rosetta["actors"] == ["discoveries"] and "tags" not in rosetta
    assert yaml.safe_load((site / "content/actors/discoveries.yml").read_text())["name"] == "Discoveries"
    # An event of no group has no actor: the file says the field is required, and check says so too.
    crisis = (site / "content/events/1956/1956-crisis-over-the-canal.yml").read_text()
    assert "actors:  # required" in crisis


def test_an_xlsx_sheet_imports_as_its_csv(tmp_path):
    import openpyxl.xml
    from openpyxl import Workbook

    assert openpyxl.xml.DEFUSEDXML  # workbooks are parsed with entity expansion refused

    workbook = Workbook()
    sheet = workbook.active
    with open(SHEET, encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle)):
            cells: list = [int(v) if number and v.lstrip("-").isdigit() else v or None for v in row]
            if number and row[3] == "10:30":
                cells[3] = time(10, 30)  # Excel keeps times as times
            sheet.append(cells)
    workbook_path = tmp_path / "timelinejs-template.xlsx"
    workbook.save(workbook_path)
    from_csv, from_xlsx = tmp_path / "a", tmp_path / "b"
    imported(from_csv, SHEET, "--actor", "Editors")
    assert imported(from_xlsx, workbook_path, "--actor", "Editors") == 1
    files = sorted(p.relative_to(from_csv) for p in (from_csv / "content").rglob("*.yml"))
    assert files == sorted(p.relative_to(from_xlsx) for p in (from_xlsx / "content").rglob("*.yml"))
    for relative in files:
        body = lambda site: (site / relative).read_text().split("\n", 1)[1]  # the first line names the file
        assert body(from_csv) == body(from_xlsx), relative


def test_json_media_alt_and_the_key_group(tmp_path):
    document = {
        "title": {"text": {"headline": "Launches", "text": "<p>Rockets.</p>"}},
        "events": [{
            "unique_id": "sputnik",
            "start_date": {"year": "1957", "month": "10", "day": "4", "hour": "19", "minute": "28", "display_date": "4 October 1957"},
            "display_date": "4 October 1957, 19:28 UTC",
            "text": {"headline": "Sputnik <i>1</i>", "text": "<ul><li>first</li><li>satellite</li></ul>"},
            "media": {"url": "https://example.org/sputnik.jpg", "credit": "NASA &amp; Smithsonian", "caption": "A <em>model</em>", "alt": "A metal sphere with four antennas"},
            "group": "Key events",
        }],
    }
    path = write_files(tmp_path, {"launches.json": json.dumps(document)}) / "launches.json"
    assert imported(tmp_path / "site", path, "--actor", "Soviet Union") == 0
    sputnik = read_event(tmp_path / "site", "1957/sputnik.yml")
    assert sputnik["title"] == "Sputnik 1" and sputnik["key"] is True
    assert sputnik["date"] == "1957-10-04T19:28Z"  # the display date's UTC is kept
    assert sputnik["summary"] == "- first\n- satellite"
    # The media as the reader's export writes it: credit escaped, caption as inline HTML.
    assert sputnik["media"] == [{"url": "https://example.org/sputnik.jpg", "credit": "NASA & Smithsonian", "caption": "A *model*", "alt": "A metal sphere with four antennas"}]


def test_the_export_and_the_import_agree_on_the_key_group():
    assert importer.KEY_GROUP == export.KEY_GROUP


ROUND_TRIP_SITE = {
    "site.yml": """\
        title: Round trip
        description: A site *made* to go through [TimelineJS](https://timeline.knightlab.com/) and back.
        timezone: UTC
        periods:
          - {name: The first years, date: 2001/2003-06, description: When it **began**.}
          - {name: Later, date: 2010-01-01/2012-12-31}
        """,
    "content/actors/someone.yml": "name: Someone\nkind: person\n",
    "content/sources/report.yml": "title: A report\npublisher: Example News\n",
    "content/events/2001/a-year.yml": "title: A year\ndate: 2001\nsummary: Only the year.\nactors: [someone]\nsources: [report]\n",
    "content/events/2002/a-month.yml": "title: A month, approximate\ndate: 2002-03~\nsummary: \"Words: *emphasis*, **strong**.\"\nactors: [someone]\nsources: [report]\n",
    "content/events/2002/a-day.yml": "title: A day & <a title>\ndate: 2002-04-05\nsummary: |\n  Two paragraphs.\n\n  The second with a [link](https://example.org/a?b=1&c=2).\nactors: [someone]\nsources: [report]\nkey: true\n",
    "content/events/2003/a-moment.yml": "title: A moment with an offset\ndate: 2003-01-02T14:30+02:00\nsummary: At half past two.\nactors: [someone]\nsources: [report]\n",
    "content/events/2004/an-interval.yml": "title: An interval\ndate: 2004-05?/2004-07-09\nsummary: |\n  - a list\n  - of two\nactors: [someone]\nsources: [report]\n",
    "content/events/2005/a-window.yml": "title: A window\ndate: '[2005-09-02..2005-09-19]'\nsummary: Sometime then.\nactors: [someone]\nsources: [report]\n",
    "content/events/2006/uncertain.yml": "title: Uncertain and approximate\ndate: 2006%\nsummary: Both.\nactors: [someone]\nsources: [report]\n",
}


def test_round_trip_build_export_import_build_keeps_what_timelinejs_holds(tmp_path, capsys):
    original = write_files(tmp_path / "original", ROUND_TRIP_SITE)
    assert build_site(original).written is not None
    exported = original / "_site" / "timelinejs.json"
    again = tmp_path / "again"
    assert main(["import", "timelinejs", str(exported), "--site", str(again), "--actor", "Someone"]) == 0
    rebuilt = build_site(again)
    assert rebuilt.written is not None, [d.text() for d in rebuilt.report.diagnostics]
    before, after = check_site(original).timeline, rebuilt.report.timeline
    assert (after.config.title, after.config.description) == (before.config.title, before.config.description)
    assert [(p.name, p.date.edtf, p.description) for p in after.config.periods] == [(p.name, p.date.edtf, p.description) for p in before.config.periods]
    markdown = Markdown()
    pairs = list(zip(before.events, after.events))
    assert len(after.events) == len(before.events)
    for old, new in pairs:
        assert new.id == old.id and new.title == old.title and new.key == old.key
        assert markdown.to_html(new.summary) == markdown.to_html(old.summary), old.id
        if old.date.is_window:  # TimelineJS has no windows: what both ends share, and the words
            assert new.date.edtf == "2005-09" and new.date_note == 'Shown in TimelineJS as "between 2 and 19 September 2005".'
        else:
            assert new.date.edtf == old.date.edtf, old.id


def test_a_bad_json_slide_is_named_by_its_place_in_the_document(tmp_path, capsys):
    document = {"events": [
        {"start_date": {"year": 2001}, "text": {"headline": "Fine", "text": "<p>Fine.</p>"}},
        {"start_date": {"year": 2001, "month": "June"}, "text": {"headline": "Bad", "text": "<p>Bad.</p>"}},
    ]}
    path = write_files(tmp_path, {"t.json": json.dumps(document)}) / "t.json"
    assert imported(tmp_path / "site", path, "--actor", "Someone") == 1
    assert f'{path}: error: events[2].start_date.month: "June" is not a month number' in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "site" / "content" / "events").rglob("*.yml")] == ["2001-fine.yml"]


def test_reimporting_a_sheet_keeps_a_hand_edit_and_updates_the_rest(tmp_path, capsys):
    site = tmp_path / "nile"
    imported(site, SHEET, "--actor", "Editors")
    rosetta = site / "content/events/1799/1799-07-15-the-rosetta-stone-is-found.yml"
    rosetta.write_text(rosetta.read_text().replace("Found near", "Found by French soldiers near"))
    edited = rosetta.read_text()
    newer = tmp_path / "newer.csv"
    newer.write_text(SHEET.read_text().replace("He announces it in a letter.", "He announces it in a letter to Dacier.").replace("Found near", "Dug up near"))
    capsys.readouterr()
    imported(site, newer, "--actor", "Editors")
    err = capsys.readouterr().err
    assert rosetta.read_text() == edited and "Dug up near" in rosetta.with_name(rosetta.name + ".incoming").read_text()
    assert read_event(site, "1822/1822-champollion-reads-the-hieroglyphs.yml")["summary"] == "He announces it in a letter to Dacier."
    assert "files: 0 new, 1 updated" in err and "1 kept as edited" in err


def test_import_help_and_usage_errors(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "timelinejs", "--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    assert "--groups {tags,actors}" in help_text and ".incoming" in help_text and "--dry-run" in help_text
    assert imported(tmp_path / "site", tmp_path / "nothing.csv") == 2
    assert "nothing.csv: no such file" in capsys.readouterr().err
    not_a_sheet = write_files(tmp_path, {"x.csv": "a,b\n1,2\n"}) / "x.csv"
    assert imported(tmp_path / "site", not_a_sheet) == 2
    assert "not a TimelineJS sheet" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "timelinejs", str(SHEET), "--groups", "people"])
    assert exit_info.value.code == 2


def test_groups_without_ascii_letters_still_get_ids(tmp_path):
    sheet = write_files(tmp_path, {"s.csv": "Year,Headline,Text,Group\n2001,Один,<p>Первый.</p>,Политика\n2002,Два,<p>Второй.</p>,Экономика\n"}) / "s.csv"
    assert imported(tmp_path / "site", sheet, "--groups", "actors") == 0
    actors = {yaml.safe_load(p.read_text())["name"]: p.stem for p in (tmp_path / "site/content/actors").glob("*.yml")}
    assert actors == {"Политика": "actor", "Экономика": "actor-2"}
    events = sorted(p.stem for p in (tmp_path / "site/content/events").rglob("*.yml"))
    assert events == ["2001", "2002"]
    assert check_site(tmp_path / "site").timeline is not None
