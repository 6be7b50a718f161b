"""Compositions of the stages: load → check → model, shared by every command."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.check import check_content, check_site_config
from generator.diagnostics import Diagnostic, has_errors, sort_in_file_order
from generator.load import load_content
from generator.model import SiteConfig, Timeline, build_timeline


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


def check_site(root: Path, drafts: bool = False, overrides: dict | None = None) -> CheckReport:
    """Load, check and model the site in `root`, reporting every problem.

    `overrides` are site.yml keys given on the command line; they win over the file.
    """
    config, diagnostics = check_site_config(root, overrides or {})
    if config is None:
        return CheckReport(None, None, diagnostics, 1)
    documents, load_diagnostics = load_content(root, config.max_file_bytes)
    checked, check_diagnostics = check_content(documents, config)
    diagnostics = sort_in_file_order([*diagnostics, *load_diagnostics, *check_diagnostics])
    files = 1 + sum(len(docs) for docs in documents.values()) + len({d.path for d in load_diagnostics})
    if has_errors(diagnostics):
        return CheckReport(config, None, diagnostics, files)
    timeline = build_timeline(config, checked.events, checked.actors, checked.sources, drafts=drafts)
    return CheckReport(config, timeline, diagnostics, files)


def load_timeline(root: Path, drafts: bool = False) -> tuple[Timeline | None, list[Diagnostic]]:
    """The site's Timeline (None when there are errors) and its diagnostics."""
    report = check_site(root, drafts)
    return report.timeline, report.diagnostics
