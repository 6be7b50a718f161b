"""How well `timeline extract` dates articles it was not built on: recall and precision.

Three parts, each scored the way issue 19 counts (per document, over distinct dates):

- an expected date is *found* when a draft has the same earliest and latest day, or
  the draft lies inside an expected *window* (a week, a season, a decade, a range, or a
  date the reader marks as approximate: "the end of September", "mid-1996");
- *precision* is the share of drafted dates that match some expected date that way.

Parts:

1. WikiWars (Mazur and Dale 2010, 22 English Wikipedia war narratives annotated with
   TIMEX2 values, CC BY-SA 3.0). Pass the folder of its `keyinline/*.key.xml` files with
   `--wikiwars DIR`; without it, the one document committed in
   bench/extract_data/wikiwars/ is used. The documents' DATETIME is the day they were
   downloaded, not a publication date, so they are read as narratives (no publication
   date: a date without its year takes the year the text last wrote). Expected dates
   are the TIMEX2 values that name a calendar date or window; values before year 1
   (BC...) cannot be written as a date of the content format: extract reads them and
   reports them without drafting, and one is counted found when the value read is the
   expected one (the recall of drafts alone is printed beside it); durations, sets,
   PRESENT_REF and values with unknown digits (XXXX) are not dates and are left out.
2. The five seed articles (`--seeds DIR`): the expected dates are those of the events
   in content/ that cite the article's source, except where the article itself does not
   give that date (bench/extract_data/seed_expectations.yml lists each such case and
   why); the extractor gets the source's date.
3. News-style texts written for this evaluation (bench/extract_data/news/*.yml): a
   publication date, the text, and the dates a careful reader resolves.

Run from the repository's root: `python bench/extract_eval.py [--wikiwars DIR] [--seeds DIR] [-v]`.
It is not part of the test suite.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.check import fold  # noqa: E402
from generator.dates import EDTF, parse  # noqa: E402
from generator.extract import load_known, read_article  # noqa: E402
from generator.extract.temporal import AncientDate, first_day, last_day  # noqa: E402
from generator.model import Event, Source  # noqa: E402
from generator.pipeline import check_site  # noqa: E402

DATA = ROOT / "bench" / "extract_data"
DEFAULT_SEEDS = next((p for p in (ROOT.parent / "shared" / "seeds", ROOT.parent.parent / "shared" / "seeds") if p.is_dir()),
                     ROOT.parent / "shared" / "seeds")


# --- scoring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """A date a reader resolves: its first and last day, and whether it is a window."""

    first: date | None  # None: not representable (before year 1)
    last: date | None
    window: bool
    words: str
    kind: str  # for the report of what is missed
    at: int = -1  # where the words lie in the text, when known
    ancient: AncientDate | None = None  # a date before year 1 (first is None then)


@dataclass(frozen=True)
class Drafted:
    first: date
    last: date
    words: str


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    found_before_year_one: int = 0  # read and reported, not drafted (no content-format date holds them)
    drafted: int = 0
    correct: int = 0
    missed: Counter = field(default_factory=Counter)
    wrong: list = field(default_factory=list)
    missed_examples: dict = field(default_factory=dict)

    def add(self, other: "Score") -> None:
        self.expected += other.expected
        self.found += other.found
        self.found_before_year_one += other.found_before_year_one
        self.drafted += other.drafted
        self.correct += other.correct
        self.missed.update(other.missed)
        self.wrong += other.wrong
        for kind, examples in other.missed_examples.items():
            self.missed_examples.setdefault(kind, []).extend(examples)


def matches(drafted: Drafted, expected: Expected) -> bool:
    if expected.first is None:
        return False
    if (drafted.first, drafted.last) == (expected.first, expected.last):
        return True
    return expected.window and expected.first <= drafted.first and drafted.last <= expected.last


def reads_before_year_one(read: AncientDate, expected: Expected) -> bool:
    wanted = expected.ancient
    if wanted is None:
        return False
    if read == wanted:
        return True
    return expected.window and wanted.month is None and wanted.first >= read.first and read.last >= wanted.last


def score(expected: list[Expected], drafted: list[Drafted], ancient: list[AncientDate] = ()) -> Score:
    expected = list({(e.first, e.last, e.window, e.ancient or ""): e for e in expected}.values())
    drafted = list({(d.first, d.last): d for d in drafted}.values())
    result = Score(expected=len(expected), drafted=len(drafted))
    for wanted in expected:
        if any(matches(d, wanted) for d in drafted):
            result.found += 1
        elif any(reads_before_year_one(a, wanted) for a in ancient):
            result.found += 1
            result.found_before_year_one += 1
        else:
            result.missed[wanted.kind] += 1
            result.missed_examples.setdefault(wanted.kind, []).append(wanted.words)
    for draft in drafted:
        if any(matches(draft, wanted) for wanted in expected):
            result.correct += 1
        else:
            result.wrong.append(draft.words)
    return result


def drafts_of(text: str, published: EDTF | None, actors) -> tuple[list[Drafted], list[AncientDate]]:
    """The dates drafted, and the dates before year 1 read (reported, not drafted)."""
    reading = read_article(text, published, actors)
    drafted = [Drafted(first_day(h.date), last_day(h.date), h.expression.words) for h in reading.happenings]
    return drafted, [e.before_year_one for e in reading.expressions if e.before_year_one is not None]


def ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.3f}" if whole else "n/a"


def report(name: str, result: Score, verbose: bool) -> None:
    print(f"{name}: recall {ratio(result.found, result.expected)}, precision {ratio(result.correct, result.drafted)}")
    if result.found_before_year_one:
        print(f"  of the dates found, {result.found_before_year_one} are before year 1: read and reported, not drafted; "
              f"recall of drafts alone {ratio(result.found - result.found_before_year_one, result.expected)}")
    if result.missed:
        print("  expected dates not found, by kind: " + ", ".join(f"{k} {n}" for k, n in result.missed.most_common()))
    if verbose:
        for kind, examples in sorted(result.missed_examples.items()):
            print(f"    missed {kind}: " + "; ".join(repr(e) for e in examples[:25]))
        print("    drafts matching nothing: " + "; ".join(repr(w) for w in result.wrong[:60]))


# --- WikiWars -------------------------------------------------------------------------------

BEFORE_YEAR_ONE = "BC (before year 1: no content-format date)"
_TAG = re.compile(r"<TIMEX2\b([^>]*)>|</TIMEX2>")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def read_wikiwars(path: Path, join_ranges: bool = True) -> tuple[str, list[Expected]]:
    """The plain text of a keyinline document and the dates its TIMEX2 values name."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    body = raw[raw.index("<TEXT>") + len("<TEXT>"): raw.index("</TEXT>")].replace("&amp;", "&")
    plain: list[str] = []
    length, cursor = 0, 0
    stack: list[tuple[dict, int]] = []
    annotations: list[tuple[dict, str]] = []
    for tag in _TAG.finditer(body):
        piece = body[cursor:tag.start()]
        plain.append(piece)
        length += len(piece)
        cursor = tag.end()
        if tag.group(1) is not None:
            stack.append((dict((k.lower(), v) for k, v in _ATTRIBUTE.findall(tag.group(1))), length))
        elif stack:
            attributes, start = stack.pop()
            annotations.append((attributes, start, length))
    plain.append(body[cursor:])
    text = "".join(plain)
    dated = sorted((start, end, replace(e, at=start)) for attributes, start, end in annotations
                   if (e := expected_date(attributes, text[start:end])) is not None)
    return text, joined_ranges(text, dated) if join_ranges else [e for _, _, e in dated]


_RANGE_JOIN = re.compile(r"\s*(?:[-–—]|to|until|till|through|and)\s*")


def joined_ranges(text: str, dated: list[tuple[int, int, Expected]]) -> list[Expected]:
    """Two annotated dates joined as a range ("1915-17", "from July to September") as one window.

    TIMEX2 marks each end of a range on its own; a reader (and issue 19) reads the range
    as one interval, so its ends are joined here into the interval they bound.
    """
    joined: list[Expected] = []
    index = 0
    while index < len(dated):
        start, end, first = dated[index]
        if index + 1 < len(dated):
            next_start, _, second = dated[index + 1]
            between = text[end:next_start]
            is_and = between.strip() == "and"
            opens = text[max(0, start - 8):start].lower().rstrip().endswith("between") if is_and else True
            if (_RANGE_JOIN.fullmatch(between) and opens and first.first and second.first
                    and first.first <= second.last and first.kind != "season"):
                joined.append(Expected(first.first, second.last, False, f"{first.words} … {second.words}", "range", start))
                index += 2
                continue
            if (_RANGE_JOIN.fullmatch(between) and opens and first.ancient and second.ancient
                    and first.ancient.first > second.ancient.first and not (first.ancient.month or second.ancient.month)):
                joined.append(replace(first, words=f"{first.words} … {second.words}",
                                      ancient=AncientDate(first.ancient.first, second.ancient.first)))
                index += 2
                continue
        joined.append(first)
        index += 1
    return joined


def expected_date(attributes: dict, words: str) -> Expected | None:
    """The window a TIMEX2 value names, or None when it is no calendar date."""
    value = attributes.get("val", "")
    windowed = bool(attributes.get("mod"))
    if value.startswith("BC"):
        if found := re.fullmatch(r"BC(\d{3})", value):  # a decade: BC047 is the 470s BC
            decade = int(found[1]) * 10
            return Expected(None, None, True, words, BEFORE_YEAR_ONE, ancient=AncientDate(decade + 9, decade))
        if not (found := re.fullmatch(r"BC(\d{4})(?:-(\d\d))?(?:-\d\d)?", value)):
            return None
        year, month = int(found[1]), int(found[2]) if found[2] else None
        return Expected(None, None, windowed, words, BEFORE_YEAR_ONE, ancient=AncientDate(year, year, month))
    if found := re.fullmatch(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:T.*)?", value):
        year, month, day = (int(g) if g else None for g in found.groups())
        first = date(year, month or 1, day or 1)
        last = date(year, month or 12, day or 1) if day else _month_end(year, month or 12)
        kind = "day" if day else "month" if month else "year"
        return Expected(first, last, windowed, words, kind)
    if found := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
        year, (start, end) = int(found[1]), _SEASONS[found[2]]
        first = date(year, start, 1)
        last = _month_end(year + (end > 12), (end - 1) % 12 + 1)
        return Expected(first, last, True, words, "season")
    if found := re.fullmatch(r"(\d{4})-W(\d\d)", value):
        first = date.fromisocalendar(int(found[1]), int(found[2]), 1)
        return Expected(first, first + timedelta(days=6), True, words, "week")
    if found := re.fullmatch(r"(\d{4})-Q(\d)", value):
        year, quarter = int(found[1]), int(found[2])
        return Expected(date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), True, words, "quarter")
    if found := re.fullmatch(r"(\d{3})", value):
        start = int(found[1]) * 10
        return Expected(date(start, 1, 1), date(start + 9, 12, 31), True, words, "decade")
    if found := re.fullmatch(r"(\d\d)", value):
        start = max(1, int(found[1]) * 100)
        return Expected(date(start, 1, 1), date(start + 99, 12, 31), True, words, "century")
    return None


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))


def wikiwars(folder: Path, verbose: bool, join_ranges: bool = True) -> Score:
    total = Score()
    for path in sorted(folder.glob("*.key.xml")):
        text, expected = read_wikiwars(path, join_ranges)
        result = score(expected, *drafts_of(text, None, {}))
        if verbose:
            print(f"  {path.name}: recall {ratio(result.found, result.expected)}, "
                  f"precision {ratio(result.correct, result.drafted)}")
        total.add(result)
    return total


# --- the seed articles ------------------------------------------------------------------------


def pair_articles(seeds: list[Path], sources: dict[str, Source]) -> list[tuple[Path, Source]]:
    """Each seed with the source whose title it contains; the one left over with the last."""
    pairs, left, unmatched = [], dict(sources), []
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


def seeds(folder: Path, verbose: bool) -> Score:
    timeline = check_site(ROOT).timeline
    if timeline is None:
        raise SystemExit("content/ has errors: run `python -m generator check` first")
    actors, events = load_known(ROOT)
    judged = _seed_judgements()
    total = Score()
    for seed, source in pair_articles(sorted(folder.glob("*.txt")), timeline.sources):
        cited = [e for e in events if not e.draft and any(c.source == source.id for c in e.sources)]
        expected = [x for e in cited if (x := _expected_event(e, judged.get((e.id, source.id), ""))) is not None]
        result = score(expected, *drafts_of(seed.read_text(encoding="utf-8"), source.published, actors))
        if verbose:
            print(f"  {seed.name}: recall {ratio(result.found, result.expected)}, "
                  f"precision {ratio(result.correct, result.drafted)}")
        total.add(result)
    return total


def _seed_judgements() -> dict[tuple[str, str], str]:
    """(event id, source id) → what the article itself dates it as ("none": nothing)."""
    entries = yaml.safe_load((DATA / "seed_expectations.yml").read_text(encoding="utf-8"))
    return {(entry["event"], entry["source"]): str(entry["expect"]) for entry in entries}


def _expected_event(event: Event, judged: str) -> Expected | None:
    """The event's date, or the one the article gives when a reader judged it otherwise."""
    if judged == "none":
        return None
    value = parse(judged) if judged else event.date
    return Expected(first_day(value), last_day(value), value.is_interval or value.approximate, event.title,
                    "event date")


# --- news-style texts written for the evaluation ------------------------------------------------


def news(folder: Path, verbose: bool) -> Score:
    total = Score()
    for path in sorted(folder.glob("*.yml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        published = parse(str(case["published"])) if case.get("published") else None
        expected = []
        for item in case["expected"]:
            value = parse(str(item["date"]))
            expected.append(Expected(first_day(value), last_day(value), bool(item.get("window")),
                                     item.get("words", item["date"]), item.get("kind", "news")))
        result = score(expected, *drafts_of(case["text"], published, {}))
        if verbose:
            print(f"  {path.name}: recall {ratio(result.found, result.expected)}, "
                  f"precision {ratio(result.correct, result.drafted)}")
        total.add(result)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wikiwars", type=Path, default=DATA / "wikiwars", help="folder of WikiWars keyinline/*.key.xml")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("-v", "--verbose", action="store_true", help="per document, and what is missed")
    args = parser.parse_args()
    parts = [("WikiWars", wikiwars(args.wikiwars, args.verbose)),
             ("WikiWars, each end of a range scored on its own", wikiwars(args.wikiwars, False, join_ranges=False))]
    if args.seeds.is_dir():
        parts.append(("Seed articles", seeds(args.seeds, args.verbose)))
    parts.append(("News-style texts", news(DATA / "news", args.verbose)))
    for name, result in parts:
        report(name, result, args.verbose)
    wiki = parts[0][1]
    before_year_one = wiki.missed.get(BEFORE_YEAR_ONE, 0) + wiki.found_before_year_one
    if before_year_one:
        found = wiki.found - wiki.found_before_year_one
        print(f"WikiWars without the {before_year_one} BC dates: recall {ratio(found, wiki.expected - before_year_one)}")


if __name__ == "__main__":
    main()
