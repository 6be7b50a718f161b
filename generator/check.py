"""The check stage: loaded documents → typed items with references resolved.

Every field is validated against its declaration in `schema`, ids are checked
for uniqueness, references (actors by id, name or alias; sources; quote
speakers; related events; affiliations) are resolved, and the warnings of the
content format are raised. Every problem becomes a `Diagnostic`; nothing raises.
"""
from __future__ import annotations

import difflib
import functools
import os
import posixpath
import re
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property
from datetime import tzinfo
from pathlib import Path
from typing import Callable, Iterable

from generator.diagnostics import ERROR, WARNING, Diagnostic, Position, Spellings, did_you_mean, fold, has_errors
from generator.load import Document, link_leaves, load_file, parse_file
from generator.media import MediaError, image_size
from generator.model import Actor, Citation, Correction, Event, Media, Place, Quote, Role, SiteConfig, Source, Tag, TagDefinition
from generator.places import make_places, resolve_event_places, suggest_places
from generator.schema import FIELDS_BY_KIND, SITE_FIELDS, WINDOWS_RESERVED, Context, slug_problem, slugify, tag_slug, validate

SITE_FILE = "site.yml"
SIMILAR_TITLES = 0.6
# Look-alikes: up to this many events on one date, every pair is compared; beyond it
# each event is compared only with the LOOKALIKE_CANDIDATES earlier events sharing the
# most words of its title (each word indexes its first LOOKALIKE_CANDIDATES events), so
# the work grows linearly with the events.
LOOKALIKE_ALL_PAIRS = 60
LOOKALIKE_CANDIDATES = 40
# Affiliations are followed upwards (a minister to a government to a state); a chain
# longer than this is refused, since each actor's page lists every member below it.
MAX_AFFILIATION_DEPTH = 16


@dataclass(frozen=True)
class Checked:
    """Everything that passed the checks, drafts included, in file order."""

    events: tuple[Event, ...]
    actors: dict[str, Actor]
    sources: dict[str, Source]
    places: dict[str, Place] = field(default_factory=dict)
    tags: dict[str, TagDefinition] = field(default_factory=dict)


@dataclass(frozen=True)
class FileResult:
    """One content file loaded and validated: the unit that is cached and run in parallel."""

    kind: str  # events, actors or sources
    path: str  # as shown to the author
    values: dict | None  # the valid fields (None when the file could not be read)
    diagnostics: tuple[Diagnostic, ...]
    complete: bool  # every field valid: a model item can be made


Locate = Callable[[str, tuple], Position]


def check_file(kind: str, file: Path, shown: str, context: Context, max_bytes: int) -> FileResult:
    """Load one file and validate its fields against its kind's declarations."""
    document, problems = load_file(file, shown, max_bytes)
    if document is None:
        return FileResult(kind, shown, None, tuple(problems), False)
    values, invalid = validate(document, FIELDS_BY_KIND[kind], context)
    diagnostics = (*problems, *invalid)
    return FileResult(kind, shown, values, diagnostics, not has_errors(diagnostics))


class Locator:
    """Positions inside content files, for diagnostics found after loading.

    Files are parsed again only when a diagnostic needs a position in them, so the
    cached results need not carry every key's line and column.
    """

    def __init__(self, root: Path):
        self.root = root
        self.documents: dict[str, Document | None] = {}

    def where(self, shown: str, at: tuple) -> Position:
        if shown not in self.documents:
            self.documents[shown] = parse_file(self.root / shown, shown)
        document = self.documents[shown]
        return document.where(at) if document else Position(shown, 1, 1)


@dataclass(slots=True)  # not frozen: made for every file at every build, and a frozen one takes four times as long to make
class _Item:
    """A validated file, its id and its field values."""

    id: str
    path: str
    values: dict  # the valid fields only
    complete: bool  # every field valid: a model item can be made
    locate: Locate

    def where(self, *at: object) -> Position:
        return self.locate(self.path, tuple(at))


# --- site.yml -------------------------------------------------------------------


def check_site_config(root: Path, overrides: dict | None = None) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """site.yml (with command-line `overrides` of its keys) as a SiteConfig, or None with the reasons."""
    path = root / SITE_FILE
    if not path.is_file():
        return None, [Diagnostic(ERROR, f"no {SITE_FILE} here: is {root} a timeline site? (`timeline init` makes one)", SITE_FILE)]
    document, diagnostics = load_file(path, SITE_FILE)
    if document is None:
        return None, diagnostics
    if overrides:
        document = replace(document, data={**document.data, **overrides})
    values, problems = validate(document, SITE_FIELDS, Context(zoneinfo.ZoneInfo("UTC")))
    diagnostics += problems
    if problems:
        return None, diagnostics
    return SiteConfig(**values), diagnostics


def site_timezone(config: SiteConfig) -> tzinfo:
    return zoneinfo.ZoneInfo(config.timezone)


# --- content --------------------------------------------------------------------


class MadeEvents:
    """The events one check made, kept by a long-lived process (serve) for its next check.

    An event depends on its file's result and on what it is resolved against: the
    actors, sources, places and tags files, and which event ids exist. While its
    result is the very object checked last time (serve keeps the results of unchanged
    files) and those are the same, the event made then is the event made now, and
    what its making said is said again. Events that read a media file are not kept.
    """

    def __init__(self) -> None:
        self.context: tuple[tuple[dict, ...], str] = ((), "")
        # file path → (its result's values, the event made of them, what making it said)
        self.events: dict[str, tuple[dict, Event, tuple[Diagnostic, ...]]] = {}

    def renew(self, context: tuple[tuple[dict, ...], str]) -> None:
        """Forget every event when what events are resolved against is not what it was."""
        (others, ids), (last_others, last_ids) = context, self.context
        if ids != last_ids or len(others) != len(last_others) or any(a is not b for a, b in zip(others, last_others)):
            self.events.clear()
        self.context = context


def check_content(
    files: Iterable[FileResult], locate: Locate, media_root: Path | None = None, made: MadeEvents | None = None,
    deferred: list[Callable[[], list[Diagnostic]]] | None = None,
) -> tuple[Checked, list[Diagnostic]]:
    """Ids, references and cross-file warnings over every checked file.

    With `media_root` (the site's content/media/), the files events' media name are
    looked for there and images measured; without it they are taken on trust. With
    `made`, events made by the last check are taken again where nothing they depend on
    changed, and it is brought up to date. With `deferred`, the warnings that span
    files (they never stop a build) are not looked for: what looks for them is added
    to it, for the caller to run when it has the time.
    """
    by_kind: dict[str, list[FileResult]] = {"events": [], "actors": [], "sources": [], "places": [], "tags": []}
    files_of: dict[str, list[FileResult]] = {"events": [], "actors": [], "sources": [], "places": [], "tags": []}
    diagnostics: list[Diagnostic] = []
    for result in files:
        diagnostics.extend(result.diagnostics)
        files_of[result.kind].append(result)
        if result.values is not None:
            by_kind[result.kind].append(result)
    sources = _identify(by_kind["sources"], locate, diagnostics)
    actors = _identify(by_kind["actors"], locate, diagnostics)
    events = _identify(by_kind["events"], locate, diagnostics)
    names = ActorNames((item.id, item.values.get("name"), item.values.get("aliases", ())) for item in actors)
    diagnostics += [Diagnostic.at(WARNING, _item_by_id(actors, actor_id).where("aliases"), message) for actor_id, message in names.clashes]
    source_ids = References({item.id: item.values.get("title") for item in sources})
    event_ids = References({item.id: item.values.get("title") for item in events})
    place_items = _identify(by_kind["places"], locate, diagnostics)
    place_names = ActorNames(((item.id, item.values.get("name"), item.values.get("aliases", ())) for item in place_items), "place")
    diagnostics += [Diagnostic.at(WARNING, _item_by_id(place_items, place_id).where("aliases"), message) for place_id, message in place_names.clashes]
    checked_places = make_places(place_items, place_names, diagnostics)
    tag_items = _identify(by_kind["tags"], locate, diagnostics)
    tags = DefinedTags(tag_items)
    diagnostics += [Diagnostic.at(WARNING, _item_by_id(tag_items, tag_id).where("aliases"), message) for tag_id, message in tags.names.clashes]
    made_actors = {item.id: (item, _make_actor(item, names, diagnostics)) for item in actors}
    make = functools.partial(_make_event, names=names, source_ids=source_ids, event_ids=event_ids, place_names=place_names,
                             media_root=media_root, defined_tags=tags)
    if made is None:
        made_events = [(item, make(item, diagnostics=diagnostics)) for item in events]
    else:
        made.renew(_resolution_context(by_kind, events))
        made_events = [(item, _made_again(item, made, make, diagnostics)) for item in events]
    checked_actors = {actor_id: actor for actor_id, (item, actor) in made_actors.items() if item.complete}
    checked_sources = {item.id: _make_source(item) for item in sources if item.complete}
    complete_events = [(item, event) for item, event in made_events if item.complete]
    checked_events = tuple(event for _, event in complete_events)
    diagnostics, unfinished = tolerate_drafts(diagnostics, {r.path for r in by_kind["events"] if r.values.get("draft") is True})
    checked_events = tuple(event for event in checked_events if event.path not in unfinished)
    diagnostics += same_day_order_problems(complete_events)
    diagnostics += _check_affiliation_depth(made_actors)

    def warnings_across_files() -> list[Diagnostic]:
        warnings = []
        # An event or actor file that did not load whole may name anything: usage cannot be told.
        if _all_complete(files_of["events"], events):
            actors_whole = _all_complete(files_of["actors"], actors)
            warnings += _warn_unused(checked_events, {k: a for k, (_, a) in made_actors.items()}, actors if actors_whole else [], sources)
            warnings += tags.unused(checked_events)
        warnings += _warn_late_occurrences(complete_events, checked_sources)
        warnings += _warn_lookalikes(complete_events)
        warnings += _warn_tag_collisions(complete_events)
        return warnings + suggest_places(events, place_names, checked_places)

    if deferred is None:
        diagnostics += warnings_across_files()
    else:
        deferred.append(warnings_across_files)
    return Checked(checked_events, checked_actors, checked_sources, checked_places, tags.complete), diagnostics


def _resolution_context(by_kind: dict[str, list[FileResult]], events: list[_Item]) -> tuple[tuple[dict, ...], str]:
    """What an event is resolved against: the other kinds' results (compared as objects), and the event ids."""
    others = tuple(result.values for kind in ("actors", "sources", "places", "tags") for result in by_kind[kind])
    return others, "\n".join(item.id for item in events)


def _made_again(item: _Item, made: MadeEvents, make: Callable, diagnostics: list[Diagnostic]) -> Event | None:
    kept = made.events.get(item.path)
    if kept is not None and kept[0] is item.values and kept[1].id == item.id:
        diagnostics += kept[2]
        return kept[1]
    found: list[Diagnostic] = []
    event = make(item, diagnostics=found)
    diagnostics += found
    if event is not None and not event.media:
        made.events[item.path] = (item.values, event, tuple(found))
    else:
        made.events.pop(item.path, None)
    return event


def _all_complete(results: list[FileResult], items: list[_Item]) -> bool:
    """Every file of a kind loaded, passed its own checks and has its own id."""
    return len(items) == len(results) and all(item.complete for item in items)


def _item_by_id(items: list[_Item], item_id: str) -> _Item:
    return next(item for item in items if item.id == item_id)


DRAFT_NOTE = "(draft, left out of the site until fixed)"


def tolerate_drafts(diagnostics: list[Diagnostic], draft_paths: set[str]) -> tuple[list[Diagnostic], set[str]]:
    """A file with `draft: true` may be unfinished: its errors become warnings.

    Returns the diagnostics and the drafts that had errors; those are left out of the
    site even with --drafts, so that an unfinished draft never breaks a build.
    """
    unfinished = {d.path for d in diagnostics if d.severity == ERROR and d.path in draft_paths}
    eased = [
        replace(d, severity=WARNING, message=f"{d.message} {DRAFT_NOTE}") if d.severity == ERROR and d.path in unfinished else d
        for d in diagnostics
    ]
    return eased, unfinished


def _identify(results: list[FileResult], locate: Locate, diagnostics: list[Diagnostic]) -> list[_Item]:
    """Items of one kind with unique, well-formed ids."""
    items: list[_Item] = []
    first_seen: dict[str, str] = {}
    for result in results:
        values = result.values
        item_id = values.get("id") or posixpath.splitext(posixpath.basename(result.path))[0]  # the file's stem
        if not values.get("id"):
            problem = slug_problem(item_id)
            if problem:
                diagnostics.append(Diagnostic(ERROR, f'the file name "{item_id}" {problem}; rename the file' + (" or set id:" if "id" in values else ""), result.path, 1, 1))
                continue
        if item_id in first_seen:
            at = locate(result.path, ("id",)) if values.get("id") else Position(result.path, 1, 1)
            diagnostics.append(Diagnostic.at(ERROR, at, f'duplicate id "{item_id}": {first_seen[item_id]} has it already'))
            continue
        first_seen[item_id] = result.path
        items.append(_Item(item_id, result.path, values, result.complete, locate))
    return items


class ActorNames:
    """Finds an actor (or, with `what`, a place) by id, name or alias (case and accents ignored).

    Built from (id, name, aliases) triples; a name may be None when the actor's file
    left it out or got it wrong, so it is never assumed.
    """

    def __init__(self, actors: Iterable[tuple[str, str | None, Iterable[str]]], what: str = "actor"):
        self.what = what
        owners: dict[str, set[str]] = defaultdict(set)
        spellings: dict[str, list[str]] = {}
        aliases_of: dict[str, list[str]] = {}
        for actor_id, name, aliases in actors:
            aliases_of[actor_id] = [a for a in aliases if isinstance(a, str)]
            spellings[actor_id] = [name] * isinstance(name, str) + aliases_of[actor_id]
            for spelling in spellings[actor_id]:
                owners[fold(spelling)].add(actor_id)
        self.ids = set(spellings)
        self.by_name = dict(owners)
        self.clashes = [
            (actor_id, f'the name "{alias}" also belongs to {", ".join(sorted(owners[fold(alias)] - {actor_id}))}: references to it are ambiguous')
            for actor_id, aliases in aliases_of.items()
            for alias in aliases
            if len(owners[fold(alias)]) > 1
        ]
        self.suggestions = References({actor_id: names for actor_id, names in spellings.items()})

    def find(self, reference: str) -> str | None:
        """The id `reference` stands for, when it stands for exactly one (no message made: it is cheap)."""
        if reference in self.ids:
            return reference
        owners = self.by_name.get(fold(reference), ())
        return next(iter(owners)) if len(owners) == 1 else None

    def resolve(self, reference: str) -> tuple[str | None, str]:
        """(actor id, '') or (None, why not)."""
        if reference in self.ids:
            return reference, ""
        owners = self.by_name.get(fold(reference), set())
        if len(owners) == 1:
            return next(iter(owners)), ""
        if owners:
            return None, f'"{reference}" could be any of {", ".join(sorted(owners))}: use the id'
        return None, f'unknown {self.what} "{reference}"{self.suggestions.did_you_mean(reference)}'


class References:
    """The ids of one kind, with the names an author may misremember them by (for did-you-mean)."""

    def __init__(self, names_by_id: dict[str, object]):
        self.names_by_id = names_by_id

    def __contains__(self, item_id: object) -> bool:
        return item_id in self.names_by_id

    def did_you_mean(self, reference: str) -> str:
        """' (did you mean "x"?)' over ids, names and aliases, folded; the id follows a name."""
        return self._spellings.suggest(reference)

    @cached_property
    def _spellings(self) -> Spellings:
        targets: dict[str, str] = {}
        for item_id, names in self.names_by_id.items():
            targets.setdefault(item_id, item_id)
            for name in names if isinstance(names, (list, tuple)) else (names,):
                if isinstance(name, str):
                    targets.setdefault(name, item_id)
                    targets.setdefault(slugify(name), item_id)
        return Spellings(targets)


def _resolve_actors(references: Iterable[str], item: _Item, field: str, names: ActorNames, diagnostics: list[Diagnostic]) -> tuple[str, ...]:
    resolved: list[str] = []
    for index, reference in enumerate(references):
        actor_id, problem = names.resolve(reference)
        if actor_id is None:
            diagnostics.append(Diagnostic.at(ERROR, item.where(field, index), f"{field}: {problem}"))
        elif actor_id in resolved:
            diagnostics.append(Diagnostic.at(WARNING, item.where(field, index), f'{field}: "{reference}" names {actor_id} a second time'))
        else:
            resolved.append(actor_id)
    return tuple(resolved)


def _make_actor(item: _Item, names: ActorNames, diagnostics: list[Diagnostic]) -> Actor:
    values = item.values
    affiliations = _resolve_actors(values.get("affiliations", ()), item, "affiliations", names, diagnostics)
    if item.id in affiliations:
        diagnostics.append(Diagnostic.at(ERROR, item.where("affiliations"), "affiliations: an actor cannot be affiliated with itself"))
        affiliations = tuple(a for a in affiliations if a != item.id)
    roles = []
    for index, role in enumerate(values.get("roles", ())):
        of = None
        if role["of"]:
            of, problem = names.resolve(role["of"])
            if of is None:
                diagnostics.append(Diagnostic.at(ERROR, item.where("roles", index, "of"), f"roles[{index + 1}].of: {problem}"))
        start, end = role["from"], role["to"]
        if start and end and end.latest < start.earliest:
            diagnostics.append(Diagnostic.at(ERROR, item.where("roles", index, "to"), f"roles[{index + 1}].to: ends ({end.edtf}) before it begins ({start.edtf})"))
        roles.append(Role(role["title"], of, start, end))
    return Actor(
        id=item.id, name=values.get("name", item.id), kind=values.get("kind", "other"), aliases=tuple(values.get("aliases", ())),
        affiliations=affiliations, roles=tuple(roles), description=values.get("description", ""), path=item.path,
    )


def _make_source(item: _Item) -> Source:
    values = item.values
    return Source(
        id=item.id, title=values["title"], publisher=values["publisher"], published=values["published"],
        url=values["url"], author=values["author"], date_note=values["date_note"], path=item.path,
        robots=values["robots"],
    )


def _make_event(
    item: _Item, names: ActorNames, source_ids: References, event_ids: References, diagnostics: list[Diagnostic],
    place_names: ActorNames | None = None, media_root: Path | None = None, defined_tags: DefinedTags | None = None,
) -> Event | None:
    """The event, or None when a field was invalid (its references are checked all the same)."""
    values = item.values
    actors = _resolve_actors(values.get("actors", ()), item, "actors", names, diagnostics)
    citations = _citations(item, source_ids, diagnostics)
    quotes = _quotes(item, actors, names, source_ids, {c.source for c in citations}, diagnostics)
    tags = _tags(item, diagnostics, defined_tags or DefinedTags([]))
    related = _related(item, event_ids, diagnostics)
    after = _after(item, event_ids, diagnostics)
    places = resolve_event_places(item, place_names, diagnostics) if place_names else ()
    media = _media(item, media_root, diagnostics)
    if not item.complete:
        return None
    return Event(
        id=item.id, title=values["title"], date=values["date"], summary=values["summary"],
        actors=actors, sources=citations, tags=tags, location=values["location"], places=places,
        quotes=quotes, date_note=values["date_note"], status=values["status"],
        related=related, draft=values["draft"], path=item.path, after=after, key=values.get("key") or False,
        corrections=tuple(Correction(c["date"], c["text"]) for c in values.get("corrections") or ()),
        media=media,
    )


def _media(item: _Item, media_root: Path | None, diagnostics: list[Diagnostic]) -> tuple[Media, ...]:
    """The event's media, each file found under `media_root` and each image measured."""
    found = []
    for index, values in enumerate(item.values.get("media", ())):
        media = Media(**values)
        if media.file and media_root is not None:
            problem, size = _media_file_problem(media_root, media.file, media.kind)
            if problem:
                diagnostics.append(Diagnostic.at(ERROR, item.where("media", index, "file"), f"media[{index + 1}].file: {problem}"))
                continue
            media = replace(media, width=size[0], height=size[1])
        found.append(media)
    return tuple(found)


def _media_file_problem(media_root: Path, file: str, kind: str) -> tuple[str, tuple[int, int]]:
    """Why a media file cannot be published ("" when it can), and an image's (width, height)."""
    path = media_root / file
    shown = f"content/media/{file}"
    if link_leaves(path, os.path.realpath(media_root.parent.parent)):
        return f"{shown} is a symbolic link pointing outside the site folder: refused", (0, 0)
    if not path.is_file():
        nearby = sorted(p.name for p in path.parent.iterdir() if p.is_file()) if path.parent.is_dir() else []
        return f"there is no file {shown}: put the file there or correct the path{did_you_mean(path.name, nearby)}", (0, 0)
    if kind != "image":
        return "", (0, 0)
    try:
        return "", image_size(path)
    except MediaError as err:
        return f"{shown} {err}", (0, 0)


def _known(reference: str, known: References, what: str, item: _Item, at: tuple, field: str, diagnostics: list[Diagnostic]) -> bool:
    if reference in known:
        return True
    diagnostics.append(Diagnostic.at(ERROR, item.where(*at), f'{field}: unknown {what} "{reference}"{known.did_you_mean(reference)}'))
    return False


def _citations(item: _Item, source_ids: References, diagnostics: list[Diagnostic]) -> tuple[Citation, ...]:
    citations: dict[str, Citation] = {}
    for index, cited in enumerate(item.values.get("sources", ())):
        if not _known(cited["source"], source_ids, "source", item, ("sources", index), "sources", diagnostics):
            continue
        if cited["source"] in citations:
            diagnostics.append(Diagnostic.at(WARNING, item.where("sources", index), f'sources: "{cited["source"]}" is cited twice'))
            continue
        citations[cited["source"]] = Citation(cited["source"], cited["note"])
    return tuple(citations.values())


def _quotes(item: _Item, actors: tuple[str, ...], names: ActorNames, source_ids: References, cited: set[str], diagnostics: list[Diagnostic]) -> tuple[Quote, ...]:
    quotes = []
    for index, quote in enumerate(item.values.get("quotes", ())):
        speaker, problem = names.resolve(quote["by"])
        if speaker is None:
            diagnostics.append(Diagnostic.at(ERROR, item.where("quotes", index, "by"), f"quotes[{index + 1}].by: {problem}"))
            continue
        if speaker not in actors:
            diagnostics.append(Diagnostic.at(WARNING, item.where("quotes", index, "by"), f"quotes[{index + 1}].by: {speaker} is not among the event's actors"))
        source = quote["source"]
        if source:
            if not _known(source, source_ids, "source", item, ("quotes", index, "source"), f"quotes[{index + 1}].source", diagnostics):
                continue
            if source not in cited:
                diagnostics.append(Diagnostic.at(WARNING, item.where("quotes", index, "source"), f"quotes[{index + 1}].source: {source} is not among the event's sources"))
        quotes.append(Quote(speaker, quote["text"], source))
    return tuple(quotes)


class DefinedTags:
    """The tags of content/tags/: an event's word for a tag is its id, its slug, its name or an alias."""

    def __init__(self, items: list[_Item]):
        self.items = items
        self.names = ActorNames(((item.id, item.values.get("name"), item.values.get("aliases", ())) for item in items), "tag")
        self.complete = {
            item.id: TagDefinition(item.id, item.values["name"], item.values["description"], tuple(item.values["aliases"]), item.path)
            for item in items if item.complete
        }

    def find(self, label: str) -> TagDefinition | None:
        """The defined tag `label` names, if one does (and only one)."""
        if not self.complete:
            return None
        found = self.complete.get(tag_slug(label))
        if found is None:
            found = self.complete.get(self.names.find(label) or "")
        return found

    def unused(self, events: Iterable[Event]) -> list[Diagnostic]:
        used = {tag.slug for event in events for tag in event.tags}
        return [Diagnostic(WARNING, f'tag "{item.id}" is used by no event', item.path, 1, 1) for item in self.items if item.id not in used]


def _tags(item: _Item, diagnostics: list[Diagnostic], defined: DefinedTags) -> tuple[Tag, ...]:
    tags: dict[str, Tag] = {}
    for index, label in enumerate(item.values.get("tags", ())):
        named = defined.find(label)
        if named is not None:
            tags.setdefault(named.id, Tag(named.id, named.name))
            continue
        slug = tag_slug(label)
        if not slug:
            diagnostics.append(Diagnostic.at(ERROR, item.where("tags", index), f'tags: "{label}" has no letter or digit to make a page name from'))
        elif slug in WINDOWS_RESERVED:
            diagnostics.append(Diagnostic.at(ERROR, item.where("tags", index), f'tags: "{label}" would make a page named "{slug}", a reserved file name on Windows'))
        elif slug not in tags:
            tags[slug] = Tag(slug, label)
    return tuple(tags.values())


def _related(item: _Item, event_ids: References, diagnostics: list[Diagnostic]) -> tuple[str, ...]:
    related = []
    for index, other in enumerate(item.values.get("related", ())):
        if other == item.id:
            diagnostics.append(Diagnostic.at(ERROR, item.where("related", index), "related: an event cannot be related to itself"))
        elif _known(other, event_ids, "event", item, ("related", index), "related", diagnostics) and other not in related:
            related.append(other)
    return tuple(related)


def _after(item: _Item, event_ids: References, diagnostics: list[Diagnostic]) -> str | None:
    other = item.values.get("after")
    if other is None:
        return None
    if other == item.id:
        diagnostics.append(Diagnostic.at(ERROR, item.where("after"), "after: an event cannot come after itself"))
        return None
    return other if _known(other, event_ids, "event", item, ("after",), "after", diagnostics) else None


def same_day_order_problems(events: list[tuple[_Item, Event]]) -> list[Diagnostic]:
    """`after` must name an event begun on the same day (of the site's calendar), not later, and in no cycle."""
    by_id = {event.id: event for _, event in events}
    diagnostics = []
    for item, event in events:
        other = by_id.get(event.after or "")
        if other is None:
            continue
        day, other_day = event.date.local_earliest.date(), other.date.local_earliest.date()
        if day != other_day:
            message = f'after: "{other.id}" is dated {other.date.display()}, not on the day this event begins ({event.date.display()})'
        elif other.date.earliest > event.date.latest:
            message = f'after: "{other.id}" ({other.date.display()}) begins after this event ({event.date.display()}) ends'
        elif _in_after_cycle(event, by_id):
            message = f'after: "{other.id}" comes after this event itself, through its own after:'
        else:
            continue
        diagnostics.append(Diagnostic.at(ERROR, item.where("after"), message))
    return diagnostics


def _in_after_cycle(event: Event, by_id: dict[str, Event]) -> bool:
    seen = {event.id}
    current = by_id.get(event.after or "")
    while current is not None:
        if current.id in seen:
            return current.id == event.id
        seen.add(current.id)
        current = by_id.get(current.after or "")
    return False


# --- warnings across files ---------------------------------------------------------


def _warn_unused(events: tuple[Event, ...], checked_actors: dict[str, Actor], actors: list[_Item], sources: list[_Item]) -> list[Diagnostic]:
    """Actors no event names (directly or through a member) and sources no event cites."""
    named = _with_affiliations({a for e in events for a in (*e.actors, *(q.by for q in e.quotes))}, checked_actors)
    cited = {s for e in events for s in (*(c.source for c in e.sources), *(q.source for q in e.quotes if q.source))}
    warnings = [
        Diagnostic(WARNING, f'actor "{item.id}" is named by no event', item.path, 1, 1)
        for item in actors
        if item.id not in named
    ]
    warnings += [
        Diagnostic(WARNING, f'source "{item.id}" is cited by no event', item.path, 1, 1)
        for item in sources
        if item.id not in cited
    ]
    return warnings


def _with_affiliations(named: set[str], actors: dict[str, Actor]) -> set[str]:
    """`named` and every actor they belong to, directly or through others (one walk up, linear)."""
    reached = set(named)
    pending = list(named)
    while pending:
        actor = actors.get(pending.pop())
        if actor is None:
            continue
        for parent in (*actor.affiliations, *(role.of for role in actor.roles if role.of)):
            if parent in actors and parent not in reached:
                reached.add(parent)
                pending.append(parent)
    return reached


def _warn_late_occurrences(events: list[tuple[_Item, Event]], sources: dict[str, Source]) -> list[Diagnostic]:
    """An event said to have occurred after every source reporting it was published."""
    warnings = []
    for item, event in events:
        cited = [sources.get(c.source) for c in event.sources]
        if event.status != "occurred" or not cited or any(s is None or s.published is None for s in cited):
            continue  # a source with an error, or without a date, says nothing of when it was reported
        published = [s.published for s in cited]  # type: ignore[union-attr]
        last = max(published, key=lambda p: p.latest)
        if event.date.earliest > last.latest:
            warnings.append(Diagnostic.at(WARNING, item.where("date"), f"date: {event.date.edtf} is after the publication of every source reporting it (the last, {last.edtf}); is it status: planned?"))
    return warnings


def _warn_lookalikes(events: list[tuple[_Item, Event]]) -> list[Diagnostic]:
    """Two events on the same date with shared actors and similar titles."""
    by_date: dict[str, list[tuple[_Item, Event]]] = defaultdict(list)
    for item, event in events:
        by_date[event.date.edtf].append((item, event))
    warnings = []
    matcher = difflib.SequenceMatcher(None)
    for same_day in by_date.values():
        current = None
        for earlier, later in _lookalike_candidates(same_day):
            first, (item, second) = same_day[earlier][1], same_day[later]
            if not set(first.actors) & set(second.actors):
                continue
            if later != current:  # the matcher indexes its second text once for all candidates
                matcher.set_seq2(second.title.casefold())
                current = later
            matcher.set_seq1(first.title.casefold())
            if matcher.real_quick_ratio() >= SIMILAR_TITLES and matcher.quick_ratio() >= SIMILAR_TITLES and matcher.ratio() >= SIMILAR_TITLES:
                warnings.append(Diagnostic.at(WARNING, item.where("title"), f'looks like the same happening as "{first.id}" ({first.path}): same date, shared actors, similar title'))
    return warnings


def _lookalike_candidates(same_day: list[tuple[_Item, Event]]) -> Iterable[tuple[int, int]]:
    """Pairs (earlier, later) of positions worth comparing, by later: all of them for a few events, else bounded."""
    if len(same_day) <= LOOKALIKE_ALL_PAIRS:
        for later in range(len(same_day)):
            yield from ((earlier, later) for earlier in range(later))
        return
    by_word: dict[str, list[int]] = defaultdict(list)
    for later, (_, event) in enumerate(same_day):
        words = set(_WORD.findall(event.title.casefold())) or {""}
        shared: Counter[int] = Counter()
        for word in words:
            shared.update(by_word[word])
            if len(by_word[word]) < LOOKALIKE_CANDIDATES:
                by_word[word].append(later)
        closest = sorted(shared.items(), key=lambda pair: (-pair[1], pair[0]))[:LOOKALIKE_CANDIDATES]
        for earlier in sorted(earlier for earlier, _ in closest):
            yield earlier, later


_WORD = re.compile(r"\w+")


def _warn_tag_collisions(events: list[tuple[_Item, Event]]) -> list[Diagnostic]:
    """Tags written differently that end up on one page (`C++` and `C#` are both `c`)."""
    first_label: dict[str, tuple[str, str]] = {}  # slug → (label, where)
    warned: set[tuple[str, str]] = set()
    warnings = []
    words: dict[str, tuple[str, str]] = {}  # label → (slug, same words): a few labels recur on many events
    for item, event in events:
        for index, label in enumerate(item.values.get("tags", ())):
            slug, same = words.get(label) or words.setdefault(label, (tag_slug(label), _same_words(label)))
            if not slug:
                continue
            seen = first_label.setdefault(slug, (label, item.path))
            if words[seen[0]][1] != same and (slug, label) not in warned:
                warned.add((slug, label))
                warnings.append(Diagnostic.at(
                    WARNING, item.where("tags", index),
                    f'tags: "{label}" and "{seen[0]}" ({seen[1]}) share one page, tags/{slug}/: '
                    "write them alike if they are one tag, or tell them apart with a word",
                ))
    return warnings


def _same_words(label: str) -> str:
    """A tag's label without what its slug ignores anyway: case, accents, spaces and hyphens."""
    return re.sub(r"[\s_-]+", "", fold(label))


def _check_affiliation_depth(made_actors: dict[str, tuple[_Item, Actor]]) -> list[Diagnostic]:
    """Refuse affiliation chains longer than MAX_AFFILIATION_DEPTH, in one pass over the actors.

    A chain of N actors makes N*N/2 member links on the actor pages; a real hierarchy
    (a minister, a government, a state, an alliance) is a few levels deep.
    """
    parents = {
        actor_id: [p for p in dict.fromkeys([*actor.affiliations, *(r.of for r in actor.roles if r.of)]) if p in made_actors and p != actor_id]
        for actor_id, (_, actor) in made_actors.items()
    }
    depth = _chain_depths(parents)
    problems = []
    for actor_id, (item, _) in made_actors.items():
        if depth[actor_id] == MAX_AFFILIATION_DEPTH + 1:  # the first actor past the limit on each chain
            problems.append(Diagnostic.at(
                ERROR, item.where("affiliations"),
                f"affiliations: {actor_id} is more than {MAX_AFFILIATION_DEPTH} affiliations away from the top of its chain; "
                "affiliate it with the organisation it belongs to directly",
            ))
    return problems


def _chain_depths(parents: dict[str, list[str]]) -> dict[str, int]:
    """For each node, the number of nodes on the longest path up from it (a cycle counts once)."""
    depth: dict[str, int] = {}
    on_path: set[str] = set()
    for start in parents:
        if start in depth:
            continue
        stack = [(start, iter(parents[start]))]
        on_path.add(start)
        while stack:
            node, pending = stack[-1]
            parent = next(pending, None)
            if parent is None:
                stack.pop()
                on_path.discard(node)
                depth[node] = 1 + max((depth.get(p, 0) for p in parents[node] if p not in on_path), default=0)
            elif parent not in depth and parent not in on_path:
                on_path.add(parent)
                stack.append((parent, iter(parents[parent])))
    return depth
