"""What writing `events.ics` with the icalendar library would cost, against the line writer.

    python bench/ical_bench.py [--events 10000]

Writes a synthetic site (bench/synth.py), loads it, and times, for every event:
our VEVENT lines (`generator.exports.ical`), and the same VEVENT made with
icalendar (an `Event` given the same properties, then `to_ical()`). The icalendar
side starts from our output read back by icalendar, so both write the same data.
Only a cold build writes every VEVENT (the engine keeps each one as a piece), so
the figure to weigh is the cold build's time, printed by `run.py`.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
import synth  # noqa: E402

import icalendar  # noqa: E402

from generator.exports import ical  # noqa: E402
from generator.exports.common import ExportTools, SiteLinks, source_date_epoch  # noqa: E402
from generator.markup import Markdown  # noqa: E402
from generator.pipeline import load_site  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        synth.write_site(site, args.events)
        timeline = load_site(site).timeline
        assert timeline is not None
        markdown, links, stamp = Markdown({}), SiteLinks.of(timeline), source_date_epoch()
        for event in timeline.events:  # summaries converted first (a build shares them with the pages)
            ical._vevent(event, timeline, links, markdown, stamp)
        started = time.perf_counter()
        ours = [ical._vevent(event, timeline, links, markdown, stamp) for event in timeline.events]
        line_writer = time.perf_counter() - started
        whole = b"".join(ical.events_ics(timeline, ExportTools(markdown)))
        parsed = [c for c in icalendar.Calendar.from_ical(whole).walk("VEVENT")]
        started = time.perf_counter()
        for component in parsed:
            made = icalendar.Event()
            for name, value in component.property_items(recursive=False)[1:-1]:
                made.add(name, component.decoded(name) if name in ("DTSTART", "DTEND", "DTSTAMP", "LAST-MODIFIED") else str(value))
            made.to_ical()
        library = time.perf_counter() - started
    print(f"{args.events} events, icalendar {icalendar.__version__}")
    print(f"line writer: {line_writer:.2f} s; icalendar (build each VEVENT and serialise it): {library:.2f} s; "
          f"{len(ours)} VEVENTs")


if __name__ == "__main__":
    main()
