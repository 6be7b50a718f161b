"""The write stage: rendered bytes and static files → the output folder, atomically.

The output folder is swapped whole, in one step, so a failed or interrupted build
leaves the last good site as it was, never a mix. To keep that cheap on large sites
the generator keeps a second copy beside the output (`.<name>.spare`) that shares
every unchanged file with it through hard links. A build brings the spare up to
date (only files whose bytes differ are written; the rest are links to the live
files, so their modification times stay, which rsync likes), then exchanges the two
folders (`renameat2(RENAME_EXCHANGE)` on Linux, two renames elsewhere).

Each folder carries a manifest, `.timeline-site`: the digest of every file in it. It
also marks a folder this generator made and may replace. Like Pelican's writer, two
outputs for one path are an error, not a silently lost page.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

MARKER = ".timeline-site"  # the manifest; marks a folder this generator made
_RENAME_EXCHANGE = 2

Manifest = dict[str, str]  # path → digest


class WriteError(Exception):
    """The output cannot be written; the message says why, for the author."""


@dataclass(frozen=True)
class Kept:
    """A file known to be the same as the live site's (its digest), so not made again."""

    digest: str


@dataclass(frozen=True)
class WriteResult:
    written: int  # files whose bytes are new
    kept: int  # files identical to the previous site's, left as they were
    output: Path


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def collect_static(directories: Iterable[Path]) -> dict[str, Path]:
    """Static files by output path; later directories override earlier ones."""
    files: dict[str, Path] = {}
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in sorted(directory.rglob("*")):
            if path.is_file() and not path.name.startswith(".") and path.name != "__init__.py" and "__pycache__" not in path.parts:
                files[path.relative_to(directory).as_posix()] = path
    return files


def check_output_folder(output: Path, site_root: Path, force: bool) -> None:
    """Refuse an output folder that holds the content or files this tool did not make."""
    output, site_root = output.resolve(), site_root.resolve()
    if output == site_root or site_root.is_relative_to(output):
        raise WriteError(f"the output folder {output} contains the site itself; choose another --output")
    for protected in ("content", "templates", "static"):
        if output == site_root / protected or output.is_relative_to(site_root / protected):
            raise WriteError(f"the output folder {output} is inside the site's {protected}/; choose another --output")
    if output.exists() and not force:
        if not output.is_dir():
            raise WriteError(f"{output} exists and is not a folder")
        if any(output.iterdir()) and not (output / MARKER).exists():
            raise WriteError(f"{output} holds files timeline did not make; empty it, choose another --output, or use --force")


def write_site(output: Path, pages: Mapping[str, bytes | Kept], static: Mapping[str, Path], live: Manifest | None = None) -> WriteResult:
    """Make `output` hold exactly these files, swapping it into place in one step.

    A `Kept` page must match the live site's manifest (`live`, read when not given).
    """
    clashes = sorted(set(pages) & set(static))
    if clashes:
        raise WriteError(f"a static file and a page would both be written to {clashes[0]}")
    writer = SiteWriter(output, live)
    for path, data in pages.items():
        writer.add(path, data)
    for path, source in static.items():
        writer.add(path, source.read_bytes())
    return writer.finish()


class SiteWriter:
    """Takes the site's files one by one and writes the changed ones straight away.

    Nothing is held in memory but digests: a file whose bytes changed goes into the
    spare folder at once (which is first made a hard-linked mirror of the live site),
    and `finish` removes what is no longer wanted and swaps the spare into place.
    """

    def __init__(self, output: Path, live: Manifest | None = None):
        self.output = output.absolute()
        self.live = read_manifest(self.output) if live is None else live
        self.spare = self.output.with_name(f".{self.output.name}.spare")
        self.wanted: Manifest = {}
        self.written = 0
        self.prepared = False

    def add(self, path: str, data: bytes | Kept) -> None:
        self._claim(path)
        live_digest = (self.live or {}).get(path)
        if isinstance(data, Kept):
            if live_digest != data.digest:
                raise WriteError(f"internal error: {path} was kept but the live site does not hold it")
            self.wanted[path] = data.digest
            return
        self.wanted[path] = digest(data)
        if live_digest != self.wanted[path]:
            self.prepare()
            _replace(self.spare / path, data)
            self.written += 1

    def add_written(self, path: str, file_digest: str) -> None:
        """A file that another process (a worker of this build) added to the spare folder."""
        self._claim(path)
        self.wanted[path] = file_digest
        if (self.live or {}).get(path) != file_digest:
            self.written += 1

    def _claim(self, path: str) -> None:
        if path in self.wanted:
            raise WriteError(f"two files would be written to {path}")
        if path == MARKER:
            raise WriteError(f"{MARKER} is the generator's own file; a page or static file cannot use that name")

    def read(self, path: str) -> bytes:
        """A file added before, from wherever its bytes are now."""
        written_here = (self.live or {}).get(path) != self.wanted[path]
        return ((self.spare if written_here else self.output) / path).read_bytes()

    def finish(self) -> WriteResult:
        if self.wanted == self.live:
            return WriteResult(0, len(self.wanted), self.output)
        self.prepare()
        for path in sorted((self.live or {}).keys() - self.wanted.keys()):
            _unlink(self.spare, path)
        _write_manifest(self.spare, self.wanted)
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _swap(self.spare, self.output)
        if self.live is None:
            _remove(self.spare)  # what was there before was not ours, or nothing
        return WriteResult(self.written, len(self.wanted) - self.written, self.output)

    def prepare(self) -> None:
        """Make the spare folder ready to take new files (done before the first one, or before forking)."""
        if self.prepared:
            return
        self.output.parent.mkdir(parents=True, exist_ok=True)
        if self.live is None:
            _prepare_empty(self.spare)
        else:
            _mirror(self.spare, self.output, self.live)
        self.prepared = True


def read_manifest_bytes(folder: Path) -> bytes | None:
    """A folder's manifest file as it is, or None."""
    try:
        return (folder / MARKER).read_bytes()
    except OSError:
        return None


def read_manifest(folder: Path) -> Manifest | None:
    """A folder's manifest, or None if it has none (not ours, or left half-made)."""
    data = read_manifest_bytes(folder)
    try:
        lines = data.decode("utf-8").splitlines() if data is not None else []
    except UnicodeDecodeError:
        return None
    if not lines or lines[0] != "timeline-site 1":
        return None
    manifest: Manifest = {}
    for line in lines[1:]:
        file_digest, _, path = line.partition(" ")
        manifest[path] = file_digest
    return manifest


def _write_manifest(folder: Path, manifest: Manifest) -> None:
    body = "".join(f"{file_digest} {path}\n" for path, file_digest in sorted(manifest.items()))
    (folder / MARKER).write_text("timeline-site 1\n" + body, encoding="utf-8")


def _prepare_empty(folder: Path) -> None:
    _remove(folder)
    folder.mkdir()


def _mirror(spare: Path, live: Path, live_files: Manifest) -> None:
    """Make `spare` hold the live site's files, as hard links to them where possible.

    Only the files that differ are touched when the spare's manifest is sound; a spare
    without one (new, or left by a killed build) is made again from scratch.
    """
    spare_files = read_manifest(spare)
    if spare_files is None:
        _prepare_empty(spare)
        spare_files = {}
    (spare / MARKER).unlink(missing_ok=True)  # from here on the spare is not trusted until finished
    for path in sorted(spare_files.keys() - live_files.keys()):
        _unlink(spare, path)
    for path, file_digest in live_files.items():
        if spare_files.get(path) != file_digest:
            _link_or_copy(live / path, spare / path)


def _replace(target: Path, data: bytes) -> None:
    """Write a new file at `target` (a new inode: the live copy sharing the old one is untouched)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary)
    except OSError:  # no hard links here (another device, a file system without them)
        shutil.copy2(source, temporary)
    os.replace(temporary, target)


def _unlink(root: Path, path: str) -> None:
    """Remove a file of the folder `root`, and the folders it leaves empty (never `root`)."""
    target = root / path
    target.unlink(missing_ok=True)
    parent = target.parent
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def _swap(staging: Path, output: Path) -> None:
    """Put `staging` at `output`; the old output ends up at `staging`."""
    if output.exists() and _exchange(staging, output):
        return
    if output.exists():
        aside = output.with_name(f".{output.name}.old-{os.getpid()}")
        os.rename(output, aside)
        os.rename(staging, output)
        os.rename(aside, staging)
    else:
        os.rename(staging, output)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two folders (Linux renameat2); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()
