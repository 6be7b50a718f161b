"""Persistent caches in the site's .timeline-cache/: per-file check results and keyed stores.

A file's entry is reused while its size, modification and change times and inode
are the same, and only by the same code and settings (the cache's name carries a
fingerprint of both). A cache that cannot be read or written is simply not used:
it only ever makes a build faster, never different. `Caches` opens each store of
a folder once: a build saves them at its end, while `timeline serve` keeps them
in memory from one build to the next.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, Iterable

import generator

Stamp = tuple[int, int, int, int]


def stamp(path: str | Path) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def fingerprint(settings: Any, modules: Iterable[str]) -> str:
    """A short hash of the settings and of the source of the modules that make entries."""
    digest = hashlib.blake2b(repr(settings).encode(), digest_size=8)
    digest.update(generator.__version__.encode())
    package = Path(generator.__file__).parent
    for module in modules:
        digest.update((package / f"{module}.py").read_bytes())
    return digest.hexdigest()


class KeyedStore:
    """A dict kept in one pickle file of the cache folder (none: kept in memory only)."""

    def __init__(self, folder: Path | None, name: str):
        self.path = folder / f"{name}.pickle" if folder else None
        self.entries: dict = self._read()
        self.loaded = _size(self.entries)
        self.changed = False

    def _read(self) -> dict:
        if self.path is None:
            return {}
        try:
            with open(self.path, "rb") as handle:
                entries = pickle.load(handle)
            return entries if isinstance(entries, dict) else {}
        except Exception:  # missing, truncated or from another version: start afresh
            return {}

    def replace(self, entries: dict) -> None:
        self.changed = self.changed or entries != self.entries
        self.entries = entries

    def save(self) -> None:
        if self.path is None or not (self.changed or _size(self.entries) != self.loaded):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.path.parent, delete=False, suffix=".tmp") as handle:
                pickle.dump(self.entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, self.path)
        except OSError:
            return  # a read-only site builds all the same
        self.changed, self.loaded = False, _size(self.entries)


class FileCache(KeyedStore):
    """Results by file, each valid for one stamp of its file."""

    def get(self, key: str, current: Stamp | None) -> Any:
        entry = self.entries.get(key)
        return entry[1] if entry and current is not None and entry[0] == current else None

    def put(self, key: str, current: Stamp | None, value: Any) -> None:
        if current is not None:
            self.entries[key] = (current, value)
            self.changed = True

    def keep_only(self, keys: set[str]) -> None:
        """Forget files that are gone."""
        gone = self.entries.keys() - keys
        for key in gone:
            del self.entries[key]
        self.changed = self.changed or bool(gone)


class Caches:
    """The stores of one cache folder (None: in memory only), each read from disk once."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._stores: dict[str, KeyedStore] = {}

    def open(self, name: str, kind: type[KeyedStore] = KeyedStore) -> Any:
        store = self._stores.get(name)
        if store is None:
            store = self._stores[name] = kind(self.folder, name)
        return store

    def save(self) -> None:
        for store in self._stores.values():
            store.save()


def _size(entries: dict) -> int:
    """Entries, counting those of nested dicts (a store may hold one dict that grows)."""
    return sum(1 + (len(value) if isinstance(value, dict) else 0) for value in entries.values())
