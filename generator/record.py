"""The one record of the last build, `.timeline-cache/record.cbor`: data only, never code.

It is CBOR (RFC 8949, written and read by `cbor2`) and holds two items, one after
the other, so that a build whose inputs did not change reads only the first:

1. the head: the digest of every input's stamp and of the code and options, the
   output's manifest digest, and what that build reported;
2. the body: each content file's stamp and check result; every key read, in a
   fixed order, with its digest; each output's digest and read set (the positions
   of its keys in that order, packed as 32-bit integers); the pieces (cards and
   export entries) by group, each group an encoded item of its own that a build
   decodes only when it uses it; and the search index's files.

Check results are dataclasses of this package; they are written as their class
name and field values and read back only into classes of the fixed table
`recorded_classes()`, without running any of their code. A record that does not
read back as expected (missing, truncated, planted, from another version) is
ignored: the build is then a cold one, never a different one.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import json
import os
import tempfile
import zoneinfo
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from array import array
from typing import Any, Iterable

import cbor2

import generator
from generator.repository import head_commit
from generator.theme import builtin_dir

CACHE_DIR = ".timeline-cache"
RECORD = "record.cbor"
FORMAT = 3
SITE_FOLDERS = ("content", "templates", "static", "archive")  # archive/: captures and link checks
LIBRARIES = ("jinja2", "markdown", "nh3", "pyyaml", "python-dateutil", "pagefind", "icalendar", "pillow")
Stamp = tuple[int, int, int, int]

_DATACLASS, _TUPLE, _ENUM, _ZONE, _OFFSET = 41000, 41001, 41002, 41003, 41004


@functools.cache  # the check stage is imported only once a check result is read or kept
def recorded_classes() -> dict[str, type]:
    """Every dataclass and enum a check result may hold, by name: nothing else is ever made."""
    from generator import check, dates, diagnostics

    found: dict[str, type] = {}
    for module in (check, dates, diagnostics):
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__:
                if dataclasses.is_dataclass(value) or issubclass(value, enum.Enum):
                    found[f"{module.__name__}.{name}"] = value
    return found


class CheckedFile:
    """A content file's check result, kept with the stamp (and settings) it holds for; decoded when first asked for."""

    __slots__ = ("stamp", "data", "_result", "_digest")

    def __init__(self, stamp: list, data: bytes, result: Any = None):
        self.stamp, self.data, self._result = stamp, data, result
        self._digest = ""

    @classmethod
    def of(cls, stamp: list, result: Any) -> CheckedFile | None:
        """The result kept, or None when it holds a value the record cannot keep (its file is then checked again)."""
        try:
            return cls(stamp, cbor2.dumps(_tagged(result)), result)
        except (TypeError, ValueError, cbor2.CBOREncodeError):
            return None

    def digest(self) -> str:
        """A digest of the check result as kept."""
        if not self._digest:  # serve keeps results between builds: each digested once
            self._digest = hashlib.blake2b(self.data, digest_size=16).hexdigest()
        return self._digest

    def result(self) -> Any:
        """The check result; None when its bytes do not read back as one."""
        if self._result is None:
            try:
                self._result = cbor2.loads(self.data, tag_hook=_tag_hook)
            except Exception:  # planted or damaged: the file is checked again
                return None
        return self._result


class Pieces:
    """Pieces made once and pasted into many outputs (cards, export entries), by group.

    Each group maps a key to a `generator.reads.Piece`: the piece, the keys it read by
    name, and those it read as packed positions in the key table. A group read from the
    record stays bytes until the build first asks for it; it is then decoded in one go,
    leaving out the pieces whose reads changed since (`stale`), and its pieces keep
    their read sets packed, as stored. A group never asked for is written back as it came.
    """

    def __init__(self, blobs: dict[str, tuple[bytes, bytes]] | None = None, keys: KeyTable | None = None):
        self._blobs = dict(blobs or {})  # group → (its encoded pieces, the packed union of their reads)
        self._groups: dict[str, dict[Any, tuple[Any, frozenset[str], bytes]]] = {}
        self.table = keys if keys is not None else KeyTable()
        self.stale: set[int] = set()  # positions of the keys whose digest changed in this build
        self.released = 0  # reads of the pieces left out as stale (a bound on the keys no longer read)

    def group(self, name: str) -> dict[Any, tuple[Any, frozenset[str], bytes]]:
        found = self._groups.get(name)
        if found is None:
            found = self._groups[name] = self._decode(name)
        return found

    def drop_stale(self, stale: set[int]) -> None:
        """Note the keys whose digest changed: pieces that read one are left out from now on."""
        self.stale = stale
        names = self.table.keys_at(stale)
        for group in self._groups.values():
            for key in [key for key, piece in group.items() if not names.isdisjoint(piece[1]) or not stale.isdisjoint(unpack(piece[2]))]:
                removed = group.pop(key)
                self.released += len(removed[1]) + len(removed[2]) // 4

    def decode_all(self) -> None:
        for name in list(self._blobs):
            self.group(name)

    def names(self) -> set[str]:
        return {*self._blobs, *self._groups}

    def _decode(self, name: str) -> dict[Any, tuple[Any, frozenset[str], bytes]]:
        blob = self._blobs.pop(name, None)
        if blob is None:
            return {}
        stale, decoded, nothing = self.stale, {}, frozenset()
        try:
            entries = cbor2.loads(blob[0])
            every = b"".join(packed for _, _, packed in entries)  # a TypeError unless each is bytes
            if any(len(packed) % 4 for _, _, packed in entries) or max(unpack(every), default=-1) >= len(self.table):
                raise ValueError("read sets out of the key table")
            for key, value, packed in entries:
                if stale and not stale.isdisjoint(unpack(packed)):
                    self.released += len(packed) // 4
                else:
                    decoded[tuple(key) if type(key) is list else key] = (value, nothing, packed)
        except Exception:  # damaged: the group's pieces are made again
            return {}
        return decoded

    def renumbered(self) -> None:
        """The table is about to be renumbered: every piece's reads are named, to be packed afresh."""
        self.decode_all()
        for group in self._groups.values():
            for key, (value, names, packed) in group.items():
                group[key] = (value, names | self.table.keys_at(unpack(packed)), b"")

    def encoded(self) -> dict[str, list[bytes]]:
        """Every group as stored: [its encoded pieces, the packed union of their reads]."""
        stored = {name: list(blob) for name, blob in self._blobs.items()}
        for name, group in self._groups.items():
            entries, union = [], array("I")
            for key, (value, names, packed) in group.items():
                if names:
                    packed = self.table.pack(names, packed)
                union.frombytes(packed)
                entries.append([list(key) if type(key) is tuple else key, value, packed])
            stored[name] = [cbor2.dumps(entries), pack_positions(set(union))]
        return stored

    def read_positions(self) -> array:
        """The positions of every key a piece reads, in the table (new keys added to it), for the sweep."""
        found = array("I")
        for blob in self._blobs.values():
            found.frombytes(blob[1])
        for group in self._groups.values():
            names: set[str] = set()
            for _, read, packed in group.values():
                names.update(read)
                found.frombytes(packed)
            found.extend(self.table.positions(names))
        return found


class KeyTable:
    """Every key the record knows, in a fixed order, with its digest: read sets are stored as positions in it."""

    def __init__(self, digests: dict[str, str] | None = None):
        self.digests = digests if digests is not None else {}  # key → digest, in table order
        self._names = list(self.digests)
        self._position = {name: index for index, name in enumerate(self._names)}

    def __len__(self) -> int:
        return len(self._names)

    def pack(self, keys: Iterable[str], packed: bytes = b"") -> bytes:
        """A read set as the positions of its keys, packed; with `packed`, positions already packed, joined to them."""
        if not packed:
            return pack_positions(self.positions(keys))
        return pack_positions({*self.positions(keys), *unpack(packed)})

    def positions(self, keys: Iterable[str]) -> list[int]:
        """The positions of these keys; keys new to the table are added at its end (their digest still to come)."""
        keys = list(keys)
        found = list(map(self._position.get, keys))
        if None in found:
            for index, key in enumerate(keys):
                if found[index] is None:
                    found[index] = self._add(key)
        return found  # type: ignore[return-value]

    def _add(self, key: str) -> int:
        known = self._position.get(key)
        if known is None:
            known = self._position[key] = len(self._names)
            self._names.append(key)
            self.digests[key] = ""
        return known

    def keys_at(self, positions: Iterable[int]) -> frozenset[str]:
        names = self._names
        return frozenset(names[index] for index in positions)

    def names(self) -> list[str]:
        return self._names


def pack_positions(positions: Iterable[int]) -> bytes:
    return array("I", sorted(positions)).tobytes()


def unpack(packed: bytes) -> array:
    found = array("I")
    found.frombytes(packed)
    return found


@dataclass
class Record:
    """What the last build left for the next one (empty: a cold build)."""

    inputs: str = ""  # digest of every input's stamp, the code and the options
    output: str = ""  # digest of the output's manifest
    outcome: dict = field(default_factory=dict)  # diagnostics, files checked, pages, files
    code: str = ""
    files: dict[str, CheckedFile] = field(default_factory=dict)  # shown path → its check result
    keys: KeyTable = field(default_factory=KeyTable)  # every key read, with its digest
    outputs: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # path → (file digest, packed reads)
    pieces: Pieces = field(default_factory=Pieces)
    search: list[tuple[str, dict[str, str], dict | None]] | None = None  # per search shard: its pages' digest, its files' digests, its facet counts
    templates: str = ""  # the digest of the templates the last build checked
    outlines: dict[str, tuple[str, str]] = field(default_factory=dict)  # event file → (what its outline was made of, its digest)
    world: str = ""  # the digest of the Timeline but its summaries (`generator.keys.Digests.world`)
    unread: int = 0  # at most this many keys of the table are read by nothing

    def __post_init__(self) -> None:
        self.pieces.table = self.keys  # the pieces' read sets are positions in the same table


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


def inputs_digest(site_root: Path, code: str, search: bool) -> str:
    """One digest of every input of a build: the site's files, the theme, the commit, the code, and whether it makes the search index."""
    digest = hashlib.blake2b(f"{code}search={search}".encode(), digest_size=16)
    digest.update(head_commit(site_root).encode())  # the git commit events' history is read at
    paths = [str(site_root / "site.yml")]
    for folder in [*(site_root / name for name in SITE_FOLDERS), builtin_dir("templates"), builtin_dir("static")]:
        paths += _files(str(folder))
    digest.update(b"".join(f"{path}\0{stamp(path)}\n".encode() for path in paths))
    return digest.hexdigest()


@dataclass(frozen=True)
class LastBuild:
    """What the last build reported: all a build that finds nothing changed since has to say."""

    output: Path
    manifest: str  # the digest of the output's manifest as the build left it (`generator.write.manifest_digest`)
    diagnostics: list
    checked: int  # content files
    pages: int
    files: int


def unchanged_build(last: Record, inputs: str) -> LastBuild | None:
    """The last build's outcome, when no input changed since (whether its output is as it left it is the caller's to check)."""
    if not last.inputs or last.inputs != inputs:
        return None
    try:
        outcome = last.outcome
        return LastBuild(
            Path(str(outcome["output"])), last.output, list(outcome["diagnostics"]), int(outcome["checked"]), int(outcome["pages"]),
            int(outcome["files"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


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
    record.files = {str(path): CheckedFile(list(entry[0]), bytes(entry[1])) for path, entry in body["files"].items()}
    record.keys = KeyTable(dict(zip(body["names"], body["digests"], strict=True)))
    known = len(record.keys)
    reads = [_positions(packed, known) for packed in body["output_reads"]]
    record.outputs = dict(zip(map(str, body["output_paths"]), zip(map(str, body["output_digests"]), reads, strict=True), strict=True))
    groups = {str(name): (bytes(blob), _positions(union, known)) for name, (blob, union) in body["pieces"].items()}
    record.pieces = Pieces(groups, record.keys)
    record.templates = str(body["templates"])
    record.unread = int(body["unread"])
    record.world = str(body["world"])
    record.outlines = {str(path): (str(basis), str(value)) for path, (basis, value) in body["outlines"].items()}
    search = body["search"]
    record.search = [(str(key), {str(path): str(d) for path, d in files.items()}, _facet_counts(counts))
                     for key, files, counts in search] if search else None


def _facet_counts(counts: Any) -> dict[str, dict[str, int]] | None:
    return None if counts is None else {str(facet): {str(v): int(n) for v, n in values.items()} for facet, values in counts.items()}


def _positions(packed: Any, known: int) -> bytes:
    """Packed positions as stored, checked to stand for keys of the table (else the record is ignored)."""
    if type(packed) is not bytes or len(packed) % 4 or (packed and max(unpack(packed)) >= known):
        raise ValueError("read set out of the key table")
    return packed


def write_record(folder: Path | None, record: Record) -> None:
    """Save the record; a check result that cannot be kept leaves only its file out (it is checked again next time)."""
    if folder is None:
        return
    head = {"format": FORMAT, "inputs": record.inputs, "output": record.output, "outcome": _tagged(record.outcome), "code": record.code}
    pieces = record.pieces.encoded()
    body = {
        "names": record.keys.names(),
        "digests": list(record.keys.digests.values()),
        "files": {path: [checked.stamp, checked.data] for path, checked in record.files.items()},
        "output_paths": list(record.outputs),
        "output_digests": [entry[0] for entry in record.outputs.values()],
        "output_reads": [entry[1] for entry in record.outputs.values()],
        "pieces": pieces,
        "search": [[key, files, counts] for key, files, counts in record.search] if record.search else None,
        "templates": record.templates,
        "outlines": {path: list(known) for path, known in record.outlines.items()},
        "unread": record.unread,
        "world": record.world,
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
    recorded = recorded_classes().get(name) is kind
    if recorded and isinstance(value, enum.Enum):
        return cbor2.CBORTag(_ENUM, [name, value.value])
    if recorded and dataclasses.is_dataclass(value):
        return cbor2.CBORTag(_DATACLASS, [name, [_tagged(getattr(value, f.name)) for f in dataclasses.fields(value)]])
    if kind is zoneinfo.ZoneInfo:
        return cbor2.CBORTag(_ZONE, value.key)
    if kind is dt.timezone:
        return cbor2.CBORTag(_OFFSET, [value.utcoffset(None).total_seconds(), value.tzname(None)])
    raise TypeError(f"not kept in the record: {name}")


@functools.cache
def _recorded_fields() -> dict[str, tuple[type, tuple[str, ...]]]:
    """Each recorded dataclass by name, with its fields' names in order."""
    return {
        name: (kind, tuple(declared.name for declared in dataclasses.fields(kind)))
        for name, kind in recorded_classes().items() if dataclasses.is_dataclass(kind)
    }


def _tag_hook(tag: cbor2.CBORTag, immutable: bool = False) -> Any:
    if tag.tag == _TUPLE:
        return tuple(tag.value)
    if tag.tag == _ZONE:
        return zoneinfo.ZoneInfo(str(tag.value))
    if tag.tag == _OFFSET:
        seconds, name = tag.value
        return dt.timezone.utc if seconds == 0 and name == "UTC" else dt.timezone(dt.timedelta(seconds=seconds), str(name))
    if tag.tag == _DATACLASS:
        name, value = tag.value
        kind, names = _recorded_fields()[name]  # KeyError for anything else: the record is ignored
        made = object.__new__(kind)
        for field_name, item in zip(names, value, strict=True):
            object.__setattr__(made, field_name, item)
        return made
    if tag.tag == _ENUM:
        name, value = tag.value
        return recorded_classes()[name](value)
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
