"""Temporal expressions of an article: found, then resolved against the publication date.

The kinds understood, each by one rule below:

- explicit dates: "24 May 2018", "September 3, 2018", "April 4", "May 24-25",
  "30 May-2 June", "In May 2017", ISO "2018-05-23";
- ranges read as intervals: "from Nov. 15 to 26", "from 1999 to 2001", "2008-2010",
  "from April to August 2005", "from Wednesday to Saturday", "between 8 and 23 November";
  days listed with "and" are each a day ("May 4 and 10"), unless they follow each other
  ("July 7 and 8": one span of two days);
- centuries: "the nineteenth century" (1800/1899), "the late 18th century";
- dates before year 1 ("499 BC", "from 264 to 241 BC", "the 470s BC", "the 5th century
  BC", and "in 492" in a story told in BC years): read and kept as an `AncientDate`, not
  as a date, since the content format's years start at 1;
- approximate periods: "the late 1970s", "mid-1996", "early November", "at the end of
  the year", "at the start of 2006" (early/start: its first third, mid: the middle
  third, late/end: the last third), "a decade ago";
- weekdays: "on Wednesday" is the latest Wednesday on or before publication (the
  publication day itself counts) unless the clause is in the future ("will go on
  Friday", "would leave on Thursday", "is forecast for Friday", "is due by", a
  headline "to meet Friday"), then the first one on or after it;
- days and periods counted from publication: "yesterday", "today", "this evening",
  "last week" (the previous Monday-Sunday week), "next month", "earlier this year",
  "two years ago", "ten years ago today" (that day: a chronology after it takes its
  year), "January this year"; "today" inside a quotation counts from the day the quoted
  words were said when the sentence dates them ("'We leave today,' he said on Monday");
- bare months ("in April": the latest April on or before publication unless the
  clause is in the future; "January's election": the nearest January) and bare years;
- shifts from another expression: "a day before", "seven months after", "a week later";
  "on the 5th" and "the 28th of that month" in the month the text is in; "the new
  year" after the year it is in.

A month and day without a year take the year carried forward from the last date the
text wrote with its year (a chronology: "March 11, 2011" then "March 12: ...") when
there is no publication date, when it opens a line or shares a sentence with that
date, or when that date opened its sentence in the same paragraph (of the carried year
and the next, the one that puts it nearer the carried date: a story may look back up
to half a year; a season with its year, "the spring of 1915", sets the year too);
otherwise the year that puts them nearest to publication (on or after it in a future
clause). Dates mentioned in passing ("since 1900", "since Chernobyl in 1986", "the
2030 Agenda", the century of publication, "for the second time this month") are
marked `passing` and are not drafted. Every resolved `Expression` keeps its words, its
offsets, the date as contract EDTF (a `generator.dates` value) and the anchor it was
counted from; an unresolved one says why.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Callable, Iterable, Sequence

from dateutil.relativedelta import MO, relativedelta, weekday as relative_weekday

from generator.dates import EDTF, MONTH_NAMES, WEEKDAY_NAMES, DateError, Interval, PartialDate, Precision
from generator.extract.text import Sentence, clause_after, clause_before, leftmost_longest

# --- the words ------------------------------------------------------------------------

_MONTH_ABBREVIATIONS = sorted({name[:3] for name in MONTH_NAMES} - set(MONTH_NAMES)) + ["Sept"]
MONTH = r"(?:(?:%s)\b|(?:%s)\b\.?)" % ("|".join(MONTH_NAMES), "|".join(_MONTH_ABBREVIATIONS))
WEEKDAY = r"(?:%s)\b" % "|".join(WEEKDAY_NAMES)
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b"
YEAR_DIGITS = r"(?:1\d\d\d|20\d\d)"
_COUNTED = r"(?:troops|men|soldiers|people|km|miles|metres|meters|tons|tonnes|dead|killed|casualties|aircraft|tanks|guns)"
YEAR = YEAR_DIGITS + rf"\b(?!,?\s+{_COUNTED}\b)(?!\s*(?:BC|B\.C\.|BCE)\b)"
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                 "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
NUMBER = r"(?i:an?|%s|\d{1,3})" % "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_TO = r"\s*[-–—]\s*|\s+(?:to|until|till|through)\s+"
ERA_BC = r"(?:BCE|BC|B\.C\.E\.|B\.C\.)(?![A-Za-z])"
_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                  "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                  "eighteenth", "nineteenth", "twentieth", "twenty-first")
ORDINAL = r"(?:\d{1,2}(?:st|nd|rd|th)|(?i:%s))" % "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
_DAY_TO = r"\s*[-–—]\s*|\s+(?:to|until|till|through)\s+(?:(?i:the)\s+)?"
_SEPARATOR = _DAY_TO
_SAME_MONTH_SEPARATOR = _SEPARATOR + r"|\s+and\s+"
_BETWEEN = r"(?:(?P<between>(?i:between))\s+)?"  # "between 8 and 23 November" is a range; "on 28 and 29 August" two days
_DAYS_SEPARATOR = rf"(?(between)\s+and\s+|(?:{_SEPARATOR}))"
_YEAR_AFTER = rf"(?:,?\s+(?P<y>{YEAR}))?"
PHASE = (r"(?P<phase>(?i:early|mid|late|(?:(?:at|by|until|in|from|towards?)\s+)?(?:the\s+)?"
         r"(?:end|start|beginning|middle|close|turn)\s+of))")
_BEFORE_MONTH = r"(?i:in|since|by|until|till|during|from|through|before|after|around|last|next|this|of)"
_BEFORE_YEAR = r"(?i:in|since|by|until|till|during|from|through|before|after|around|of|the|its)"

FUTURE = re.compile(
    r"\b(?:will|shall|won['’]t|would|wouldn['’]t"
    r"|(?:is|are|am)\s+(?:due|scheduled|set|expected|slated|poised|going|planning)\s+to"
    r"|(?:is|are)\s+(?:due|forecast|scheduled|planned|slated)"
    r"|(?:plans?|intends?|agreed|decided|promised|pledged|vowed|threatened|hopes?|aims?|wants?)\s+to\s+\w+"
    r"|upcoming|forthcoming)\b|['’]ll\b",
    re.IGNORECASE,
)
_HEADLINE_INFINITIVE = re.compile(r"\bto\s+[a-z]+\b")  # "Leaders to meet Friday": a headline's future
_SINCE = re.compile(r"(?i)\b(?:since|than|compared\s+(?:with|to))\s+(?:[\w'’-]+\s+){0,3}(?:in\s+)?$"
                    r"|\b(?i:as|like|unlike)\s+in\s+$")  # "arranged as in 1614": a comparison
_NAME_AFTER = re.compile(r"\s+[A-Z][a-z]")
_COUNTED_TIMES = re.compile(r"(?i)\b(?:time|times|once|twice)\s+$")  # "for the second time this month"
_ARTICLE_BEFORE = re.compile(r"(?i)\b(?:the|a|an|its|their)\s+$")

_OUT_OF_RANGE = "falls outside the years a date can have"


class Unresolved(Exception):
    """An expression that cannot be given a date; the message says why."""


@dataclass(frozen=True)
class AncientDate:
    """A date before year 1 ("499 BC", "499-493 BC", "September 490 BC", "the 5th century
    BC"): years counted back, the earliest first. The content format's years start at 1,
    so such a date is reported, not drafted."""

    first: int  # years BC: 499
    last: int  # 493; the same as `first` for a single year
    month: int | None = None

    @property
    def text(self) -> str:
        month = f"{MONTH_NAMES[self.month - 1]} " if self.month else ""
        years = f"{self.first}" if self.first == self.last else f"{self.first}-{self.last}"
        return f"{month}{years} BC"


class BeforeYearOne(Unresolved):
    """A date the text gives before year 1."""

    def __init__(self, value: AncientDate):
        super().__init__(f"{value.text} is before year 1: the content format's dates start at year 1 (not drafted)")
        self.value = value


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
    passing: bool = False  # a mention in passing ("since 1900"): not a happening to draft
    before_year_one: "AncientDate | None" = None  # "499 BC": read, but no content-format date holds it

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
class _Anchor:
    """The last date written with its year: what a later month and day are counted in."""

    day: date
    precision: Precision
    words: str


@dataclass(frozen=True)
class _Context:
    published: date | None
    future: bool
    published_as: str = ""  # how the publication date is named in anchors; its ISO text if ""
    carried: _Anchor | None = None  # the year in force, when the rules say it applies

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
    carries: bool = False  # takes the year in force when it has none of its own
    accept: Callable[[re.Match], bool] | None = None  # a further test a match must pass


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
    """The first calendar day of a date, as written (not moved by the site's time zone)."""
    return getattr(value, "start", value).first_day


def last_day(value: EDTF) -> date:
    """The last calendar day of a date, as written."""
    return getattr(value, "end", value).last_day


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


def _group(match: re.Match, name: str) -> str:
    """A named group's text; "" when the rule has no such group or it did not match."""
    return match.groupdict().get(name) or ""


def _phase_of(words: str) -> str:
    """"early", "mid" or "late" for the phase words of an expression ("" when none)."""
    lowered = words.lower()
    if re.search(r"\b(?:early|start|beginning)\b", lowered):
        return "early"
    if re.search(r"\b(?:mid|middle)\b", lowered):
        return "mid"
    if re.search(r"\b(?:late|end|close|turn)\b", lowered):
        return "late"
    return ""


def _narrowed(first: date, last: date, phase: str) -> tuple[date, date]:
    """The first, middle or last third of the days from `first` to `last`."""
    if not phase:
        return first, last
    days = (last - first).days + 1
    third = days // 3
    if phase == "early":
        return first, first + timedelta(days=third - 1)
    if phase == "mid":
        return first + timedelta(days=third), last - timedelta(days=third)
    return last - timedelta(days=third - 1), last


def _period(first: date, last: date, phase: str, precision: Precision) -> EDTF:
    """A month or year, or the third of it the phase names (months of a year, days of a month)."""
    if not phase:
        return span(first, last, precision)
    if precision == Precision.YEAR:
        start_month, end_month = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[phase]
        return span(date(first.year, start_month, 1), date(last.year, end_month, 1), Precision.MONTH, approximate=True)
    narrowed = _narrowed(first, last, phase)
    return span(*narrowed, Precision.DAY, approximate=True)


# --- explicit dates -------------------------------------------------------------------


def _calendar_date(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """A written day or range of days; the year, when missing, carried or from the publication."""
    groups = match.groupdict()
    start_month = _month_number(groups["m1"])
    end_month = _month_number(groups["m2"]) if groups.get("m2") else start_month
    start_day, end_day = _day_number(groups["d1"]), _day_number(groups.get("d2") or groups["d1"])
    written_start, written_end = groups.get("y1"), groups.get("y")
    if written_start or written_end:
        start_year, end_year = int(written_start or written_end), int(written_end or written_start)
        anchor = "as written"
    else:
        start_year, anchor = _year_for(start_month, start_day, context)
        end_year = start_year
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


def _year_for(month: int, day: int, context: _Context) -> tuple[int, str]:
    """The year of a month and day written without one, and what it was taken from."""
    if context.carried is not None:
        return _year_after(context.carried, month, day), f'the year from "{context.carried.words}"'
    published = _need_publication(context)
    return _nearest_year(month, day, published, context.future), f"the year from the publication date {context.publication}"


CARRIED_LOOK_BACK = timedelta(days=183)  # a narrative may look back up to half a year; further is the next year


def _year_after(carried: _Anchor, month: int, day: int) -> int:
    """The year of a month and day told after the carried date: the one of its year and the
    next that lies nearer to it, so the narrative may look back up to half a year ("In
    December 1941 ... In January" is January 1942; "On 25 August 1944 ... On June 22" is
    June 1944)."""
    if carried.precision == Precision.YEAR:
        return carried.day.year
    try:
        same_year = date(carried.day.year, month, min(day, 28) if month == 2 else day)
    except ValueError:
        raise Unresolved(f"not a date: there is no day {day} in {MONTH_NAMES[month - 1]}") from None
    return carried.day.year if same_year >= carried.day - CARRIED_LOOK_BACK else carried.day.year + 1


def _nearest_year(month: int, day: int, reference: date, future: bool) -> int:
    """The year putting the month and day nearest to `reference` (on or after it if future)."""
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if future:
        candidates = [c for c in candidates if c >= reference] or candidates
    if not candidates:
        raise Unresolved(f"not a date: there is no day {day} in {MONTH_NAMES[month - 1]}")
    return min(candidates, key=lambda c: abs((c - reference).days)).year


def _iso_date(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    try:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError as err:
        raise Unresolved(f"not a date ({err})") from None
    return point(day, Precision.DAY), "as written"


def _month_and_year(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"May 2017", "early November 1936", "the end of September 1936"."""
    first = date(int(match["y"]), _month_number(match["m1"]), 1)
    last = first + relativedelta(day=31)
    phase = _phase_of(_group(match, "phase"))
    if not phase:
        return point(first, Precision.MONTH), "as written"
    return _period(first, last, phase, Precision.MONTH), "as written"


def _bare_year(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"in 2015", "mid-1996", "at the start of 2006"."""
    year = int(match["y"])
    return _period(date(year, 1, 1), date(year, 12, 31), _phase_of(_group(match, "phase")), Precision.YEAR), "as written"


def _decade(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"the 1970s" (1970/1979), "the late 1970s" (1977/1979), "the early 1990s" (1990/1993)."""
    start = int(match["decade"])
    first, last = {"early": (0, 3), "mid": (3, 6), "late": (7, 9), "": (0, 9)}[_phase_of(_group(match, "phase"))]
    return span(date(start + first, 1, 1), date(start + last, 1, 1), Precision.YEAR, approximate=bool(_group(match, "phase"))), "as written"


def _century(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"the nineteenth century" (1800/1899), "the early 20th century" (1900~/1933~)."""
    number = _ordinal_number(match["ord"])
    start = (number - 1) * 100
    first, last = {"early": (0, 33), "mid": (33, 66), "late": (66, 99), "": (0, 99)}[_phase_of(_group(match, "phase"))]
    return span(date(max(1, start + first), 1, 1), date(start + last, 1, 1), Precision.YEAR,
                approximate=bool(_group(match, "phase"))), "as written"


def _ordinal_number(word: str) -> int:
    word = word.lower()
    return int(word[:-2]) if word[:1].isdigit() else _ORDINAL_WORDS.index(word) + 1


def _before_year_one(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"499 BC", "499-493 BC", "from 499 to 493 BC", "September 490 BC", "the 5th century BC"."""
    if _group(match, "ord"):
        number = _ordinal_number(match["ord"])
        raise BeforeYearOne(AncientDate(number * 100, (number - 1) * 100 + 1))
    if _group(match, "decade"):  # "the 470s BC": 479-470 BC; its early years are the larger numbers
        start = int(match["decade"])
        first, last = {"early": (9, 7), "mid": (6, 4), "late": (3, 0), "": (9, 0)}[_phase_of(_group(match, "phase"))]
        raise BeforeYearOne(AncientDate(start + first, start + last))
    first = int(_group(match, "y1") or match["y"])
    last = int(match["y"])
    if first < last or not 0 < last <= 9999:
        raise Unresolved("not a range of years BC (the earlier, larger, year comes first)")
    month = _month_number(match["m1"]) if _group(match, "m1") else None
    raise BeforeYearOne(AncientDate(first, last, month))


def _year_range(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"from 1999 to 2001", "between 1999 and 2001", "2008-2010", "2008-10"."""
    start, written_end = int(match["y1"]), match["y2"]
    end = int(written_end) if len(written_end) == 4 else start - start % 100 + int(written_end)
    if end <= start:
        raise Unresolved("not a range of years")
    return Interval(PartialDate(start), PartialDate(end)), "as written"


def _month_range(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"from April to August 2005", "April-June", "between May 2004 and March 2005"."""
    start_month, end_month = _month_number(match["m1"]), _month_number(match["m2"])
    written_start, written_end = match["y1"], match["y"]
    if written_start or written_end:
        end_year = int(written_end or written_start)
        start_year = int(written_start) if written_start else end_year - (start_month > end_month)
        anchor = "as written"
    else:
        first, anchor = _month_in_context(start_month, context, "")
        start_year = first.year
        end_year = start_year + (end_month < start_month)
    return Interval(PartialDate(start_year, start_month), PartialDate(end_year, end_month)), anchor


def _bare_month(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"in April", "early November", "January's": a month of the year in force or around publication."""
    month = _month_number(match["m1"])
    first, anchor = _month_in_context(month, context, match.group().lower())
    return _period(first, first + relativedelta(day=31), _phase_of(_group(match, "phase")), Precision.MONTH), anchor


def _month_in_context(month: int, context: _Context, words: str) -> tuple[date, str]:
    """The first day of the month meant: in the year in force, or counted from publication.

    From publication: "this"/"next"/"last" say which; a future clause takes the next
    one, a possessive ("January's election") the nearest one, else the latest one.
    """
    if context.carried is not None and not re.search(r"\b(?:this|next|last)\b", words):
        carried = context.carried
        return date(_year_after(carried, month, 1), month, 1), f'the year from "{carried.words}"'
    published = _need_publication(context)
    this_month = date(published.year, published.month, 1)
    candidates = [this_month + relativedelta(years=offset, month=month) for offset in (-1, 0, 1)]
    if re.search(r"\bthis\b", words):
        chosen = candidates[1]
    elif re.search(r"\bnext\b", words):
        chosen = next(c for c in candidates if c > this_month)
    elif re.search(r"\blast\b", words):
        chosen = max(c for c in candidates if c < this_month)
    elif context.future:
        chosen = next(c for c in candidates if c >= this_month)
    elif re.search(r"['’]s$", words):
        chosen = min(candidates, key=lambda c: (abs((c - this_month).days), c > this_month))
    else:
        chosen = max(c for c in candidates if c <= this_month)
    return chosen, _from_publication(context)


def _new_year(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"the new year": 1 January after the year in force, or the one nearest publication."""
    if context.carried is not None:
        return point(date(context.carried.day.year + 1, 1, 1), Precision.DAY), f'the year after "{context.carried.words}"'
    published = _need_publication(context)
    year = published.year + (published.month > 6 or context.future)
    return point(date(year, 1, 1), Precision.DAY), _from_publication(context)


def _day_of_the_month(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"on the 5th", "the 28th of that month": that day of the month the text is in."""
    carried = context.carried
    if carried is None or carried.precision < Precision.MONTH:
        raise Unresolved("no month before it to count in")
    try:
        day = carried.day.replace(day=_day_number(match["d1"]))
    except ValueError as err:
        raise Unresolved(f"not a date ({err})") from None
    return point(day, Precision.DAY), f'the month of "{carried.words}"'


def _holiday(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"Christmas 1963" (1963-12-25), "Christmas Eve", "New Year's Day": a fixed day of the year."""
    month, day = (1, 1) if match["holiday"].lower().startswith("new") else (12, 25)
    if (match["part"] or "").lower() == "eve":
        month, day = (12, 31) if month == 1 else (12, 24)
    if _group(match, "y"):
        year, anchor = int(match["y"]), "as written"
    else:
        year, anchor = _year_for(month, day, context)
    return point(date(year, month, day), Precision.DAY), anchor


_SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"the spring of 1916" (1916-03/1916-05), "the winter of 1914" (1914-12/1915-02), "that summer"."""
    start_month = _SEASON_MONTHS[match["season"].lower()]
    if _group(match, "y"):
        year, anchor = int(match["y"]), "as written"
    elif context.carried is not None:
        year, anchor = context.carried.day.year, f'the year from "{context.carried.words}"'
    else:
        published = _need_publication(context)
        year, anchor = published.year, _from_publication(context)
        if not context.future and date(year, start_month, 1) > published:
            year -= 1
    first = date(year, start_month, 1)
    return span(first, first + relativedelta(months=2), Precision.MONTH, approximate=True), anchor


def _month_of_year(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"January this year", "in March last year", "June next year"."""
    published = _need_publication(context)
    year = published.year + {"last": -1, "this": 0, "next": 1}[match["mod"].lower()]
    return PartialDate(year, _month_number(match["m1"])), _from_publication(context)


# --- weekdays and days counted from publication ---------------------------------------


def _weekday(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """The nearest such weekday: on or before publication, or on or after it when future.

    "last Friday" is the latest before publication, "next Friday" the first after it,
    "this Friday" the one in the week of publication.
    """
    found = _weekday_day(match["wd"], (match["mod"] or "").lower(), context)
    return point(found, Precision.DAY), _from_publication(context)


def _weekday_day(name: str, modifier: str, context: _Context) -> date:
    published = _need_publication(context)
    day = relative_weekday(WEEKDAY_NAMES.index(name))
    if modifier == "this":  # the one in the publication's week, Monday to Sunday
        return published + relativedelta(weekday=MO(-1)) + relativedelta(weekday=day(+1))
    if modifier == "next":
        return published + relativedelta(days=1, weekday=day(+1))
    if context.future and modifier not in ("last", "since"):
        return published + relativedelta(weekday=day(+1))
    if modifier == "last":
        return published + relativedelta(days=-1, weekday=day(-1))
    return published + relativedelta(weekday=day(-1))


def _weekday_range(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"from Wednesday to Saturday": the first day as a weekday, the last the next such day after it."""
    first = _weekday_day(match["wd"], "", context)
    last = first + relativedelta(days=1, weekday=relative_weekday(WEEKDAY_NAMES.index(match["wd2"]))(+1))
    return span(first, last, Precision.DAY), _from_publication(context)


_DAY_WORDS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
              "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}


def _day_word(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    offset = _DAY_WORDS[" ".join(match.group().lower().split())]
    return point(_need_publication(context) + timedelta(days=offset), Precision.DAY), _from_publication(context)


def _relative_period(match: re.Match, context: _Context) -> tuple[EDTF, str]:
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


def _phase_of_period(match: re.Match, context: _Context) -> tuple[EDTF, str]:
    """"at the end of the year", "the start of next month": a third of that period."""
    published = _need_publication(context)
    offset = {"last": -1, "this": 0, "the": 0, "next": 1}[match["mod"].lower()]
    unit = match["unit"].lower()
    if unit == "year" and context.carried is not None and match["mod"].lower() == "the":
        year = context.carried.day.year
        return _period(date(year, 1, 1), date(year, 12, 31), _phase_of(match["phase"]), Precision.YEAR), \
            f'the year from "{context.carried.words}"'
    first, last, precision = _calendar_period(unit, published, offset)
    return _period(first, last, _phase_of(match["phase"]), precision), _from_publication(context)


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
    """"two weeks ago", "a decade ago": approximate unless counted in days; "ten years
    ago today" is that very day."""
    unit = match["unit"].lower()
    amount = _number(match["n"])
    if unit == "decade":
        unit, amount = "year", amount * 10
    found = _need_publication(context) - relativedelta(**{unit + "s": amount})
    if _group(match, "today"):
        return point(found, Precision.DAY), _from_publication(context)
    precision = Precision.YEAR if unit == "year" else _UNIT_PRECISION[unit]
    return point(found, precision, approximate=unit != "day"), _from_publication(context)


# --- the rules, longest match first ---------------------------------------------------

_SHIFT = re.compile(
    rf"(?<!\bto\s)\b(?P<n>{NUMBER}|(?i:the))\s+(?P<unit>(?i:day|week|month|year))s?\s+(?P<dir>(?i:before|after|earlier|later))\b"
    rf"|\b(?i:the)\s+(?P<order>(?i:next|following|previous|preceding|same))\s+(?P<unit2>(?i:day|week|month|year|morning|night|evening))\b"
    rf"|\b(?i:(?:later|earlier)\s+(?:in\s+)?)?(?P<that>(?i:that))\s+(?P<unit3>(?i:day|month|year))\b"
    rf"|\b(?i:later|earlier)\s+(?i:in)\s+(?P<same>(?i:the))\s+(?P<unit4>(?i:month|year))\b"  # "later in the year"
)
_NOT_A_DAY = r"(?!\.?\s*\d{1,2}(?:st|nd|rd|th)?\b(?![/:]?\d))"  # "April 13-15" is days, "April 13:30" not
_OF_THAT_YEAR = r"(?:\s+of\s+(?:that|the\s+same)\s+year\b)?"
_NO_YEAR_AFTER = r"(?!\.?,?[ \t]+(?:of\s+)?\d{4}\b)"  # a year on the next line (a heading) is not the month's

_ORDINAL_DAY = r"(?:3[01]|[12]\d|[1-9])(?:st|nd|rd|th)"
_BARE_YEAR_NOUN = re.compile(r"\s+[a-z]+s\b")  # "1200 prisoners": a count, not a year


def _plain_year(match: re.Match) -> bool:
    """A year without a word before it: only 1800-2099, and not a count of something."""
    if match.group().strip() != match["y"] or 1800 <= int(match["y"]) <= 2099:
        return not (match.group().strip() == match["y"] and _BARE_YEAR_NOUN.match(match.string, match.end()))
    return False


RULES: tuple[_Rule, ...] = (
    _Rule(re.compile(rf"\b{_BETWEEN}(?:(?i:from)\s+)?(?<![\d,.])(?P<y1>\d{{1,4}})(?:\s*{ERA_BC})?"
                     rf"(?(between)\s+and\s+|(?:\s*[-–—]\s*|\s+(?:to|until)\s+))(?P<y>\d{{1,4}})\s*{ERA_BC}"), _before_year_one),
    _Rule(re.compile(rf"\b(?:(?:{_BEFORE_MONTH})\s+)*(?:(?P<m1>{MONTH})\s+)?(?<![\d,.])(?P<y>\d{{1,4}})\s*{ERA_BC}"),
          _before_year_one),
    _Rule(re.compile(rf"\b(?:(?i:the)\s+)?(?:{PHASE}[\s-]+)?(?P<ord>{ORDINAL})[\s-]+(?i:century)\s*{ERA_BC}"),
          _before_year_one),
    _Rule(re.compile(rf"\b(?:(?i:the)\s+)?(?:{PHASE}[\s-]+)?(?:(?i:the)\s+)?(?P<decade>[1-9]\d{{0,2}}0)['’]?s\s*{ERA_BC}"),
          _before_year_one),
    _Rule(re.compile(rf"\b(?:(?i:the)\s+)?(?:{PHASE}[\s-]+)?(?P<ord>{ORDINAL})[\s-]+(?i:century)\b"), _century),
    _Rule(re.compile(rf"\b{_BETWEEN}(?P<d1>{DAY})\s+(?:of\s+)?(?P<m1>{MONTH})(?:,?\s+(?P<y1>{YEAR}))?{_DAYS_SEPARATOR}"
                     rf"(?P<d2>{DAY})\s+(?:of\s+)?(?P<m2>{MONTH}){_YEAR_AFTER}"), _calendar_date, True),
    _Rule(re.compile(rf"\b{_BETWEEN}(?P<m1>{MONTH})\s+(?P<d1>{DAY})(?:,?\s+(?P<y1>{YEAR}))?{_DAYS_SEPARATOR}"
                     rf"(?P<m2>{MONTH})\s+(?P<d2>{DAY}){_YEAR_AFTER}"), _calendar_date, True),
    _Rule(re.compile(rf"\b{_BETWEEN}(?P<d1>{DAY})(?P<sep>{_SAME_MONTH_SEPARATOR})(?P<d2>{DAY})\s+(?:of\s+)?(?P<m1>{MONTH}){_YEAR_AFTER}"),
          _calendar_date, True),
    _Rule(re.compile(rf"\b{_BETWEEN}(?P<m1>{MONTH})\s+(?P<d1>{DAY})(?P<sep>{_SAME_MONTH_SEPARATOR})(?P<d2>{DAY}){_YEAR_AFTER}"),
          _calendar_date, True),
    _Rule(re.compile(rf"\b(?P<d1>{DAY})\s+(?:of\s+)?(?P<m1>{MONTH}){_YEAR_AFTER}"), _calendar_date, True),
    _Rule(re.compile(rf"\b(?P<m1>{MONTH})\s+(?P<d1>{DAY})(?![-–/:]?\d){_YEAR_AFTER}"), _calendar_date, True),
    _Rule(re.compile(rf"\b(?P<y>{YEAR_DIGITS})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b"), _iso_date),
    _Rule(re.compile(rf"\b(?:(?i:from)\s+)?(?P<y1>{YEAR_DIGITS})(?:\s*[-–—]\s*|\s+(?:to|until|till|through)\s+)"
                     rf"(?P<y2>{YEAR_DIGITS}|\d\d)\b(?![-–/]\d)"), _year_range),
    _Rule(re.compile(rf"\b(?i:between)\s+(?P<y1>{YEAR_DIGITS})\s+and\s+(?P<y2>{YEAR_DIGITS})\b"), _year_range),
    _Rule(re.compile(rf"\b(?:(?i:from)\s+)?(?:{PHASE}[\s-]+)?(?P<m1>{MONTH}){_NOT_A_DAY}(?:,?\s+(?P<y1>{YEAR}))?"
                     rf"(?:\s*[-–—]\s*|\s+(?:to|until|till|through)\s+)(?:(?i:early|mid|late)[\s-]+)?"
                     rf"(?P<m2>{MONTH}){_NOT_A_DAY}(?:,?\s+(?:of\s+)?(?P<y>{YEAR}))?"), _month_range, True),
    _Rule(re.compile(rf"\b(?i:between)\s+(?P<m1>{MONTH}){_NOT_A_DAY}(?:,?\s+(?P<y1>{YEAR}))?\s+and\s+"
                     rf"(?P<m2>{MONTH}){_NOT_A_DAY}(?:,?\s+(?:of\s+)?(?P<y>{YEAR}))?"), _month_range, True),
    _Rule(re.compile(rf"\b(?:(?i:in|since|by|until|till|during|from|through|before|after|around|as\s+of)\s+)*"
                     rf"(?:{PHASE}[\s-]+)?(?P<m1>{MONTH}),?\s+(?:of\s+)?(?P<y>{YEAR})"), _month_and_year),
    _Rule(re.compile(rf"\b(?:(?i:in)\s+)?(?P<m1>{MONTH}){_NOT_A_DAY}(?=(?:\s+(?:and|or)\s+|\s*/\s*|,\s*)(?:{MONTH}{_NOT_A_DAY}"
                     rf"(?:\s+(?:and|or)\s+|\s*/\s*|,\s*))*{MONTH},?\s+(?:of\s+)?(?P<y>{YEAR}))"), _month_and_year),
    _Rule(re.compile(rf"\b(?:(?i:in)\s+)?(?P<m1>{MONTH})\s+(?P<mod>(?i:this|last|next))\s+(?i:year)\b"), _month_of_year),
    _Rule(re.compile(rf"\b(?:(?:{_BEFORE_MONTH})\s+)+(?:{PHASE}[\s-]+)?(?P<m1>{MONTH}){_NOT_A_DAY}{_NO_YEAR_AFTER}{_OF_THAT_YEAR}(?:['’]s\b)?"),
          _bare_month, True),
    _Rule(re.compile(rf"\b{PHASE}[\s-]+(?P<m1>{MONTH}){_NOT_A_DAY}{_NO_YEAR_AFTER}{_OF_THAT_YEAR}"), _bare_month, True),
    _Rule(re.compile(rf"\b(?P<m1>{MONTH})(?=\s+of\s+(?:that|the\s+same)\s+year){_OF_THAT_YEAR}"), _bare_month, True),
    _Rule(re.compile(r"\b(?i:the\s+new\s+year)\b(?!['’])"), _new_year, True),
    _Rule(re.compile(rf"\b(?i:the)\s+(?P<d1>{_ORDINAL_DAY})\s+of\s+(?:that|the\s+same)\s+month\b"), _day_of_the_month, True),
    _Rule(re.compile(rf"\b(?i:on\s+the)\s+(?P<d1>{_ORDINAL_DAY})(?=[,;.])"), _day_of_the_month, True),  # not "the 5th Army"
    _Rule(re.compile(rf"\b(?P<holiday>(?i:christmas|new\s+year['’]s))(?:\s+(?P<part>(?i:day|eve|night)))?(?:\s+(?P<y>{YEAR}))?"),
          _holiday, True),
    _Rule(re.compile(rf"\b(?P<m1>{MONTH})['’]s\b"), _bare_month, True),
    _Rule(re.compile(rf"\b(?:(?i:the|in|by|during|until|through)\s+)?(?:(?i:the)\s+)?(?:{PHASE}[\s-]+)?"
                     rf"(?P<season>(?i:spring|summer|autumn|fall|winter))(?:\s+(?:of\s+)?(?P<y>{YEAR}))"), _season, True),
    _Rule(re.compile(rf"\b(?i:(?:in|during|by|until|through|throughout|over)\s+(?:the\s+)?|that\s+|this\s+|(?:the\s+)?(?:early|late|mid)[\s-]+)"
                     rf"(?P<season>(?i:spring|summer|autumn|fall|winter))\b(?!\s+of\b|[-\s]+(?i:offensive|campaign|session|games|olympics))"),
          _season, True),
    _Rule(re.compile(rf"\b(?:the\s+)?(?:{PHASE}[\s-]+)?(?P<decade>1\d\d0|20\d0)['’]?s\b"), _decade),
    _Rule(re.compile(rf"\b(?:(?:{_BEFORE_YEAR})\s+)?(?P<core>(?:{PHASE}[\s-]+)?(?P<y>{YEAR}))(?![-–/]\d)"), _bare_year,
          accept=_plain_year),
    _Rule(re.compile(rf"\b(?:(?P<mod>(?i:on|last|next|this|since|by|until|from))\s+)?(?P<wd>{WEEKDAY})"
                     rf"(?:{_TO})(?P<wd2>{WEEKDAY})"), _weekday_range),
    _Rule(re.compile(rf"\b(?:(?P<mod>(?i:on|last|next|this|since|by|until|from))\s+)?(?P<wd>{WEEKDAY})(?:['’]s\b)?"),
          _weekday),
    _Rule(re.compile(r"\b(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tonight|tomorrow"
                     r"|this\s+(?:morning|afternoon|evening))\b"),
          _day_word),
    _Rule(re.compile(rf"\b{PHASE}\s+(?P<mod>(?i:the|this|last|next))\s+(?P<unit>(?i:year|month))\b"), _phase_of_period),
    _Rule(re.compile(r"(?<![Tt]he\s)\b(?P<phase>(?i:earlier|later|early|late)\s+)?(?P<mod>(?i:last|next|this))\s+"
                     r"(?P<unit>(?i:week|weekend|month|year))\b(?:['’]s\b)?"), _relative_period),
    _Rule(re.compile(rf"\b(?P<n>{NUMBER})\s+(?P<unit>(?i:day|week|month|year|decade))s?\s+(?i:ago)\b"
                     rf"(?:,?\s+(?P<today>(?i:today|to\s+the\s+day))\b)?"), _ago),
    _Rule(_SHIFT, None),
)

_DAY_RULES = tuple(rule for rule in RULES if rule.resolve in (_calendar_date, _iso_date))
_ANCHORS = (_calendar_date, _iso_date, _month_and_year, _season)  # "by the spring of 1915" sets 1915 too


# --- finding and resolving --------------------------------------------------------------


class _Sentences:
    """The sentence holding an offset, found by bisection."""

    def __init__(self, sentences: Sequence[Sentence]):
        self.sentences = sentences
        self.starts = [s.start for s in sentences]

    def at(self, offset: int) -> Sentence | None:
        index = bisect.bisect_right(self.starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return None


@dataclass(frozen=True)
class _YearInForce:
    anchor: _Anchor
    sentence: Sentence
    opens: bool  # the date opens its sentence ("On 12 March 2011, ...", "In 1936, ...")


def find_expressions(
    article: str, sentences: Sequence[Sentence], published: date | None, skip: Iterable[tuple[int, int]] = (),
    published_as: str = "",
) -> list[Expression]:
    """Every temporal expression of the article in order, resolved where it can be.

    Text inside the `skip` spans (such as the dateline) is not looked at; `published_as`
    names the publication date in the anchors (its ISO text by default).
    """
    found = leftmost_longest(_candidates(article, tuple(skip)), lambda c: c[1].span())
    lookup = _Sentences(sentences)
    quoted = _quoted_spans(article)
    expressions: list[Expression | None] = []
    in_force: _YearInForce | None = None
    for rule, match in found:
        if rule.resolve is None:
            expressions.append(None)
            continue
        sentence = lookup.at(match.start())
        carried = in_force.anchor if rule.carries and _carries(in_force, sentence, match, published) else None
        expression = _resolve(rule.resolve, match, sentence, published, published_as, carried)
        expressions.append(expression)
        in_force = _next_in_force(in_force, rule, match, expression, sentence, published) or in_force
    _resolve_shifts(found, expressions, lookup)
    resolved = [part for (_, match), e in zip(found, expressions) if e is not None for part in _listed_days(e, match)]
    resolved = _years_of_an_ancient_story(article, resolved, tuple(skip))
    return _quoted_days_from_their_speech(resolved, quoted, lookup)


_BARE_ANCIENT_YEAR = re.compile(r"\b(?i:in|by|until|till|from|of|after|before|during|to)\s+(?P<y>[1-9]\d{2})\b"
                                r"(?!\s*(?:AD|CE|A\.D\.)|\s*[-–/:.,]\d|\s+[a-z]+s\b)")
_JOINED_TO_NEXT = 6  # characters: " and ", " or ", " to "
ANCIENT_STORY_YEARS = 50  # "in 492" within this many years of the "493 BC" before it is BC too


def _years_of_an_ancient_story(
    article: str, expressions: list[Expression], skip: tuple[tuple[int, int], ...]
) -> list[Expression]:
    """"In 493 BC ... In 492, ...": a year written without its era in a story told before
    year 1 is of the same era, when it lies near the last BC date and no later date
    (of our era) came between."""
    if not any(e.before_year_one for e in expressions):
        return expressions
    starts = [e.start for e in expressions]
    taken = sorted([(e.start, e.end) for e in expressions] + list(skip))
    added = []
    for match in _BARE_ANCIENT_YEAR.finditer(article):
        index = bisect.bisect_left(starts, match.start())
        before = expressions[index - 1] if index > 0 else None
        after = expressions[index] if index < len(expressions) else None
        if after is not None and after.start - match.end() <= _JOINED_TO_NEXT:  # "496 and 495 BC"
            before = after
        year = int(match["y"])
        if (before is None or before.before_year_one is None or _skipped(taken, match)
                or abs(before.before_year_one.last - year) > ANCIENT_STORY_YEARS):
            continue
        value = AncientDate(year, year)
        added.append(Expression(match["y"], match.start("y"), match.end("y"), problem=str(BeforeYearOne(value)),
                                before_year_one=value, anchor=f'the era of "{before.words}"'))
    return sorted(expressions + added, key=lambda e: e.start) if added else expressions


def _candidates(article: str, skip: tuple[tuple[int, int], ...]) -> list[tuple[_Rule, re.Match]]:
    starts = sorted(skip)
    return [
        (rule, match)
        for rule in RULES
        for match in rule.pattern.finditer(article)
        if (rule.accept is None or rule.accept(match)) and not _skipped(starts, match)
    ]


def _listed_days(expression: Expression, match: re.Match) -> list[Expression]:
    """"May 4 and 10": two days, each its own expression. Two days in a row ("July 7 and
    8") stay one span, as does "between 4 and 10 May"."""
    separator = match.groupdict().get("sep") or ""
    if expression.date is None or separator.strip().lower() != "and" or match["between"]:
        return [expression]
    text = match.string
    first, last = first_day(expression.date), last_day(expression.date)
    if last - first <= timedelta(days=1):
        return [expression]
    return [
        replace(expression, words=text[match.start():match.start("sep")], end=match.start("sep"),
                date=point(first, Precision.DAY)),
        replace(expression, words=text[match.end("sep"):match.end()], start=match.end("sep"),
                date=point(last, Precision.DAY)),
    ]


def _skipped(skip: list[tuple[int, int]], match: re.Match) -> bool:
    return any(match.start() < end and start < match.end() for start, end in skip)


def _span_of(match: re.Match) -> tuple[str, int, int]:
    """The words an expression is reported by: the `core` group when the rule has one."""
    group = "core" if "core" in match.re.groupindex else 0
    return match.group(group), match.start(group), match.end(group)


def _resolve(
    resolve: Resolver, match: re.Match, sentence: Sentence | None, published: date | None, published_as: str,
    carried: _Anchor | None,
) -> Expression:
    words, start, end = _span_of(match)
    future = is_future(sentence, match.start(), match.end())
    context = _Context(published, future, published_as, carried)
    try:
        value, anchor = resolve(match, context)
    except BeforeYearOne as why:
        return Expression(words, start, end, problem=str(why), before_year_one=why.value)
    except Unresolved as why:
        return Expression(words, start, end, problem=str(why))
    except (ValueError, OverflowError):  # DateError too: a date beyond the calendar's years
        return Expression(words, start, end, problem=_OUT_OF_RANGE)
    return Expression(words, start, end, value, anchor, passing=_in_passing(match.string, start, end, value, sentence, published))


def _carries(in_force: _YearInForce | None, sentence: Sentence | None, match: re.Match, published: date | None) -> bool:
    """Whether a date without its year takes the year in force rather than the publication's."""
    if in_force is None:
        return False
    if published is None:
        return True
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    opens_line = not match.string[line_start:match.start()].strip()
    same_sentence = sentence is not None and sentence.start == in_force.sentence.start
    same_paragraph = sentence is not None and sentence.paragraph == in_force.sentence.paragraph
    return opens_line or same_sentence or (in_force.opens and same_paragraph)


def _next_in_force(
    in_force: _YearInForce | None, rule: _Rule, match: re.Match, expression: Expression, sentence: Sentence | None,
    published: date | None,
) -> _YearInForce | None:
    """The year in force after this expression, when it writes a year (or was dated by one)."""
    value = expression.date
    if value is None or sentence is None or expression.passing or is_future(sentence, match.start(), match.end()):
        return None  # "a campaign planned for 1976" does not move the story there
    opens = _opens_sentence(sentence, expression.start)
    written = rule.resolve in _ANCHORS and expression.anchor == "as written" or (
        rule.resolve is _ago and value.precision == Precision.DAY and first_day(value).year != (published or date.min).year)
    carried = rule.resolve in _ANCHORS and expression.anchor.startswith("the year from \"")
    one_year = first_day(value).year == last_day(value).year  # "1936", "early 1927"; not "1936-1939"
    year_opening = rule.resolve is _bare_year and one_year and _sets_the_year(
        match, expression, opens, published, in_force.anchor.day.year if in_force else None)
    if not (written or carried or year_opening):
        return None
    precision = Precision.YEAR if rule.resolve is _bare_year else value.precision  # "late 1949" sets 1949
    anchor = _Anchor(first_day(value), precision, expression.words)
    if carried and in_force is not None:
        anchor = replace(anchor, words=in_force.anchor.words)
        return _YearInForce(anchor, sentence, in_force.opens or opens)
    return _YearInForce(anchor, sentence, opens)


_SETS_YEAR_BEFORE = re.compile(r"(?i)\b(?:in|by|during|throughout|until|till|from|after|before|early|late|mid|of)[\s-]+$")


_NOUN_AFTER = re.compile(r"\s+[a-z]")
_PAST_PERFECT = re.compile(r"\bhad\s+(?:been\s+)?[a-z]+(?:ed|en|wn|ne|ght|t)\b[^.,;]*$")
ASIDE_YEARS = 10  # a year this far from the story's, named inside a sentence, is an aside


def _sets_the_year(
    match: re.Match, expression: Expression, opens: bool, published: date | None, story_year: int | None
) -> bool:
    """Whether a bare year sets the year the text goes on in: "In 1936, ..." or a heading;
    in a narrative (no publication date) also "... in 1936" (not "a 1936 law", not
    "documents found in 2004" inside a story of 1920, and not an earlier year in the past
    perfect, "troops that had invaded in late 1943" in a story of 1944)."""
    text = match.string
    set_apart = text[expression.end:expression.end + 1] in (",", "\n", "")
    aside = story_year is not None and abs(first_day(expression.date).year - story_year) > ASIDE_YEARS
    if opens and (set_apart or published is None):
        return not (aside and _NOUN_AFTER.match(text, expression.end))  # "The 1614 rules" in a story of 1788
    flashback = story_year is not None and first_day(expression.date).year < story_year and bool(
        _PAST_PERFECT.search(text[max(0, expression.start - 60):expression.start]))
    return published is None and not aside and not flashback and bool(
        _SETS_YEAR_BEFORE.search(text[max(0, expression.start - 12):expression.start]))


def _opens_sentence(sentence: Sentence, offset: int) -> bool:
    return len(sentence.text[: offset - sentence.start].split()) <= 1


def _in_passing(article: str, start: int, end: int, value: EDTF, sentence: Sentence | None, published: date | None) -> bool:
    """A year named in passing: "since 1900", "since Chernobyl in 1986", and a later year
    naming a plan ("the 2030 Agenda" in 2018; "the 2015 Paris Agreement" is a happening)."""
    if _COUNTED_TIMES.search(article[max(0, start - 12):start]):
        return True
    if value.precision != Precision.YEAR or sentence is None:
        return False
    first, last = first_day(value).year, last_day(value).year
    if published is not None and last - first >= 99 and first <= published.year <= last:
        return True  # "the worst crisis of the 21st century" in news of 2018
    before = clause_before(sentence, start)
    if _SINCE.search(before):
        return True
    named = _ARTICLE_BEFORE.search(article[max(0, start - 8):start]) and _NAME_AFTER.match(article, end)
    return bool(named and published is not None and value.earliest.year > published.year)


def is_future(sentence: Sentence | None, start: int, end: int) -> bool:
    """Whether the clause holding the words at start-end speaks of the future."""
    if sentence is None:
        return False
    before = clause_before(sentence, start)
    if FUTURE.search(before) or (_is_headline(sentence) and _HEADLINE_INFINITIVE.search(before)):
        return True
    opens_clause = len(before.split()) <= 1
    return opens_clause and bool(FUTURE.search(clause_after(sentence, end)))


def _is_headline(sentence: Sentence) -> bool:
    """The article's first line when it reads as a headline (no full stop at its end)."""
    return sentence.paragraph == 0 and not sentence.text.rstrip().endswith((".", "!", "?", '"', "”"))


# --- quoted words: "today" is the day they were said --------------------------------------

_QUOTATION = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"")


def _quoted_spans(article: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTATION.finditer(article)]


def _inside(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    index = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    if index >= 0 and spans[index][0] < offset < spans[index][1]:
        return spans[index]
    return None


def _quoted_days_from_their_speech(
    expressions: list[Expression], quoted: list[tuple[int, int]], lookup: _Sentences,
) -> list[Expression]:
    """"Today" inside a quotation, counted from the day its sentence says it was said."""
    result = list(expressions)
    for index, expression in enumerate(expressions):
        words = " ".join(expression.words.lower().split())
        if words not in _DAY_WORDS or expression.date is None:
            continue
        quote = _inside(quoted, expression.start)
        sentence = lookup.at(expression.start)
        if quote is None or sentence is None:
            continue
        said = next((e for e in expressions if sentence.start <= e.start < sentence.end and e.date is not None
                     and e.date.precision == Precision.DAY and not e.date.is_interval
                     and " ".join(e.words.lower().split()) not in _DAY_WORDS and _inside(quoted, e.start) is None), None)
        if said is None:
            continue
        day = first_day(said.date) + timedelta(days=_DAY_WORDS[words])
        result[index] = replace(expression, date=point(day, Precision.DAY),
                                anchor=f'counted from "{said.words}" ({said.date.edtf}), when the quoted words were said')
    return result


# --- shifts: "a day before", "seven months after", "a week later" -----------------------

_LATER = frozenset({"after", "later", "next", "following"})


def _resolve_shifts(found: list[tuple[_Rule, re.Match]], expressions: list[Expression | None], lookup: _Sentences) -> None:
    dated = [i for i, e in enumerate(expressions) if e is not None and e.date is not None]
    for index, (rule, match) in enumerate(found):
        if rule.resolve is None:  # in order, so that a shift may count from the one before it
            expressions[index] = shift = _resolve_shift(match, index, expressions, dated, lookup.at(match.start()))
            if shift.date is not None:
                bisect.insort(dated, index)


def _resolve_shift(
    match: re.Match, index: int, expressions: list[Expression | None], dated: list[int], sentence: Sentence | None
) -> Expression:
    """A date counted from the nearest resolved expression.

    "X, a day before Y": when the anchor dates X (it comes first in the sentence),
    the shift dates Y, so "before" counts forward; when the anchor lies inside Y,
    the shift dates X and "before" counts back.
    """
    words, start, end = _span_of(match)
    unit = (match["unit"] or match["unit2"] or match["unit3"] or match["unit4"]).lower()
    unit = "day" if unit in ("morning", "night", "evening") else unit
    direction = "same" if match["that"] or match["same"] else (match["dir"] or match["order"]).lower()
    has_complement = direction in ("before", "after") and _words_follow(sentence, end)
    anchor, anchor_first = _shift_anchor(index, expressions, dated, sentence, has_complement)
    if anchor is None or anchor.date is None:
        return Expression(words, start, end, problem="no dated expression before it to count from")
    sign = 1 if direction in _LATER else -1
    if has_complement and anchor_first and sentence is not None and anchor.start >= sentence.start:
        sign = -sign
    amount = 0 if direction == "same" else sign * (_number(match["n"]) if match["n"] else 1)
    calendar_unit = not match["n"] and unit in ("month", "year")  # "the next year" is that calendar year
    try:
        value = shifted(anchor.date, unit, amount, calendar_unit)
    except (ValueError, OverflowError):
        return Expression(words, start, end, problem=_OUT_OF_RANGE)
    return Expression(words, start, end, value, f'counted from "{anchor.words}" ({anchor.date.edtf})')


def _words_follow(sentence: Sentence | None, offset: int) -> bool:
    if sentence is None:
        return False
    rest = sentence.text[offset - sentence.start:].lstrip()
    return bool(rest) and (rest[0].isalpha() or rest[0] in "\"“‘'")


def _shift_anchor(
    index: int, expressions: list[Expression | None], dated: list[int], sentence: Sentence | None, has_complement: bool
) -> tuple[Expression | None, bool]:
    """The expression a shift counts from, and whether it comes before the shift."""
    position = bisect.bisect_left(dated, index)
    earlier = expressions[dated[position - 1]] if position > 0 else None
    later = expressions[dated[position]] if position < len(dated) and dated[position] != index else None
    if position < len(dated) and dated[position] == index and position + 1 < len(dated):
        later = expressions[dated[position + 1]]
    if earlier is not None and sentence and earlier.start >= sentence.start:
        return earlier, True
    if has_complement and later is not None and sentence and later.start < sentence.end:
        return later, False
    return (earlier, True) if earlier is not None else (None, True)


def shifted(value: EDTF, unit: str, amount: int, calendar_unit: bool = False) -> EDTF:
    """`value` moved by `amount` days, weeks, months or years (approximate but for days).

    With `calendar_unit`, the result is the whole month or year moved to ("the next year").
    """
    delta = relativedelta(**{unit + "s": amount})
    if calendar_unit:
        precision = Precision.YEAR if unit == "year" else Precision.MONTH
        return span(first_day(value) + delta, first_day(value) + delta, min(value.precision, precision))
    precision = min(value.precision, _UNIT_PRECISION[unit])
    approximate = unit != "day" or value.approximate
    return span(first_day(value) + delta, last_day(value) + delta, precision, approximate)


# --- the publication date an article states ---------------------------------------------

_LABEL = re.compile(r"(?m)^[ \t]*(?P<label>(?i:published|posted|last\s+updated|updated))(?:\s+(?i:on|at))?\s*:?\s*")
_AGENCY_DATELINE = re.compile(r"(?m)^[ \t]*[A-Z][\w.'’ -]{0,40}?\s*\([^)\n]{1,30}\)\s*[-–—,:]?\s*")
_DATELINE = re.compile(  # "GENEVA, May 23, 2018", "KOBE, Japan, Jan. 17, 2005"
    rf"(?m)^[ \t]*[A-Z]{{2}}[A-Z.'’ -]*(?:\([^)\n]*\))?,\s*(?:(?!{MONTH}|{WEEKDAY})[A-Z][\w.'’ -]{{0,30}}?,\s*)?")
_DATE_LINE = re.compile(r"(?m)^[ \t]*(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?\s+)?(?=\S)")
_TIME_AFTER = re.compile(r"\s*(?:\d{1,2}[:.]\d\d\s*(?i:am|pm|a\.m\.|p\.m\.)?(?:\s*[A-Z]{2,4})?\s*)?$")
_HEAD = 1000  # a stated publication date is looked for in the first characters only


def find_publication(article: str) -> Publication | None:
    """The publication date stated at the top: "Published on ...", a dateline, "Updated: ..."."""
    head = article[:_HEAD]
    labelled = [(_label_rank(m["label"]), m) for m in _LABEL.finditer(head)]
    datelines = [(1, m) for pattern in (_DATELINE, _AGENCY_DATELINE) for m in pattern.finditer(head)]
    date_lines = [(1, m) for m in _DATE_LINE.finditer(head) if _whole_line_date(article, m.end())]
    for _, lead in sorted(labelled + datelines + date_lines, key=lambda pair: (pair[0], pair[1].start())):
        stated = _day_at(article, lead.end())
        if stated is not None:
            return _publication(article, lead.start(), stated)
    return None


def _whole_line_date(article: str, offset: int) -> bool:
    """Whether the line from `offset` is a date and perhaps a time ("Mar 16, 2011 6:46am EDT")."""
    stated = _day_at(article, offset)
    if stated is None:
        return False
    line_end = article.find("\n", stated.end())
    return bool(_TIME_AFTER.match(article[stated.end(): line_end if line_end >= 0 else len(article)]))


def _label_rank(label: str) -> int:
    return 2 if "updated" in label.lower() else 0


def _day_at(article: str, offset: int) -> re.Match | None:
    matches = [m for m in (rule.pattern.match(article, offset) for rule in _DAY_RULES) if m]
    return max(matches, key=lambda m: m.end(), default=None)


def _publication(article: str, start: int, match: re.Match) -> Publication:
    resolve = next(rule.resolve for rule in _DAY_RULES if rule.pattern is match.re)
    words = article[start:match.end()].strip()
    try:
        value, _ = resolve(match, _Context(None, False))
    except (Unresolved, DateError) as why:
        has_year = match.groupdict().get("y") or match.groupdict().get("y1")
        return Publication(words, start, match.end(), None, f"is not a date ({why})" if has_year else "gives no year")
    if value.is_interval:
        return Publication(words, start, match.end(), None, "gives a range of days, not one day")
    return Publication(words, start, match.end(), first_day(value))
