"""The model stage: the checked content as an immutable `Timeline`.

A `Timeline` holds the events in their total order with their actors and sources
resolved, and the indexes the site needs. Actors, tags, years, sources and places are
all "a term with a list of events": one `Taxonomy` of `Term`s serves all five.
"""
from __future__ import annotations

import bisect
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping, TypeVar

from generator.dates import EDTF

# Told of each model item printed whole (its repr: `{{ event }}`, `{{ [term] }}`, `|pprint`) while it is
# set: what is being made then reads what the print shows (`generator.reads` sets it while it records).
PRINTED: ContextVar[Callable[[Any], None] | None] = ContextVar("printed", default=None)
_Item = TypeVar("_Item", bound=type)


def _tells_when_printed(cls: _Item) -> _Item:
    plain = cls.__repr__

    def __repr__(self: Any) -> str:
        told = PRINTED.get()
        if told is not None:
            told(self)
        return plain(self)

    cls.__repr__ = __repr__  # type: ignore[method-assign]
    return cls


@dataclass(frozen=True)
class Role:
    title: str
    of: str | None = None  # actor id
    start: EDTF | None = None
    end: EDTF | None = None


@_tells_when_printed
@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()  # actor ids
    roles: tuple[Role, ...] = ()
    description: str = ""
    path: str = ""


@dataclass(frozen=True)
class Capture:
    """A source's page as archived by `timeline archive` (read from the archive's lock file)."""

    url: str  # the URL asked for
    final_url: str  # where the page was found, after redirects
    status: int  # HTTP status of the archived response
    captured: str  # when, as RFC 3339 UTC text
    sha256: str  # of the WARC file, which is named by it
    warc: str  # site path of the WARC file
    text: str = ""  # site path of the readable rendering, if the body had text
    content_type: str = ""
    size: int = 0  # bytes of the body archived
    truncated: bool = False  # the body was cut at the size limit
    snapshot: str = ""  # a public web archive's copy, when one was asked for


@dataclass(frozen=True)
class LinkState:
    """What `timeline check --links` last found at a source's URL."""

    state: str  # "ok", "moved" or "dead"
    checked: str  # when, as RFC 3339 UTC text
    status: int = 0  # HTTP status; 0 when there was no answer
    location: str = ""  # where a moved page now is
    reason: str = ""  # why a page is dead, in words


@_tells_when_printed
@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str = ""
    published: EDTF | None = None
    url: str = ""
    author: str = ""
    date_note: str = ""
    path: str = ""
    robots: bool = True  # respect the site's robots.txt when archiving
    capture: Capture | None = None
    link: LinkState | None = None


@_tells_when_printed
@dataclass(frozen=True)
class Place:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    within: str | None = None  # place id
    latitude: float | None = None
    longitude: float | None = None
    area: tuple[float, float, float, float] | None = None  # west, south, east, north
    precision: str = "exact"
    geonames: int | None = None
    wikidata: str | None = None
    description: str = ""
    path: str = ""


@dataclass(frozen=True)
class Citation:
    source: str  # source id
    note: str = ""


@dataclass(frozen=True)
class Quote:
    by: str  # actor id
    text: str
    source: str | None = None  # source id


@dataclass(frozen=True)
class Tag:
    slug: str
    label: str


@dataclass(frozen=True)
class TagDefinition:
    """A tag given a name of its own in content/tags/<id>.yml (a tag without one is named by its events' words)."""

    id: str
    name: str
    description: str = ""  # Markdown
    aliases: tuple[str, ...] = ()
    path: str = ""


@dataclass(frozen=True)
class Correction:
    date: EDTF
    text: str  # what was corrected, in Markdown


@dataclass(frozen=True)
class Media:
    """A picture, clip, recording or document of an event: a file under content/media/ or a link."""

    kind: str  # image, video, audio or document
    credit: str
    file: str = ""  # relative to content/media/
    url: str = ""
    alt: str = ""
    caption: str = ""  # inline Markdown
    width: int = 0  # an image file's size in pixels, as shown
    height: int = 0


@dataclass(frozen=True)
class History:
    """When an event's file was first committed and last changed, from the site's git history."""

    published: str  # RFC 3339 UTC text of the commit that added the file
    updated: str  # of the last commit that changed it


@_tells_when_printed
@dataclass(frozen=True)
class Event:
    id: str
    title: str
    date: EDTF
    summary: str  # Markdown
    actors: tuple[str, ...]  # actor ids, in the author's order
    sources: tuple[Citation, ...]
    tags: tuple[Tag, ...] = ()
    location: str = ""
    quotes: tuple[Quote, ...] = ()
    date_note: str = ""
    status: str = "occurred"
    related: tuple[str, ...] = ()  # event ids
    draft: bool = False
    path: str = ""
    after: str | None = None  # the id of an event of the same day this one follows
    places: tuple[str, ...] = ()  # place ids, in the author's order
    key: bool = False  # a key event of the story
    corrections: tuple[Correction, ...] = ()  # newest last, as the author lists them
    media: tuple[Media, ...] = ()
    history: History | None = None


@dataclass(frozen=True)
class Entry:
    """One event on a term's list; `via` names the member actor it came through."""

    event: str  # event id
    via: str | None = None


@_tells_when_printed
@dataclass(frozen=True)
class Term:
    slug: str
    label: str
    entries: tuple[Entry, ...]  # in chronological order
    taxonomy: str = ""  # the name of its Taxonomy ("actors", "tags", …)

    def __str__(self) -> str:  # a template that prints a term shows its label (its list is `entries`)
        return self.label


@_tells_when_printed
@dataclass(frozen=True)
class Taxonomy:
    """A kind of term (actors, tags, years, sources) and its terms, by slug."""

    name: str
    terms: Mapping[str, Term]


@dataclass(frozen=True)
class Period:
    """A named stretch of time (a presidency, a ceasefire), drawn as a band."""

    name: str
    date: EDTF
    description: str = ""


@_tells_when_printed
@dataclass(frozen=True)
class SiteConfig:
    title: str
    description: str = ""
    base_url: str = ""
    language: str = "en"
    output: str = "_site"
    timezone: str = "UTC"
    max_file_bytes: int = 4 * 1024 * 1024
    newest_first: bool = False
    periods: tuple[Period, ...] = ()

    def __post_init__(self) -> None:
        # site.yml gives periods as checked mappings; the model keeps them as records.
        object.__setattr__(self, "periods", tuple(p if isinstance(p, Period) else Period(**p) for p in self.periods))


@_tells_when_printed
@dataclass(frozen=True)
class Timeline:
    config: SiteConfig
    events: tuple[Event, ...]  # in the total order of their dates
    actors: Mapping[str, Actor]
    sources: Mapping[str, Source]
    taxonomies: Mapping[str, Taxonomy] = field(default_factory=dict)
    events_by_id: Mapping[str, Event] = field(default_factory=dict)
    places: Mapping[str, Place] = field(default_factory=dict)
    history_note: str = ""  # why events have no history, when they have none
    tags: Mapping[str, TagDefinition] = field(default_factory=dict)  # the tags defined in content/tags/, by id
    # Derived once, read by plan, views and charts (ids only, so they outlive `with_provenance`):
    position: Mapping[str, int] = field(default_factory=dict)  # event id → its place in `events`
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # event id → related either way, in order
    quotes_by: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)  # speaker → (event id, quote index)
    members: Mapping[str, frozenset[str]] = field(default_factory=dict)  # actor id → its members, direct or not


def with_provenance(
    timeline: Timeline, captures: Mapping[str, Capture], links: Mapping[str, LinkState],
    histories: Mapping[str, History], history_note: str = "",
) -> Timeline:
    """The timeline with each source's capture and link state and each event's history attached.

    Keyed by source id and by event file path; what has no record is left as it is.
    """
    sources = {
        source_id: replace(source, capture=captures.get(source_id), link=links.get(source_id))
        if source_id in captures or source_id in links else source
        for source_id, source in timeline.sources.items()
    }
    # Only events with a history are made anew (a site outside git costs nothing here).
    events = tuple(
        replace(event, history=history) if (history := histories.get(event.path)) else event
        for event in timeline.events
    )
    return replace(
        timeline, sources=sources, events=events, events_by_id={event.id: event for event in events},
        history_note=history_note,
    )


@dataclass(frozen=True)
class Change:
    """One entry of the site's record of changes: an event published, changed or corrected."""

    when: str  # RFC 3339 UTC text: a commit's time, or the day of a correction
    event: str  # event id
    kind: str  # "published", "changed" or "corrected"
    text: str = ""  # what a correction corrected, in Markdown


CHANGE_KINDS = ("corrected", "changed", "published")  # on the same instant, in this order


def change_record(events: tuple[Event, ...]) -> list[Change]:
    """Every event's publication, last change and corrections, newest first (ties: a stable order)."""
    changes: list[Change] = []
    for event in events:
        if event.history:
            changes.append(Change(event.history.published, event.id, "published"))
            if event.history.updated != event.history.published:
                changes.append(Change(event.history.updated, event.id, "changed"))
        for correction in event.corrections:
            day = correction.date.earliest.date().isoformat()
            changes.append(Change(f"{day}T00:00:00Z", event.id, "corrected", correction.text))
    changes.sort(key=lambda c: (c.event, CHANGE_KINDS.index(c.kind), c.text))
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes


def members_by_actor(actors: Mapping[str, Actor]) -> dict[str, set[str]]:
    """For each actor, every actor affiliated with it, directly or through others.

    A role's `of` counts as an affiliation: a minister of France is one of its members.
    """
    parents = {
        actor.id: {*actor.affiliations, *(role.of for role in actor.roles if role.of)} & actors.keys()
        for actor in actors.values()
    }
    members: dict[str, set[str]] = {actor_id: set() for actor_id in actors}
    for actor_id in actors:
        seen: set[str] = set()
        pending = list(parents[actor_id])
        while pending:
            parent = pending.pop()
            if parent in seen or parent == actor_id:
                continue
            seen.add(parent)
            members[parent].add(actor_id)
            pending.extend(parents[parent])
    return members


def build_timeline(
    config: SiteConfig, events: tuple[Event, ...], actors: Mapping[str, Actor], sources: Mapping[str, Source], drafts: bool = False,
    places: Mapping[str, Place] | None = None, tags: Mapping[str, TagDefinition] | None = None,
) -> Timeline:
    """The Timeline of checked items: events ordered, drafts left out unless asked for."""
    places = places or {}
    ordered = chronological([e for e in events if drafts or not e.draft])
    position = {event.id: index for index, event in enumerate(ordered)}
    entry = {event.id: Entry(event.id) for event in ordered}  # one each, shared by every term it is on
    return Timeline(
        config=config,
        events=ordered,
        actors=dict(sorted(actors.items())),
        sources=dict(sorted(sources.items())),
        taxonomies={
            "actors": _actor_taxonomy(ordered, actors, entry),
            "tags": _taxonomy("tags", ordered, entry, lambda e: [(t.slug, t.label) for t in e.tags]),
            "years": _taxonomy("years", ordered, entry, lambda e: [(str(y), str(y)) for y in years_of(e)]),
            "sources": _taxonomy("sources", ordered, entry, lambda e: [(s, sources[s].title) for s in cited_sources(e)]),
            "places": _taxonomy("places", ordered, entry, lambda e: [(p, places[p].name) for p in places_around(e, places)], every=places),
        },
        events_by_id={e.id: e for e in ordered},
        places=dict(sorted(places.items())),
        tags=dict(sorted((tags or {}).items())),
        position=position,
        related={
            event_id: tuple(sorted(others, key=position.__getitem__)) for event_id, others in related_both_ways(ordered).items()
        },
        quotes_by=quotes_by_speaker(ordered),
        members={actor_id: frozenset(members) for actor_id, members in members_by_actor(actors).items()},
    )


def enclosing(place_id: str, places: Mapping[str, Place]) -> list[str]:
    """The places a place lies within, nearest first (Douma → Eastern Ghouta → Syria)."""
    chain: list[str] = []
    parent = places[place_id].within if place_id in places else None
    while parent in places and parent not in chain and parent != place_id:
        chain.append(parent)
        parent = places[parent].within
    return chain


def places_around(event: Event, places: Mapping[str, Place]) -> list[str]:
    """The event's places and every place they lie within, each once: an event in Douma is in Syria too."""
    return list(dict.fromkeys(p for own in event.places for p in (own, *enclosing(own, places))))


def chronological(events: list[Event]) -> tuple[Event, ...]:
    """The events in their total order: by date (then id), each `after` event right behind the one it names.

    Events that follow the same one keep their own order among themselves. An `after`
    naming an event that is not there (a draft left out) is ignored; the checker refuses
    cycles, and any that got through are ordered by date alone.
    """
    by_date = sorted(events, key=lambda e: (*e.date.sort_key, e.id))
    present = {e.id for e in by_date}
    followers: dict[str, list[Event]] = {}
    for event in by_date:
        if event.after in present and event.after != event.id:
            followers.setdefault(event.after, []).append(event)  # type: ignore[arg-type]
    ordered: list[Event] = []
    placed: set[str] = set()

    def place(event: Event) -> None:
        pending = [event]
        while pending:
            current = pending.pop()
            if current.id in placed:
                continue
            placed.add(current.id)
            ordered.append(current)
            pending.extend(reversed(followers.get(current.id, [])))

    for event in by_date:
        if event.id not in placed and not (event.after in present and event.after != event.id):
            place(event)
    for event in by_date:  # only events caught in a cycle are left
        place(event)
    return tuple(ordered)


def related_both_ways(events: tuple[Event, ...]) -> dict[str, set[str]]:
    """For each event, the events it names as related and those that name it."""
    known = {event.id for event in events}
    related: dict[str, set[str]] = {}
    for event in events:
        for other in event.related:
            if other in known and other != event.id:
                related.setdefault(event.id, set()).add(other)
                related.setdefault(other, set()).add(event.id)
    return related


def quotes_by_speaker(events: tuple[Event, ...]) -> dict[str, tuple[tuple[str, int], ...]]:
    """What each actor is quoted as saying: (event id, index of the quote), in chronological order."""
    quotes: dict[str, list[tuple[str, int]]] = {}
    for event in events:
        for index, quote in enumerate(event.quotes):
            quotes.setdefault(quote.by, []).append((event.id, index))
    return {speaker: tuple(found) for speaker, found in quotes.items()}


def years_of(event: Event) -> range:
    """Every year of the site's calendar an event's date touches (an interval may span several)."""
    return range(event.date.local_earliest.year, event.date.local_latest.year + 1)


def cited_sources(event: Event) -> list[str]:
    """The event's sources, and those its quotes come from, each once."""
    cited = [c.source for c in event.sources]
    return cited + [q.source for q in event.quotes if q.source and q.source not in cited]


def _taxonomy(name: str, events: tuple[Event, ...], entry: Mapping[str, Entry], terms_of, every: Mapping[str, Place] | None = None) -> Taxonomy:
    """Terms made from each event's (slug, label) pairs, with its `entry`; with `every`, a term for each of its items, even unused."""
    labels: dict[str, str] = {slug: item.name for slug, item in (every or {}).items()}
    entries: dict[str, list[Entry]] = {slug: [] for slug in labels}
    for event in events:
        for slug, label in terms_of(event):
            labels.setdefault(slug, label)
            entries.setdefault(slug, []).append(entry[event.id])
    return Taxonomy(name, {slug: Term(slug, labels[slug], tuple(entries[slug]), name) for slug in sorted(entries)})


def _actor_taxonomy(events: tuple[Event, ...], actors: Mapping[str, Actor], entry: Mapping[str, Entry]) -> Taxonomy:
    """Each actor's events (with their `entry`), and those of its members marked by `via`."""
    members = members_by_actor(actors)
    affiliated_to: dict[str, list[str]] = {actor_id: [] for actor_id in actors}
    for parent, its_members in members.items():
        for member in its_members:
            affiliated_to[member].append(parent)
    for parents in affiliated_to.values():
        parents.sort()
    entries: dict[str, list[Entry]] = {actor_id: [] for actor_id in actors}
    for event in events:
        direct = set(event.actors)
        reached: dict[str, str] = {}
        for actor_id in event.actors:
            for parent in affiliated_to[actor_id]:
                if parent not in direct:
                    reached.setdefault(parent, actor_id)
        for actor_id in event.actors:
            entries[actor_id].append(entry[event.id])
        for parent, via in reached.items():
            entries[parent].append(Entry(event.id, via))
    terms = {actor_id: Term(actor_id, actors[actor_id].name, tuple(entries[actor_id]), "actors") for actor_id in sorted(actors)}
    return Taxonomy("actors", terms)


PATCHED_AT_MOST = 4  # events changed since the last model for it to be patched rather than made again


class LastModel:
    """The last Timeline a long-lived process (serve) made, with what it was made of.

    `build` makes the next one as `build_timeline` would; when only a few events
    changed, each keeping its id and the terms it is on, and no event names another
    by `after`, it is patched from the last one: the changed events put in their
    places (found by bisection), the lists of their terms put in order again when
    they moved, and the related events and quotes by speaker worked out again (one
    pass each). Anything else is made again whole.
    """

    def __init__(self) -> None:
        self.inputs: tuple | None = None
        self.timeline: Timeline | None = None

    def build(
        self, config: SiteConfig, events: tuple[Event, ...], actors: Mapping[str, Actor], sources: Mapping[str, Source],
        drafts: bool = False, places: Mapping[str, Place] | None = None, tags: Mapping[str, TagDefinition] | None = None,
    ) -> Timeline:
        inputs = (config, drafts, actors, sources, places or {}, tags or {})
        timeline = self._patched(inputs, events) or build_timeline(config, events, actors, sources, drafts, places, tags)
        self.inputs, self.timeline = (*inputs, events), timeline
        return timeline

    def _patched(self, inputs: tuple, events: tuple[Event, ...]) -> Timeline | None:
        last = self.timeline
        if last is None or self.inputs is None or len(events) != len(self.inputs[-1]) or self.inputs[:-1] != inputs:
            return None
        changed = [(old, new) for old, new in zip(self.inputs[-1], events) if old is not new and old != new]
        if len(changed) > PATCHED_AT_MOST or any(not _patchable(old, new) for old, new in changed):
            return None
        if any(event.after for event in events):
            return None
        timeline = last
        for old, new in changed:
            timeline = _moved(timeline, old, new)
        return replace(
            timeline,
            related={event_id: tuple(sorted(others, key=timeline.position.__getitem__))
                     for event_id, others in related_both_ways(timeline.events).items()},
            quotes_by=quotes_by_speaker(timeline.events),
        )


def _patchable(old: Event, new: Event) -> bool:
    """Whether `new` can take the place of `old` in the last model: same id, no draft, on the same terms."""
    return (
        old.id == new.id and not old.draft and not new.draft and old.actors == new.actors and old.tags == new.tags
        and old.places == new.places and cited_sources(old) == cited_sources(new) and years_of(old) == years_of(new)
    )


def _order_key(event: Event) -> tuple:
    return (*event.date.sort_key, event.id)


def _moved(timeline: Timeline, old: Event, new: Event) -> Timeline:
    """`timeline` with `new` in the place of `old` (on the same terms), in its place in the order."""
    events = list(timeline.events)
    index = timeline.position[old.id]
    del events[index]
    at = bisect.bisect_left(events, _order_key(new), key=_order_key)
    events.insert(at, new)
    events_by_id = dict(timeline.events_by_id)
    events_by_id[new.id] = new
    if at == index:
        return replace(timeline, events=tuple(events), events_by_id=events_by_id)
    position = {event.id: place for place, event in enumerate(events)}
    taxonomies = {name: _reordered(taxonomy, new.id, position, events_by_id) for name, taxonomy in timeline.taxonomies.items()}
    return replace(timeline, events=tuple(events), events_by_id=events_by_id, position=position, taxonomies=taxonomies)


def _reordered(taxonomy: Taxonomy, event_id: str, position: Mapping[str, int], events_by_id: Mapping[str, Event]) -> Taxonomy:
    """The taxonomy with the lists of the terms `event_id` is on put in order again."""
    terms = dict(taxonomy.terms)
    for slug, term in taxonomy.terms.items():
        if any(entry.event == event_id for entry in term.entries):
            entries = tuple(sorted(term.entries, key=lambda entry: position[entry.event]))
            label = term.label
            if taxonomy.name == "tags":  # a tag's label is the one its first event gives it
                label = next(tag.label for tag in events_by_id[entries[0].event].tags if tag.slug == slug)
            terms[slug] = Term(slug, label, entries, taxonomy.name)
    return Taxonomy(taxonomy.name, terms)
