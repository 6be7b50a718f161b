"""Temporal expressions of an article: found, then resolved against the publication date.

The kinds understood, each by one rule below:

- explicit dates: "24 May 2018", "September 3, 2018", "April 4", "May 24-25",
  "30 May-2 June", "In May 2017", ISO "2018-05-23";
- weekdays: "on Wednesday" is the latest Wednesday on or before publication (the
  publication day itself counts) unless the clause is in the future ("will go on
  Friday", "is due to ... on Friday"), then the next one after it;
- days and periods counted from publication: "yesterday", "today", "last week" (the
  previous Monday-Sunday week), "next month", "earlier this year", "two years ago";
- bare months ("in April": the latest April on or before publication unless the
  clause is in the future) and bare years ("in 2015");
- shifts from another expression: "a day before", "seven months after", "a week later".

A month and day without a year take the year that puts them nearest to publication
(on or after it in a future clause). Every resolved `Expression` keeps its words, its
offsets, the date as contract EDTF (a `generator.dates` value) and the anchor it was
counted from; an unresolved one says why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterable, Sequence

from dateutil.relativedelta import MO, relativedelta, weekday as relative_weekday

from generator.dates import EDTF, MONTH_NAMES, WEEKDAY_NAMES, DateError, Interval, PartialDate, Precision
from generator.extract.text import Sentence, clause_after, clause_before, leftmost_longest, sentence_at

# --- the words ------------------------------------------------------------------------

_MONTH_ABBREVIATIONS = sorted({name[:3] for name in MONTH_NAMES} - set(MONTH_NAMES)) + ["Sept"]
MONTH = r"(?:(?:%s)\b|(?:%s)\b\.?)" % ("|".join(MONTH_NAMES), "|".join(_MONTH_ABBREVIATIONS))
WEEKDAY = r"(?:%s)\b" % "|".join(WEEKDAY_NAMES)
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b"
YEAR_DIGITS = r"(?:1[89]\d\d|20\d\d)"
YEAR = YEAR_DIGITS + r"\b"
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
NUMBER = r"(?i:an?|%s|\d{1,3})" % "|".join(_NUMBER_WORDS)
_SEPARATOR = r"\s*[-–—]\s*|\s+(?:to|until|till|through)\s+"
_SAME_MONTH_SEPARATOR = _SEPARATOR + r"|\s+and\s+"
_YEAR_AFTER = rf"(?:,?\s+(?P<y>{YEAR}))?"
_BEFORE_MONTH = r"(?i:in|since|by|until|till|during|from|through|before|after|around|last|next|this|early|late|mid|(?:the\s+)?(?:end|start|beginning|middle)\s+of)"
_BEFORE_YEAR = r"(?i:in|since|by|until|till|during|from|through|before|after|around|of|early|late|mid|the|its|(?:the\s+)?(?:end|start|beginning|middle)\s+of)"

FUTURE = re.compile(
    r"\b(?:will|shall|won['’]t|(?:is|are|am)\s+(?:due|scheduled|set|expected|slated|poised|going|planning)\s+to"
    r"|plans?\s+to|intends?\s+to|upcoming|forthcoming)\b|['’]ll\b",
    re.IGNORECASE,
)


_OUT_OF_RANGE = "falls outside the years a date can have"


class Unresolved(Exception):
    """An expression that cannot be given a date; the message says why."""


# --- what is found --------------------------------------------------------------------


@dataclass(frozen=True)
class Expression:
    """A temporal expression in the article, resolved or not."""

    words: str
    start: int
    end: int
    date: EDTF | None = None
    anchor: str = ""  # what the date was counted from, e.g. "the publication date 2018-05-23"
    problem: str = ""  # why there is no date

    @property
    def note(self) -> str:
        """How the date was worked out, for an event's `date_note`."""
        return f'"{self.words}", {self.anchor}' if self.date else f'"{self.words}": {self.problem}'


@dataclass(frozen=True)
class Publication:
    """A publication date the article states itself (a dateline, "Published on ...")."""

    words: str
    start: int
    end: int
    date: date | None
    problem: str = ""


@dataclass(frozen=True)
class _Context:
    published: date | None
    future: bool
    published_as: str = ""  # how the publication date is named in anchors; its ISO text if ""

    @property
    def publication(self) -> str:
        """The publication date as anchors name it."""
        published = _need_publication(self)
        return self.published_as or published.isoformat()


Resolver = Callable[[re.Match, _Context], tuple[EDTF, str]]


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern
    resolve: Resolver | None  # None: a shift, resolved from another expression


# --- making dates ---------------------------------------------------------------------


def point(day: date, precision: Precision, approximate: bool = False) -> PartialDate:
    """The year, month or day holding `day`."""
    return PartialDate(
        day.year,
        day.month if precision >= Precision.MONTH else None,
        day.day if precision >= Precision.DAY else None,
        approximate=approximate,
    )


def span(first: date, last: date, precision: Precision, approximate: bool = False) -> EDTF:
    """From `first` to `last` at `precision`: a single date when both fall in one period."""
    start, end = point(first, precision, approximate), point(last, precision, approximate)
    return start if start == end else Interval(start, end)


def first_day(value: EDTF) -> date:
    return value.earliest.date()


def last_day(value: EDTF) -> date:
    return value.latest.date()


def _month_number(word: str) -> int:
    return next(n for n, name in enumerate(MONTH_NAMES, 1) if name.lower().startswith(word.rstrip(".").lower()[:3]))


def _number(word: str) -> int:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return 1 if word in ("a", "an", "the") else _NUMBER_WORDS.index(word) + 1


def _need_publication(context: _Context) -> date:
    if context.published is None:
        raise Unresolved("needs the publication date (pass --published)")
    return context.published


def _from_publication(context: _Context) -> str:
    return f"counted from the publication date {context.publication}"


# --- explicit dates -------------------------------------------------------------------


def _calendar_date(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """A written day or range of days; the year, when missing, from the publication."""
    groups = match.groupdict()
    start_month = _month_number(groups["m1"])
    end_month = _month_number(groups["m2"]) if groups.get("m2") else start_month
    start_day, end_day = _day_number(groups["d1"]), _day_number(groups.get("d2") or groups["d1"])
    written_start, written_end = groups.get("y1"), groups.get("y")
    if written_start or written_end:
        start_year, end_year = int(written_start or written_end), int(written_end or written_start)
        anchor = "as written"
    else:
        start_year = end_year = _nearest_year(start_month, start_day, context)
        anchor = f"the year from the publication date {context.publication}"
    try:
        first, last = date(start_year, start_month, start_day), date(end_year, end_month, end_day)
    except ValueError as err:
        raise Unresolved(f"not a date ({err})") from None
    if last < first:
        first, last = _across_new_year(first, last, written_end_year=bool(written_end and not written_start))
    return span(first, last, Precision.DAY), anchor


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _across_new_year(first: date, last: date, written_end_year: bool) -> tuple[date, date]:
    """"28 December-3 January": the end is in the next year (or the start in the one before)."""
    try:
        if written_end_year:
            return first.replace(year=first.year - 1), last
        return first, last.replace(year=last.year + 1)
    except ValueError as err:
        raise Unresolved(f"not a date ({err})") from None


def _nearest_year(month: int, day: int, context: _Context) -> int:
    """The year putting the month and day nearest to publication (after it if future)."""
    published = _need_publication(context)
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if context.future:
        candidates = [c for c in candidates if c >= published] or candidates
    if not candidates:
        raise Unresolved(f"not a date: there is no day {day} in {MONTH_NAMES[month - 1]}")
    return min(candidates, key=lambda c: abs((c - published).days)).year


def _iso_date(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    try:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError as err:
        raise Unresolved(f"not a date ({err})") from None
    return point(day, Precision.DAY), "as written"


def _month_and_year(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    return PartialDate(int(match["y"]), _month_number(match["m1"])), "as written"


def _bare_year(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    return PartialDate(int(match["y"])), "as written"


def _bare_month(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"in April": the latest April up to publication, or the next one in a future clause."""
    published = _need_publication(context)
    month = _month_number(match["m1"])
    words = match.group().lower().split()
    this_month = date(published.year, published.month, 1)
    candidates = [this_month + relativedelta(years=-1, month=month), this_month + relativedelta(month=month),
                  this_month + relativedelta(years=1, month=month)]
    if "this" in words:
        chosen = candidates[1]
    elif "next" in words:
        chosen = next(c for c in candidates if c > this_month)
    elif "last" in words:
        chosen = max(c for c in candidates if c < this_month)
    elif context.future:
        chosen = next(c for c in candidates if c >= this_month)
    else:
        chosen = max(c for c in candidates if c <= this_month)
    return point(chosen, Precision.MONTH), _from_publication(context)


# --- weekdays and days counted from publication ---------------------------------------


def _weekday(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """The nearest such weekday: on or before publication, or after it when future.

    "last Friday" is the latest before publication, "next Friday" the first after it,
    "this Friday" the one in the week of publication.
    """
    published = _need_publication(context)
    day = relative_weekday(WEEKDAY_NAMES.index(match["wd"]))
    modifier = (match["mod"] or "").lower()
    if modifier == "this":  # the one in the publication's week, Monday to Sunday
        found = published + relativedelta(weekday=MO(-1)) + relativedelta(weekday=day(+1))
    elif modifier == "next" or (context.future and modifier not in ("last", "since")):
        found = published + relativedelta(days=1, weekday=day(+1))
    elif modifier == "last":
        found = published + relativedelta(days=-1, weekday=day(-1))
    else:
        found = published + relativedelta(weekday=day(-1))
    return point(found, Precision.DAY), _from_publication(context)


_DAY_WORDS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
              "the day before yesterday": -2, "the day after tomorrow": 2}


def _day_word(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    offset = _DAY_WORDS[" ".join(match.group().lower().split())]
    return point(_need_publication(context) + timedelta(days=offset), Precision.DAY), _from_publication(context)


def _period(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"last week", "next month", "this year", "earlier this year", "later this month"."""
    published = _need_publication(context)
    unit = match["unit"].lower()
    offset = {"last": -1, "this": 0, "next": 1}[match["mod"].lower()]
    first, last, precision = _calendar_period(unit, published, offset)
    phase = (match["phase"] or "").strip().lower()
    if offset == 0 and phase in ("earlier", "early"):
        last = published
    elif offset == 0 and phase in ("later", "late"):
        first = published
    if offset == 0 and phase and unit == "year":
        precision = Precision.MONTH
    return span(first, last, precision), _from_publication(context)


def _calendar_period(unit: str, published: date, offset: int) -> tuple[date, date, Precision]:
    """First and last day of the week (Monday-Sunday), weekend, month or year `offset` away."""
    if unit in ("week", "weekend"):
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=offset)
        first = monday + timedelta(days=5) if unit == "weekend" else monday
        return first, monday + timedelta(days=6), Precision.DAY
    if unit == "month":
        first = date(published.year, published.month, 1) + relativedelta(months=offset)
        return first, first + relativedelta(day=31), Precision.MONTH
    year = published.year + offset
    return date(year, 1, 1), date(year, 12, 31), Precision.YEAR


_UNIT_PRECISION = {"day": Precision.DAY, "week": Precision.DAY, "month": Precision.MONTH, "year": Precision.MONTH}


def _ago(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"two weeks ago": approximate unless counted in days."""
    unit = match["unit"].lower()
    found = _need_publication(context) - relativedelta(**{unit + "s": _number(match["n"])})
    precision = Precision.YEAR if unit == "year" else _UNIT_PRECISION[unit]
    return point(found, precision, approximate=unit != "day"), _from_publication(context)


# --- the rules, longest match first ---------------------------------------------------

_SHIFT = re.compile(
    rf"\b(?P<n>{NUMBER}|(?i:the))\s+(?P<unit>(?i:day|week|month|year))s?\s+(?P<dir>(?i:before|after|earlier|later))\b"
    rf"|\b(?i:the)\s+(?P<order>(?i:next|following|previous|preceding))\s+(?P<unit2>(?i:day|week|month|year))\b"
)

RULES: tuple[_Rule, ...] = (
    _Rule(re.compile(rf"\b(?P<d1>{DAY})\s+(?:of\s+)?(?P<m1>{MONTH})(?:,?\s+(?P<y1>{YEAR}))?(?:{_SEPARATOR})"
                     rf"(?P<d2>{DAY})\s+(?:of\s+)?(?P<m2>{MONTH}){_YEAR_AFTER}"), _calendar_date),
    _Rule(re.compile(rf"\b(?P<m1>{MONTH})\s+(?P<d1>{DAY})(?:,?\s+(?P<y1>{YEAR}))?(?:{_SEPARATOR})"
                     rf"(?P<m2>{MONTH})\s+(?P<d2>{DAY}){_YEAR_AFTER}"), _calendar_date),
    _Rule(re.compile(rf"\b(?P<d1>{DAY})(?:{_SAME_MONTH_SEPARATOR})(?P<d2>{DAY})\s+(?:of\s+)?(?P<m1>{MONTH}){_YEAR_AFTER}"),
          _calendar_date),
    _Rule(re.compile(rf"\b(?P<m1>{MONTH})\s+(?P<d1>{DAY})(?:{_SAME_MONTH_SEPARATOR})(?P<d2>{DAY}){_YEAR_AFTER}"),
          _calendar_date),
    _Rule(re.compile(rf"\b(?P<d1>{DAY})\s+(?:of\s+)?(?P<m1>{MONTH}){_YEAR_AFTER}"), _calendar_date),
    _Rule(re.compile(rf"\b(?P<m1>{MONTH})\s+(?P<d1>{DAY}){_YEAR_AFTER}"), _calendar_date),
    _Rule(re.compile(rf"\b(?P<y>{YEAR_DIGITS})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b"), _iso_date),
    _Rule(re.compile(rf"\b(?:(?i:in|since|by|until|till|during|from|through|before|after|around)\s+)?"
                     rf"(?:(?i:early|mid|late)[\s-]+)?(?P<m1>{MONTH}),?\s+(?:of\s+)?(?P<y>{YEAR})"), _month_and_year),
    _Rule(re.compile(rf"\b(?:{_BEFORE_MONTH}[\s-]+)+(?P<m1>{MONTH})(?!\s*\d)"), _bare_month),
    _Rule(re.compile(rf"\b{_BEFORE_YEAR}[\s-]+(?P<core>(?P<y>{YEAR}))(?![-–/]\d)"), _bare_year),
    _Rule(re.compile(rf"\b(?:(?P<mod>(?i:on|last|next|this|since|by|until|from))\s+)?(?P<wd>{WEEKDAY})(?:['’]s\b)?"),
          _weekday),
    _Rule(re.compile(r"\b(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tonight|tomorrow)\b"),
          _day_word),
    _Rule(re.compile(r"(?<![Tt]he\s)\b(?P<phase>(?i:earlier|later|early|late)\s+)?(?P<mod>(?i:last|next|this))\s+"
                     r"(?P<unit>(?i:week|weekend|month|year))\b(?:['’]s\b)?"), _period),
    _Rule(re.compile(rf"\b(?P<n>{NUMBER})\s+(?P<unit>(?i:day|week|month|year))s?\s+(?i:ago)\b"), _ago),
    _Rule(_SHIFT, None),
)

_DAY_RULES = tuple(rule for rule in RULES if rule.resolve in (_calendar_date, _iso_date))


# --- finding and resolving --------------------------------------------------------------


def find_expressions(
    article: str, sentences: Sequence[Sentence], published: date | None, skip: Iterable[tuple[int, int]] = (),
    published_as: str = "",
) -> list[Expression]:
    """Every temporal expression of the article in order, resolved where it can be.

    Text inside the `skip` spans (such as the dateline) is not looked at; `published_as`
    names the publication date in the anchors (its ISO text by default).
    """
    found = leftmost_longest(_candidates(article, tuple(skip)), lambda c: c[1].span())
    expressions: list[Expression | None] = [
        None if rule.resolve is None else _resolve(rule.resolve, match, sentences, published, published_as)
        for rule, match in found
    ]
    for index, (rule, match) in enumerate(found):
        if rule.resolve is None:
            expressions[index] = _resolve_shift(match, index, expressions, sentence_at(sentences, match.start()))
    return [e for e in expressions if e is not None]


def _candidates(article: str, skip: tuple[tuple[int, int], ...]) -> list[tuple[_Rule, re.Match]]:
    return [
        (rule, match)
        for rule in RULES
        for match in rule.pattern.finditer(article)
        if not any(match.start() < end and start < match.end() for start, end in skip)
    ]


def _span_of(match: re.Match) -> tuple[str, int, int]:
    """The words an expression is reported by: the `core` group when the rule has one."""
    group = "core" if "core" in match.re.groupindex else 0
    return match.group(group), match.start(group), match.end(group)


def _resolve(
    resolve: Resolver, match: re.Match, sentences: Sequence[Sentence], published: date | None, published_as: str
) -> Expression:
    words, start, end = _span_of(match)
    future = is_future(sentence_at(sentences, match.start()), match.start(), match.end())
    context = _Context(published, future, published_as)
    try:
        value, anchor = resolve(match, context)
    except Unresolved as why:
        return Expression(words, start, end, problem=str(why))
    except (ValueError, OverflowError):  # DateError too: a date beyond the calendar's years
        return Expression(words, start, end, problem=_OUT_OF_RANGE)
    return Expression(words, start, end, value, anchor)


def is_future(sentence: Sentence | None, start: int, end: int) -> bool:
    """Whether the clause holding the words at start-end speaks of the future."""
    if sentence is None:
        return False
    before = clause_before(sentence, start)
    if FUTURE.search(before):
        return True
    opens_clause = len(before.split()) <= 1
    return opens_clause and bool(FUTURE.search(clause_after(sentence, end)))


# --- shifts: "a day before", "seven months after", "a week later" -----------------------

_LATER = frozenset({"after", "later", "next", "following"})


def _resolve_shift(
    match: re.Match, index: int, expressions: list[Expression | None], sentence: Sentence | None
) -> Expression:
    """A date counted from the nearest resolved expression.

    "X, a day before Y": when the anchor dates X (it comes first in the sentence),
    the shift dates Y, so "before" counts forward; when the anchor lies inside Y,
    the shift dates X and "before" counts back.
    """
    words, start, end = _span_of(match)
    unit = (match["unit"] or match["unit2"]).lower()
    direction = (match["dir"] or match["order"]).lower()
    has_complement = direction in ("before", "after") and _words_follow(sentence, end)
    anchor, anchor_first = _shift_anchor(index, expressions, sentence, has_complement)
    if anchor is None or anchor.date is None:
        return Expression(words, start, end, problem="no dated expression before it to count from")
    sign = 1 if direction in _LATER else -1
    if has_complement and anchor_first:
        sign = -sign
    amount = sign * (_number(match["n"]) if match["n"] else 1)
    try:
        value = shifted(anchor.date, unit, amount)
    except (ValueError, OverflowError):
        return Expression(words, start, end, problem=_OUT_OF_RANGE)
    return Expression(words, start, end, value, f'counted from "{anchor.words}" ({anchor.date.edtf})')


def _words_follow(sentence: Sentence | None, offset: int) -> bool:
    if sentence is None:
        return False
    rest = sentence.text[offset - sentence.start:].lstrip()
    return bool(rest) and (rest[0].isalpha() or rest[0] in "\"“‘'")


def _shift_anchor(
    index: int, expressions: list[Expression | None], sentence: Sentence | None, has_complement: bool
) -> tuple[Expression | None, bool]:
    """The expression a shift counts from, and whether it comes before the shift."""
    dated = [(i, e) for i, e in enumerate(expressions) if e is not None and e.date is not None and i != index]
    earlier = [e for i, e in dated if i < index]
    in_sentence = [e for e in earlier if sentence and e.start >= sentence.start]
    if in_sentence:
        return in_sentence[-1], True
    later_in_sentence = [e for i, e in dated if i > index and sentence and e.start < sentence.end]
    if has_complement and later_in_sentence:
        return later_in_sentence[0], False
    return (earlier[-1], True) if earlier else (None, True)


def shifted(value: EDTF, unit: str, amount: int) -> EDTF:
    """`value` moved by `amount` days, weeks, months or years (approximate but for days)."""
    delta = relativedelta(**{unit + "s": amount})
    precision = min(value.precision, _UNIT_PRECISION[unit])
    approximate = unit != "day" or value.approximate
    return span(first_day(value) + delta, last_day(value) + delta, precision, approximate)


# --- the publication date an article states ---------------------------------------------

_LABEL = re.compile(r"(?m)^[ \t]*(?P<label>(?i:published|posted|last\s+updated|updated))(?:\s+(?i:on|at))?\s*:?\s*")
_DATELINE = re.compile(r"(?m)^[ \t]*[A-Z]{2}[A-Z.'’ -]*(?:\([^)\n]*\))?,\s*")
_HEAD = 1000  # a stated publication date is looked for in the first characters only


def find_publication(article: str) -> Publication | None:
    """The publication date stated at the top: "Published on ...", a dateline, "Updated: ..."."""
    head = article[:_HEAD]
    labelled = [(_label_rank(m["label"]), m) for m in _LABEL.finditer(head)]
    datelines = [(1, m) for m in _DATELINE.finditer(head)]
    for _, lead in sorted(labelled + datelines, key=lambda pair: (pair[0], pair[1].start())):
        stated = _day_at(article, lead.end())
        if stated is not None:
            return _publication(article, lead.start(), stated)
    return None


def _label_rank(label: str) -> int:
    return 2 if "updated" in label.lower() else 0


def _day_at(article: str, offset: int) -> re.Match | None:
    matches = [m for m in (rule.pattern.match(article, offset) for rule in _DAY_RULES) if m]
    return max(matches, key=lambda m: m.end(), default=None)


def _publication(article: str, start: int, match: re.Match) -> Publication:
    resolve = next(rule.resolve for rule in _DAY_RULES if rule.pattern is match.re)
    words = article[start:match.end()]
    try:
        value, _ = resolve(match, _Context(None, False))
    except (Unresolved, DateError) as why:
        has_year = match.groupdict().get("y") or match.groupdict().get("y1")
        return Publication(words, start, match.end(), None, f"is not a date ({why})" if has_year else "gives no year")
    if value.is_interval:
        return Publication(words, start, match.end(), None, "gives a range of days, not one day")
    return Publication(words, start, match.end(), first_day(value))
