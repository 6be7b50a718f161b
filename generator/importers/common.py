"""What every importer shares: tables read, rows reported, ids kept, files written re-runnably.

An importer turns a file into `Draft`s (one content file each) and row diagnostics;
`apply` writes them. What it wrote, with a digest of the bytes, is kept in the
site's `import-manifest.json` (plain JSON, nothing in it runs), so a later import of
a newer file knows which files are still as it left them: those it updates; a file
a person changed since is never overwritten, the new version goes beside it as
`NAME.yml.incoming`; rows imported before and missing now are reported, not deleted.
"""
from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO

import nh3

from generator.diagnostics import ERROR, Diagnostic, fold, printable
from generator.load import find_content, parse_file
from generator.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES
from generator.scaffold import render_fields
from generator.schema import FIELDS_BY_KIND, MAX_SLUG, SITE_FIELDS, slugify

MANIFEST = "import-manifest.json"
MANIFEST_FORMAT = 1
INCOMING = ".incoming"
MAX_TABLE_CELL = 200_000  # csv's own default field limit is 131,072 characters


class UnreadableFile(Exception):
    """The whole file cannot be imported (not that format, unreadable); the message says why."""


# --- what an importer makes ---------------------------------------------------------


@dataclass
class Draft:
    """One content file to write: its kind's folder, id, values and the key it came from."""

    kind: str  # events, actors, sources or places
    id: str
    values: dict[str, Any]
    key: str  # the source's own id for it (a row id, an actor's name)
    year: int | None = None  # events: the folder they are filed under
    origin_note: str = ""  # one comment line saying where it came from

    def text(self) -> str:
        header = f"# {self.origin_note}\n" if self.origin_note else ""
        shown = [f for f in FIELDS_BY_KIND[self.kind] if f.name in self.values or f.required]
        return header + render_fields(shown, self.values)

    def relative_path(self) -> str:
        folder = f"content/{self.kind}" + (f"/{self.year}" if self.kind == "events" else "")
        return f"{folder}/{self.id}.yml"


@dataclass
class Imported:
    """An importer's result: the files to write, row problems, and what site.yml may take."""

    drafts: list[Draft] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rows: int = 0
    failed_rows: int = 0
    site_values: dict[str, Any] = field(default_factory=dict)  # title, description, periods

    def row_problem(self, path: str, row: int, column: int, message: str, severity: str = ERROR) -> None:
        self.diagnostics.append(Diagnostic(severity, message, path, row, column))


class RowError(Exception):
    """A row cannot be imported; `column` (1-based, 0 when unknown) says where."""

    def __init__(self, column_name: str, message: str, column: int = 0) -> None:
        super().__init__(message)
        self.column_name = column_name
        self.column = column


# --- reading tables ---------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A table row: its number in the file (the header is row 1) and its cells by column name."""

    number: int
    cells: dict[str, Any]
    columns: dict[str, int]  # column name → 1-based column number

    def get(self, name: str) -> str:
        value = self.cells.get(name)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def raw(self, name: str) -> Any:
        return self.cells.get(name)

    def fail(self, name: str, message: str) -> RowError:
        return RowError(name, message, self.columns.get(name, 0))


def read_table(path: Path) -> tuple[list[str], Iterator[Row]]:
    """A CSV or XLSX file's header (column names folded) and its rows."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    return _read_csv(path)


def _read_csv(path: Path) -> tuple[list[str], Iterator[Row]]:
    csv.field_size_limit(MAX_TABLE_CELL)
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
        reader = csv.reader(handle)
        header = next(reader, None)
    except UnicodeDecodeError:
        raise UnreadableFile(f"{path}: not UTF-8 text; save the sheet as CSV in UTF-8") from None
    except csv.Error as err:
        raise UnreadableFile(f"{path}:1: not a CSV file ({err})") from None
    if header is None:
        handle.close()
        raise UnreadableFile(f"{path}: the file is empty")
    names = [_column_name(name) for name in header]

    def rows() -> Iterator[Row]:
        columns = {name: number for number, name in enumerate(names, 1) if name}
        with handle:
            try:
                for cells in reader:
                    if any(cell.strip() for cell in cells):
                        yield Row(reader.line_num, dict(zip(names, cells)), columns)
            except (csv.Error, UnicodeDecodeError) as err:
                raise UnreadableFile(f"{path}:{reader.line_num}: cannot read the rest of the file ({err})") from None

    return names, rows()


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[Row]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise UnreadableFile(f"{path}: not an Excel workbook ({err})") from None
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = next(values, None)
    if header is None:
        workbook.close()
        raise UnreadableFile(f"{path}: the first sheet is empty")
    names = [_column_name(str(name) if name is not None else "") for name in header]

    def rows() -> Iterator[Row]:
        columns = {name: number for number, name in enumerate(names, 1) if name}
        try:
            for number, cells in enumerate(values, 2):
                if any(cell not in (None, "") for cell in cells):
                    yield Row(number, dict(zip(names, cells)), columns)
        finally:
            workbook.close()

    return names, rows()


def _column_name(name: str) -> str:
    return " ".join(name.strip().lower().split())


# --- text -------------------------------------------------------------------------


def html_to_markdown(text: str) -> str:
    """HTML (or plain text) as sanitised Markdown: tags outside the allow-list are dropped."""
    from markdownify import markdownify

    if "<" not in text and "&" not in text:
        return text.strip()
    clean = nh3.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None)
    return markdownify(clean, heading_style="ATX", bullets="-", escape_misc=False).strip()


def plain_text(text: str) -> str:
    """HTML as one line of plain text (a headline)."""
    if "<" in text or "&" in text:
        text = html.unescape(nh3.clean(text, tags=set()))
    return " ".join(text.split())


# --- ids --------------------------------------------------------------------------


def row_slug(*parts: str) -> str:
    """An id made of the parts, within the id length limit."""
    return slugify(" ".join(part for part in parts if part))[:MAX_SLUG].strip("-")


class SiteItems:
    """The site's own actors, places and sources by folded name, and every item's id.

    Names of items the manifest says an import made are not reused as "the site's
    own": those the importer writes again.
    """

    def __init__(self, root: Path, manifest: "Manifest") -> None:
        self.by_name: dict[str, dict[str, str]] = {"actors": {}, "places": {}, "sources": {}}
        self.ids: dict[str, set[str]] = {"actors": set(), "places": set(), "sources": set(), "events": set()}
        self.event_paths: dict[str, str] = {}
        files, _ = find_content(root)
        for file in files:
            if file.kind not in self.ids:
                continue
            item_id = Path(file.shown).stem
            self.ids[file.kind].add(item_id)
            if file.kind == "events":
                self.event_paths.setdefault(item_id, file.shown)
            elif file.shown not in manifest.files:
                self._add_names(file.kind, item_id, file.path, file.shown)

    def _add_names(self, kind: str, item_id: str, path: str, shown: str) -> None:
        document = parse_file(path, shown)
        data = document.data if document is not None else {}
        aliases = data.get("aliases") or ()
        names = [item_id, data.get("name") or data.get("title"), *(aliases if isinstance(aliases, list) else [aliases])]
        for name in names:
            if isinstance(name, str):
                self.by_name[kind].setdefault(fold(name), item_id)


class Ids:
    """Stable ids for shared items (actors, places, sources), kept across imports.

    An item met before keeps the id it was given (the manifest remembers it by the
    source's own key); one the site already has under that name is the site's, and is
    referred to but not written; a new one gets the first free id among `candidates`.
    """

    def __init__(self, site: SiteItems, manifest: "Manifest", origin: str) -> None:
        self.site = site
        self.known = manifest.ids.setdefault(origin, {})
        self.given: dict[str, set[str]] = {kind: set(ids) for kind, ids in site.ids.items()}
        for key, item_id in self.known.items():
            self.given.setdefault(key.split(":", 1)[0], set()).add(item_id)

    def own(self, kind: str, name: str) -> str | None:
        """The id of the site's own item of that name, if it has one."""
        return self.site.by_name[kind].get(fold(name))

    def id_for(self, kind: str, key: str, candidates: Iterable[str]) -> str:
        remembered = self.known.get(f"{kind}:{key}")
        if remembered:
            return remembered
        taken = self.given.setdefault(kind, set())
        tried = [c for c in candidates if c] or [kind.rstrip("s")]  # a name with no ASCII letter: actor-2, place-3…
        chosen = next((c for c in tried if c not in taken), None)
        number = 2
        while chosen is None:
            numbered = f"{tried[0][:MAX_SLUG - 6]}-{number}"
            chosen = numbered if numbered not in taken else None
            number += 1
        taken.add(chosen)
        self.known[f"{kind}:{key}"] = chosen
        return chosen


# --- the manifest ----------------------------------------------------------------


@dataclass
class Manifest:
    """What imports wrote: each file's digest, origin and key; and the ids they gave."""

    files: dict[str, dict[str, str]] = field(default_factory=dict)
    ids: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path) -> "Manifest":
        path = root / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, UnicodeDecodeError, ValueError) as err:
            raise UnreadableFile(f"{MANIFEST}: cannot be read ({err}); fix it or delete it (then every file an import made counts as edited)") from None
        if not _well_formed(data):
            raise UnreadableFile(f"{MANIFEST}: not a manifest this version writes; fix it or delete it (then every file an import made counts as edited)")
        return cls(files=data["files"], ids=data["ids"])

    def write(self, root: Path) -> None:
        document = {"format": MANIFEST_FORMAT, "files": dict(sorted(self.files.items())), "ids": self.ids}
        temporary = root / f".{MANIFEST}.tmp"
        temporary.write_text(json.dumps(document, indent=1, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
        os.replace(temporary, root / MANIFEST)


def _well_formed(data: Any) -> bool:
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return False
    files, ids = data.get("files"), data.get("ids")
    return (
        isinstance(files, dict) and isinstance(ids, dict)
        and all(isinstance(v, dict) and all(isinstance(x, str) for x in v.values()) for v in files.values())
        and all(isinstance(v, dict) and all(isinstance(x, str) for x in v.values()) for v in ids.values())
    )


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- writing ----------------------------------------------------------------------

CREATE, UPDATE, SAME, KEPT, GONE, REFUSED = "create", "update", "unchanged", "kept", "deleted", "refused"
_CONTENT_PATH = re.compile(r"^content/(?:events(?:/[^/]+)*|actors|places|sources)/[^/]+\.yml$")


@dataclass
class Outcome:
    """What an import did (or, with --dry-run, would do) to each file."""

    actions: dict[str, list[str]] = field(default_factory=lambda: {CREATE: [], UPDATE: [], SAME: [], KEPT: [], GONE: [], REFUSED: []})
    missing_rows: list[str] = field(default_factory=list)
    site_changes: list[str] = field(default_factory=list)


def apply(root: Path, origin: str, imported: Imported, manifest: Manifest, site_items: SiteItems, dry_run: bool) -> Outcome:
    """Write the drafts re-runnably (see the module's docstring) and report rows gone since."""
    outcome = Outcome()
    seen_keys: set[str] = set()
    written_before = _manifest_index(manifest)
    folders: set[Path] = set()
    listings = FolderListings(root)
    for draft in imported.drafts:
        relative = _target(draft, site_items, written_before)
        data = draft.text().encode("utf-8")
        action = _decide(root, relative, data, manifest, listings) if listings.inside_content(relative) else REFUSED
        outcome.actions[action].append(relative)
        if draft.kind == "events":
            seen_keys.add(draft.key)
        if dry_run or action in (SAME, GONE, REFUSED):
            continue
        if action == KEPT:
            _write(root / (relative + INCOMING), data, folders)
            continue
        _write(root / relative, data, folders, new=action == CREATE)
        manifest.files[relative] = {"digest": digest(data), "origin": origin, "key": draft.key, "kind": draft.kind}
    outcome.missing_rows = sorted(
        f"{entry['key']} ({relative})" for relative, entry in manifest.files.items()
        if entry.get("origin") == origin and entry.get("kind") == "events" and entry.get("key") not in seen_keys
    )
    outcome.site_changes = update_site_file(root, imported.site_values, dry_run)
    if not dry_run:
        manifest.write(root)
    return outcome


def _target(draft: Draft, site_items: SiteItems, written_before: dict[tuple[str, str], str]) -> str:
    """Where the draft goes: where it went before, or where an event of that id already is."""
    before = written_before.get((draft.kind, draft.key))
    if before is not None and Path(before).stem == draft.id and _CONTENT_PATH.match(before) and ".." not in before.split("/"):
        return before
    if draft.kind == "events" and draft.id in site_items.event_paths:
        return site_items.event_paths[draft.id]
    return draft.relative_path()


class FolderListings:
    """Which files each folder holds, listed once: most files of a first import are new.

    Also whether a path stays inside content/ once symbolic links are followed: an
    import never writes through a link that leads out of the site.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.names: dict[str, set[str]] = {}
        self.real_content = os.path.realpath(root / "content")
        self.folders_inside: dict[str, bool] = {}

    def inside_content(self, relative: str) -> bool:
        folder = relative.rpartition("/")[0]
        if folder not in self.folders_inside:
            real = os.path.realpath(self.root / folder)
            self.folders_inside[folder] = real.startswith(self.real_content + os.sep)
        return self.folders_inside[folder] and not (self.holds(relative) and os.path.islink(self.root / relative))

    def holds(self, relative: str) -> bool:
        folder, _, name = relative.rpartition("/")
        if folder not in self.names:
            try:
                self.names[folder] = set(os.listdir(self.root / folder))
            except (FileNotFoundError, NotADirectoryError):
                self.names[folder] = set()
        return name in self.names[folder]


def _decide(root: Path, relative: str, data: bytes, manifest: Manifest, listings: FolderListings) -> str:
    path = root / relative
    entry = manifest.files.get(relative)
    if not listings.holds(relative):
        return GONE if entry else CREATE  # a file an import made and a person deleted stays deleted
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        return GONE if entry else CREATE  # a file an import made and a person deleted stays deleted
    if current == data:
        return SAME
    if entry and digest(current) == entry.get("digest"):
        return UPDATE
    return KEPT


def _write(path: Path, data: bytes, folders: set[Path] | None = None, new: bool = False) -> None:
    """Write a file whole: a new one directly (never over a file made meanwhile), others through a renamed copy."""
    if folders is None or path.parent not in folders:
        path.parent.mkdir(parents=True, exist_ok=True)
        if folders is not None:
            folders.add(path.parent)
    if new:
        with open(path, "xb") as handle:
            handle.write(data)
        return
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _manifest_index(manifest: Manifest) -> dict[tuple[str, str], str]:
    """(kind, key) → the file an import wrote for it."""
    return {(entry.get("kind", ""), entry.get("key", "")): relative for relative, entry in manifest.files.items()}


# --- site.yml -----------------------------------------------------------------------


def update_site_file(root: Path, values: dict[str, Any], dry_run: bool) -> list[str]:
    """Give site.yml the imported title, description and periods where it has none; say what changed.

    A site without site.yml gets one. An existing file is added to, line by line, so
    its comments and layout stay as they are; a value it already has is never replaced.
    """
    wanted = {key: value for key, value in values.items() if value}
    path = root / "site.yml"
    if not path.exists():
        wanted.setdefault("title", "Imported timeline")
        if not dry_run:
            _write(path, render_fields(SITE_FIELDS, wanted).encode("utf-8"))
        return [f"site.yml made, with its {', '.join(wanted)}"]
    if not wanted:
        return []
    document = parse_file(path, "site.yml")
    present = document.data if document is not None else {}
    missing = {key: value for key, value in wanted.items() if not present.get(key)}
    if not missing:
        return []
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not any(_sets_empty(line, key) for key in missing)]
    fields = [f for f in SITE_FIELDS if f.name in missing]
    added = render_fields(fields, missing)
    if not dry_run:
        _write(path, ("\n".join(lines) + "\n" + added).encode("utf-8"))
    return [f"site.yml: {key} added" for key in missing]


def _sets_empty(line: str, key: str) -> bool:
    """`title:` or `title: ""` (an empty value written out), which the added line replaces."""
    head, _, rest = line.partition(":")
    value = rest.split(" #", 1)[0].strip()
    return head == key and value in ("", '""', "''", "[]")


# --- reporting -------------------------------------------------------------------


def report(outcome: Outcome, imported: Imported, dry_run: bool, out: TextIO) -> None:
    """Every row problem, what changed (every file with --dry-run), and a summary."""
    for diagnostic in imported.diagnostics:
        print(diagnostic.text(), file=out)
    actions = outcome.actions
    verb = "would " if dry_run else ""
    if dry_run:
        for action in (CREATE, UPDATE):
            for relative in actions[action]:
                print(f"{verb}{action} {printable(relative)}", file=out)
    for relative in actions[KEPT]:
        print(f"{printable(relative)}: edited since it was imported (or not made by an import): {verb}write the new version beside it, as {printable(relative + INCOMING)}", file=out)
    for relative in actions[GONE]:
        print(f"{printable(relative)}: deleted since it was imported; not written again", file=out)
    for relative in actions[REFUSED]:
        print(f"{printable(relative)}: error: a symbolic link leads out of the site's content/: not written", file=out)
    for row in outcome.missing_rows:
        print(f"no longer in the file: {printable(row)}; its file is left as it is", file=out)
    for change in outcome.site_changes:
        print(("would change " if dry_run else "") + change, file=out)
    counts = ", ".join(f"{len(actions[a])} {label}" for a, label in (
        (CREATE, "new"), (UPDATE, "updated"), (SAME, "unchanged"), (KEPT, "kept as edited"),
    ))
    failed = f", {imported.failed_rows} skipped for errors" if imported.failed_rows else ""
    print(f"{imported.rows} rows read{failed}; files: {counts}{' (dry run: nothing written)' if dry_run else ''}", file=out)


__all__ = [
    "Draft", "Ids", "Imported", "Manifest", "Outcome", "REFUSED", "Row", "RowError", "SiteItems", "UnreadableFile",
    "apply", "html_to_markdown", "plain_text", "read_table", "report", "row_slug",
]
