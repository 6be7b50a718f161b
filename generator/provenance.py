"""The provenance of a site's content, read for the build: captures, link checks, git history.

These are inputs of the build like the content files: `archive/captures.json`,
`archive/links.json` (with the files they name) and the git commit the site is at
(`generator.repository.head_commit`, one of the inputs the record compares).
`attach_provenance` adds what they say to the Timeline.
"""
from __future__ import annotations

from pathlib import Path

from generator.captures import read_captures, read_links
from generator.diagnostics import Diagnostic
from generator.history import read_history
from generator.model import Capture, Timeline, with_provenance


def attach_provenance(site_root: Path, timeline: Timeline) -> tuple[Timeline, list[Diagnostic]]:
    """The timeline with its sources' captures and link states and its events' history; and any problem with their records."""
    record = read_captures(site_root)
    links, link_problems = read_links(site_root)
    captures: dict[str, Capture] = {}
    states = {}
    for source in timeline.sources.values():
        capture = record.latest(source.id, source.url) if source.url else None
        if capture:
            captures[source.id] = capture
        checked = links.get(source.id)
        if checked and checked[0] == source.url:  # a result for an earlier URL says nothing of this one
            states[source.id] = checked[1]
    history = read_history(site_root)
    timeline = with_provenance(timeline, captures, states, history.by_path, history.note)
    return timeline, [*record.problems, *link_problems]


def capture_files(site_root: Path, timeline: Timeline) -> dict[str, Path]:
    """The archived files the site shows, by their path in the output (the same as under the site)."""
    files: dict[str, Path] = {}
    for source in timeline.sources.values():
        if source.capture:
            for name in (source.capture.warc, source.capture.text):
                if name:
                    files[name] = site_root / name
    return files

