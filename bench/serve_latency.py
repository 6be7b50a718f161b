"""Time from saving an event file to the reload signal of `timeline serve`.

    python bench/serve_latency.py                 # the default site (content/)
    python bench/serve_latency.py --events 10000  # a synthetic site (bench/synth.py)

Starts `timeline serve` in its own process (the code of this checkout), listens
to its event stream like the script of the edited event's page does (serve makes
and announces a viewed page first; `--unviewed`: like a page that does not say
which it is, reloaded when the whole build is done), saves one change several times
and prints each latency and the median. `--edit` says what each save changes: an
event's summary, its title, its date (within its year), or a stylesheet in
`static/` (copied, nothing rebuilt). Targets at 10,000 events: a title or date
edit within 0.5 s, a CSS save within 0.1 s. `--site DIR` measures a site of your
own (its first event file is edited, then put back).
"""
from __future__ import annotations

import argparse
import json
import re
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parents[1]
GIVE_UP_SECONDS = 120
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from generator.serve import EVENTS_PATH  # noqa: E402


def copy_default_site(into: Path) -> Path:
    site = into / "site"
    site.mkdir()
    shutil.copy(REPO / "site.yml", site / "site.yml")
    shutil.copytree(REPO / "content", site / "content")
    return site


def synthetic_site(into: Path, events: int) -> Path:
    import synth

    site = into / "site"
    synth.write_site(site, events)
    return site


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(site: Path, port: int, log: IO[str]) -> subprocess.Popen:
    """`timeline serve` as an author runs it: its own process, from this checkout."""
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", str(port)]
    return subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=log, text=True)


def watch_versions(url: str, versions: list[tuple[float, int]], page: str | None) -> None:
    """Listen to the server's event stream like the script of `page` does (None: a page that
    does not say which it is, reloaded at the end of every build); note each new version."""
    query = f"?page={urllib.parse.quote(page)}" if page else ""
    while True:
        try:
            stream = urllib.request.urlopen(url + EVENTS_PATH.lstrip("/") + query)
            break
        except OSError:  # not serving yet: the first build is still running
            time.sleep(0.1)
    with stream:
        for raw in stream:
            line = raw.decode().strip()
            if line.startswith("data: "):
                state = json.loads(line[6:])
                if state["ok"]:
                    versions.append((time.perf_counter(), state["version"]))


def edited(original: str, number: int, part: str) -> str:
    """The event file (or stylesheet) with one part changed: a new text at each edit."""
    if part == "css":
        return f"/* edit {number} */\nbody {{ margin: {number % 3}px; }}\n"
    if part == "date":
        day = 10 + number % 18
        return re.sub(r'^date: "?(\d{4})[^"\n]*"?$', rf'date: "\g<1>-06-{day}"', original, count=1, flags=re.M)
    if part == "title":
        quote = '"' if 'title: "' in original else ""
        return original.replace(f"title: {quote}", f"title: {quote}Edit {number} of ", 1)
    if "summary: |" in original:
        return original.replace("summary: |\n", f"summary: |\n  Edit {number}.\n", 1)
    return original.replace("summary:", f"summary: Edit {number}.", 1)


def wait_for_builds(log: IO[str], count: int) -> None:
    """Until serve's log reports `count` finished builds (a page shown first reloads before its build ends)."""
    deadline = time.perf_counter() + GIVE_UP_SECONDS
    while time.perf_counter() < deadline:
        log.seek(0)
        if log.read().count("rebuilt:") >= count:
            return
        time.sleep(0.05)
    raise SystemExit(f"serve did not finish its build in {GIVE_UP_SECONDS} s")


def measure(site: Path, edits: int, part: str = "summary", viewing: bool = True) -> list[float]:
    """Each save's latency to the reload of the page an author would be viewing: the edited
    event's (the home page for a stylesheet), or, without `viewing`, of any page."""
    page = None
    if viewing:
        page = "/" if part == "css" else f"/events/{sorted((site / 'content' / 'events').rglob('*.yml'))[0].stem}/"
    port = free_port()
    log = tempfile.TemporaryFile("w+")  # a file, not a pipe: a pipe nobody reads would stall the server
    server = start_server(site, port, log)
    versions: list[tuple[float, int]] = []
    threading.Thread(target=watch_versions, args=(f"http://127.0.0.1:{port}/", versions, page), daemon=True).start()
    while not versions:
        if server.poll() is not None:
            log.seek(0)
            raise SystemExit(f"timeline serve stopped: {log.read()}")
        time.sleep(0.05)
    time.sleep(1.0)  # the watcher starts once the first build is served
    if part == "css":
        event_file = site / "static" / "bench-edit.css"
        event_file.parent.mkdir(exist_ok=True)
        event_file.write_text("/* first */\n")
        time.sleep(1.0)  # its first save is a new file: let that build pass
    else:
        event_file = sorted((site / "content" / "events").rglob("*.yml"))[0]
    original = event_file.read_text()
    latencies = []
    try:
        for number in range(edits):
            known = versions[-1][1]
            saved = time.perf_counter()
            event_file.write_text(edited(original, number, part))
            while versions[-1][1] == known:
                if time.perf_counter() - saved > GIVE_UP_SECONDS:
                    log.seek(0)
                    raise SystemExit(f"no reload signal after {GIVE_UP_SECONDS} s; the server said:\n{log.read()[-3000:]}")
                time.sleep(0.002)
            latencies.append(versions[-1][0] - saved)
            wait_for_builds(log, number + 2)  # the first, then one a save: the next save finds serve idle
            time.sleep(0.5)  # let the watcher settle between edits
    finally:
        event_file.write_text(original)
        server.terminate()
        server.wait()
        log.close()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=0, help="synthetic events (0: the default site)")
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--site", type=Path, help="a site of your own instead (its first event file is edited)")
    parser.add_argument("--edit", choices=("summary", "title", "date", "css"), default="summary",
                        help="what each save changes: an event's summary, title or date, or a stylesheet")
    parser.add_argument("--unviewed", action="store_true",
                        help="time the reload of a page that does not say which it is (the end of the build), "
                             "not of the edited event's page (made and shown first)")
    args = parser.parse_args()
    if args.site:
        latencies = measure(args.site.resolve(), args.edits, args.edit, not args.unviewed)
    else:
        with tempfile.TemporaryDirectory() as folder:
            site = synthetic_site(Path(folder), args.events) if args.events else copy_default_site(Path(folder))
            latencies = measure(site, args.edits, args.edit, not args.unviewed)
    label = str(args.site) if args.site else f"{args.events} synthetic events" if args.events else "the default site"
    print(f"save of a {args.edit} edit → reload signal on {label}: " + ", ".join(f"{l * 1000:.0f}" for l in latencies) + " ms")
    print(f"median {statistics.median(latencies) * 1000:.0f} ms (targets at 10,000 events: 500 ms for a title or date edit, 100 ms for CSS)")


if __name__ == "__main__":
    main()
