"""Build-speed benchmark of timeline against Hugo and Pelican on a synthetic site.

    python bench/run.py [--events 10000] [--runs 3] [--big 100000] [--skip-others] [--workdir /dev/shm/bench]

Writes the synthetic site of bench/synth.py (and its Hugo and Pelican equivalents,
bench/competitors.py) into a temporary folder (or `--workdir`: on a tmpfs such as
/dev/shm the comparison is of computing alone, without the disk), then measures,
each build being a child process timed with time.perf_counter(), its user and
system CPU time taken from the kernel:

- cold builds (no cache, no previous output) of timeline, Hugo, Hugo followed by
  Pagefind on the event pages and on all pages (the same search as timeline's, the
  way a Hugo site gets it), and Pelican, in alternation, `--runs` of each: medians,
  CPU, peak memory, and the ratio ours/theirs;
- a timeline rebuild with nothing changed (output kept) and how many output files
  it rewrote (modification time changed);
- a timeline rebuild after one event's summary changed, the files it rewrote, and
  whether its output is byte-identical to a cold build of the same content;
- the largest HTML page of the output;
- what a one-word query downloads in Chromium (requests and KB under pagefind/,
  from a fresh cache: the index opened, then the query's results shown);
- with --big N: a cold timeline build of N events, how its time grows, and the
  same query's download at that size.

It prints a table with each result beside its target. bench/README.md explains
every number.
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Sequence

import competitors
import synth
from competitors import Generator
from measure import MB, CommandFailed, Measure, code_version, freeze_code, load_line, machine_line, measure, timeline_build

GB = 1024 * MB
KB = 1024
TIMELINE = Generator("timeline", synth.write_corpus, timeline_build, (".timeline-cache",))
BIG_SECONDS, BIG_BYTES, BIG_GROWTH = 150.0, 2 * GB, 1.1
MAX_PAGE_BYTES = 1 * MB
COLD_RATIO, NO_CHANGE_SECONDS, ONE_EDIT_SECONDS = 1.0, 0.2, 2.0
QUERY_BYTES = 300 * KB  # at 100,000 events
QUERIES = ("ceasefire", "Astana")  # a word of nearly every synthetic summary, a city named in a few events


# --- one generator's site and output -------------------------------------------------


@dataclass
class Subject:
    """A generator with its site and output folders, and its measures so far."""

    generator: Generator
    site: Path
    output: Path
    code: Path  # the working folder of the build (a frozen copy of the generator)
    memory_limit: int | None = None
    cold: list[Measure] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.generator.name

    def build(self, output: Path | None = None, tree: bool = False) -> Measure:
        command = self.generator.command(self.site, output or self.output)
        return measure(command, cwd=self.code, memory_limit=self.memory_limit, tree=tree)

    def build_cold(self, output: Path | None = None, tree: bool = False) -> Measure:
        """Build with no cache and no previous output (with `tree`, the memory of all its processes sampled)."""
        for cache in self.generator.caches:
            remove(self.site / cache)
        remove(output or self.output)
        return self.build(output, tree)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def prepare(generators: Sequence[Generator], corpus: synth.Corpus, work: Path, code: Path, memory_limit: int | None) -> list[Subject]:
    """Write each generator's version of the corpus; say how long it took."""
    subjects = []
    for generator in generators:
        folder = work / re.sub(r"[^a-z0-9]+", "-", generator.name.lower())
        started = time.perf_counter()
        generator.write(folder / "site", corpus)
        print(f"  wrote the {generator.name} site in {time.perf_counter() - started:.1f} s")
        subjects.append(Subject(generator, folder / "site", folder / "out", code, memory_limit if generator is TIMELINE else None))
    return subjects


# --- what an output folder holds -----------------------------------------------------


def files_of(folder: Path) -> dict[str, Path]:
    return {path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()}


def mtimes(folder: Path) -> dict[str, int]:
    return {name: path.stat().st_mtime_ns for name, path in files_of(folder).items()}


def rewritten(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """Files added, removed or with a new modification time."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def some(names: Sequence[str], count: int = 3) -> str:
    """A count of files and the first few names."""
    shown = ", ".join(names[:count]) + (", …" if len(names) > count else "")
    return f"{len(names):,}" + (f" ({shown})" if names else "")


def differences(first: Path, second: Path) -> list[str]:
    """Relative paths whose bytes differ (or that one side lacks)."""
    a, b = files_of(first), files_of(second)
    return sorted(name for name in a.keys() | b.keys() if name not in a or name not in b or a[name].read_bytes() != b[name].read_bytes())


def largest_html(folder: Path) -> tuple[str, int]:
    sizes = [(path.stat().st_size, name) for name, path in files_of(folder).items() if name.endswith(".html")]
    size, name = max(sizes, default=(0, "-"))
    return name, size


def output_summary(folder: Path) -> tuple[int, int, int]:
    """(HTML pages, files, bytes) of an output folder."""
    files = files_of(folder)
    return sum(name.endswith(".html") for name in files), len(files), sum(p.stat().st_size for p in files.values())


# --- printing ------------------------------------------------------------------------


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def megabytes(value: float) -> str:
    return f"{value / MB:,.0f} MB" if value >= 10 * MB else f"{value / MB:,.2f} MB"


def cpu(result: Measure) -> str:
    return f"user {result.user_seconds:.1f} s + sys {result.sys_seconds:.1f} s"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    print(f"\n{title}")
    for row in (header, ["-" * w for w in widths], *rows):
        print("  " + "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


# --- the measures --------------------------------------------------------------------


def cold_builds(subjects: Sequence[Subject], runs: int) -> None:
    """`runs` cold builds of each, in alternation (ours, hugo, pelican, ours, …)."""
    for run in range(1, runs + 1):
        for subject in subjects:
            result = subject.build_cold()
            subject.cold.append(result)
            print(f"  cold run {run}/{runs} {subject.name}: {seconds(result.seconds)}, {cpu(result)}, {megabytes(result.peak_bytes)}", flush=True)


def print_cold_table(subjects: Sequence[Subject]) -> None:
    ours = median(m.seconds for m in subjects[0].cold)
    rows = []
    for subject in subjects:
        times = [m.seconds for m in subject.cold]
        pages, files, size = output_summary(subject.output)
        ratio = f"{ours / median(times):.2f}" if subject is not subjects[0] else "-"
        rows.append([
            subject.name, seconds(median(times)), " ".join(f"{t:.2f}" for t in times), ratio,
            f"{median(m.user_seconds for m in subject.cold):.1f}", f"{median(m.sys_seconds for m in subject.cold):.1f}",
            megabytes(max(m.peak_bytes for m in subject.cold)), f"{pages:,}", f"{files:,}", megabytes(size),
        ])
    print_table(
        f"Cold builds (median of {len(subjects[0].cold)}, in alternation)",
        ["generator", "median", "runs (s)", "ours/this", "user (s)", "sys (s)", "peak memory", "HTML pages", "files", "output"], rows,
    )


def unchanged_rebuilds(ours: Subject, runs: int) -> tuple[list[Measure], list[str]]:
    """(each run's measure, files rewritten by the worst run) of rebuilds with nothing changed."""
    results, counts = [], []
    for _ in range(runs):
        before = mtimes(ours.output)
        results.append(ours.build())
        counts.append(rewritten(before, mtimes(ours.output)))
    return results, max(counts, key=len)


def edited_rebuilds(ours: Subject, event_file: Path, runs: int) -> tuple[list[Measure], list[list[str]]]:
    """(each run's measure, files rewritten by each) of rebuilds after one summary changed."""
    results, counts = [], []
    original = event_file.read_text(encoding="utf-8")
    for run in range(1, runs + 1):
        event_file.write_text(original.replace("summary: |\n  ", f"summary: |\n  Revised in run {run}. ", 1), encoding="utf-8")
        before = mtimes(ours.output)
        results.append(ours.build())
        counts.append(rewritten(before, mtimes(ours.output)))
    return results, counts


def search_shards(names: Sequence[str]) -> int:
    """How many search shards (pagefind/sN/) these files touch."""
    return len({name.split("/")[1] for name in names if name.startswith("pagefind/s") and name.count("/") > 1})


def identical_to_cold(ours: Subject) -> list[str]:
    """Files in which the incremental output differs from a cold build's into a fresh folder."""
    fresh = ours.output.with_name("fresh")
    ours.build_cold(fresh)
    try:
        return differences(ours.output, fresh)
    finally:
        remove(fresh)


@dataclass(frozen=True)
class Big:
    events: int
    seconds: float
    cpu: tuple[float, float]  # median user, sys
    peak_bytes: int
    tree_bytes: tuple[int, int]  # the highest sums over its processes at one moment: PSS, RSS
    largest: tuple[str, int]
    queries: list[Download]


def big_build(events: int, runs: int, work: Path, code: Path, memory_limit: int | None) -> Big:
    """Cold builds of a site of `events` events: median time, highest peak memory, a query's download."""
    started = time.perf_counter()
    subject = Subject(TIMELINE, work / "big" / "site", work / "big" / "out", code, memory_limit)
    synth.write_site(subject.site, events)
    print(f"  wrote the {events:,}-event timeline site in {time.perf_counter() - started:.1f} s", flush=True)
    results = []
    for run in range(1, runs + 1):
        results.append(subject.build_cold(tree=True))
        print(f"  cold run {run}/{runs}: {seconds(results[-1].seconds)}, {cpu(results[-1])}, {megabytes(results[-1].peak_bytes)}"
              f" (all processes: PSS {megabytes(results[-1].tree_pss_bytes)}, RSS {megabytes(results[-1].tree_rss_bytes)})", flush=True)
    largest = largest_html(subject.output)
    queries = query_downloads(subject.output)
    remove(subject.output)
    return Big(events, median(m.seconds for m in results), (median(m.user_seconds for m in results), median(m.sys_seconds for m in results)),
               max(m.peak_bytes for m in results), (max(m.tree_pss_bytes for m in results), max(m.tree_rss_bytes for m in results)),
               largest, queries)


# --- what a query downloads ------------------------------------------------------------


@dataclass(frozen=True)
class Download:
    query: str
    status: str  # what the search box said
    opened: tuple[int, int]  # requests and bytes under pagefind/ once the box is ready (index opened, facets loaded)
    total: tuple[int, int]  # … once the query's first results are shown


def query_downloads(output: Path) -> list[Download]:
    """Each of QUERIES typed on an event page in a fresh browser context; [] without Chromium or Playwright."""
    try:
        from playwright.sync_api import sync_playwright
        from search_bench import CHROMIUM, CHROMIUM_ARGS, SETTLE_MS, served
    except ImportError as missing:
        print(f"  note: no query download measured ({missing})")
        return []
    if not Path(CHROMIUM).exists():
        print(f"  note: no query download measured (no Chromium at {CHROMIUM})")
        return []
    event = min(output.glob("events/*/index.html")).relative_to(output).as_posix()
    found = []
    with served(output) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for query in QUERIES:
                context = browser.new_context()
                page = context.new_page()
                received: list[int] = []
                page.on("response", lambda r: received.append(len(r.body())) if r.url.startswith(url + "pagefind/") else None)
                page.goto(url + event)
                page.keyboard.press("/")
                page.wait_for_function("document.querySelector('#search-actor') !== null")
                page.wait_for_timeout(SETTLE_MS)
                opened = (len(received), sum(received))
                page.keyboard.type(query)
                page.wait_for_function("document.querySelector('.search-status').textContent.includes('found')")
                page.wait_for_timeout(SETTLE_MS)
                found.append(Download(query, page.locator(".search-status").text_content() or "", opened, (len(received), sum(received))))
                context.close()
        finally:
            browser.close()
    return found


def download_rows(downloads: list[Download], target: bool) -> list[list[str]]:
    rows = []
    for item in downloads:
        (opened, opened_bytes), (total, total_bytes) = item.opened, item.total
        rows.append([
            f"one-word query {item.query!r} ({item.status})",
            f"{total} requests, {total_bytes / KB:,.0f} KB (box opened: {opened}, {opened_bytes / KB:,.0f} KB)",
            f"≤ {QUERY_BYTES // KB} KB at 100,000 events" if target else "(reported)",
            verdict(total_bytes <= QUERY_BYTES) if target else "",
        ])
    return rows


# --- the whole run -------------------------------------------------------------------


@dataclass(frozen=True)
class OursResult:
    cold: float  # median seconds
    peak_bytes: int
    unchanged: list[Measure]
    unchanged_rewritten: list[str]
    edited: list[Measure]
    edited_rewritten: list[list[str]]
    differing: list[str]  # files unlike a cold build's
    largest: tuple[str, int]
    queries: list[Download]


def measure_ours(ours: Subject, corpus: synth.Corpus, runs: int) -> OursResult:
    """The rebuilds, the comparison with a cold build, the largest page and the queries (after the cold runs)."""
    print("\n  rebuilds…", flush=True)
    unchanged, unchanged_rewritten = unchanged_rebuilds(ours, runs)
    event = corpus.events[len(corpus.events) // 2]
    edited, edited_rewritten = edited_rebuilds(ours, ours.site / "content" / "events" / str(event.year) / f"{event.id}.yml", runs)
    print("  queries…", flush=True)
    return OursResult(
        median(m.seconds for m in ours.cold), max(m.peak_bytes for m in ours.cold), unchanged, unchanged_rewritten,
        edited, edited_rewritten, identical_to_cold(ours), largest_html(ours.output), query_downloads(ours.output),
    )


def rebuild_row(label: str, results: list[Measure], limit: float) -> list[str]:
    middle = median(m.seconds for m in results)
    runs = " ".join(f"{m.seconds:.2f}" for m in results)
    user, system = median(m.user_seconds for m in results), median(m.sys_seconds for m in results)
    return [label, f"{seconds(middle)} (runs {runs}; user {user:.2f} s + sys {system:.2f} s)", f"≤ {limit:g} s", verdict(middle <= limit)]


def ours_rows(result: OursResult, anchors: dict[str, float]) -> list[list[str]]:
    differing = result.differing
    rows = []
    for name, cold in anchors.items():
        ratio = result.cold / cold
        target = name == competitors.HUGO_PAGEFIND_EVENTS.name
        rows.append([f"ours / {name}, cold build", f"{ratio:.2f}", f"≤ {COLD_RATIO:g}" if target else "(reported)",
                     verdict(ratio <= COLD_RATIO) if target else ""])
    shards = [search_shards(names) for names in result.edited_rewritten]
    rows += [
        rebuild_row("no-change rebuild (median)", result.unchanged, NO_CHANGE_SECONDS),
        ["  files rewritten (mtime changed)", f"{len(result.unchanged_rewritten):,}", "0", verdict(not result.unchanged_rewritten)],
        rebuild_row("one-edit rebuild, search included (median)", result.edited, ONE_EDIT_SECONDS),
        ["  files rewritten, each run", " / ".join(f"{len(c):,}" for c in result.edited_rewritten), "(reported)", ""],
        ["  search shards rewritten, each run", " / ".join(map(str, shards)), "1", verdict(all(count <= 1 for count in shards))],
        ["  byte-identical to a cold build", f"no: {len(differing):,} files differ" if differing else "yes", "yes", verdict(not differing)],
        ["peak memory, cold build", megabytes(result.peak_bytes), "(reported)", ""],
        ["largest HTML page", f"{megabytes(result.largest[1])} ({result.largest[0]})", f"< {megabytes(MAX_PAGE_BYTES)}", verdict(result.largest[1] < MAX_PAGE_BYTES)],
    ]
    return rows + download_rows(result.queries, target=False)


def print_notes(result: OursResult) -> None:
    """Which files the rebuilds rewrote, and which differ from a cold build."""
    for label, names in (
        ("rewritten by a no-change rebuild", result.unchanged_rewritten),
        ("rewritten by the last one-edit rebuild", result.edited_rewritten[-1]),
        ("unlike a cold build's", result.differing),
    ):
        if names:
            print(f"  files {label}: {some(names, 12)}")


def big_rows(big: Big, small_events: int, small_seconds: float) -> list[list[str]]:
    growth = (big.seconds / small_seconds) / (big.events / small_events)
    return [
        ["cold build", f"{seconds(big.seconds)} (user {big.cpu[0]:.1f} s + sys {big.cpu[1]:.1f} s)", f"≤ {BIG_SECONDS:g} s", verdict(big.seconds <= BIG_SECONDS)],
        ["peak memory (largest process)", megabytes(big.peak_bytes), f"≤ {BIG_BYTES // GB} GB", verdict(big.peak_bytes <= BIG_BYTES)],
        ["all its processes at once (PSS / RSS, sampled)", f"{megabytes(big.tree_bytes[0])} / {megabytes(big.tree_bytes[1])}", "(reported)", ""],
        [f"growth vs {small_events:,} (time ratio / size ratio)", f"{growth:.2f}", f"≤ {BIG_GROWTH:g} (1.00 = linear)", verdict(growth <= BIG_GROWTH)],
        ["largest HTML page", f"{megabytes(big.largest[1])} ({big.largest[0]})", "(reported)", ""],
        *download_rows(big.queries, target=True),
    ]


def run(args: argparse.Namespace, work: Path) -> int:
    others, missing = ([], []) if args.skip_others else competitors.available()
    for note in missing:
        print(f"note: {note}")
    if others:
        print("compared with: " + ", ".join(f"{g.name} {g.version()}" for g in others))
    limit = int(args.memory_limit * GB) if args.memory_limit else None
    code = freeze_code(work / "code")
    print(f"timeline: {code_version()}, run from a copy in {code}")
    corpus = synth.make_corpus(args.events, args.seed)
    print(f"\nsynthetic site: {len(corpus.events):,} events, {len(corpus.actors):,} actors, {len(corpus.sources):,} sources, in {work}")
    subjects = prepare([TIMELINE, *others], corpus, work, code, limit)
    cold_builds(subjects, args.runs)
    print_cold_table(subjects)
    anchors = {s.name: median(m.seconds for m in s.cold) for s in subjects[1:] if s.name.startswith("Hugo")}
    result = measure_ours(subjects[0], corpus, args.runs)
    print_table(f"timeline at {args.events:,} events ({machine_line()})", ["measure", "result", "target", ""], ours_rows(result, anchors))
    print_notes(result)
    if args.big:
        print(f"\n  cold build of {args.big:,} events…", flush=True)
        big = big_build(args.big, args.runs, work, code, limit)
        print_table(f"timeline at {big.events:,} events (cold, median of {args.runs})", ["measure", "result", "target", ""], big_rows(big, args.events, result.cold))
    return 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark timeline's builds against Hugo and Pelican.")
    parser.add_argument("--events", type=int, default=10_000, help="events in the synthetic site (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure; medians are reported (default 3)")
    parser.add_argument("--big", type=int, metavar="N", help="also time a cold build of N events (timeline only)")
    parser.add_argument("--skip-others", action="store_true", help="measure timeline only, not Hugo and Pelican")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic content (default 1)")
    parser.add_argument("--workdir", type=Path, help="write the sites here and keep them (default: a temporary folder)")
    parser.add_argument("--memory-limit", type=float, default=8.0, metavar="GB", help="address-space cap of each timeline build, 0 for none (default 8)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"timeline build benchmark: {machine_line()}\n{load_line()}")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="timeline-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return run(args, work)
    except CommandFailed as err:
        print(f"\nBUILD FAILED: {err}")
        return 1
    finally:
        print(f"\nat the end, {load_line()}")
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
