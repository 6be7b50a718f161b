"""The one record of the last build, `.timeline-cache/record.cbor`: data only, never code.

It is CBOR (RFC 8949, written and read by `cbor2`) and holds two items, one after
the other, so that a build whose inputs did not change reads only the first:

1. the head: the digest of every input's stamp and of the code and options, the
   output's manifest digest, and what that build reported;
2. the body: each content file's stamp and check result; every key read, in a
   fixed order, with its digest; each output's digest and read set (the positions
   of its keys in that order, packed as 32-bit integers); the pieces (cards and
   export entries) by group, each group in shards, listed by the name of the shard's
   file; and the search index's files.

The shards' files are beside it, in `pieces/`, each named by the digest of its
bytes. A build reads a shard only when it uses its group, and writes one only when
one of its pieces changed: an edit rewrites a few small files, not every piece.
A group no output of the build adds to any more (an export's entries once the
export is made, the cards once the last page showing one is) is written then, by
the process that made it, and dropped from memory (`Pieces.flush`). The record is
moved into place after the shards it lists are written, and the files it no longer
lists are removed after it: those of a build that failed are removed by the next.

Check results are dataclasses of this package; they are written as their class
name and field values and read back only into the dataclasses and enums of the
fixed modules `_RECORDED_MODULES`, without running any of their code. A record that does not
read back as expected (missing, truncated, planted, from another version) is
ignored: the build is then a cold one, never a different one.
"""
from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import importlib
import itertools
import json
import operator
import os
import re
import stat
import struct
import sys
import zlib
from dataclasses import dataclass, field
from itertools import repeat
from array import array
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import cbor2

import generator
from generator.repository import head_commit
from generator.theme import builtin_dir

CACHE_DIR = ".timeline-cache"
RECORD = "record.cbor"
PIECES = "pieces"  # the shards of the pieces, a file each, named by the digest of its bytes
_SHARD_FILE = re.compile(r"[0-9a-f]{32}\.cbor")
FORMAT = 6  # 4: pieces in shards; 5: each shard a file of its own; 6: search shards keyed by their pages' indexed parts
SITE_FOLDERS = ("content", "templates", "static", "archive")  # archive/: captures and link checks
LIBRARIES = ("jinja2", "markdown", "nh3", "pyyaml", "python-dateutil", "pagefind", "icalendar", "pillow")
Stamp = tuple[int, int, int, int]
_NO_STAMP = (0, 0, 0, 0)  # in the inputs' digest, for a file that cannot be stamped (a size, times and inode no file has)

_DATACLASS, _TUPLE, _ENUM, _ZONE, _OFFSET = 41000, 41001, 41002, 41003, 41004
_NO_NAMES: frozenset[str] = frozenset()  # a packed piece's reads by name: one set for them all


_RECORDED_MODULES = ("generator.check", "generator.dates", "generator.diagnostics")


@functools.cache  # a module is imported only once a record holding one of its classes is read or kept
def _classes_of(module_name: str) -> dict[str, type]:
    """The dataclasses and enums of one of _RECORDED_MODULES, by their full names: nothing else is
    ever made. A head that holds warnings needs only the diagnostics module, not the check stage
    and all it imports."""
    if module_name not in _RECORDED_MODULES:
        raise KeyError(module_name)
    module = importlib.import_module(module_name)
    return {
        f"{module_name}.{name}": value for name, value in vars(module).items()
        if isinstance(value, type) and value.__module__ == module_name
        and (dataclasses.is_dataclass(value) or issubclass(value, enum.Enum))
    }


def _recorded_class(name: str) -> type:
    return _classes_of(name.rpartition(".")[0])[name]


class CheckedFile:
    """A content file's check result, kept with the stamp (and settings) it holds for; decoded when first asked for."""

    __slots__ = ("stamp", "data", "_result", "_digest")

    def __init__(self, stamp: list, data: bytes, result: Any = None):
        self.stamp, self.data, self._result = stamp, data, result
        self._digest = ""

    @staticmethod
    def encode(result: Any) -> bytes | None:
        """A check result as the record keeps it; None when it holds a value the record cannot keep."""
        try:
            return cbor2.dumps(_tagged(result))
        except (TypeError, ValueError, cbor2.CBOREncodeError):
            return None

    @classmethod
    def of(cls, stamp: list, result: Any, data: bytes | None = None) -> CheckedFile | None:
        """The result kept, or None when it holds a value the record cannot keep (its file is then checked
        again); `data`: its encoding, when the caller made it already (`encode`)."""
        data = data if data is not None else cls.encode(result)
        return cls(stamp, data, result) if data is not None else None

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

    def forget_result(self) -> None:
        """Let the decoded result go (it is decoded again if asked for): once a build has made the
        model, a process that is not kept (serve keeps them) needs only the bytes."""
        self._result = None


class Pieces:
    """Pieces made once and pasted into many outputs (cards, export entries), by group.

    Each group maps a key to a `generator.reads.Piece`: the piece, the keys it read by
    name, and those it read as packed positions in the key table. A group is stored as
    `SHARDS` shards, a piece's shard chosen by a digest of its key (`shard_of`), each
    shard a file of its own, listed with the packed union of its pieces' reads. A
    group read from the record stays in its files until the build first asks for it;
    it is then read and decoded shard by shard, leaving out the pieces whose reads changed since
    (`stale`), and its pieces keep their read sets packed, as stored. A shard none of
    whose pieces was added, replaced or left out keeps the file it was read from, and
    a group never asked for keeps all of its files: an edit encodes and writes again
    only the shards of the pieces it touched. A shard whose file is missing or does
    not decode (damaged, planted) is left out: only its pieces are made again.
    """

    def __init__(self, stored: dict[str, list[tuple[str, bytes]]] | None = None, keys: KeyTable | None = None, folder: Path | None = None):
        self._stored = dict(stored or {})  # group → its shards as stored: (the file of their pieces, the packed union of their reads)
        self.folder = folder  # where the shards' files are
        self.store: Path | None = None  # where `flush` writes a finished group's shards (None: groups stay in memory)
        self.own_from: int | None = None  # in a worker: table positions from here on are its own (renumbered by its parent)
        self.flushed: dict[str, list[tuple[str, bytes]]] = {}  # groups this process wrote to the store, as stored
        self._groups: dict[str, dict[Any, tuple[Any, frozenset[str], bytes]]] = {}
        self._shards: dict[str, list[_Shard]] = {}  # a decoded group → its shards as read, to tell which changed
        self.table = keys if keys is not None else KeyTable()
        self.stale: set[int] = set()  # positions of the keys whose digest changed in this build
        self._unchecked: set[str] = set()  # groups as read from the record, not yet rid of their stale pieces
        self.released = 0  # reads of the pieces left out as stale (a bound on the keys no longer read)

    def group(self, name: str) -> dict[Any, tuple[Any, frozenset[str], bytes]]:
        found = self._groups.get(name)
        if found is None:
            found = self._groups[name] = self._decode(name)
        return found

    def drop_stale(self, stale: set[int]) -> None:
        """Note the keys whose digest changed: pieces that read one are left out from now on.

        A group still as read loses such pieces when it is decoded; one this build never
        asks for is decoded before it is written back (`drop_stale_stored`).
        """
        self.stale = stale
        self._unchecked = set(self._stored) if stale else set()
        names = self.table.keys_at(stale)
        for group in self._groups.values():
            keys = list(group)
            holding = holding_any([piece[2] for piece in group.values()], stale)
            for key in [keys[index] for index in holding] + [key for key, piece in group.items() if piece[1] and not names.isdisjoint(piece[1])]:
                removed = group.pop(key, None)
                if removed is not None:
                    self.released += len(removed[1]) + len(removed[2]) // 4

    def drop_stale_stored(self) -> None:
        """Decode the groups still as read that hold a piece that read a stale key, so that it is
        not written back with them (and is counted in `released`).

        Left until the build has made its outputs: the export groups' decoding (0.09 s at
        10,000 events) then no longer delays the search index an edit starts.
        """
        stale, unchecked = self.stale, self._unchecked
        self._unchecked = set()
        for name in [name for name in unchecked if any(_reads_any(union, stale) for _, union in self._stored.get(name, ()))]:
            self.group(name)

    def decode_all(self) -> None:
        for name in list(self._stored):
            self.group(name)

    def names(self) -> set[str]:
        return {*self._stored, *self._groups}

    def _decode(self, name: str) -> dict[Any, tuple[Any, frozenset[str], bytes]]:
        self._unchecked.discard(name)  # its stale pieces are left out here
        stored = self._stored.pop(name, None)
        shards = self._shards[name] = []
        decoded: dict[Any, tuple[Any, frozenset[str], bytes]] = {}
        for file, union in stored or ():
            shard = self._decode_shard(file, _read_shard(self.folder, file), union)
            decoded.update(zip(shard.keys, shard.pieces))
            shards.append(shard)
        if len(decoded) != sum(len(shard.keys) for shard in shards):  # a key in two shards: planted
            shards[:] = [_Shard(None, b"", [], []) for _ in shards]
            return {}
        return decoded

    def _decode_shard(self, file: str, blob: bytes | None, union: bytes) -> _Shard:
        """A shard's pieces but the stale ones; none when it does not read back (they are made again).

        A shard is stored as three lists (keys, pieces, packed read sets), so that
        one none of whose pieces read a stale key is taken as it is, without a check per piece.
        """
        try:
            keys, values, reads = cbor2.loads(blob)  # a TypeError when the file could not be read
            every = unpack(b"".join(reads))  # a TypeError unless each is bytes
            if not len(keys) == len(values) == len(reads) or any(map(_ragged, reads)) or max(every, default=-1) >= len(self.table):
                raise ValueError("read sets out of the key table")
            keys = [tuple(key) if type(key) is list else key for key in keys]
            if len(set(keys)) != len(keys):  # a TypeError for a key that cannot be one
                raise ValueError("a key twice in a shard")
            pieces = list(zip(values, repeat(_NO_NAMES), reads))
            if not self.stale.isdisjoint(every):  # some piece of it read a stale key
                return self._fresh(keys, pieces, union)
        except Exception:  # damaged: the shard's pieces are made again
            return _Shard(None, b"", [], [])
        return _Shard(file, union, keys, pieces)

    def _fresh(self, keys: list, pieces: list, union: bytes) -> _Shard:
        """The shard without the pieces that read a stale key (it is encoded again)."""
        stale, kept = self.stale, _Shard(None, union, [], [])
        for key, piece in zip(keys, pieces):
            if stale.isdisjoint(unpack(piece[2])):
                kept.keys.append(key)
                kept.pieces.append(piece)
            else:
                self.released += len(piece[2]) // 4
        return kept

    def renumbered(self) -> None:
        """The table is about to be renumbered: every piece's reads are named, to be packed afresh."""
        self.decode_all()
        for group in self._groups.values():
            for key, (value, names, packed) in group.items():
                group[key] = (value, names | self.table.keys_at(unpack(packed)), b"")

    def encoded(self) -> Iterator[tuple[str, Iterator[tuple[str | bytes, bytes]]]]:
        """Every group's shards, each as (its file when it is as read, else its pieces encoded; the packed union of their reads).

        A shard at a time, each encoded only when the one before has been taken, so that it can
        be written before the next is made (at 100,000 events all of them at once took a
        gigabyte; a group at a time, the largest group's 200 MB).
        """
        self.drop_stale_stored()
        for name, shards in self._stored.items():
            if name not in self._groups:
                yield name, iter(shards)
        for name, group in self._groups.items():
            yield name, self._encoded_group(name, group)

    def _encoded_group(self, name: str, group: dict) -> Iterator[tuple[str | bytes, bytes]]:
        return (self._encoded_shard(group, keys) if keys is not None else (shard.file, shard.union)
                for shard, keys in zip(*self._changes(name, group)))

    def keep_in(self, store: Path) -> None:
        """Let finished groups be written to `store` (the record's folder of shards) and dropped from memory."""
        self.store = self.folder = store

    def flush(self, name: str) -> None:
        """Write a group no output of this build adds to any more to the store, and forget its pieces.

        An export's entries are made for its file and kept only for the next build: at
        100,000 events they were a gigabyte held to the end of the build (and sent from
        the workers to the parent). Asked for again, the group is read back from its
        files. It stays in memory without a store (serve keeps its pieces between builds),
        when a file cannot be written, and in a worker when a piece read a key new to it
        (its position is one the parent renumbers, and a file would keep it as it is).
        """
        group = self._groups.get(name)
        if self.store is None or group is None:
            return
        stored: list[tuple[str, bytes]] = []
        try:
            for kept, union in self._encoded_group(name, group):
                if self.own_from is not None and max(unpack(union), default=-1) >= self.own_from:
                    return  # the files written so far are listed by no record, and removed with the next one
                stored.append((_stored_file(self.store, kept), union))
        except OSError:
            return
        self.adopt(name, stored)
        self.flushed[name] = stored

    def adopt(self, name: str, stored: list[tuple[str, bytes]]) -> None:
        """A group as written to the store (by this process or a worker): its pieces in memory are forgotten."""
        self._unchecked.discard(name)  # made by this build
        self._groups.pop(name, None)
        self._shards.pop(name, None)
        self._stored[name] = stored

    def _changes(self, name: str, group: dict) -> tuple[list[_Shard], list[list | None]]:
        """The group's shards as read, and for each the keys it holds now, or None when it is as read."""
        shards = self._shards.get(name) or []
        shards = shards + [_Shard(None, b"", [], []) for _ in range(SHARDS - len(shards))]
        holds: list[list | None] = []
        present = 0
        for shard in shards:
            kept = [key for key in shard.keys if key in group]
            present += len(kept)
            same = shard.file is not None and len(kept) == len(shard.keys) and all(map(operator.is_, map(group.get, kept), shard.pieces))
            holds.append(None if same else kept)
        if present < len(group):  # pieces new to the group go to the shard of their key
            known = {key for shard in shards for key in shard.keys}
            for key in group.keys() - known:
                index = shard_of(key)
                if holds[index] is None:
                    holds[index] = list(shards[index].keys)
                holds[index].append(key)
        return shards, holds

    def _encoded_shard(self, group: dict, keys: list) -> tuple[bytes, bytes]:
        values, reads, union = [], [], array("I")
        for key in keys:
            # Kept packed from now on: serve's next builds paste it into outputs as it is stored, and
            # an export of every event no longer finds 20,000 keys by name again at each edit (0.15 s).
            group[key] = self.packed(group[key])
            value, _, packed = group[key]
            union.frombytes(packed)
            values.append(value)
            reads.append(packed)
        stored_keys = [list(key) if type(key) is tuple else key for key in keys]
        return cbor2.dumps([stored_keys, values, reads]), pack_positions(set(union))

    def packed(self, piece: tuple[Any, frozenset[str], bytes]) -> tuple[Any, frozenset[str], bytes]:
        """The piece with its reads by name packed into positions of the table (new keys added to it)."""
        value, names, packed = piece
        return (value, _NO_NAMES, self.table.pack(names, packed)) if names else piece

    def read_positions(self) -> array:
        """The positions of every key a piece reads, in the table (new keys added to it), for the sweep."""
        found = array("I")
        for shards in self._stored.values():
            for _, union in shards:
                found.frombytes(union)
        for group in self._groups.values():
            names: set[str] = set()
            for _, read, packed in group.values():
                names.update(read)
                found.frombytes(packed)
            found.extend(self.table.positions(names))
        return found


SHARDS = 32  # shards a group of pieces is stored in: an edit encodes again the few its pieces are in


def shard_of(key: Any) -> int:
    """The shard of a piece's key: the same in every process (unlike `hash`, salted per process)."""
    return zlib.crc32(repr(key).encode()) % SHARDS


@dataclass
class _Shard:
    """A shard of a group as read: its file (None when it must be encoded again), its union of reads, its keys and pieces."""

    file: str | None
    union: bytes
    keys: list
    pieces: list


def _ragged(packed: bytes) -> int:
    return len(packed) % 4


def _reads_any(union: bytes, positions: set[int]) -> bool:
    """Whether a sorted packed read set holds any of `positions`."""
    if not positions or not union:
        return False
    if len(positions) * 16 > len(union) // 4:
        return not positions.isdisjoint(unpack(union))
    reads = unpack(union)
    for position in positions:
        index = bisect.bisect_left(reads, position)
        if index < len(reads) and reads[index] == position:
            return True
    return False


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

    def renumbering(self, base: int, added: list[str]) -> Callable[[bytes], bytes]:
        """What turns a packed read set of a copy of this table (a forked worker's) into one of this table:
        the copy had `base` keys when it was made, and added `added` after them, in its own order."""
        if not added:
            return lambda packed: packed
        mapping = self.positions(added)

        def renumber(packed: bytes) -> bytes:
            positions = unpack(packed)
            if not positions or max(positions) < base:
                return packed
            return pack_positions([position if position < base else mapping[position - base] for position in positions])

        return renumber

    def keys_at(self, positions: Iterable[int]) -> frozenset[str]:
        names = self._names
        return frozenset(names[index] for index in positions)

    def names(self) -> list[str]:
        return self._names


def holding_any(packed_sets: list[bytes], positions: set[int]) -> set[int]:
    """The indexes of the packed read sets that hold any of `positions`.

    For the pieces: tens of thousands of small sets, of which an edit leaves out a few.
    The sets are joined and searched in one pass, and only the positions found there
    are looked for, set by set (many positions found, as after a template change: each
    set is checked). Measured in serve at 10,000 events, a group of 10,000 pieces: 6.5
    against 13 ms for a date edit, about the same for a title edit. For the outputs'
    read sets (fewer, larger, and whose stale positions many of them read) the search
    was slower than checking each set: 57 against 36 ms for a title edit.
    """
    if not positions:
        return set()
    joined = b"".join(packed_sets)
    found_positions = positions.intersection(unpack(joined))
    if len(found_positions) > _FEW_FOUND:
        return {index for index, packed in enumerate(packed_sets) if not found_positions.isdisjoint(unpack(packed))}
    ends = list(itertools.accumulate(map(len, packed_sets)))
    holding = set()
    for position in found_positions:
        token = array("I", [position]).tobytes()
        at = joined.find(token)
        while at != -1:
            if at % 4 == 0:  # a whole position, not the end of one and the start of the next
                holding.add(bisect.bisect_right(ends, at))
            at = joined.find(token, at + 1)
    return holding


_FEW_FOUND = 8  # each position found costs a search of the joined sets (about 1 ms per MB)


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
    # Per search shard: its key (`search.shard_key`), its files' digests, its facet counts, and
    # each of its pages' file digest and indexed part's digest.
    search: list[tuple[str, dict[str, str], dict | None, dict[str, tuple[str, str]]]] | None = None
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
    return _stamp_of(info)


def _stamp_of(info: os.stat_result) -> Stamp:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def code_version(options: dict[str, Any]) -> str:
    """The generator's own source, the libraries that shape its output, the options and SOURCE_DATE_EPOCH."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    versions = library_versions()
    for library in LIBRARIES:
        digest.update(versions.get(library, "-").encode())
    package = Path(generator.__file__).parent
    for path in sorted([*package.rglob("*.py"), *package.glob("data/*.json")]):  # the map outlines are data of the code
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Inputs:
    """Every input of a build, stamped once: one digest of them all, and each file's stamp by path
    (loading the content takes these rather than asking the system again)."""

    digest: str
    stamps: dict[str, Stamp | None]


def read_inputs(site_root: Path, code: str, search: bool) -> Inputs:
    """The site's files, the theme, the commit, the code, and whether the build makes the search index."""
    site_file = os.path.join(site_root, "site.yml")
    stamps = {site_file: stamp(site_file)}
    # Joined as the content is found (`generator.load.content_files`), so that loading finds each file's stamp here.
    for folder in [*(os.path.join(site_root, name) for name in SITE_FOLDERS), str(builtin_dir("templates")), str(builtin_dir("static"))]:
        _stamp_folder(folder, stamps)
    return _inputs(site_root, code, search, stamps)


def restamp(site_root: Path, last: Inputs, code: str, search: bool, paths: Iterable[str]) -> Inputs | None:
    """`last` with only the files in `paths` stamped again (serve is told which files were saved).

    None when one of them is not a file `last` stamped, or is gone: a file was added
    or removed, and only stamping every file puts the stamps in the order a build finds them.
    """
    stamps = dict(last.stamps)
    for path in paths:
        if stamps.get(path) is None:
            return None
        try:
            info = os.lstat(path)
        except OSError:
            return None
        if stat.S_ISDIR(info.st_mode):
            return None
        stamps[path] = _entry_stamp(path, info)
        if stamps[path] is None:
            return None
    return _inputs(site_root, code, search, stamps)


_PACKED_STAMP = struct.Struct("<QqqQ").pack  # size and inode unsigned; times may be negative


def _inputs(site_root: Path, code: str, search: bool, stamps: dict[str, Stamp | None]) -> Inputs:
    digest = hashlib.blake2b(f"{code}search={search}".encode(), digest_size=16)
    digest.update(head_commit(site_root).encode())  # the git commit events' history is read at
    digest.update("\0".join(stamps).encode())
    digest.update(b"".join([_PACKED_STAMP(*(stamped or _NO_STAMP)) for stamped in stamps.values()]))
    return Inputs(digest.hexdigest(), stamps)


def _stamp_folder(folder: str, stamps: dict[str, Stamp | None]) -> None:
    """Stamp every file under `folder` into `stamps`, a folder's files (by name) before its subfolders'.

    One `lstat` per entry both stamps a file and tells folders from files, so the
    listing needs no types; it is asked relative to the open folder, so the system
    looks up one name, not the whole path (a build that finds nothing changed spends
    most of its time here). Linked folders are stamped, not entered, as loading does
    not enter them.
    """
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    subfolders = []
    prefix = folder + os.sep
    try:
        for name in sorted(os.listdir(handle)):
            try:
                info = os.lstat(name, dir_fd=handle)
            except OSError:
                stamps[prefix + name] = None
                continue
            if stat.S_ISREG(info.st_mode):
                stamps[prefix + name] = _stamp_of(info)
            elif not stat.S_ISDIR(info.st_mode):
                stamps[prefix + name] = _entry_stamp(prefix + name, info)
            elif name != "__pycache__":
                subfolders.append(prefix + name)
    except OSError:
        pass  # the folder went while it was listed: stamped as far as it was read
    finally:
        os.close(handle)
    for path in subfolders:
        _stamp_folder(path, stamps)


def _entry_stamp(path: str, info: os.stat_result) -> Stamp | None:
    """The stamp of a file found in a folder, from its `lstat`: a link's is that of the file it leads to."""
    return stamp(path) if stat.S_ISLNK(info.st_mode) else _stamp_of(info)


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
        warnings = list(outcome["diagnostics"])
        if not all(map(_recorded_warning, warnings)):
            return None
        return LastBuild(
            Path(str(outcome["output"])), last.output, warnings, int(outcome["checked"]), int(outcome["pages"]), int(outcome["files"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _recorded_warning(item: Any) -> bool:
    """A warning as a build records it (a build with errors records no outcome; a planted head could hold anything)."""
    return (
        type(item) is _recorded_class("generator.diagnostics.Diagnostic") and item.severity == "warning"
        and isinstance(item.message, str) and isinstance(item.path, str) and type(item.line) is int and type(item.column) is int
    )


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
                _read_body(record, decoder.decode(), folder / PIECES)
            return record
    except Exception:  # missing, truncated, planted or from another version: a cold build
        return Record()


def _read_body(record: Record, body: dict, pieces: Path) -> None:
    record.files = {str(path): CheckedFile(list(entry[0]), bytes(entry[1])) for path, entry in body["files"].items()}
    record.keys = KeyTable(dict(zip(body["names"], body["digests"], strict=True)))
    known = len(record.keys)
    reads = _read_sets(body["output_reads"], known)
    record.outputs = dict(zip(map(str, body["output_paths"]), zip(map(str, body["output_digests"]), reads, strict=True), strict=True))
    groups = {
        str(name): list(zip(map(_shard_file, [file for file, _ in shards]), _read_sets([union for _, union in shards], known), strict=True))
        for name, shards in body["pieces"].items()
    }
    if any(len(shards) != SHARDS for shards in groups.values()):
        raise ValueError("pieces in another number of shards")
    record.pieces = Pieces(groups, record.keys, pieces)
    record.templates = str(body["templates"])
    record.unread = int(body["unread"])
    record.world = str(body["world"])
    record.outlines = {str(path): (str(basis), str(value)) for path, (basis, value) in body["outlines"].items()}
    search = body["search"]
    record.search = [(str(key), {str(path): str(d) for path, d in files.items()}, _facet_counts(counts),
                      {str(path): (str(file_digest), str(part)) for path, (file_digest, part) in pages.items()})
                     for key, files, counts, pages in search] if search else None


def _facet_counts(counts: Any) -> dict[str, dict[str, int]] | None:
    return None if counts is None else {str(facet): {str(v): int(n) for v, n in values.items()} for facet, values in counts.items()}


def _shard_file(name: Any) -> str:
    """A shard's file name as stored, checked to be one the record writes (never a path)."""
    if type(name) is not str or not _SHARD_FILE.fullmatch(name):
        raise ValueError("not a shard's file")
    return name


def _read_sets(stored: Any, known: int) -> list[bytes]:
    """Packed read sets as stored, checked to stand for keys of the table (else the record is ignored):
    checked all at once, as one array, not one by one (11,000 outputs at 10,000 events)."""
    sets = list(stored)
    if not all(type(packed) is bytes and not len(packed) % 4 for packed in sets) or max(unpack(b"".join(sets)), default=-1) >= known:
        raise ValueError("read set out of the key table")
    return sets


def write_record(folder: Path | None, record: Record) -> None:
    """Save the record; a check result that cannot be kept leaves only its file out (it is checked again next time)."""
    if folder is None:
        return
    head = {"format": FORMAT, "inputs": record.inputs, "output": record.output, "outcome": _tagged(record.outcome), "code": record.code}
    body = {
        "names": record.keys.names(),
        "digests": list(record.keys.digests.values()),
        "files": {path: [checked.stamp, checked.data] for path, checked in record.files.items()},
        "output_paths": list(record.outputs),
        "output_digests": [entry[0] for entry in record.outputs.values()],
        "output_reads": [entry[1] for entry in record.outputs.values()],
        "search": [[key, files, counts, {path: list(pair) for path, pair in pages.items()}]
                   for key, files, counts, pages in record.search] if record.search else None,
        "templates": record.templates,
        "outlines": {path: list(known) for path, known in record.outlines.items()},
        "unread": record.unread,
        "world": record.world,
    }
    if folder.is_symlink():
        return  # a cache folder that is a link (a checkout may carry one) is never written to, nor cleaned
    try:
        folder.mkdir(parents=True, exist_ok=True)
        body["pieces"] = _store_pieces(folder / PIECES, record.pieces.encoded())
        _write_atomically(folder / RECORD, [head, body])
        _remove_pieces_but(folder / PIECES, {file for shards in body["pieces"].values() for file, _ in shards})
    except OSError:
        return  # a site that cannot be written to builds all the same, only slower next time


def pieces_store(folder: Path | None) -> Path | None:
    """The record's folder of shards under the cache `folder`, made ready to be written to; None when
    the record will not be written (no cache, a cache folder that is a link, a disk that refuses)."""
    if folder is None or folder.is_symlink():
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _ready(folder / PIECES)
    except OSError:
        return None
    return folder / PIECES


def _ready(folder: Path) -> None:
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()  # planted: the link itself goes, never what it points to (unlisted files there are removed)
    folder.mkdir(exist_ok=True)


def _stored_file(folder: Path, kept: str | bytes) -> str:
    """A shard's file: the one it was read from, or its bytes encoded again, written to a file of their own."""
    return _store_shard(folder, kept) if type(kept) is bytes else kept


def _store_pieces(folder: Path, encoded: Iterable[tuple[str, Iterable[tuple[str | bytes, bytes]]]]) -> dict[str, list[list]]:
    """Each group's shards as the record lists them: a shard encoded again is written to a file of its own first."""
    _ready(folder)
    stored = {}
    for name, shards in encoded:
        stored[name] = [[_stored_file(folder, kept), union] for kept, union in shards]
    return stored


def _store_shard(folder: Path, blob: bytes) -> str:
    name = hashlib.sha256(blob).hexdigest()[:32] + ".cbor"  # SHA-256: see `generator.write.digest`
    _write_atomically(folder / name, [], blob)  # written even when a file of that name is there: nothing found here is trusted
    return name


def _write_atomically(path: Path, items: list, data: bytes = b"") -> None:
    """Write `data`, or these items encoded one after the other, to `path` in one step (a new file moved into place)."""
    import tempfile  # here: a build that finds nothing changed writes nothing and is spared the import

    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
        try:
            if data:
                handle.write(data)
            encoder = cbor2.CBOREncoder(handle)
            for item in items:
                encoder.encode(item)
        except BaseException:
            os.unlink(handle.name)
            raise
    os.replace(handle.name, path)


def _remove_pieces_but(folder: Path, kept: set[str]) -> None:
    """Remove the shards' files the record no longer lists (and any other file there), so the cache does not grow."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name not in kept and not entry.is_dir(follow_symlinks=False):
                os.unlink(entry.path)


def _read_shard(folder: Path | None, name: str) -> bytes | None:
    """A shard's file as it is; None when it is not a regular file that can be read (never through a link)."""
    if folder is None:
        return None
    try:
        fd = os.open(folder / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            return handle.read() if stat.S_ISREG(os.fstat(fd).st_mode) else None
        except OSError:
            return None


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
    recorded = kind.__module__ in _RECORDED_MODULES and _classes_of(kind.__module__).get(name) is kind
    if recorded and isinstance(value, enum.Enum):
        return cbor2.CBORTag(_ENUM, [name, value.value])
    if recorded and dataclasses.is_dataclass(value):
        return cbor2.CBORTag(_DATACLASS, [name, [_tagged(getattr(value, f.name)) for f in dataclasses.fields(value)]])
    if name == "zoneinfo.ZoneInfo":
        return cbor2.CBORTag(_ZONE, value.key)
    if kind is dt.timezone:
        return cbor2.CBORTag(_OFFSET, [value.utcoffset(None).total_seconds(), value.tzname(None)])
    raise TypeError(f"not kept in the record: {name}")


@functools.cache
def _recorded_fields(name: str) -> tuple[type, tuple[str, ...], bool]:
    """A recorded dataclass, its fields' names in order, and whether its instances have a __dict__."""
    kind = _recorded_class(name)
    if not dataclasses.is_dataclass(kind):
        raise KeyError(name)
    return kind, tuple(declared.name for declared in dataclasses.fields(kind)), not hasattr(kind, "__slots__")


def _tag_hook(tag: cbor2.CBORTag, immutable: bool = False) -> Any:
    # Called for every tuple and record of every check result read (about ten a content
    # file): the commonest tags first, and a record's fields set in one step.
    number, value = tag.tag, tag.value
    if number == _TUPLE:
        return tuple(value)
    if number == _DATACLASS:
        name, values = value
        kind, names, plain = _recorded_fields(name)  # KeyError for anything else: the record is ignored
        if len(values) != len(names):
            raise ValueError(f"{name} with {len(values)} fields")
        made = object.__new__(kind)
        if plain:
            made.__dict__.update(zip(names, values))
        else:
            for field_name, item in zip(names, values):
                object.__setattr__(made, field_name, item)
        return made
    if number == _ZONE:
        import zoneinfo  # here: read only with the record's body, never by a build that finds nothing changed

        return zoneinfo.ZoneInfo(str(value))
    if number == _OFFSET:
        seconds, name = value
        return dt.timezone.utc if seconds == 0 and name == "UTC" else dt.timezone(dt.timedelta(seconds=seconds), str(name))
    if number == _ENUM:
        name, value = value
        return _recorded_class(name)(value)
    raise ValueError(f"unknown tag {number}")


def library_versions() -> dict[str, str]:
    """The installed version of each of LIBRARIES that this interpreter imports, by name.

    Read from the name of the library's metadata folder (`name-version.dist-info`),
    the first on `sys.path`, as `importlib.metadata` finds it. Importing that module
    costs a build that finds nothing changed a fifth of its time.
    """
    wanted = {_project_name(name): name for name in LIBRARIES}
    versions: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            stem, _, kind = name.rpartition(".")
            project, _, version = stem.partition("-")
            library = wanted.get(_project_name(project)) if kind in ("dist-info", "egg-info") else None
            if library is not None and library not in versions:
                versions[library] = version
    return versions


def _project_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
