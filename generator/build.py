"""`build`: load the site, then plan, render and write it, re-making only what changed.

Each page, export and cached piece records the keys it reads while it is made
(`generator.reads`); the record of the last build (`generator.record`) holds every
output's read set and digest and every key's digest. A build re-makes the new
outputs and those whose reads meet a key whose digest changed; the others are kept
as they are on disk. New code or options, or `--force`, re-make and write
everything. When no input file changed at all, nothing is loaded. Deleting
`.timeline-cache/` only makes the next build slower, never different.
"""
from __future__ import annotations

import gc
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Mapping

import jinja2

from generator.check import MadeEvents, check_site_config
from generator.exports.common import ExportTools
from generator.keys import Digests, Seen
from generator.diagnostics import Diagnostic
from generator.load import ContentFile, find_content
from generator.model import LastModel, Timeline
from generator.parallel import split_work, workers_for
from generator.pipeline import CheckReport, load_site
from generator.plan import Export, Page, plan_site
from generator.provenance import capture_files
from generator.reads import record as record_read, recording
from generator.record import (
    CACHE_DIR, Inputs, KeyTable, Pieces, Record, code_version, pieces_store, read_head, read_inputs, read_record, restamp,
    unchanged_build, unpack, write_record,
)
from generator.render import (
    Markdown, Renderer, compile_ahead, finish_compiling, forget_other_code, make_environment, wait_for_compiled,
)
from generator.theme import builtin_dir
from generator.views import Views
from generator.search import (
    EVENT_PAGE, SERVICES, SHARDS_FILE, SearchUnavailable, facet_counts, indexed_part, page_language, pagefind_binary,
    part_digest, shard_count, shard_files, shard_key, shards_file, split_pages,
)
from generator.template_errors import check_templates, helper_failure, rendering_failure, templates_digest
from generator.write import (
    Content, Kept, SiteWriter, WriteError, WriteResult, check_output_folder, collect_static, digest, manifest_digest, replace_files,
    refuse_links_leaving,
)

FORCED = "--force: every page and file made and written again"
CARDS = "card"  # the group of pieces that holds events' cards
Reads = tuple[frozenset[str], bytes]  # what an output read: keys by name, and positions packed (from pieces kept)


@dataclass(frozen=True)
class BuildResult:
    report: CheckReport
    written: WriteResult | None  # None when the content had errors: nothing was written
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    notes: tuple[str, ...] = ()  # things the author should know (search skipped, …)
    rendered: int = 0  # pages and exports made afresh (the others were unchanged)
    exports: int = 0


@dataclass
class Memory:
    """What a long-lived process (serve) keeps between builds: the record, the templates, Markdown."""

    record: Record = field(default_factory=Record)
    env: jinja2.Environment | None = None
    markdown: dict[str, str] = field(default_factory=dict)
    manifest: dict[str, str] | None = None  # the output's manifest as the last build or save left it (digest: record.output)
    made: MadeEvents = field(default_factory=MadeEvents)  # the events the last check made, taken again where they can be
    seen: Seen = field(default_factory=Seen)  # digests made by earlier builds, with what they were made of
    inputs: Inputs | None = None  # the stamps the last build took, for the next to take again only those of files saved since
    model: LastModel = field(default_factory=LastModel)  # the last model, patched when few events changed
    content: tuple[list[ContentFile], list[Diagnostic]] | None = None  # the content files found, while none came or went


@dataclass(frozen=True)
class FirstPages:
    """The pages serve's readers are looking at: made and put in place before the rest of a build.

    `written` is called with those whose bytes changed, once they are in the output, so
    that the readers' pages reload while the build goes on making the other files.
    """

    paths: frozenset[str]  # output paths
    written: Callable[[frozenset[str]], None]


def output_folder(site_root: Path, output: str) -> Path:
    path = Path(output)
    return path if path.is_absolute() else site_root / path


def build_site(
    site_root: Path, *, drafts: bool = False, strict: bool = False, force: bool = False,
    overrides: dict | None = None, use_cache: bool = True, search: bool = True, memory: Memory | None = None,
    inputs: Inputs | None = None, saved: Iterable[Path] = (), first: FirstPages | None = None,
) -> BuildResult:
    """Load, plan, render and write the site; write nothing when the content has errors.

    Without `memory` the record is read from the site's cache folder and saved there
    (not at all without `use_cache`); serve keeps its own `memory` between builds.
    Without `search` the search index is not made again: the last one is kept, if any.
    `inputs` are `record.read_inputs` of these options, when the caller has them already.
    `saved`: with `memory`, the files saved since its last build (serve's watcher says
    which); only they are stamped again, unless one was added or removed.
    `first`: with `memory`, pages to make and write before the others (see FirstPages).
    """
    started = time.perf_counter()
    folder = site_root / CACHE_DIR if use_cache else None
    # Whether the search index is made changes no page: it is an input of the build, not of its code,
    # so serve's builds without search (after a first one with it) re-make only what an edit reaches.
    code = code_version({"drafts": drafts, "overrides": overrides or {}})
    saved = [str(path) for path in saved]
    last = memory.inputs if memory is not None and saved else None
    restamped = last and restamp(site_root, last, code, search, saved)
    if memory is not None and not (restamped and memory.content and not any(os.path.islink(path) for path in saved)):
        memory.content = None  # a file came, went or is a link: the content folders are listed again
    inputs = inputs or restamped or read_inputs(site_root, code, search)
    if memory is not None:
        memory.inputs = inputs
    if not force:
        same = _same_as_last(site_root, overrides, memory.record if memory else read_head(folder), inputs.digest, strict, started)
        if same is not None:
            return same
    try:
        return _build(site_root, folder, code, inputs, started, drafts, strict, force, overrides, search, memory, first)
    finally:
        gc.unfreeze()


def _build(
    site_root: Path, folder: Path | None, code: str, inputs: Inputs, started: float,
    drafts: bool, strict: bool, force: bool, overrides: dict | None, search: bool, memory: Memory | None,
    first: FirstPages | None = None,
) -> BuildResult:
    # Children forked now, while this process is small, cost little: once forked, every page of
    # memory the parent writes to is copied, and the record and model are hundreds of megabytes.
    env = memory.env if memory and memory.env else None
    if env is None:  # a kept one (serve's) has its templates compiled already
        env = make_environment(site_root)
        compile_ahead(env, site_root)
    writer = _listing_writer(site_root, overrides, force) if memory is None else None
    try:
        # The record and the model live to the end of the build: frozen, the garbage
        # collector stops walking their millions of objects at each collection.
        record = memory.record if memory else read_record(folder)
        if record.code != code or force:
            record = Record(files=record.files if record.code == code else {})
        record.code, record.inputs = code, ""
        gc.freeze()
        return _load_and_make(
            site_root, folder, record, env, inputs, started, drafts, strict, force, overrides, search, memory, first, writer,
        )
    finally:
        if writer is not None:
            writer.close()
        finish_compiling(env)


def _listing_writer(site_root: Path, overrides: dict | None, force: bool) -> SiteWriter | None:
    """A build's writer, made before anything is loaded (its child lists the output meanwhile); None
    when site.yml or the output folder has a problem, which is reported where it always was, and
    when no build wrote there yet (a failed build must leave nothing where there was nothing)."""
    config, _ = check_site_config(site_root, overrides or {})
    if config is None:
        return None
    output = output_folder(site_root, config.output)
    if not output.is_dir() or not output.with_name(f".{output.name}.lock").is_file():
        return None
    try:
        check_output_folder(output, site_root, force)
    except WriteError:
        return None
    return SiteWriter(output, live={} if force else None)


def _load_and_make(
    site_root: Path, folder: Path | None, record: Record, env: jinja2.Environment, inputs: Inputs, started: float,
    drafts: bool, strict: bool, force: bool, overrides: dict | None, search: bool, memory: Memory | None,
    first: FirstPages | None, writer: SiteWriter | None = None,
) -> BuildResult:
    # With pages to show first, the warnings that span files wait until they are shown (they stop no build).
    later = first is not None and memory is not None and not strict
    if memory is not None and memory.content is None:
        memory.content = find_content(site_root)
    # What loading makes lives to the end of the build (it is frozen next): a collection in
    # between only walks it (one took 0.18 s of a 10,000-event edit build).
    collecting = gc.isenabled()
    gc.disable()
    try:
        report = load_site(
            site_root, drafts, overrides, record.files, memory.made if memory else None, inputs.stamps,
            memory.model if memory else None, later, memory.content if memory else None,
        )
    finally:
        # Frozen before collections resume: the first one would otherwise walk every object made
        # since they stopped (0.08 s at 10,000 events).
        gc.freeze()
        if collecting:
            gc.enable()
    if memory is None:  # the model is made: the files' check results held hundreds of MB at 100,000 events
        for checked in record.files.values():
            checked.forget_result()
    if report.timeline is None or (strict and report.diagnostics):
        _keep(memory, folder, record)
        return BuildResult(report.with_warnings(), None)
    output = output_folder(site_root, report.timeline.config.output)
    check_output_folder(output, site_root, force)
    refuse_links_leaving(site_root / "templates", site_root)
    static = collect_static([builtin_dir("static"), site_root / "static"])
    static_paths = sorted(static)
    static.update(capture_files(site_root, report.timeline))  # provenance: archived captures, copied as they are
    pages, exports = plan_site(report.timeline)
    views = Views(report.timeline)  # derived facts: worked out once for their digests and for the pages that show them
    trusted = _trusted_manifest(memory, record, output, force)
    if first is not None and memory is not None and trusted is not None:  # it stays trusted: brought up to date in place
        _write_first(first, pages, report.timeline, site_root, env, output, record, memory, views, trusted)
    report = report.with_warnings()
    if memory is not None:
        memory.manifest = None  # until this build has left the output as it wants it
    if writer is None or writer.output != output.absolute():
        writer = SiteWriter(output, live={} if force else None, trusted=trusted)
    if memory is None:  # serve keeps its pieces in memory; a build stores the finished ones as it goes
        store = pieces_store(folder)
        if store is not None:
            record.pieces.keep_in(store)
    # The writer holds the output's build lock until the swap is done.
    with writer:
        made = _make_files(report.timeline, pages, exports, views, site_root, writer, record, env, memory, search, set(static))
        for path, source in static.items():
            writer.add(path, source.read_bytes())
        written = writer.finish()
    if memory is not None:
        memory.manifest = dict(writer.wanted)
    notes = made.notes + ((FORCED,) if force else ())
    if not (search and made.notes):  # a skipped search index is tried again next time
        record.inputs = inputs.digest
    record.output = manifest_digest(output)
    record.outcome = {
        "diagnostics": list(report.diagnostics), "checked": report.files, "pages": made.pages, "files": len(writer.wanted),
        "output": str(output.absolute()), "static": static_paths,
    }
    _keep(memory, folder, record)
    return BuildResult(
        report, written, made.pages, len(writer.wanted), time.perf_counter() - started, notes, made.rendered, made.exports,
    )


def copy_static(site_root: Path, memory: Memory, *, overrides: dict | None = None) -> BuildResult | None:
    """Serve's answer to a save of static files only: put them into the site in place, keep every other file.

    None when that cannot do: it needs the last build's record to describe the live
    site exactly (else a full build runs).
    """
    started = time.perf_counter()
    record = memory.record
    config, _ = check_site_config(site_root, overrides or {})
    known = set(record.outcome.get("static", ()))
    if config is None or not record.outputs or not known:
        return None
    output = output_folder(site_root, config.output)
    if record.output != manifest_digest(output):
        return None
    static = collect_static([builtin_dir("static"), site_root / "static"])
    if static.keys() & record.outputs.keys():
        return None
    written = replace_files(output, {path: source.read_bytes() for path, source in static.items()}, sorted(known - static.keys()),
                            manifest=memory.manifest)  # what the file holds: its digest is the record's, checked above
    # Not worth stamping every input again for one stylesheet: the next build stamps them all.
    record.inputs = ""
    memory.inputs = None
    record.output = manifest_digest(output)
    outcome = record.outcome
    outcome["static"] = sorted(static)
    outcome["files"] = total = written.written + written.kept
    report = CheckReport(config, None, list(outcome.get("diagnostics", ())), int(outcome.get("checked", 0)))
    return BuildResult(report, written, int(outcome.get("pages", 0)), total, time.perf_counter() - started)


def _write_first(
    first: FirstPages, pages: list[Page], timeline: Timeline, site_root: Path, env: jinja2.Environment, output: Path,
    record: Record, memory: Memory, views: Views, manifest: dict[str, str],
) -> None:
    """Serve's viewed pages made and put in place in the live preview, before anything else is decided.

    They are made with pieces of their own (the record's cards are not known to be
    current until the changed keys are found), so they are the very bytes the rest of
    the build makes of them again, which then finds them written already. `manifest` is the
    preview's (serve's trusted one), brought up to date in place.
    """
    wanted = [page for page in pages if page.output in first.paths]
    if not wanted:
        return
    makers = Makers(timeline, site_root, env, tuple(page.path for page in pages), Pieces(), memory.markdown, views)
    makers.templates = record.templates
    made = {page.output: makers.make(page.output, page)[0] for page in wanted}
    new = {path: data for path, data in made.items() if manifest.get(path) != digest(data)}
    if not new:
        return
    replace_files(output, new, manifest=manifest)
    record.output = manifest_digest(output)  # the manifest file as it is now: still trusted by the writer
    first.written(frozenset(new))


def _trusted_manifest(memory: Memory | None, record: Record, output: Path, force: bool) -> dict[str, str] | None:
    """Serve's manifest of its preview, when the folder's manifest file is the one its last build wrote.

    The writer then need not list the folder's thousands of folders: a small rebuild
    replaces its few files in place (a preview, unlike a deployed site, may show a new
    page beside an old one for an instant).
    """
    if memory is None or memory.manifest is None or force or not record.output:
        return None
    return memory.manifest if record.output == manifest_digest(output) else None


def _keep(memory: Memory | None, folder: Path | None, record: Record) -> None:
    if memory is not None:
        memory.record = record
    else:
        write_record(folder, record)


def _same_as_last(site_root: Path, overrides: dict | None, last: Record, inputs: str, strict: bool, started: float) -> BuildResult | None:
    """The last build's result again, when no input changed and its output is as it left it."""
    found = unchanged_build(last, inputs)
    if found is None or found.manifest != manifest_digest(found.output):
        return None
    config, _ = check_site_config(site_root, overrides or {})
    if config is None:
        return None
    report = CheckReport(config, None, found.diagnostics, found.checked)
    if strict and found.diagnostics:
        return BuildResult(report, None)
    return BuildResult(report, WriteResult(0, found.files, found.output), found.pages, found.files, time.perf_counter() - started)


@dataclass(frozen=True)
class _Made:
    pages: int
    exports: int
    rendered: int
    notes: tuple[str, ...]


def _make_files(
    timeline: Timeline, pages: list[Page], exports: list[Export], views: Views, site_root: Path, writer: SiteWriter,
    record: Record, env: jinja2.Environment, memory: Memory | None, search: bool, static: set[str],
) -> _Made:
    """Every page, export and search file, handed to the writer: made afresh when its reads changed, else kept."""
    page_paths = tuple(page.path for page in pages)
    jobs: list[tuple[str, Page | Export]] = [(page.output, page) for page in pages] + [(export.path, export) for export in exports]
    clashes = sorted(static.intersection(path for path, _ in jobs))
    if clashes:
        raise WriteError(f"a static file and a page would both be written to {clashes[0]}")
    table = record.keys
    planned = {page.output: page for page in pages}
    digests = Digests(timeline, env, planned, record.files, record.outlines, site_root, table.digests, record.world, views,
                      memory.seen if memory else None)
    stale = digests.changed(table.digests)
    known_before = len(table)
    live = writer.live or {}
    outputs: dict[str, tuple[str, bytes]] = {}
    todo: list[tuple[str, Page | Export]] = []
    for path, job in jobs:
        old = record.outputs.get(path)
        if old and live.get(path) == old[0] and stale.isdisjoint(unpack(old[1])):
            writer.add(path, Kept(old[0]))
            outputs[path] = old
        else:
            todo.append((path, job))
    record.pieces.drop_stale(stale)
    makers = Makers(timeline, site_root, env, page_paths, record.pieces, memory.markdown if memory else {}, views)
    makers.templates = record.templates
    # Event pages first: the search index is made of them, while the rest renders.
    event_pages = [(path, job) for path, job in todo if EVENT_PAGE.fullmatch(path)]
    others = [(path, job) for path, job in todo if not EVENT_PAGE.fullmatch(path)]
    made = makers.make_all(event_pages, writer, cards=bool(others))
    index = _SearchIndex(writer, record.search, search)
    index.start()
    # Fewer than the pages to index (an edit, and a cold build too: its term pages and exports are
    # fewer than its events): Pagefind reads its first shards' pages first, then writes their index while these render.
    if len(others) < index.sending:
        index.wait_fed()
    made.update(makers.make_all(others, writer))
    record.pieces.flush(CARDS)  # every page that shows a card is made: the cards are kept for the next build only
    record.pieces.drop_stale_stored()
    outputs.update(made)
    # Every output is made: while Pagefind finishes the index (at a cold build, seconds
    # with this thread idle), the keys they read are digested; the record takes them
    # once the index is done (a build that fails leaves it as it was).
    changed = [*stale, *range(known_before, len(table))]
    fresh = _fresh_digests(table, digests, changed)
    notes = index.finish(record)
    names = table.names()
    for position, found in zip(changed, fresh):
        table.digests[names[position]] = found
    record.outlines, record.world = digests.kept_outlines(), digests.world()
    # Keys only a re-made or dropped output or piece read may be read by nothing now.
    record.unread += record.pieces.released + sum(
        _released(packed, outputs.get(path, (None, None))[1]) for path, (_, packed) in record.outputs.items()
    )
    record.outputs, record.templates = outputs, makers.templates
    _sweep(record)
    return _Made(len(pages), len(exports), len(todo), notes)


def _released(old: bytes, new: bytes | None) -> int:
    """How many keys an output read last time and reads no more (all of them when it is gone)."""
    if new is old:
        return 0
    return len(set(unpack(old)).difference(unpack(new))) if new is not None else len(old) // 4


def _fresh_digests(table: KeyTable, digests: Digests, changed: list[int]) -> list[str]:
    """The digests this build leaves to the keys at `changed` (the positions of those that changed or are
    new), in that order: a list, not a dict, for the 430,000 keys of a cold 100,000-event build."""
    names = table.names()
    fresh = [digests(names[index]) for index in changed]
    digests.world()  # digested now too, for the record
    return fresh


def _sweep(record: Record) -> None:
    """The keys no output or piece reads any more dropped.

    Dropping renumbers the table, so it waits until a twentieth of it is unread; and the
    keys read are counted only once `record.unread`, a bound on the unread ones, says
    that a twentieth may be.
    """
    table = record.keys
    if record.unread <= len(table) // 20:
        return
    read = set(unpack(b"".join(packed for _, packed in record.outputs.values())))
    read.update(record.pieces.read_positions())
    record.unread = len(table) - len(read)
    if record.unread <= len(table) // 20:
        return
    names = table.names()
    kept = KeyTable({names[index]: table.digests[names[index]] for index in sorted(read)})
    record.pieces.renumbered()
    record.outputs = {path: (file_digest, kept.pack(table.keys_at(unpack(packed)))) for path, (file_digest, packed) in record.outputs.items()}
    record.keys = record.pieces.table = kept
    record.unread = 0


class Makers:
    """What renders pages and exports, set up only once one is needed; each output's reads recorded."""

    def __init__(self, timeline: Timeline, site_root: Path, env: jinja2.Environment, page_paths: tuple[str, ...],
                 pieces: Pieces, markdown: dict[str, str], views: Views | None = None):
        self.timeline, self.site_root, self.env, self.page_paths = timeline, site_root, env, page_paths
        self.views = views
        self.pieces, self.markdown_store = pieces, markdown
        self.templates = ""  # the digest of the templates last checked
        self.ready = False

    def make(self, path: str, job: Page | Export) -> tuple[Content, Reads]:
        if not self.ready:
            self._set_up()
        try:
            with recording() as reads:
                if isinstance(job, Page):
                    record_read(f"plan:{path}")
                    data = self.renderer.render(job)
                else:
                    data = job.make(self.timeline, self.tools)
        except jinja2.TemplateError as err:
            raise rendering_failure(err, job.path, self.site_root) from None
        except Exception as err:  # from a helper a site's template called
            failure = helper_failure(err, job.path, self.site_root)
            if failure is None:
                raise
            raise failure from None
        return data, (frozenset(reads), b"".join(reads.packed))

    def make_all(self, todo: list[tuple[str, Page | Export]], writer: SiteWriter, cards: bool = False) -> dict[str, tuple[str, bytes]]:
        """Make these files and hand them to the writer, over several processes when there are many;
        each file's digest and read set (packed), by path.

        Workers write their files into the spare folder themselves and send back their
        digests and read sets, the pieces they made and the texts they converted from Markdown,
        read sets packed, with the keys new to their copy of the key table by name.
        With `cards` (event pages whose events the next pages will show), the workers also
        make those events' cards, each once, which the next workers would each make again.
        """
        workers = workers_for(len(todo), PARALLEL_FROM)
        if workers > 1:
            self._set_up()
            writer.prepare()
            self.pieces.decode_all()  # so that a worker sends back only the pieces it made
        known = {name: set(self.pieces.group(name)) for name in self.pieces.names()} if workers > 1 else {}
        converted_before = len(self.markdown_store)
        table = self.pieces.table
        base = len(table)  # a worker's copy of the table: the keys new to it are sent by name, from here on

        parent = os.getpid()

        def work(share: list[tuple[str, Page | Export]]) -> tuple[dict, dict, dict, list[str], dict]:
            if os.getpid() != parent:  # a worker: the keys it adds to its copy of the table are renumbered by the parent
                self.pieces.own_from = base
            made = {}
            for path, job in share:
                data, (names, packed) = self.make(path, job)
                writer.add(path, data)
                # Packed at once: a set of key names an output is what a worker's answer was mostly made
                # of (100 MB at 10,000 events, its strings no longer shared with the table once unpickled).
                made[path] = (writer.wanted[path], table.pack(names, packed))
            if workers == 1:
                return made, {}, {}, [], {}
            if cards:
                self.renderer.make_cards(job.context["event"] for _, job in share if isinstance(job, Page))
            new = {}
            for name in self.pieces.names() - self.pieces.flushed.keys():
                group = self.pieces.group(name)
                new[name] = {key: self.pieces.packed(piece) for key, piece in group.items() if key not in known.get(name, ())}
                group.update(new[name])
            # The store only grows: what this process converted since the fork is at its end.
            converted = dict(islice(self.markdown_store.items(), converted_before, None))
            return made, new, converted, table.names()[base:], self.pieces.flushed

        results = split_work(todo, work, workers)
        outputs = dict(results[0][0])
        for made, new, converted, added, flushed in results[1:]:
            for name, stored in flushed.items():
                self.pieces.adopt(name, stored)
            renumber = table.renumbering(base, added)
            self.markdown_store.update(converted)  # not converted again by the next workers
            for path, (file_digest, packed) in made.items():
                writer.add_written(path, file_digest)
                outputs[path] = (file_digest, renumber(packed))
            for name, pieces in new.items():
                self.pieces.group(name).update((key, (value, names, renumber(packed))) for key, (value, names, packed) in pieces.items())
        return outputs

    def _set_up(self) -> None:
        markdown = Markdown(self.markdown_store)
        self.renderer = Renderer(self.timeline, self.site_root, self.env, markdown, self.views)
        wait_for_compiled(self.renderer.env)
        env = self.renderer.env
        templates = templates_digest(env)
        forget_other_code(env, templates)
        if templates != self.templates:  # compiled and checked last time as they are now: not again
            check_templates(env, self.site_root)  # with the renderer's filters known
            self.templates = templates
        self.renderer.cards = self.pieces.group(CARDS)
        self.tools = ExportTools(markdown, self.page_paths, self.pieces, self.site_root)
        self.ready = True


PARALLEL_FROM = 400  # pages and exports to make before it pays to fork a worker


class _SearchIndex:
    """The search index of the event pages, in shards: each kept while it is made of the same pages, else made again.

    A shard is made of what Pagefind reads of its pages (`search.shard_key`): a page
    whose file is the one of the last build keeps its part's digest from the record;
    the others are read and cut again, so that a page changed only outside its indexed
    part (an event's neighbours after a title edit) does not make its shard again.
    It is started once the event pages are made; the shards that may have changed are
    looked at, and made again, in a thread, at most `SERVICES` at a time (Pagefind runs
    in processes of its own), while the other pages and exports render. A failed shard
    leaves the site without search (a partial index would silently miss events).

    The pages are read, cut and sent by this process: when the other outputs are fewer
    than the pages to index (an edit, but also a cold build), the build waits until the first shards' pages
    are sent (`wait_fed`), so that its threads do not take turns with the rendering for
    the interpreter, then renders them while Pagefind writes the index (at 10,000
    events, 0.3 s of rendering beside 0.5 s of Pagefind's).
    """

    def __init__(self, writer: SiteWriter, remembered: list | None, search: bool):
        self.writer, self.remembered, self.search = writer, remembered or [], search
        self.thread: threading.Thread | None = None
        self.outcome: list[tuple[dict[str, str], _ShardFiles | None]] | str | BaseException = []
        self.sending = 0  # pages of the shards made again
        self._fed = threading.Event()
        self._unfed = 0
        self._feeding = threading.Lock()

    def start(self) -> None:
        writer, remembered = self.writer, self.remembered
        pages = sorted(path for path in writer.wanted if EVENT_PAGE.fullmatch(path))
        self.shards = shard_count(len(pages))
        self.groups = split_pages(pages, self.shards)
        live = writer.live or {}
        self.on_disk = [all(live.get(path) == file_digest for path, file_digest in files.items()) for _, files, _, _ in remembered]
        same = len(remembered) == self.shards
        # Each page's part digest, by shard, where its file is the one the last build indexed.
        self.parts = [self._known_parts(shard, group) if same else {} for shard, group in enumerate(self.groups)]
        if not self.search:  # the last index stays as it is, whatever it covers
            self.kept = set(range(len(remembered))) if all(self.on_disk) else set()
            return
        self.language = page_language(writer.read(pages[0])) if pages else "unknown"
        self.kept = {shard for shard in range(self.shards) if self._same_shard(shard)}
        self.todo = [shard for shard in range(self.shards) if shard not in self.kept]
        if self.todo:
            self.sending = sum(len(self.groups[shard]) for shard in self.todo)
            self._unfed = min(SERVICES, len(self.todo))  # those Pagefind works on at first
            self.thread = threading.Thread(target=self._make, daemon=True)
            self.thread.start()

    def wait_fed(self) -> None:
        """Wait until the first shards made again have sent their pages (or ended, whatever their outcome)."""
        if self.thread is not None:
            self._fed.wait()

    def _shard_fed(self) -> None:
        with self._feeding:
            self._unfed -= 1
            if self._unfed <= 0:
                self._fed.set()

    def _known_parts(self, shard: int, group: list[str]) -> dict[str, str]:
        wanted, pages = self.writer.wanted, self.remembered[shard][3]
        return {path: pages[path][1] for path in group if path in pages and pages[path][0] == wanted[path]}

    def _same_shard(self, shard: int) -> bool:
        """Whether the shard is known to be what the last build made, without reading a page."""
        group, parts = self.groups[shard], self.parts[shard]
        return self._keepable(shard) and len(parts) == len(group) and self._key(shard) == self.remembered[shard][0]

    def _keepable(self, shard: int) -> bool:
        return len(self.remembered) == self.shards and self.on_disk[shard]

    def _key(self, shard: int) -> str:
        return shard_key(self.shards, shard, self.language, self.groups[shard], self.parts[shard])

    def _make(self) -> None:
        pages = _Pages(self.writer, [path for group in self.groups for path in group])
        try:
            binary = pagefind_binary()
            with ThreadPoolExecutor(SERVICES) as pool:
                self.outcome = list(pool.map(lambda shard: self._make_shard(binary, pages, shard), self.todo))
        except SearchUnavailable as problem:
            self.outcome = f"search skipped: {problem}"
        except BaseException as err:  # raised again by finish, in the build's own thread
            self.outcome = err
        finally:
            self._fed.set()

    def _make_shard(self, binary: Path, pages: _Pages, shard: int) -> tuple[dict[str, str], _ShardFiles | None]:
        """The shard's part digests, and its files made again (None when its parts are those of the last build)."""
        group, parts = self.groups[shard], self.parts[shard]
        cut: dict[str, bytes] = {}
        if self._keepable(shard):  # the pages not known are cut first, to tell whether the shard changed
            for path in group:
                if path not in parts:
                    cut[path] = indexed_part(pages[path])
                    parts[path] = part_digest(cut[path])
            if self._key(shard) == self.remembered[shard][0]:
                self._shard_fed()
                return parts, None
        # A shard that fails before it has sent its pages lets the build go on once every shard has ended (`_make`).
        files = shard_files(binary, pages, group, shard, self.language, cut, parts, self._shard_fed)
        counts = facet_counts(files)
        # Written now where the writer takes files straight: at 100,000 events the index is 93 MB,
        # held to the end of the build otherwise.
        return parts, _ShardFiles({path: self.writer.write_early(path, data) or data for path, data in files.items()}, counts)

    def finish(self, record: Record) -> tuple[str, ...]:
        """Add the index's files to the writer; note what the next build compares with; say what happened."""
        writer, remembered = self.writer, self.remembered
        made: dict[int, tuple[dict[str, str], _ShardFiles | None]] = {}
        if self.thread is not None:
            self.thread.join()
            if isinstance(self.outcome, BaseException):
                raise self.outcome
            if isinstance(self.outcome, str):  # no index at all; tried again next time
                record.search = None
                return (self.outcome,)
            made = dict(zip(self.todo, self.outcome))
        if not self.search:
            for shard in sorted(self.kept):
                for path, file_digest in remembered[shard][1].items():
                    writer.add(path, Kept(file_digest))
            if not self.kept:
                return ("search skipped: no index was made",)
            current = len(remembered) == self.shards and all(
                len(self.parts[shard]) == len(self.groups[shard]) == len(remembered[shard][3]) for shard in self.kept)
            return () if current else ("search index not updated (it covers the pages of an earlier build)",)
        shards = [self._add_shard(shard, *made.get(shard, (self.parts[shard], None))) for shard in range(self.shards)]
        writer.add(SHARDS_FILE, shards_file(self.shards, self.language, [counts for _, _, counts, _ in shards]))
        shards[0][1][SHARDS_FILE] = writer.wanted[SHARDS_FILE]  # with the first shard's files, for copy_static
        record.search = shards
        return ()

    def _add_shard(self, shard: int, parts: dict[str, str], made: _ShardFiles | None) -> tuple[str, dict[str, str], dict | None, dict]:
        """Add a shard's files to the writer, made afresh or kept (the list of shards is made anew each time);
        the shard as the record keeps it: its key, its files' digests, its facet counts, its pages."""
        writer = self.writer
        # A part not digested (Pagefind was sent every page, so only when it was not asked) matches no
        # digest: the next build makes the shard again.
        pages = {path: (writer.wanted[path], parts.get(path, "")) for path in self.groups[shard]}
        if made is None:
            _, files, counts, _ = self.remembered[shard]
            files = {path: file_digest for path, file_digest in files.items() if path != SHARDS_FILE}
            for path, file_digest in files.items():
                writer.add(path, Kept(file_digest))
            return self._key(shard), files, counts, pages
        for path, data in made.files.items():
            if type(data) is str:
                writer.add_written(path, data)
            else:
                writer.add(path, data)
        return self._key(shard), {path: writer.wanted[path] for path in made.files}, made.counts, pages


@dataclass(frozen=True)
class _ShardFiles:
    """A shard's files made again: each file's bytes, or its digest once written (`SiteWriter.write_early`); its facet counts."""

    files: dict[str, bytes | str]
    counts: dict | None


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
