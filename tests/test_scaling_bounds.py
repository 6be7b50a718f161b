"""Checks whose work used to grow with the square of the content are bounded.

No timing here (bench/scaling.py draws the curves): the tests count the work done
and check that what the checks find is still found.
"""
from __future__ import annotations

import difflib
import random
from pathlib import Path

import pytest

from generator.check import LOOKALIKE_CANDIDATES, MAX_AFFILIATION_DEPTH
from generator.pipeline import check_site

from conftest import write_files

PAIR = ("Macron hosts Putin at the Versailles palace", "Macron hosts Putin in Versailles palace")


def events_on_one_day(site: Path, count: int, planted: tuple[int, int]) -> None:
    rng = random.Random(7)
    letters = "bcdfghjklmnpqrstvwxz"
    vocabulary = ["".join(rng.choice(letters) for _ in range(rng.randint(5, 9))) for _ in range(300)]
    files = {}
    for index in range(count):
        title = " ".join(rng.sample(vocabulary, 6))
        if index in planted:
            title = PAIR[planted.index(index)]
        files[f"content/events/day/e{index:04d}.yml"] = (
            f"title: {title}\ndate: 2017-05-29\nactors: [Macron]\nsummary: s\nsources: [afp-red-line]\n"
        )
    write_files(site, files)


def lookalike_warnings(site: Path) -> list[str]:
    return [d.text() for d in check_site(site).diagnostics if "looks like the same happening" in d.message]


def test_the_lookalike_check_does_a_bounded_number_of_comparisons(minimal_site: Path, monkeypatch):
    count = 600
    events_on_one_day(minimal_site, count, planted=(3, 590))
    made = []
    real = difflib.SequenceMatcher.set_seq1

    def counting(matcher: difflib.SequenceMatcher, text: str) -> None:  # once per pair compared
        made.append(1)
        real(matcher, text)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    warnings = lookalike_warnings(minimal_site)
    assert len(made) <= count * LOOKALIKE_CANDIDATES, f"{len(made)} comparisons for {count} events"
    assert any("e0590.yml" in line and '"e0003"' in line for line in warnings), warnings


def test_lookalikes_among_few_events_are_all_compared(minimal_site: Path):
    events_on_one_day(minimal_site, 30, planted=(0, 29))
    warnings = lookalike_warnings(minimal_site)
    assert len(warnings) == 1 and "e0029.yml" in warnings[0]


def affiliation_chain(site: Path, length: int) -> None:
    files = {}
    for index in range(length):
        above = f"affiliations: [link-{index + 1}]\n" if index + 1 < length else ""
        files[f"content/actors/link-{index}.yml"] = f"name: Link {index}\nkind: organization\n{above}"
    files["content/events/chain.yml"] = "title: The chain\ndate: 2017-05-29\nactors: [link-0, Macron]\nsummary: s\nsources: [afp-red-line]\n"
    write_files(site, files)


def test_an_affiliation_chain_longer_than_the_limit_is_refused_once(minimal_site: Path):
    affiliation_chain(minimal_site, 3 * MAX_AFFILIATION_DEPTH)
    report = check_site(minimal_site)
    problems = [d for d in report.diagnostics if "affiliations away from the top" in d.message]
    # link-(L-1) is the top, at depth 1: the first actor past the limit is link-(L-1-MAX).
    assert [d.path for d in problems] == [f"content/actors/link-{3 * MAX_AFFILIATION_DEPTH - 1 - MAX_AFFILIATION_DEPTH}.yml"]
    assert report.timeline is None


def test_an_affiliation_chain_within_the_limit_and_a_cycle_are_fine(minimal_site: Path):
    affiliation_chain(minimal_site, MAX_AFFILIATION_DEPTH)
    write_files(minimal_site, {
        "content/actors/ying.yml": "name: Ying\nkind: organization\naffiliations: [yang]\n",
        "content/actors/yang.yml": "name: Yang\nkind: organization\naffiliations: [ying]\n",
        "content/events/cycle.yml": "title: The cycle\ndate: 2017-05-30\nactors: [ying, yang]\nsummary: s\nsources: [afp-red-line]\n",
    })
    report = check_site(minimal_site)
    assert [d.text() for d in report.diagnostics if d.severity == "error"] == []
    assert report.timeline is not None


# --- Markdown ------------------------------------------------------------------------------

def nested_list(levels: int) -> str:
    return "\n".join("    " * level + "- a" for level in range(levels))


@pytest.mark.parametrize("summary, problem", [
    ("[" * 20_000, "nests [ more than"),
    ("![" * 3_000, "nests [ more than"),
    ("[a](" * 3_000, "nests ( more than"),
    (nested_list(150).replace("\n", "\\n"), "nests lists or quotes"),
    (" ".join([">"] * 200) + " deep", "nests lists or quotes"),
])
def test_markdown_that_would_take_minutes_or_overflow_is_refused_by_check(minimal_site: Path, summary: str, problem: str):
    write_files(minimal_site, {"content/events/heavy.yml": (
        f'title: Heavy\ndate: 2017-05-30\nactors: [Macron]\nsummary: "{summary}"\nsources: [afp-red-line]\n'
    )})
    errors = [d.text() for d in check_site(minimal_site).diagnostics if d.severity == "error"]
    assert any("heavy.yml" in line and "summary:" in line and problem in line for line in errors), errors


def test_ordinary_markdown_with_links_lists_and_quotes_passes(minimal_site: Path):
    summary = ("[a link](https://example.org/x) (see [this](https://example.org/y)) and more. " * 40
               + "\\n\\n- one\\n    - two\\n        - three\\n\\n> quoted\\n> > twice")
    write_files(minimal_site, {"content/events/light.yml": (
        f'title: Light\ndate: 2017-05-30\nactors: [Macron]\nsummary: "{summary}"\nsources: [afp-red-line]\n'
    )})
    assert [d.text() for d in check_site(minimal_site).diagnostics if d.severity == "error"] == []


def test_a_recursion_error_in_markdown_renders_the_text_as_written():
    from generator.render import Markdown

    html = str(Markdown().to_html(nested_list(300) + "\n<b>x</b>"))
    assert "- a" in html and "&lt;b&gt;x&lt;/b&gt;" in html
