"""Serve's quick rebuild: a summary edit gives the same site as a cold build; other edits are not taken."""
from pathlib import Path

import pytest

from generator.build import build_site
from generator.pipeline import site_caches
from generator.quick import quick_rebuild

from conftest import write_files
from test_build import snapshot

EVENTS = {
    "content/events/talks.yml": "title: Talks in Paris\ndate: 2017-07-13\nactors: [france, Macron]\nsummary: They talk.\nstatus: planned\n"
                                "sources: [afp-red-line]\ntags: [diplomacy]\nrelated: [red-line]\n",
    "content/events/visit.yml": "title: A visit to Moscow\ndate: 2018-05\nactors: [Macron]\nsummary: |\n  He goes.\n\n  Then *back*.\nstatus: planned\n"
                                "sources: [afp-red-line]\n",
}


@pytest.fixture
def site(minimal_site: Path) -> Path:
    write_files(minimal_site, EVENTS)
    return minimal_site


def first_build(site: Path):
    caches = site_caches(site)
    result = build_site(site, caches=caches, search=False)
    assert result.last is not None
    return result.last, caches


def cold(site: Path, folder: Path) -> dict[str, bytes]:
    assert build_site(site, overrides={"output": str(folder)}, use_cache=False, search=False).written is not None
    return snapshot(folder)


def test_a_summary_edit_gives_the_site_a_cold_build_gives(site: Path, tmp_path: Path):
    last, caches = first_build(site)
    talks = site / "content/events/talks.yml"
    talks.write_text(talks.read_text().replace("They talk.", "They talk at **length**."))
    result = quick_rebuild(last, [talks], caches, None)
    assert result is not None and result.written is not None
    assert 0 < result.rendered < result.files
    assert "at <strong>length</strong>" in (site / "_site/events/talks/index.html").read_text()
    assert snapshot(site / "_site") == cold(site, tmp_path / "cold")
    # Another quick edit starts from the quick one; then a full build finds nothing to redo.
    again = quick_rebuild(result.last, [talks], caches, None)
    assert again is not None
    talks.write_text(talks.read_text().replace("at **length**", "briefly"))
    again = quick_rebuild(again.last, [talks], caches, None)
    assert again is not None and snapshot(site / "_site") == cold(site, tmp_path / "cold-2")
    assert build_site(site, caches=caches, search=False).rendered == 0


@pytest.mark.parametrize("edit", [
    "the date", "the title", "a new file", "a deleted file", "an actor file", "a broken file", "own templates",
])
def test_any_other_change_is_left_to_the_full_build(site: Path, edit: str):
    last, caches = first_build(site)
    talks = site / "content/events/talks.yml"
    changed = [talks]
    if edit == "the date":
        talks.write_text(talks.read_text().replace("2017-07-13", "2017-07-14"))
    elif edit == "the title":
        talks.write_text(talks.read_text().replace("Talks in Paris", "Talks in Lyon"))
    elif edit == "a new file":
        changed = [write_files(site, {"content/events/new.yml": EVENTS["content/events/talks.yml"].replace("Paris", "Rome")}) / "content/events/new.yml"]
    elif edit == "a deleted file":
        talks.unlink()
    elif edit == "an actor file":
        changed = [site / "content/actors/france.yml"]
        changed[0].write_text("name: French Republic\nkind: state\n")
    elif edit == "a broken file":
        talks.write_text(talks.read_text().replace("They talk.", "[unclosed"))
    elif edit == "own templates":
        write_files(site, {"templates/note.html": "<p>mine</p>\n"})
        last, caches = first_build(site)
        talks.write_text(talks.read_text().replace("They talk.", "They talk on."))
    assert quick_rebuild(last, changed, caches, None) is None
