"""The current digest of each key a read set may hold (the keys are listed in `generator.reads`).

Digests are computed on demand and once per build: a build asks only for the keys
its record holds and those its outputs read. A fact's digest is that of its value,
with events, actors and sources stood for by their ids (what a template then reads
of them is recorded by itself); a page's plan is digested the same way.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Mapping

import jinja2

from generator import charts, timeview
from generator.media import MEDIA_FOLDER
from generator.model import Actor, Entry, Event, Source, Taxonomy, Term, Timeline
from generator.plan import Listing, Page
from generator.reads import outline, summary
from generator.views import FACTS, Views, placed_by

OUTLINE_FIELDS = tuple(f.name for f in dataclasses.fields(Event) if f.name != "summary")
FRAME_FIELDS = tuple(name for name in OUTLINE_FIELDS if name != "title")  # an outline but its title
ABSENT = "-"
WORLDLY = frozenset(("fact", "terms", "term", "plan", "outlines", "bins", "mbins"))  # kinds of keys made of the world alone (see `Digests.world`)
# Facts that hold no event's title (tests/test_keys.py checks them against a retitled timeline):
# while the frame is the same (the world but titles), they keep their digests too. So do the
# swim lanes ("lanes") when every lane is drawn as counts, by month or year (`charts.lanes_counted`).
TITLE_FREE_FACTS = frozenset(("span_text", "overview_chart", "actors_by_kind", "members", "companions", "quotes_by", "related", "exports"))
# Facts made of the cast alone: the actors, and which actors each event names (not when
# nor in what order); tests/test_keys.py checks them against a timeline whose events
# were all moved, retitled and retold. While the cast is the same they keep their digests.
CAST_FACTS = frozenset(("actors_by_kind", "members", "companions"))


def digest_text(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def outline_digest(event: Event) -> str:
    """The digest of the event's outline, then "/" and that of its frame (the outline but its title)."""
    outline = tuple(getattr(event, name) for name in OUTLINE_FIELDS)
    frame = tuple(getattr(event, name) for name in FRAME_FIELDS)
    return f"{digest_text(repr(outline))}/{digest_text(repr(frame))}"


def same_event(a: Event, b: Event) -> bool:
    """Whether `b` is `a`, or `a` made again with an equal history (every other field the very same object)."""
    return a is b or (a.history == b.history and all(getattr(a, name) is getattr(b, name) for name in _BUT_HISTORY))


_BUT_HISTORY = tuple(f.name for f in dataclasses.fields(Event) if f.name != "history")


@dataclass
class Seen:
    """Digests a long-lived process (serve) made in earlier builds, with what they were made of.

    `outlines`: by event file, the event digested and its outline digest: an event that
    is the very same object (its check made nothing again) is not digested again.
    `plans`: by page, the plan's templates and context as plain values (model items as
    ids), when it holds nothing else, and its digest: an event's page, say.
    `summaries`: by event file, the summary digested (the very string) and its digest.
    """

    outlines: dict[str, tuple[Event, str]] = field(default_factory=dict)
    plans: dict[str, tuple[tuple, str]] = field(default_factory=dict)
    summaries: dict[str, tuple[str, str]] = field(default_factory=dict)  # by event file: the summary digested, and its digest


def shape(value: Any, seen: dict[int, str], listless: bool = False) -> Any:
    """A value as plain data for a digest: model items by their ids, other records by their repr (once each, in `seen`).

    With `listless` (what a plan hands a page, a taxonomy as templates see it), a term stands
    for its label and number of events: a template reads its list through
    `reads.TrackedList`, and a helper that draws it records what it draws, each on its
    own; and a stretch of a term's list stands for the entries in it.
    """
    kind = type(value)
    if kind is str or kind is int or value is None:
        return value
    if kind is Event or kind is Actor or kind is Source:
        return (kind.__name__, value.id)
    if kind is tuple or kind is list:
        entries = _entries_text(value)
        return [shape(item, seen, listless) for item in value] if entries is None else ("Entries", entries)
    if kind is Term:
        if listless:
            return ("Term", value.taxonomy, value.slug, value.label, len(value.entries))
        found = seen.get(id(value))
        if found is None:
            found = seen[id(value)] = digest_text(repr(("Term", value.slug, value.label)) + _entry_lines(value.entries))
        return found
    if kind is Listing:  # a stretch of a term's list: the entries in it, and where it begins and ends
        term = value.term
        return ("Listing", term.taxonomy, term.slug, value.start, value.stop, _entry_lines(term.entries[value.start:value.stop]))
    if kind is Taxonomy:
        return ("Taxonomy", value.name, [shape(term, seen, listless) for term in value.terms.values()])
    if kind is dict or isinstance(value, Mapping):
        return [(key, shape(item, seen, listless)) for key, item in value.items()]
    found = seen.get(id(value))
    if found is None:  # a term, a chart: shared by many pages, and holding no model item but by id
        found = seen[id(value)] = digest_text(repr(value))
    return found


def _plain_plan(page: Page) -> tuple | None:
    """A page's templates and context as plain values, model items by kind and id; None when it holds anything else."""
    plain: list = [page.templates]
    for name, value in page.context.items():
        kind = type(value)
        if kind is Event or kind is Actor or kind is Source:
            value = (kind, value.id)
        elif not (kind is str or kind is int or value is None):
            return None
        plain.append((name, value))
    return tuple(plain)


def _entries_text(value: tuple | list) -> str | None:
    """A list of (event, via) pairs as one line each (ids and vias hold no line break); None for any other list."""
    lines = []
    for item in value:
        if type(item) is not tuple or len(item) != 2:
            return None
        event, via = item
        if type(event) is not Event or not (via is None or type(via) is str):
            return None
        lines.append(_entry_line(event.id, via))
    return "\n".join(lines)


def _frame(outline_digest: str) -> str:
    """The frame's part of an event's outline digest (the outline but its title)."""
    return outline_digest.partition("/")[2]


def shape_digest(value: Any, seen: dict[int, str] | None = None, listless: bool = False) -> str:
    """The digest of a value's shape (see `shape`); pass one `seen` to shape many values that share parts."""
    return digest_text(repr(shape(value, {} if seen is None else seen, listless)))


def _entry_lines(entries: tuple[Entry, ...]) -> str:
    """A term's entries, one line each: thousands in a long list."""
    return "\n".join([_entry_line(entry.event, entry.via) for entry in entries])


def _entry_line(event_id: str, via: str | None) -> str:
    """One entry of a list, as (event, via) pairs and a term's entries are shaped alike (ids and vias hold no line break)."""
    return event_id if via is None else f"{event_id}\t{via}"


# An event's outline is made of its file's check result and of what other files resolve
# in it: the actors and places it names (by alias too), its quotes' speakers, its tags
# (named by content/tags/), which event ids there are, its media (an image's size is read
# from its file), and its history from git. While none of these changes, neither does
# the outline's digest. The other files are stood for by their check results
# (`Digests._resolution_context`); the media and history are read off the event.
RESOLVED_FIELDS = ("id", "actors", "places", "quotes", "tags", "media", "history")
UNRESOLVED_FROM_FILES = ("media", "history")  # the resolved fields no content file's result determines
EVENTS_FOLDER = "content/events/"


class Digests:
    """Each key's digest for one Timeline, its templates, and the pages planned.

    `files` are the content files' check results and `outlines` the outline digests of
    the last build by event file, with what they were made from (brought up to date here):
    an event whose file and resolved parts did not change keeps its digest without
    being digested again. `site_root` is where `media:` keys read their files.

    `seen` are digests a long-lived process (serve) made in earlier builds (`Seen`).

    `last` holds the digests of the last build by key and `last_world` its `world()`:
    while the world is the same, facts, term lists and plans keep their digests
    (they are made of outlines, actors, sources, places and settings, never of
    summaries), so an edit of a summary digests none of them again. While only the
    frame is the same (the world but events' titles), those that hold no event's title
    keep theirs: term lists, the plans of pages other than events', TITLE_FREE_FACTS.
    While the cast is the same (who is on which event), CAST_FACTS keep theirs: a date
    edit does not count every actor's companions again.
    """

    def __init__(self, timeline: Timeline, env: jinja2.Environment, pages: Mapping[str, Page],
                 files: Mapping[str, Any] | None = None, outlines: dict[str, tuple[str, str]] | None = None,
                 site_root: Path | None = None, last: Mapping[str, str] | None = None, last_world: str = "",
                 views: Views | None = None, seen: Seen | None = None):
        self.timeline, self.env, self.pages = timeline, env, pages
        self.seen = Seen() if seen is None else seen
        self.files = files or {}
        self.outlines = {} if outlines is None else outlines
        self.site_root = site_root
        # A copy: the build writes this build's digests into the record's table while it still asks for digests.
        self.last, self.last_world = dict(last or {}), last_world
        self._world: str | None = None
        self._known: dict[str, str] = {}
        self._shared: dict[int, str] = {}  # terms and their entries are shared by many plans: shaped once
        self._related_lists: dict[tuple[str, ...], str] = {}
        self._decided: dict[str, bool] = {}  # `_unchanged` by kind, or by fact name
        self._views = views  # the facts' values, shared with the pages that show them
        self._kinds: dict[str, Callable[[str], str]] = {
            "e": self._event, "a": self._actor, "s": self._source, "config": lambda _: repr(timeline.config),
            "order": lambda _: digest_text("\n".join(event.id for event in timeline.events)),
            "count": lambda _: str(len(timeline.events)),
            "actors": lambda _: digest_text("\n".join(timeline.actors)),
            "sources": lambda _: digest_text("\n".join(timeline.sources)),
            "terms": self._terms, "term": self._term, "outlines": self._term_outlines, "bins": self._term_bins,
            "mbins": lambda rest: self._term_bins(rest, by_month=True),
            "all": self._all, "fact": self._fact,
            "template": self._template, "plan": self._plan,
            "pages": lambda _: digest_text("\n".join(sorted(pages))),  # the set: only the sitemap lists them
            "timeline": lambda name: shape_digest(getattr(timeline, name, None)),
            "pl": lambda place_id: digest_text(repr(timeline.places.get(place_id))),
            "volatile": lambda _: os.urandom(8).hex(),
            "media": self._media_file,
        }

    def __call__(self, key: str) -> str:
        found = self._known.get(key)
        if found is None:
            kind, _, rest = key.partition(":")
            if kind in WORLDLY and self.last.get(key) and self._unchanged(kind, rest):
                found = self._known[key] = self.last[key]
                return found
            make = self._kinds.get(kind)
            found = self._known[key] = make(rest) if make else f"unknown {key}"
        return found

    def changed(self, table: Mapping[str, str]) -> set[int]:
        """The positions in `table` (each key's digest, in the table's order) of the keys whose digest is not the one it holds.

        Every event's outline and summary digests are made in one loop first: they are nearly
        half the keys, and asked for one at a time they cost more in calls than in digests.
        An empty table (a cold build) holds nothing to compare: nothing is digested yet, and
        the keys are digested once the outputs are made, while Pagefind finishes the index.
        """
        if not table:
            return set()
        known = self._known
        known.update(zip(self._outline_keys, self._outline_digests))
        known.update((summary(event.id), self._summary_digest(event)) for event in self.timeline.events)
        self._keep_worldly(table)
        return {index for index, (key, old) in enumerate(table.items()) if (known.get(key) or self(key)) != old}

    def _keep_worldly(self, table: Mapping[str, str]) -> None:
        """The worldly keys of `table` that the parts of the world that held keep, known at once
        (as `__call__` finds them), without a call through the key lookup for each of 20,000 keys."""
        if not any(self._same_parts):
            return
        known, last = self._known, self.last
        for key in table:
            kind, _, rest = key.partition(":")
            if kind in WORLDLY and key not in known and last.get(key) and self._unchanged(kind, rest):
                known[key] = last[key]

    def world(self) -> str:
        """Three digests joined by "/": the whole Timeline but its events' summaries, with the pages
        planned; the frame: the same but events' titles too; and the cast (see CAST_FACTS)."""
        if self._world is None:
            timeline = self.timeline
            rest = "\n".join((
                self("all:actors"), self("all:sources"), self("config"), self("pages"),
                repr(timeline.places), repr(timeline.tags), timeline.history_note,
            ))
            frames = "".join(self._frame_digests)
            cast = sorted(f"{event.id}\t{' '.join(event.actors)}" for event in timeline.events)
            self._world = "/".join((
                digest_text(self("all:outlines") + rest), digest_text(frames + rest),
                digest_text(self("all:actors") + "\n" + "\n".join(cast)),
            ))
        return self._world

    @cached_property
    def _same_parts(self) -> tuple[bool, bool, bool]:
        """Whether each part of `world()` (the world, the frame, the cast) is what it was in the last build."""
        last, now = self.last_world.split("/"), self.world().split("/")
        if len(last) != 3:  # no last build, or one from before the cast was a part
            return False, False, False
        world, frame, cast = (part == last_part for part, last_part in zip(now, last))
        return world, frame, cast

    def _unchanged(self, kind: str, rest: str) -> bool:
        """Whether a worldly key's value is known to be what it was, from the parts of the world that are.

        Only a plan's answer depends on more than its kind and, for a fact, its name (not
        its argument): the others are decided once per build.
        """
        if kind == "plan":
            return self._decide_unchanged(kind, rest)
        group = f"fact:{rest.partition(':')[0]}" if kind == "fact" else kind
        found = self._decided.get(group)
        if found is None:
            found = self._decided[group] = self._decide_unchanged(kind, rest)
        return found

    def _decide_unchanged(self, kind: str, rest: str) -> bool:
        world, frame, cast = self._same_parts
        if world:
            return True
        if frame and self._title_free(kind, rest):
            return True
        return cast and kind == "fact" and rest.partition(":")[0] in CAST_FACTS

    def _title_free(self, kind: str, rest: str) -> bool:
        """Whether a worldly key's value holds no event's title that may have changed while the frame held.

        Of the plans, only an event's own page holds a title, its event's: it is kept unless
        that event's outline changed (the order, so the page's neighbours, is the frame's).
        """
        if kind == "plan":
            page = self.pages.get(rest)
            if page is None:
                return False
            event = page.context.get("event")
            return "event" not in page.context or (type(event) is Event and event.id not in self._outline_changes[0])
        if kind == "fact":
            name = rest.partition(":")[0]
            return name in TITLE_FREE_FACTS or (name == "lanes" and self._lanes_counted)
        return kind == "terms" or kind == "term" or kind == "bins" or kind == "mbins"

    @cached_property
    def _lanes_counted(self) -> bool:
        """Whether the swim lanes show counts only (no title): then, while the frame holds, they are the same."""
        return charts.lanes_counted(self.timeline)

    def _plan(self, path: str) -> str:
        page = self.pages.get(path)
        if page is None:
            return ABSENT
        plain = _plain_plan(page)
        seen = self.seen.plans.get(path)
        if plain is not None and seen is not None and seen[0] == plain:
            return seen[1]
        if plain is None:
            return shape_digest((page.templates, page.context), self._shared, listless=True)
        found = digest_text(repr(plain))  # plain values: their repr is their shape, without shaping them first
        self.seen.plans[path] = (plain, found)
        return found

    def _event(self, rest: str) -> str:
        event_id, _, part = rest.rpartition(":")
        event = self.timeline.events_by_id.get(event_id)
        if event is None:
            return ABSENT
        if part == "s":
            return self._summary_digest(event)
        seen = self.seen.outlines.get(event.path)
        if seen is not None and same_event(seen[0], event):
            return seen[1]
        found = self._outline(event)
        self.seen.outlines[event.path] = (event, found)
        return found

    def _summary_digest(self, event: Event) -> str:
        """The digest of the event's summary; kept in `seen` while the summary is the very same string."""
        seen = self.seen.summaries.get(event.path)
        if seen is None or seen[0] is not event.summary:
            seen = self.seen.summaries[event.path] = (event.summary, digest_text(event.summary))
        return seen[1]

    def _outline(self, event: Event) -> str:
        checked = self.files.get(event.path)
        if checked is None:
            return outline_digest(event)
        basis = digest_text(checked.digest() + self._resolution_context + repr(tuple(getattr(event, name) for name in UNRESOLVED_FROM_FILES)))
        known = self.outlines.get(event.path)
        if known is None or known[0] != basis:
            known = self.outlines[event.path] = (basis, outline_digest(event))
        return known[1]

    @cached_property
    def _resolution_context(self) -> str:
        """What every event is resolved against, as one digest: the check results of the actors',
        sources', places' and tags' files, and which event files there are (their ids)."""
        return digest_text("\n".join(
            path if path.startswith(EVENTS_FOLDER) else f"{path}\t{checked.digest()}" for path, checked in sorted(self.files.items())
        ))

    def kept_outlines(self) -> dict[str, tuple[str, str]]:
        """The outline digests worth keeping: those of the events there are now."""
        paths = {event.path for event in self.timeline.events}
        return {path: known for path, known in self.outlines.items() if path in paths}

    def _actor(self, actor_id: str) -> str:
        actor = self.timeline.actors.get(actor_id)
        return digest_text(repr(actor)) if actor else ABSENT

    def _source(self, source_id: str) -> str:
        source = self.timeline.sources.get(source_id)
        return digest_text(repr(source)) if source else ABSENT

    def _terms(self, name: str) -> str:
        if not name:
            return digest_text("\n".join(self.timeline.taxonomies))
        taxonomy = self.timeline.taxonomies.get(name)
        return shape_digest(taxonomy, self._shared, listless=True) if taxonomy else ABSENT

    def _term(self, rest: str) -> str:
        term = self._term_of(rest)
        return shape_digest(term, self._shared) if term else ABSENT

    def _term_of(self, rest: str) -> Term | None:
        """The term a key names after its kind ("<taxonomy>:<slug>"), if there is one."""
        name, _, slug = rest.partition(":")
        taxonomy = self.timeline.taxonomies.get(name)
        return taxonomy.terms.get(slug) if taxonomy else None

    def _term_outlines(self, rest: str) -> str:
        """A term's list and the outlines of its events, and of those that place them (`after`).

        Kept from the last build when the list is the same and none of those outlines changed.
        """
        term = self._term_of(rest)
        if term is None:
            return ABSENT
        # The digest begins with the list's own, so that the next build can tell whether the list is the same.
        listed, last = self(f"term:{rest}"), self.last.get(f"outlines:{rest}", "")
        if last.partition("/")[0] == listed and not self._moved(term):
            return last
        events, known = self.timeline.events_by_id, self._outline_by_id
        digests = [known.get(p) or self(outline(p)) for entry in term.entries for p in placed_by(entry.event, events)]
        return f"{listed}/{digest_text(''.join(digests))}"

    def _term_bins(self, rest: str, by_month: bool = False) -> str:
        """What a view of a term's list (of every event: "all") drawn as counts is made of (`timeview.binned_shape`)."""
        parts = self._facts.binned_parts
        if rest == "all":
            return digest_text(repr(timeview.binned_shape(list(parts.values()), by_month)))
        term = self._term_of(rest)
        if term is None:
            return ABSENT
        return digest_text(repr(timeview.binned_shape([parts[entry.event] for entry in term.entries], by_month)))

    def _moved(self, term: Term) -> bool:
        """Whether the outline of an event of the term changed since the last build, or of one that places it."""
        changed, following = self._outline_changes
        ids = [entry.event for entry in term.entries]
        if changed.isdisjoint(ids):
            chains = [placed_by(event_id, self.timeline.events_by_id) for event_id in following.intersection(ids)]
            # A chain ends before an event that is gone: that one's outline changed too (to ABSENT).
            ends = [self.timeline.events_by_id[chain[-1]].after for chain in chains]
            return any(not changed.isdisjoint(chain) for chain in chains) or any(self._changed(end) for end in ends if end)
        return True

    @cached_property
    def _outline_changes(self) -> tuple[frozenset[str], frozenset[str]]:
        """The ids of the events whose outline changed since the last build, and of those that follow another (`after`)."""
        events, last = self.timeline.events, self.last
        changed = [e.id for e, key, found in zip(events, self._outline_keys, self._outline_digests) if found != last.get(key)]
        return frozenset(changed), frozenset(e.id for e in events if e.after is not None)

    # Several digests are made of every event's outline digest (the world, the frame, `all:` keys,
    # the outlines changed): the events' keys and digests are listed once, in the timeline's order.
    @cached_property
    def _outline_keys(self) -> list[str]:
        return [outline(event.id) for event in self.timeline.events]

    @cached_property
    def _outline_digests(self) -> list[str]:
        return [self(key) for key in self._outline_keys]

    @cached_property
    def _frame_digests(self) -> list[str]:
        return [_frame(found) for found in self._outline_digests]

    # By event id, for the terms' lists (600,000 entries at 100,000 events).
    @cached_property
    def _outline_by_id(self) -> dict[str, str]:
        return {event.id: found for event, found in zip(self.timeline.events, self._outline_digests)}

    def _changed(self, event_id: str) -> bool:
        key = outline(event_id)
        return self(key) != self.last.get(key)

    def _all(self, what: str) -> str:
        if what == "outlines":
            return digest_text("".join(self._outline_digests))
        if what == "events":
            return digest_text("".join(found + self(summary(e.id)) for e, found in zip(self.timeline.events, self._outline_digests)))
        if what == "actors":
            return digest_text(repr(list(self.timeline.actors.values())))
        return digest_text(repr(list(self.timeline.sources.values())))

    def _fact(self, rest: str) -> str:
        name, _, argument = rest.partition(":")
        if name == "related":  # one per event page: digested from the ids the model keeps, once per list
            return self._related(argument)
        compute = FACTS.get(name)
        if compute is None:
            return f"unknown fact {name}"
        return shape_digest(compute(self._facts, argument))

    @property
    def _facts(self) -> Views:
        """The derived facts, made when first asked for (shared with the pages, when given)."""
        if self._views is None:
            self._views = Views(self.timeline)
        return self._views

    def _related(self, event_id: str) -> str:
        """The digest of `fact:related:<event_id>`: that of the fact's shape, a list of events by id,
        made once for each list (most events share the empty one)."""
        timeline = self.timeline
        if event_id not in timeline.events_by_id:
            return shape_digest(None)
        ids = timeline.related.get(event_id, ())
        found = self._related_lists.get(ids)
        if found is None:
            found = self._related_lists[ids] = digest_text(repr([("Event", other) for other in ids]))
        return found

    @cached_property
    def _media_names(self) -> frozenset[str]:
        return frozenset(item.file for event in self.timeline.events for item in event.media if item.file)

    def _media_file(self, file: str) -> str:
        """The digest of a file's bytes under content/media/ (ABSENT when no event names it or it cannot be read)."""
        if file not in self._media_names:
            return ABSENT  # a key from a damaged or planted record names no file to read
        try:
            data = (self.site_root / MEDIA_FOLDER / file).read_bytes()  # type: ignore[operator]
        except (OSError, TypeError):
            return ABSENT
        return hashlib.blake2b(data, digest_size=12).hexdigest()

    def _template(self, name: str) -> str:
        try:
            source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            return ABSENT
        return digest_text(source)
