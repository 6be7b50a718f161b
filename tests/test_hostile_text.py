"""Hostile text: control characters, bidi overrides, workflow commands and terminal
escapes in content and file names; tags in other scripts and tags that collide."""
from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from generator.cli import main
from generator.diagnostics import Diagnostic, format_diagnostics
from generator.pipeline import check_site

from conftest import REPO, write_files

EVENT = "content/events/red-line.yml"


def edit(site: Path, path: str, old: str, new: str) -> None:
    file = site / path
    text = file.read_text(encoding="utf-8")
    assert old in text, (old, text)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(site: Path) -> list[str]:
    return [d.text() for d in check_site(site).diagnostics if d.severity == "error"]


CONTROLS = [chr(c) for c in (*range(0, 9), *range(11, 32), *range(0x7F, 0xA0))] + ["\u202e", "\u2066", "\ufffe"]


@pytest.mark.parametrize("char", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_control_character_in_a_title_or_a_tag_is_refused_with_its_place(minimal_site: Path, char: str):
    escaped = f"\\u{ord(char):04x}"
    edit(minimal_site, EVENT, "title: Macron draws", f'title: "Macron {escaped} draws')
    edit(minimal_site, EVENT, "a red line on chemical weapons", 'a red line on chemical weapons"')
    edit(minimal_site, EVENT, "tags: [Chemical weapons]", f'tags: ["Chemical{escaped}weapons"]')
    found = errors(minimal_site)
    assert any(f"title: holds the control character U+{ord(char):04X}" in line for line in found), found
    assert any(f"U+{ord(char):04X}" in line and "tags" in line for line in found), found


@pytest.mark.parametrize("field, value", [("language", "e\\u0007n"), ("base_url", "https://example.org/\\u0001x/"), ("title", "Site\\u001b[31m")])
def test_a_control_character_in_site_yml_is_refused(minimal_site: Path, field: str, value: str):
    (minimal_site / "site.yml").write_text(f'title: Minimal\n{field}: "{value}"\n' if field != "title" else f'title: "{value}"\n')
    assert main(["build", "--site", str(minimal_site)]) == 2
    assert not (minimal_site / "_site").exists()


def test_every_feed_is_well_formed_xml_whatever_the_text(minimal_site: Path):
    """The characters the checker lets through (tab, line feed, LRM/RLM, emoji) still make valid XML."""
    edit(minimal_site, EVENT, "summary: Macron says", 'summary: "Tab\\there, marks \\u200f\\u200e, emoji \\U0001F600, Macron says')
    edit(minimal_site, EVENT, "meet a French response.", 'meet a French response."')
    (minimal_site / "site.yml").write_text((minimal_site / "site.yml").read_text() + "base_url: https://example.org/\n")
    assert main(["build", "--site", str(minimal_site), "-q"]) == 0
    feeds = [p for p in (minimal_site / "_site").rglob("*.xml")]
    assert feeds
    for feed in feeds:
        ElementTree.parse(feed)  # raises on invalid XML


def test_a_bidi_override_in_an_actor_name_is_refused(minimal_site: Path):
    actor = next((minimal_site / "content" / "actors").glob("*.yml"))
    text = actor.read_text()
    name_line = next(line for line in text.splitlines() if line.startswith("name:"))
    actor.write_text(text.replace(name_line, 'name: "Evil \\u202eesrever"'))
    found = errors(minimal_site)
    assert any("U+202E" in line and "name" in line for line in found), found
    assert main(["build", "--site", str(minimal_site), "-q"]) == 1
    assert not (minimal_site / "_site").exists()


# --- tags ------------------------------------------------------------------------------

def test_tags_in_other_scripts_get_pages_of_their_own(minimal_site: Path):
    edit(minimal_site, EVENT, "tags: [Chemical weapons]", "tags: [Chemical weapons, Сирия, 中东, हिन्दी]")
    assert errors(minimal_site) == []
    assert main(["build", "--site", str(minimal_site), "-q"]) == 0
    tags = minimal_site / "_site" / "tags"
    for slug in ("сирия", "中东", "हिन्दी", "chemical-weapons"):
        assert (tags / slug / "index.html").is_file(), sorted(p.name for p in tags.iterdir())
    assert "Сирия" in (tags / "сирия" / "index.html").read_text()


def test_tags_that_collide_into_one_page_are_warned_of(minimal_site: Path):
    edit(minimal_site, EVENT, "tags: [Chemical weapons]", 'tags: [Chemical weapons, "C++", "C#", chemical-weapons]')
    warnings = [d.text() for d in check_site(minimal_site).diagnostics if d.severity == "warning"]
    collisions = [line for line in warnings if "share one page" in line]
    assert len(collisions) == 1 and '"C#" and "C++"' in collisions[0] and "tags/c/" in collisions[0], warnings


# --- printing diagnostics ------------------------------------------------------------------

HOSTILE = "bad\n::stop-commands::pwned\n::error file=x::fake %0A \r\x1b]0;title\x07\x1b[2J\u202eend"


def test_github_annotations_cannot_start_a_workflow_command():
    lines = format_diagnostics([Diagnostic("error", HOSTILE, "content/events/a,line=9::x.yml", 3, 4)], "github").split("\n")
    assert len(lines) == 1
    assert lines[0].startswith("::error file=content/events/a%2Cline=9%3A%3Ax.yml,line=3,col=4::")
    message = lines[0].split("::", 2)[2]
    assert "\r" not in message and "\x1b" not in message and "\u202e" not in message
    assert message.startswith("bad%0A::stop-commands::pwned%0A") and "%250A" in message


def test_text_output_shows_escapes_instead_of_running_them():
    text = format_diagnostics([Diagnostic("error", HOSTILE, "content/events/\x1b[31mred.yml", 1, 1)], "text")
    assert "\n" not in text and "\r" not in text and "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\\x1b]0;title\\x07" in text and "\\u202e" in text and "\\n::stop-commands::" in text


def test_a_hostile_file_name_cannot_inject_commands_through_the_real_cli(minimal_site: Path):
    name = "evil\n::stop-commands::pwned\n::warning::\x1b[2Jx.yml"
    (minimal_site / "content" / "events" / name).write_text((minimal_site / EVENT).read_text())
    for style in ("github", "text"):
        result = subprocess.run([sys.executable, "-m", "generator", "check", "--site", str(minimal_site), "--format", style],
                                cwd=REPO, capture_output=True, text=True)
        assert result.returncode == 1
        assert "\x1b" not in result.stderr
        for line in result.stderr.splitlines():
            assert not line.startswith("::") or line.startswith(("::error file=", "::warning file=")), line
        assert "stop-commands" in result.stderr  # shown, harmlessly
