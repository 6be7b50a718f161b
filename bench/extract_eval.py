"""How well `timeline extract` dates the seed articles, measured against content/.

For each seed article (matched to its source in content/sources/ by the source's
title, the one left over taking the last source), the extractor reads the article
with the source's `published` date; each distinct resolved date is compared with the
dates of the events in content/ that cite that source:

- exact: the same EDTF text;
- strict: the same EDTF text, or overlapping windows at the same precision (an event
  spanning months, such as 2017-02/2018-02, matches any month inside it);
- loose: overlapping windows at any precision.

Precision = correct extracted dates / extracted dates; recall = events citing the
article whose date was found / events citing it. Then the extractor is run for real
into a temporary copy of the site without its events, `draft: true` is removed from
every draft, and `python -m generator check` reports what it thinks of them.

Run from the repository's root: `python bench/extract_eval.py [--seeds DIR]`.
"""
from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.check import fold  # noqa: E402
from generator.dates import EDTF  # noqa: E402
from generator.extract import load_known, read_article, run_extract  # noqa: E402
from generator.extract.drafts import overlaps  # noqa: E402
from generator.model import Event, Source  # noqa: E402
from generator.pipeline import check_site  # noqa: E402

DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"


RULES = ("exact", "strict", "loose")


@dataclass(frozen=True)
class Score:
    extracted: int
    events: int
    correct: dict[str, int]  # by rule: extracted dates matching an event
    found: dict[str, int]  # by rule: events whose date was extracted


def matches(rule: str, extracted: EDTF, event: EDTF) -> bool:
    if extracted.edtf == event.edtf:
        return True
    same_precision = extracted.precision == event.precision or rule == "loose"
    return rule != "exact" and same_precision and overlaps(extracted, event)


def score(extracted: list[EDTF], events: list[Event]) -> Score:
    dates = [e.date for e in events]
    return Score(
        extracted=len(extracted),
        events=len(events),
        correct={r: sum(any(matches(r, x, d) for d in dates) for x in extracted) for r in RULES},
        found={r: sum(any(matches(r, x, d) for x in extracted) for d in dates) for r in RULES},
    )


def pair_articles(seeds: list[Path], sources: dict[str, Source]) -> list[tuple[Path, Source]]:
    """Each seed with the source whose title it contains; the one left over with the last."""
    pairs, left = [], dict(sources)
    unmatched = []
    for seed in seeds:
        text = fold(seed.read_text(encoding="utf-8"))
        found = next((s for s in left.values() if fold(s.title) in text), None)
        if found is None:
            unmatched.append(seed)
            continue
        pairs.append((seed, left.pop(found.id)))
    if len(unmatched) == 1 and len(left) == 1:
        pairs.append((unmatched[0], next(iter(left.values()))))
    elif unmatched:
        raise SystemExit(f"cannot tell which source these seeds are: {[s.name for s in unmatched]}")
    return sorted(pairs, key=lambda pair: pair[0].name)


def citing(events: tuple[Event, ...], source_id: str) -> list[Event]:
    return [e for e in events if not e.draft and any(c.source == source_id for c in e.sources)]


def ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.2f}" if whole else "n/a"


def measure(pairs: list[tuple[Path, Source]], actors, events) -> None:
    totals = []
    print("Dates: exact = same EDTF; strict = overlapping at the same precision; loose = overlapping\n")
    for seed, source in pairs:
        reading = read_article(seed.read_text(encoding="utf-8"), source.published, actors)
        extracted = list({h.date.edtf: h.date for h in reading.happenings}.values())
        result = score(extracted, citing(events, source.id))
        totals.append(result)
        print(f"{seed.name}  ({source.id}, published {source.published.edtf if source.published else '?'})")
        print(f"  extracted: {', '.join(x.edtf for x in extracted) or '-'}")
        print(f"  unresolved: {', '.join(repr(e.words) for e in reading.unresolved) or '-'}")
        _print_score(result)
    print("overall")
    _print_score(Score(
        sum(s.extracted for s in totals), sum(s.events for s in totals),
        {r: sum(s.correct[r] for s in totals) for r in RULES}, {r: sum(s.found[r] for s in totals) for r in RULES},
    ))


def _print_score(s: Score) -> None:
    print("  precision " + ", ".join(f"{r} {ratio(s.correct[r], s.extracted)}" for r in RULES))
    print("  recall    " + ", ".join(f"{r} {ratio(s.found[r], s.events)}" for r in RULES) + "\n")


def check_drafts(pairs: list[tuple[Path, Source]]) -> None:
    """Extract every seed into a copy of the site without events; check the drafts undrafted."""
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        shutil.copytree(ROOT / "content", site / "content", ignore=shutil.ignore_patterns("events"))
        shutil.copy(ROOT / "site.yml", site / "site.yml")
        (site / "content" / "events").mkdir()
        for seed, source in pairs:
            published = source.published.edtf if source.published else None
            run_extract(seed, site_root=site, published=published, source_id=source.id, out=io.StringIO())
        drafts = sorted((site / "content" / "events" / "drafts").glob("*.yml"))
        for draft in drafts:
            draft.write_text(re.sub(r"(?m)^draft: true\n", "", draft.read_text(encoding="utf-8")), encoding="utf-8")
        checked = subprocess.run([sys.executable, "-m", "generator", "check", "--site", str(site)],
                                 capture_output=True, text=True, cwd=ROOT)
        lines = (checked.stdout + checked.stderr).splitlines()
        errors = [line for line in lines if ": error: " in line]
        todo = [line for line in errors if "TODO-name-an-actor" in line]
        print(f"Drafts written: {len(drafts)}; `generator check` exit {checked.returncode}: "
              f"{len(errors)} errors ({len(todo)} of them the TODO actor placeholder), "
              f"{sum(': warning: ' in line for line in lines)} warnings")
        for line in [*[e for e in errors if e not in todo], *[l for l in lines if ": warning: " in l]]:
            print("  " + line.split("content/", 1)[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    args = parser.parse_args()
    timeline = check_site(ROOT).timeline
    if timeline is None:
        raise SystemExit("content/ has errors: run `python -m generator check` first")
    actors, events = load_known(ROOT)
    pairs = pair_articles(sorted(args.seeds.glob("*.txt")), timeline.sources)
    measure(pairs, actors, events)
    check_drafts(pairs)


if __name__ == "__main__":
    main()
