"""`timeline import`: chronologies kept elsewhere (TimelineJS sheets, ACLED or UCDP data) as content files.

A front-end tool like `timeline new`: it reads site.yml and the site's own actors,
places and sources, and writes YAML files under content/ that `timeline check`
then checks like any other. It imports nothing of the later stages (plan, render,
write). Re-running it on a newer file is safe: see `common.apply`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from generator.check import check_site_config, site_timezone
from generator.dates import UTC
from generator.diagnostics import format_diagnostics
from generator.importers import timelinejs
from generator.importers.acled import ACLED
from generator.importers.eventdata import import_event_data
from generator.importers.ucdp import UCDP_GED
from generator.importers.common import REFUSED, Ids, UnreadableFile, Manifest, SiteItems, apply, report

DATASETS = {"acled": ACLED, "ucdp": UCDP_GED}
FORMATS = ("timelinejs", *DATASETS)


@dataclass(frozen=True)
class Request:
    """What the command line asked for."""

    format: str
    file: Path
    site: Path
    dry_run: bool = False
    groups: str = "tags"
    actors: tuple[str, ...] = ()


class UsageError(Exception):
    """The import cannot start (no such file, a broken site.yml or manifest); the message says why."""


def run_import(request: Request, out: TextIO) -> bool:
    """Import the file into the site (or say what would change); True when every row was read and written."""
    if not request.file.is_file():
        raise UsageError(f"{request.file}: no such file")
    timezone = UTC
    if (request.site / "site.yml").exists():
        config, problems = check_site_config(request.site)
        if config is None:
            raise UsageError(format_diagnostics(problems, "text") + "\nnothing imported: fix site.yml first")
        timezone = site_timezone(config)
    try:
        manifest = Manifest.read(request.site)
        site_items = SiteItems(request.site, manifest)
        ids = Ids(site_items, manifest, request.format)
        shown = str(request.file)
        if request.format == "timelinejs":
            options = timelinejs.Options(groups=request.groups, actors=request.actors, timezone=timezone)
            imported = timelinejs.import_timelinejs(request.file, shown, ids, options)
        else:
            imported = import_event_data(DATASETS[request.format], request.file, shown, ids, timezone)
    except UnreadableFile as err:
        raise UsageError(str(err)) from None
    except OSError as err:
        raise UsageError(f"{err.filename or request.file}: {err.strerror or err}") from None
    outcome = apply(request.site, request.format, imported, manifest, site_items, request.dry_run)
    report(outcome, imported, request.dry_run, out)
    return imported.failed_rows == 0 and not outcome.actions[REFUSED]


__all__ = ["FORMATS", "Request", "UsageError", "run_import"]
