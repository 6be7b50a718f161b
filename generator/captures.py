"""The archive's records: which capture belongs to which source, and what the last link check found.

`timeline archive` keeps its captures under the site's `archive/` folder, named by
the SHA-256 of their bytes, and records them in `archive/captures.json` (the lock
file: the author's YAML is never rewritten). `timeline check --links` records what
it found at each source's URL in `archive/links.json`. The build reads both, so they
are inputs like the content: a build never fetches anything.

A record that cannot be trusted (a file that is not JSON, an entry with a missing
field, a WARC file that is gone or whose bytes no longer match their hash) is
reported as a warning and left out of the site; nothing is ever deleted.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path
from typing import Any, Mapping

from generator.diagnostics import WARNING, Diagnostic
from generator.model import Capture, LinkState

ARCHIVE_DIR = "archive"
LOCK_FILE = f"{ARCHIVE_DIR}/captures.json"
LINKS_FILE = f"{ARCHIVE_DIR}/links.json"
FORMAT = 1
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class RecordError(Exception):
    """A record file that cannot be read as a whole; the message says why and where."""

    def __init__(self, message: str, line: int = 0, column: int = 0):
        super().__init__(message)
        self.line, self.column = line, column


@dataclass(frozen=True)
class CaptureRecord:
    """Every source's captures, oldest first, as the lock file holds them."""

    captures: Mapping[str, tuple[Capture, ...]]  # by source id
    problems: tuple[Diagnostic, ...] = ()

    def latest(self, source_id: str, url: str) -> Capture | None:
        """The newest capture of this source taken at this URL (an older URL's captures are history)."""
        matching = [c for c in self.captures.get(source_id, ()) if c.url == url]
        return matching[-1] if matching else None


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, as lowercase hex (what `sha256sum` prints)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_captures(site_root: Path, verify: bool = True) -> CaptureRecord:
    """The lock file's captures; with `verify`, only those whose files are present and match their hash."""
    try:
        entries = read_lock_entries(site_root)
    except RecordError as err:
        return CaptureRecord({}, (_problem(str(err), err.line, err.column),))
    captures: dict[str, tuple[Capture, ...]] = {}
    problems: list[Diagnostic] = []
    for source_id, items in entries.items():
        kept: list[Capture] = []
        for index, item in enumerate(items):
            where = f'"{source_id}"[{index + 1}]'
            try:
                capture = _capture(item)
                if verify:
                    _verify(site_root, capture)
            except RecordError as err:
                problems.append(_problem(f"{where}: {err}; this capture is left out of the site", _line_of(site_root / LOCK_FILE, source_id)))
                continue
            kept.append(capture)
        captures[source_id] = tuple(kept)
    return CaptureRecord(captures, tuple(problems))


def read_links(site_root: Path) -> tuple[dict[str, tuple[str, LinkState]], list[Diagnostic]]:
    """What the last link checks found, by source id: (the URL checked, its state)."""
    try:
        entries = _read_json(site_root / LINKS_FILE, "links")
    except RecordError as err:
        return {}, [Diagnostic(WARNING, f"{err}; run `timeline check --links` to check the links again", LINKS_FILE, err.line, err.column)]
    links: dict[str, tuple[str, LinkState]] = {}
    problems: list[Diagnostic] = []
    for source_id, item in entries.items():
        try:
            if not isinstance(item, dict) or not isinstance(item.get("url"), str):
                raise RecordError("expected a mapping with the URL checked")
            links[source_id] = (item["url"], _record(LinkState, {k: v for k, v in item.items() if k != "url"}))
        except RecordError as err:
            problems.append(Diagnostic(WARNING, f'"{source_id}": {err}; this result is left out', LINKS_FILE, _line_of(site_root / LINKS_FILE, source_id), 1))
    return links, problems


def read_lock_entries(site_root: Path) -> dict[str, list]:
    """The lock file's entries as they are, by source id (entries this version cannot read are kept)."""
    entries = _read_json(site_root / LOCK_FILE, "captures")
    if not all(isinstance(items, list) for items in entries.values()):
        raise RecordError('expected a list of captures for each source id', 1, 1)
    return entries


def write_lock(site_root: Path, entries: Mapping[str, list]) -> None:
    """Write the lock file atomically: a crash leaves the old file or the new one, never half of one."""
    _write_json(site_root / LOCK_FILE, {"format": FORMAT, "captures": dict(sorted(entries.items()))})


def write_links(site_root: Path, links: Mapping[str, tuple[str, LinkState]]) -> None:
    body = {source_id: {"url": url, **asdict(state)} for source_id, (url, state) in sorted(links.items())}
    _write_json(site_root / LINKS_FILE, {"format": FORMAT, "links": body})


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file durably: a temporary file beside it, flushed to the disk, then renamed over it.

    Captures are evidence: after a crash or power loss the record is the old one or the
    new one, and a file it names is whole.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(stream.name, path)


def _write_json(path: Path, document: dict) -> None:
    write_atomically(path, (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))


def _read_json(path: Path, key: str) -> dict[str, Any]:
    """The `key` mapping of a record file; {} when the file does not exist."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as err:
        raise RecordError(f"cannot be read ({err})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise RecordError(f"is not valid JSON ({err.msg}): was it edited by hand? Restore it from git", err.lineno, err.colno) from None
    if not isinstance(document, dict) or not isinstance(document.get(key, {}), dict):
        raise RecordError(f'expected a mapping with "{key}" holding a mapping by source id', 1, 1)
    if document.get("format", FORMAT) != FORMAT:
        raise RecordError(f"is in format {document.get('format')!r}; this version of timeline reads format {FORMAT}", 1, 1)
    return document.get(key, {})


def _capture(item: Any) -> Capture:
    capture = _record(Capture, item)
    if not _SHA256.match(capture.sha256):
        raise RecordError(f'sha256 "{capture.sha256[:80]}" is not 64 lowercase hex digits')
    if capture.warc != f"{ARCHIVE_DIR}/{capture.sha256}.warc.gz":
        raise RecordError(f'warc should be "{ARCHIVE_DIR}/{capture.sha256}.warc.gz", the file named by its hash')
    if capture.text and capture.text != f"{ARCHIVE_DIR}/{capture.sha256}.txt":
        raise RecordError(f'text should be "{ARCHIVE_DIR}/{capture.sha256}.txt" or empty')
    return capture


def _verify(site_root: Path, capture: Capture) -> None:
    for name in (capture.warc, capture.text):
        if name and not (site_root / name).is_file():
            raise RecordError(f"{name} is missing")
    if sha256_file(site_root / capture.warc) != capture.sha256:
        raise RecordError(f"{capture.warc} does not match its SHA-256: the file changed after it was captured")


def _record(kind: type, item: Any) -> Any:
    """A dataclass from a JSON mapping, each field of the declared type."""
    if not isinstance(item, dict):
        raise RecordError("expected a mapping")
    values = {}
    for declared in fields(kind):
        if declared.name not in item:
            if declared.default is MISSING:
                raise RecordError(f'missing "{declared.name}"')
            continue
        value = item[declared.name]
        expected = {"str": str, "int": int, "bool": bool}[str(declared.type).split(" |")[0]]
        if type(value) is not expected:
            raise RecordError(f'"{declared.name}" should be {expected.__name__}, not {type(value).__name__}')
        values[declared.name] = value
    unknown = sorted(set(item) - {f.name for f in fields(kind)})
    if unknown:
        raise RecordError(f'unknown field "{unknown[0]}"')
    return kind(**values)


def _problem(message: str, line: int = 0, column: int = 0) -> Diagnostic:
    return Diagnostic(WARNING, message, LOCK_FILE, line, column or (1 if line else 0))


def _line_of(path: Path, key: str) -> int:
    """The line where a source id's entry begins, for messages (0 when not found)."""
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip().startswith(json.dumps(key) + ":"):
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 0
