"""`timeline new` and `timeline init`: files from the declarations, never overwriting."""
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import check_site
from generator.schema import EVENT_FIELDS


def test_new_event_lists_every_field_and_fails_check_until_filled(minimal_site: Path, capsys):
    args = ["new", "event", "Talks in Geneva", "--date", "24 May 2018", "--actor", "Macron", "--site", str(minimal_site)]
    assert main(args) == 0
    path = minimal_site / "content/events/2018/talks-in-geneva.yml"
    text = path.read_text()
    for declared in EVENT_FIELDS:
        assert f"{declared.name}:" in text, declared.name
    assert "date: '2018-05-24'" in text and "actors: [Macron]" in text
    problems = [d for d in check_site(minimal_site).diagnostics if d.path.endswith("talks-in-geneva.yml")]
    assert {d.line for d in problems} == {4, 6}  # summary and sources, each at its own line
    text = text.replace("summary:  #", "summary: Talks were held.  #").replace("sources:  #", "sources: [afp-red-line]  #")
    path.write_text(text)
    assert check_site(minimal_site).timeline is not None


def test_new_refuses_to_overwrite(minimal_site: Path, capsys):
    args = ["new", "source", "Some report", "--site", str(minimal_site)]
    assert main(args) == 0
    path = minimal_site / "content/sources/some-report.yml"
    path.write_text("title: edited by hand\n")
    assert main(args) == 2
    assert "exists already" in capsys.readouterr().err
    assert path.read_text() == "title: edited by hand\n"


def test_new_actor_and_bad_date(minimal_site: Path, capsys):
    assert main(["new", "actor", "Jean-Yves Le Drian", "--kind", "person", "--alias", "Le Drian", "--site", str(minimal_site)]) == 0
    assert "aliases: [Le Drian]" in (minimal_site / "content/actors/jean-yves-le-drian.yml").read_text()
    assert main(["new", "event", "X", "--date", "05/06/2018", "--site", str(minimal_site)]) == 2
    assert "ambiguous" in capsys.readouterr().err


def test_init_makes_a_site_that_builds_at_once(tmp_path: Path):
    site = tmp_path / "demo"
    assert main(["init", str(site)]) == 0
    report = check_site(site)
    assert report.diagnostics == [] and len(report.timeline.events) == 1
    assert main(["build", "--site", str(site)]) == 0
    assert (site / "_site/index.html").exists()
    assert main(["init", str(site)]) == 2  # not empty any more
