"""What full-text search costs on a large synthetic site (10,000 events by default).

    python bench/search_bench.py [--events 10000] [--runs 3] [--query WORD ...]

Writes the site of bench/synth.py into a temporary folder and builds it once. Then:

- index time: `generator.search.search_files` on the built event pages (read back
  from the output), `--runs` times, median and every run;
- index size: the files and bytes of pagefind/, by kind (fragments, index chunks,
  filter chunks, the rest: pagefind.js, its worker, WebAssembly, metadata);
- first query: the output is served over http on 127.0.0.1 and opened in Debian's
  Chromium (Playwright); for each query, in a fresh browser context (empty cache), on
  an event page, the bytes of every response under pagefind/ are summed
  (Playwright's `page.on("response")`) at three moments: the page loaded, the box
  focused with "/" (the index initialised and the facets loaded), and the results
  shown (the query's index chunks and the fragments of the first ten results), with
  the time from the last key to the results. The default queries are a word of
  nearly every synthetic summary and a city named in a few events;
- filters: on the home page (every event), the time to apply a filter to one actor.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from statistics import median
from typing import Iterator, Sequence

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(BENCH)]

import synth  # noqa: E402
from generator.build import build_site  # noqa: E402
from generator.search import EVENT_PAGE, search_files  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
KB = 1024
SETTLE_MS = 500  # for the last responses' events to arrive before they are summed


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the search index and a first query on a synthetic site.")
    parser.add_argument("--events", type=int, default=10_000, help="events in the synthetic site (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of the index; the median is reported (default 3)")
    parser.add_argument("--query", action="append", help="a query typed first on a fresh page (default: ceasefire, Astana)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="timeline-search-") as work:
        out = build(Path(work), args.events)
        time_index(out, args.runs)
        print_sizes(out / "pagefind")
        event = min(out.glob("events/*/index.html")).relative_to(out).as_posix()
        with served(out) as url:
            measure_browser(url, event, args.query or ["ceasefire", "Astana"])
    return 0


def build(work: Path, events: int) -> Path:
    """Write a synthetic site of `events` events and build it; its output folder."""
    site, out = work / "site", work / "out"
    synth.write_site(site, events)
    started = time.perf_counter()
    result = build_site(site, overrides={"output": str(out)}, use_cache=False)
    if result.written is None:
        raise SystemExit(f"the build failed: {[str(d) for d in result.report.diagnostics][:5]}")
    print(f"site: {events:,} events, built in {time.perf_counter() - started:.1f} s (search included){_notes(result.notes)}")
    return out


def _notes(notes: tuple[str, ...]) -> str:
    return "".join(f"\n  note: {note}" for note in notes)


def time_index(out: Path, runs: int) -> None:
    """Index the built event pages `runs` times and print the times."""
    pages = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.glob("events/*/index.html"))}
    assert all(EVENT_PAGE.fullmatch(path) for path in pages)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        files, note = search_files(pages)
        seconds.append(time.perf_counter() - started)
        if note:
            raise SystemExit(note)
    html = sum(map(len, pages.values()))
    print(f"index: {len(pages):,} event pages ({html / KB / KB:,.1f} MB of HTML) → {len(files):,} files in "
          f"median {median(seconds):.2f} s (runs: {' '.join(f'{s:.2f}' for s in seconds)} s)")


def print_sizes(folder: Path) -> None:
    """Print the files and bytes of pagefind/, by kind."""
    sizes: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for path in folder.rglob("*"):
        if path.is_file():
            kind = path.parent.name if path.parent != folder else "rest"
            sizes[kind] += path.stat().st_size
            counts[kind] += 1
    total = sum(sizes.values())
    parts = ", ".join(f"{kind} {counts[kind]:,} files {sizes[kind] / KB:,.0f} KB" for kind in sorted(sizes))
    print(f"size of pagefind/: {total / KB / KB:,.2f} MB in {sum(counts.values()):,} files ({parts})")


@contextmanager
def served(folder: Path) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        thread.join()


def measure_browser(url: str, event: str, queries: list[str]) -> None:
    """The first-query measures for each query, then the filters' time, in one Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for query in queries:
                first_query(browser, url, event, query)
            filter_time(browser, url)
        finally:
            browser.close()


def first_query(browser, url: str, event: str, query: str) -> None:
    """Open `event` (a page's path) in a fresh context, search `query`, report the bytes fetched under pagefind/."""
    context = browser.new_context()
    try:
        page = context.new_page()
        received: list[tuple[str, int]] = []
        page.on("response", lambda response: _record(response, url + "pagefind/", received))
        page.goto(url + event)
        loaded = _total(received)
        page.keyboard.press("/")
        page.wait_for_function("document.querySelector('#search-actor') !== null")
        page.wait_for_timeout(SETTLE_MS)
        focused = _total(received)
        page.keyboard.type(query)
        typed = time.perf_counter()
        page.wait_for_function("document.querySelector('.search-status').textContent.includes('found')")
        answered = time.perf_counter() - typed
        page.wait_for_timeout(SETTLE_MS)
        status = page.locator(".search-status").text_content()
        print(f"first query {query!r} on an event page: {status}")
        print(f"  bytes under pagefind/: page loaded {loaded / KB:,.0f} KB; box focused {focused / KB:,.0f} KB; "
              f"results shown {_total(received) / KB:,.0f} KB in {len(received)} responses")
        print(f"  results shown {answered * 1000:,.0f} ms after the last key (250 ms of it is the typing debounce)")
        print(f"  files: {', '.join(sorted({name.split('/pagefind/')[1].split('/')[0] for name, _ in received}))}")
    finally:
        context.close()


def _record(response, prefix: str, received: list[tuple[str, int]]) -> None:
    if response.url.startswith(prefix):
        received.append((response.url, len(response.body())))


def _total(received: list[tuple[str, int]]) -> int:
    return sum(size for _, size in received)


def filter_time(browser, url: str) -> None:
    """How long the home page takes to show one actor's events."""
    page = browser.new_page()
    page.goto(url + "index.html")
    cards = page.locator(".card").count()
    page.locator(".filters summary").click()
    box = page.locator("input[name=actor]").first
    started = time.perf_counter()
    box.check()
    page.wait_for_function("document.querySelector('.filter-status').textContent !== ''")
    elapsed = time.perf_counter() - started
    print(f"filters: one actor on the home page ({cards:,} cards): {page.locator('.filter-status').text_content()} "
          f"in {elapsed * 1000:,.0f} ms")
    page.close()


if __name__ == "__main__":
    sys.exit(main())
