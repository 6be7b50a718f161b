"""What the time view costs a cold build, and how big it makes pages, on a synthetic site.

    python bench/timeview_cost.py [--events 10000] [--runs 3]

Writes the synthetic site of bench/synth.py, times `--runs` cold builds of it (child
processes, as bench/run.py does), then draws in this process every time view the
site's pages hold (the home page's overview and lanes, one view per page of every
actor, tag, year and source list, and one per actor's and tag's embed page) and times that, `--runs` times. It prints the
drawing's median time beside the build's median and their ratio (target: under 10 %),
the largest view's size and the largest HTML page of the output (target: under 1 MB).
The drawing runs on one core while the build renders over all of them, so the ratio
is an upper bound of the view's share.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

import jinja2

import synth
from measure import measure, timeline_build

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator import timeview  # noqa: E402
from generator.pipeline import check_site  # noqa: E402
from generator.plan import EMBED_LIMIT, EMBEDDED_KINDS, HOME_LIMIT, PER_PAGE, TERM_KINDS  # noqa: E402


def draw_every_view(timeline) -> tuple[float, int]:
    """Seconds to draw the views of every page, and the largest view's length."""
    env = jinja2.Environment(autoescape=True)
    env.globals.update(timeview.template_globals(timeline))
    one = env.from_string("{{ time_view(entries, on_page) }}")
    lanes = env.from_string("{{ lane_view(on_page) }}")
    events = timeline.events
    started = time.perf_counter()
    home = [(event, None) for event in events[-HOME_LIMIT:]]
    largest = max(len(one.render(root="", entries=None, on_page=home)), len(lanes.render(root="", on_page=home)))
    for kind in TERM_KINDS:
        for term in timeline.taxonomies[kind.taxonomy].terms.values():
            for first in range(0, max(1, len(term.entries)), PER_PAGE):
                page = [(timeline.events_by_id[entry.event], None) for entry in term.entries[first:first + PER_PAGE]]
                largest = max(largest, len(one.render(root="../../", entries=term.entries, on_page=page)))
            if kind.taxonomy in EMBEDDED_KINDS:  # the term's embed page: its latest events
                page = [(timeline.events_by_id[entry.event], None) for entry in term.entries[-EMBED_LIMIT:]]
                largest = max(largest, len(one.render(root="../../../", entries=term.entries, on_page=page)))
    return time.perf_counter() - started, largest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="timeview-bench-") as work:
        site, output = Path(work) / "site", Path(work) / "out"
        synth.write_site(site, args.events)
        builds = []
        for _ in range(args.runs):
            for stale in (output, site / ".timeline-cache"):
                if stale.exists():
                    shutil.rmtree(stale)
            builds.append(measure(timeline_build(site, output)).seconds)
        timeline = check_site(site).timeline
        assert timeline is not None
        drawings = [draw_every_view(timeline) for _ in range(args.runs)]
        largest_page = max(output.rglob("*.html"), key=lambda p: p.stat().st_size)
        build, draw = median(builds), median(d[0] for d in drawings)
        print(f"{args.events:,} events, {args.runs} runs (medians)")
        print(f"cold build                 {build:8.2f} s")
        print(f"drawing every time view    {draw:8.2f} s   {draw / build:6.1%} of the build (target < 10 %)")
        print(f"largest time view          {drawings[0][1] / 1024:8.1f} KB")
        print(f"largest HTML page          {largest_page.stat().st_size / 1024:8.1f} KB   {largest_page.relative_to(output)} (target < 1 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
