"""What a page's bytes depend on, as a short key, so unchanged pages are not rendered again.

A page's key covers the site as a whole (settings, actors, sources, places, terms, the number
of events, the templates and the generator's own code), the page's context, the
events it shows whole and those it only outlines (in charts, counts, quotes, links).
Each event has two digests, computed once per build: of all of it, and of its
outline (all but the summary), so a page outlining an event is not rendered again
when only its summary changed. A site with templates of its own may show anything
anywhere: there the outline is the whole event.
"""
from __future__ import annotations

import copy
import dataclasses
import hashlib
from pathlib import Path
from typing import Any, Iterable

import generator
from generator.model import Entry, Event, Timeline


SHORT = 8  # tuples up to this long (an event and its "via") are digested in place
OUTLINE_FIELDS = tuple(field.name for field in dataclasses.fields(Event) if field.name != "summary")


def _hash() -> "hashlib._Hash":
    return hashlib.blake2b(digest_size=16)


class Fingerprints:
    """Keys for the pages and exports of one build."""

    def __init__(self, timeline: Timeline, template_dirs: Iterable[Path], own_templates: bool = False):
        self._outlines = {event.id: _hash_text(repr(_outline(event))) for event in timeline.events}
        self.events = {event.id: _whole(self._outlines[event.id], event) for event in timeline.events}
        self.outlines = self.events if own_templates else self._outlines  # what pages outlining events use
        self.every_event = _digest_all(self.events.values())
        self.every_outline = _digest_all(self.outlines.values())
        self.site = _site_key(timeline, template_dirs)
        self._digests: dict[tuple[int, int], str] = {}
        self._alive: list[Any] = []

    def with_summaries(self, events: Iterable[Event]) -> Fingerprints:
        """These fingerprints once these events' summaries changed, and nothing else of them."""
        changed = copy.copy(self)
        changed.events = dict(self.events)
        for event in events:
            changed.events[event.id] = _whole(self._outlines[event.id], event)
        if self.outlines is self.events:
            changed.outlines = changed.events
            changed.every_outline = _digest_all(changed.outlines.values())
        changed.every_event = _digest_all(changed.events.values())
        changed._digests, changed._alive = {}, []
        return changed

    def key(
        self, path: str, templates: tuple[str, ...], context: Any, depends: tuple[str, ...] | None,
        outlined: tuple[str, ...] | None = (),
    ) -> str:
        """`depends`: the events shown whole beyond the context; `outlined`: those outlined (None: every one)."""
        digest = _hash()
        digest.update(f"{self.site}\0{path}\0{templates}\0".encode())
        self._feed(digest, context)
        digest.update(self.every_event.encode() if depends is None else self._depends(depends, self.events).encode())
        digest.update(self.every_outline.encode() if outlined is None else self._depends(outlined, self.outlines).encode())
        return digest.hexdigest()

    def _depends(self, depends: tuple[str, ...], digests: dict[str, str]) -> str:
        """The digest of some events' digests; pages of one term share their tuple, so once a term."""
        found = self._digests.get((id(depends), id(digests)))
        if found is None:
            found = self._digests[id(depends), id(digests)] = _digest_all(digests.get(e, e) for e in depends)
            self._alive.append(depends)
        return found

    def _feed(self, digest: "hashlib._Hash", value: Any) -> None:
        if isinstance(value, Event):
            digest.update(b"E" + self.events[value.id].encode())
        elif isinstance(value, Entry):  # the event's content is among the page's `depends`
            digest.update(f"e{value.event}\0{value.via}\0".encode())
        elif (isinstance(value, tuple) and len(value) > SHORT) or hasattr(type(value), "__dataclass_fields__"):
            # Immutable and shared by many pages (a term and its entries): digested once.
            digest.update(self._once(value).encode())
        elif isinstance(value, tuple):
            self._feed_items(digest, value)
        elif isinstance(value, dict):
            for key in sorted(value, key=str):
                digest.update(f"k{key}\0".encode())
                self._feed(digest, value[key])
        elif isinstance(value, list):
            if _is_entry_list(value):  # the common case, made cheap: (event, via) pairs of a list page
                digest.update(("P" + "".join(f"{self.events[event.id]}\0{via}\0" for event, via in value)).encode())
            else:
                self._feed_items(digest, value)
        else:
            digest.update(f"{type(value).__name__}:{value!r}\0".encode())

    def _feed_items(self, digest: "hashlib._Hash", items: Any) -> None:
        digest.update(f"[{len(items)}".encode())
        for item in items:
            self._feed(digest, item)

    def _once(self, value: Any) -> str:
        found = self._digests.get(id(value))
        if found is None:
            digest = _hash()
            if isinstance(value, tuple):
                self._feed_items(digest, value)
            else:
                digest.update(type(value).__name__.encode())
                for field in dataclasses.fields(value):
                    self._feed(digest, getattr(value, field.name))
            found = digest.hexdigest()
            self._digests[id(value)] = found
            self._alive.append(value)  # ids stay unique while the object lives
        return found


def _is_entry_list(items: list) -> bool:
    return all(type(item) is tuple and len(item) == 2 and type(item[0]) is Event for item in items)


def _outline(event: Event) -> tuple:
    """Every field of the event but its summary."""
    return tuple(getattr(event, name) for name in OUTLINE_FIELDS)


def _whole(outline: str, event: Event) -> str:
    return _hash_text(f"{outline}\0{event.summary}")


def _digest_all(digests: Iterable[str]) -> str:
    digest = _hash()
    for one in digests:
        digest.update(one.encode())
    return digest.hexdigest()


def _hash_text(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _site_key(timeline: Timeline, template_dirs: Iterable[Path]) -> str:
    digest = _hash()
    digest.update(repr((timeline.config, sorted(timeline.actors.items()), sorted(timeline.sources.items()), sorted(timeline.places.items()))).encode())
    digest.update(repr(len(timeline.events)).encode())
    for name, taxonomy in sorted(timeline.taxonomies.items()):
        digest.update(repr((name, [(t.slug, t.label) for t in taxonomy.terms.values()])).encode())
    for directory in template_dirs:
        for path in sorted(directory.rglob("*")) if directory.is_dir() else ():
            if path.is_file():
                digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(code_version().encode())
    return digest.hexdigest()


def code_version() -> str:
    """A digest of the generator's own source and data (the map outlines): new code renders everything again."""
    digest = _hash()
    package = Path(generator.__file__).parent
    for path in sorted([*package.rglob("*.py"), *package.glob("data/*.json")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()
