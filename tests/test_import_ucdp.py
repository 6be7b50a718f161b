"""`timeline import ucdp`: UCDP's Georeferenced Event Dataset through the same mapping as ACLED's rows."""
from __future__ import annotations

from pathlib import Path

import yaml

from generator.cli import main
from generator.pipeline import check_site

EXPORT = Path(__file__).parent / "fixtures" / "import" / "ucdp-ged.csv"


def load(site: Path, relative: str) -> dict:
    return yaml.safe_load((site / "content" / relative).read_text(encoding="utf-8"))


def test_ged_rows_become_events_with_their_date_precision_places_and_deaths(tmp_path, capsys):
    site = tmp_path / "site"
    assert main(["init", str(site)]) == 0
    assert main(["import", "ucdp", str(EXPORT), "--site", str(site)]) == 1
    assert f'{EXPORT}:5:39: error: date_start: "2017-04-31" is not a date' in capsys.readouterr().err
    day = load(site, "events/2017/ucdp-244001.yml")
    assert day["date"] == "2017-01-03" and day["actors"] == ["government-of-syria", "syrian-insurgents"]
    assert day["sources"] == [{"source": "ucdp", "note": "UCDP GED event 244001; deaths: best estimate 7 (low 7, high 9)"}, "reuters", "afp"]
    assert day["summary"] == "State-based armed conflict (Government of Syria; Syrian insurgents), Aleppo town. Deaths: best estimate 7 (low 7, high 9)."
    month = load(site, "events/2017/ucdp-244002.yml")  # date_prec 4: sometime that month
    assert month["date"] == "[2017-02-01..2017-02-28]" and month["date_note"] == "UCDP knows the month only (date_prec 4)."
    assert load(site, "events/2017/ucdp-244003.yml")["date"] == "2017-03-10/2017-03-12"  # exact days, several of them
    assert load(site, "actors/government-of-syria.yml")["kind"] == "state"
    assert load(site, "actors/civilians.yml")["kind"] == "other"
    town = load(site, "places/aleppo-town.yml")
    assert (town["kind"], town["precision"], town["within"]) == ("town", "city", "aleppo-governorate")
    hama = load(site, "places/hama-town.yml")  # where_prec 2: within 25 km
    assert hama["precision"] == "near"
    raqqa = load(site, "places/raqqa-governorate.yml")  # where_prec 4: the province
    assert (raqqa["kind"], raqqa["within"]) == ("region", "syria")
    assert [d.text() for d in check_site(site).diagnostics if d.severity == "error"] == []
