"""Load, check, model: from the site's folder to its Timeline, writing nothing.

`load_site` is the first half of every command (`timeline check` is this and the
templates compiled; `build` goes on to plan, render and write). Loading and
validating a file is the costly part; it depends on nothing but the file, so a
build hands in the check results of its last run (by file stamp) and only changed
files are checked again, over the machine's cores when there are many.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Mapping

from generator.check import Checked, FileResult, Locator, MadeEvents, check_content, check_file, check_site_config, site_timezone
from generator.diagnostics import Diagnostic, has_errors, sort_in_file_order
from generator.load import ContentFile, find_content
from generator.media import MEDIA_FOLDER
from generator.model import LastModel, SiteConfig, Timeline, build_timeline
from generator.parallel import split_work, workers_for
from generator.provenance import attach_provenance
from generator.record import CheckedFile, Stamp, stamp
from generator.schema import Context

PARALLEL_FROM = 400  # files to load before it pays to fork worker processes
CheckResults = dict[str, CheckedFile]  # shown path → its check result, as the record keeps them


@dataclass(frozen=True)
class CheckReport:
    """What `check` found: the model when there is no error, and every diagnostic."""

    config: SiteConfig | None
    timeline: Timeline | None
    diagnostics: list[Diagnostic]
    files: int
    pending: tuple[Callable[[], list[Diagnostic]], ...] = ()  # warnings not looked for yet (`load_site`'s `later`)

    @property
    def config_failed(self) -> bool:
        return self.config is None

    def with_warnings(self) -> CheckReport:
        """The report with the warnings it left for later looked for."""
        if not self.pending:
            return self
        found = [warning for look in self.pending for warning in look()]
        return replace(self, diagnostics=sort_in_file_order([*self.diagnostics, *found]), pending=())


def load_site(
    root: Path, drafts: bool = False, overrides: dict | None = None, results: CheckResults | None = None,
    made: MadeEvents | None = None, stamps: Mapping[str, Stamp | None] | None = None, model: LastModel | None = None,
    later: bool = False, content: tuple[list[ContentFile], list[Diagnostic]] | None = None,
) -> CheckReport:
    """Load, check and model the site in `root`, reporting every problem; nothing is written.

    `overrides` are site.yml keys given on the command line; they win over the file.
    `results` are check results of an earlier run, by file; files whose stamp did not
    change are not checked again, and it is brought up to date in place. `made` are
    the events of an earlier check in this process (serve), taken again where they can be.
    `stamps` are the files' stamps by path, when the caller has taken them already.
    `model` is the last model of this process (serve), patched where it can be.
    With `later`, the warnings that span files are left for `CheckReport.with_warnings`.
    `content` is `find_content`'s answer, when the caller knows it still holds.
    """
    config, diagnostics = check_site_config(root, overrides or {})
    if config is None:
        return CheckReport(None, None, diagnostics, 1)
    files, found_problems = content or find_content(root)
    deferred: list[Callable[[], list[Diagnostic]]] | None = [] if later else None
    checked, check_diagnostics = check_content(
        load_files(root, files, config, results, stamps), Locator(root).where, root / MEDIA_FOLDER, made, deferred,
    )
    diagnostics = sort_in_file_order([*diagnostics, *found_problems, *check_diagnostics])
    count = 1 + len(files) + len(found_problems)
    pending = tuple(deferred or ())
    if has_errors(diagnostics):
        return CheckReport(config, None, diagnostics, count, pending)
    make = model.build if model is not None else build_timeline
    timeline = make(config, checked.events, checked.actors, checked.sources, drafts=drafts, places=checked.places, tags=checked.tags)
    # Provenance (archived captures, link checks, git history) is read like the content.
    timeline, record_problems = attach_provenance(root, timeline)
    return CheckReport(config, timeline, sort_in_file_order([*diagnostics, *record_problems]), count, pending)


def check_site(root: Path, drafts: bool = False, overrides: dict | None = None) -> CheckReport:
    """`load_site` without results kept from an earlier run (the name other commands know)."""
    return load_site(root, drafts, overrides)


def checked_items(root: Path, config: SiteConfig) -> Checked:
    """Every item that passes its own checks, even when other files have errors."""
    files, _ = find_content(root)
    checked, _ = check_content(load_files(root, files, config), Locator(root).where)
    return checked


def check_one(root: Path, path: str, kind: str, config: SiteConfig) -> FileResult:
    """One content file (`path` as shown, relative to `root`) loaded and checked on its own."""
    return check_file(kind, root / path, path, Context(site_timezone(config)), config.max_file_bytes)


def load_files(
    root: Path, files: list[ContentFile], config: SiteConfig, results: CheckResults | None = None,
    taken: Mapping[str, Stamp | None] | None = None,
) -> list[FileResult]:
    """Every file's FileResult, from `results` where its file did not change (and `results` updated).

    A file's stamp is taken from `taken` (by path) when it is there: a file changed since
    is then kept with the older stamp, and so checked again by the next build.
    """
    results = {} if results is None else results
    settings = [config.timezone, config.max_file_bytes]
    taken = taken or {}
    current = [taken[f.path] if f.path in taken else stamp(f.path) for f in files]
    stamps = [[*found, *settings] if found is not None else None for found in current]
    found: list[FileResult | None] = []
    for file, current in zip(files, stamps):
        kept = results.get(file.shown)
        found.append(kept.result() if kept and current is not None and kept.stamp == current else None)
    missing = [i for i, result in enumerate(found) if result is None]
    context = Context(site_timezone(config))
    jobs = [(files[i].kind, files[i].path, files[i].shown) for i in missing]
    for index, (result, data) in zip(missing, _check_files(jobs, context, config.max_file_bytes)):
        found[index] = result
        kept = CheckedFile.of(stamps[index], result, data) if stamps[index] is not None else None
        if kept is not None:
            results[files[index].shown] = kept
        else:
            results.pop(files[index].shown, None)
    for gone in results.keys() - {f.shown for f in files}:
        del results[gone]
    return found  # type: ignore[return-value]


def _check_files(jobs: list[tuple[str, Path, str]], context: Context, max_bytes: int) -> list[tuple[FileResult, bytes | None]]:
    """Each file's check result, and its encoding for the record (made by the worker that checked it)."""
    workers = workers_for(len(jobs), PARALLEL_FROM)
    parts = split_work(jobs, lambda share: _check_batch(share, context, max_bytes), workers)
    ordered: list[tuple[FileResult, bytes | None] | None] = [None] * len(jobs)
    for worker, part in enumerate(parts):
        ordered[worker::workers] = part
    return ordered  # type: ignore[return-value]


def _check_batch(jobs: list[tuple[str, Path, str]], context: Context, max_bytes: int) -> list[tuple[FileResult, bytes | None]]:
    results = [check_file(kind, path, shown, context, max_bytes) for kind, path, shown in jobs]
    return [(result, CheckedFile.encode(result)) for result in results]


def load_timeline(root: Path, drafts: bool = False) -> tuple[Timeline | None, list[Diagnostic]]:
    """The site's Timeline (None when there are errors) and its diagnostics."""
    report = check_site(root, drafts)
    return report.timeline, report.diagnostics
