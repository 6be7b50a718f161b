"""Partial dates: the EDTF subset of the content format ("Dates" in the contract).

`parse` turns what an author wrote (ISO text with an optional `~ ? %` qualifier, an
interval `A/B`, a window `[A..B]`, a form with a month's name, or the int / date /
datetime / list YAML makes of some of these) into a `PartialDate`, an `Interval` or a
`Window`. Each knows its precision, its first and last instant (in UTC, and on the
site's clock), its canonical EDTF text, its English display text and a
machine-independent sort key. Any bad date raises `DateError`.

A year, month or day is a period of the site's calendar: in an Asia/Tokyo site,
2012-01-01 begins at 2012-01-01T00:00+09:00. A time without an offset is read on the
site's clock too; a time with its own offset keeps it.
"""
from __future__ import annotations

import calendar
import datetime as dt
import difflib
import enum
import re
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Union

__all__ = [
    "DateError",
    "EDTF",
    "Interval",
    "PartialDate",
    "Precision",
    "UTC",
    "Window",
    "format_date",
    "parse",
    "year_of",
]

UTC = dt.timezone.utc
# 9999 is left out so that the day after any date (an iCalendar DTEND, a chart's
# last month) is still a date.
MIN_YEAR, MAX_YEAR = 1, 9998

# English names, on purpose not `calendar.month_name` (which follows the locale).
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH_WORDS = MappingProxyType({
    **{name.lower(): number for number, name in enumerate(MONTH_NAMES, 1)},
    **{name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, 1)},
    "sept": 9,
})
_WEEKDAY_WORDS = MappingProxyType({
    **{name.lower(): index for index, name in enumerate(WEEKDAY_NAMES)},
    **{name[:3].lower(): index for index, name in enumerate(WEEKDAY_NAMES)},
})
# Other words dateutil understands and that may sit in a written date.
_FILLER_WORDS = frozenset({"st", "nd", "rd", "th", "of", "on", "at", "am", "pm", "utc", "gmt", "z"})

_ISO = re.compile(
    r"""(?P<year>\d{4})
    (?:-(?P<month>\d{2})
      (?:-(?P<day>\d{2})
        (?:[Tt\ ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?
          (?P<offset>[Zz]|(?P<sign>[+-])(?P<off_h>\d{2})(?::?(?P<off_m>\d{2}))?)?
        )?
      )?
    )?""",
    re.VERBOSE | re.ASCII,
)
_NUMERIC = re.compile(r"(\d{1,4})([./-])(\d{1,4})(?:\2(\d{1,4}))?", re.ASCII)
_WORD = re.compile(r"[^\W\d_]+")
_ZONE_BEFORE_OFFSET = re.compile(r"(?<![a-z])(?:UTC|GMT)\s*(?=[+-]\d)", re.IGNORECASE | re.ASCII)
_QUALIFIERS = MappingProxyType({"~": (True, False), "?": (False, True), "%": (True, True)})
# Two defaults for dateutil: a part is given when both parses agree on it.
_DEFAULTS = (dt.datetime(2000, 1, 1, 0, 0, 0), dt.datetime(2004, 2, 2, 1, 1, 1))
_FORMS = "2017, 2017-05, 2017-05-29, 2017-05-29T14:30, 29 May 2017, 2018-05-24/2018-05-25 or [2011-09-02..2011-09-19]"
_WINDOW = re.compile(r"\[(?P<inside>.*)\]", re.DOTALL)


class DateError(ValueError):
    """A date an author wrote that is not one; `str()` is a one-line message."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


class Precision(enum.IntEnum):
    """How much of a date is given, coarsest first."""

    YEAR = 0
    MONTH = 1
    DAY = 2
    MINUTE = 3
    SECOND = 4

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class PartialDate:
    """A year, month, day or moment, possibly approximate and/or uncertain.

    `tz` is the zone of a time written without an offset; it is not compared.
    """

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    utc_offset_minutes: int | None = None
    approximate: bool = False
    uncertain: bool = False
    tz: dt.tzinfo = field(default=UTC, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_types(self)
        _check_shape(self)
        _check_ranges(self)
        _check_instants(self)

    @property
    def precision(self) -> Precision:
        if self.second is not None:
            return Precision.SECOND
        if self.hour is not None:
            return Precision.MINUTE
        if self.day is not None:
            return Precision.DAY
        return Precision.MONTH if self.month is not None else Precision.YEAR

    @cached_property
    def _bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return _bounds(self)

    @property
    def earliest(self) -> dt.datetime:
        return self._bounds[0]

    @property
    def latest(self) -> dt.datetime:
        return self._bounds[1]

    @cached_property
    def edtf(self) -> str:
        return (
            _numeric_text(self.year, self.month, self.day, self.hour, self.minute, self.second)
            + _offset_text(self.utc_offset_minutes)
            + _qualifier_suffix(self.approximate, self.uncertain)
        )

    @cached_property
    def local_earliest(self) -> dt.datetime:
        """The first instant on the site's clock (the zone given to `parse`)."""
        return self.earliest.astimezone(self.tz)

    @cached_property
    def local_latest(self) -> dt.datetime:
        return self.latest.astimezone(self.tz)

    @property
    def first_day(self) -> dt.date:
        """The first calendar day, as written (a moment's day in its own offset)."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The last calendar day, as written."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    @property
    def is_interval(self) -> bool:
        return False

    @property
    def is_window(self) -> bool:
        return False

    @property
    def start(self) -> PartialDate:
        return self

    @property
    def end(self) -> PartialDate:
        return self

    def display(self) -> str:
        return _qualify(_plain_display(self), self.approximate, self.uncertain)

    @cached_property
    def sort_key(self) -> SortKey:
        return _sort_key(self)


@dataclass(frozen=True)
class _Span:
    """What an interval and a window share: two `PartialDate`s, `start` before `end`."""

    start: PartialDate
    end: PartialDate

    def __post_init__(self) -> None:
        if not (isinstance(self.start, PartialDate) and isinstance(self.end, PartialDate)):
            raise DateError(f"{self.kind}'s start and end must both be single dates")
        problem = _order_problem(self.start, self.end)
        if problem:
            raise DateError(f"{self.edtf} is not a date: the {self.kind} {problem}")

    kind = "span"  # "interval" or "window" in the subclasses
    _form = "{}{}"  # how the EDTF text joins the ends' texts

    def _joined(self, prefix: str, first: str, last: str, suffix: str) -> str:
        """The display text of the ends' parts (see `_shared_display`)."""
        raise NotImplementedError

    @property
    def precision(self) -> Precision:
        return self.start.precision

    @cached_property
    def earliest(self) -> dt.datetime:
        return self.start.earliest

    @cached_property
    def latest(self) -> dt.datetime:
        return self.end.latest

    @property
    def local_earliest(self) -> dt.datetime:
        return self.start.local_earliest

    @property
    def local_latest(self) -> dt.datetime:
        return self.end.local_latest

    @property
    def approximate(self) -> bool:
        return self.start.approximate or self.end.approximate

    @property
    def uncertain(self) -> bool:
        return self.start.uncertain or self.end.uncertain

    @cached_property
    def edtf(self) -> str:
        return self._form.format(self.start.edtf, self.end.edtf)

    @property
    def is_interval(self) -> bool:
        return self.kind == "interval"

    @property
    def is_window(self) -> bool:
        return self.kind == "window"

    def display(self) -> str:
        start, end = self.start, self.end
        if (start.approximate, start.uncertain) == (end.approximate, end.uncertain):
            return _qualify(self._joined(*_shared_display(start, end)), start.approximate, start.uncertain)
        return self._joined("", start.display(), end.display(), "")

    @cached_property
    def sort_key(self) -> SortKey:
        return _sort_key(self)


@dataclass(frozen=True)
class Interval(_Span):
    """From `start` to `end`, each a `PartialDate` of any precision: it lasted."""

    kind = "interval"
    _form = "{}/{}"

    def _joined(self, prefix: str, first: str, last: str, suffix: str) -> str:
        return _dash_joined(prefix, first, last, suffix)


@dataclass(frozen=True)
class Window(_Span):
    """Sometime between `start` and `end` (EDTF `[A..B]`): one moment of the window, not known which."""

    kind = "window"
    _form = "[{}..{}]"

    def _joined(self, prefix: str, first: str, last: str, suffix: str) -> str:
        return _between_joined(prefix, first, last, suffix)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.start.edtf == self.end.edtf:
            raise DateError(f"{self.edtf} is not a date: a window needs two different ends; write {self.start.edtf}",
                            suggestion=self.start.edtf)

    @cached_property
    def shared(self) -> PartialDate | None:
        """What both ends share, as a coarser date (September 2011 for 2–19 September 2011), or None."""
        start, end = self.start, self.end
        if start.year != end.year:
            return None
        month = start.month if start.month == end.month else None
        day = start.day if month is not None and start.day == end.day else None
        return PartialDate(start.year, month, day, tz=start.tz)


EDTF = Union[PartialDate, Interval, Window]
SortKey = tuple[dt.datetime, int, int, dt.datetime, str]


def parse(value: object, tz: dt.tzinfo = UTC) -> EDTF:
    """Read a date as an author wrote it (str) or as YAML loaded it (int, date, datetime, list).

    `tz` is the zone of times written without an offset.
    """
    if value is None:
        raise DateError("the date is missing: write e.g. 2017-05-29")
    if isinstance(value, bool):
        raise DateError(f"{value} is not a date: write e.g. 2017-05-29")
    if isinstance(value, int):
        return PartialDate(value, tz=tz)
    if isinstance(value, dt.datetime):
        return _from_datetime(value, tz)
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day, tz=tz)
    if isinstance(value, str):
        return _parse_text(value, tz)
    if isinstance(value, list):
        return _from_list(value, tz)
    raise DateError(f"{value!r} is not a date: expected text such as 2017-05-29, not {type(value).__name__}")


def _sort_key(d: EDTF) -> SortKey:
    """Earliest instant, then coarser precision, then interval or window before point.

    The last two parts (latest instant, EDTF text) only tell apart dates that differ
    otherwise; callers append the event id for a total order of events.
    """
    return (d.earliest, int(d.precision), 1 if isinstance(d, PartialDate) else 0, d.latest, d.edtf)


def format_date(d: EDTF) -> str:
    """The English display text of a date, e.g. "29 May 2017"."""
    return d.display()


def year_of(d: EDTF) -> int:
    """The year of the site's calendar a date (or an interval's start) begins in."""
    return d.local_earliest.year


# --- validation ---------------------------------------------------------------------

_SHAPE_RULES = (
    ("day", "month"),
    ("hour", "day"),
    ("hour", "minute"),
    ("minute", "hour"),
    ("second", "minute"),
    ("utc_offset_minutes", "hour"),
)
_INT_FIELDS = ("year", "month", "day", "hour", "minute", "second", "utc_offset_minutes")


def _check_types(d: PartialDate) -> None:
    if not isinstance(d.tz, dt.tzinfo):
        raise TypeError(f"tz must be a datetime.tzinfo (a naive time would follow the machine's zone), not {d.tz!r}")
    for name in _INT_FIELDS:
        value = getattr(d, name)
        if (value is not None or name == "year") and (isinstance(value, bool) or not isinstance(value, int)):
            raise DateError(f"invalid date: {name} must be a whole number, not {value!r}")


def _check_shape(d: PartialDate) -> None:
    for name, needed in _SHAPE_RULES:
        if getattr(d, name) is not None and getattr(d, needed) is None:
            raise DateError(f"invalid date: {name} is given without {needed}")


def _check_ranges(d: PartialDate) -> None:
    text = _numeric_text(d.year, d.month, d.day, d.hour, d.minute, d.second)
    problem = _range_problem(d)
    if problem:
        raise DateError(f"{text} is not a date: {problem}")


def _range_problem(d: PartialDate) -> str | None:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        return f"the year must be between {MIN_YEAR} and {MAX_YEAR}"
    if d.month is not None and not 1 <= d.month <= 12:
        return f"there is no month {d.month}"
    if d.month is not None and d.day is not None:
        length = calendar.monthrange(d.year, d.month)[1]
        if not 1 <= d.day <= length:
            return f"{MONTH_NAMES[d.month - 1]} {d.year} has {length} days"
    for name, limit in (("hour", 24), ("minute", 60), ("second", 60)):
        value = getattr(d, name)
        if value is not None and not 0 <= value < limit:
            return f"there is no {name} {value}"
    if d.utc_offset_minutes is not None and abs(d.utc_offset_minutes) >= 24 * 60:
        return "a UTC offset must be less than 24 hours"
    return None


def _check_instants(d: PartialDate) -> None:
    try:
        _bounds(d)
    except (OverflowError, ValueError):
        raise DateError(f"{d.edtf} is not a date: it falls outside years {MIN_YEAR}-{MAX_YEAR} in UTC") from None


# --- instants -----------------------------------------------------------------------


def _bounds(d: PartialDate) -> tuple[dt.datetime, dt.datetime]:
    """First and last second of the period, in UTC; a year, month or day is one of the site's calendar."""
    if d.hour is None:
        first = dt.datetime.combine(d.first_day, dt.time(), tzinfo=d.tz)
        last = dt.datetime.combine(d.last_day, dt.time(23, 59, 59), tzinfo=d.tz)
        return first.astimezone(UTC), last.astimezone(UTC)
    zone = d.tz if d.utc_offset_minutes is None else dt.timezone(dt.timedelta(minutes=d.utc_offset_minutes))
    local = dt.datetime(d.year, d.month, d.day, d.hour, d.minute, d.second or 0, tzinfo=zone)  # type: ignore[arg-type]
    first = local.astimezone(UTC)
    return first, first + dt.timedelta(seconds=59 if d.second is None else 0)


# --- text ---------------------------------------------------------------------------


def _numeric_text(
    year: int, month: int | None, day: int | None, hour: int | None, minute: int | None, second: int | None
) -> str:
    text = f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}"
    if day is not None:
        text += f"-{day:02d}"
    if hour is not None:
        text += f"T{hour:02d}:{minute or 0:02d}"
    if second is not None:
        text += f":{second:02d}"
    return text


def _offset_text(minutes: int | None, zero: str = "Z") -> str:
    if minutes is None:
        return ""
    if minutes == 0:
        return zero
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def _qualifier_suffix(approximate: bool, uncertain: bool) -> str:
    for suffix, flags in _QUALIFIERS.items():
        if flags == (approximate, uncertain):
            return suffix
    return ""


def _qualify(text: str, approximate: bool, uncertain: bool) -> str:
    return ("c. " if approximate else "") + text + (" (uncertain)" if uncertain else "")


def _day_text(d: PartialDate) -> str:
    """The date part without qualifiers: "2017", "May 2017" or "29 May 2017"."""
    if d.month is None:
        return str(d.year)
    month = f"{MONTH_NAMES[d.month - 1]} {d.year}"
    return month if d.day is None else f"{d.day} {month}"


def _clock(d: PartialDate) -> str:
    return f"{d.hour:02d}:{d.minute:02d}" + ("" if d.second is None else f":{d.second:02d}")


def _zone_label(d: PartialDate) -> str:
    if d.utc_offset_minutes is None:
        return ""
    return " UTC" + _offset_text(d.utc_offset_minutes, zero="")


def _plain_display(d: PartialDate) -> str:
    if d.hour is None:
        return _day_text(d)
    return f"{_day_text(d)}, {_clock(d)}{_zone_label(d)}"


def _shared_display(start: PartialDate, end: PartialDate) -> tuple[str, str, str, str]:
    """Two ends' display without qualifiers, split as (shared prefix, first, last, shared suffix).

    2–19 September 2011 is ("", "2", "19", " September 2011").
    """
    first, last = _plain_display(start), _plain_display(end)
    whole = ("", first, last, "")
    if first == last or start.precision != end.precision or start.precision == Precision.YEAR:
        return whole
    if start.year != end.year:
        return whole
    year = f" {start.year}"
    if start.precision == Precision.MONTH:
        return "", MONTH_NAMES[start.month - 1], MONTH_NAMES[end.month - 1], year  # type: ignore[operator]
    if start.precision == Precision.DAY:
        if start.month == end.month:
            return "", str(start.day), str(end.day), f" {MONTH_NAMES[end.month - 1]}{year}"  # type: ignore[operator]
        return "", f"{start.day} {MONTH_NAMES[start.month - 1]}", f"{end.day} {MONTH_NAMES[end.month - 1]}", year  # type: ignore[operator]
    same_day = (start.month, start.day, start.utc_offset_minutes) == (end.month, end.day, end.utc_offset_minutes)
    if same_day:
        return f"{_day_text(start)}, ", _clock(start), _clock(end), _zone_label(end)
    return whole


def _dash_joined(prefix: str, first: str, last: str, suffix: str) -> str:
    """An interval: "24–25 May 2018", "2 September – 19 October 2011" (spaced when the parts are)."""
    if first == last:
        return prefix + first + suffix
    dash = " – " if " " in first + last else "–"
    return f"{prefix}{first}{dash}{last}{suffix}"


def _between_joined(prefix: str, first: str, last: str, suffix: str) -> str:
    """A window: "between 2 and 19 September 2011"."""
    return f"{prefix}between {first} and {last}{suffix}"


def _order_problem(start: PartialDate, end: PartialDate) -> str | None:
    """Why `end` cannot end a span begun at `start`, or None.

    Both readings count: as instants, and as the calendar days written (2018-05-25T01:00+05:00
    is 24 May in UTC but the author wrote the 25th, so it cannot be followed by 2018-05-24).
    """
    if end.latest < start.earliest or end.last_day < start.first_day:
        return "ends before it starts"
    if start.precision >= Precision.MINUTE and end.precision >= Precision.MINUTE and end.earliest < start.earliest:
        return "ends before it starts"
    return None


# --- parsing ------------------------------------------------------------------------


def _from_datetime(value: dt.datetime, tz: dt.tzinfo) -> PartialDate:
    if value.microsecond:
        raise DateError(f"{value.isoformat()} is not a date: fractions of a second are not supported")
    return PartialDate(
        value.year, value.month, value.day, value.hour, value.minute, value.second,
        utc_offset_minutes=_offset_minutes(value), tz=tz,
    )


def _offset_minutes(value: dt.datetime, written: str = "") -> int | None:
    try:
        offset = value.utcoffset()
    except ValueError:  # dateutil keeps offsets of a day or more, which datetime refuses to apply
        raise DateError(f"{_quoted(written or value.isoformat())} is not a date: a UTC offset must be less than 24 hours") from None
    if offset is None:
        return None
    seconds = int(offset.total_seconds())
    if seconds % 60:
        raise DateError(f"{value.isoformat()} is not a date: a UTC offset must be whole minutes")
    return seconds // 60


def _quoted(text: str) -> str:
    """The author's text in quotes, on one line whatever it holds."""
    return "'" + "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text) + "'"


def _parse_text(value: str, tz: dt.tzinfo) -> EDTF:
    text = value.strip()
    if not text:
        raise DateError(f"the date is empty: write e.g. 2017-05-29 ({_FORMS})")
    window = _WINDOW.fullmatch(text)
    if window:
        return _parse_window(text, window["inside"], tz)
    _refuse_numeric(text)
    if "/" not in text:
        return _parse_point(text, tz)
    first, _, second = (part.strip() for part in text.partition("/"))
    if ".." in (first, second) or "" in (first, second):
        raise DateError(f"{_quoted(text)} is an open interval: give both its start and its end")
    if "/" in second:
        raise DateError(f"{_quoted(text)} is not a date: an interval has one '/', as in 2018-05-24/2018-05-25")
    return Interval(_parse_point(first, tz), _parse_point(second, tz))


def _from_list(value: list, tz: dt.tzinfo) -> EDTF:
    """YAML reads an unquoted [2011-09-02..2011-09-19] as a list of one text."""
    if len(value) == 1 and isinstance(value[0], str) and ".." in value[0]:
        return _parse_window(f"[{value[0]}]", value[0], tz)
    raise DateError(
        "a list of dates is not supported: for one unknown day within a window write [2011-09-02..2011-09-19], "
        "for a duration 2011-09-02/2011-09-19"
    )


def _parse_window(text: str, inside: str, tz: dt.tzinfo) -> Window:
    """EDTF's "one of a set" for a range, [A..B]: sometime between A and B."""
    first, dots, second = (part.strip() for part in inside.partition(".."))
    if not dots or "," in inside or "/" in inside:
        raise DateError(f"{_quoted(text)} is not a date: write a window as [2011-09-02..2011-09-19]")
    if "" in (first, second):
        raise DateError(f"{_quoted(text)} is an open window: give both its first and its last date")
    return Window(_parse_point(first, tz), _parse_point(second, tz))


def _split_qualifier(text: str) -> tuple[str, bool, bool]:
    approximate, uncertain = _QUALIFIERS.get(text[-1:], (False, False))
    body = text[:-1].rstrip() if text[-1:] in _QUALIFIERS else text
    return body, approximate, uncertain


def _parse_point(text: str, tz: dt.tzinfo) -> PartialDate:
    body, approximate, uncertain = _split_qualifier(text)
    match = _ISO.fullmatch(body)
    if match:
        return _from_iso(match, approximate, uncertain, tz)
    words = _WORD.findall(body)
    if any(word.lower() in _MONTH_WORDS for word in words):
        return _from_named(text, body, words, approximate, uncertain, tz)
    _refuse_numeric(text)
    for word in words:
        _refuse_misspelt_month(text, word)
    raise DateError(f"{_quoted(text)} is not a date: write it as {_FORMS}")


def _from_iso(match: re.Match[str], approximate: bool, uncertain: bool, tz: dt.tzinfo) -> PartialDate:
    parts = {name: None if value is None else int(value) for name, value in match.groupdict().items()
             if name in ("year", "month", "day", "hour", "minute", "second")}
    offset = None
    if match["offset"]:
        sign = -1 if match["sign"] == "-" else 1
        offset = sign * (int(match["off_h"] or 0) * 60 + int(match["off_m"] or 0))
    return PartialDate(**parts, utc_offset_minutes=offset, approximate=approximate, uncertain=uncertain, tz=tz)


def _refuse_numeric(text: str) -> None:
    """Refuse numeric forms other than ISO (05/06/2018, 5.6.2018, 05/2018), suggesting ISO."""
    body, approximate, uncertain = _split_qualifier(text)
    match = _NUMERIC.fullmatch(body)
    if match is None or _ISO.fullmatch(body) or _is_year_pair(match):
        return
    suffix = _qualifier_suffix(approximate, uncertain)
    options = list(dict.fromkeys(
        iso + suffix for iso in map(_valid_iso, _numeric_readings(match)) if iso is not None
    ))
    if len(options) > 1:
        raise DateError(f"{_quoted(text)} is ambiguous: write it as {' or '.join(options)}")
    if options:
        raise DateError(f"{_quoted(text)} is not in ISO form: write it as {options[0]}", suggestion=options[0])
    raise DateError(f"{_quoted(text)} is not a date: write it in ISO form (YYYY-MM-DD) with the year in full")


def _is_year_pair(match: re.Match[str]) -> bool:
    """2016/2018 is an interval of years, not a numeric date."""
    a, _, b, c = match.groups()
    return c is None and len(a) > 2 and len(b) > 2


def _numeric_readings(match: re.Match[str]) -> list[tuple[str, ...]]:
    """(year, month[, day]) readings of a numeric date: day first, then month first."""
    a, _, b, c = match.groups()
    if c is None:
        if len(a) == 4:
            return [(a, b)]
        return [(b, a)] if len(b) == 4 else []
    if len(a) == 4:
        return [(a, b, c)]
    return [(c, b, a), (c, a, b)] if len(c) == 4 else []


def _valid_iso(reading: tuple[str, ...]) -> str | None:
    try:
        return PartialDate(*(int(part) for part in reading)).edtf
    except DateError:
        return None


def _refuse_misspelt_month(text: str, word: str) -> None:
    guess = difflib.get_close_matches(word.lower(), [name.lower() for name in MONTH_NAMES], n=1)
    if guess and word.lower() not in _MONTH_WORDS:
        month = MONTH_NAMES[_MONTH_WORDS[guess[0]] - 1]
        fixed = text.replace(word, month, 1)
        message = f"{_quoted(text)} is not a date: unknown word '{word}' (did you mean {month}?)"
        raise DateError(message, suggestion=fixed)


def _refuse_unknown_word(text: str, word: str) -> None:
    if word.lower() in _MONTH_WORDS or word.lower() in _WEEKDAY_WORDS or word.lower() in _FILLER_WORDS:
        return
    _refuse_misspelt_month(text, word)
    raise DateError(f"{_quoted(text)} is not a date: unknown word '{word}'; write it as {_FORMS}")


def _from_named(
    text: str, body: str, words: list[str], approximate: bool, uncertain: bool, tz: dt.tzinfo
) -> PartialDate:
    """A form with a month's name, at the precision it gives."""
    for word in words:
        _refuse_unknown_word(text, word)
    if len({_MONTH_WORDS[w.lower()] for w in words if w.lower() in _MONTH_WORDS}) > 1:
        raise DateError(f"{_quoted(text)} is not a date: it names more than one month")
    first, second = (_dateutil_parse(text, body, default) for default in _DEFAULTS)
    given = {name: getattr(first, name) == getattr(second, name)
             for name in ("year", "day", "hour", "minute", "second")}
    _check_written_year(text, body, first.year if given["year"] else None)
    timed = given["hour"] or given["minute"]
    if timed and not given["day"]:
        raise DateError(f"{_quoted(text)} is not a date: a time of day needs a day")
    date = PartialDate(
        first.year, first.month,
        first.day if given["day"] else None,
        first.hour if timed else None,
        first.minute if timed else None,
        first.second if timed and given["second"] else None,
        utc_offset_minutes=_offset_minutes(first, text) if timed else None,
        approximate=approximate, uncertain=uncertain, tz=tz,
    )
    _check_weekday(text, words, date)
    return date


def _dateutil_parse(text: str, body: str, default: dt.datetime) -> dt.datetime:
    # dateutil reads "UTC+02:00" the POSIX way (as two hours *behind* UTC); a bare
    # "+02:00" it reads as ISO does, so drop the zone name before an offset.
    from dateutil import parser  # only for dates written with a month's name (7 ms of every build's start)

    iso_offsets = _ZONE_BEFORE_OFFSET.sub("", body)
    try:
        return parser.parse(iso_offsets, default=default)
    except (ValueError, OverflowError) as err:
        reason = str(err).split(":")[0] if str(err) else "it cannot be read"
        raise DateError(f"{_quoted(text)} is not a date: {reason}") from None


def _check_written_year(text: str, body: str, year: int | None) -> None:
    if year is None:
        raise DateError(f"{_quoted(text)} is not a date: it gives no year, as in 29 May 2017")
    if not any(len(run) >= 3 and int(run) == year for run in re.findall(r"\d+", body, re.ASCII)):
        raise DateError(f"{_quoted(text)} is not a date: write the year in full, as in 29 May 2017")


def _check_weekday(text: str, words: list[str], date: PartialDate) -> None:
    if date.day is None:
        return
    actual = dt.date(date.year, date.month, date.day).weekday()  # type: ignore[arg-type]
    for word in words:
        named = _WEEKDAY_WORDS.get(word.lower())
        if named is not None and named != actual:
            raise DateError(f"{_quoted(text)} is not a date: {_day_text(date)} is a {WEEKDAY_NAMES[actual]}")
