"""The site's actors named in an article, and the names that match none of them.

Names and aliases are compared the way the checker compares them (`check.fold`:
accents and case folded, curly apostrophes made straight), on word boundaries, so
"Turkey's" and "Le Drian’s" name Turkey and Le Drian. An all-capital alias ("US",
"UN") must appear in capitals, so that "us" is not the United States.

Capitalised runs of words that name no actor ("Foreign Minister Mevlut Cavusoglu")
are offered as suggestions for new actor files, titles dropped ("Mevlut Cavusoglu");
months, weekdays and the common word that opens a sentence are not names.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from generator.check import fold
from generator.dates import MONTH_NAMES, WEEKDAY_NAMES
from generator.extract.text import Sentence, leftmost_longest
from generator.model import Actor


@dataclass(frozen=True)
class Mention:
    """An actor named in the article."""

    actor: str  # actor id
    words: str
    start: int
    end: int


# --- the site's actors ----------------------------------------------------------------


def find_actors(article: str, actors: Mapping[str, Actor]) -> list[Mention]:
    """Every mention of a known actor, in order; of overlapping names the longest."""
    folded, origin = _folded_with_offsets(article)
    mentions = [
        Mention(actor_id, article[start:end], start, end)
        for name, actor_id in _unambiguous_names(actors).items()
        for start, end in _occurrences(name, article, folded, origin)
    ]
    return leftmost_longest(mentions, lambda m: (m.start, m.end))


def actors_between(mentions: Iterable[Mention], start: int, end: int) -> tuple[str, ...]:
    """The ids of the actors mentioned between two offsets, each once, in order."""
    return tuple(dict.fromkeys(m.actor for m in mentions if start <= m.start < end))


def _unambiguous_names(actors: Mapping[str, Actor]) -> dict[str, str]:
    """Each name or alias that belongs to one actor only → that actor's id."""
    owners: dict[str, set[str]] = {}
    spelling: dict[str, str] = {}
    for actor in actors.values():
        for name in (actor.name, *actor.aliases):
            key = name if _is_acronym(name) else fold(name)
            if key:
                owners.setdefault(key, set()).add(actor.id)
                spelling[key] = name
    return {spelling[key]: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1}


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


_NAME_END = r"(?!\w|-\w)"  # "France-Presse" does not name France


def _occurrences(name: str, article: str, folded: str, origin: list[int]) -> list[tuple[int, int]]:
    """Where `name` stands as whole words: in capitals for an acronym, else folded."""
    if _is_acronym(name):
        return [m.span() for m in re.finditer(rf"(?<!\w){re.escape(name)}{_NAME_END}", article)]
    pattern = re.compile(rf"(?<!\w){re.escape(fold(name))}{_NAME_END}")
    return [(origin[m.start()], origin[m.end() - 1] + 1) for m in pattern.finditer(folded)]


def _folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """The text folded character by character, and each folded character's offset in it."""
    pieces: list[str] = []
    origin: list[int] = []
    for offset, char in enumerate(text):
        piece = " " if char.isspace() else fold(char)
        pieces.append(piece)
        origin.extend([offset] * len(piece))
    return "".join(pieces), origin


# --- names that are no actor yet ------------------------------------------------------

_WORD = re.compile(r"[^\W\d_](?:[\w-]|['’](?=[A-Z]))*")  # "O'Brien" is one word, "I’m" is not
_POSSESSIVE = re.compile(r"['’]s\b")
_CONNECTORS = frozenset({"al", "el", "de", "du", "des", "da", "di", "bin", "ibn", "von", "van", "der", "of"})
_ABBREVIATED = frozenset({"St", "Mt", "Ft"})  # "St. Petersburg" is one name
_TITLES = frozenset({
    "president", "minister", "ministers", "spokesman", "spokeswoman", "spokesperson", "secretary",
    "chancellor", "ambassador", "envoy", "general", "gen", "prime", "foreign", "king", "queen",
    "prince", "emir", "leader", "chief", "commander", "mr", "mrs", "ms", "dr", "dictator",
    "counterpart", "premier", "senator", "governor", "mayor", "pope", "colonel", "admiral",
})
_NOT_NAMES = frozenset(w.lower() for w in (*MONTH_NAMES, *WEEKDAY_NAMES)) | {
    w[:3].lower() for w in (*MONTH_NAMES, *WEEKDAY_NAMES)} | {"sept", "tues", "thur", "thurs", "gmt", "utc", "edt", "est", "bst"} | {
    "a", "an", "the", "this", "that", "these", "those", "he", "she", "it", "they", "we", "i", "you",
    "his", "her", "its", "their", "our", "my", "in", "on", "at", "as", "by", "for", "from", "with",
    "to", "of", "and", "but", "or", "if", "so", "yet", "although", "though", "while", "when", "where",
    "after", "before", "during", "since", "until", "there", "here", "some", "any", "all", "both",
    "each", "many", "more", "most", "such", "what", "which", "who", "whom", "how", "why", "asked",
    "according", "however", "meanwhile", "also", "even", "only", "not", "no", "yes", "then", "now",
    "later", "earlier", "today", "tonight", "yesterday", "tomorrow", "last", "next", "first",
    "finally", "instead", "still", "thus", "therefore", "indeed", "skip", "top", "news", "home", "menu",
}
_DEMONYM_ENDINGS = ("ian", "ish", "ese", "ean", "can", "ic")
_DEMONYMS = frozenset({"french", "greek", "dutch", "swiss", "thai", "arab", "welsh", "scots", "czech"})


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int
    sentence_start: bool
    possessive: bool = False


def suggest_actors(article: str, sentences: Sequence[Sentence], mentions: Sequence[Mention]) -> list[tuple[str, int]]:
    """Names in the article that match no actor, with how often each appears, most first."""
    lowercase_words = {m.group() for m in _WORD.finditer(article) if m.group().islower()}
    starts = [m.start for m in mentions]
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for run in _capitalised_runs(_tokens(article, sentences), article):
        name_tokens = _without_titles(_without_common_words(run, lowercase_words))
        if not name_tokens or _is_known(name_tokens, mentions, starts) or _is_adjective(name_tokens):
            continue
        name = article[name_tokens[0].start:name_tokens[-1].end]
        counts[fold(name)] += 1
        spelling.setdefault(fold(name), name)
    return [(spelling[key], count) for key, count in counts.most_common()]


def _tokens(article: str, sentences: Sequence[Sentence]) -> list[_Token]:
    """The article's words; a possessive "'s" is left out, and ends a name."""
    starts = {s.start for s in sentences}
    tokens = []
    for match in _WORD.finditer(article):
        possessive = bool(_POSSESSIVE.match(article, match.end()))
        opening = match.start() in starts or _after_quote(article, match.start())
        tokens.append(_Token(match.group(), match.start(), match.end(), opening, possessive))
    return tokens


def _after_quote(article: str, offset: int) -> bool:
    return article[max(0, offset - 3):offset].rstrip()[-1:] in ('"', "“", "‘", ":", "[", "(")


def _capitalised_runs(tokens: list[_Token], article: str) -> Iterable[list[_Token]]:
    """Runs of capitalised words joined by single spaces (and name particles like "al")."""
    run: list[_Token] = []
    for token in tokens:
        joined = bool(run) and _adjacent(run[-1], token, article) and not run[-1].possessive
        capital = _capitalised(token.text) and token.text.lower() not in _NOT_NAMES
        if capital and (joined or not run):
            run.append(token)
        elif joined and token.text.lower() in _CONNECTORS:
            run.append(token)
        else:
            yield from _trimmed(run)
            run = [token] if capital else []
    yield from _trimmed(run)


def _capitalised(word: str) -> bool:
    """"Idlib", and "al-Assad" too (a lowercase particle before a capitalised name)."""
    return word[0].isupper() or word.rsplit("-", 1)[-1][:1].isupper()


def _adjacent(left: _Token, right: _Token, article: str) -> bool:
    gap = article[left.end:right.start]
    return gap == " " or (gap == ". " and left.text in _ABBREVIATED)


def _trimmed(run: list[_Token]) -> Iterable[list[_Token]]:
    while run and run[-1].text.lower() in _CONNECTORS:
        run = run[:-1]
    if run:
        yield run


def _without_common_words(run: list[_Token], lowercase_words: set[str]) -> list[_Token]:
    """The run less the common words opening a sentence ("Planned Talks"), or standing alone."""
    opening = run[0].sentence_start
    while run and (opening or len(run) == 1) and _is_common(run[0].text, lowercase_words):
        run = run[1:]
    return run


def _is_common(word: str, lowercase_words: set[str]) -> bool:
    lower = word.lower()
    return lower in _NOT_NAMES or lower in lowercase_words or lower.endswith(("ing", "ly"))


def _without_titles(run: list[_Token]) -> list[_Token]:
    """The words after the last title: "Kremlin Spokesman Dmitry Peskov" → "Dmitry Peskov"."""
    titles = [i for i, token in enumerate(run) if token.text.lower() in _TITLES]
    rest = run[titles[-1] + 1:] if titles else run
    return [] if rest and rest[0].text.lower() in _CONNECTORS else rest


def _is_known(run: list[_Token], mentions: Sequence[Mention], starts: Sequence[int]) -> bool:
    """Whether an actor's mention covers the run's last word (the head of a name).

    `mentions` do not overlap and are in order; `starts` are their offsets.
    """
    last = run[-1]
    index = bisect.bisect_right(starts, last.start) - 1
    return index >= 0 and mentions[index].start <= last.start and last.end <= mentions[index].end


def _is_adjective(run: list[_Token]) -> bool:
    """A lone "French" or "Iranian", or a compound like "US-led"."""
    word = run[0].text
    return len(run) == 1 and (word.lower().endswith(_DEMONYM_ENDINGS) or word.lower() in _DEMONYMS
                              or word.rsplit("-", 1)[-1].islower())
