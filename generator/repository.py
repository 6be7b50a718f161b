"""git, run in a site's folder: its output, or why there is none; and the commit checked out.

Kept apart from the history it serves so that telling whether anything changed
since the last build (the commit is one of its inputs) imports nothing else.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

GIT_TIMEOUT = 60.0  # seconds


def head_commit(site_root: Path) -> str:
    """The commit the site's history is read at ("" outside a repository): an input of the build."""
    output, _ = git(site_root, "rev-parse", "--quiet", "--verify", "HEAD")
    return (output or "").strip()


def git(site_root: Path, *arguments: str) -> tuple[str | None, str]:
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
