"""Draft events and a source file made from an article, for a person to review.

A sentence carrying a resolved date opens a group, which the few undated sentences
after it join; each distinct date of the group is one happening and
one draft event. A happening that `content/` already has (an overlapping date window
and a shared actor) is reported instead of drafted twice.

Drafts are written to `content/events/drafts/<id>.yml` by a YAML emitter (never by
pasting text into YAML), with the article's sentences as a commented excerpt, a title
made from the dated sentence and the article's direct quotes; they are marked
`draft: true`, so the checker reports what is missing as warnings. An existing file is
never overwritten (the id takes a numeric suffix instead).
"""
from __future__ import annotations

import bisect
import re
import textwrap
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from generator.dates import EDTF
from generator.extract.actors import Mention, actors_between
from generator.extract.temporal import Expression, first_day, last_day
from generator.load import load_file
from generator.extract.text import Sentence
from generator.model import Event
from generator.schema import MAX_SLUG, slugify

MAX_TITLE = 200
TITLE_WORDS = 16  # a drafted title is cut near this many words, at a clause if one ends there
NO_TITLE = "TODO: the article's title"
SUMMARY_PLACEHOLDER = "TODO: what happened, in your own words (the excerpt above is the article's)."
MAX_FOLLOWERS = 3  # undated sentences joining the dated one before them
SAME_WINDOW_DAYS = 31  # two dates are "the same window" when they overlap and neither is longer
_BOILERPLATE = re.compile(r"(?i)^(?:skip to|all news|menu|home|share|advertisement|top of the page|log ?in|sign ?in)\b")


@dataclass(frozen=True)
class Happening:
    """One dated happening of the article: the expression dating it and its sentences."""

    expression: Expression
    sentences: tuple[Sentence, ...]
    actors: tuple[str, ...]  # actor ids, in the order the sentences name them
    quotes: tuple["DirectQuote", ...] = ()

    @property
    def date(self) -> EDTF:
        assert self.expression.date is not None
        return self.expression.date

    @property
    def dated_sentence(self) -> Sentence:
        """The sentence holding the expression (the group's first)."""
        return self.sentences[0]

    @property
    def excerpt(self) -> str:
        return " ".join(" ".join(s.text.split()) for s in self.sentences)


@dataclass(frozen=True)
class DirectQuote:
    """Words the article quotes, and the actor who said them when the sentence names one."""

    text: str
    by: str | None


_QUOTED = re.compile(r'[“"](?P<text>[^“”"\n]{12,})[”"]')
MIN_QUOTE_WORDS = 4  # shorter quoted words are a phrase ("so-called"), not a statement


def direct_quotes(sentences: Sequence[Sentence], mentions: Sequence[Mention]) -> tuple[DirectQuote, ...]:
    """Each quoted statement of the sentences, said by the actor named nearest outside it."""
    found: list[DirectQuote] = []
    for sentence in sentences:
        for match in _QUOTED.finditer(sentence.text):
            text = " ".join(match["text"].split()).strip(" ,")
            if len(text.split()) < MIN_QUOTE_WORDS:
                continue
            start, end = sentence.start + match.start(), sentence.start + match.end()
            outside = [m for m in mentions if sentence.start <= m.start < sentence.end and not start <= m.start < end]
            nearest = min(outside, key=lambda m: min(abs(m.start - end), abs(start - m.end)), default=None)
            found.append(DirectQuote(text, nearest.actor if nearest else None))
    return tuple(dict.fromkeys(found))


# --- happenings ---------------------------------------------------------------------------


def group_happenings(
    sentences: Sequence[Sentence], expressions: Sequence[Expression], mentions: Sequence[Mention]
) -> list[Happening]:
    """One happening per distinct resolved date of each sentence group, in order.

    A sentence the article repeats (a subtitle, then the first paragraph) counts once.
    The work grows with the article's length (each list is walked once, in order).
    """
    resolved = sorted((e for e in expressions if e.date is not None and not e.passing), key=lambda e: e.start)
    starts = [e.start for e in resolved]
    mention_starts = [m.start for m in mentions]
    happenings: list[Happening] = []
    said_on: dict[str, list[str]] = {}  # date → the dated sentences drafted with it, on one line
    for group in _sentence_groups(sentences, starts):
        opening = group[0]
        near = mentions[bisect.bisect_left(mention_starts, opening.start):bisect.bisect_left(mention_starts, group[-1].end)]
        actors = actors_between(near, opening.start, group[-1].end)
        quotes = direct_quotes(group, near)
        said = _one_line(opening.text)
        first, last = bisect.bisect_left(starts, opening.start), bisect.bisect_left(starts, opening.end)
        for expression in resolved[first:last]:
            earlier = said_on.setdefault(expression.date.edtf, [])
            if any(said.startswith(before) or before.startswith(said) for before in earlier[-RESTATED_WITHIN:]):
                continue
            earlier.append(said)
            happenings.append(Happening(expression, tuple(group), actors, quotes))
    return happenings


RESTATED_WITHIN = 20  # a restated sentence is looked for among the last drafts of its date only


def _sentence_groups(sentences: Sequence[Sentence], starts: Sequence[int]) -> list[list[Sentence]]:
    """A dated sentence and the few undated ones after it (often what was said then)."""
    groups: list[list[Sentence]] = []
    for sentence in sentences:
        index = bisect.bisect_left(starts, sentence.start)
        if index < len(starts) and starts[index] < sentence.end:
            groups.append([sentence])
        elif groups and len(groups[-1]) <= MAX_FOLLOWERS:
            groups[-1].append(sentence)
    return groups


def overlaps(a: EDTF, b: EDTF) -> bool:
    return first_day(a) <= last_day(b) and first_day(b) <= last_day(a)


def same_window(a: EDTF, b: EDTF) -> bool:
    """Whether two dates overlap and neither spans more than a month (or they are equal)."""
    if a.edtf == b.edtf:
        return True
    return overlaps(a, b) and max(_length(a), _length(b)) <= timedelta(days=SAME_WINDOW_DAYS)


def _length(value: EDTF) -> timedelta:
    return last_day(value) - first_day(value)


def probably_existing(happening: Happening, events: Iterable[Event]) -> Event | None:
    """The known event most like the happening: same date window, most actors shared."""
    def shared(event: Event) -> int:
        return len(set(event.actors) & set(happening.actors))

    def distance(event: Event) -> int:
        return abs((first_day(event.date) - first_day(happening.date)).days)

    alike = [e for e in events if shared(e) and same_window(e.date, happening.date)]
    return max(alike, key=lambda e: (shared(e), -distance(e)), default=None)


# --- the files' text ------------------------------------------------------------------------


def draft_title(happening: Happening) -> str:
    """A title from the dated sentence: its date words, dateline and attribution taken out.

    "March 12: Workers open a vent at reactor 1, the operator said." becomes "Workers
    open a vent at reactor 1"; the title is cut at a clause or word near 16 words.
    """
    sentence = happening.dated_sentence
    expression = happening.expression
    text = sentence.text
    if sentence.start <= expression.start and expression.end <= sentence.end:
        before, after = text[: expression.start - sentence.start], text[expression.end - sentence.start:]
        text = _DATE_LEAD.sub("", before) + " " + after
    text = re.sub(r"\s+([,;:.!?])", r"\1", _one_line(text))
    for pattern in (_LEADING_LABEL, _LEADING_PUNCTUATION, _ATTRIBUTION, _TRAILING_PUNCTUATION):
        text = pattern.sub("", text).strip()
    text = _shortened(text or _one_line(sentence.text))
    return text[:1].upper() + text[1:]


_DATE_LEAD = re.compile(r"(?i)\b(?:on|in|at|by|during|from|since|until|as\s+of)\s*$")
_LEADING_LABEL = re.compile(r"^(?:[A-Z][A-Za-z.'’ -]{1,40}\([^)]*\)\s*[-–—:]?\s*|[A-Z]{2}[A-Z .'’-]*,?\s*[-–—:]\s*)")
_LEADING_PUNCTUATION = re.compile(r"^[\s,:;.–—-]+")
_TRAILING_PUNCTUATION = re.compile(r"[\s,:;–—-]+$")
_ATTRIBUTION = re.compile(
    r"(?i),?\s+(?:(?:the\s+)?[\w'’ -]{1,40}?\s+)?(?:said|says|told\s+[\w ]{1,30}|reported|announced|added|confirmed)"
    r"(?:\s+on\s+\w+)?[\s.]*$")


def _shortened(title: str) -> str:
    """At most about TITLE_WORDS words, cut at a clause when one ends near there."""
    words = title.split()
    if len(words) <= TITLE_WORDS:
        return title if len(title) <= MAX_TITLE else textwrap.shorten(title, MAX_TITLE, placeholder=" …")
    head = " ".join(words[: TITLE_WORDS + 4])
    clause = re.search(r"^(.{40,}?)[,;:—–](?:\s|$)", head)
    cut = clause.group(1) if clause else " ".join(words[:TITLE_WORDS]) + " …"
    return textwrap.shorten(cut, MAX_TITLE, placeholder=" …")


def _one_line(sentence: str) -> str:
    """The sentence on one line, without its full stop."""
    return " ".join(sentence.split()).rstrip(".")


def article_title(article: str) -> str | None:
    """The article's first line when it looks like a title (not menu text, not a paragraph)."""
    for line in article.splitlines():
        words = line.split()
        if len(words) < 3 or _BOILERPLATE.match(line.strip()):
            continue
        return _one_line(line) if len(line.strip()) <= MAX_TITLE else None
    return None


def is_planned(happening: Happening, published: EDTF | None) -> bool:
    """Whether the happening lies wholly after publication: announced, not yet happened."""
    return published is not None and first_day(happening.date) > last_day(published)


def draft_yaml(happening: Happening, source_id: str, article_name: str, planned: bool = False) -> str:
    """A draft event's file: commented excerpt, then the fields, each written by the YAML emitter."""
    fields: list[tuple[list[str], dict]] = [
        ([f"Draft made by `timeline extract` from {article_name}.",
          "Check every field against the article, write the title and the summary in",
          "your own words, then delete `draft: true`.", "", "The article says:",
          *(f"  {line}" for line in textwrap.wrap(happening.excerpt, 76))],
         {"title": draft_title(happening)}),
        ([], {"date": happening.date.edtf}),
        ([], {"date_note": happening.expression.note}),
        (["After the article's publication: announced, not yet happened."] if planned else [], {"status": "planned"} if planned else {}),
        ([] if happening.actors else ["No known actor is named: put at least one actor's id or name here."],
         {"actors": list(happening.actors)}),
        ([], {"sources": [source_id]}),
        *_quote_fields(happening, source_id),
        ([], {"summary": SUMMARY_PLACEHOLDER}),
        ([], {"draft": True}),
    ]
    return "".join(_comment(lines) + (_dumped(values) if values else "") for lines, values in fields)


def _quote_fields(happening: Happening, source_id: str) -> list[tuple[list[str], dict]]:
    """The quotes with a known speaker as `quotes:`, the others as comments to finish by hand."""
    spoken = [{"by": q.by, "text": q.text, "source": source_id} for q in happening.quotes if q.by]
    unattributed = [f"Quoted, speaker not recognised: {q.text}" for q in happening.quotes if not q.by]
    return [(unattributed, {"quotes": spoken} if spoken else {})] if spoken or unattributed else []


def source_yaml(title: str | None, published: EDTF | None, article_name: str) -> str:
    """A source's file: the article's title (or a placeholder) and its publication date."""
    head = _comment([f"Source made by `timeline extract` from {article_name}: check the title,",
                     "then add the publisher, url and author."])
    values = {"title": title or NO_TITLE, **({"published": published.edtf} if published else {})}
    return head + _dumped(values) + ("" if published else _comment(["published: unknown"]))


def _dumped(values: dict) -> str:
    return yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False)


def _comment(lines: list[str]) -> str:
    """Comment lines; any line break or control character inside a line becomes a space."""
    return "".join(f"# {_one_line_text(line)}".rstrip() + "\n" for line in lines)


def _one_line_text(text: str) -> str:
    return "".join(" " if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)


# --- ids and files ------------------------------------------------------------------------


def draft_id(happening: Happening) -> str:
    """The date, then the first words of the title: "2018-05-23-le-drian-told-france-inter"."""
    words = draft_title(happening).split()[:8]
    start = first_day(happening.date).isoformat()
    return slugify(" ".join([start, *words]))


def source_id_for(title: str | None, published: EDTF | None, article_name: str) -> str:
    """A source id from the publication date and the title's first words (or the file's name)."""
    words = (title or "").split()[:6] or [Path(article_name).stem]
    return slugify(" ".join([published.edtf, *words]) if published else " ".join(words)) or "article"


def source_to_cite(folder: Path, title: str | None, published: EDTF | None, article_name: str) -> str:
    """The id for the article's source: an existing source of the same title, or a new id."""
    wanted = source_id_for(title, published, article_name)
    if read_mapping(folder / f"{wanted}.yml").get("title") == (title or NO_TITLE):
        return wanted
    return free_id(wanted, {path.stem for path in folder.glob("*.y*ml")})


def free_id(wanted: str, taken: set[str]) -> str:
    """`wanted`, or it with the first numeric suffix no id in `taken` has."""
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = wanted[: MAX_SLUG - len(suffix)].rstrip("-") + suffix
    return candidate


def read_mapping(path: Path) -> dict:
    """A content file's fields as the site's loader reads them; {} when it cannot."""
    if not path.is_file():
        return {}
    document, _ = load_file(path, path.name)
    return document.data if document is not None else {}


def drafted_before(folder: Path) -> dict[tuple[str, str], Path]:
    """The drafts in `folder` by (date, title), to tell what an earlier run wrote."""
    drafts = {path: read_mapping(path) for path in sorted(folder.glob("*.yml"))}
    return {(str(data.get("date")), str(data.get("title"))): path for path, data in drafts.items() if data}


def draft_key(happening: Happening) -> tuple[str, str]:
    """What `drafted_before` knows a draft of the happening by."""
    return happening.date.edtf, draft_title(happening)


def write_new(folder: Path, wanted: str, text: str, taken: set[str]) -> Path:
    """Write `text` to a new file `folder/<id>.yml`, never over an existing one."""
    folder.mkdir(parents=True, exist_ok=True)
    taken = taken | {p.stem for p in folder.glob("*.y*ml")}
    while True:
        stem = free_id(wanted, taken)
        path = folder / f"{stem}.yml"
        try:
            with path.open("x", encoding="utf-8") as file:
                file.write(text)
            return path
        except FileExistsError:
            taken.add(stem)
