"""Draft events and a source file made from an article, for a person to review.

A sentence carrying a resolved date opens a group, which the few undated sentences
after it join; each distinct date of the group is one happening and
one draft event. A happening that `content/` already has (an overlapping date window
and a shared actor) is reported instead of drafted twice.

Drafts are YAML text written to `content/events/drafts/<id>.yml` with the article's
sentences as a commented excerpt; an existing file is never overwritten (the id takes
a numeric suffix instead).
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from generator.dates import EDTF
from generator.extract.actors import Mention, actors_between
from generator.extract.temporal import Expression, first_day
from generator.load import load_file
from generator.extract.text import Sentence
from generator.model import Event
from generator.schema import MAX_SLUG, slugify

MAX_TITLE = 200
NO_ACTOR = "TODO-name-an-actor"  # resolves to no actor: `timeline check` reports it
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


# --- happenings ---------------------------------------------------------------------------


def group_happenings(
    sentences: Sequence[Sentence], expressions: Sequence[Expression], mentions: Sequence[Mention]
) -> list[Happening]:
    """One happening per distinct resolved date of each sentence group, in order.

    A sentence the article repeats (a subtitle, then the first paragraph) counts once.
    """
    resolved = [e for e in expressions if e.date is not None]
    happenings: list[Happening] = []
    for group in _sentence_groups(sentences, resolved):
        opening = group[0]
        actors = actors_between(mentions, opening.start, group[-1].end)
        for expression in (e for e in resolved if opening.start <= e.start < opening.end):
            happening = Happening(expression, tuple(group), actors)
            if not any(_repeats(happening, earlier) for earlier in happenings):
                happenings.append(happening)
    return happenings


def _repeats(later: Happening, earlier: Happening) -> bool:
    """Whether `later` restates `earlier`: same date, one dated sentence beginning the other."""
    said, said_before = _one_line(later.dated_sentence.text), _one_line(earlier.dated_sentence.text)
    return later.date == earlier.date and (said.startswith(said_before) or said_before.startswith(said))


def _sentence_groups(sentences: Sequence[Sentence], resolved: Sequence[Expression]) -> list[list[Sentence]]:
    """A dated sentence and the few undated ones after it (often what was said then)."""
    groups: list[list[Sentence]] = []
    for sentence in sentences:
        if any(sentence.start <= e.start < sentence.end for e in resolved):
            groups.append([sentence])
        elif groups and len(groups[-1]) <= MAX_FOLLOWERS:
            groups[-1].append(sentence)
    return groups


def overlaps(a: EDTF, b: EDTF) -> bool:
    return a.earliest <= b.latest and b.earliest <= a.latest


def same_window(a: EDTF, b: EDTF) -> bool:
    """Whether two dates overlap and neither spans more than a month (or they are equal)."""
    if a.edtf == b.edtf:
        return True
    return overlaps(a, b) and max(_length(a), _length(b)) <= timedelta(days=SAME_WINDOW_DAYS)


def _length(value: EDTF) -> timedelta:
    return value.latest - value.earliest


def probably_existing(happening: Happening, events: Iterable[Event]) -> Event | None:
    """The known event most like the happening: same date window, most actors shared."""
    def shared(event: Event) -> int:
        return len(set(event.actors) & set(happening.actors))

    def distance(event: Event) -> int:
        return abs((event.date.earliest - happening.date.earliest).days)

    alike = [e for e in events if shared(e) and same_window(e.date, happening.date)]
    return max(alike, key=lambda e: (shared(e), -distance(e)), default=None)


# --- the files' text ------------------------------------------------------------------------


def draft_title(happening: Happening) -> str:
    """A placeholder title: the dated sentence, cut at a word to fit in 200 characters."""
    title = _one_line(happening.dated_sentence.text)
    return title if len(title) <= MAX_TITLE else textwrap.shorten(title, MAX_TITLE, placeholder=" …")


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
    return published is not None and happening.date.earliest > published.latest


def draft_yaml(happening: Happening, source_id: str, article_name: str, planned: bool = False) -> str:
    """A draft event's file: commented excerpt, then the fields of the content format."""
    actors = happening.actors or (NO_ACTOR,)
    lines = [
        f"# Draft made by `timeline extract` from {article_name}.",
        "# Check every field against the article, write the title and the summary in",
        "# your own words, then delete `draft: true`.",
        "#",
        "# The article says:",
        *(f"#   {line}" for line in textwrap.wrap(happening.excerpt, 76)),
        f"title: {_scalar(draft_title(happening))}",
        f"date: {_scalar(happening.date.edtf)}",
        f"date_note: {_scalar(happening.expression.note)}",
        *(["status: planned  # after the article's publication"] if planned else []),
        *([] if happening.actors else ["# No known actor is named: put at least one actor's id or name here."]),
        f"actors: [{', '.join(_scalar(a) for a in actors)}]",
        f"sources: [{_scalar(source_id)}]",
        "summary: |",
        f"  {SUMMARY_PLACEHOLDER}",
        "draft: true",
    ]
    return "\n".join(lines) + "\n"


def source_yaml(title: str | None, published: EDTF | None, article_name: str) -> str:
    """A source's file: the article's title (or a placeholder) and its publication date."""
    lines = [
        f"# Source made by `timeline extract` from {article_name}: check the title,",
        "# then add the publisher, url and author.",
        f"title: {_scalar(title or NO_TITLE)}",
        *([f"published: {_scalar(published.edtf)}"] if published else ["# published: unknown"]),
    ]
    return "\n".join(lines) + "\n"


def _scalar(value: str) -> str:
    """`value` as one YAML scalar, quoted only when it must be."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


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
