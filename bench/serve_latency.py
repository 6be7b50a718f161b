"""Time from saving an event file to the reload signal of `timeline serve`.

    python bench/serve_latency.py                 # the default site (content/)
    python bench/serve_latency.py --events 10000  # a synthetic site (bench/synth.py)

Starts `timeline serve` in its own process (the code of this checkout), listens
to its event stream like the page's script does, edits one event's summary
several times and prints each latency and the median. Targets: under 200 ms
on the default site, under 1 s on 10,000 events. `--site DIR` measures a site
of your own (its first event file is edited, then put back).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
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


def start_server(site: Path, port: int) -> subprocess.Popen:
    """`timeline serve` as an author runs it: its own process, from this checkout."""
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", str(port)]
    return subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def watch_versions(url: str, versions: list[tuple[float, int]]) -> None:
    """Listen to the server's event stream like the page's script does; note each new version."""
    while True:
        try:
            stream = urllib.request.urlopen(url + EVENTS_PATH.lstrip("/"))
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


def edited(original: str, number: int) -> str:
    if "summary: |" in original:
        return original.replace("summary: |\n", f"summary: |\n  Edit {number}.\n", 1)
    return original.replace("summary:", f"summary: Edit {number}.", 1)


def measure(site: Path, edits: int) -> list[float]:
    port = free_port()
    server = start_server(site, port)
    versions: list[tuple[float, int]] = []
    threading.Thread(target=watch_versions, args=(f"http://127.0.0.1:{port}/", versions), daemon=True).start()
    while not versions:
        if server.poll() is not None:
            raise SystemExit(f"timeline serve stopped: {server.stderr.read()}")
        time.sleep(0.05)
    time.sleep(1.0)  # the watcher starts once the first build is served
    event_file = sorted((site / "content" / "events").rglob("*.yml"))[0]
    original = event_file.read_text()
    latencies = []
    try:
        for number in range(edits):
            known = versions[-1][1]
            saved = time.perf_counter()
            event_file.write_text(edited(original, number))
            while versions[-1][1] == known:
                time.sleep(0.002)
            latencies.append(versions[-1][0] - saved)
            time.sleep(0.5)  # let the watcher settle between edits
    finally:
        event_file.write_text(original)
        server.terminate()
        server.wait()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=0, help="synthetic events (0: the default site)")
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--site", type=Path, help="a site of your own instead (its first event file is edited)")
    args = parser.parse_args()
    if args.site:
        latencies = measure(args.site.resolve(), args.edits)
    else:
        with tempfile.TemporaryDirectory() as folder:
            site = synthetic_site(Path(folder), args.events) if args.events else copy_default_site(Path(folder))
            latencies = measure(site, args.edits)
    label = str(args.site) if args.site else f"{args.events} synthetic events" if args.events else "the default site"
    print(f"save → reload signal on {label}: " + ", ".join(f"{l * 1000:.0f}" for l in latencies) + " ms")
    print(f"median {statistics.median(latencies) * 1000:.0f} ms (target {'1000' if args.events >= 10000 else '200'} ms)")


if __name__ == "__main__":
    main()
