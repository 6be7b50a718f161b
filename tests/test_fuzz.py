"""No input an author can write makes `check`, `build` or serve's build raise.

Hypothesis starts from a small valid site that uses every declared field, then breaks
one file of one kind: a field (or a field of a quote, role or cited source) is
removed, given a value of the wrong type, a bad date, a bad URL or an unknown
reference, an unknown key is added, a character that YAML treats specially is put
somewhere in the text, or a line is indented, dedented, deleted or repeated. Whatever the change, each command exits 0, 1 or 2 and,
when it fails, names the broken file. The fields come from `generator.schema`, so a
new field is fuzzed as soon as it is declared.
"""
from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.schema import FIELDS_BY_KIND, SITE_FIELDS, ListOf, Record
from generator.serve import BuildState, rebuild


BASE: dict[str, dict] = {
    "site.yml": {
        "title": "Fuzzed", "description": "A site.", "base_url": "https://example.org/fuzz/", "language": "en",
        "output": "_site", "timezone": "Asia/Tokyo", "max_file_bytes": 100_000, "newest_first": False,
        "periods": [{"name": "The talks", "date": "2018-05-01/2018-05-31", "description": "Weeks of talks."}],
    },
    "content/actors/jean-yves-le-drian.yml": {
        "name": "Jean-Yves Le Drian", "kind": "person", "aliases": ["Le Drian"], "affiliations": ["france"],
        "roles": [{"title": "Minister", "of": "france", "from": "2017-05-17", "to": "2022-05-20"}],
        "description": "A minister.",
    },
    "content/actors/france.yml": {"name": "France", "kind": "state"},
    "content/sources/afp-talks.yml": {
        "title": "Talks held", "publisher": "AFP", "published": "2018-05-25", "url": "https://example.org/a",
        "author": "A. Writer", "date_note": "dateline",
    },
    "content/sources/tass-talks.yml": {"title": "Talks again", "published": "2018-05-26"},
    "content/events/2018/talks.yml": {
        "title": "Talks in Geneva", "date": "2018-05-24", "summary": "They talked.", "actors": ["Le Drian", "france"],
        "sources": [{"source": "afp-talks", "note": "reports it"}, "tass-talks"], "tags": ["diplomacy"],
        "location": "Geneva", "quotes": [{"by": "jean-yves-le-drian", "text": "We talked.", "source": "afp-talks"}],
        "date_note": "on Thursday", "status": "occurred", "related": ["more-talks"], "draft": False, "id": "talks",
        "key": True,
    },
    "content/events/2018/more-talks.yml": {
        "title": "More talks", "date": "2018-05-25T14:00", "summary": "Again.", "actors": ["france"], "sources": ["tass-talks"],
    },
}
FIELDS = {"site.yml": SITE_FIELDS, **{f"content/{kind}/": fields for kind, fields in FIELDS_BY_KIND.items()}}

BAD_TEXT = [
    "", " ", "2011-12-32", "16.12.2011", "2011-21", "early April 2011", "mid-April", "Spring 2011", "2011-03-11 14:00 JST",
    "2018-05-25/2018-05-24", "[2011-09-02..2011-09-19]", "0000", "99999", "2011-02-29T25:00", "05/06/2018", "2018-05~?",
    "ftp://example.org/x", "javascript:alert(1)", "https://example.org/a b", "example.org/x", "https://", "http:// x",
    "nobody", "le-drain", "Le Drian", "talks", "more-talks", "afp-talks", "france", "con", "Upper Case", "a--b",
    "Asia/Tokio", "JST", "Mars/Olympus", "english", "en-US", "x" * 300, "NISA: level 7", "{{ 7*7 }}", "<script>",
    "line\nbreak", "\u202e\u0000\x1b[31m", "../../etc", "planned", "occurred",
]
SAFE_OUTPUTS = ["_site", "public", "", None, 7, ["_site"], "out/site"]  # never a folder outside the test's own
SPECIAL_CHARACTERS = ["\t", ":", ": ", " ", '"', "'", "[", "]", "{", "}", "#", "\n", "- ", "&a", "*a", "!!python/none ", "|", ">", "%", "@", "`"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.floats(allow_nan=True), st.sampled_from(BAD_TEXT),
    st.text(max_size=20),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.sampled_from(["source", "by", "x", "title"]), scalars, max_size=2))


def field_paths(fields) -> list[tuple]:
    """Every field, and every field of the records a list field holds (at its first item)."""
    paths = []
    for declared in fields:
        paths.append((declared.name,))
        if isinstance(declared.type, ListOf) and isinstance(declared.type.item, Record):
            paths += [(declared.name, 0, inner.name) for inner in declared.type.item.fields]
    return paths


def fields_of(name: str):
    return next(fields for prefix, fields in FIELDS.items() if name.startswith(prefix))


@st.composite
def broken_sites(draw, kind: str) -> tuple[dict[str, str], str]:
    """The base site with one file of `kind` broken; returns (files, the broken file)."""
    names = [name for name in BASE if name.startswith(f"content/{kind}/") or name == kind]
    broken = draw(st.sampled_from(names))
    data = {name: yaml.safe_load(yaml.safe_dump(value)) for name, value in BASE.items()}
    how = draw(st.sampled_from(["remove", "replace", "replace", "unknown key", "character", "line"]))
    path = draw(st.sampled_from(field_paths(fields_of(broken))))
    target, leaf = data[broken], path[0]
    if len(path) == 3:
        items = target.get(path[0])
        if isinstance(items, list) and items:
            if not isinstance(items[0], dict):
                items[0] = {"source": items[0]}  # a cited source written as its id alone
            target, leaf = items[0], path[2]
    if how == "remove":
        target.pop(leaf, None)
    elif how == "replace":
        target[leaf] = draw(st.sampled_from(SAFE_OUTPUTS)) if leaf == "output" else draw(values)
    elif how == "unknown key":
        target[draw(st.sampled_from(["titel", "dates", "actor", "source", "x", "Title"]))] = draw(scalars)
    files: dict[str, str] = {name: yaml.safe_dump(value, allow_unicode=True, sort_keys=False) for name, value in data.items()}
    if how == "character":
        text = files[broken]
        at = draw(st.integers(0, len(text)))
        files[broken] = text[:at] + draw(st.sampled_from(SPECIAL_CHARACTERS)) + text[at:]
    if how == "line":
        lines = files[broken].splitlines(keepends=True)
        at = draw(st.integers(0, len(lines) - 1))
        change = draw(st.sampled_from(["indent", "dedent", "delete", "repeat"]))
        spaces = draw(st.integers(1, 3))
        lines[at] = {
            "indent": " " * spaces + lines[at], "dedent": lines[at][min(spaces, len(lines[at]) - len(lines[at].lstrip(" "))):],
            "delete": "", "repeat": lines[at] * 2,
        }[change]
        files[broken] = "".join(lines)
    return files, broken


def write_site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, err.getvalue()


# Breaking a file may leave another one naming what is no longer there.
KNOCK_ON = ("unknown actor", "unknown source", "unknown event", "could be any of", "has it already")


def assert_names_the_file(lines: list[str], broken: str) -> None:
    """Errors name the broken file, or follow from it (a reference to what it no longer holds)."""
    errors = [line for line in lines if ": error: " in line]
    assert errors, lines
    assert all(broken in line or any(k in line for k in KNOCK_ON) for line in errors), lines


def assert_never_raises_and_names_the_file(files: dict[str, str], broken: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = write_site(Path(folder), files)
        for argv in (["check", "--site", str(site)], ["build", "--site", str(site), "--no-search"]):
            code, output = run(argv)
            assert "Traceback" not in output, output
            assert code in (0, 1, 2), (argv, code, output)
            if code:
                assert_names_the_file(output.splitlines(), broken)
        log = io.StringIO()
        state = BuildState()
        rebuild(site, state, False, log)
        assert "internal error" not in log.getvalue() and "Traceback" not in log.getvalue(), log.getvalue()
        if not state.ok:
            assert_names_the_file(state.diagnostics, broken)


# A few seconds per kind by default; TIMELINE_FUZZ_EXAMPLES=500 for a longer hunt.
FUZZ = settings(max_examples=int(os.environ.get("TIMELINE_FUZZ_EXAMPLES", "12")), deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)


@pytest.mark.parametrize("kind", ["events", "actors", "sources", "site.yml"])
@FUZZ
@given(data=st.data())
def test_no_broken_file_makes_a_command_raise(kind: str, data: st.DataObject):
    assert_never_raises_and_names_the_file(*data.draw(broken_sites(kind)))


def test_the_base_site_is_clean():
    files = {name: yaml.safe_dump(value, sort_keys=False) for name, value in BASE.items()}
    with tempfile.TemporaryDirectory() as folder:
        code, output = run(["check", "--strict", "--site", str(write_site(Path(folder), files))])
    assert code == 0, output


NEW_OPTIONS = {
    "event": ["--date", "--actor", "--source", "--tag", "--location", "--id"],
    "actor": ["--kind", "--alias", "--id"],
    "source": ["--publisher", "--published", "--url", "--id"],
}
option_values = st.one_of(st.sampled_from(BAD_TEXT), st.text(max_size=20))


@FUZZ
@given(data=st.data(), kind=st.sampled_from(sorted(NEW_OPTIONS)), title=option_values)
def test_new_never_raises(data: st.DataObject, kind: str, title: str):
    options = data.draw(st.lists(st.tuples(st.sampled_from(NEW_OPTIONS[kind]), option_values), max_size=4))
    files = {name: yaml.safe_dump(value, sort_keys=False) for name, value in BASE.items()}
    with tempfile.TemporaryDirectory() as folder:
        site = write_site(Path(folder), files)
        code, output = run(["new", kind, "--site", str(site), *(f"{flag}={value}" for flag, value in options), "--", title])
    assert "Traceback" not in output, output
    assert code in (0, 2), (code, output)
