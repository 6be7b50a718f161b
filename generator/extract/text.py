"""An article's text cut into paragraphs and sentences, each with its offsets.

A paragraph is a non-empty line (articles copied from the web put one paragraph on a
line, with or without blank lines between). Sentences end at `.`, `!` or `?` (and any
closing quotes) followed by a space and a capital, except after an abbreviation such
as "St." or "Mr." or an initial.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence, TypeVar

T = TypeVar("T")

_SENTENCE_END = re.compile(r"([.!?]+[\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "capt", "prof", "sen", "rep",
    "gov", "pres", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "no", "vs", "etc", "jr", "sr", "mt", "ft", "approx",
})
_LAST_WORD = re.compile(r"([\w.]+)$")
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–]| - ")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text and where it lies in the article."""

    start: int
    end: int
    paragraph: int
    text: str


def split_sentences(article: str) -> list[Sentence]:
    """Every sentence of the article, in order."""
    sentences: list[Sentence] = []
    for number, (start, end) in enumerate(_paragraph_spans(article)):
        for s_start, s_end in _sentence_spans(article, start, end):
            sentences.append(Sentence(s_start, s_end, number, article[s_start:s_end]))
    return sentences


def sentence_at(sentences: Sequence[Sentence], offset: int) -> Sentence | None:
    """The sentence holding the character at `offset`."""
    return next((s for s in sentences if s.start <= offset < s.end), None)


def clause_before(sentence: Sentence, offset: int) -> str:
    """The sentence's words from the last clause break before `offset` up to it."""
    head = sentence.text[: offset - sentence.start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    return head[breaks[-1].end():] if breaks else head


def clause_after(sentence: Sentence, offset: int) -> str:
    """The sentence's words from `offset` (past any break right there) up to the next break."""
    tail = sentence.text[offset - sentence.start:].lstrip(" ,;:")
    found = _CLAUSE_BREAK.search(tail)
    return tail[: found.start()] if found else tail


def leftmost_longest(items: Iterable[T], span: Callable[[T], tuple[int, int]]) -> list[T]:
    """Overlapping items reduced to the one starting first, the longest of those; in order."""
    chosen: list[T] = []
    last_end = -1
    for item in sorted(items, key=lambda i: (span(i)[0], -span(i)[1])):
        start, end = span(item)
        if start >= last_end:
            chosen.append(item)
            last_end = end
    return chosen


def _paragraph_spans(article: str) -> list[tuple[int, int]]:
    spans = []
    for line in re.finditer(r"[^\n]+", article):
        stripped = line.group().strip()
        if stripped:
            start = line.start() + line.group().index(stripped)
            spans.append((start, start + len(stripped)))
    return spans


def _sentence_spans(article: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    paragraph = article[start:end]
    begin = 0
    for found in _SENTENCE_END.finditer(paragraph):
        if _ends_with_abbreviation(paragraph[begin:found.start()]):
            continue
        spans.append((start + begin, start + found.end(1)))
        begin = found.end()
    if begin < len(paragraph):
        spans.append((start + begin, end))
    return spans


def _ends_with_abbreviation(text: str) -> bool:
    found = _LAST_WORD.search(text)
    if not found:
        return False
    word = found.group(1)
    return word.lower() in _ABBREVIATIONS or bool(re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", word))
