"""TimelineJS sheets (CSV, XLSX) and TimelineJS3 JSON, as events, periods and site.yml values.

Each slide becomes an event: its date from Year/Month/Day/Time (and End … for an
interval), its headline the title, its Text (HTML) the summary in Markdown. A Display
Date that a qualified date of ours would print (`c. February 2018`) gives the date
its `~ ? %`; any other is kept in `date_note`. The title slide fills site.yml's title
and description where they are empty, eras become periods, groups tags or actors (the
user chooses), media event media. TimelineJS has no actors nor sources: every event
cites one source standing for the sheet, and gets the actors given with `--actor`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import time as clock_time
from datetime import tzinfo
from pathlib import Path
from typing import Any, Callable, Iterator

from generator import dates
from generator.diagnostics import Diagnostic
from generator.importers.common import (
    Draft, Ids, UnreadableFile, Imported, Row, RowError, html_to_markdown, plain_text, read_table, row_slug,
)
from generator.schema import EVENT_FIELDS, PERIOD, Context, Invalid, check_fields, field_path, slug_problem

KEY_GROUP = "Key events"  # the group this project's own export gives key events
TEMPLATE_COLUMNS = (
    "year", "month", "day", "time", "end year", "end month", "end day", "end time", "display date",
    "headline", "text", "media", "media credit", "media caption", "media thumbnail", "type", "group", "background",
)
_PARTS = ("year", "month", "day")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([ap])?\.?\s*m?\.?$", re.IGNORECASE)
# The list of key events this project's export appends to the title slide: made from
# the events, so not part of the site's description.
_KEY_LIST = re.compile(r"<p>Key events:</p><ul>.*</ul>\s*$", re.DOTALL)
_MORE_LINK = re.compile(r'<p><a href="[^"]*">More about this event</a></p>\s*$')
_LINK_IN_EMBED = re.compile(r"""(?:src|href)\s*=\s*["'](https?://[^"']+)["']""", re.IGNORECASE)
_QUALIFIERS = ("", "~", "?", "%")
_MEDIA_COLUMN = {"credit": "media.credit", "caption": "media.caption", "alt": "media.caption"}


@dataclass(frozen=True)
class Options:
    groups: str = "tags"  # tags or actors
    actors: tuple[str, ...] = ()  # given to every event
    timezone: tzinfo = dates.UTC


@dataclass
class Slide:
    """One row or JSON slide, in one shape; `where` names a field's position for messages."""

    start: dict[str, Any]
    end: dict[str, Any]
    display_date: str
    headline: str
    text: str
    media: dict[str, str]
    kind: str  # "", title or era
    group: str
    unique_id: str
    where: Callable[[str], tuple[int, int, str]]  # field → (row, column, label)


def read_slides(path: Path) -> Iterator[Slide]:
    """The file's slides (of a JSON file: its title slide and eras first)."""
    if path.suffix.lower() == ".json":
        return _json_slides(path)
    header, rows = read_table(path)
    if "year" not in header or "headline" not in header:
        raise UnreadableFile(f"{path}:1: no Year and Headline columns: not a TimelineJS sheet (its first row names the columns)")
    return (_row_slide(row) for row in rows)


def _row_slide(row: Row) -> Slide:
    def where(name: str) -> tuple[int, int, str]:
        label = _COLUMN_OF.get(name, name)
        return row.number, row.columns.get(label, 0), label.title()

    return Slide(
        start={"year": row.raw("year"), "month": row.raw("month"), "day": row.raw("day"), "time": row.raw("time")},
        end={"year": row.raw("end year"), "month": row.raw("end month"), "day": row.raw("end day"), "time": row.raw("end time")},
        display_date=row.get("display date"), headline=row.get("headline"), text=row.get("text"),
        media={"url": row.get("media"), "credit": row.get("media credit"), "caption": row.get("media caption"), "thumbnail": row.get("media thumbnail")},
        kind=row.get("type").lower(), group=row.get("group"), unique_id="", where=where,
    )


# Slide fields → the sheet's column names (for positions in messages).
_COLUMN_OF = {
    "start.year": "year", "start.month": "month", "start.day": "day", "start.time": "time",
    "end.year": "end year", "end.month": "end month", "end.day": "end day", "end.time": "end time",
    "media.url": "media", "media.credit": "media credit", "media.caption": "media caption",
}


def _json_slides(path: Path) -> Iterator[Slide]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise UnreadableFile(f"{path}: not TimelineJS JSON ({err})") from None
    if not isinstance(document, dict) or not isinstance(document.get("events", []), list):
        raise UnreadableFile(f'{path}: not TimelineJS JSON (no "events" list)')
    specials: list[Slide] = []
    if isinstance(document.get("title"), dict):
        specials.append(_json_slide(document["title"], "title", "title"))
    for index, era in enumerate(document.get("eras") or ()):
        specials.append(_json_slide(era, f"eras[{index + 1}]", "era"))
    events = document.get("events") or []
    slides = (_json_slide(event, f"events[{index + 1}]", "") for index, event in enumerate(events))
    return iter([*specials, *slides])


def _json_slide(slide: Any, at: str, kind: str) -> Slide:
    slide = slide if isinstance(slide, dict) else {}
    text = slide.get("text") if isinstance(slide.get("text"), dict) else {}
    media = slide.get("media") if isinstance(slide.get("media"), dict) else {}

    def where(name: str) -> tuple[int, int, str]:
        return 0, 0, f"{at}.{name.replace('start.', 'start_date.').replace('end.', 'end_date.')}"

    def parts(date: Any) -> dict[str, Any]:
        date = date if isinstance(date, dict) else {}
        hour, minute, second = date.get("hour"), date.get("minute"), date.get("second")
        moment = None
        if hour not in (None, ""):
            moment = f"{_number(hour)}:{_number(minute or 0):0>2}" + (f":{_number(second):0>2}" if second not in (None, "") else "")
        return {"year": date.get("year"), "month": date.get("month"), "day": date.get("day"), "time": moment}

    return Slide(
        start=parts(slide.get("start_date")), end=parts(slide.get("end_date")),
        display_date=_string(slide.get("display_date")), headline=_string(text.get("headline")), text=_string(text.get("text")),
        media={name: _string(media.get(name)) for name in ("url", "credit", "caption", "thumbnail", "alt")},
        kind=kind or _string(slide.get("type")).lower(), group=_string(slide.get("group")), unique_id=_string(slide.get("unique_id")),
        where=where,
    )


def _string(value: Any) -> str:
    return str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()


# --- from slides to drafts ----------------------------------------------------------


class SheetImport:
    """The drafts a sheet makes, built slide by slide."""

    def __init__(self, path: Path, shown: str, ids: Ids, options: Options) -> None:
        self.path, self.shown, self.ids, self.options = path, shown, ids, options
        self.result = Imported()
        self.periods: list[dict[str, Any]] = []
        self.event_ids: set[str] = set()
        self.actor_drafts: dict[str, Draft] = {}
        self.context = Context(options.timezone)

    def run(self, slides: Iterator[Slide]) -> Imported:
        events: list[Draft] = []
        for slide in slides:
            self.result.rows += 1
            try:
                made = self._slide(slide)
            except RowError as err:
                row, column, label = slide.where(err.column_name)
                self.result.row_problem(self.shown, row, column, f"{label}: {err}")
                self.result.failed_rows += 1
                continue
            if made is not None:
                events.append(made)
        source, source_drafts = self._sheet_source()
        for event in events:
            event.values["sources"] = [source]
        without = sum("actors" not in event.values for event in events)
        if without:
            self.result.diagnostics.append(Diagnostic(
                "warning", f"{without} event{'s have' if without > 1 else ' has'} no actor (TimelineJS has none): "
                "import again with --actor NAME or --groups actors, or fill in their `actors:`", self.shown,
            ))
        self.result.drafts = [*source_drafts, *self.actor_drafts.values(), *events]
        if self.periods:
            self.result.site_values["periods"] = self.periods
        return self.result

    def _slide(self, slide: Slide) -> Draft | None:
        if slide.kind == "title":
            self._title(slide)
            return None
        date = _slide_date(slide, self.options.timezone)
        if slide.kind == "era":
            self._era(slide, date)
            return None
        if not slide.headline:
            raise RowError("headline", "empty: every event needs a title")
        return self._event(slide, date)

    def _title(self, slide: Slide) -> None:
        if slide.headline:
            self.result.site_values.setdefault("title", plain_text(slide.headline))
        description = html_to_markdown(_KEY_LIST.sub("", slide.text))
        if description:
            self.result.site_values.setdefault("description", description)

    def _era(self, slide: Slide, date: dates.EDTF) -> None:
        if not date.is_interval:
            raise RowError("end.year", "an era needs an end date")
        period = {"name": plain_text(slide.headline) or date.display(), "date": date.edtf}
        description = html_to_markdown(slide.text)
        if description:
            period["description"] = description
        try:
            PERIOD.convert(period, self.context)
        except Invalid as err:
            raise RowError("headline", err.problems[0][0]) from None
        self.periods.append(period)

    def _event(self, slide: Slide, date: dates.EDTF) -> Draft:
        values: dict[str, Any] = {"title": plain_text(slide.headline), "date": date.edtf}
        summary = html_to_markdown(_MORE_LINK.sub("", slide.text))
        if summary:
            values["summary"] = summary
        actors = list(self.options.actors)
        group = plain_text(slide.group)
        if group == KEY_GROUP:
            values["key"] = True
        elif group and self.options.groups == "actors":
            actors.append(group)
        elif group:
            values["tags"] = [group]
        if actors:
            values["actors"] = [self._actor(name) for name in dict.fromkeys(actors)]
        note = _date_note(slide.display_date, date, self.options.timezone)
        if note:
            values["date_note"] = note
        media = self._media(slide)
        if media:
            values["media"] = [media]
        self._check(values, slide)
        event_id = self._event_id(slide, date, values["title"])
        return Draft("events", event_id, values, key=event_id, year=date.start.year, origin_note="Imported from TimelineJS.")

    def _check(self, values: dict[str, Any], slide: Slide) -> None:
        """The values as `timeline check` would check them (empty required fields aside).

        A problem with a media item (no credit, a link of unknown kind) does not skip
        the row: the item is written as it is and `timeline check` asks for the rest.
        """
        for message, at in check_fields(values, EVENT_FIELDS, self.context):
            if not at:
                continue
            column = {"title": "headline", "summary": "text", "media": "media.url", "tags": "group", "actors": "group"}.get(at[0], at[0])
            if at[0] != "media":
                raise RowError(column, f"{field_path(at)}: {message}")
            named = at[-1] if isinstance(at[-1], str) else next((name for name in _MEDIA_COLUMN if f'"{name}"' in message), "")
            row, number, label = slide.where(_MEDIA_COLUMN.get(named, "media.url"))
            self.result.row_problem(self.shown, row, number, f"{label}: {message}; written as it is, for you to complete", "warning")

    def _event_id(self, slide: Slide, date: dates.EDTF, title: str) -> str:
        unique = slide.unique_id
        event_id = unique if unique and not slug_problem(unique) else row_slug(unique) if unique else row_slug(date.start.edtf[:10], title)
        if not event_id:
            raise RowError("headline", "has no letter or digit to make an id from")
        if event_id in self.event_ids:
            row, column, label = slide.where("headline")
            self.result.row_problem(self.shown, row, column, f"{label}: a second slide with this date and headline; imported as {event_id}-2 and so on", "warning")
            number = 2
            while f"{event_id}-{number}" in self.event_ids:
                number += 1
            event_id = f"{event_id}-{number}"
        self.event_ids.add(event_id)
        return event_id

    def _actor(self, name: str) -> str:
        own = self.ids.own("actors", name)
        if own:
            return own
        actor_id = self.ids.id_for("actors", name, [row_slug(name)])
        self.actor_drafts.setdefault(actor_id, Draft("actors", actor_id, {"name": name, "kind": "other"}, key=name, origin_note="Imported from TimelineJS; give it its kind."))
        return actor_id

    def _media(self, slide: Slide) -> dict[str, str] | None:
        url = slide.media.get("url", "")
        if not url:
            return None
        row, column, label = slide.where("media.url")
        if not re.match(r"^https?://", url, re.IGNORECASE):
            found = _LINK_IN_EMBED.search(url)
            if not found:
                self.result.row_problem(self.shown, row, column, f"{label}: not an http(s) link (embedded code or a file name); left out", "warning")
                return None
            url = found.group(1)
        item = {"url": url}
        for name in ("alt", "credit", "caption"):
            text = plain_text(slide.media.get(name, "")) if name != "caption" else html_to_markdown(slide.media.get(name, ""))
            if text:
                item[name] = text
        if "alt" not in item and "caption" in item:
            item["alt"] = plain_text(slide.media["caption"])
        return item

    def _sheet_source(self) -> tuple[str, list[Draft]]:
        """The source every event cites, standing for the sheet (the site's own, if it has one of that title)."""
        title = f"TimelineJS: {self.result.site_values.get('title') or self.path.stem}"
        own = self.ids.own("sources", title)
        if own:
            return own, []
        key = f"sheet:{title}"
        source_id = self.ids.id_for("sources", key, [row_slug(title)])
        note = "Stands for the TimelineJS sheet the events were imported from; give its address if it is published."
        return source_id, [Draft("sources", source_id, {"title": title, "publisher": "TimelineJS"}, key=key, origin_note=note)]


def import_timelinejs(path: Path, shown: str, ids: Ids, options: Options) -> Imported:
    """The events, periods and site.yml values a TimelineJS file makes, and its bad rows."""
    return SheetImport(path, shown, ids, options).run(read_slides(path))


# --- dates --------------------------------------------------------------------------


def _slide_date(slide: Slide, tz: tzinfo) -> dates.EDTF:
    start = _point_text(slide.start, "start")
    if start is None:
        raise RowError("start.year", "empty: every slide but the title needs a year")
    end = _point_text(slide.end, "end")
    try:
        plain = dates.parse(f"{start}/{end}" if end else start, tz)
    except dates.DateError as err:
        raise RowError("end.year", f"not a date: {err}") from None
    if not slide.display_date or plain.display() == slide.display_date:
        return plain
    for text in _qualified(start, end)[1:]:
        try:
            qualified = dates.parse(text, tz)
        except dates.DateError:
            continue
        if qualified.display() == slide.display_date:
            return qualified
    return _written_in_display(slide.display_date, plain, tz) or plain


def _written_in_display(display_date: str, plain: dates.EDTF, tz: tzinfo) -> dates.EDTF | None:
    """The display date read as a date, when it is the slide's own date told more fully (with its UTC offset)."""
    try:
        written = dates.parse(display_date, tz)
    except dates.DateError:
        return None
    same_parts = all(getattr(written.start, name) == getattr(plain.start, name) for name in ("year", "month", "day", "hour", "minute"))
    return written if same_parts and not plain.is_interval and not written.is_interval else None


def _qualified(start: str, end: str | None) -> list[str]:
    """The date's EDTF text, plain first, then with each qualifier the display date may show."""
    if end is None:
        return [start + q for q in _QUALIFIERS]
    return [f"{start}{a}/{end}{b}" for a in _QUALIFIERS for b in _QUALIFIERS]


def _point_text(parts: dict[str, Any], side: str) -> str | None:
    """`YYYY[-MM[-DD[Thh:mm[:ss]]]]` from a slide's date parts, or None when it has no year."""
    year = _whole(parts.get("year"), f"{side}.year", "a year")
    if year is None:
        if any(_whole(parts.get(name), f"{side}.{name}", name) is not None for name in ("month", "day")):
            raise RowError(f"{side}.year", "empty, but a month or day is given")
        return None
    if year < dates.MIN_YEAR:
        raise RowError(f"{side}.year", f"{year} is a year before the Common Era: timeline's dates run from year 1 to {dates.MAX_YEAR}, so this slide cannot be imported")
    month = _whole(parts.get("month"), f"{side}.month", "a month number")
    day = _whole(parts.get("day"), f"{side}.day", "a day number")
    clock = _time(parts.get("time"), f"{side}.time")
    if day is not None and month is None:
        raise RowError(f"{side}.month", "empty, but a day is given")
    if clock and day is None:
        raise RowError(f"{side}.day", "empty, but a time is given")
    given = (year, month, day, *clock)
    try:
        return dates.PartialDate(*given).edtf
    except dates.DateError as err:
        problem = str(err)
    for count, part in ((1, "year"), (2, "month"), (3, "day")):  # the first part that makes it no date
        try:
            dates.PartialDate(*given[:count])
        except dates.DateError:
            raise RowError(f"{side}.{part}", f"not a date: {problem}") from None
    raise RowError(f"{side}.time", f"not a date: {problem}")


def _whole(value: Any, name: str, what: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip().replace(",", "")
    if re.fullmatch(r"[+-]?\d+(?:\.0+)?", text):
        return int(float(text))
    raise RowError(name, f'"{value}" is not {what}')


def _time(value: Any, name: str) -> tuple[int, ...]:
    """(hour, minute) or (hour, minute, second) from `14:30`, `2:30 PM`, `14:30:05` or a time cell; () when empty."""
    if value is None or value == "":
        return ()
    if isinstance(value, clock_time):
        return (value.hour, value.minute, value.second) if value.second else (value.hour, value.minute)
    match = _TIME.match(str(value).strip())
    if not match:
        raise RowError(name, f'"{value}" is not a time (write 14:30, 2:30 PM or 14:30:05)')
    hour, minute, second, half = int(match[1]), int(match[2]), match[3], (match[4] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise RowError(name, f'"{value}": an hour with AM or PM runs from 1 to 12')
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59 or (second and int(second) > 59):
        raise RowError(name, f'"{value}" is not a time of day')
    return (hour, minute, int(second)) if second else (hour, minute)


def _date_note(display_date: str, date: dates.EDTF, tz: tzinfo) -> str:
    """The display date, kept when it says more than the date (`Spring 1850`)."""
    shown = plain_text(display_date)
    if not shown or shown == date.display():
        return ""
    try:
        if dates.parse(shown, tz).edtf == date.edtf:
            return ""
    except dates.DateError:
        pass
    return f'Shown in TimelineJS as "{shown}".'
