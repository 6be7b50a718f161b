"""Compositions of the stages: load → check → model, shared by every command.

Loading and validating a file is the costly part; it depends on nothing but the
file, so its result is cached by file and, on a cold start with many files,
spread over the machine's cores.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.cache import Caches, FileCache, fingerprint, stamp
from generator.check import Checked, FileResult, Locator, check_content, check_file, check_site_config, site_timezone
from generator.diagnostics import Diagnostic, has_errors, sort_in_file_order
from generator.load import ContentFile, find_content
from generator.model import SiteConfig, Timeline, build_timeline
from generator.provenance import attach_provenance
from generator.schema import Context

CACHE_DIR = ".timeline-cache"
PARALLEL_FROM = 400  # files to load before it pays to start worker processes


@dataclass(frozen=True)
class CheckReport:
    """What `check` found: the model when there is no error, and every diagnostic."""

    config: SiteConfig | None
    timeline: Timeline | None
    diagnostics: list[Diagnostic]
    files: int

    @property
    def config_failed(self) -> bool:
        return self.config is None


def check_site(root: Path, drafts: bool = False, overrides: dict | None = None, caches: Caches | None = None) -> CheckReport:
    """Load, check and model the site in `root`, reporting every problem.

    `overrides` are site.yml keys given on the command line; they win over the file.
    Without `caches` the site's cache folder is used and saved; with them, saving
    is the caller's business.
    """
    config, diagnostics = check_site_config(root, overrides or {})
    if config is None:
        return CheckReport(None, None, diagnostics, 1)
    files, found_problems = find_content(root)
    own = caches is None
    caches = caches or site_caches(root)
    results = load_files(root, files, config, caches)
    if own:
        caches.save()
    checked, check_diagnostics = check_content(results, Locator(root).where)
    diagnostics = sort_in_file_order([*diagnostics, *found_problems, *check_diagnostics])
    count = 1 + len(files) + len(found_problems)
    if has_errors(diagnostics):
        return CheckReport(config, None, diagnostics, count)
    timeline = build_timeline(config, checked.events, checked.actors, checked.sources, drafts=drafts)
    # Provenance (archived captures, link checks, git history) is read like the content.
    timeline, record_problems = attach_provenance(root, timeline)
    return CheckReport(config, timeline, sort_in_file_order([*diagnostics, *record_problems]), count)


def checked_items(root: Path, config: SiteConfig) -> Checked:
    """Every item that passes its own checks, even when other files have errors."""
    files, _ = find_content(root)
    checked, _ = check_content(load_files(root, files, config, site_caches(root)), Locator(root).where)
    return checked


def site_caches(root: Path, use_cache: bool = True) -> Caches:
    """The caches of the site in `root` (kept in memory only without `use_cache`)."""
    return Caches(root / CACHE_DIR if use_cache else None)


def file_cache(caches: Caches, config: SiteConfig) -> FileCache:
    """Check results by file, for this code and these settings."""
    settings = (config.timezone, config.max_file_bytes)
    return caches.open("files-" + fingerprint(settings, ("load", "schema", "dates", "advice", "diagnostics", "check")), FileCache)


def check_one(root: Path, path: str, kind: str, config: SiteConfig) -> FileResult:
    """One content file (`path` as shown, relative to `root`) loaded and checked on its own."""
    return check_file(kind, root / path, path, Context(site_timezone(config)), config.max_file_bytes)


def load_files(root: Path, files: list[ContentFile], config: SiteConfig, caches: Caches) -> list[FileResult]:
    """Every file's FileResult, from the cache where its file did not change."""
    context = Context(site_timezone(config))
    cache = file_cache(caches, config)
    stamps = [stamp(f.path) for f in files]
    results: list[FileResult | None] = [cache.get(f.shown, s) for f, s in zip(files, stamps)]
    missing = [i for i, result in enumerate(results) if result is None]
    jobs = [(files[i].kind, files[i].path, files[i].shown) for i in missing]
    for index, result in zip(missing, _check_files(jobs, context, config.max_file_bytes)):
        results[index] = result
        cache.put(files[index].shown, stamps[index], result)
    cache.keep_only({f.shown for f in files})
    return results  # type: ignore[return-value]


def _check_files(jobs: list[tuple[str, Path, str]], context: Context, max_bytes: int) -> list[FileResult]:
    workers = os.cpu_count() or 1
    if len(jobs) < PARALLEL_FROM or workers < 2 or not sys.platform.startswith("linux"):
        return _check_batch(jobs, context, max_bytes)
    batches = [jobs[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = list(pool.map(_check_batch, batches, [context] * workers, [max_bytes] * workers))
    ordered: list[FileResult | None] = [None] * len(jobs)
    for worker, part in enumerate(parts):
        ordered[worker::workers] = part
    return ordered  # type: ignore[return-value]


def _check_batch(jobs: list[tuple[str, Path, str]], context: Context, max_bytes: int) -> list[FileResult]:
    return [check_file(kind, path, shown, context, max_bytes) for kind, path, shown in jobs]


def load_timeline(root: Path, drafts: bool = False) -> tuple[Timeline | None, list[Diagnostic]]:
    """The site's Timeline (None when there are errors) and its diagnostics."""
    report = check_site(root, drafts)
    return report.timeline, report.diagnostics
