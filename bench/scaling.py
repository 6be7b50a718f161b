"""Time and peak memory against size for the paths that used to grow with the square.

    python bench/scaling.py [--sizes 250,500,1000,2000] [--build-sizes 750,1500,3000]

Three curves, each a child process per size (bench/measure.py), on sites written
for the purpose into a temporary folder:

- look-alikes: N events on one date sharing an actor (`timeline check`; every pair
  was compared: 2,000 events took 252 s);
- an affiliation chain of N actors (`timeline check`, which refuses chains past the
  limit; building one made N*N/2 member links: 6,000 actors took 1.27 GB);
- affiliation chains at the limit, N actors in chains of 16 levels with an event at
  the bottom of each (`timeline build --no-search`): the worst a valid site can do.

For each size it prints the wall time, the CPU time, the peak memory and the ratio
of CPU time and memory to the previous size's (sizes double): about 2 when the work
is linear, about 4 when it is quadratic. CPU time is the steadier on a busy machine.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path
from typing import Callable, Sequence

from measure import MB, Measure, code_version, freeze_code, load_line, machine_line, measure

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.check import MAX_AFFILIATION_DEPTH  # noqa: E402

SITE = "title: Scaling\nbase_url: https://example.org/\n"
SOURCE = "title: A source\npublisher: Agency\npublished: 2017-05-30\nurl: https://example.org/a\n"
EVENT = "title: {title}\ndate: 2017-05-29\nactors: [{actors}]\nsummary: s\nsources: [agency]\n"


def write(site: Path, files: dict[str, str]) -> None:
    for name, text in {"site.yml": SITE, "content/sources/agency.yml": SOURCE, **files}.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def lookalike_site(site: Path, count: int) -> None:
    """`count` events on one date, one shared actor, titles of random words."""
    rng = random.Random(count)
    letters = "bcdfghjklmnpqrstvwxz"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) for _ in range(500)]
    files = {"content/actors/someone.yml": "name: Someone\nkind: person\n"}
    for index in range(count):
        files[f"content/events/e{index:05d}.yml"] = EVENT.format(title=" ".join(rng.sample(words, 6)), actors="someone")
    write(site, files)


def chains_site(site: Path, count: int, length: int) -> None:
    """`count` actors in chains of `length` (each affiliated with the next), an event at each chain's foot."""
    files = {}
    for index in range(count):
        up = index + 1 if (index + 1) % length else None
        above = f"affiliations: [a{up}]\n" if up is not None and up < count else ""
        files[f"content/actors/a{index}.yml"] = f"name: Actor {index}\nkind: organization\n{above}"
        if index % length == 0:
            files[f"content/events/e{index}.yml"] = EVENT.format(title=f"Event {index}", actors=f"a{index}")
    write(site, files)


def curve(title: str, sizes: list[int], make: Callable[[Path, int], None], command: Callable[[Path], list[str]],
          work: Path, code: Path, allowed: tuple[int, ...]) -> None:
    print(f"\n{title}")
    print(f"{'N':>8} {'seconds':>9} {'CPU s':>8} {'x prev':>7} {'peak MB':>9} {'x prev':>7}")
    previous: Measure | None = None
    for size in sizes:
        site = work / f"{title.split()[0]}-{size}"
        make(site, size)
        result = measure(command(site), cwd=code, allowed=allowed)
        ratios = ("", "") if previous is None else (f"{result.cpu_seconds / previous.cpu_seconds:.2f}", f"{result.peak_bytes / previous.peak_bytes:.2f}")
        print(f"{size:>8,} {result.seconds:>9.2f} {result.cpu_seconds:>8.2f} {ratios[0]:>7} {result.peak_bytes / MB:>9,.0f} {ratios[1]:>7}", flush=True)
        previous = result


def sizes_option(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time and memory against size for the formerly quadratic paths.")
    parser.add_argument("--sizes", type=sizes_option, default=[250, 500, 1000, 2000], help="events on one date / chained actors (check)")
    parser.add_argument("--build-sizes", type=sizes_option, default=[750, 1500, 3000], help="actors in chains at the limit (build)")
    args = parser.parse_args(argv)
    print(f"scaling benchmark: {machine_line()}\n{load_line()}")
    check = lambda site: [sys.executable, "-m", "generator", "check", "--site", str(site)]  # noqa: E731
    build = lambda site: [sys.executable, "-m", "generator", "build", "--site", str(site), "--no-search", "-q"]  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="timeline-scaling-") as folder:
        work = Path(folder)
        code = freeze_code(work / "code")
        print(f"timeline: {code_version()}")
        curve("look-alikes: N events on one date, timeline check", args.sizes, lookalike_site, check, work, code, (0,))
        chain_sizes = [size * 3 for size in args.sizes]
        curve("chain: N actors in one affiliation chain, timeline check (refused past the limit)", chain_sizes,
              lambda site, n: chains_site(site, n, n), check, work, code, (1,))
        curve(f"forest: N actors in chains of {MAX_AFFILIATION_DEPTH}, timeline build", args.build_sizes,
              lambda site, n: chains_site(site, n, MAX_AFFILIATION_DEPTH), build, work, code, (0,))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
