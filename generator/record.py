"""The one record of the last build, `.timeline-cache/record.cbor`: data only, never code.

It is CBOR (RFC 8949, written and read by `cbor2`) and holds two items, one after
the other, so that a build whose inputs did not change reads only the first:

1. the head: the digest of every input's stamp and of the code and options, the
   output's manifest digest, and what that build reported;
2. the body: each content file's stamp and check result, each key's digest, each
   output's digest and read set, the pieces (cards and export pieces) with theirs,
   and the search index's files.

Check results are dataclasses of this package; they are written as their class
name and field values and read back only into classes of the fixed `RECORDED`
table, without running any of their code. A record that does not read back as
expected (missing, truncated, planted, from another version) is ignored: the build
is then a cold one, never a different one.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import os
import tempfile
import zoneinfo
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import cbor2

import generator
from generator import check, dates, diagnostics
from generator.provenance import provenance_inputs

RECORD = "record.cbor"
FORMAT = 1
SITE_FOLDERS = ("content", "templates", "static", "archive")  # archive/: captures and link checks
LIBRARIES = ("jinja2", "markdown", "nh3", "pyyaml", "python-dateutil", "pagefind", "icalendar")
Stamp = tuple[int, int, int, int]

_DATACLASS, _TUPLE, _ENUM, _ZONE, _OFFSET = 41000, 41001, 41002, 41003, 41004


def _recorded_classes() -> dict[str, type]:
    """Every dataclass and enum a check result may hold, by name: nothing else is ever made."""
    found: dict[str, type] = {}
    for module in (check, dates, diagnostics):
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__:
                if dataclasses.is_dataclass(value) or issubclass(value, enum.Enum):
                    found[f"{module.__name__}.{name}"] = value
    return found


RECORDED = _recorded_classes()


class CheckedFile:
    """A content file's check result, kept with the stamp (and settings) it holds for; decoded when first asked for."""

    __slots__ = ("stamp", "data", "_result")

    def __init__(self, stamp: list, data: bytes, result: Any = None):
        self.stamp, self.data, self._result = stamp, data, result

    @classmethod
    def of(cls, stamp: list, result: Any) -> CheckedFile | None:
        """The result kept, or None when it holds a value the record cannot keep (its file is then checked again)."""
        try:
            return cls(stamp, cbor2.dumps(_tagged(result)), result)
        except (TypeError, ValueError, cbor2.CBOREncodeError):
            return None

    def result(self) -> Any:
        """The check result; None when its bytes do not read back as one."""
        if self._result is None:
            try:
                self._result = cbor2.loads(self.data, tag_hook=_tag_hook)
            except Exception:  # planted or damaged: the file is checked again
                return None
        return self._result


@dataclass
class Record:
    """What the last build left for the next one (empty: a cold build)."""

    inputs: str = ""  # digest of every input's stamp, the code and the options
    output: str = ""  # digest of the output's manifest
    outcome: dict = field(default_factory=dict)  # diagnostics, files checked, pages, files
    code: str = ""
    files: dict[str, CheckedFile] = field(default_factory=dict)  # shown path → its check result
    keys: dict[str, str] = field(default_factory=dict)  # key → digest
    outputs: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)  # path → (file digest, reads)
    cards: dict[tuple[str, str], tuple[str, frozenset[str]]] = field(default_factory=dict)
    pieces: dict[tuple[str, str], tuple[Any, frozenset[str]]] = field(default_factory=dict)
    search: list[tuple[str, dict[str, str]]] | None = None  # per search shard: its pages' digest, its files' digests


def stamp(path: str | Path) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def code_version(options: dict[str, Any]) -> str:
    """The generator's own source, the libraries that shape its output, the options and SOURCE_DATE_EPOCH."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for library in LIBRARIES:
        digest.update(_version(library).encode())
    package = Path(generator.__file__).parent
    for path in sorted([*package.rglob("*.py"), *package.glob("data/*.json")]):  # the map outlines are data of the code
        digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_digest(site_root: Path, builtin: list[Path], code: str) -> str:
    """One digest of every input file's stamp, and of the code."""
    digest = hashlib.blake2b(code.encode(), digest_size=16)
    digest.update(provenance_inputs(site_root).encode())  # the git commit events' history is read at
    paths = [str(site_root / "site.yml")]
    for folder in [*(site_root / name for name in SITE_FOLDERS), *builtin]:
        paths += _files(str(folder))
    digest.update(b"".join(f"{path}\0{stamp(path)}\n".encode() for path in paths))
    return digest.hexdigest()


def manifest_digest(manifest: bytes | None) -> str:
    return hashlib.blake2b(manifest, digest_size=16).hexdigest() if manifest is not None else ""


def read_head(folder: Path | None) -> Record:
    """Only the head of the record (enough to tell that nothing changed)."""
    return _read(folder, body=False)


def read_record(folder: Path | None) -> Record:
    return _read(folder, body=True)


def _read(folder: Path | None, body: bool) -> Record:
    if folder is None:
        return Record()
    try:
        with open(folder / RECORD, "rb") as handle:
            decoder = cbor2.CBORDecoder(handle, tag_hook=_tag_hook)
            head = decoder.decode()
            if not isinstance(head, dict) or head.get("format") != FORMAT:
                return Record()
            record = Record(str(head["inputs"]), str(head["output"]), dict(head["outcome"]), str(head["code"]))
            if body:
                _read_body(record, decoder.decode())
            return record
    except Exception:  # missing, truncated, planted or from another version: a cold build
        return Record()


def _read_body(record: Record, body: dict) -> None:
    names = body["names"]
    reads = lambda indexes: frozenset(names[i] for i in indexes)  # noqa: E731
    record.files = {str(path): CheckedFile(list(entry[0]), bytes(entry[1])) for path, entry in body["files"].items()}
    record.keys = dict(zip(names, body["digests"]))
    record.outputs = {str(path): (str(entry[0]), reads(entry[1])) for path, entry in body["outputs"].items()}
    record.cards = {(str(e), str(v)): (str(html), reads(keys)) for e, v, html, keys in body["cards"]}
    record.pieces = {(str(k), str(e)): (value, reads(keys)) for k, e, value, keys in body["pieces"]}
    search = body["search"]
    record.search = [(str(key), {str(path): str(d) for path, d in files.items()}) for key, files in search] if search else None


def write_record(folder: Path | None, record: Record) -> None:
    """Save the record; a check result that cannot be kept leaves only its file out (it is checked again next time)."""
    if folder is None:
        return
    head = {"format": FORMAT, "inputs": record.inputs, "output": record.output, "outcome": _tagged(record.outcome), "code": record.code}
    names = sorted(record.keys)
    index = {name: position for position, name in enumerate(names)}
    indexes = lambda keys: sorted(index[key] for key in keys if key in index)  # noqa: E731
    body = {
        "names": names,
        "digests": [record.keys[name] for name in names],
        "files": {path: [checked.stamp, checked.data] for path, checked in record.files.items()},
        "outputs": {path: [entry[0], indexes(entry[1])] for path, entry in record.outputs.items()},
        "cards": [[e, v, html, indexes(keys)] for (e, v), (html, keys) in record.cards.items()],
        "pieces": [[k, e, value, indexes(keys)] for (k, e), (value, keys) in record.pieces.items()],
        "search": [[key, files] for key, files in record.search] if record.search else None,
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as handle:
            try:
                encoder = cbor2.CBOREncoder(handle)
                encoder.encode(head)
                encoder.encode(body)
            except BaseException:
                os.unlink(handle.name)
                raise
        os.replace(handle.name, folder / RECORD)
    except OSError:
        return  # a site that cannot be written to builds all the same, only slower next time


def _tagged(value: Any) -> Any:
    """A check result as CBOR items: tuples, this package's records, time zones tagged (lists and dicts as they are)."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool or kind is float or kind is bytes:
        return value
    if kind is list:
        return [_tagged(item) for item in value]
    if kind is tuple:
        return cbor2.CBORTag(_TUPLE, [_tagged(item) for item in value])
    if kind is dict:
        return {key: _tagged(item) for key, item in value.items()}
    name = f"{kind.__module__}.{kind.__qualname__}"
    if RECORDED.get(name) is kind and isinstance(value, enum.Enum):
        return cbor2.CBORTag(_ENUM, [name, value.value])
    if RECORDED.get(name) is kind and dataclasses.is_dataclass(value):
        return cbor2.CBORTag(_DATACLASS, [name, [_tagged(getattr(value, f.name)) for f in dataclasses.fields(value)]])
    if kind is zoneinfo.ZoneInfo:
        return cbor2.CBORTag(_ZONE, value.key)
    if kind is dt.timezone:
        return cbor2.CBORTag(_OFFSET, [value.utcoffset(None).total_seconds(), value.tzname(None)])
    raise TypeError(f"not kept in the record: {name}")


def _tag_hook(tag: cbor2.CBORTag, immutable: bool = False) -> Any:
    if tag.tag == _TUPLE:
        return tuple(tag.value)
    if tag.tag == _ZONE:
        return zoneinfo.ZoneInfo(str(tag.value))
    if tag.tag == _OFFSET:
        seconds, name = tag.value
        return dt.timezone.utc if seconds == 0 and name == "UTC" else dt.timezone(dt.timedelta(seconds=seconds), str(name))
    if tag.tag in (_DATACLASS, _ENUM):
        name, value = tag.value
        kind = RECORDED[name]  # KeyError for anything else: the record is ignored
        if tag.tag == _ENUM:
            return kind(value)
        made = object.__new__(kind)
        for declared, item in zip(dataclasses.fields(kind), value, strict=True):
            object.__setattr__(made, declared.name, item)
        return made
    raise ValueError(f"unknown tag {tag.tag}")


def _files(folder: str) -> list[str]:
    found = []
    for directory, subfolders, names in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        found += [os.path.join(directory, name) for name in sorted(names)]
    return found


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "-"
