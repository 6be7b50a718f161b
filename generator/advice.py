"""Advice for the values authors most often get wrong, used by the checker's messages.

Dates written in words that no calendar holds ("early April 2011", "Spring 2011",
the EDTF season 2011-21), times with a zone abbreviation ("14:00 JST"), time zones
and language tags that are not names of one, and URLs without a scheme. Each
function returns a message or a suggestion, or None when it has nothing better to
say than the general rule. Time zones come from the IANA database and language
tags from `langcodes`, never from lists kept here.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import zoneinfo
from functools import lru_cache

from generator import dates
from generator.diagnostics import Spellings

_MONTHS = "|".join(name.lower() for name in dates.MONTH_NAMES) + "|" + "|".join(name[:3].lower() for name in dates.MONTH_NAMES)
_PART = r"(?P<part>early|beginning of|start of|mid|middle of|late|end of)"
_PART_OF_MONTH = re.compile(rf"^\s*{_PART}[\s-]*(?P<month>{_MONTHS})\.?(?:,?\s+(?P<year>\d{{4}}))?\s*[~?%]?\s*$", re.IGNORECASE)
_PART_OF_YEAR = re.compile(rf"^\s*{_PART}[\s-]*(?P<year>\d{{4}})\s*[~?%]?\s*$", re.IGNORECASE)
_SEASON = re.compile(r"^\s*(?P<season>spring|summer|autumn|fall|winter)(?:\s+of)?,?\s+(?P<year>\d{4})\s*[~?%]?\s*$", re.IGNORECASE)
_EDTF_SEASON = re.compile(r"^\s*(?P<year>\d{4})-(?P<code>2[1-9]|3\d|4[01])\s*[~?%]?\s*$")
_TIME_WITH_ABBREVIATION = re.compile(
    r"^\s*(?P<day>\d{4}-\d{2}-\d{2})?[T\s]*(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)\s*(?P<zone>[A-Za-z]{2,5})\s*$"
)
_CIRCA = re.compile(r"^\s*(?P<word>c\.|ca\.?|circa|about|around|approx(?:\.|imately)?)\s*(?P<rest>\d[\d\-]*)\s*$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")
_REGIONS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/")
# The seasons of the northern hemisphere, as meteorologists count them: (first month, last month).
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
_EDTF_SEASON_NAMES = {"21": "spring", "22": "summer", "23": "autumn", "24": "winter"}
_PART_DAYS = {"early": (1, 10), "beginning of": (1, 10), "start of": (1, 10), "mid": (11, 20), "middle of": (11, 20)}
_PART_MONTHS = {"early": (1, 4), "beginning of": (1, 4), "start of": (1, 4), "mid": (5, 8), "middle of": (5, 8)}


def date_message(value: object, message: str) -> str:
    """The checker's message for a date that did not parse: tailored advice, or the
    parser's message with its examples moved to the author's own year."""
    if not isinstance(value, str):
        return message
    text = value.strip()
    year = _author_year(text)
    for pattern, advise in _ADVICE:
        found = pattern.match(text)
        advice = advise(found, text, year) if found else None
        if advice:
            return f"'{text}' is not a date: {advice}"
    return _in_year(message, year) if year else message


def _author_year(text: str) -> str | None:
    found = _YEAR.search(text)
    return found.group(1) if found else None


def _in_year(message: str, year: str) -> str:
    """The parser's examples (of 2011, 2017 and 2018) given in the author's year instead."""
    examples = re.compile(r"(e\.g\. |as in |write it as |, | or |\[|\.\.)(\d{2} May )?(2011|2017|2018)(?=[-,/ )\]]|$)")
    head, quote, tail = message.rpartition("' is ")
    body = tail if quote else message
    body = examples.sub(lambda m: m.group(1) + (m.group(2) or "") + year, body)
    body = re.sub(r"/(2017|2018)(?=-)", "/" + year, body)
    return head + quote + body if quote else body


def _circa(found: re.Match[str], text: str, year: str | None) -> str | None:
    return f'"{found["word"]}" is written with a suffix: {found["rest"]}~ means approximate, {found["rest"]}? uncertain'


def _part_key(part: str) -> str:
    return " ".join(part.lower().split())


def _part_of_month(found: re.Match[str], text: str, year: str | None) -> str | None:
    month = _month_number(found["month"])
    shown_year = found["year"] or "YYYY"
    days = _PART_DAYS.get(_part_key(found["part"]))
    if days is None:  # late, end of
        last = 31 if not found["year"] else calendar.monthrange(int(found["year"]), month)[1]
        days = (21, last)
    span = f"{shown_year}-{month:02d}-{days[0]:02d}/{shown_year}-{month:02d}-{days[1]:02d}"
    no_year = "" if found["year"] else "it gives no year; "
    return (
        f"{no_year}for part of a month, write the days it may cover, {span}, or the month marked approximate,"
        f' {shown_year}-{month:02d}~, and say "{text.rstrip("~?% ")}" in date_note'
    )


def _part_of_year(found: re.Match[str], text: str, year: str | None) -> str | None:
    first, last = _PART_MONTHS.get(_part_key(found["part"]), (9, 12))
    return (
        f"for part of a year, write the months it may cover, {found['year']}-{first:02d}/{found['year']}-{last:02d},"
        f' or the year marked approximate, {found["year"]}~, and say "{found["part"].lower()} {found["year"]}" in date_note'
    )


def _season_months(season: str, year: str) -> str:
    first, last = _SEASON_MONTHS[season]
    end_year = int(year) + (1 if last < first else 0)
    return f"{year}-{first:02d}/{end_year:04d}-{last:02d}"


def _season(found: re.Match[str], text: str, year: str | None) -> str | None:
    season = found["season"].lower()
    return (
        f"seasons are not read (they differ between the hemispheres): write the months, {_season_months(season, found['year'])}"
        f' for a northern {season}, and say "{season}" in date_note'
    )


def _edtf_season(found: re.Match[str], text: str, year: str | None) -> str | None:
    season = _EDTF_SEASON_NAMES.get(found["code"])
    if season is None:
        return f"-{found['code']} is an EDTF season or quarter code, which this format does not read: write the months as an interval, as in {found['year']}-01/{found['year']}-03"
    return (
        f"-{found['code']} is the EDTF code for {season}, which this format does not read (seasons differ between the"
        f" hemispheres): write the months, {_season_months(season, found['year'])} for a northern {season}"
    )


def _time_with_abbreviation(found: re.Match[str], text: str, year: str | None) -> str | None:
    if found["zone"].upper() in ("UTC", "GMT", "Z"):
        return None
    zone = found["zone"].upper()
    day = found["day"] or f"{year or 'YYYY'}-MM-DD"
    clock = found["clock"].zfill(5)
    offset = _abbreviation_offset(zone, found["day"])
    if offset is None:
        return f"{found['zone']} is not a time zone this format reads: write the UTC offset, as in {day}T{clock}+09:00"
    zones = zones_using(zone)
    place = zones[0] if len(zones) == 1 else f"the zone the time is from (one of {len(zones)} that use {zone})"
    return (
        f"time zone abbreviations are not read (several zones share some): write the UTC offset, {day}T{clock}{offset}"
        f" ({zone} is UTC{offset}), or leave the zone out when site.yml's timezone is {place}"
    )


def _month_number(word: str) -> int:
    word = word.lower()
    return next(number for number, name in enumerate(dates.MONTH_NAMES, 1) if name.lower().startswith(word[:3]))


_ADVICE = (
    (_CIRCA, _circa), (_PART_OF_MONTH, _part_of_month), (_PART_OF_YEAR, _part_of_year), (_SEASON, _season),
    (_EDTF_SEASON, _edtf_season), (_TIME_WITH_ABBREVIATION, _time_with_abbreviation),
)


# --- time zones --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _zones_by_abbreviation() -> dict[str, list[str]]:
    """The IANA zones of places that use each abbreviation, in winter or in summer."""
    found: dict[str, list[str]] = {}
    for name in sorted(zoneinfo.available_timezones()):
        if not name.startswith(_REGIONS):
            continue
        zone = zoneinfo.ZoneInfo(name)
        for month in (1, 7):
            abbreviation = dt.datetime(2024, month, 15, 12, tzinfo=zone).tzname()
            if abbreviation and name not in found.setdefault(abbreviation, []):
                found[abbreviation].append(name)
    return found


def zones_using(abbreviation: str) -> list[str]:
    return _zones_by_abbreviation().get(abbreviation.upper(), [])


def _abbreviation_offset(abbreviation: str, day: str | None) -> str | None:
    zones = zones_using(abbreviation)
    if not zones:
        return None
    when = dt.datetime.fromisoformat(day) if day else dt.datetime(2024, 1, 15)
    zone = zoneinfo.ZoneInfo(zones[0])
    for moment in (when, dt.datetime(2024, 1, 15), dt.datetime(2024, 7, 15)):
        local = moment.replace(hour=12, tzinfo=zone)
        if local.tzname() == abbreviation:
            minutes = int(local.utcoffset().total_seconds()) // 60  # type: ignore[union-attr]
            return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return None


def time_zone_problem(name: str) -> str | None:
    """Why `name` is not an IANA time zone name (with a suggestion), or None."""
    try:
        zoneinfo.ZoneInfo(name)
        return None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    zones = zones_using(name)
    if zones:
        shown = " or ".join(f'"{z}"' for z in zones[:3]) + (f" (or another of the {len(zones)} zones that use it)" if len(zones) > 3 else "")
        return f'"{name}" is an abbreviation, not an IANA time zone name: write the place, e.g. {shown}'
    names = Spellings({zone: zone for zone in zoneinfo.available_timezones()})
    return f'"{name}" is not an IANA time zone name (like Europe/Paris or UTC){names.suggest(name)}'


# --- language tags and URLs -----------------------------------------------------------


def language_problem(tag: str) -> str | None:
    """Why `tag` is not a valid BCP 47 language tag (with a suggestion), or None."""
    import langcodes

    if langcodes.tag_is_valid(tag) and "_" not in tag:
        return None
    guess = None
    try:
        guess = langcodes.standardize_tag(tag)
    except ValueError:
        try:
            guess = str(langcodes.find(tag))
        except (LookupError, ValueError, ImportError):
            guess = None
    hint = f' (did you mean "{guess}"?)' if guess and langcodes.tag_is_valid(guess) else ""
    return f'"{tag}" is not a BCP 47 language tag, like en, fr or pt-BR{hint}'


def url_suggestion(text: str) -> str | None:
    """A URL the author probably meant: with a scheme, without spaces."""
    fixed = text.strip()
    if re.match(r"^[\w-]+(\.[\w-]+)+(/|$)", fixed):
        fixed = "https://" + fixed
    fixed = re.sub(r"\s", "%20", fixed)
    return fixed if fixed != text and re.match(r"^https?://[^\s/?#]+[^\s]*$", fixed, re.IGNORECASE) else None
