"""How long `timeline check` takes on a synthetic site (3,000 events by default).

    python bench/check_speed.py [--events 3000] [--runs 3]

Writes the site of bench/synth.py into a temporary folder, runs
`python -m generator check --site …` `--runs` times as a child process and prints
each time, the median and the peak memory.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from statistics import median
from typing import Sequence

import synth
from measure import MB, CommandFailed, code_version, freeze_code, load_line, machine_line, measure, timeline_check


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time `timeline check` on a synthetic site.")
    parser.add_argument("--events", type=int, default=3000, help="events in the synthetic site (default 3000)")
    parser.add_argument("--runs", type=int, default=3, help="runs; the median is reported (default 3)")
    args = parser.parse_args(argv)
    print(f"timeline check benchmark: {machine_line()}\n{load_line()}")
    with tempfile.TemporaryDirectory(prefix="timeline-check-") as work:
        site, code = Path(work) / "site", freeze_code(Path(work) / "code")
        print(f"timeline: {code_version()}")
        corpus = synth.write_site(site, args.events)
        files = 1 + len(corpus.events) + len(corpus.actors) + len(corpus.sources)
        try:
            results = [measure(timeline_check(site), cwd=code) for _ in range(args.runs)]
        except CommandFailed as err:
            print(f"CHECK FAILED: {err}")
            return 1
    times = " ".join(f"{r.seconds:.2f}" for r in results)
    print(f"timeline check, {args.events:,} events ({files:,} files): median {median(r.seconds for r in results):.2f} s "
          f"(runs: {times} s), peak memory {max(r.peak_bytes for r in results) / MB:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
