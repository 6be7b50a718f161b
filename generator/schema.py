"""Declarations of every field of site.yml, events, actors, sources and places.

Each field is declared once, with its type, whether it is required, its default,
help text and an example. Validation, the format documentation and the `new`
scaffolds all follow from these declarations (as MkDocs does for its settings).
"""
from __future__ import annotations

import re
from functools import lru_cache
import unicodedata
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any, Callable, Sequence
from urllib.parse import urlsplit

from generator import advice, dates
from generator.diagnostics import ERROR, Diagnostic, did_you_mean
from generator.kinds import ACTOR_KINDS, EVENT_STATUSES, MEDIA_KINDS, PLACE_KINDS, PLACE_PRECISIONS
from generator.load import Document

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 80
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_LIST = 1000


class Invalid(Exception):
    """A value does not fit its declaration: one or more (message, path below it)."""

    def __init__(self, message: str = "", at: tuple = (), problems: list[tuple[str, tuple]] | None = None):
        self.problems = problems if problems is not None else [(message, at)]
        super().__init__(self.problems[0][0])


@dataclass(frozen=True)
class Context:
    """What conversion needs to know besides the value itself."""

    timezone: tzinfo


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if value is None:
        return "empty"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f'"{value}"'


@lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    """Lowercase ASCII words joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:MAX_SLUG].strip("-")


MAX_TAG_SLUG_BYTES = 200  # a page name must fit in one path segment (255 bytes on most file systems)


@lru_cache(maxsize=4096)
def tag_slug(label: str) -> str:
    """A tag's page name: its letters and digits, of any script, lowercased and joined by hyphens.

    A label that ASCII holds whole gets the usual slug (`Élysée` → `elysee`); one
    with letters ASCII cannot write keeps them (`Сирия` → `сирия`) rather than lose them.
    """
    ascii_slug = slugify(label)
    if ascii_slug and not any(_unwritable_in_ascii(char) for char in label):
        return ascii_slug
    pieces = []
    for char in unicodedata.normalize("NFC", label.casefold()):
        pieces.append(char if unicodedata.category(char)[0] in "LMN" else "-")
    slug = re.sub(r"-+", "-", "".join(pieces)).strip("-")[:MAX_SLUG].strip("-")
    while len(slug.encode()) > MAX_TAG_SLUG_BYTES:
        slug = slug[:-1].rstrip("-")
    return slug


def _unwritable_in_ascii(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN" and not unicodedata.normalize("NFKD", char).encode("ascii", "ignore")


def slug_problem(value: str) -> str | None:
    """Why `value` is not a valid id, or None."""
    if len(value) > MAX_SLUG:
        return f"is {len(value)} characters long; ids have at most {MAX_SLUG}"
    if not SLUG_RE.match(value):
        suggestion = slugify(value)
        hint = f' (try "{suggestion}")' if suggestion else ""
        return f"is not a valid id: use lowercase a-z, 0-9 and single hyphens{hint}"
    if value in WINDOWS_RESERVED:
        return "is a reserved file name on Windows"
    return None


# --- value types ---------------------------------------------------------------


class FieldType:
    label = "value"

    def convert(self, value: Any, context: Context) -> Any:
        raise NotImplementedError


def _quoting_hint(value: Any) -> str:
    """How to keep as text what YAML read as something else."""
    if isinstance(value, (bool, int, float)):
        return " (put it in quotes to keep it as text)"
    if isinstance(value, dict) and len(value) == 1 and all(isinstance(v, (str, int, float)) for v in value.values()):
        key, inner = next(iter(value.items()))
        return f' (a colon followed by a space makes a mapping: put the text in quotes, "{key}: {inner}")'
    return ""


# Characters no text field may hold: C0 controls but tab and line feed, DEL and C1
# controls, bidi embeddings, overrides and isolates (a name with U+202E reverses the
# text after it on the page), lone surrogates and the non-characters U+FFFE/U+FFFF
# (invalid in XML, so in every feed).
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Text(FieldType):
    max_length: int = 100_000
    single_line: bool = False
    label: str = "text"

    def convert(self, value: Any, context: Context) -> str:
        if not isinstance(value, str):
            raise Invalid(f"expected {self.label}, got {describe(value)}{_quoting_hint(value)}")
        text = value.strip()
        if not text:
            raise Invalid(f"expected {self.label}, got an empty string")
        if self.single_line and "\n" in text:
            raise Invalid("must fit on one line")
        control = _CONTROL_CHARACTER.search(text)
        if control:
            raise Invalid(
                f"holds the control character U+{ord(control.group()):04X} at character {control.start() + 1}: "
                "remove it (it is invalid in feeds and can reorder or hide the text around it)"
            )
        if len(text) > self.max_length:
            raise Invalid(f"is {len(text):,} characters long; at most {self.max_length:,} are allowed")
        return text


MAX_MARKDOWN_NESTING = 16  # [ ( levels (open ones count), list indents of 4 columns, > quote levels


@dataclass(frozen=True)
class MarkdownText(Text):
    """Text converted from Markdown, bounded so that the conversion stays fast and shallow.

    Python-Markdown scans to the end of the text for every `[` or `(` left open (20 KB
    of `[` took a minute) and recurses once per level of nested lists (300 levels end
    in a RecursionError), so nesting is bounded here, where it can be reported.
    """

    def convert(self, value: Any, context: Context) -> str:
        text = super().convert(value, context)
        problem = markdown_nesting_problem(text)
        if problem:
            raise Invalid(problem)
        return text


def markdown_nesting_problem(text: str, limit: int = MAX_MARKDOWN_NESTING) -> str | None:
    """Why this Markdown nests too deeply to be converted safely, or None."""
    for opening, closing in (("[", "]"), ("(", ")")):
        if text.count(opening) <= limit:  # cannot nest deeper than it opens (the usual case: skip the walk)
            continue
        depth = deepest = 0
        for char in text:
            if char == opening:
                depth += 1
                deepest = max(deepest, depth)
            elif char == closing and depth:
                depth -= 1
        if deepest > limit:
            return f"nests {opening} more than {limit} deep (counting those never closed): close or remove some"
    for number, line in enumerate(text.splitlines(), 1):
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        quote_depth = re.match(r"[>\s]*", line).group().count(">")
        if indent > 4 * limit or quote_depth > limit:
            return f"line {number} nests lists or quotes more than {limit} levels deep"
    return None


@dataclass(frozen=True)
class Slug(Text):
    label: str = "an id"

    def convert(self, value: Any, context: Context) -> str:
        text = super().convert(value, context)
        problem = slug_problem(text)
        if problem:
            raise Invalid(f'"{text}" {problem}')
        return text


@dataclass(frozen=True)
class Reference(Text):
    """A name for another item (an id, or for actors also a name or alias); resolved by the checker."""

    label: str = "a reference"
    max_length: int = 200
    single_line: bool = True


@dataclass(frozen=True)
class Url(Text):
    label: str = "a URL"
    single_line: bool = True

    def convert(self, value: Any, context: Context) -> str:
        text = super().convert(value, context)
        if not re.match(r"^https?://[^\s/?#]+[^\s]*$", text, re.IGNORECASE):
            raise Invalid(_url_problem(text))
        return text


def _url_problem(text: str) -> str:
    shown = text[:80]
    fixed = advice.url_suggestion(text)
    hint = f' (did you mean "{fixed[:100]}"?)' if fixed else ""
    scheme = re.match(r"^([a-z][a-z0-9+.-]*):", text, re.IGNORECASE)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        return f'"{shown}" is a {scheme.group(1)}: URL; only http and https URLs are allowed'
    if re.search(r"\s", text) and text.lower().startswith(("http://", "https://")):
        return f'"{shown}" has a space in it: write a space in a URL as %20{hint}'
    if not scheme:
        return f'"{shown}" has no scheme: a URL starts with https:// or http://{hint}'
    return f'"{shown}" is not an http or https URL{hint}'


def _accept_any(text: str) -> str | None:
    return None


@dataclass(frozen=True)
class CheckedText(Text):
    """One line of text that `problem` accepts (a time zone name, a language tag)."""

    problem: Callable[[str], str | None] = _accept_any  # why the text is refused, or None
    single_line: bool = True

    def convert(self, value: Any, context: Context) -> str:
        text = super().convert(value, context)
        problem = self.problem(text)
        if problem:
            raise Invalid(problem)
        return text


@dataclass(frozen=True)
class Date(FieldType):
    label: str = "a date"

    def convert(self, value: Any, context: Context) -> dates.EDTF:
        if isinstance(value, bool) or value is None:
            raise Invalid(f"expected a date such as 2017-05-29, got {describe(value)}")
        try:
            return dates.parse(value, context.timezone)
        except dates.DateError as err:
            raise Invalid(advice.date_message(value, str(err))) from None


@dataclass(frozen=True)
class Boolean(FieldType):
    label: str = "true or false"

    def convert(self, value: Any, context: Context) -> bool:
        if not isinstance(value, bool):
            raise Invalid(f"expected true or false, got {describe(value)}")
        return value


@dataclass(frozen=True)
class Number(FieldType):
    minimum: int = 0
    label: str = "a whole number"

    def convert(self, value: Any, context: Context) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"expected a whole number, got {describe(value)}")
        if value < self.minimum:
            raise Invalid(f"must be at least {self.minimum}")
        return value


@dataclass(frozen=True)
class Degrees(FieldType):
    """A latitude (within ±90) or a longitude (within ±180), in decimal degrees."""

    limit: float = 90
    label: str = "degrees"

    def convert(self, value: Any, context: Context) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            hint = " (write decimal degrees such as 35.93, south and west negative)" if isinstance(value, str) else ""
            raise Invalid(f"expected {self.label} as a number, got {describe(value)}{hint}")
        if not -self.limit <= value <= self.limit:
            raise Invalid(f"{value:g} is out of range: a {self.label} lies between -{self.limit:g} and {self.limit:g}")
        return float(value)


@dataclass(frozen=True)
class BoundingBox(FieldType):
    """An area as [west, south, east, north] in decimal degrees."""

    label: str = "[west, south, east, north]"

    def convert(self, value: Any, context: Context) -> tuple[float, float, float, float]:
        if not isinstance(value, list) or len(value) != 4:
            raise Invalid(f"expected four numbers {self.label}, got {describe(value)}")
        problems = []
        for index, (item, axis) in enumerate(zip(value, (LONGITUDE, LATITUDE, LONGITUDE, LATITUDE))):
            try:
                axis.convert(item, context)
            except Invalid as err:
                problems.extend((message, (index, *at)) for message, at in err.problems)
        if problems:
            raise Invalid(problems=problems)
        west, south, east, north = (float(v) for v in value)
        if south > north:
            raise Invalid(f"south ({south:g}) is north of north ({north:g}): the order is {self.label}")
        if west > east:
            raise Invalid(f"west ({west:g}) is east of east ({east:g}): the order is {self.label}")
        return west, south, east, north


@dataclass(frozen=True)
class WikidataId(Text):
    label: str = "a Wikidata id"
    single_line: bool = True
    max_length: int = 20

    def convert(self, value: Any, context: Context) -> str:
        text = super().convert(value, context)
        if not re.fullmatch(r"Q[1-9][0-9]*", text):
            raise Invalid(f'"{text}" is not a Wikidata item id (Q followed by digits, like Q170541)')
        return text


LATITUDE = Degrees(90, "latitude")
LONGITUDE = Degrees(180, "longitude")


@dataclass(frozen=True)
class Choice(FieldType):
    options: tuple[str, ...] = ()
    label: str = "one of"

    def convert(self, value: Any, context: Context) -> str:
        if value not in self.options:
            choices = ", ".join(self.options)
            hint = did_you_mean(value, self.options) if isinstance(value, str) else ""
            raise Invalid(f"expected one of {choices}, got {describe(value)}{hint}")
        return value


@dataclass(frozen=True)
class ListOf(FieldType):
    item: FieldType = field(default_factory=Text)
    min_items: int = 0
    max_items: int = MAX_LIST
    label: str = "a list"

    def convert(self, value: Any, context: Context) -> list:
        if isinstance(value, (str, int, float, dict)) and not isinstance(value, bool):
            value = [value]  # a single item may be written without the list
        if not isinstance(value, list):
            raise Invalid(f"expected a list, got {describe(value)}")
        if len(value) < self.min_items:
            raise Invalid(f"needs at least {self.min_items} item{'s' if self.min_items > 1 else ''}")
        if len(value) > self.max_items:
            raise Invalid(f"has {len(value):,} items; at most {self.max_items:,} are allowed")
        result, problems = [], []
        for index, item in enumerate(value):
            try:
                result.append(self.item.convert(item, context))
            except Invalid as err:
                problems.extend((message, (index, *at)) for message, at in err.problems)
        if problems:
            raise Invalid(problems=problems)
        return result


@dataclass(frozen=True)
class Record(FieldType):
    """A mapping with declared fields (a quote, a role, a cited source)."""

    fields: tuple["Field", ...] = ()
    shorthand: str | None = None  # a plain string stands for this field
    label: str = "a mapping"

    def convert(self, value: Any, context: Context) -> dict:
        if self.shorthand and isinstance(value, str):
            value = {self.shorthand: value}
        if not isinstance(value, dict):
            raise Invalid(f"expected {self.label}, got {describe(value)}")
        problems = check_fields(value, self.fields, context)
        if problems:
            raise Invalid(problems=problems)
        return fill_defaults(value, self.fields, context)


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    required: bool = False
    default: Any = None
    help: str = ""
    example: Any = None


def check_fields(value: dict, fields: Sequence[Field], context: Context) -> list[tuple[str, tuple]]:
    """Problems in a mapping against its declarations, as (message, path)."""
    known = {f.name: f for f in fields}
    problems: list[tuple[str, tuple]] = []
    for key in value:
        if key not in known:
            problems.append((f"unknown field{did_you_mean(str(key), known)}", (key,)))
    for declared in fields:
        if declared.name not in value or value[declared.name] is None:
            if declared.required:
                if declared.name in value:  # present but empty: point at it
                    problems.append((f"required, but empty ({declared.help})", (declared.name,)))
                else:
                    problems.append((f'missing required field "{declared.name}" ({declared.help})', ()))
            continue
        try:
            declared.type.convert(value[declared.name], context)
        except Invalid as err:
            problems.extend((message, (declared.name, *at)) for message, at in err.problems)
    return problems


def field_path(path: tuple) -> str:
    """("quotes", 0, "by") → 'quotes[1].by' (items counted from 1, as authors do)."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def fill_defaults(value: dict, fields: Sequence[Field], context: Context) -> dict:
    """The converted values of a mapping known to be valid, with defaults filled in."""
    result = {}
    for declared in fields:
        raw = value.get(declared.name)
        if raw is not None:
            result[declared.name] = declared.type.convert(raw, context)
        elif not declared.required:
            result[declared.name] = declared.default
    return result


def _problem_position(document: Document, message: str, path: tuple):
    """An unknown key is shown at the key; a value that is wrong, at the value itself."""
    if message.startswith("unknown field") or message.startswith("required, but empty"):
        return document.where(path)
    return document.where_value(path)


def validate(document: Document, fields: Sequence[Field], context: Context) -> tuple[dict, list[Diagnostic]]:
    """A document's valid fields converted (defaults filled in), and every problem found.

    Fields that are invalid are left out of the result, so later checks can still look
    at the others; the result is complete only when there is no problem.
    """
    data = document.data
    problems = check_fields(data, fields, context)
    diagnostics = [
        Diagnostic.at(ERROR, _problem_position(document, message, path), f"{field_path(path)}: {message}" if path else message)
        for message, path in problems
    ]
    failed = {path[0] for _, path in problems if path}
    valid = {key: value for key, value in data.items() if key not in failed}
    return fill_defaults(valid, fields, context), diagnostics


# --- the declarations -----------------------------------------------------------


PERIOD = Record(
    fields=(
        Field("name", Text(max_length=200, single_line=True), required=True, help="what the period is called"),
        Field("date", Date(), required=True, help="when it ran, as an interval such as 2017-05-14/2022-05-13"),
        Field("description", Text(max_length=2000), default="", help="one or two sentences on the period, in Markdown"),
    ),
    label="a period {name: text, date: interval, description: text}",
)

SITE_FIELDS = (
    Field("title", Text(max_length=200, single_line=True), required=True, help="the site's name", example="My timeline"),
    Field("description", MarkdownText(), default="", help="one paragraph of Markdown shown on the home page", example="What this timeline follows, in a paragraph."),
    Field("base_url", Url(), default="", help="absolute URL where the site will live; needed for feeds, sitemap and canonical links", example="https://example.org/my-timeline/"),
    Field("language", CheckedText(max_length=35, label="a language tag", problem=advice.language_problem), default="en", help="BCP 47 language tag of the site", example="en"),
    Field("output", Text(max_length=500, single_line=True), default="_site", help="the folder the site is written to", example="_site"),
    Field("timezone", CheckedText(max_length=64, label="a time zone name", problem=advice.time_zone_problem), default="UTC", help="IANA time zone for event times written without an offset", example="Europe/Paris"),
    Field("max_file_bytes", Number(minimum=1), default=4 * 1024 * 1024, help="content files larger than this are refused unread", example=4194304),
    Field("newest_first", Boolean(), default=False, help="list the latest events first, for a story still going on", example=False),
    Field("periods", ListOf(PERIOD), default=(), help="named periods, drawn as bands on the time view and as headings in the lists"),
)

CITATION = Record(
    fields=(
        Field("source", Reference(), required=True, help="the id of a source"),
        Field("note", Text(max_length=2000), default="", help="what this source says of the event"),
    ),
    shorthand="source",
    label="a source id or {source: id, note: text}",
)

QUOTE = Record(
    fields=(
        Field("by", Reference(), required=True, help="the actor who said it"),
        Field("text", Text(max_length=5000), required=True, help="the words, as reported"),
        Field("source", Reference(), default=None, help="the id of the source that reports it"),
    ),
    label="a quote {by: actor, text: words, source: source id}",
)

CORRECTION = Record(
    fields=(
        Field("date", Date(), required=True, help="when the correction was made"),
        Field("text", Text(max_length=2000), required=True, help="what was corrected, in Markdown"),
    ),
    label="a correction {date: when, text: what was corrected}",
)

# What a file's extension says it is. Images are resized at build time (Pillow), so
# only the formats every browser shows are taken; other kinds are published as they are.
MEDIA_EXTENSIONS = {
    ".jpg": "image", ".jpeg": "image", ".png": "image", ".webp": "image",
    ".mp4": "video", ".webm": "video", ".ogv": "video",
    ".mp3": "audio", ".ogg": "audio", ".oga": "audio", ".m4a": "audio", ".opus": "audio", ".wav": "audio",
    ".pdf": "document", ".txt": "document", ".csv": "document",
}
# Players whose pages are known: a link to them is a video or a piece of audio.
MEDIA_HOSTS = {
    "youtube.com": "video", "youtu.be": "video", "vimeo.com": "video", "dailymotion.com": "video",
    "soundcloud.com": "audio",
}
_MEDIA_PATH_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")


def media_kind(file: str = "", url: str = "") -> str | None:
    """The kind of a media item, told by its file's extension or its link's host and extension; None when unknown."""
    if url:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
        for known, kind in MEDIA_HOSTS.items():
            if host == known or host.endswith("." + known):
                return kind
        file = parts.path
    suffix = file[file.rfind("."):].lower() if "." in file.rsplit("/", 1)[-1] else ""
    return MEDIA_EXTENSIONS.get(suffix)


@dataclass(frozen=True)
class MediaPath(Text):
    """A file's path under content/media/: relative, with `/` between folders, in plain ASCII names."""

    label: str = "a path under content/media/"
    single_line: bool = True
    max_length: int = 200

    def convert(self, value: Any, context: Context) -> str:
        text = super().convert(value, context)
        if text.startswith("content/media/"):
            raise Invalid(f'"{text}" starts with content/media/: write the path below that folder ("{text.removeprefix("content/media/")}")')
        parts = text.split("/")
        for part in parts:
            if part in ("", ".", "..") or not _MEDIA_PATH_PART.match(part):
                suggestion = "/".join(slugify(p.rsplit(".", 1)[0]) + ("." + p.rsplit(".", 1)[1].lower() if "." in p else "") for p in parts if p not in ("", ".", ".."))
                hint = f' (rename it, e.g. "{suggestion}")' if suggestion and suggestion != text else ""
                raise Invalid(
                    f'"{text}" is not a plain path below content/media/: use folders and names of letters, digits, '
                    f"'.', '_' and '-', separated by /, with no .. and no leading /{hint}"
                )
        return text


@dataclass(frozen=True)
class MediaItem(Record):
    """One picture, clip, recording or document of an event: a file of the site or a link, never both."""

    def convert(self, value: Any, context: Context) -> dict:
        item = super().convert(value, context)
        file, url = item["file"], item["url"]
        if bool(file) == bool(url):
            raise Invalid("give either file: (a file under content/media/) or url: (an http or https link), not both" if file else
                          'missing "file" or "url": a file under content/media/, or an http or https link')
        inferred = media_kind(file or "", url or "")
        kind = item["kind"] or inferred
        if kind is None:
            if file:
                known = ", ".join(sorted(MEDIA_EXTENSIONS))
                raise Invalid(f'"{file}" is not a kind of file the site publishes: use one of {known}', ("file",))
            raise Invalid(f'cannot tell what "{url}" links to: add kind: video, audio, document or image')
        if file and inferred != kind:
            raise Invalid(f'"{file}" is {"an" if inferred == "image" else "a"} {inferred} file by its extension, not {"an" if kind == "image" else "a"} {kind}: '
                          f"change kind: to {inferred} or leave it out", ("kind",))
        if kind == "image" and not item["alt"]:
            raise Invalid('an image needs alt: a text alternative saying what it shows, for readers who cannot see it (alt: "Map of …")')
        return {**item, "kind": kind}


MEDIA = MediaItem(
    fields=(
        Field("file", MediaPath(), default="", help="a file under content/media/ (an image, audio, video or document)"),
        Field("url", Url(), default="", help="an http(s) link: a video or audio page (YouTube, Vimeo, SoundCloud), a document, an image"),
        Field("kind", Choice(MEDIA_KINDS), default=None, help="image, video, audio or document; told from the extension or the host when left out"),
        Field("alt", Text(max_length=1000, single_line=True), default="", help="a text alternative saying what the image shows (required for images)"),
        Field("credit", Text(max_length=300, single_line=True), required=True, help="who made it or holds its rights"),
        Field("caption", MarkdownText(max_length=1000), default="", help="a short caption, in inline Markdown"),
    ),
    label="a media item {file or url, alt, credit, caption}",
)

EVENT_FIELDS = (
    Field("title", Text(max_length=200, single_line=True), required=True, help="one line of plain text", example="Talks open in Geneva"),
    Field("date", Date(), required=True, help="when it happened: 2017, 2017-05, 2017-05-29, an interval A/B, a window [A..B], with ~ ? or %", example="2017-05-29"),
    Field("summary", MarkdownText(), required=True, help="what happened, in Markdown, in your own words", example="What happened, in your own words."),
    Field("actors", ListOf(Reference(), min_items=1), required=True, help="actor ids, names or aliases", example=["example-person"]),
    Field("sources", ListOf(CITATION, min_items=1), required=True, help="source ids, or {source: id, note: text}", example=["example-source"]),
    Field("tags", ListOf(Text(max_length=80, single_line=True)), default=(), help="free words, made into slugs for their pages", example=["talks", "ceasefire"]),
    Field("location", Text(max_length=200, single_line=True), default="", help="where it happened, as free text", example="Geneva"),
    Field("places", ListOf(Reference()), default=(), help="place ids, names or aliases", example=["geneva"]),
    Field("quotes", ListOf(QUOTE), default=(), help="{by: actor, text: what was said, source: source id}"),
    Field("date_note", Text(max_length=2000), default="", help="how the date was worked out, when the source does not state it", example='"on Monday" in an article of Tuesday 25 May 2021'),
    Field("status", Choice(EVENT_STATUSES), default="occurred", help="occurred, planned (announced, not yet happened when reported) or disputed", example="occurred"),
    Field("related", ListOf(Slug()), default=(), help="ids of other events", example=[]),
    Field("after", Slug(), default=None, help="the id of an event of the same day that this one came after; it is listed right behind it"),
    Field("draft", Boolean(), default=False, help="true leaves the event out unless the build asks for drafts", example=False),
    Field("key", Boolean(), default=False, help="true marks a key event: larger in the lists and the time view, first in feeds", example=False),
    Field("id", Slug(), default=None, help="overrides the file's name as the event's id"),
    Field("corrections", ListOf(CORRECTION), default=(), help="{date: when, text: what was corrected}, shown to readers"),
    Field("media", ListOf(MEDIA, max_items=20), default=(), help="images, video, audio or documents: {file or url, alt, credit, caption}"),
)

ROLE = Record(
    fields=(
        Field("title", Text(max_length=200, single_line=True), required=True, help="the office held"),
        Field("of", Reference(), default=None, help="the actor (state, organisation) the office belongs to"),
        Field("from", Date(), default=None, help="when it began"),
        Field("to", Date(), default=None, help="when it ended"),
    ),
    label="a role {title: office, of: actor, from: date, to: date}",
)

ACTOR_FIELDS = (
    Field("name", Text(max_length=200, single_line=True), required=True, help="the name shown on the site", example="Example Person"),
    Field("kind", Choice(ACTOR_KINDS), required=True, help="person, state, organization, armed-group, media or other", example="person"),
    Field("aliases", ListOf(Text(max_length=200, single_line=True)), default=(), help="other spellings that events may use", example=["E. Person"]),
    Field("affiliations", ListOf(Reference()), default=(), help="actors this one belongs to (a minister to their state)", example=["example-organization"]),
    Field("roles", ListOf(ROLE), default=(), help="offices held, with dates"),
    Field("description", MarkdownText(), default="", help="a neutral description, in Markdown", example="A neutral description of who this is."),
)

SOURCE_FIELDS = (
    Field("title", Text(max_length=500, single_line=True), required=True, help="the article's or document's title", example="An example article"),
    Field("publisher", Text(max_length=200, single_line=True), default="", help="who published it", example="Example News"),
    Field("published", Date(), default=None, help="when it was published; leave out when unknown", example="2018-05-23"),
    Field("url", Url(), default="", help="where to read it (http or https)", example="https://example.org/article"),
    Field("author", Text(max_length=200, single_line=True), default="", help="who wrote it", example="Jane Doe"),
    Field("date_note", Text(max_length=2000), default="", help="how the publication date was worked out", example="the article gives the weekday only; the week is that of the talks"),
    Field("robots", Boolean(), default=True, help="false archives the page even where the site's robots.txt asks crawlers to stay away", example=True),
)


PLACE_FIELDS = (
    Field("name", Text(max_length=200, single_line=True), required=True, help="the name shown on the site", example="Douma"),
    Field("kind", Choice(PLACE_KINDS), required=True, help="country, region, city, town, site, area or other", example="city"),
    Field("aliases", ListOf(Text(max_length=200, single_line=True)), default=(), help="other spellings that events may use", example=["Duma"]),
    Field("within", Reference(), default=None, help="the place it lies within (a city within its region or country)", example="eastern-ghouta"),
    Field("latitude", LATITUDE, default=None, help="decimal degrees north (south negative)", example=33.5711),
    Field("longitude", LONGITUDE, default=None, help="decimal degrees east (west negative)", example=36.4047),
    Field("area", BoundingBox(), default=None, help="the area it covers, as [west, south, east, north] in degrees", example=[36.3, 33.4, 36.6, 33.65]),
    Field("precision", Choice(PLACE_PRECISIONS), default=None, help="how closely the coordinates locate it: exact, near, city, region or country (default: from its kind)", example="city"),
    Field("geonames", Number(minimum=1), default=None, help="its GeoNames id", example=170592),
    Field("wikidata", WikidataId(), default=None, help="its Wikidata item id", example="Q18435"),
    Field("description", Text(), default="", help="a neutral description, in Markdown", example="A city in Eastern Ghouta, north-east of Damascus."),
)

TAG_FIELDS = (
    Field("name", Text(max_length=80, single_line=True), required=True, help="the tag's name as readers see it", example="Chemical weapons"),
    Field("description", MarkdownText(max_length=5000), default="", help="what the tag covers, in Markdown, shown on its page", example="Attacks with chemical weapons and the inquiries into them."),
    Field("aliases", ListOf(Text(max_length=80, single_line=True)), default=(), help="other words events may use for it", example=["CW"]),
)

FIELDS_BY_KIND = {"events": EVENT_FIELDS, "actors": ACTOR_FIELDS, "sources": SOURCE_FIELDS, "places": PLACE_FIELDS, "tags": TAG_FIELDS}
