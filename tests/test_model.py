"""The Timeline: order of events and the one mechanism for terms."""
from pathlib import Path

from generator.model import Entry
from generator.pipeline import check_site

from conftest import write_files


def add_event(site: Path, name: str, date: str, actors: str = "[emmanuel-macron]", tags: str = "[]") -> None:
    write_files(site, {f"content/events/{name}.yml": f"title: Event {name}\ndate: '{date}'\nactors: {actors}\ntags: {tags}\nsummary: s\nsources: [afp-red-line]\n"})


def timeline(site: Path):
    report = check_site(site)
    assert report.timeline is not None, report.diagnostics
    return report.timeline


def test_events_in_total_order(minimal_site: Path):
    for name, date in [("day", "2017-05-01"), ("month", "2017-05"), ("span", "2017-05-01/2017-05-03"), ("b-day", "2017-05-01"), ("year", "2016")]:
        add_event(minimal_site, name, date)
    order = [e.id for e in timeline(minimal_site).events]
    assert order == ["year", "month", "span", "b-day", "day", "red-line"]


def test_actor_term_lists_members_events_marked_via(minimal_site: Path):
    add_event(minimal_site, "direct", "2017-06", actors="[france]")
    actors = timeline(minimal_site).taxonomies["actors"].terms
    assert actors["france"].entries == (Entry("red-line", via="emmanuel-macron"), Entry("direct"))
    assert actors["emmanuel-macron"].entries == (Entry("red-line"),)


def test_tags_years_and_sources_are_terms_too(minimal_site: Path):
    add_event(minimal_site, "span", "2017-12/2018-01", tags="[Chemical weapons, Diplomacy]")
    taxonomies = timeline(minimal_site).taxonomies
    assert taxonomies["tags"].terms["chemical-weapons"].label == "Chemical weapons"
    assert [e.event for e in taxonomies["tags"].terms["chemical-weapons"].entries] == ["red-line", "span"]
    assert [e.event for e in taxonomies["years"].terms["2018"].entries] == ["span"]
    assert [e.event for e in taxonomies["years"].terms["2017"].entries] == ["red-line", "span"]
    assert taxonomies["sources"].terms["afp-red-line"].label == "Macron draws a red line"


# --- the last model, patched -------------------------------------------------------

from dataclasses import replace  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from generator.dates import parse  # noqa: E402
from generator.model import Actor, Citation, Event, LastModel, Quote, SiteConfig, Source, Tag, build_timeline  # noqa: E402

ACTORS = {
    "france": Actor("france", "France", "state"),
    "macron": Actor("macron", "Emmanuel Macron", "person", affiliations=("france",)),
    "putin": Actor("putin", "Vladimir Putin", "person"),
}
SOURCES = {name: Source(name, f"Report {name}", "AFP", parse("2017-01-01"), "https://example.org", "", "") for name in ("a", "b")}
DATES = ["2017", "2017-11", "2017-01-05", "2017-01-05/2017-02-01", "2017-03", "2017-03-02", "2018-07-14", "2017~"]
TAGS = [Tag("ceasefire", "Ceasefire"), Tag("ceasefire", "ceasefire"), Tag("talks", "Talks")]


def _event(number: int, date: str, actors: tuple[str, ...] = ("putin",), tags: tuple[Tag, ...] = ()) -> Event:
    return Event(f"e{number}", f"Event {number}", parse(date), "s", actors, (Citation("a"),), tags=tags)


EDITS = st.lists(st.tuples(
    st.sampled_from(["title", "summary", "date", "actors", "tags", "after", "draft", "related", "quote", "nothing"]),
    st.integers(0, 11), st.integers(0, 100),
), min_size=1, max_size=8)


@settings(max_examples=80, deadline=None)
@given(edits=EDITS)
def test_the_last_model_patched_is_the_model_made_again(edits):
    config = SiteConfig("Test")
    events = [_event(n, DATES[n % len(DATES)], tags=(TAGS[n % 2],) if n % 3 else ()) for n in range(12)]  # two labels of one tag
    last = LastModel()
    last.build(config, tuple(events), ACTORS, SOURCES)
    for kind, index, value in edits:
        event = events[index]
        events[index] = {
            "title": lambda: replace(event, title=f"Title {value}"),
            "summary": lambda: replace(event, summary=f"Summary {value}"),
            "date": lambda: replace(event, date=parse(DATES[value % len(DATES)])),
            "actors": lambda: replace(event, actors=("macron",) if value % 2 else ("putin", "france")),
            "tags": lambda: replace(event, tags=(TAGS[value % 3],)),
            "after": lambda: replace(event, after=f"e{value % 12}"),
            "draft": lambda: replace(event, draft=not event.draft),
            "related": lambda: replace(event, related=(f"e{value % 12}",)),
            "quote": lambda: replace(event, quotes=(Quote("macron" if value % 2 else "putin", "Words."),)),
            "nothing": lambda: replace(event),
        }[kind]()
        assert last.build(config, tuple(events), ACTORS, SOURCES) == build_timeline(config, tuple(events), ACTORS, SOURCES)


def test_a_title_or_date_edit_is_patched_not_made_again(monkeypatch):
    import generator.model as model

    config = SiteConfig("Test")
    events = [_event(n, DATES[n % len(DATES)], tags=(TAGS[n % 3],)) for n in range(12)]
    last = LastModel()
    last.build(config, tuple(events), ACTORS, SOURCES)
    made_whole = []
    monkeypatch.setattr(model, "build_timeline", lambda *args, **kwargs: made_whole.append(args) or build_timeline(*args, **kwargs))
    events[3] = replace(events[3], title="Another title")
    events[5] = replace(events[5], date=parse("2017-06-01"))  # same year: on the same terms, moved
    patched = last.build(config, tuple(events), ACTORS, SOURCES)
    assert made_whole == [] and patched == build_timeline(config, tuple(events), ACTORS, SOURCES)
    events[5] = replace(events[5], actors=("macron",))  # on other terms: made again
    last.build(config, tuple(events), ACTORS, SOURCES)
    assert len(made_whole) == 1
