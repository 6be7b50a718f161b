"""What a page's bytes depend on, as a short key, so unchanged pages are not rendered again.

A page's key covers the site as a whole (settings, actors, sources, terms, the number
of events, the templates and the generator's own code), the page's context, and the
events it shows (by a digest of each). Events are digested once per build and reused
by every page that shows them.
"""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any, Iterable

import generator
from generator.model import Event, Timeline


def _hash() -> "hashlib._Hash":
    return hashlib.blake2b(digest_size=16)


class Fingerprints:
    """Keys for the pages and exports of one build."""

    def __init__(self, timeline: Timeline, template_dirs: Iterable[Path]):
        self.events = {event.id: _hash_text(repr(event)) for event in timeline.events}
        every = _hash()
        for event in timeline.events:
            every.update(self.events[event.id].encode())
        self.every_event = every.hexdigest()
        self.site = _site_key(timeline, template_dirs)

    def key(self, path: str, templates: tuple[str, ...], context: Any, depends: tuple[str, ...] | None) -> str:
        digest = _hash()
        digest.update(f"{self.site}\0{path}\0{templates}\0".encode())
        self._feed(digest, context)
        if depends is None:
            digest.update(self.every_event.encode())
        else:
            for event_id in depends:
                digest.update(self.events.get(event_id, event_id).encode())
        return digest.hexdigest()

    def _feed(self, digest: "hashlib._Hash", value: Any) -> None:
        if isinstance(value, Event):
            digest.update(b"E" + self.events[value.id].encode())
        elif isinstance(value, dict):
            for key in sorted(value, key=str):
                digest.update(f"k{key}\0".encode())
                self._feed(digest, value[key])
        elif isinstance(value, (list, tuple)):
            digest.update(f"[{len(value)}".encode())
            for item in value:
                self._feed(digest, item)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            digest.update(type(value).__name__.encode())
            for field in dataclasses.fields(value):
                self._feed(digest, getattr(value, field.name))
        else:
            digest.update(f"{type(value).__name__}:{value!r}\0".encode())


def _hash_text(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _site_key(timeline: Timeline, template_dirs: Iterable[Path]) -> str:
    digest = _hash()
    digest.update(repr((timeline.config, sorted(timeline.actors.items()), sorted(timeline.sources.items()))).encode())
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
    """A digest of the generator's own source: new code renders everything again."""
    digest = _hash()
    package = Path(generator.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()
