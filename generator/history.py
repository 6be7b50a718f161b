"""When each event was first published on the site and when it last changed, from git.

The dates are those of the commits that touched the event's file (committer dates,
in UTC), read with one `git log` over the events folder, never the clock: building
the same commit twice gives the same pages. A site that is not in a git repository,
or a machine without git, gets no dates and a note saying why, not a failure. A
renamed file's history starts at its new name.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from generator.model import History
from generator.repository import git

EVENTS_DIR = "content/events"
_COMMIT = "\x1e"  # starts each commit's line in the log


@dataclass(frozen=True)
class SiteHistory:
    by_path: dict[str, History]  # by the event file's path relative to the site
    note: str = ""  # why there is no history, when there is none


def read_history(site_root: Path) -> SiteHistory:
    """The history of every committed event file under the site's content/events."""
    output, note = git(site_root, "log", "--relative", "--name-only", "--no-color", f"--format={_COMMIT}%ct", "--", EVENTS_DIR)
    if output is None:
        return SiteHistory({}, note)
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    when = 0
    for line in output.split("\n"):  # not splitlines(): it also splits at the record separator
        if line.startswith(_COMMIT):
            when = int(line[1:])
        elif line:
            first[line] = min(first.get(line, when), when)
            last[line] = max(last.get(line, when), when)
    if not first:
        return SiteHistory({}, "no event file has been committed to git yet: first-published and updated dates appear once they are")
    return SiteHistory({path: History(_utc(first[path]), _utc(last[path])) for path in sorted(first)})


@lru_cache(maxsize=4096)  # a few commits date thousands of files
def _utc(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
