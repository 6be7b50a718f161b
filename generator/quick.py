"""Serve's quick rebuild: an edit confined to event summaries, applied to the last build.

The edit an author makes most while writing is to an event's summary. It changes no
date, actor, tag, source, title or link, so the site keeps its structure: only the
pages showing the event whole (its own page, its neighbours', the list pages and
the home page that show its card) and the exports change. Those pages are found in
the last build's plan, given the new event, rendered and written beside the files
kept as they are; nothing else is loaded, checked or planned again.

Anything else — another kind of edit, a file added or removed, a diagnostic in the
edited file, a site with templates of its own (which may show a summary anywhere) —
returns None, and serve runs the full build. The result is the same either way
(tests compare it with a cold build).
"""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Iterator

import jinja2

from generator.build import BuildResult, LastBuild, Makers, job_key, keys_store
from generator.cache import Caches, stamp
from generator.model import Event
from generator.pipeline import check_one, file_cache
from generator.plan import Page
from generator.write import Kept, SiteWriter

EVENTS_FOLDER = "content/events/"


def quick_rebuild(last: LastBuild | None, changed: Iterable[Path], caches: Caches, env: jinja2.Environment | None) -> BuildResult | None:
    """The rebuild after `changed` files were saved, if they only changed event summaries; else None."""
    started = time.perf_counter()
    if last is None or last.own_templates:
        return None
    edited = _edited_events(last, changed, caches)
    if not edited:
        return None
    timeline = last.report.timeline
    assert timeline is not None  # a LastBuild is made of a successful build
    timeline = replace(
        timeline,
        events=tuple(edited.get(event.id, event) for event in timeline.events),
        events_by_id={**timeline.events_by_id, **edited},
    )
    fingerprints = last.fingerprints.with_summaries(edited.values())
    showing = last.pages_showing if last.pages_showing is not None else _pages_showing(last.pages)
    pages = list(last.pages)
    for number in sorted({number for event_id in edited for number in showing.get(event_id, ())}):
        pages[number] = replace(pages[number], context=_with_events(pages[number].context, edited))
    affected = [page for page, before in zip(pages, last.pages) if page is not before]
    page_paths = tuple(page.path for page in pages)
    exports = [export for export in last.exports if export.depends is None or not edited.keys().isdisjoint(export.depends)]
    todo = [(page.output, page) for page in affected] + [(export.path, export) for export in exports]
    with SiteWriter(last.output) as writer:  # holds the output's build lock until the swap is done
        remade = {path for path, _ in todo}
        for path, file_digest in (writer.live or {}).items():
            if path not in remade:
                writer.add(path, Kept(file_digest))
        makers = Makers(timeline, last.site_root, caches, env, fingerprints, page_paths)
        makers.make_all(todo, writer)
        keys = keys_store(caches)
        for path, job in todo:
            keys.entries[path] = (job_key(job, page_paths, fingerprints), writer.wanted[path])
        keys.changed = True
        makers.forget_old_pieces()
        written = writer.finish()
    report = replace(last.report, timeline=timeline)
    rebuilt = LastBuild(last.site_root, report, pages, last.exports, fingerprints, False, last.output, showing)
    return BuildResult(
        report, written, len(pages), len(writer.wanted), time.perf_counter() - started, (), len(todo), rebuilt,
    )


def _edited_events(last: LastBuild, changed: Iterable[Path], caches: Caches) -> dict[str, Event]:
    """The edited events with their new summaries, by id; empty when anything else changed."""
    timeline = last.report.timeline
    assert timeline is not None
    by_path = {event.path: event for event in timeline.events}
    noted = {diagnostic.path for diagnostic in last.report.diagnostics}
    cache = file_cache(caches, timeline.config)
    edited: dict[str, Event] = {}
    for path in changed:
        shown = _shown(path, last.site_root)
        event = by_path.get(shown)
        entry = cache.entries.get(shown)
        if event is None or entry is None or shown in noted:
            return {}
        result = check_one(last.site_root, shown, "events", timeline.config)
        before = entry[1]
        if result.diagnostics or before.diagnostics or not result.complete or result.values is None:
            return {}
        if _without_summary(result.values) != _without_summary(before.values):
            return {}
        cache.put(shown, stamp(last.site_root / shown), result)
        edited[event.id] = replace(event, summary=result.values["summary"])
    return edited


def _shown(path: Path, site_root: Path) -> str | None:
    """A changed file's path as the content's diagnostics show it, if it is an event file."""
    try:
        relative = Path(path).resolve().relative_to(site_root.resolve()).as_posix()
    except (ValueError, OSError):
        return None
    return relative if relative.startswith(EVENTS_FOLDER) else None


def _without_summary(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if key != "summary"}


def _pages_showing(pages: list[Page]) -> dict[str, tuple[int, ...]]:
    """For each event, the pages whose context holds it (so show it whole), by their place in the plan."""
    showing: dict[str, list[int]] = {}
    for number, page in enumerate(pages):
        for event_id in set(_events_in(page.context)):
            showing.setdefault(event_id, []).append(number)
    return {event_id: tuple(numbers) for event_id, numbers in showing.items()}


def _events_in(value: Any) -> Iterator[str]:
    if isinstance(value, Event):
        yield value.id
    elif isinstance(value, dict):
        for item in value.values():
            yield from _events_in(item)
    elif isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        for item in value:
            if type(item) is tuple and item and type(item[0]) is Event:  # an (event, via) entry
                yield item[0].id
            else:
                yield from _events_in(item)


def _with_events(value: Any, edited: dict[str, Event]) -> Any:
    """`value` (a page's context) with the edited events in place of their old selves; the same object if none is in it."""
    if isinstance(value, Event):
        return edited.get(value.id, value)
    if isinstance(value, dict):
        changed = {key: _with_events(item, edited) for key, item in value.items()}
        return changed if any(changed[key] is not value[key] for key in value) else value
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        changed_items = [_with_events(item, edited) for item in value]
        if all(new is old for new, old in zip(changed_items, value)):
            return value
        return changed_items if isinstance(value, list) else tuple(changed_items)
    return value  # terms, pagination and other records hold ids, never events
