"""`build`: the whole pipeline, from the site's folder to its output folder.

A build renders only what its inputs changed: each page and export has a key
(`fingerprint`), and one whose key and bytes are those of the live site is kept as
it is. Markdown conversions are kept between builds too. Both live in the site's
`.timeline-cache/`; deleting it only makes the next build slower.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Mapping

import jinja2

from generator.cache import Caches, KeyedStore
from generator.check import check_site_config
from generator.exports.common import ExportTools
from generator.fingerprint import Fingerprints, code_version
from generator.model import Timeline
from generator.parallel import split_work, workers_for
from generator.pipeline import CheckReport, check_site, site_caches
from generator.plan import Export, Page, plan_site
from generator.provenance import capture_files
from generator.render import Markdown, Renderer, builtin_dir, make_environment
from generator.search import EVENT_PAGE, search_files
from generator.template_errors import check_templates, rendering_failure
from generator.unchanged import Outcome, inputs_digest, recall, remember
from generator.write import (
    Kept, SiteWriter, WriteError, WriteResult, check_output_folder, collect_static, digest, read_manifest_bytes,
    refuse_links_leaving,
)

@dataclass(frozen=True)
class BuildResult:
    report: CheckReport
    written: WriteResult | None  # None when the content had errors: nothing was written
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    notes: tuple[str, ...] = ()  # things the author should know (search skipped, …)
    rendered: int = 0  # pages and exports made afresh (the others were unchanged)
    last: LastBuild | None = None  # what a quick rebuild (serve's) starts from


@dataclass(frozen=True)
class LastBuild:
    """A successful build as planned: the model, its pages and exports, their fingerprints."""

    site_root: Path
    report: CheckReport
    pages: list[Page]
    exports: list[Export]
    fingerprints: Fingerprints
    own_templates: bool  # the site has templates of its own
    output: Path
    pages_showing: Mapping[str, tuple[int, ...]] | None = None  # event id → pages showing it whole (made when needed)


def output_folder(site_root: Path, output: str) -> Path:
    path = Path(output)
    return path if path.is_absolute() else site_root / path


def build_site(
    site_root: Path, *, drafts: bool = False, strict: bool = False, force: bool = False,
    overrides: dict | None = None, env: jinja2.Environment | None = None, use_cache: bool = True,
    search: bool = True, caches: Caches | None = None,
) -> BuildResult:
    """Check, plan, render and write the site; write nothing when the content has errors.

    `env` is a Jinja environment and `caches` the caches to reuse (serve keeps both
    across builds and saves the caches itself); without them the site's cache folder
    is read and saved (not at all without `use_cache`). Without `search` the search
    index is not made again: the last one is kept, if any.
    """
    started = time.perf_counter()
    own_caches = caches is None
    caches = caches or site_caches(site_root, use_cache)
    # A build of its own (not serve's) first asks whether any input changed at all.
    record = caches.folder if own_caches else None
    options = {"drafts": drafts, "strict": strict, "overrides": overrides or {}, "search": search}
    inputs = inputs_digest(site_root, [builtin_dir("templates"), builtin_dir("static")], options) if record else ""
    if record and not force:
        same = _same_as_last(site_root, overrides, record, inputs, strict, started)
        if same is not None:
            return same
    report = check_site(site_root, drafts=drafts, overrides=overrides, caches=caches)
    if report.timeline is None or (strict and report.diagnostics):
        if own_caches:
            caches.save()
        return BuildResult(report, None)
    timeline = report.timeline
    output = output_folder(site_root, timeline.config.output)
    check_output_folder(output, site_root, force)
    refuse_links_leaving(site_root / "templates", site_root)
    static = collect_static([builtin_dir("static"), site_root / "static"])
    static.update(capture_files(site_root, timeline))  # provenance: archived captures, copied as they are
    with SiteWriter(output) as writer:  # holds the output's build lock until the swap is done
        made = _make_files(timeline, site_root, writer, caches, env, search, set(static))
        for path, source in static.items():
            writer.add(path, source.read_bytes())
        written = writer.finish()
    if own_caches:
        caches.save()
    if record and not (search and made.notes):  # a skipped search index is tried again next time
        remember(record, inputs, read_manifest_bytes(output), Outcome(report.diagnostics, report.files, len(made.pages), len(writer.wanted)))
    last = LastBuild(site_root, report, made.pages, made.exports, made.fingerprints, made.own_templates, output)
    return BuildResult(
        report, written, len(made.pages), len(writer.wanted), time.perf_counter() - started, made.notes, made.rendered, last,
    )


def _same_as_last(site_root: Path, overrides: dict | None, record: Path, inputs: str, strict: bool, started: float) -> BuildResult | None:
    """The last build's result again, when no input changed and its output is as it left it."""
    config, _ = check_site_config(site_root, overrides or {})
    if config is None:
        return None
    output = output_folder(site_root, config.output)
    outcome = recall(record, inputs, read_manifest_bytes(output))
    if outcome is None:
        return None
    report = CheckReport(config, None, outcome.diagnostics, outcome.checked)
    if strict and outcome.diagnostics:
        return BuildResult(report, None)
    written = WriteResult(0, outcome.files, output.absolute())
    return BuildResult(report, written, outcome.pages, outcome.files, time.perf_counter() - started)


@dataclass(frozen=True)
class _Made:
    pages: list[Page]
    exports: list[Export]
    fingerprints: Fingerprints
    own_templates: bool
    rendered: int
    notes: tuple[str, ...]


def _make_files(
    timeline: Timeline, site_root: Path, writer: SiteWriter, caches: Caches, env: jinja2.Environment | None,
    search: bool, static: set[str],
) -> _Made:
    """Every page, export and search file, handed to the writer: rendered afresh, or kept."""
    pages, exports = plan_site(timeline)
    live = writer.live or {}
    keys = keys_store(caches)
    site_templates = site_root / "templates"
    own_templates = site_templates.is_dir() and any(path.is_file() for path in site_templates.rglob("*"))
    fingerprints = Fingerprints(timeline, [site_templates, builtin_dir("templates")], own_templates)
    page_paths = tuple(page.path for page in pages)
    jobs = [(page.output, _page_key(page, fingerprints), page) for page in pages]
    jobs += [(export.path, _export_key(export, page_paths, fingerprints), export) for export in exports]
    clashes = sorted(static.intersection(path for path, _, _ in jobs))
    if clashes:
        raise WriteError(f"a static file and a page would both be written to {clashes[0]}")
    makers = Makers(timeline, site_root, caches, env, fingerprints, page_paths)
    remember: dict[str, tuple] = {}  # what the next build compares with
    todo: list[tuple[str, str, Page | Export]] = []
    for path, key, job in jobs:
        remembered = keys.entries.get(path)
        if remembered and remembered[0] == key and live.get(path) == remembered[1]:
            writer.add(path, Kept(remembered[1]))
            remember[path] = remembered
        else:
            todo.append((path, key, job))
    # Event pages first: the search index is made of them, while the rest renders.
    event_pages: list[tuple[str, Page | Export]] = []
    others: list[tuple[str, Page | Export]] = []
    for path, _, job in todo:
        (event_pages if EVENT_PAGE.fullmatch(path) else others).append((path, job))
    makers.make_all(event_pages, writer)
    index = _SearchIndex(writer, keys.entries.get(SEARCH_KEY), search)
    index.start()
    makers.make_all(others, writer)
    for path, key, _ in todo:
        remember[path] = (key, writer.wanted[path])
    notes = index.finish(remember)
    keys.replace(remember)
    makers.forget_old_pieces()
    return _Made(pages, exports, fingerprints, own_templates, len(todo), notes)


class Makers:
    """What renders pages and exports, set up (with its caches) only once one is needed."""

    def __init__(self, timeline: Timeline, site_root: Path, caches: Caches, env: jinja2.Environment | None,
                 fingerprints: Fingerprints, page_paths: tuple[str, ...]):
        self.timeline, self.site_root, self.caches, self.env = timeline, site_root, caches, env
        self.fingerprints, self.page_paths = fingerprints, page_paths
        self.ready = False

    def make(self, job: Page | Export) -> bytes:
        if not self.ready:
            self._set_up()
        try:
            if isinstance(job, Page):
                return self.renderer.render(job)
            return job.make(self.timeline, self.tools)
        except jinja2.TemplateError as err:
            raise rendering_failure(err, job.path, self.site_root) from None

    def make_all(self, todo: list[tuple[str, Page | Export]], writer: SiteWriter) -> None:
        """Make these files and hand them to the writer, over several processes when there are many.

        Workers write their files into the spare folder themselves and send back their
        digests and the cache entries they added (Markdown, cards, export pieces).
        """
        workers = workers_for(len(todo), PARALLEL_FROM)
        if workers > 1:
            self._set_up()
            writer.prepare()
        stores = self._stores() if workers > 1 else []
        sizes = [len(store) for store in stores]

        def work(share: list[tuple[str, Page | Export]]) -> tuple[dict[str, str], list[list]]:
            for path, job in share:
                writer.add(path, self.make(job))
            added = [list(islice(store.items(), size, None)) for store, size in zip(stores, sizes)]
            return {path: writer.wanted[path] for path, _ in share}, added

        for made, added in split_work(todo, work, workers)[1:]:
            for path, file_digest in made.items():
                writer.add_written(path, file_digest)
            for store, entries in zip(stores, added):
                store.update(entries)

    def _stores(self) -> list[dict]:
        return [self.caches.open("markdown").entries, self.pieces.entries["cards"], self.pieces.entries["exports"]]

    def _set_up(self) -> None:
        markdown = Markdown(self.caches.open("markdown").entries)
        folder = self.caches.folder
        env = self.env or make_environment(self.site_root, folder / "templates" if folder else None)
        self.renderer = Renderer(self.timeline, self.site_root, env, markdown)
        check_templates(self.renderer.env, self.site_root)  # with the renderer's filters known
        self.pieces = _pieces(self.caches, self.fingerprints)
        self.renderer.cards = self.pieces.entries["cards"]
        self.renderer.card_key = lambda event: self.fingerprints.events[event.id]
        self.tools = ExportTools(markdown, self.page_paths, self.pieces.entries["exports"], self.renderer.card_key)
        self.ready = True

    def forget_old_pieces(self) -> None:
        if self.ready:
            _forget_old_pieces(self.pieces, set(self.fingerprints.events.values()))


def _pieces(caches: Caches, fingerprints: Fingerprints) -> KeyedStore:
    """Each event's card and export pieces made before, while the site as a whole is unchanged."""
    pieces = caches.open("pieces")
    if pieces.entries.get("site") != fingerprints.site:
        pieces.replace({"site": fingerprints.site, "cards": {}, "exports": {}})
    return pieces


def _forget_old_pieces(pieces: KeyedStore, current: set[str]) -> None:
    """Drop the pieces of event versions that no longer exist (keys hold the event digest)."""
    for name, position in (("cards", 0), ("exports", 1)):
        kept = {key: value for key, value in pieces.entries[name].items() if key[position] in current}
        if len(kept) != len(pieces.entries[name]):
            pieces.entries[name] = kept
            pieces.changed = True


def job_key(job: Page | Export, page_paths: tuple[str, ...], fingerprints: Fingerprints) -> str:
    return _page_key(job, fingerprints) if isinstance(job, Page) else _export_key(job, page_paths, fingerprints)


def keys_store(caches: Caches) -> KeyedStore:
    """Each output file's key and digest as last made (keys of other code versions are not read)."""
    return caches.open(f"keys-{code_version()}")


def _page_key(page: Page, fingerprints: Fingerprints) -> str:
    return fingerprints.key(page.path, page.templates, page.context, (), page.outlined)


def _export_key(export: Export, page_paths: tuple[str, ...], fingerprints: Fingerprints) -> str:
    return fingerprints.key(export.path, ("export",), page_paths if export.path == "sitemap.xml" else (), export.depends)


SEARCH_KEY = "pagefind/"
PARALLEL_FROM = 400  # pages and exports to make before it pays to fork a worker


class _SearchIndex:
    """The search index of the event pages: kept while they are those it was made of, else made again.

    It is started once the event pages are made and, when it must be made again,
    made in a thread (Pagefind runs in a process of its own) while the other pages
    and exports render.
    """

    def __init__(self, writer: SiteWriter, remembered: tuple | None, search: bool):
        self.writer, self.remembered, self.search = writer, remembered, search
        self.thread: threading.Thread | None = None
        self.outcome: tuple[dict[str, bytes], str | None] | BaseException = ({}, None)

    def start(self) -> None:
        writer, remembered = self.writer, self.remembered
        live = writer.live or {}
        self.pages = sorted(path for path in writer.wanted if EVENT_PAGE.fullmatch(path))
        self.key = digest("".join(f"{p}:{writer.wanted[p]}\n" for p in self.pages).encode())
        self.keep = bool(remembered) and all(live.get(p) == d for p, d in remembered[1].items())
        self.keep = self.keep and (remembered[0] == self.key or not self.search)
        if self.search and not self.keep:
            self.thread = threading.Thread(target=self._make, daemon=True)
            self.thread.start()

    def _make(self) -> None:
        try:
            self.outcome = search_files(_Pages(self.writer, self.pages))
        except BaseException as err:  # raised again by finish, in the build's own thread
            self.outcome = err

    def finish(self, remember: dict) -> tuple[str, ...]:
        """Add the index's files to the writer; note what the next build compares with; say what happened."""
        writer, remembered = self.writer, self.remembered
        if self.keep:
            for path, file_digest in remembered[1].items():
                writer.add(path, Kept(file_digest))
            remember[SEARCH_KEY] = remembered
            return () if remembered[0] == self.key else ("search index not updated (it covers the pages of an earlier build)",)
        if self.thread is None:
            return ("search skipped: no index was made",)
        self.thread.join()
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        index, note = self.outcome
        for path, data in index.items():
            writer.add(path, data)
        if note is None:  # a skipped index is tried again next time
            remember[SEARCH_KEY] = (self.key, {path: writer.wanted[path] for path in index})
        return (note,) if note else ()


class _Pages(Mapping[str, bytes]):
    """The site's HTML pages as bytes, read back from disk only when asked for."""

    def __init__(self, writer: SiteWriter, paths: list[str]):
        self.writer, self.paths = writer, paths

    def __getitem__(self, path: str) -> bytes:
        if path not in self.writer.wanted:
            raise KeyError(path)
        return self.writer.read(path)

    def __iter__(self):
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)
