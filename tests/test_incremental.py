"""Incremental == cold: after any sequence of edits, a build from the cache gives the bytes of a cold build.

Hypothesis draws a small site and a sequence of edits (dates moved within and across
years, titles, summaries, actors and sources changed, events, actors and sources
added, deleted and renamed, site.yml changed, a site template that reads the whole
timeline, static files). After each edit the site is built incrementally in its own
folder and cold in a fresh copy; the two outputs must be byte-identical. The
incremental builds read the record from the site's cache folder, as `timeline build`
does, or keep it in memory with what else serve keeps between builds (the events
its last check made, the digests made of them).

The default run is kept short; `HYPOTHESIS_PROFILE=long` runs many more examples.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from generator import charts, plan, timeview
from generator.build import Makers, Memory, build_site
from generator.record import CACHE_DIR, read_record, unpack, write_record
from generator.render import builtin_dir, make_environment
from generator.template_errors import TemplateFailure

settings.register_profile("default-incremental", max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("long", max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
PROFILE = "long" if os.environ.get("HYPOTHESIS_PROFILE") == "long" else "default-incremental"

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
# A site template that reads the whole timeline: every event page shows the latest event's title.
TIMELINE_TEMPLATE = (
    '{% extends "base.html" %}{% block main %}<h1>{{ event.title }}</h1>'
    "<p>latest: {{ timeline.events[-1].title }} of {{ timeline.events|length }}</p>{% endblock %}\n"
)
# The same, reaching every year's list through the taxonomies (as the home page reads their lengths).
YEARS_TEMPLATE = (
    '{% extends "base.html" %}{% block main %}<h1>{{ event.title }}</h1><p>{% for year in timeline.taxonomies.years.terms.values() %}'
    "{{ year }}: {% for entry in year.entries %}{{ entry.event }} {% endfor %}{% endfor %}</p>{% endblock %}\n"
)
# A site template that goes through an actor's whole list on each of its pages, printing only the events' ids.
TERM_TEMPLATE = '{% extends "term.html" %}{% block before %}<p>{% for entry in term.entries %}{{ entry.event }} {% endfor %}</p>{% endblock %}\n'
# Site templates that print model items whole: every field of the first event, a term with its list.
PRINTING_TEMPLATE = '{% extends "base.html" %}{% block main %}<pre>{{ event.title }} {{ timeline.events[0] }}</pre>{% endblock %}\n'
PRINTING_TERM_TEMPLATE = '{% extends "term.html" %}{% block before %}<pre>{{ [term] }}</pre>{% endblock %}\n'


@dataclass
class Site:
    """The site's content as plain values, written out as YAML files."""

    title: str = "Test site"
    description: str = "A *small* site."
    base_url: str = ""
    events: dict[str, dict] = field(default_factory=dict)
    actors: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)
    template: str | None = None
    card: str | None = None  # a site's own event card
    actor: str | None = None  # a site's own actor page
    static: dict[str, str] = field(default_factory=dict)

    def files(self) -> dict[str, str]:
        config = {"title": self.title, "description": self.description}
        if self.base_url:
            config["base_url"] = self.base_url
        files = {"site.yml": yaml.safe_dump(config)}
        for kind, items in (("events", self.events), ("actors", self.actors), ("sources", self.sources)):
            for name, item in items.items():
                files[f"content/{kind}/{name}.yml"] = yaml.safe_dump(item, sort_keys=True)
        if self.template is not None:
            files["templates/event.html"] = self.template
        if self.card is not None:
            files["templates/_event_card.html"] = self.card
        if self.actor is not None:
            files["templates/actor.html"] = self.actor
        for name, text in self.static.items():
            files[f"static/{name}"] = text
        return files


def initial_site() -> Site:
    site = Site()
    site.actors = {"france": {"name": "France", "kind": "state"}, "ana": {"name": "Ana", "kind": "person", "affiliations": ["france"]},
                   "bob": {"name": "Bob", "kind": "person"}}
    site.sources = {"afp": {"title": "AFP report", "published": "2017-05-29"}, "bbc": {"title": "BBC report", "published": "2018-01-02"}}
    site.events = {
        "first": _event("First", "2017-05-29", ["ana"], ["afp"]),
        "second": _event("Second", "2017-11-03", ["bob", "france"], ["bbc"]),
        "third": _event("Third", "2018-09-07", ["ana", "bob"], ["afp", "bbc"], quote="ana"),
        "fourth": _event("Fourth", "2019-02-10", ["france"], ["bbc"], related=["first"]),
    }
    return site


def _event(title: str, date: str, actors: list[str], sources: list[str], quote: str | None = None, related: list[str] = ()) -> dict:
    event = {"title": title, "date": date, "summary": f"What happened: {title.lower()}.", "actors": actors, "sources": sources,
             "tags": [title.lower()[:3]]}
    if quote:
        event["quotes"] = [{"by": quote, "text": f"words on {title}", "source": sources[0]}]
    if related:
        event["related"] = list(related)
    return event


def _pick(draw, items) -> str:
    return draw(st.sampled_from(sorted(items)))


def _date(draw, year: int | None = None) -> str:
    year = year or draw(st.integers(2016, 2020))
    return f"{year}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"


def _unused(site: Site, kind: str, thing: str) -> bool:
    """Whether no event refers to the actor or source `thing`."""
    for event in site.events.values():
        refs = event["actors"] if kind == "actor" else event["sources"]
        quoted = [q["by"] if kind == "actor" else q.get("source") for q in event.get("quotes", ())]
        if thing in refs or thing in quoted:
            return False
    if kind == "actor":
        return all(thing not in actor.get("affiliations", ()) for actor in site.actors.values())
    return True


def _replace_everywhere(site: Site, kind: str, old: str, new: str) -> None:
    """Rename the actor or source `old` to `new` in every reference to it."""
    swap = lambda values: [new if value == old else value for value in values]  # noqa: E731
    for event in site.events.values():
        if kind == "actor":
            event["actors"] = swap(event["actors"])
        else:
            event["sources"] = swap(event["sources"])
        for quote in event.get("quotes", ()):
            key = "by" if kind == "actor" else "source"
            if quote.get(key) == old:
                quote[key] = new
    if kind == "actor":
        for actor in site.actors.values():
            if "affiliations" in actor:
                actor["affiliations"] = swap(actor["affiliations"])


def edit(draw, site: Site) -> str:
    """One random edit of `site`, in place; returns what it did (for the failure report)."""
    choice = draw(st.sampled_from([
        "date-same-year", "date-other-year", "title", "summary", "event-actors", "event-sources",
        "add-event", "delete-event", "rename-event", "add-actor", "delete-actor", "rename-actor", "actor-name",
        "add-source", "delete-source", "rename-source", "source-title", "site-title", "site-base-url",
        "template", "card-template", "actor-template", "static",
    ]))
    word = draw(st.sampled_from(WORDS))
    if choice.startswith("date"):
        name = _pick(draw, site.events)
        year = int(site.events[name]["date"][:4]) if choice == "date-same-year" else None
        site.events[name]["date"] = _date(draw, year)
    elif choice == "title":
        site.events[_pick(draw, site.events)]["title"] = f"{word.capitalize()} happens"
    elif choice == "summary":
        site.events[_pick(draw, site.events)]["summary"] = f"Now *{word}* is what happened."
    elif choice == "event-actors":
        site.events[_pick(draw, site.events)]["actors"] = draw(st.lists(st.sampled_from(sorted(site.actors)), min_size=1, max_size=3, unique=True))
    elif choice == "event-sources":
        site.events[_pick(draw, site.events)]["sources"] = draw(st.lists(st.sampled_from(sorted(site.sources)), min_size=1, max_size=2, unique=True))
        for event in site.events.values():
            for quote in event.get("quotes", ()):
                quote["source"] = event["sources"][0]
    elif choice == "add-event":
        name = f"{word}-{len(site.events)}"
        site.events[name] = _event(word.capitalize(), _date(draw), [_pick(draw, site.actors)], [_pick(draw, site.sources)])
    elif choice == "delete-event" and len(site.events) > 1:
        gone = _pick(draw, site.events)
        del site.events[gone]
        for event in site.events.values():
            if gone in event.get("related", ()):
                event["related"] = [r for r in event["related"] if r != gone]
    elif choice == "rename-event":
        old = _pick(draw, site.events)
        site.events[f"{old}-{word}"] = site.events.pop(old)
        for event in site.events.values():
            if old in event.get("related", ()):
                event["related"] = [f"{old}-{word}" if r == old else r for r in event["related"]]
    elif choice == "add-actor":
        site.actors[f"{word}-actor"] = {"name": f"{word.capitalize()} Actor", "kind": "organization"}
    elif choice in ("delete-actor", "delete-source"):
        kind, items = ("actor", site.actors) if choice == "delete-actor" else ("source", site.sources)
        unused = [thing for thing in items if _unused(site, kind, thing)]
        if unused:
            del items[draw(st.sampled_from(sorted(unused)))]
    elif choice in ("rename-actor", "rename-source"):
        kind, items = ("actor", site.actors) if choice == "rename-actor" else ("source", site.sources)
        old = _pick(draw, items)
        items[f"{old}-{word}"] = items.pop(old)
        _replace_everywhere(site, kind, old, f"{old}-{word}")
    elif choice == "actor-name":
        site.actors[_pick(draw, site.actors)]["name"] = f"{word.capitalize()} Person"
    elif choice == "add-source":
        site.sources[f"{word}-source"] = {"title": f"{word.capitalize()} report", "published": _date(draw)}
    elif choice == "source-title":
        site.sources[_pick(draw, site.sources)]["title"] = f"{word.capitalize()} dispatch"
    elif choice == "site-title":
        site.title = f"{word.capitalize()} timeline"
    elif choice == "site-base-url":
        site.base_url = draw(st.sampled_from(["", "https://example.org/", f"https://{word}.example/sub/"]))
    elif choice == "template":
        site.template = draw(st.sampled_from([None, TIMELINE_TEMPLATE, TIMELINE_TEMPLATE.replace("latest", word), YEARS_TEMPLATE, PRINTING_TEMPLATE]))
    elif choice == "card-template":
        builtin = (builtin_dir("templates") / "_event_card.html").read_text(encoding="utf-8")
        site.card = draw(st.sampled_from([None, builtin.replace("<article", f'<article data-{word}="1"', 1)]))
    elif choice == "actor-template":
        site.actor = draw(st.sampled_from([None, TERM_TEMPLATE, TERM_TEMPLATE.replace("<p>", f"<p>{word}: "), PRINTING_TERM_TEMPLATE]))
    elif choice == "static":
        name = draw(st.sampled_from(["extra.css", "notes/a.txt", "notes"]))  # notes: a file where a folder was, or back
        if name in site.static and draw(st.booleans()):
            del site.static[name]
        else:
            site.static.pop({"notes": "notes/a.txt", "notes/a.txt": "notes"}.get(name, ""), None)
            site.static[name] = f"/* {word} */\n"
    return choice


def sync(folder: Path, files: dict[str, str]) -> None:
    """Make `folder`'s sources exactly `files`: changed files rewritten, the others left, stale ones removed."""
    for kind in ("content", "templates", "static"):
        for path in sorted((folder / kind).rglob("*"), reverse=True) if (folder / kind).is_dir() else ():  # a folder after its files
            if path.is_file() and path.relative_to(folder).as_posix() not in files:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for name, text in files.items():
        path = folder / name
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def built(folder: Path, **options) -> dict[str, bytes]:
    result = build_site(folder, search=False, **options)
    assert result.written is not None, [d.text() for d in result.report.diagnostics]
    return snapshot(folder / "_site")


@settings(settings.get_profile(PROFILE))
@given(st.data())
def test_an_incremental_build_gives_the_bytes_of_a_cold_build(tmp_path_factory, data):
    site = initial_site()
    warm = tmp_path_factory.mktemp("warm")
    sync(warm, site.files())
    memory = Memory(env=make_environment(warm)) if data.draw(st.booleans(), label="kept in memory, as serve does") else None
    # Small limits put a small site on the paths of a large one: lists paginated, the home
    # page showing only the latest events, time views, swim lanes and the home page's chart drawn as
    # counts by month or, over a long span, by year (no titles).
    marks, lane_marks, per_page, home, months = (data.draw(st.sampled_from([default, 2]), label=name) for name, default in (
        ("time views' marks at most", timeview.MAX_MARKS), ("swim lanes' marks at most", charts.MAX_MARKS),
        ("events a page", plan.PER_PAGE), ("events at home", plan.HOME_LIMIT), ("months before counts go by year", charts.MAX_MONTH_BINS)))
    with mock.patch.object(timeview, "MAX_MARKS", marks), mock.patch.object(charts, "MAX_MARKS", lane_marks), \
            mock.patch.object(plan, "PER_PAGE", per_page), mock.patch.object(plan, "HOME_LIMIT", home), \
            mock.patch.object(charts, "MAX_MONTH_BINS", months):
        _edit_and_compare(data, site, warm, memory, tmp_path_factory)


def _edit_and_compare(data, site: Site, warm: Path, memory: Memory | None, tmp_path_factory) -> None:
    built(warm, memory=memory)
    if memory is not None:  # as serve does once its first build is done (its pieces are packed then)
        write_record(warm / CACHE_DIR, memory.record)
    done = []
    for step in range(data.draw(st.integers(1, 5), label="edits")):
        done.append(edit(data.draw, site))
        files = site.files()
        failure = data.draw(st.sampled_from([None, "template", "content"]), label="a build that fails first, on a broken")
        if failure:
            _fail_once(warm, files, memory, failure)
            done.append(f"a build failed on a broken {failure}")
        sync(warm, files)
        cold = tmp_path_factory.mktemp("cold")
        sync(cold, files)
        incremental, reference = built(warm, memory=memory), built(cold)
        assert incremental.keys() == reference.keys(), done
        stale = sorted(path for path in reference if incremental[path] != reference[path])
        assert not stale, (done, stale)
        shutil.rmtree(cold)


def _fail_once(warm: Path, files: dict[str, str], memory: Memory | None, broken: str) -> None:
    """A build of the edited sources that fails: on an event template that fails while the event
    pages are made, or on an event file that does not parse (the checker reports it, nothing is made)."""
    if broken == "template":
        theme = (builtin_dir("templates") / "event.html").read_text(encoding="utf-8")
        sync(warm, {**files, "templates/event.html": theme.replace("{% block main %}", "{% block main %}{{ no_such_thing.name }}", 1)})
        with pytest.raises(TemplateFailure):
            build_site(warm, search=False, memory=memory)
        return
    event = min(name for name in files if name.startswith("content/events/"))
    sync(warm, {**files, event: files[event] + "title: [not closed\n"})
    assert build_site(warm, search=False, memory=memory).written is None


@pytest.mark.parametrize("before, after", [("notes/a.txt", "notes"), ("notes", "notes/a.txt")])
def test_a_static_file_where_a_folder_was_or_the_other_way_round_builds_as_a_cold_build_does(tmp_path: Path, before: str, after: str):
    """The spare folder mirrors the last site until the new one is written: a file there may stand
    where the new site has a folder, or the other way round (three builds: the third mirrors the second)."""
    site, warm = initial_site(), tmp_path / "warm"
    for static in ({before: "1"}, {after: "2"}, {after: "2", "extra.css": "3"}):
        site.static = dict(static)
        sync(warm, site.files())
        cold = tmp_path / f"cold-{len(static)}-{static.get(after, '')}"
        sync(cold, site.files())
        assert built(warm) == built(cold)


def test_force_rewrites_every_output(minimal_site: Path):
    """`--force` renders and writes every file again, even when nothing changed, and says so."""
    build_site(minimal_site, search=False)
    files = sorted(p for p in (minimal_site / "_site").rglob("*") if p.is_file() and p.name != ".timeline-site")
    inodes = {p: p.stat().st_ino for p in files}
    again = build_site(minimal_site, search=False, force=True)
    assert again.written is not None and again.written.written == again.files == len(files)
    assert again.rendered == again.pages + again.exports
    assert all(p.stat().st_ino != inodes[p] for p in files)  # each file is a new one
    assert any("--force" in note for note in again.notes)


def _built_site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    sync(folder, initial_site().files())
    built(folder)
    return folder


def test_a_corrupt_or_planted_record_is_ignored_and_the_build_is_cold(tmp_path: Path):
    import cbor2

    site = _built_site(tmp_path)
    reference = snapshot(site / "_site")
    record = site / ".timeline-cache" / "record.cbor"
    planted = [
        b"\x80\x03garbage",  # not a record
        record.read_bytes()[: record.stat().st_size // 2],  # truncated
        cbor2.dumps({"format": 1, "inputs": "x", "output": "y", "outcome": {}, "code": "z"})
        + cbor2.dumps(cbor2.CBORTag(41000, ["os.system", ["echo planted"]])),  # a class outside the table
    ]
    for data in planted:
        record.write_bytes(data)
        (site / "content/events/first.yml").write_text(yaml.safe_dump(_event("Changed", "2017-05-30", ["ana"], ["afp"])))
        result = build_site(site, search=False)
        assert result.written is not None and result.rendered == result.pages + result.exports  # a cold build
        cold = tmp_path / f"cold-{len(data)}"
        sync(cold, {**initial_site().files(), "content/events/first.yml": (site / "content/events/first.yml").read_text()})
        assert snapshot(site / "_site") == built(cold)
    assert snapshot(site / "_site") != reference


def test_a_summary_edit_remakes_only_what_shows_the_summary_and_the_record_does_not_grow(tmp_path: Path):
    site = _built_site(tmp_path)
    record = site / ".timeline-cache" / "record.cbor"
    first_size = record.stat().st_size
    event = site / "content/events/second.yml"
    for number in range(8):
        item = yaml.safe_load(event.read_text())
        item["summary"] = f"Edit number {number} of the summary."
        event.write_text(yaml.safe_dump(item))
        result = build_site(site, search=False)
        assert result.written is not None
        # Not everything: the time view's and maps' helpers are taken to read every event, so the
        # pages that use them are made again, but the other events' pages and pieces are kept.
        assert 0 < result.rendered < result.pages + result.exports, result.rendered
    assert b"Edit number 6" not in record.read_bytes() and b"Edit number 7" in record.read_bytes()
    assert abs(record.stat().st_size - first_size) < first_size / 10


def test_a_term_page_reads_its_terms_outlines_as_one_key(minimal_site: Path):
    assert build_site(minimal_site, search=False).written is not None
    record = read_record(minimal_site / CACHE_DIR)
    names = record.keys.names()
    reads = {names[index] for index in unpack(record.outputs["actors/france/index.html"][1])}
    assert "outlines:actors:france" in reads  # its time view of every event of the actor
    # The key's digest follows the outlines: a title edit of one of France's events changes it.
    before = record.keys.digests["outlines:actors:france"]
    event = minimal_site / "content/events/red-line.yml"  # Macron's, a member of France
    event.write_text(event.read_text().replace("title: ", "title: Renamed ", 1))
    assert build_site(minimal_site, search=False).written is not None
    assert read_record(minimal_site / CACHE_DIR).keys.digests["outlines:actors:france"] != before


@pytest.mark.parametrize("marks", [2, 400])
def test_a_title_edit_leaves_the_other_pages_of_a_long_list_whose_time_view_shows_no_title(minimal_site: Path, monkeypatch, marks: int):
    """Drawn as counts by month (more than MAX_MARKS events), a term's time view reads its events' frames, not their titles."""
    monkeypatch.setattr(timeview, "MAX_MARKS", marks)
    monkeypatch.setattr(plan, "PER_PAGE", 2)
    events = minimal_site / "content/events"
    for day in range(1, 6):
        (events / f"talks-{day}.yml").write_text(
            f"title: Talks {day}\ndate: 2017-06-0{day}\nactors: [emmanuel-macron]\nsummary: S.\nsources: [afp-red-line]\n")
    assert build_site(minimal_site, search=False).written is not None
    pages = [minimal_site / "_site/actors/france" / page / "index.html" for page in ("", "page/2", "page/3")]
    before = [page.stat().st_ino for page in pages]
    (events / "talks-1.yml").write_text((events / "talks-1.yml").read_text().replace("title: Talks 1", "title: Secret talks"))
    assert build_site(minimal_site, search=False).written is not None
    after = [page.stat().st_ino for page in pages]
    assert "Secret talks" in pages[0].read_text()
    assert after[0] != before[0]  # its card is on the first page
    # The others show the actor's whole time view: with marks, each titled; with counts, no title.
    assert (after[2] == before[2]) is (marks == 2)


@pytest.mark.parametrize("marks", [0, 250])
def test_a_title_edit_leaves_the_swim_lanes_when_they_show_counts_only(minimal_site: Path, monkeypatch, marks: int):
    """The actors' index draws the busiest actors' lanes: titled marks, or counts by month for a lane of more than MAX_MARKS events."""
    monkeypatch.setattr(charts, "MAX_MARKS", marks)
    assert build_site(minimal_site, search=False).written is not None
    index = minimal_site / "_site/actors/index.html"
    before = index.stat().st_ino
    event = next((minimal_site / "content/events").rglob("*.yml"))
    event.write_text(event.read_text().replace("title: ", "title: Renamed ", 1))
    drawn = []
    monkeypatch.setattr(charts, "swimlanes", lambda *args, draw=charts.swimlanes, **options: drawn.append(1) or draw(*args, **options))
    assert build_site(minimal_site, search=False).written is not None
    assert ("Renamed" in index.read_text()) is (marks == 250)
    assert (index.stat().st_ino == before) is (marks == 0)
    assert bool(drawn) is (marks == 250)  # counts only: the lanes are not even drawn again to be digested


def test_a_date_moved_within_its_year_leaves_the_swim_lanes_counted_by_year(minimal_site: Path, monkeypatch):
    """Lanes drawn as counts by year (an axis over MAX_MONTH_BINS months) are the same after a move into
    another month of the same year: the actors' index is not made again; a move into another year re-makes it."""
    _long_actor_list(minimal_site, monkeypatch)
    monkeypatch.setattr(charts, "MAX_MARKS", 0)
    monkeypatch.setattr(charts, "MAX_MONTH_BINS", 0)  # the site spans two months
    assert build_site(minimal_site, search=False).written is not None
    index = minimal_site / "_site/actors/index.html"
    assert 'href="../2017/index.html" aria-label="2017: ' in index.read_text()
    assert "actors/index.html" not in _moved(minimal_site, "talks-4", "2017-06-04", "2017-08-04")
    assert "actors/index.html" in _moved(minimal_site, "talks-4", "2017-08-04", "2016-08-04")
    assert 'aria-label="2016: 1 event"' in index.read_text()


def _long_actor_list(site: Path, monkeypatch) -> list[Path]:
    """Five more events of France's (drawn as counts by month, two a page); the paths of its three pages."""
    monkeypatch.setattr(timeview, "MAX_MARKS", 2)
    monkeypatch.setattr(plan, "PER_PAGE", 2)
    for day in range(1, 6):
        (site / f"content/events/talks-{day}.yml").write_text(
            f"title: Talks {day}\ndate: 2017-06-0{day}\nactors: [emmanuel-macron]\nsummary: S.\nsources: [afp-red-line]\n")
    return [site / "_site/actors/france" / page / "index.html" for page in ("", "page/2", "page/3")]


def _moved(site: Path, name: str, old: str, new: str) -> list[str]:
    """The event `name` moved from date `old` to `new`, and the site built again: the outputs it made again."""
    event = site / f"content/events/{name}.yml"
    event.write_text(event.read_text().replace(old, new))
    made: list[str] = []
    with mock.patch.object(Makers, "make", lambda self, path, job, make=Makers.make: made.append(path) or make(self, path, job)):
        assert build_site(site, search=False).written is not None
    return made


def test_a_date_moved_within_its_month_leaves_the_pages_of_a_long_list_whose_events_stay(minimal_site: Path, monkeypatch):
    """A long list's time view, drawn as counts by month, reads only its axis and counts (`bins:`), and
    each page's plan holds only its own stretch of the list: a move within a month re-makes the pages it
    moves between, not the others (all of them showed the whole list's time view, which is the same)."""
    pages = _long_actor_list(minimal_site, monkeypatch)  # red-line talks-1 | talks-2 talks-3 | talks-4 talks-5
    assert build_site(minimal_site, search=False).written is not None
    assert pages[1].read_text().index("Talks 2") < pages[1].read_text().index("Talks 3")
    made = _moved(minimal_site, "talks-2", "2017-06-02", "2017-06-04")  # after talks-3 (before talks-4, by id), on the same page
    assert "actors/france/page/2/index.html" in made
    assert not {"actors/france/index.html", "actors/france/page/3/index.html"} & set(made), made
    assert pages[1].read_text().index("Talks 2") > pages[1].read_text().index("Talks 3")
    made = _moved(minimal_site, "talks-5", "2017-06-05", "2017-07-05")  # still last, but in another month
    assert {"actors/france/index.html", "actors/france/page/2/index.html", "actors/france/page/3/index.html"} <= set(made)
    assert 'href="../../2017/index.html#month-2017-07"' in pages[0].read_text()


def test_a_date_moved_within_its_year_leaves_the_pages_of_a_long_list_counted_by_year(minimal_site: Path, monkeypatch):
    """Over a span that a time view counts by year, a move into another month of the same year leaves
    the pages whose own stretch of the list is the same; a site template that draws the list on a year's
    axis (counted by month) sees the move on every page."""
    pages = _long_actor_list(minimal_site, monkeypatch)
    monkeypatch.setattr(charts, "MAX_MONTH_BINS", 12)
    (minimal_site / "content/events/talks-6.yml").write_text(
        "title: Talks 6\ndate: 2019-01-10\nactors: [emmanuel-macron]\nsummary: S.\nsources: [afp-red-line]\n")
    pages.append(minimal_site / "_site/actors/france/page/4/index.html")  # red-line talks-1 | 2 3 | 4 5 | 6
    assert build_site(minimal_site, search=False).written is not None
    assert 'href="../../2017/index.html"' in pages[0].read_text() and "#month-2017" not in pages[0].read_text()
    made = _moved(minimal_site, "talks-4", "2017-06-04", "2017-08-04")  # after talks-5 now: page 3 alone changes
    assert "actors/france/page/3/index.html" in made
    assert not {"actors/france/index.html", "actors/france/page/2/index.html", "actors/france/page/4/index.html"} & set(made), made
    (minimal_site / "templates").mkdir(exist_ok=True)
    (minimal_site / "templates/actor.html").write_text(
        '{% extends "term.html" %}{% block before %}<div id="year">{{ time_view(term.entries, year=2017) }}</div>{% endblock %}\n')
    assert build_site(minimal_site, search=False).written is not None
    assert "#month-2017-08" in pages[3].read_text()
    made = _moved(minimal_site, "talks-4", "2017-08-04", "2017-09-04")
    assert {str(page.relative_to(minimal_site / "_site")) for page in pages} <= set(made)
    assert "#month-2017-09" in pages[3].read_text() and "#month-2017-08" not in pages[3].read_text()


def test_a_date_moved_within_its_month_and_place_leaves_the_home_page_whose_time_view_shows_counts(minimal_site: Path, monkeypatch):
    """Drawn as counts by month, the time view of every event reads `bins:all`: a day corrected
    within its month, the order kept, leaves the home page (which shows the latest events) as it was."""
    monkeypatch.setattr(timeview, "MAX_MARKS", 2)
    monkeypatch.setattr(plan, "HOME_LIMIT", 2)
    for number, day in enumerate(("08", "15", "22", "29"), start=1):
        (minimal_site / f"content/events/talks-{number}.yml").write_text(
            f"title: Talks {number}\ndate: 2017-06-{day}\nactors: [emmanuel-macron]\nsummary: S.\nsources: [afp-red-line]\n")
    assert build_site(minimal_site, search=False).written is not None
    assert 'class="tv-bins"' in (minimal_site / "_site/index.html").read_text()
    made = _moved(minimal_site, "talks-1", "2017-06-08", "2017-06-09")
    assert "events/talks-1/index.html" in made and "index.html" not in made, made
    # After talks-2 now: the year's list changes order, not its length, which is all the home page shows of it.
    made = _moved(minimal_site, "talks-1", "2017-06-09", "2017-06-16")
    assert "2017/index.html" in made and "index.html" not in made, made
    made = _moved(minimal_site, "talks-1", "2017-06-16", "2017-07-09")  # into another month, and after the others
    assert "index.html" in made
    assert "2017-07" in (minimal_site / "_site/index.html").read_text()


def test_a_site_template_that_goes_through_a_terms_list_sees_a_date_edit_on_every_page(minimal_site: Path, monkeypatch):
    """A page's plan holds its term's label and length, not its list: a template that reads the list records it."""
    pages = _long_actor_list(minimal_site, monkeypatch)
    (minimal_site / "templates").mkdir(exist_ok=True)
    (minimal_site / "templates/actor.html").write_text(
        '{% extends "term.html" %}{% block before %}<p id="order">{% for entry in term.entries %}{{ entry.event }} {% endfor %}'
        "({{ term.entries|length }})</p>{% endblock %}\n")
    assert build_site(minimal_site, search=False).written is not None
    assert "talks-1 talks-2" in pages[2].read_text()
    made = _moved(minimal_site, "talks-1", "2017-06-01", "2017-06-04")  # after talks-3, before talks-4 (by id)
    assert "actors/france/page/3/index.html" in made  # its own stretch of the list is the same
    assert "talks-2 talks-3 talks-1" in pages[2].read_text()


def test_a_template_that_prints_the_models_collections_as_they_are_gets_the_same_bytes_every_time(tmp_path: Path):
    """Printed whole, the wrapped events, actors and a term's list are what they wrap, and say what they
    read: two cold builds give the same bytes (an object's address once made every build differ), and an
    incremental build after an edit those prints show gives a cold build's."""
    site = initial_site()
    site.template = '{% extends "base.html" %}{% block main %}<pre>{{ timeline.events }} {{ timeline.actors }}</pre>{% endblock %}\n'
    site.actor = '{% extends "term.html" %}{% block before %}<pre>{{ term }}: {{ term.entries }}</pre>{% endblock %}\n'
    warm = tmp_path / "warm"
    sync(warm, site.files())
    first = built(warm)
    assert "France: (Entry(event=" in first["actors/france/index.html"].decode()
    for name, edit in (("ana", lambda: site.actors["ana"].update(name="Ana Maria")),
                       ("first", lambda: site.events["first"].update(summary="Retold."))):
        again = tmp_path / f"cold-{name}"
        sync(again, site.files())
        assert built(again) == built(warm)  # as they were: the same bytes
        edit()
        sync(warm, site.files())
        cold = tmp_path / f"cold-after-{name}"
        sync(cold, site.files())
        assert built(warm) == built(cold)
    assert "Ana Maria" in built(warm)["events/second/index.html"].decode() and "Retold." in built(warm)["events/fourth/index.html"].decode()


def test_a_template_that_prints_a_model_item_whole_reads_what_the_print_shows(tmp_path: Path):
    """`{{ event }}`, `{{ [actor] }}`, `{{ [term] }}` and `term|pprint` print an item's every field: the
    page reads them all, so an edit of any of them re-makes it (before, the summary and the term's list
    went unread and the incremental pages kept the old print)."""
    site = initial_site()
    site.template = '{% extends "base.html" %}{% block main %}<pre>{{ timeline.events[0] }} {{ [timeline.actors["ana"]] }}</pre>{% endblock %}\n'
    site.actor = '{% extends "term.html" %}{% block before %}<pre>{{ [term] }} {{ term|pprint }}</pre>{% endblock %}\n'
    warm = tmp_path / "warm"
    sync(warm, site.files())
    assert "summary=&#39;What happened: first.&#39;" in built(warm)["events/fourth/index.html"].decode()
    edits = (("summary", lambda: site.events["first"].update(summary="Retold."), "summary=&#39;Retold.&#39;"),
             ("actor", lambda: site.actors["ana"].update(name="Ana Maria"), "name=&#39;Ana Maria&#39;"),
             ("date", lambda: site.events["second"].update(date="2017-01-02"), "Event(id=&#39;second&#39;"))
    for name, edit, shown in edits:
        edit()
        sync(warm, site.files())
        cold = tmp_path / f"cold-after-{name}"
        sync(cold, site.files())
        assert built(warm) == built(cold), name
        assert shown in built(warm)["events/fourth/index.html"].decode()


def test_a_template_that_goes_through_the_years_lists_sees_their_new_order(tmp_path: Path):
    """A taxonomy as templates see it holds its terms' labels and lengths; a list gone through is recorded on its own."""
    site = initial_site()
    site.template = YEARS_TEMPLATE
    sync(tmp_path, site.files())
    assert "2017: first second" in built(tmp_path)["events/fourth/index.html"].decode()
    site.events["first"]["date"] = "2017-12-01"
    sync(tmp_path, site.files())
    assert "2017: second first" in built(tmp_path)["events/fourth/index.html"].decode()


def _outlines_digest(site: Path, key: str) -> str:
    assert build_site(site, search=False).written is not None
    return read_record(site / CACHE_DIR).keys.digests[key]


def test_a_terms_outlines_follow_the_events_that_place_its_own(minimal_site: Path):
    """The digest is kept while nothing of the term changed, and follows an event outside it that places one of its own."""
    events = minimal_site / "content/events"
    common = "summary: S.\nsources: [afp-red-line]\n"
    (events / "talks.yml").write_text(f"title: Talks\ndate: 2017-06-10\nactors: [emmanuel-macron]\n{common}")
    (events / "reply.yml").write_text(f"title: Reply\ndate: 2017-06-10\nactors: [Macron]\nafter: talks\n{common}")
    (events / "other.yml").write_text(f"title: Other\ndate: 2017-07-01\nactors: [emmanuel-macron]\n{common}")
    key = "outlines:tags:chemical-weapons"  # red-line's tag; "reply" gets it too
    (events / "reply.yml").write_text((events / "reply.yml").read_text() + "tags: [Chemical weapons]\n")
    first = _outlines_digest(minimal_site, key)
    (events / "other.yml").write_text((events / "other.yml").read_text().replace("title: Other", "title: Elsewhere"))
    assert _outlines_digest(minimal_site, key) == first  # neither in the term nor placing one of it
    (events / "talks.yml").write_text((events / "talks.yml").read_text().replace("title: Talks", "title: Secret talks"))
    second = _outlines_digest(minimal_site, key)
    assert second != first  # "talks" places "reply", which has the tag
    # A draft is left out of the site: "reply" still names it, but follows nothing there now.
    (events / "talks.yml").write_text((events / "talks.yml").read_text() + "draft: true\n")
    assert _outlines_digest(minimal_site, key) != second


def test_check_results_read_back_from_the_record_give_the_same_model(tmp_path: Path):
    from conftest import REPO
    from generator.pipeline import load_site
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.yml", site)
    built(site)
    kept = read_record(site / ".timeline-cache").files
    assert kept and all(checked.result() is not None for checked in kept.values())
    assert load_site(site, results=kept).timeline == load_site(site).timeline


def test_every_event_field_is_known_to_come_from_its_file_or_to_be_resolved():
    """An outline's digest is kept while its file's check result and RESOLVED_FIELDS stay the same.

    A new Event field must be listed here (made from the file alone) or in RESOLVED_FIELDS
    (it depends on other files, or on git), or incremental builds could miss its changes.
    """
    import dataclasses

    from generator.keys import RESOLVED_FIELDS
    from generator.model import Event

    from_file = {
        "title", "date", "summary", "sources", "location", "date_note", "status", "related", "draft", "path",
        "after", "key", "corrections",
    }  # tags take their names from content/tags/, media their sizes from content/media/
    fields = {f.name for f in dataclasses.fields(Event)}
    assert fields - from_file - set(RESOLVED_FIELDS) == set()


def test_a_date_moved_within_its_year_leaves_the_neighbouring_years_pages_and_the_sitemap(minimal_site: Path):
    """A year page links to the years beside it by slug and label only, and the sitemap lists pages by path:
    neither changes when the events of a neighbouring year change order."""
    (minimal_site / "site.yml").write_text("title: Minimal test site\nbase_url: https://example.org/\n")
    events = minimal_site / "content/events"
    common = "actors: [emmanuel-macron]\nsummary: S.\nsources: [afp-red-line]\n"
    for name, date in (("early", "2016-03-01"), ("talks", "2017-02-01"), ("late", "2018-08-01")):
        (events / f"{name}.yml").write_text(f"title: {name.title()}\ndate: {date}\n{common}")
    assert build_site(minimal_site, search=False).written is not None
    output = minimal_site / "_site"
    year = (output / "2017/index.html").read_text()
    assert year.index("Talks") < year.index("Macron draws a red line")
    assert 'href="../2016/' in year and 'href="../2018/' in year  # its neighbours, linked
    talks = events / "talks.yml"
    talks.write_text(talks.read_text().replace("2017-02-01", "2017-11-01"))  # after the red line now
    made = []
    with mock.patch.object(Makers, "make", lambda self, path, job, make=Makers.make: made.append(path) or make(self, path, job)):
        assert build_site(minimal_site, search=False).written is not None
    year = (output / "2017/index.html").read_text()
    assert year.index("Talks") > year.index("Macron draws a red line")
    assert "2017/index.html" in made and "events/talks/index.html" in made
    assert not {"2016/index.html", "2018/index.html", "sitemap.xml"} & set(made), made


def test_a_build_that_fails_once_its_outputs_are_made_leaves_the_kept_record_to_the_next_build(tmp_path: Path):
    """The keys' new digests are worked out while the search index is finished, but noted only
    once it is: after a build that fails there, serve's next build still re-makes the edited pages."""
    site, warm, cold = initial_site(), tmp_path / "warm", tmp_path / "cold"
    sync(warm, site.files())
    memory = Memory(env=make_environment(warm))
    built(warm, memory=memory)
    name = sorted(site.events)[0]
    site.events[name]["title"] = "A title saved while the index failed"
    sync(warm, site.files())
    with mock.patch("generator.build._SearchIndex.finish", side_effect=RuntimeError("the index failed")):
        with pytest.raises(RuntimeError):
            build_site(warm, search=False, memory=memory)
    sync(cold, site.files())
    assert built(warm, memory=memory) == built(cold)


def test_a_template_restored_after_a_failed_build_is_the_one_serve_renders_with(tmp_path: Path):
    """serve keeps its compiled templates between builds: after a build that failed on a broken
    site template, the template saved back as it was is used again, not the broken one compiled."""
    site, warm, cold = initial_site(), tmp_path / "warm", tmp_path / "cold"
    theme = (builtin_dir("templates") / "event.html").read_text()
    site.template = theme.replace("{% block main %}", "{% block main %}<p>Own template</p>", 1)
    sync(warm, site.files())
    memory = Memory(env=make_environment(warm))
    built(warm, memory=memory)
    good = site.template
    site.template = good.replace("<p>Own template</p>", "{{ no_such_thing.name }}")
    site.events["first"]["title"] = "Saved with a broken template"
    sync(warm, site.files())
    with pytest.raises(TemplateFailure):
        build_site(warm, search=False, memory=memory)
    site.template = good
    sync(warm, site.files())
    sync(cold, site.files())
    assert built(warm, memory=memory) == built(cold)
