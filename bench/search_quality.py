"""How the search index's results compare: shards merged against one index, records against HTML.

    python bench/search_quality.py [--events 10000] [--query WORD ...]

Writes the synthetic site of bench/synth.py and builds it once, then makes three
indexes of its events, each in a fresh `pagefind --service`:

- one: the event pages' HTML, as the build sends them (cut to what Pagefind reads),
  in a single index;
- shards: the same pages in the build's shards (`generator.search.split_pages`),
  merged in the browser with `mergeIndex` as the site does;
- records: one record per event made from the model (Pagefind's AddRecord): the text
  of the page's indexed part (title, date, location, actors, tags, summary, quotes,
  sources and their notes, as plain text), its title, date, summary and date key as
  metadata, actor, tag and year as filters, the date as sort key.

It prints the wall time and Pagefind's CPU time (the service's user + sys, from the
kernel) of "one" and "records". In Chromium it then runs each query on the three
and prints how many events each finds, how many of the first ten "shards" and
"records" share with "one" (and at the same place), and the first result's excerpt
of "one" and "records".
"""
from __future__ import annotations

import argparse
import base64
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

from markupsafe import Markup

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(BENCH)]

import synth  # noqa: E402
from generator import search  # noqa: E402
from generator.build import build_site  # noqa: E402
from generator.markup import Markdown  # noqa: E402
from generator.model import Event, Timeline  # noqa: E402
from generator.pipeline import check_site  # noqa: E402
from generator.views import html_datetime  # noqa: E402
from search_bench import CHROMIUM, CHROMIUM_ARGS, served  # noqa: E402

SEARCH = """async ([folders, query]) => {
  const pagefind = await import(new URL(folders[0] + "pagefind.js", document.baseURI).href);
  await pagefind.options({ excerptLength: 24 });
  await pagefind.init();
  await Promise.all(folders.slice(1).map((folder) => pagefind.mergeIndex(folder, { language: "en" })));
  const search = await pagefind.search(query);
  const first = await Promise.all(search.results.slice(0, 10).map((result) => result.data()));
  return { count: search.results.length, urls: first.map((data) => data.url), excerpt: first.length ? first[0].excerpt : "" };
}"""


def plain(markdown: Markdown, text: str) -> str:
    return Markup(markdown.to_html(text)).striptags() if text else ""


def event_record(timeline: Timeline, event: Event, markdown: Markdown) -> dict:
    """The AddRecord payload of an event: what its page's indexed part says, from the model."""
    actors = [timeline.actors[actor].name for actor in event.actors]
    tags = [tag.label for tag in event.tags]
    summary = plain(markdown, event.summary)
    sources = [f"{timeline.sources[c.source].title} {c.note}" for c in event.sources]
    date = event.date.display()
    content = " ".join([event.title, date, event.location, *actors, *tags, summary,
                        *(plain(markdown, quote.text) for quote in event.quotes), *sources])
    key = html_datetime(event.date)
    return {
        "url": f"/events/{event.id}/index.html", "content": content,
        "meta": {"title": event.title, "date": date, "summary": summary, "order": key},
        "filters": {"actor": actors, "tag": tags, "year": [str(event.date.local_earliest.year)]},
        "sort": {"date": key},
    }


def index(binary: Path, requests: list[dict], language: str) -> tuple[dict[str, bytes], float, float]:
    """Pagefind's files for these AddFile/AddRecord requests, the wall time and the service's CPU time."""
    before = os.times()
    started = time.perf_counter()
    with search.Service(binary) as service:
        [created] = service.ask([{"type": "NewIndex", "config": {**search.CONFIG, "force_language": language}}])
        index_id = created["index_id"]
        service.ask([{**request, "index_id": index_id} for request in requests])
        [listing] = service.ask([{"type": "GetFiles", "index_id": index_id}])
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {file["path"]: base64.b64decode(file["content"]) for file in listing["files"]}, wall, cpu


def write_index(folder: Path, files: dict[str, bytes]) -> None:
    for path, data in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def compare(url: str, shards: int, queries: Sequence[str]) -> None:
    from playwright.sync_api import sync_playwright

    indexes = {"one": [f"{url}one/"], "shards": [f"{url}shards/s{n}/" for n in range(shards)], "records": [f"{url}records/"]}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for query in queries:
                found = {}
                for kind, folders in indexes.items():
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(url + "index.html")
                    found[kind] = page.evaluate(SEARCH, [folders, query])
                    context.close()
                one = found["one"]
                print(f"{query!r}: found by one {one['count']}, shards {found['shards']['count']}, records {found['records']['count']}")
                for kind in ("shards", "records"):
                    urls = found[kind]["urls"]
                    print(f"  first ten of {kind}: {len(set(urls) & set(one['urls']))} also in one's, "
                          f"{sum(a == b for a, b in zip(urls, one['urls']))} at the same place")
                print(f"  excerpt of one:     {one['excerpt']}\n  excerpt of records: {found['records']['excerpt']}")
        finally:
            browser.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare one search index with merged shards, and HTML with records.")
    parser.add_argument("--events", type=int, default=10_000, help="events in the synthetic site (default 10000: 8 shards)")
    parser.add_argument("--query", action="append")
    args = parser.parse_args(argv)
    queries = args.query or ["ceasefire", "Astana", "talks", "sanctions", "humanitarian corridor"]
    with tempfile.TemporaryDirectory(prefix="timeline-records-") as work:
        site, out = Path(work) / "site", Path(work) / "out"
        synth.write_site(site, args.events)
        build_site(site, overrides={"output": str(out)}, use_cache=False)
        timeline = check_site(site).timeline
        assert timeline is not None
        binary = search.pagefind_binary()
        pages = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.glob("events/*/index.html"))}
        language = search.page_language(next(iter(pages.values())))
        files = [{"type": "AddFile", "url": "/" + path, "file_path": path, "file_contents": search.indexed_part(html).decode()}
                 for path, html in pages.items()]
        markdown = Markdown()
        made = time.perf_counter()
        records = [{"type": "AddRecord", "language": language, **event_record(timeline, event, markdown)} for event in timeline.events]
        made = time.perf_counter() - made
        one_files, one_wall, one_cpu = index(binary, files, language)
        record_files, record_wall, record_cpu = index(binary, records, language)
        print(f"{len(pages):,} events, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
        print(f"HTML:    {one_wall:.2f} s, Pagefind CPU {one_cpu:.2f} s, {sum(map(len, one_files.values())) / 1024:,.0f} KB of index")
        print(f"records: {record_wall:.2f} s, Pagefind CPU {record_cpu:.2f} s, {sum(map(len, record_files.values())) / 1024:,.0f} KB of index"
              f" (+{made:.2f} s to make the records from the model)")
        served_root = Path(work) / "served"
        shutil.copytree(out / "pagefind", served_root / "shards")
        for kind, index_files in (("one", one_files), ("records", record_files)):
            write_index(served_root / kind, index_files)
        (served_root / "index.html").write_text('<!doctype html><html lang="en"><title>x</title></html>')
        shards = len(list((served_root / "shards").glob("s*/")))
        with served(served_root) as url:
            compare(url, shards, queries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
