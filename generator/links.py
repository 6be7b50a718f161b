"""`timeline check --links`: is each source still where its URL says?

Every source URL is requested (a few at a time, each within a time limit, redirects
followed only while they are temporary) and found `ok`, `moved` (a permanent
redirect: 301 or 308, with where to) or `dead` (404, 410, any other error answer,
a timeout, no connection). Results are kept in `archive/links.json` with when they
were found; a result younger than `max_age` is not asked again. The build reads that
file: a dead source is marked on the site, with its archived copy linked.
"""
from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urljoin

from generator.captures import read_links, write_links
from generator.diagnostics import WARNING, Diagnostic
from generator.fetch import PERMANENT, FetchError, Limits, get
from generator.model import LinkState, Source

DEFAULT_LIMITS = Limits(seconds=15.0, max_bytes=0)
WORKERS = 8
MAX_AGE = dt.timedelta(days=1)


@dataclass(frozen=True)
class LinkReport:
    states: dict[str, LinkState]  # by source id
    diagnostics: list[Diagnostic]
    asked: int  # URLs requested (the others came from recent results)


def check_link(url: str, limits: Limits, now: Callable[[], str]) -> LinkState:
    """What is at `url` now."""
    try:
        answer = get(url, limits, follow="temporary", read_body=False)
    except FetchError as err:
        return LinkState("dead", now(), err.status, reason=str(err))
    if answer.status in PERMANENT:
        location = urljoin(answer.final_url, answer.headers.get("Location", "").strip())
        return LinkState("moved", now(), answer.status, location=location)
    if 200 <= answer.status < 300:
        return LinkState("ok", now(), answer.status)
    return LinkState("dead", now(), answer.status, reason=f"HTTP {answer.status} {answer.reason}".rstrip())


def check_links(
    site_root: Path, sources: Iterable[Source], now: Callable[[], str], limits: Limits = DEFAULT_LIMITS,
    max_age: dt.timedelta = MAX_AGE, workers: int = WORKERS,
) -> LinkReport:
    """Check every source URL not checked within `max_age`; record and report what was found."""
    known, problems = read_links(site_root)
    current = _parse(now())
    with_url = [source for source in sources if source.url]
    recent = {
        source.id: known[source.id][1] for source in with_url
        if source.id in known and known[source.id][0] == source.url and current - _parse(known[source.id][1].checked) < max_age
    }
    todo = [source for source in with_url if source.id not in recent]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        found = dict(zip((s.id for s in todo), pool.map(lambda s: check_link(s.url, limits, now), todo)))
    states = {**recent, **found}
    write_links(site_root, {source.id: (source.url, states[source.id]) for source in with_url})
    diagnostics = [*problems, *(d for source in with_url if (d := _diagnostic(site_root, source, states[source.id])))]
    return LinkReport(states, diagnostics, len(todo))


def _diagnostic(site_root: Path, source: Source, state: LinkState) -> Diagnostic | None:
    if state.state == "ok":
        return None
    if state.state == "moved":
        message = f"url: moved permanently (HTTP {state.status}) to {state.location}; update the url"
    else:
        message = f"url: {source.url} is dead ({state.reason})"
    if source.capture:
        message += f"; archived copy of {source.capture.captured[:10]}: {source.capture.warc}" + (f", readable at {source.capture.text}" if source.capture.text else "")
    else:
        message += "; no archived copy (run `timeline archive` while the page is up)" if state.state == "moved" else "; no archived copy"
    return Diagnostic(WARNING, message, source.path, _url_line(site_root / source.path), 1)


def _url_line(path: Path) -> int:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith("url:"):
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 0


def _parse(moment: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:  # an unreadable time: the result counts as old
        return dt.datetime.min.replace(tzinfo=dt.timezone.utc)
