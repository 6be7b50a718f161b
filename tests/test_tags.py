"""Tags with names: content/tags/<id>.yml names a tag, describes it and gathers its other spellings."""
from __future__ import annotations

from pathlib import Path

from generator.pipeline import check_site

from conftest import write_files
from test_pages import build

EVENT = """\
title: {title}
date: 2017-05-{day}
actors: [emmanuel-macron]
summary: Something happened.
sources: [afp-red-line]
tags: [{tags}]
"""
CHEMICAL = """\
name: Chemical weapons
description: Attacks with *chemical weapons* and the inquiries into them.
aliases: [CW, chemical attacks]
"""


def site_with_tags(site: Path) -> Path:
    return write_files(site, {
        "content/tags/chemical-weapons.yml": CHEMICAL,
        "content/events/a.yml": EVENT.format(title="First", day="20", tags="chemical-weapons, talks"),
        "content/events/b.yml": EVENT.format(title="Second", day="21", tags="CW"),
        "content/events/c.yml": EVENT.format(title="Third", day="22", tags="Chemical Weapons"),
    })


def test_an_alias_a_name_and_the_id_all_land_on_the_named_tag(minimal_site: Path):
    report = check_site(site_with_tags(minimal_site))
    assert [d for d in report.diagnostics if d.severity == "error"] == []
    by_id = report.timeline.events_by_id
    assert [tag.label for tag in by_id["a"].tags] == ["Chemical weapons", "talks"]
    assert [(tag.slug, tag.label) for tag in by_id["b"].tags] == [("chemical-weapons", "Chemical weapons")]
    assert [(tag.slug, tag.label) for tag in by_id["c"].tags] == [("chemical-weapons", "Chemical weapons")]
    term = report.timeline.taxonomies["tags"].terms["chemical-weapons"]
    assert term.label == "Chemical weapons" and [entry.event for entry in term.entries] == ["a", "b", "c", "red-line"]  # red-line says "Chemical weapons"


def test_pages_lists_and_filters_show_the_name(minimal_site: Path, tmp_path: Path):
    out = build(site_with_tags(minimal_site), tmp_path / "out")
    tag_page = (out / "tags/chemical-weapons/index.html").read_text()
    assert "<h1>Chemical weapons</h1>" in tag_page
    assert "Attacks with <em>chemical weapons</em> and the inquiries into them." in tag_page
    assert "Also tagged as: CW, chemical attacks" in tag_page
    home = (out / "index.html").read_text()
    assert ">Chemical weapons</a>" in home and ">chemical-weapons</a>" not in home
    assert "<option value=\"chemical-weapons\">Chemical weapons (4)</option>" in home  # the tag filter offers the name
    assert ">Chemical weapons</a>" in (out / "tags/index.html").read_text()


def test_a_tag_file_is_checked_like_any_other(minimal_site: Path):
    write_files(minimal_site, {
        "content/tags/unused.yml": "name: Unused\n",
        "content/tags/bad.yml": "nmae: Bad\n",
        "content/tags/Upper Case.yml": "name: Upper\n",
    })
    messages = [f"{d.severity} {d.path}:{d.line}:{d.column}: {d.message}" for d in check_site(minimal_site).diagnostics]
    assert any(m.startswith("error content/tags/bad.yml:1:1: nmae: unknown field") and 'did you mean "name"' in m for m in messages), messages
    assert any(m.startswith("error content/tags/bad.yml:1:1: missing required field \"name\"") for m in messages), messages
    assert any(m.startswith("error content/tags/Upper Case.yml:1:1: the file name") for m in messages), messages
    assert 'warning content/tags/unused.yml:1:1: tag "unused" is used by no event' in messages


def test_an_alias_two_tags_share_is_a_warning(minimal_site: Path):
    write_files(minimal_site, {
        "content/tags/x.yml": "name: X\naliases: [shared]\n",
        "content/tags/y.yml": "name: Y\naliases: [shared]\n",
        "content/events/a.yml": EVENT.format(title="First", day="20", tags="x, y"),
    })
    warnings = [d.message for d in check_site(minimal_site).diagnostics if d.severity == "warning"]
    assert any('the name "shared" also belongs to' in w for w in warnings), warnings


def test_a_nested_tag_file_is_ignored_with_a_warning(minimal_site: Path):
    write_files(minimal_site, {"content/tags/more/x.yml": "name: X\n"})
    warnings = [d for d in check_site(minimal_site).diagnostics if d.severity == "warning"]
    assert any(d.path == "content/tags/more/x.yml" and "content/tags/" in d.message for d in warnings)


def test_timeline_new_tag_writes_a_file_the_checker_accepts(minimal_site: Path):
    from generator.cli import main

    assert main(["new", "tag", "Chemical weapons", "--alias", "CW", "--site", str(minimal_site)]) == 0
    text = (minimal_site / "content/tags/chemical-weapons.yml").read_text()
    assert "name: Chemical weapons" in text and "CW" in text
    report = check_site(minimal_site)
    assert report.timeline is not None and report.timeline.tags["chemical-weapons"].aliases == ("CW",)
    assert [tag.label for tag in report.timeline.events_by_id["red-line"].tags] == ["Chemical weapons"]


def test_renaming_a_tag_in_its_file_renames_it_everywhere_as_a_cold_build_would(minimal_site: Path, tmp_path: Path):
    import shutil

    site = site_with_tags(minimal_site)
    output = build(site, tmp_path / "out")
    write_files(site, {"content/tags/chemical-weapons.yml": CHEMICAL.replace("name: Chemical weapons", "name: Chemical arms")})
    build(site, output)
    for page in ("index.html", "events/a/index.html", "tags/chemical-weapons/index.html", "actors/emmanuel-macron/index.html"):
        text = (output / page).read_text()
        assert "Chemical arms" in text and ">Chemical weapons<" not in text, page
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(".timeline-cache"))
    cold = build(fresh, tmp_path / "cold")
    for page in ("index.html", "events/a/index.html", "tags/chemical-weapons/index.html", "timelinejs.json", "events.json"):
        assert (output / page).read_bytes() == (cold / page).read_bytes(), page
