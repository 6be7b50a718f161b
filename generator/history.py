"""When each event was first published on the site and when it last changed, from git.

The dates are those of the commits that touched the event's file (committer dates,
in UTC), read with one `git log` over the events folder, never the clock: building
the same commit twice gives the same pages. A site that is not in a git repository,
or a machine without git, gets no dates and a note saying why, not a failure. A
renamed file's history starts at its new name.
"""
from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from generator.model import History

GIT_TIMEOUT = 60.0  # seconds
EVENTS_DIR = "content/events"
_COMMIT = "\x1e"  # starts each commit's line in the log


@dataclass(frozen=True)
class SiteHistory:
    by_path: dict[str, History]  # by the event file's path relative to the site
    note: str = ""  # why there is no history, when there is none


def read_history(site_root: Path) -> SiteHistory:
    """The history of every committed event file under the site's content/events."""
    output, note = _git(site_root, "log", "--relative", "--name-only", "--no-color", f"--format={_COMMIT}%ct", "--", EVENTS_DIR)
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


def head_commit(site_root: Path) -> str:
    """The commit the site's history is read at ("" outside a repository): an input of the build."""
    output, _ = _git(site_root, "rev-parse", "--quiet", "--verify", "HEAD")
    return (output or "").strip()


def _git(site_root: Path, *arguments: str) -> tuple[str | None, str]:
    """git's output, or None and the reason there is none."""
    try:
        done = subprocess.run(
            ["git", "-C", str(site_root), "-c", "core.quotepath=off", *arguments],
            capture_output=True, timeout=GIT_TIMEOUT, check=False, stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        return None, "git is not installed: events show no first-published or updated dates"
    except subprocess.TimeoutExpired:
        return None, f"git took longer than {GIT_TIMEOUT:g} s to read the history: events show no first-published or updated dates"
    except OSError as err:
        return None, f"git could not be run ({err.strerror}): events show no first-published or updated dates"
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        return None, f"the site has no git history ({reason[0] if reason else 'git failed'}): events show no first-published or updated dates"
    return done.stdout.decode("utf-8", errors="replace"), ""


@lru_cache(maxsize=4096)  # a few commits date thousands of files
def _utc(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
