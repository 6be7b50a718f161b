"""`build`: the whole pipeline, from the site's folder to its output folder."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.pipeline import CACHE_DIR, CheckReport, check_site
from generator.exports.common import ExportTools
from generator.plan import plan_site
from generator.search import search_files
from generator.render import Renderer, builtin_dir, make_environment, render_pages
from generator.write import WriteResult, check_output_folder, collect_static, write_site


@dataclass(frozen=True)
class BuildResult:
    report: CheckReport
    written: WriteResult | None  # None when the content had errors: nothing was written
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    notes: tuple[str, ...] = ()  # things the author should know (search skipped, …)


def output_folder(site_root: Path, output: str) -> Path:
    path = Path(output)
    return path if path.is_absolute() else site_root / path


def build_site(
    site_root: Path, *, drafts: bool = False, strict: bool = False, force: bool = False,
    overrides: dict | None = None, env: jinja2.Environment | None = None,
) -> BuildResult:
    """Check, plan, render and write the site; write nothing when the content has errors.

    `env` is a Jinja environment to reuse (serve keeps one across builds).
    """
    started = time.perf_counter()
    report = check_site(site_root, drafts=drafts, overrides=overrides)
    if report.timeline is None or (strict and report.diagnostics):
        return BuildResult(report, None)
    timeline = report.timeline
    output = output_folder(site_root, timeline.config.output)
    check_output_folder(output, site_root, force)
    pages, exports = plan_site(timeline)
    env = env or make_environment(site_root, site_root / CACHE_DIR / "templates")
    renderer = Renderer(timeline, site_root, env)
    rendered = render_pages(renderer, pages)
    tools = ExportTools(renderer.markdown, tuple(page.path for page in pages))
    rendered.update((export.path, export.make(timeline, tools)) for export in exports)
    index, search_note = search_files(rendered)
    rendered.update(index)
    static = collect_static([builtin_dir("static"), site_root / "static"])
    written = write_site(output, rendered, static)
    notes = (search_note,) if search_note else ()
    return BuildResult(report, written, len(pages), len(rendered) + len(static), time.perf_counter() - started, notes)
