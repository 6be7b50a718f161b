"""`timeline import acled`: ACLED's column layout, its time and geo precisions, and re-imports.

tests/fixtures/import/acled.csv has ACLED's columns in its order, rows of all three
time precisions and geo precisions 1 to 3, actor types as numbers and as words,
several sources in one cell, and three rows that cannot be read.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from generator.cli import main
from generator.pipeline import check_site

FIXTURES = Path(__file__).parent / "fixtures" / "import"
EXPORT = FIXTURES / "acled.csv"


def load(site: Path, relative: str) -> dict:
    return yaml.safe_load((site / "content" / relative).read_text(encoding="utf-8"))


def run(site: Path, export: Path, *options: str) -> int:
    return main(["import", "acled", str(export), "--site", str(site), *options])


def new_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    assert main(["init", str(site), "--title", "Syria 2023"]) == 0
    return site


def test_time_precision_sets_how_the_date_is_known(tmp_path):
    site = new_site(tmp_path)
    run(site, EXPORT)
    day = load(site, "events/2023/acled-syr10001.yml")
    assert day["date"] == "2023-01-15" and "date_note" not in day
    week = load(site, "events/2023/acled-syr10002.yml")  # "12 January 2023", the middle of its week
    assert week["date"] == "[2023-01-09..2023-01-15]"
    assert week["date_note"] == "ACLED gives the week only (time_precision 2), coded as 2023-01-12."
    month = load(site, "events/2023/acled-syr10003.yml")  # "15-February-2023"
    assert month["date"] == "2023-02" and "time_precision 3" in month["date_note"]


def test_rows_become_events_with_actors_sources_tags_and_places(tmp_path):
    site = new_site(tmp_path)
    run(site, EXPORT)
    event = load(site, "events/2023/acled-syr10002.yml")
    assert event["title"] == "Shelling/artillery/missile attack in Idleb"
    assert event["summary"] == "Shelling hit the outskirts of Idleb during the week."
    assert event["actors"] == ["military-forces-of-syria", "civilians-syria"]
    assert event["sources"] == [
        {"source": "acled", "note": "ACLED event SYR10002; fatalities recorded: 0"},
        "syrian-observatory-for-human-rights", "sana",
    ]
    assert event["tags"] == ["Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack"]
    army = load(site, "actors/military-forces-of-syria.yml")
    assert army == {"name": "Military Forces of Syria (2000-)", "kind": "state", "aliases": ["Military Forces of Syria"]}
    assert load(site, "actors/hay-at-tahrir-al-sham.yml")["kind"] == "armed-group"  # inter2 written as words
    assert load(site, "actors/national-defence-forces.yml")["kind"] == "other"  # an associated actor
    assert load(site, "actors/islamic-state-syria.yml")["kind"] == "armed-group"  # inter2 = 2
    assert load(site, "sources/sana.yml") == {"title": "SANA", "publisher": "SANA"}


def test_geo_precision_becomes_the_places_precision(tmp_path):
    site = new_site(tmp_path)
    run(site, EXPORT)
    assert load(site, "places/syria.yml") == {"name": "Syria", "kind": "country"}
    assert load(site, "places/idleb.yml") == {"name": "Idleb", "kind": "region", "within": "syria"}
    ariha = load(site, "places/ariha.yml")  # geo_precision 1: the town itself
    assert (ariha["kind"], ariha["precision"], ariha["within"]) == ("town", "city", "idleb")
    assert (ariha["latitude"], ariha["longitude"]) == (35.8137, 36.6098)
    near = load(site, "events/2023/acled-syr10002.yml")["places"][0]  # the town Idleb, in the region Idleb
    assert near != "idleb" and load(site, f"places/{near}.yml")["precision"] == "near"
    aleppo = load(site, "places/aleppo.yml")  # geo_precision 3: only the region is known
    assert (aleppo["kind"], aleppo["precision"]) == ("region", "region")


def test_bad_rows_are_reported_and_the_rest_passes_check(tmp_path, capsys):
    site = new_site(tmp_path)
    assert run(site, EXPORT) == 1
    err = capsys.readouterr().err
    assert f'{EXPORT}:6:2: error: event_date: "2023-13-01" is not a date' in err
    assert f'{EXPORT}:7:4: error: time_precision: "4" is not one of ACLED\'s time precisions' in err
    assert f'{EXPORT}:8:23: error: latitude: "north" is not a number of degrees' in err
    assert "7 rows read, 3 skipped for errors" in err
    assert not (site / "content/events/2023/acled-syr10005.yml").exists()
    report = check_site(site)
    assert [d.text() for d in report.diagnostics if d.severity == "error"] == []
    assert report.timeline is not None and len([e for e in report.timeline.events if e.id.startswith("acled-")]) == 4


def test_a_file_that_is_not_an_acled_export_is_a_usage_error(tmp_path, capsys):
    site = new_site(tmp_path)
    assert run(site, FIXTURES / "timelinejs-template.csv") == 2
    assert "no event_id_cnty, event_date, event_type, actor1, country, location columns: not an ACLED export" in capsys.readouterr().err
    assert run(site, tmp_path / "missing.csv") == 2
    assert not (site / "import-manifest.json").exists()


def edited_export(tmp_path: Path, changes: dict[str, dict[str, str]], drop: set[str] = frozenset()) -> Path:
    """The fixture with some cells changed (by event id) and some rows left out: a newer export."""
    with open(EXPORT, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        if row["event_id_cnty"] not in drop:
            writer.writerow({**row, **changes.get(row["event_id_cnty"], {})})
    path = tmp_path / "acled-newer.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_reimport_updates_untouched_files_and_never_overwrites_an_edited_one(tmp_path, capsys):
    site = new_site(tmp_path)
    run(site, EXPORT)
    edited = site / "content/events/2023/acled-syr10001.yml"
    by_hand = edited.read_text(encoding="utf-8").replace("clashed near Ariha.", "clashed near Ariha, as local media also said.")
    edited.write_text(by_hand, encoding="utf-8")
    untouched = (site / "content/events/2023/acled-syr10003.yml").read_bytes()
    capsys.readouterr()
    newer = edited_export(tmp_path, {
        "SYR10001": {"fatalities": "4"},  # changed upstream too, but edited here
        "SYR10002": {"notes": "Shelling hit the eastern outskirts of Idleb."},
        "SYR10004": {"fatalities": "7", "time_precision": "2"},
    }, drop={"SYR10003"})
    assert run(site, newer) == 1  # the three bad rows are still bad
    err = capsys.readouterr().err
    assert edited.read_text(encoding="utf-8") == by_hand
    incoming = edited.with_name(edited.name + ".incoming")
    assert "fatalities recorded: 4" in incoming.read_text(encoding="utf-8")
    assert "content/events/2023/acled-syr10001.yml: edited since it was imported" in err
    assert load(site, "events/2023/acled-syr10002.yml")["summary"] == "Shelling hit the eastern outskirts of Idleb."
    changed = load(site, "events/2023/acled-syr10004.yml")
    assert changed["date"] == "[2023-02-27..2023-03-05]" and changed["sources"][0]["note"].endswith("fatalities recorded: 7")
    assert "no longer in the file: SYR10003 (content/events/2023/acled-syr10003.yml)" in err
    assert (site / "content/events/2023/acled-syr10003.yml").read_bytes() == untouched
    assert "files: 0 new, 2 updated" in err and "1 kept as edited" in err
    # The .incoming copy is not content: check still passes, the edit stands.
    assert [d.text() for d in check_site(site).diagnostics if d.severity == "error"] == []


def test_dry_run_prints_what_would_change_and_writes_nothing(tmp_path, capsys):
    site = new_site(tmp_path)
    run(site, EXPORT)
    manifest = (site / "import-manifest.json").read_bytes()
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    capsys.readouterr()
    newer = edited_export(tmp_path, {"SYR10002": {"notes": "Changed."}, "SYR10008": {}})
    assert run(site, newer, "--dry-run") == 1
    out = capsys.readouterr().out
    assert "would update content/events/2023/acled-syr10002.yml" in out and "(dry run: nothing written)" in out
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert (site / "import-manifest.json").read_bytes() == manifest


def test_a_deleted_imported_file_is_not_written_again(tmp_path, capsys):
    site = new_site(tmp_path)
    run(site, EXPORT)
    (site / "content/events/2023/acled-syr10003.yml").unlink()
    capsys.readouterr()
    run(site, EXPORT)
    assert "acled-syr10003.yml: deleted since it was imported; not written again" in capsys.readouterr().err
    assert not (site / "content/events/2023/acled-syr10003.yml").exists()


def test_the_sites_own_actors_and_places_are_referred_to_not_written(tmp_path):
    site = new_site(tmp_path)
    (site / "content/places").mkdir()
    (site / "content/places/syrian-arab-republic.yml").write_text("name: Syrian Arab Republic\nkind: country\naliases: [Syria]\n", encoding="utf-8")
    (site / "content/actors/sana.yml").write_text("name: Syrian Arab News Agency\nkind: media\naliases: [SANA]\n", encoding="utf-8")
    run(site, EXPORT)
    assert not (site / "content/places/syria.yml").exists()
    assert load(site, "places/idleb.yml")["within"] == "syrian-arab-republic"
    assert (site / "content/actors/sana.yml").read_text(encoding="utf-8").startswith("name: Syrian Arab News Agency")
    assert [d.text() for d in check_site(site).diagnostics if d.severity == "error"] == []


def test_a_planted_manifest_or_a_linked_folder_never_leads_a_write_out_of_the_site(tmp_path, capsys):
    site = new_site(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    manifest = {"format": 1, "ids": {}, "files": {
        "content/events/../../../outside/acled-syr10001.yml": {"digest": "0", "origin": "acled", "key": "SYR10001", "kind": "events"},
    }}
    (site / "import-manifest.json").write_text(__import__("json").dumps(manifest), encoding="utf-8")
    (site / "content/events/2023").symlink_to(outside, target_is_directory=True)
    capsys.readouterr()
    assert run(site, EXPORT) == 1
    err = capsys.readouterr().err
    assert list(outside.iterdir()) == []
    assert "content/events/2023/acled-syr10001.yml: error: a symbolic link leads out of the site's content/: not written" in err
    assert (site / "content/places/syria.yml").exists()  # the rest is imported
