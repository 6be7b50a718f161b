"""Time from saving an event file to the reload signal of `timeline serve`.

    python bench/serve_latency.py                 # the default site (content/)
    python bench/serve_latency.py --events 10000  # a synthetic site (bench/synth.py)

Starts the dev server in-process, listens to its event stream like a browser
does, edits one event's summary several times and prints each latency and the
median. Targets: under 200 ms on the default site, under 1 s on 10,000 events.
"""
from __future__ import annotations

import argparse
import io
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from generator.serve import EVENTS_PATH, DevServer  # noqa: E402


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


def watch_versions(url: str, versions: list[tuple[float, int]]) -> None:
    with urllib.request.urlopen(url + EVENTS_PATH.lstrip("/")) as stream:
        for raw in stream:
            line = raw.decode().strip()
            if line.startswith("data: "):
                state = json.loads(line[6:])
                if state["ok"]:
                    versions.append((time.perf_counter(), state["version"]))


def measure(site: Path, edits: int) -> list[float]:
    server = DevServer(site, port=0, log=io.StringIO()).start()
    versions: list[tuple[float, int]] = []
    threading.Thread(target=watch_versions, args=(server.url, versions), daemon=True).start()
    while not versions:
        time.sleep(0.01)
    event_file = sorted((site / "content" / "events").rglob("*.yml"))[0]
    original = event_file.read_text()
    latencies = []
    try:
        for number in range(edits):
            known = versions[-1][1]
            saved = time.perf_counter()
            event_file.write_text(original.replace("summary:", f"summary: Edit {number}.", 1) if "summary: |" not in original else original.replace("summary: |\n", f"summary: |\n  Edit {number}.\n", 1))
            while versions[-1][1] == known:
                time.sleep(0.001)
            latencies.append(versions[-1][0] - saved)
            time.sleep(0.3)  # let the watcher settle between edits
    finally:
        event_file.write_text(original)
        server.stop()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=0, help="synthetic events (0: the default site)")
    parser.add_argument("--edits", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = synthetic_site(Path(folder), args.events) if args.events else copy_default_site(Path(folder))
        latencies = measure(site, args.edits)
    label = f"{args.events} synthetic events" if args.events else "the default site"
    print(f"save → reload signal on {label}: " + ", ".join(f"{l * 1000:.0f}" for l in latencies) + " ms")
    print(f"median {statistics.median(latencies) * 1000:.0f} ms (target {'1000' if args.events >= 10000 else '200'} ms)")


if __name__ == "__main__":
    main()
