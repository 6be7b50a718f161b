"""What an output reads, observed while it is made: the keys of the record.

While a page, an export or a cached piece is made, a read set is open (a context
variable, so threads and nested pieces each see their own). Whatever reads the
model records a key in it:

- `e:<id>:o` an event's outline (all but its summary), `e:<id>:s` its summary;
- `a:<id>` an actor, `s:<id>` a source;
- `config` the site's settings; `order` the events' ids in order; `count` their number;
  `actors`, `sources` the ids of all of them; `terms:<kind>` a taxonomy's terms;
- `all:events`, `all:actors`, `all:sources` every one of them, whole (exports that hold all);
  `all:outlines` every event's outline, in order (a view of all of them);
  `term:<taxonomy>:<slug>` a term's list of events, in order (a template that goes through it);
  `outlines:<taxonomy>:<slug>` the outlines of a term's events, with its list (a view of the term);
  `bins:<taxonomy>:<slug>` what a view of a long term's list drawn as counts is made of (its
  axis and its counts by month, or by year on an axis that counts by year; no title), which a
  date edit within a month (or a year) keeps; `mbins:<taxonomy>:<slug>` the same counted by month
  (a view on a year's axis); `bins:all`, `mbins:all` the same of every event;
- `timeline:<field>` any other field of the Timeline as a whole, `pl:<id>` a place; `volatile` made every build;
- `fact:<name>:<argument>` a fact a helper computed (its digest is that of its value);
- `media:<file>` a file under content/media/ (its digest is that of its bytes);
- `template:<name>` a template looked up, found or not; `plan:<path>` what the plan handed a page;
  `pages` the list of pages.

Templates reach the model through `Tracked` wrappers and the tracking Jinja
environment (render.py); Python helpers call `record` themselves.
"""
from __future__ import annotations

import contextvars
import sys
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator

from generator.model import PRINTED, Actor, Event, Place, SiteConfig, Source, Taxonomy, Term, Timeline, cited_sources


class ReadSet(set):
    """The keys read while something is made: by name, and as packed positions in the record's
    key table (`packed`: the read sets of pieces kept from the last build, pasted as they are)."""

    __slots__ = ("packed",)

    def __init__(self) -> None:
        super().__init__()
        self.packed: list[bytes] = []


_open: contextvars.ContextVar[ReadSet | None] = contextvars.ContextVar("reads", default=None)


def record(key: str) -> None:
    """Note that the output being made read `key` (nothing is noted outside a read set)."""
    reads = _open.get()
    if reads is not None:
        reads.add(key)


def record_all(keys: Iterable[str]) -> None:
    reads = _open.get()
    if reads is not None:
        reads.update(keys)


@contextmanager
def recording() -> Iterator[ReadSet]:
    """A new read set for what runs inside; its keys are also added to the enclosing one."""
    outer = _open.get()
    reads = ReadSet()
    token = _open.set(reads)
    told = PRINTED.set(_record_printed)
    try:
        yield reads
    finally:
        PRINTED.reset(told)
        _open.reset(token)
        if outer is not None:
            outer.update(reads)
            outer.packed += reads.packed


Piece = tuple[Any, frozenset[str], bytes]  # a value, the keys it read by name, and those it read packed


def piece(store: dict[Any, Piece], key: Any, make: Callable[[], Any]) -> Any:
    """A piece (a card, an export's entry) from `store`, or made and kept there with what it read.

    Its reads are recorded either way, so an output that pastes it reads what it read.
    """
    found = store.get(key)
    if found is None:
        return _made(store, key, make)
    _paste(found, _open.get())
    return found[0]


def pieces(store: dict[Any, Piece], items: Iterable[Any], key_of: Callable[[Any], Any], make: Callable[[Any], Any]) -> list[Any]:
    """`piece` for each of `items` (by `key_of(item)`, made by `make(item)`): the same, in one loop
    (an export pastes one piece per event; at 10,000 events the calls were a tenth of its time)."""
    reads, found_all = _open.get(), []
    for item in items:
        key = key_of(item)
        found = store.get(key)
        if found is None:
            found_all.append(_made(store, key, lambda item=item: make(item)))
        else:
            _paste(found, reads)
            found_all.append(found[0])
    return found_all


def _made(store: dict[Any, Piece], key: Any, make: Callable[[], Any]) -> Any:
    with recording() as reads:
        value = make()
    store[key] = (value, frozenset(reads), b"".join(reads.packed))
    return value


def _paste(found: Piece, reads: ReadSet | None) -> None:
    """A kept piece's reads, added to those of the output that pastes it."""
    if reads is not None:
        if found[1]:
            reads.update(found[1])
        if found[2]:
            reads.packed.append(found[2])


# An event's keys are in the read sets of many outputs and pieces: interned, they are one
# string each, not one per read (at 100,000 events that was hundreds of MB per process).
def outline(event_id: str) -> str:
    return sys.intern(f"e:{event_id}:o")


def summary(event_id: str) -> str:
    return sys.intern(f"e:{event_id}:s")


def terms_outlines(taxonomy: str, slug: str) -> str:
    return f"outlines:{taxonomy}:{slug}"


def term_list(term: Term) -> str:
    """The key of a term's list, in order."""
    return f"term:{term.taxonomy}:{term.slug}"


ALL_BINS = "bins:all"  # a `bins:` key of every event (a taxonomy's name holds no colon)
ALL_MONTH_BINS = "mbins:all"


def terms_bins(taxonomy: str, slug: str, by_month: bool = False) -> str:
    return f"{'mbins' if by_month else 'bins'}:{taxonomy}:{slug}"


def fact(name: str, argument: str = "") -> str:
    return f"fact:{name}:{argument}"


def record_outlines(events: Iterable[Event]) -> None:
    record_all(outline(event.id) for event in events)


def record_event_whole(event: Event) -> None:
    """An event, all of it, with the actors it names and the sources it cites."""
    record_all((outline(event.id), summary(event.id), "config"))
    record_all(f"a:{actor}" for actor in (*event.actors, *(quote.by for quote in event.quotes)))
    record_all(f"s:{source}" for source in cited_sources(event))


def attribute_read(obj: Any, name: str) -> Any:
    """What a template reading `obj.name` records; model collections come back wrapped."""
    reader = _READERS.get(type(obj))
    return reader(obj, name) if reader is not None else None


def _event_read(event: Event, name: str) -> None:
    if name != "id":
        record(summary(event.id) if name == "summary" else outline(event.id))


def _item_read(prefix: str) -> Any:
    def read(item: Any, name: str) -> None:
        if name != "id":
            record(prefix + item.id)
    return read


def _term_read(term: Term, name: str) -> Any:
    # A term's label and its number of events are in the plan of each page handed it (and in the
    # digest of every other way to it: a taxonomy, a fact); its list is read as its own key.
    return TrackedList(term.entries, term_list(term)) if name == "entries" else None


def _config_read(config: SiteConfig, name: str) -> None:
    record("config")


def _timeline_part(timeline: Timeline, name: str) -> Any:
    if name == "events":
        return TrackedList(timeline.events, "order", "count", "all:events")  # printed: every event's every field
    if name == "events_by_id":
        return TrackedMapping(timeline.events_by_id, "order", None)
    if name == "actors":
        return TrackedMapping(timeline.actors, "actors", "a:")
    if name == "sources":
        return TrackedMapping(timeline.sources, "sources", "s:")
    if name == "taxonomies":
        return TrackedMapping(timeline.taxonomies, "terms", "terms:")
    if name == "config":
        record("config")
    elif name not in ("events", "events_by_id", "actors", "sources", "taxonomies"):
        record(f"timeline:{name}")  # any other part of the model (places, …), as a whole
    return None


_READERS = {
    Event: _event_read, Actor: _item_read("a:"), Source: _item_read("s:"), Place: _item_read("pl:"), SiteConfig: _config_read,
    Timeline: lambda timeline, name: _timeline_part(timeline, name), Term: _term_read,
}

TRACKED = frozenset(_READERS)  # the types whose attributes a template's reads are recorded for


def _record_printed(item: Any) -> None:
    """What a model item printed whole shows (the items it holds tell of themselves as they are printed)."""
    keys = _PRINTED_KEYS.get(type(item))
    if keys is not None:
        record_all(keys(item))


_TIMELINE_OWN = ("order", "count", "actors", "sources", "config", *(
    f"timeline:{name}" for name in Timeline.__dataclass_fields__ if name not in ("events", "actors", "sources", "config")))
_PRINTED_KEYS: dict[type, Callable[[Any], Iterable[str]]] = {
    Event: lambda event: (outline(event.id), summary(event.id)),
    Actor: lambda actor: ("a:" + actor.id,), Source: lambda source: ("s:" + source.id,), Place: lambda place: ("pl:" + place.id,),
    Term: lambda term: (term_list(term),), Taxonomy: lambda taxonomy: ("terms:" + taxonomy.name,),
    SiteConfig: lambda config: ("config",), Timeline: lambda timeline: _TIMELINE_OWN,
}


class TrackedList(Sequence):
    """A list of the model as a template sees it (the events in order, a term's list): going
    through it, or into it, records `key`; its length records `length_key` (None: the length is
    known from what handed the list, a plan or a taxonomy); printed whole, it records `printed_key`.
    A drawing helper is handed the list itself (`items`) and records what it draws."""

    def __init__(self, items: Sequence[Any], key: str, length_key: str | None = None, printed_key: str | None = None):
        self.items, self._key, self._length_key, self._printed_key = items, key, length_key, printed_key or key

    def __len__(self) -> int:
        if self._length_key:
            record(self._length_key)
        return len(self.items)

    def __getitem__(self, index: Any) -> Any:
        return self._read()[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._read())

    def __reversed__(self) -> Iterator[Any]:
        return reversed(self._read())

    def __repr__(self) -> str:
        record(self._printed_key)
        return repr(self.items)

    def _read(self) -> Sequence[Any]:
        record(self._key)
        return self.items


class TrackedMapping(Mapping):
    """A mapping of the model: reading one entry records its key, listing them records `whole`."""

    def __init__(self, items: Mapping[str, Any], whole: str, prefix: str | None):
        self._items, self._whole, self._prefix = items, whole, prefix

    def __getitem__(self, key: str) -> Any:
        record(f"{self._prefix}{key}" if self._prefix else self._whole)
        return self._items[key]

    def __contains__(self, key: object) -> bool:
        record(self._whole)
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        record(self._whole)
        return iter(self._items)

    def __len__(self) -> int:
        record(self._whole)
        return len(self._items)

    def __repr__(self) -> str:  # printed whole by a template: every entry's every field
        record(self._whole)
        if self._prefix:
            record_all(f"{self._prefix}{key}" for key in self._items)
        else:  # the events by id
            record("all:events")
        return repr(dict(self._items))
