"""How long `timeline import acled` takes on a large export, and a re-import of it.

Writes an ACLED-shaped CSV of N rows (10,000 by default: ACLED's columns, the three
time precisions, geo precisions 1 to 3, a few hundred locations in four countries
with real coordinates, a few dozen actors and sources), then times, each as a child
process (`python -m generator import acled FILE --site S`):

- the first import into a new site (`timeline init`), every file new;
- a re-import of the same file (every file compared with the manifest, nothing written);
- `timeline check` of the imported site (to show the files are valid content).

Prints the machine's load average before and after; the target is under 10 s for
the first import of 10,000 rows.

    python bench/import_bench.py --rows 10000 --runs 3
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
# (country, ISO code, admin1 regions, a point inside the country and how far locations spread from it)
COUNTRIES = (
    ("Syria", "SYR", ("Idleb", "Aleppo", "Hama", "Homs", "Deir ez Zor", "Rural Damascus"), (35.0, 38.0), 1.2),
    ("Iraq", "IRQ", ("Ninewa", "Anbar", "Baghdad", "Basrah", "Kirkuk"), (33.3, 43.8), 1.5),
    ("Yemen", "YEM", ("Taizz", "Al Hudaydah", "Marib", "Sanaa", "Aden"), (15.3, 45.5), 1.2),
    ("Lebanon", "LBN", ("Beirut", "South", "Bekaa", "North"), (33.9, 35.8), 0.3),
)
EVENT_TYPES = (
    ("Political violence", "Battles", "Armed clash"),
    ("Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Political violence", "Explosions/Remote violence", "Air/drone strike"),
    ("Political violence", "Violence against civilians", "Attack"),
    ("Demonstrations", "Protests", "Peaceful protest"),
    ("Strategic developments", "Strategic developments", "Arrests"),
)
ACTORS = (
    ("Military Forces of {country} (2000-)", "State forces"), ("Police Forces of {country} (2000-)", "State forces"),
    ("Rebel Group {n}", "Rebel group"), ("Militia {n}", "Political militia"), ("Protesters ({country})", "Protesters"),
    ("Civilians ({country})", "Civilians"), ("Unidentified Armed Group ({country})", "Political militia"),
)
SOURCES = ("Syrian Observatory for Human Rights", "SANA", "Enab Baladi", "Shafaq News", "Rudaw", "Al Masirah", "Saba News Agency", "L'Orient-Le Jour", "National News Agency", "Xinhua")


def write_export(path: Path, rows: int, seed: int = 1) -> None:
    """An ACLED-shaped CSV of `rows` events."""
    rng = random.Random(seed)
    locations = {
        country: [(f"Place {country[:3]} {i}", rng.choice(regions), round(lat + rng.uniform(-spread, spread), 4), round(lon + rng.uniform(-spread, spread), 4))
                  for i in range(80)]
        for country, _, regions, (lat, lon), spread in COUNTRIES
    }
    start = date(2019, 1, 1)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(1, rows + 1):
            country, code, _, _, _ = rng.choice(COUNTRIES)
            location, admin1, latitude, longitude = rng.choice(locations[country])
            disorder, event_type, sub_type = rng.choice(EVENT_TYPES)
            name1, inter1 = rng.choice(ACTORS)
            name2, inter2 = rng.choice(ACTORS)
            day = start + timedelta(days=rng.randrange(5 * 365))
            sources = "; ".join(rng.sample(SOURCES, rng.choice((1, 1, 2))))
            writer.writerow((
                f"{code}{number}", day.isoformat(), day.year, rng.choice((1, 1, 1, 2, 3)), disorder, event_type, sub_type,
                name1.format(country=country, n=rng.randrange(12)), "", inter1,
                name2.format(country=country, n=rng.randrange(12)) if rng.random() < 0.6 else "", "", inter2, "", "",
                0, "Middle East", country, admin1, "", "", location, latitude, longitude, rng.choice((1, 1, 2, 3)),
                sources, "National", f"On {day:%d %B %Y}, {sub_type.lower()} reported in {location} ({admin1}). Event {number}.",
                rng.choice((0, 0, 0, 1, 2, 5)), "", 1700000000 + number,
            ))


def timed(command: list[str]) -> tuple[float, float, int]:
    """Wall-clock seconds, CPU seconds (user + system, of the process and its children) and the exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.returncode


def _medians(results: list[tuple[float, float]]) -> str:
    return f"{statistics.median(w for w, _ in results):.2f} s wall, {statistics.median(c for _, c in results):.2f} s CPU (medians)"


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the export (default 10,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure; medians are printed (default 3)")
    parser.add_argument("--workdir", type=Path, help="keep the export and the sites here (default: a temporary folder)")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    export = work / "acled.csv"
    write_export(export, args.rows)
    python = [sys.executable, "-m", "generator"]
    print(f"{args.rows:,} ACLED rows, {args.runs} runs; {os.cpu_count()} cores, Python {sys.version.split()[0]}; load average {load()}")
    first, again, checks = [], [], []
    for run in range(args.runs):
        site = work / f"site-{run}"
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([*python, "init", str(site), "--title", "Bench"], check=True, capture_output=True)
        for label, command, results in (
            ("import", ["import", "acled", str(export)], first),
            ("re-import", ["import", "acled", str(export)], again),
            ("check", ["check"], checks),
        ):
            wall, cpu, code = timed([*python, *command, "--site", str(site)])
            if code != 0:
                print(f"{label} exited {code}", file=sys.stderr)
                return 1
            results.append((wall, cpu))
    files = sum(1 for _ in (work / "site-0" / "content").rglob("*.yml"))
    print(f"first import: {_medians(first)}; {files:,} content files (runs: {', '.join(f'{w:.2f}' for w, _ in first)} s)")
    print(f"re-import of the same file, nothing to write: {_medians(again)}")
    print(f"timeline check of the imported site: {_medians(checks)}")
    print(f"load average at the end {load()}")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
