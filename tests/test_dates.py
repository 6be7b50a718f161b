"""Tests for generator.dates: the "Dates" section of the content format."""
from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import zoneinfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.dates import (
    EDTF,
    DateError,
    Interval,
    PartialDate,
    Precision,
    format_date,
    parse,
    year_of,
)

UTC = dt.timezone.utc
PLUS2 = dt.timezone(dt.timedelta(hours=2))


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def refusal(value: object) -> DateError:
    with pytest.raises(DateError) as info:
        parse(value)
    return info.value


# --- parsing ISO forms ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2017", PartialDate(2017), Precision.YEAR),
        ("2017-05", PartialDate(2017, 5), Precision.MONTH),
        ("2017-05-29", PartialDate(2017, 5, 29), Precision.DAY),
        ("2017-05-29T14:30", PartialDate(2017, 5, 29, 14, 30), Precision.MINUTE),
        ("2017-05-29T14:30:15", PartialDate(2017, 5, 29, 14, 30, 15), Precision.SECOND),
        ("2017-05-29T14:30Z", PartialDate(2017, 5, 29, 14, 30, utc_offset_minutes=0), Precision.MINUTE),
        ("2017-05-29T14:30+02:00", PartialDate(2017, 5, 29, 14, 30, utc_offset_minutes=120), Precision.MINUTE),
        ("2017-05-29T14:30:15-05:30", PartialDate(2017, 5, 29, 14, 30, 15, utc_offset_minutes=-330), Precision.SECOND),
        ("  2017-05  ", PartialDate(2017, 5), Precision.MONTH),
        ("0800", PartialDate(800), Precision.YEAR),
    ],
)
def test_parse_iso_forms(text: str, expected: PartialDate, precision: Precision) -> None:
    date = parse(text)
    assert date == expected
    assert date.precision is precision
    assert not date.is_interval


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("2017-05-29T14:30+00:00", "2017-05-29T14:30Z"),
        ("2017-05-29T14:30z", "2017-05-29T14:30Z"),
        ("2017-05-29t14:30", "2017-05-29T14:30"),
        ("2017-05-29 14:30", "2017-05-29T14:30"),
        ("2017-05-29T14:30+0200", "2017-05-29T14:30+02:00"),
        ("2017-05-29T14:30+02", "2017-05-29T14:30+02:00"),
        ("2017-05-29T14:30:15-05:30", "2017-05-29T14:30:15-05:30"),
        ("2017-05-29T14:30~", "2017-05-29T14:30~"),
    ],
)
def test_edtf_is_canonical(text: str, canonical: str) -> None:
    assert parse(text).edtf == canonical


def test_parse_yaml_values() -> None:
    assert parse(2017) == PartialDate(2017)
    assert parse(dt.date(2017, 5, 29)) == PartialDate(2017, 5, 29)
    naive = parse(dt.datetime(2017, 5, 29, 14, 30))
    assert naive == PartialDate(2017, 5, 29, 14, 30, 0)
    assert naive.precision is Precision.SECOND
    aware = parse(dt.datetime(2017, 5, 29, 14, 30, tzinfo=PLUS2))
    assert aware.utc_offset_minutes == 120
    assert aware.edtf == "2017-05-29T14:30:00+02:00"
    assert parse(dt.datetime(2017, 5, 29, 14, 30, tzinfo=UTC)).edtf == "2017-05-29T14:30:00Z"


# --- forms with a month's name ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("29 May 2017", "2017-05-29"),
        ("May 29, 2017", "2017-05-29"),
        ("May 2017", "2017-05"),
        ("may 2017", "2017-05"),
        ("Sept. 3, 2018", "2018-09-03"),
        ("Sep 3 2018", "2018-09-03"),
        ("3 September 2018", "2018-09-03"),
        ("29th of May 2017", "2017-05-29"),
        ("Monday, 29 May 2017", "2017-05-29"),
        ("Mon 29 May 2017", "2017-05-29"),
        ("29 February 2016", "2016-02-29"),
        ("29 May 2017 14:30", "2017-05-29T14:30"),
        ("29 May 2017, 14:30:15", "2017-05-29T14:30:15"),
        ("29 May 2017 at 2pm", "2017-05-29T14:00"),
        ("29 May 2017 14:30 UTC", "2017-05-29T14:30Z"),
        ("29 May 2017 14:30 +02:00", "2017-05-29T14:30+02:00"),
        ("29 May 2017, 14:30 UTC+02:00", "2017-05-29T14:30+02:00"),
        ("29 May 2017, 14:30 UTC-05:00", "2017-05-29T14:30-05:00"),
        ("29 May 2017, 14:30 GMT+2", "2017-05-29T14:30+02:00"),
        ("May 2017~", "2017-05~"),
        ("29 May 2017?", "2017-05-29?"),
        ("24 May 2018/25 May 2018", "2018-05-24/2018-05-25"),
    ],
)
def test_parse_month_name_forms(text: str, edtf: str) -> None:
    assert parse(text).edtf == edtf


def test_month_name_form_keeps_the_precision_it_gives() -> None:
    assert parse("May 2017").precision is Precision.MONTH
    assert parse("May 2017").day is None
    assert parse("29 May 2017").precision is Precision.DAY
    assert parse("29 May 2017 14:30").precision is Precision.MINUTE
    assert parse("29 May 2017 14:30:00").precision is Precision.SECOND


# --- precision ----------------------------------------------------------------------------


def test_precision_values_and_labels() -> None:
    assert [(p.name, int(p), p.label) for p in Precision] == [
        ("YEAR", 0, "year"),
        ("MONTH", 1, "month"),
        ("DAY", 2, "day"),
        ("MINUTE", 3, "minute"),
        ("SECOND", 4, "second"),
    ]
    assert Precision.YEAR < Precision.MONTH < Precision.DAY < Precision.MINUTE < Precision.SECOND


# --- earliest and latest --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2017", utc(2017, 1, 1), utc(2017, 12, 31, 23, 59, 59)),
        ("2016-02", utc(2016, 2, 1), utc(2016, 2, 29, 23, 59, 59)),
        ("2018-02", utc(2018, 2, 1), utc(2018, 2, 28, 23, 59, 59)),
        ("2000-02", utc(2000, 2, 1), utc(2000, 2, 29, 23, 59, 59)),
        ("1900-02", utc(1900, 2, 1), utc(1900, 2, 28, 23, 59, 59)),
        ("2018-04", utc(2018, 4, 1), utc(2018, 4, 30, 23, 59, 59)),
        ("2018-12", utc(2018, 12, 1), utc(2018, 12, 31, 23, 59, 59)),
        ("2016-02-29", utc(2016, 2, 29), utc(2016, 2, 29, 23, 59, 59)),
        ("2017-05-29T14:30", utc(2017, 5, 29, 14, 30), utc(2017, 5, 29, 14, 30, 59)),
        ("2017-05-29T14:30:15", utc(2017, 5, 29, 14, 30, 15), utc(2017, 5, 29, 14, 30, 15)),
        ("2017-05-29T14:30Z", utc(2017, 5, 29, 14, 30), utc(2017, 5, 29, 14, 30, 59)),
        ("2017-05-29T01:30+02:00", utc(2017, 5, 28, 23, 30), utc(2017, 5, 28, 23, 30, 59)),
        ("2017-12-31T23:30-01:00", utc(2018, 1, 1, 0, 30), utc(2018, 1, 1, 0, 30, 59)),
        ("9998", utc(9998, 1, 1), utc(9998, 12, 31, 23, 59, 59)),
        ("0001", utc(1, 1, 1), utc(1, 12, 31, 23, 59, 59)),
        ("2018-05-30/2018-06-02", utc(2018, 5, 30), utc(2018, 6, 2, 23, 59, 59)),
        ("2016/2018-02", utc(2016, 1, 1), utc(2018, 2, 28, 23, 59, 59)),
    ],
)
def test_earliest_and_latest(text: str, earliest: dt.datetime, latest: dt.datetime) -> None:
    date = parse(text)
    assert date.earliest == earliest
    assert date.latest == latest
    assert date.earliest.utcoffset() == dt.timedelta(0)
    assert date.latest.utcoffset() == dt.timedelta(0)


def test_time_without_offset_uses_the_given_timezone() -> None:
    date = parse("2017-05-29T14:30", tz=PLUS2)
    assert date.earliest == utc(2017, 5, 29, 12, 30)
    assert date.utc_offset_minutes is None
    assert date.edtf == "2017-05-29T14:30"
    assert date == parse("2017-05-29T14:30")  # the zone is not compared


def test_written_offset_wins_over_the_given_timezone() -> None:
    assert parse("2017-05-29T14:30Z", tz=PLUS2).earliest == utc(2017, 5, 29, 14, 30)


def test_date_without_time_is_a_day_of_the_sites_calendar() -> None:
    date = parse("2017-05-29", tz=PLUS2)
    assert date.earliest == utc(2017, 5, 28, 22)
    assert date.latest == utc(2017, 5, 29, 21, 59, 59)
    assert date.local_earliest == dt.datetime(2017, 5, 29, tzinfo=PLUS2)
    assert date.local_latest == dt.datetime(2017, 5, 29, 23, 59, 59, tzinfo=PLUS2)


def test_year_of_a_tokyo_site_begins_at_tokyo_midnight() -> None:
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    year = parse("2012", tz=tokyo)
    assert year.earliest == utc(2011, 12, 31, 15)
    assert year.local_earliest.year == 2012 and year.local_latest.year == 2012
    dawn = parse("2012-01-01T05:00", tz=tokyo)
    assert dawn.earliest.year == 2011  # in UTC it is still 2011…
    assert (dawn.local_earliest.year, dawn.local_earliest.month) == (2012, 1)  # …not on the site's calendar
    assert year.sort_key < dawn.sort_key


def test_iana_timezone_with_summer_time() -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        paris = zoneinfo.ZoneInfo("Europe/Paris")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database")
    assert parse("2017-05-29T14:30", tz=paris).earliest == utc(2017, 5, 29, 12, 30)
    assert parse("2017-12-29T14:30", tz=paris).earliest == utc(2017, 12, 29, 13, 30)


# --- qualifiers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "approximate", "uncertain", "shown"),
    [
        ("2018-02", False, False, "February 2018"),
        ("2018-02~", True, False, "c. February 2018"),
        ("2018-02?", False, True, "February 2018 (uncertain)"),
        ("2018-02%", True, True, "c. February 2018 (uncertain)"),
        ("2017-05-29T14:30%", True, True, "c. 29 May 2017, 14:30 (uncertain)"),
    ],
)
def test_qualifiers(text: str, approximate: bool, uncertain: bool, shown: str) -> None:
    date = parse(text)
    assert (date.approximate, date.uncertain) == (approximate, uncertain)
    assert date.edtf == text
    assert date.display() == shown
    assert date.earliest == parse(text.rstrip("~?%")).earliest


def test_qualifiers_are_compared() -> None:
    assert parse("2018-02~") != parse("2018-02")
    assert parse("2018-02~") != parse("2018-02?")


# --- intervals ----------------------------------------------------------------------------------


def test_interval_properties() -> None:
    interval = parse("2018-05-24~/2018-06?")
    assert isinstance(interval, Interval)
    assert interval.is_interval
    assert interval.start == PartialDate(2018, 5, 24, approximate=True)
    assert interval.end == PartialDate(2018, 6, uncertain=True)
    assert interval.precision is Precision.DAY
    assert interval.earliest == utc(2018, 5, 24)
    assert interval.latest == utc(2018, 6, 30, 23, 59, 59)
    assert interval.edtf == "2018-05-24~/2018-06?"
    assert interval.approximate and interval.uncertain
    plain = parse("2018-05-24/2018-06")
    assert not plain.approximate and not plain.uncertain


def test_point_start_and_end_are_itself() -> None:
    date = parse("2017-05-29")
    assert date.start is date and date.end is date


def test_interval_allows_spaces_and_equal_ends() -> None:
    assert parse("2018-05-24 / 2018-05-25").edtf == "2018-05-24/2018-05-25"
    assert parse("2018-05-24/2018-05-24").edtf == "2018-05-24/2018-05-24"
    assert parse("2018/2018-05").precision is Precision.YEAR


def test_interval_of_moments_in_different_zones_is_compared_in_utc() -> None:
    assert parse("2018-05-24T10:00+02:00/2018-05-24T09:00Z").latest == utc(2018, 5, 24, 9, 0, 59)
    with pytest.raises(DateError, match="ends before it starts"):
        parse("2018-05-24T10:00Z/2018-05-24T11:00+02:00")


def test_year_of() -> None:
    assert year_of(parse("2017-05-29")) == 2017
    assert year_of(parse("2017-12/2018-01")) == 2017
    assert year_of(parse(1999)) == 1999


# --- display ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2017", "2017"),
        ("2017-05", "May 2017"),
        ("2017-05-29", "29 May 2017"),
        ("2017-05-01", "1 May 2017"),
        ("2017-05-29T14:30", "29 May 2017, 14:30"),
        ("2017-05-29T09:05", "29 May 2017, 09:05"),
        ("2017-05-29T14:30:15", "29 May 2017, 14:30:15"),
        ("2017-05-29T14:30Z", "29 May 2017, 14:30 UTC"),
        ("2017-05-29T14:30+02:00", "29 May 2017, 14:30 UTC+02:00"),
        ("2017-05-29T14:30-05:30", "29 May 2017, 14:30 UTC-05:30"),
        ("0800", "800"),
        ("2018-05-24/2018-05-25", "24–25 May 2018"),
        ("2018-05-30/2018-06-02", "30 May – 2 June 2018"),
        ("2017-12-30/2018-01-02", "30 December 2017 – 2 January 2018"),
        ("2018-05/2018-06", "May–June 2018"),
        ("2017-12/2018-01", "December 2017 – January 2018"),
        ("2016/2018", "2016–2018"),
        ("2016/2018-05", "2016 – May 2018"),
        ("2018-05/2018-05-20", "May 2018 – 20 May 2018"),
        ("2018-05-24/2018-05-24", "24 May 2018"),
        ("2017-05-29T14:30/2017-05-29T16:00", "29 May 2017, 14:30–16:00"),
        ("2017-05-29T14:30Z/2017-05-29T16:00Z", "29 May 2017, 14:30–16:00 UTC"),
        ("2017-05-29T14:30Z/2017-05-29T17:00+02:00", "29 May 2017, 14:30 UTC – 29 May 2017, 17:00 UTC+02:00"),
        ("2017-05-29T23:00/2017-05-30T01:00", "29 May 2017, 23:00 – 30 May 2017, 01:00"),
        ("2018-05-24~/2018-05-25~", "c. 24–25 May 2018"),
        ("2018-05-24?/2018-05-25?", "24–25 May 2018 (uncertain)"),
        ("2018-05-24%/2018-05-25%", "c. 24–25 May 2018 (uncertain)"),
        ("2018-05-24~/2018-05-25", "c. 24 May 2018 – 25 May 2018"),
        ("2018-05~/2018-06?", "c. May 2018 – June 2018 (uncertain)"),
    ],
)
def test_display(text: str, shown: str) -> None:
    date = parse(text)
    assert date.display() == shown
    assert format_date(date) == shown


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fragments"),
    [
        ("05/06/2018", ["'05/06/2018' is ambiguous", "2018-06-05 or 2018-05-06"]),
        ("5.6.2018", ["ambiguous", "2018-06-05 or 2018-05-06"]),
        ("05-06-2018", ["ambiguous", "2018-06-05 or 2018-05-06"]),
        ("05/06/2018~", ["ambiguous", "2018-06-05~ or 2018-05-06~"]),
        ("13/06/2018", ["not in ISO form", "2018-06-13"]),
        ("05/05/2018", ["not in ISO form", "2018-05-05"]),
        ("05/2018", ["not in ISO form", "2018-05"]),
        ("2017/05/29", ["not in ISO form", "2017-05-29"]),
        ("2017-5-29", ["not in ISO form", "2017-05-29"]),
        ("05/06/18", ["ISO form", "year in full"]),
        ("31/31/2018", ["ISO form"]),
        ("2018-02-30", ["2018-02-30 is not a date: February 2018 has 28 days"]),
        ("2016-02-30", ["February 2016 has 29 days"]),
        ("2018-04-31", ["April 2018 has 30 days"]),
        ("2018-13", ["2018-13 is not a date: there is no month 13"]),
        ("2018-00", ["there is no month 0"]),
        ("2018-05-00", ["May 2018 has 31 days"]),
        ("2018-05-29T24:00", ["there is no hour 24"]),
        ("2018-05-29T12:60", ["there is no minute 60"]),
        ("2018-05-29T12:30:60", ["there is no second 60"]),
        ("2018-05-29T12:30+24:00", ["UTC offset", "24 hours"]),
        ("30 February 2018", ["'30 February 2018' is not a date", "day is out of range"]),
        ("2018-05-25/2018-05-24", ["ends before it starts"]),
        ("2018/2017", ["ends before it starts"]),
        ("2018-05-24/2018-05-25/2018-05-26", ["one '/'"]),
        ("", ["empty"]),
        ("   ", ["empty"]),
        (None, ["missing"]),
        (True, ["True is not a date"]),
        (False, ["False is not a date"]),
        (0, ["between 1 and 9998"]),
        (10000, ["between 1 and 9998"]),
        (-44, ["between 1 and 9998"]),
        ("0000", ["between 1 and 9998"]),
        ("2017/..", ["open interval"]),
        ("../2017", ["open interval"]),
        ("2017/", ["open interval"]),
        ("/2017", ["open interval"]),
        ("hello", ["'hello' is not a date", "2017-05-29"]),
        ("2016-2018", ["2018-05-24/2018-05-25"]),
        ("17", ["not a date"]),
        ("2017-05-29T14:30:00.5Z", ["not a date"]),
        ("29 Mai 2017", ["unknown word 'Mai'", "did you mean May?"]),
        ("29 May 2017 14:30 CET", ["unknown word 'CET'"]),
        ("May June 2017", ["more than one month"]),
        ("29 May", ["no year"]),
        ("May 5, 17", ["year in full"]),
        ("May 2017 14:30", ["needs a day"]),
        ("Tuesday 29 May 2017", ["29 May 2017 is a Monday"]),
        ("0001-01-01T00:30+01:00", ["outside years 1-9998"]),
        (2017.5, ["float"]),
        ([2017], ["list"]),
        (dt.datetime(2017, 1, 1, 1, 1, 1, 500), ["fractions of a second"]),
        (dt.datetime(2017, 1, 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(seconds=30))), ["whole minutes"]),
    ],
)
def test_refusals(value: object, fragments: list[str]) -> None:
    message = str(refusal(value))
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_date_error_is_a_value_error_with_a_suggestion() -> None:
    assert issubclass(DateError, ValueError)
    assert refusal("13/06/2018").suggestion == "2018-06-13"
    assert refusal("29 Mai 2017").suggestion == "29 May 2017"
    assert refusal("05/06/2018").suggestion is None
    assert refusal("2018-02-30").suggestion is None
    assert DateError("x").suggestion is None


@pytest.mark.parametrize(
    "fields",
    [
        {"year": 2017, "day": 3},
        {"year": 2017, "month": 5, "hour": 3, "minute": 0},
        {"year": 2017, "month": 5, "day": 3, "hour": 3},
        {"year": 2017, "month": 5, "day": 3, "minute": 3},
        {"year": 2017, "month": 5, "day": 3, "utc_offset_minutes": 0},
        {"year": "2017"},
        {"year": True},
        {"year": 2017, "month": 5.0},
    ],
)
def test_partial_date_refuses_inconsistent_fields(fields: dict[str, object]) -> None:
    with pytest.raises(DateError):
        PartialDate(**fields)  # type: ignore[arg-type]


def test_timezone_must_be_given_as_tzinfo() -> None:
    with pytest.raises(TypeError):
        PartialDate(2017, 5, 29, 14, 30, tz=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        parse("2017-05-29T14:30", tz="Europe/Paris")  # type: ignore[arg-type]


def test_interval_needs_two_points() -> None:
    with pytest.raises(DateError):
        Interval(parse("2017/2018"), PartialDate(2019))  # type: ignore[arg-type]


# --- order --------------------------------------------------------------------------------------


def test_coarser_precision_first_on_a_tie() -> None:
    assert parse("2018-05").sort_key < parse("2018-05-01").sort_key
    assert parse("2018").sort_key < parse("2018-01").sort_key
    assert parse("2018-05-01").sort_key < parse("2018-05-01T00:00").sort_key
    assert parse("2018-05-01T00:00").sort_key < parse("2018-05-01T00:00:00").sort_key


def test_interval_before_point_on_a_tie() -> None:
    assert parse("2018-05/2018-06").sort_key < parse("2018-05").sort_key
    assert parse("2018-05-01/2018-05-03").sort_key < parse("2018-05-01").sort_key
    assert parse("2018-05").sort_key < parse("2018-05-01/2018-05-03").sort_key  # coarser first


def test_sorting_a_mixed_list() -> None:
    texts = ["2018-05-02", "2018-05-01", "2018", "2018-05", "2018-05/2018-06", "2017-12-31T23:30-01:00", "2017"]
    ordered = sorted((parse(t) for t in texts), key=lambda d: d.sort_key)
    assert [d.edtf for d in ordered] == [
        "2017", "2018", "2017-12-31T23:30-01:00", "2018-05/2018-06", "2018-05", "2018-05-01", "2018-05-02",
    ]


def test_sort_key_tells_apart_different_dates_with_the_same_start() -> None:
    keys = {parse(t).sort_key for t in ["2018-05", "2018-05~", "2018-05?", "2018-05/2018-06", "2018-05/2018-07"]}
    assert len(keys) == 5
    assert parse("2018-05-01T12:00+02:00").sort_key != parse("2018-05-01T10:00Z").sort_key


def test_sort_key_does_not_depend_on_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    key = parse("2017-05-29T14:30").sort_key
    assert key[0] == utc(2017, 5, 29, 14, 30)
    assert key == (utc(2017, 5, 29, 14, 30), 3, 1, utc(2017, 5, 29, 14, 30, 59), "2017-05-29T14:30")


# --- properties -----------------------------------------------------------------------------------

FIELD_COUNT = {Precision.YEAR: 1, Precision.MONTH: 2, Precision.DAY: 3, Precision.MINUTE: 5, Precision.SECOND: 6}
ZONES = st.sampled_from([UTC, PLUS2, dt.timezone(dt.timedelta(hours=-9, minutes=-30))])


def truncated(fields: tuple[int, ...], precision: Precision, **extra: object) -> PartialDate:
    return PartialDate(*fields[: FIELD_COUNT[precision]], **extra)  # type: ignore[arg-type]


@st.composite
def points(
    draw: st.DrawFn, precisions: tuple[Precision, ...] = tuple(Precision), min_year: int = 1, qualified: bool = True
) -> PartialDate:
    precision = draw(st.sampled_from(precisions))
    timed = precision >= Precision.MINUTE
    year = draw(st.integers(max(min_year, 2), 9998))  # year 1 in a zone east of UTC begins in year 0
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    fields = (year, month, day, draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(st.integers(0, 59)))
    offsets = st.none() | st.sampled_from([0, 60, -300, 330, 14 * 60]) | st.integers(-1439, 1439)
    offset = draw(offsets) if timed else None
    return truncated(
        fields, precision, utc_offset_minutes=offset,
        approximate=qualified and draw(st.booleans()), uncertain=qualified and draw(st.booleans()), tz=draw(ZONES),
    )


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    first, second = sorted((draw(points()), draw(points())), key=lambda d: d.earliest)
    try:
        return Interval(first, dataclasses.replace(second, tz=first.tz))  # parse gives both ends one zone
    except DateError:  # later as an instant, earlier as the day written (a far offset)
        assume(False)
        raise


dates = points() | intervals()


@settings(max_examples=200, deadline=None)  # no timing assertions: a loaded machine is slow, not wrong
@given(dates)
def test_edtf_round_trips(date: EDTF) -> None:
    again = parse(date.edtf, tz=date.start.tz)
    assert again == date
    assert again.earliest == date.earliest and again.latest == date.latest


@settings(max_examples=200, deadline=None)  # no timing assertions: a loaded machine is slow, not wrong
@given(dates)
def test_display_never_raises(date: EDTF) -> None:
    shown = date.display()
    assert shown and "\n" not in shown
    assert format_date(date) == shown
    assert date.earliest <= date.latest


@settings(max_examples=200, deadline=None)  # no timing assertions: a loaded machine is slow, not wrong
@given(points(precisions=(Precision.MONTH, Precision.DAY), min_year=1000, qualified=False))
def test_display_of_a_day_or_month_parses_back(date: PartialDate) -> None:
    assert parse(date.display(), tz=date.tz).earliest == date.earliest
    assert parse(date.display(), tz=date.tz).precision is date.precision


@settings(max_examples=200, deadline=None)  # no timing assertions: a loaded machine is slow, not wrong
@given(dates, dates)
def test_sort_key_is_consistent_with_earliest_and_equality(a: EDTF, b: EDTF) -> None:
    if a.earliest < b.earliest:
        assert a.sort_key < b.sort_key
    if a.earliest == b.earliest and a.precision < b.precision:
        assert a.sort_key < b.sort_key
    if a.start.tz == b.start.tz and a.end.tz == b.end.tz:
        assert (a.sort_key == b.sort_key) == (a == b)


@settings(max_examples=200, deadline=None)  # no timing assertions: a loaded machine is slow, not wrong
@given(st.lists(dates, min_size=2, max_size=8))
def test_sorting_is_by_earliest_instant(values: list[EDTF]) -> None:
    ordered = sorted(values, key=lambda d: d.sort_key)
    assert [d.earliest for d in ordered] == sorted(d.earliest for d in values)
    assert sorted(reversed(values), key=lambda d: d.sort_key) == ordered


@settings(max_examples=200, deadline=None)  # no timing assertions: a loaded machine is slow, not wrong
@given(
    st.integers(1, 9998),
    st.integers(1, 12),
    st.lists(st.sampled_from(list(Precision)), min_size=2, max_size=2, unique=True).map(sorted),
)
def test_coarser_before_finer_at_the_same_instant(year: int, month: int, pair: list[Precision]) -> None:
    coarse_precision, fine_precision = pair
    fields = (year, 1 if coarse_precision == Precision.YEAR else month, 1, 0, 0, 0)
    coarse, fine = truncated(fields, coarse_precision), truncated(fields, fine_precision)
    assert coarse.earliest == fine.earliest
    assert coarse.sort_key < fine.sort_key
    span = Interval(coarse, PartialDate(year, 12, 31))
    assert span.sort_key < coarse.sort_key
    assert span.sort_key < fine.sort_key


@settings(max_examples=200, deadline=None)  # no timing assertions: a loaded machine is slow, not wrong
@given(st.text() | st.text(alphabet="0123456789-/:.T Z+~?%MaySeptmbr,"))
def test_any_text_is_a_date_or_a_date_error(text: str) -> None:
    try:
        date = parse(text)
    except DateError as err:
        assert str(err) and "\n" not in str(err)
    else:
        assert parse(date.edtf) == date


# --- windows: sometime between A and B ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown", "shared"),
    [
        ("[2011-09-02..2011-09-19]", "between 2 and 19 September 2011", "2011-09"),
        ("[2011-09-20..2011-10-02]", "between 20 September and 2 October 2011", "2011"),
        ("[2011-12-20..2012-01-10]", "between 20 December 2011 and 10 January 2012", None),
        ("[2011-05..2011-07]", "between May and July 2011", "2011"),
        ("[2011..2013]", "between 2011 and 2013", None),
        ("[2011-09-02T14:00..2011-09-02T16:00]", "2 September 2011, between 14:00 and 16:00", "2011-09-02"),
        ("[2011-09~..2011-10~]", "c. between September and October 2011", "2011"),
        ("[ 2011-09-02 .. 2011-09 ]", "between 2 September 2011 and September 2011", "2011-09"),
    ],
)
def test_window_display_and_shared_part(text: str, shown: str, shared: str | None) -> None:
    window = parse(text)
    assert window.is_window and not window.is_interval
    assert window.display() == shown
    assert (window.shared.edtf if window.shared else None) == shared
    assert parse(window.edtf) == window  # the EDTF text reads back


def test_window_from_yaml_list_is_the_same_as_quoted() -> None:
    assert parse(["2011-09-02..2011-09-19"]) == parse("[2011-09-02..2011-09-19]")


def test_window_sorts_at_its_start_before_the_days_it_holds() -> None:
    window, first_day, interval = parse("[2011-09-02..2011-09-19]"), parse("2011-09-02"), parse("2011-09-02/2011-09-19")
    assert window.earliest == first_day.earliest
    assert window.sort_key < first_day.sort_key
    assert interval.sort_key != window.sort_key and window != interval


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("[2011-09-02, 2011-09-19]", "write a window as [2011-09-02..2011-09-19]"),
        (["2011-09-02", "2011-09-19"], "a list of dates is not supported"),
        ("[..2011-09-19]", "open window"),
        ("[2011-09-02..2011-09-19/2011-10]", "write a window as"),
        ("[2011-13..2011-14]", "there is no month 13"),
    ],
)
def test_window_refusals(value: object, fragment: str) -> None:
    with pytest.raises(DateError) as caught:
        parse(value)
    assert fragment in str(caught.value)
