"""Helpers that templates call: derived facts about the Timeline for its pages.

`template_globals` binds a `Views` to one Timeline and hands its public methods to
Jinja. Everything here is computed from the Timeline alone (indexes are built once
when the `Views` is made and never changed), returns plain values or the frozen
records of `generator.charts`, and knows nothing of HTML except the one thing the
HTML standard fixes: what a `<time datetime>` may hold.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from typing import Any, Callable, Iterator, Mapping, Sequence

from generator import charts, exports, maps, timeview
from generator.dates import EDTF, MONTH_NAMES, PartialDate, Precision, year_of
from generator.reads import ALL_BINS, ALL_MONTH_BINS, TrackedList, fact, outline, record, record_all, record_outlines, summary, term_list, terms_bins, terms_outlines
from generator.model import (
    Actor, Entry, Event, Quote, Source, Tag, Timeline, cited_sources,
)

EntryPair = tuple[Event, "str | None"]  # an event on a list, and the member it came through

KIND_LABELS = {
    "person": ("Person", "People"),
    "state": ("State", "States"),
    "organization": ("Organization", "Organizations"),
    "armed-group": ("Armed group", "Armed groups"),
    "media": ("Media outlet", "Media"),
    "other": ("Other", "Other actors"),
}
STATUS_LABELS = {
    "occurred": "Occurred",
    "planned": "Planned: announced, not yet happened when reported",
    "disputed": "Disputed: sources disagree that it happened as told",
}
DOWNLOADS = (
    ("feed.xml", "Atom feed"),
    ("events.json", "JSON"),
    ("timelinejs.json", "TimelineJS"),
    ("events.ics", "Calendar (iCalendar)"),
    ("events.csv", "Spreadsheet (CSV)"),
    ("events.geojson", "Map data (GeoJSON)"),
    ("storymap.json", "StoryMapJS"),
)
# The helpers templates may call (each records what it reads, see `generator.reads`).
HELPERS = (
    "by_year", "by_month", "span_text", "overview_chart", "activity", "lanes", "kind_label", "actors_by_kind",
    "members", "companions", "quotes_by", "datetime_attr", "day_span", "filter_choices", "status_label",
    "source_count", "cited", "related", "absolute_url", "citation", "event_jsonld", "has_export", "downloads", "plural",
)
EARLIER, YEAR_ONLY = -1, 0  # month keys of the groups before January on a year's list
COMPANIONS = 8


@dataclass(frozen=True)
class Group:
    """A run of a chronological list under one heading: a year, or a month of a year."""

    key: int  # the year; or the month (1-12), YEAR_ONLY or EARLIER
    anchor: str
    label: str
    entries: tuple[EntryPair, ...]


@dataclass(frozen=True)
class FilterChoices:
    """What the filters of a chronological list offer: its events' actors and tags, its first and last day."""

    actors: tuple[tuple[Actor, int], ...]  # by name, each with its number of events on the list
    tags: tuple[tuple[Tag, int], ...]  # by label
    first_day: str  # ISO days, for the date range's bounds
    last_day: str


@dataclass(frozen=True)
class CitedSource:
    """A source as an event cites it, with the event's note about it."""

    source: Source
    note: str = ""


def template_globals(timeline: Timeline, views: Views | None = None) -> dict[str, Callable[..., Any]]:
    """Functions made available to every template, bound to this Timeline (and to its `views`, when given)."""
    views = views or Views(timeline)
    helpers = {name: getattr(views, name) for name in HELPERS}
    drawings = {**timeview.template_globals(timeline, lambda: views.whole_axis, lambda: views.binned_parts), **maps.template_globals(timeline)}
    handed = _HandedEvents(timeline)  # shared: a term's list is handed to several of them on each of its pages
    return {**helpers, **{name: _reading(helper, DRAWING_READS[name], handed) for name, helper in drawings.items()}}


# What each drawing helper reads besides the events handed to it (whose outlines it records,
# with those of the events they follow, which place them). A list's reading order follows
# from its events' outlines alone. The time views say themselves what they draw (`_HandedEvents.drawn`).
DRAWING_READS: dict[str, tuple[str, ...]] = {
    "time_view": ("config",),
    "lane_view": ("config", "terms:actors"),
    "lane_choices": ("terms:actors",),
    "period_starts": ("config",),
    "reading_order": ("config",),
    "events_map": ("config", "timeline:places"),
    "locator_map": ("config", "timeline:places"),
    "place_trail": ("timeline:places",),
    "map_marks": ("timeline:places",),  # a map made by events_map or locator_map, which record its events
    "map_places": ("timeline:places",),
    "where_once": ("config", "timeline:places"),  # a trail and a locator map, made once per set of places
}


def _reading(helper: Callable[..., Any], reads: tuple[str, ...], handed: _HandedEvents) -> Callable[..., Any]:
    """A drawing helper that records `reads` and the outlines of the events it is handed (of all, for none)."""
    def helper_reading(*args: Any, **kwargs: Any) -> Any:
        args = tuple(_listed(value) for value in args)
        kwargs = {name: _listed(value) for name, value in kwargs.items()}
        record_all(reads)
        # (context, entries, on_page…): of `on_page`, a stretch of the list drawn (of every event,
        # for none), they read only the ids, which that list's key covers: not recorded again.
        if helper.__name__ == "time_view":  # (context, entries, on_page, year)
            year = args[3] if len(args) > 3 else kwargs.get("year")
            record_all(handed.drawn(args[1] if len(args) > 1 else kwargs.get("entries"), on_a_year=bool(year)))
        elif helper.__name__ == "lane_view":
            record_all(handed.drawn(None, axis_only=True))
            for term in helper.__self__.lane_terms():  # type: ignore[attr-defined]
                record_all(handed.drawn(term.entries))
        elif helper.__name__ == "lane_choices":  # chosen by their number of events and labels (`terms:actors`)
            return [(term, TrackedList(events, term_list(term))) for term, events in helper(*args, **kwargs)]
        else:
            for value in (*args, *kwargs.values()):
                record_all(handed.outlines(value))
        return helper(*args, **kwargs)
    if hasattr(helper, "jinja_pass_arg"):  # @pass_context and the like: Jinja must still pass the context
        helper_reading.jinja_pass_arg = helper.jinja_pass_arg  # type: ignore[attr-defined]
    return helper_reading


class _HandedEvents:
    """The outline keys of the events in a helper's argument, and of those they follow (which place them).

    A term's whole list, handed again for each page of it, stands for all of them as one
    key, `outlines:<taxonomy>:<slug>`: a page's read set then does not grow with its term.
    """

    def __init__(self, timeline: Timeline):
        self._events = timeline.events_by_id
        lists = [(term.entries, name, slug) for name, taxonomy in timeline.taxonomies.items() for slug, term in taxonomy.terms.items()]
        self._known: dict[int, tuple[Any, frozenset[str]]] = {  # id of a list: the list (so the id stays its own), its keys
            id(entries): (entries, frozenset((terms_outlines(name, slug),))) for entries, name, slug in lists
        }
        self._bins = {
            id(entries): (entries, frozenset((terms_bins(name, slug),)), frozenset((terms_bins(name, slug, by_month=True),)))
            for entries, name, slug in lists
        }

    def drawn(self, entries: Any, axis_only: bool = False, on_a_year: bool = False) -> frozenset[str]:
        """What a time view of `entries` (of every event, for None) reads of them.

        A list longer than `timeview.MAX_MARKS` is drawn as counts by month (by year over
        long spans): that reads only its axis and counts (`bins:`; of every event,
        `bins:all`), so a title edit leaves it as it is, and so does a date edit within a
        month (a year). `on_a_year`: drawn on a year's axis, it counts by month (`mbins:`).
        `axis_only`: only the whole timeline's axis (with its counts: one key).
        """
        if entries is None:
            if axis_only or len(self._events) > timeview.MAX_MARKS:
                return frozenset((ALL_MONTH_BINS if on_a_year else ALL_BINS,))
            return frozenset(("all:outlines",))
        if type(entries) is tuple and len(entries) > timeview.MAX_MARKS:
            known = self._bins.get(id(entries))
            if known is not None and known[0] is entries:
                return known[2] if on_a_year else known[1]
        return self.outlines(entries)

    def outlines(self, value: Any) -> frozenset[str]:
        # Only the model's tuples keep their keys (a term's list, handed again for each of its
        # pages). A list is made by the page that hands it and is never handed again: kept, it
        # and its keys lived to the end of the build (tens of MB at 30,000 events).
        if type(value) is not tuple:
            return self._outlines_of(value)
        known = self._known.get(id(value))
        if known is None or known[0] is not value:
            known = self._known[id(value)] = (value, self._outlines_of(value))
        return known[1]

    def _outlines_of(self, value: Any) -> frozenset[str]:
        return frozenset(outline(p) for event_id in listed_events(value) for p in placed_by(event_id, self._events))


def placed_by(event_id: str, events: Mapping[str, Event]) -> list[str]:
    """The event and those whose dates place it: the chain of events it follows (`after`)."""
    chain = [event_id]
    followed = events[event_id].after if event_id in events else None
    while followed in events and followed not in chain:
        chain.append(followed)
        followed = events[followed].after
    return chain


def _listed(value: Any) -> Any:
    """A one-pass iterable (a Jinja `map`) made a list, so that its events can be noted and still drawn;
    a list of the model as templates see it (`TrackedList`), the list itself (the helper records what it draws)."""
    if type(value) is TrackedList:
        return value.items
    return list(value) if isinstance(value, Iterator) else value


def listed_events(value: Any) -> Iterator[str]:
    """The ids of the events in a helper's argument: an event, an entry, a group, or lists of them."""
    kind = type(value)
    if kind is Event:
        yield value.id
    elif kind is Entry:
        yield value.event
    elif kind is Group:
        yield from listed_events(value.entries)
    elif kind is tuple or kind is list:
        for item in value:
            yield from listed_events(item)


def html_datetime(date: EDTF) -> str:
    """A valid HTML `datetime` for a date: its earliest day at the precision given.

    A year gives "2017", a month "2017-05", a day "2017-05-29", a moment its UTC time
    ("2017-05-29T12:30Z"); never EDTF's qualifiers or intervals, which HTML refuses.
    A window gives what its ends share (2–19 September 2011 gives "2011-09").
    """
    start = date.start
    if date.is_window:
        start = date.shared or PartialDate(start.year)  # type: ignore[union-attr]
    if start.precision == Precision.YEAR:
        return f"{start.year:04d}"
    if start.precision == Precision.MONTH:
        return f"{start.year:04d}-{start.month:02d}"
    if start.precision == Precision.DAY:
        return f"{start.year:04d}-{start.month:02d}-{start.day:02d}"
    moment = start.earliest.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ" if start.precision == Precision.SECOND else "%Y-%m-%dT%H:%MZ")


def day_span(date: EDTF) -> tuple[str, str]:
    """The first and last calendar days a date covers, as ISO days: "2017-05" gives 2017-05-01 and 2017-05-31.

    A moment counts as the day it was written in (its own offset), as it is shown.
    """
    return date.start.first_day.isoformat(), date.end.last_day.isoformat()


def plain_date(date: PartialDate) -> str:
    """A date's display text without "c." or "(uncertain)"."""
    return PartialDate(date.year, date.month, date.day).display()


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 event", "2 events" (or `many` when the plural is irregular)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


class Views:
    """The Timeline's derived facts, computed once; public methods become template globals."""

    def __init__(self, timeline: Timeline) -> None:
        self._timeline = timeline
        self._actor_terms = timeline.taxonomies["actors"].terms
        self._exports = frozenset(export.path for export in exports.planned_exports(timeline))

    # --- lists ----------------------------------------------------------------------

    def by_year(self, entries: Sequence[EntryPair]) -> list[Group]:
        """Entries grouped by the year (of the site's calendar) each begins in, in order."""
        record_outlines(event for event, _ in entries)
        runs = groupby(entries, key=lambda pair: year_of(pair[0].date))
        return [Group(year, f"year-{year}", str(year), tuple(run)) for year, run in runs]

    def by_month(self, entries: Sequence[EntryPair], year: int) -> list[Group]:
        """Entries of one year's list grouped by month.

        Events begun in an earlier year come first, then those dated to the year only,
        then each month's.
        """
        record_outlines(event for event, _ in entries)
        ordered = sorted(entries, key=lambda pair: _month_key(pair[0], year))
        runs = groupby(ordered, key=lambda pair: _month_key(pair[0], year))
        return [Group(key, _month_anchor(key, year), _month_label(key, year), tuple(run)) for key, run in runs]

    # --- numbers and charts -----------------------------------------------------------

    def span_text(self) -> str:
        """From the start of the earliest event to the end of the latest, e.g. "2014 – September 2018"."""
        record(fact("span_text"))
        return self._span_text

    @cached_property
    def _span_text(self) -> str:
        events = self._timeline.events
        if not events:
            return ""
        first = events[0].date.start
        last = max((e.date for e in events), key=lambda d: d.latest).end
        first_text, last_text = plain_date(first), plain_date(last)
        return first_text if first_text == last_text else f"{first_text} – {last_text}"

    @cached_property
    def _histogram(self) -> charts.Histogram | None:
        return charts.month_histogram(self._timeline.events, self.whole_axis)

    def overview_chart(self) -> charts.Histogram | None:
        """Events per month (per year over twenty years) across the whole timeline."""
        record(fact("overview_chart"))
        return self._histogram

    @cached_property
    def whole_axis(self) -> charts.Axis | None:
        """The axis of every event, which the charts and time views of the whole timeline share."""
        return charts.axis_over(list(self.binned_parts.values()))

    @cached_property
    def binned_parts(self) -> dict[str, timeview.BinnedPart]:
        """Each event's `timeview.binned_part` by id, in order: what it adds to the axis and counts of a view of a list."""
        return {event.id: timeview.binned_part(event) for event in self._timeline.events}

    def activity(self, actor_id: str) -> charts.Strip | None:
        """The actor's events, its members' included, along the timeline."""
        record(fact("activity", actor_id))
        return charts.activity_strip(self._timeline, self._actor_terms[actor_id].entries, self.whole_axis)

    @cached_property
    def _lanes(self) -> list[charts.Lane]:
        return charts.swimlanes(self._timeline, axis=self.whole_axis)

    def lanes(self) -> list[charts.Lane]:
        """The busiest actors' activity, one lane each."""
        record(fact("lanes"))
        return self._lanes

    # --- actors -------------------------------------------------------------------------

    def kind_label(self, kind: str, many: bool = False) -> str:
        """An actor kind for readers: "Armed group", or with `many` "Armed groups"."""
        singular, plural_label = KIND_LABELS.get(kind, (kind.replace("-", " ").capitalize(),) * 2)
        return plural_label if many else singular

    def actors_by_kind(self) -> list[tuple[str, list[tuple[Actor, int]]]]:
        """Every actor with its number of events, grouped by kind in the contract's order."""
        record(fact("actors_by_kind"))
        order = list(KIND_LABELS)
        actors = sorted(self._timeline.actors.values(), key=lambda a: (order.index(a.kind) if a.kind in order else len(order), a.name.casefold()))
        return [
            (kind, [(actor, len(self._actor_terms[actor.id].entries)) for actor in run])
            for kind, run in groupby(actors, key=lambda a: a.kind)
        ]

    @cached_property
    def _members(self) -> dict[str, list[Actor]]:
        members: dict[str, list[Actor]] = {actor_id: [] for actor_id in self._timeline.actors}
        for actor in sorted(self._timeline.actors.values(), key=lambda a: a.name.casefold()):
            for parent in dict.fromkeys([*actor.affiliations, *(r.of for r in actor.roles if r.of)]):
                if parent in members and parent != actor.id:
                    members[parent].append(actor)
        return members

    def members(self, actor_id: str) -> list[Actor]:
        """The actors that name this one among their affiliations or roles, by name."""
        record(fact("members", actor_id))
        return self._members.get(actor_id, [])

    def companions(self, actor_id: str, limit: int = COMPANIONS) -> list[tuple[Actor, int]]:
        """The actors most often on the same events (the actor's members left out), with counts."""
        record(fact("companions", f"{actor_id}\t{limit}"))
        own = {actor_id, *self._timeline.members.get(actor_id, ())}
        counts: Counter[str] = Counter()
        for entry in self._actor_terms[actor_id].entries:
            counts.update(set(self._timeline.events_by_id[entry.event].actors) - own)
        actors = self._timeline.actors
        ranked = sorted(counts.items(), key=lambda item: (-item[1], actors[item[0]].name.casefold()))
        return [(actors[other], count) for other, count in ranked[:limit]]

    def quotes_by(self, actor_id: str) -> list[tuple[Event, Quote]]:
        """What the actor is quoted as saying, with the events, in order."""
        record(fact("quotes_by", actor_id))
        events = self._timeline.events_by_id
        return [(events[event_id], events[event_id].quotes[index]) for event_id, index in self._timeline.quotes_by.get(actor_id, ())]

    # --- events -----------------------------------------------------------------------

    def datetime_attr(self, date: EDTF) -> str:
        """`html_datetime` for templates."""
        return html_datetime(date)

    def day_span(self, date: EDTF) -> tuple[str, str]:
        """`day_span` for templates."""
        return day_span(date)

    def filter_choices(self, entries: Sequence[EntryPair]) -> FilterChoices:
        """The actors and tags of a list's events (their own, not through members) and its span in days."""
        events = [event for event, _ in entries]
        record_outlines(events)
        record_all(f"a:{actor}" for event in events for actor in event.actors)
        actors = Counter(actor for event in events for actor in event.actors)
        tags = Counter(tag for event in events for tag in event.tags)
        spans = [day_span(event.date) for event in events]
        return FilterChoices(
            tuple(sorted(((self._timeline.actors[a], n) for a, n in actors.items()), key=lambda pair: pair[0].name.casefold())),
            tuple(sorted(tags.items(), key=lambda pair: pair[0].label.casefold())),
            min((first for first, _ in spans), default=""),
            max((last for _, last in spans), default=""),
        )

    def status_label(self, status: str) -> str:
        """What an event's status means, in words."""
        return STATUS_LABELS.get(status, status.capitalize())

    def source_count(self, event: Event) -> int:
        """How many sources an event rests on (those of its quotes included)."""
        record_outlines((event,))
        return len(cited_sources(event))

    def cited(self, event: Event) -> list[CitedSource]:
        """The event's sources in the author's order, each with the event's note on it."""
        record_outlines((event,))
        record_all(f"s:{source}" for source in cited_sources(event))
        notes = {citation.source: citation.note for citation in event.sources}
        return [CitedSource(self._timeline.sources[s], notes.get(s, "")) for s in cited_sources(event)]

    def related(self, event: Event) -> list[Event]:
        """Events related to this one, either way round, in chronological order."""
        record(fact("related", event.id))
        return [self._timeline.events_by_id[other] for other in self._timeline.related.get(event.id, ())]

    def absolute_url(self, path: str) -> str:
        """The absolute URL of a site path ("events/x/") from base_url; "" without one."""
        record("config")
        base = self._timeline.config.base_url
        return base.rstrip("/") + "/" + path if base else ""

    def citation(self, event: Event, url: str = "") -> str:
        """A ready-to-copy reference to the event's page, at `url` when the site has one."""
        record_all(("config", f"e:{event.id}:o"))
        text = f"{self._timeline.config.title}. “{event.title}”, {event.date.display()}."
        return f"{text} {url}" if url else text

    def event_jsonld(self, event: Event, url: str = "") -> dict[str, Any]:
        """The event as a schema.org `Event`, for a JSON-LD script; `url` is its page's, if known."""
        record_all((f"e:{event.id}:o", summary(event.id)))
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            "startDate": html_datetime(event.date),
            "description": " ".join(event.summary.split()),
        }
        if event.date.is_interval:
            data["endDate"] = html_datetime(event.date.end)
        if event.location:
            data["location"] = {"@type": "Place", "name": event.location}
        if event.status == "planned":
            data["eventStatus"] = "https://schema.org/EventScheduled"
        if url:
            data["url"] = url
        return data

    # --- the rest of the site -------------------------------------------------------

    def has_export(self, path: str) -> bool:
        """Whether the site writes this feed or data file (so pages only link to real files)."""
        record(fact("exports"))
        return path in self._exports

    def downloads(self) -> list[tuple[str, str]]:
        """The site-wide feeds and data files the site writes, as (path, label)."""
        record(fact("exports"))
        return [(path, label) for path, label in DOWNLOADS if path in self._exports]

    def plural(self, count: int, word: str, many: str | None = None) -> str:
        """`plural` for templates."""
        return plural(count, word, many)


def _month_key(event: Event, year: int) -> int:
    """The month of the site's calendar an event begins in (or EARLIER, or YEAR_ONLY)."""
    begins = event.date.local_earliest
    if begins.year < year:
        return EARLIER
    return begins.month if event.date.start.precision >= Precision.MONTH else YEAR_ONLY


def _month_anchor(key: int, year: int) -> str:
    return "earlier" if key == EARLIER else charts.month_anchor(year, key or None)


def _month_label(key: int, year: int) -> str:
    if key == EARLIER:
        return f"Begun before {year}"
    if key == YEAR_ONLY:
        return f"Dated to {year} only"
    return f"{MONTH_NAMES[key - 1]} {year}"


def _split(argument: str) -> tuple[str, int]:
    actor_id, limit = argument.split("\t")
    return actor_id, int(limit)


# Each fact a helper records, and how to compute its value again from the key's argument:
# the record compares the digest of that value with the one it was made with.
FACTS: dict[str, Callable[[Views, str], Any]] = {
    "span_text": lambda views, _: views._span_text,
    "overview_chart": lambda views, _: views._histogram,
    "activity": lambda views, actor_id: views.activity(actor_id) if actor_id in views._actor_terms else None,
    "lanes": lambda views, _: views._lanes,
    "actors_by_kind": lambda views, _: views.actors_by_kind(),
    "members": lambda views, actor_id: views.members(actor_id),
    "companions": lambda views, argument: views.companions(*_split(argument)) if _split(argument)[0] in views._actor_terms else None,
    "quotes_by": lambda views, actor_id: views.quotes_by(actor_id),
    "related": lambda views, event_id: views.related(views._timeline.events_by_id[event_id]) if event_id in views._timeline.events_by_id else None,
    "exports": lambda views, _: sorted(views._exports),
}
