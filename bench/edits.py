"""One-event edits on a synthetic site: how long each rebuild takes and what it rewrites.

    python bench/edits.py --events 10000 [--cache-edits 50] [--workdir DIR]

Writes a synthetic site (bench/synth.py), builds it cold, builds it again with
nothing changed, then edits one event's summary, its title, and its date (same
year), twice over, building after each with `--no-search` as a child process
(the first edit after a cold build also fills the spare folder the writer swaps
with, once); prints each build's wall and CPU time, the files
whose modification time changed, and `.timeline-cache/`'s size after the first build
and after `--cache-edits` more edits (summaries and titles in turn). The last build is
compared byte for byte with a cold build of the same content.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402


def build(site: Path, output: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one `timeline build --no-search` (CPU: the build and its workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    command = [sys.executable, "-m", "generator", "build", "--site", str(site), "--no-search", "-q"]
    if output:
        command += ["--output", str(output)]
    # As from an installed copy, whose modules are compiled once: a machine that sets
    # PYTHONDONTWRITEBYTECODE would otherwise compile every module at every build.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, cwd=HERE.parent, check=True, stderr=subprocess.DEVNULL, env=environment)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def cache_size(site: Path) -> int:
    return sum(p.stat().st_size for p in (site / ".timeline-cache").rglob("*") if p.is_file())


def edit(event: Path, what: str, number: int) -> None:
    text = event.read_text(encoding="utf-8")
    if what == "summary":
        text = re.sub(r"(summary: \|\n  )", rf"\g<1>Edit {number}. ", text, count=1)
    elif what == "title":
        text = re.sub(r'^title: "?(Edit \d+: )?', f'title: "Edit {number}: ', text, count=1, flags=re.M)  # one prefix, replaced
        text = re.sub(r'^(title: "Edit \d+: .*?)"?$', r'\1"', text, count=1, flags=re.M)
    else:  # the date, within its year
        text = re.sub(r'^date: "?(\d{4})[^"\n]*"?$', rf'date: "\g<1>-0{1 + number % 9}-1{number % 9}"', text, count=1, flags=re.M)
    event.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--cache-edits", type=int, default=50)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="timeline-edits-"))
    site = work / "site"
    if not site.exists():
        synth.write_site(site, args.events, 1)
    print(f"{args.events} events, {os.cpu_count()} cores, load average {os.getloadavg()}")
    for folder in ("_site", ".timeline-cache", "._site.spare"):
        shutil.rmtree(site / folder, ignore_errors=True)
    wall, cpu = build(site)
    print(f"cold build: {wall:.2f} s wall, {cpu:.2f} s CPU")
    after_one = cache_size(site)
    event = sorted((site / "content/events").rglob("*.yml"))[len(list((site / "content/events").rglob("*.yml"))) // 2]
    wall, cpu = build(site)
    print(f"no change: {wall:.2f} s wall, {cpu:.2f} s CPU")
    # The first edit after a cold build also links the whole site into the spare folder
    # the next swap needs (once); the second round shows edits as an author sees them.
    for number, what in enumerate(("summary", "title", "date") * 2):
        before = mtimes(site / "_site")
        edit(event, what, number)
        wall, cpu = build(site)
        after = mtimes(site / "_site")
        rewritten = sorted(p for p in after if before.get(p) != after[p])
        label = f"{what} edit{'' if number < 3 else ' again'}"
        print(f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU, {len(rewritten)} files rewritten: {', '.join(rewritten[:8])}")
    for number in range(args.cache_edits):
        edit(event, ("summary", "title")[number % 2], 100 + number)
        build(site)
    print(f".timeline-cache/: {after_one:,} bytes after one build, {cache_size(site):,} after {args.cache_edits} more edits")
    cold = work / "cold"
    build(site, cold)
    same = mtimes(cold).keys() == mtimes(site / "_site").keys() and all(
        (cold / p).read_bytes() == (site / "_site" / p).read_bytes() for p in mtimes(cold)
    )
    print(f"identical to a cold build: {same}; load average {os.getloadavg()}")
    if not args.workdir:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
