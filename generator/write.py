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

Nothing read from the output is trusted to name a path: the manifest only counts for
the regular files actually found in the folder (never through a symbolic link), the
spare folder is compared with the live one by inode, not by its own manifest, and
every path written must be a plain relative one. A folder holding files the manifest
does not list is never replaced, with or without `--force`. One build at a time holds
the lock file beside the output (`.<name>.lock`, an `flock` the kernel releases when
its process dies, so a killed build leaves no stale lock).
"""
from __future__ import annotations

import errno
import hashlib
import os
import posixpath
import shutil
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Iterable, Mapping

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows; builds there are not locked
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from generator.parallel import Started

MARKER = ".timeline-site"  # the manifest; marks a folder this generator made
_RENAME_EXCHANGE = 2
LOCK_WAIT_SECONDS = 600.0  # how long a build waits for another one writing the same output
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)

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


Content = bytes | list[bytes]  # a file's bytes, or its parts in order: an export of every event is never joined whole
_BLOCK = 256  # parts joined at a time to be hashed or written: a few hundred KB, in few calls


def digest(data: Content) -> str:
    """A file's digest in the manifest: SHA-256 cut to 96 bits. Processors with SHA instructions
    hash it more than twice as fast as BLAKE2 (1.4 against 0.56 GB/s on the 2-core machine the
    benchmarks ran on), and an edit build hashes its exports: some 50 MB at 10,000 events."""
    if type(data) is bytes:
        return hashlib.sha256(data).hexdigest()[:24]
    hashed = hashlib.sha256()
    for block in _blocks(data):
        hashed.update(block)
    return hashed.hexdigest()[:24]


def joined(data: Content) -> bytes:
    """A file's bytes, whole."""
    return data if type(data) is bytes else b"".join(data)


def _blocks(parts: list[bytes]) -> Iterable[bytes]:
    for start in range(0, len(parts), _BLOCK):
        yield b"".join(parts[start:start + _BLOCK])


def _put(handle: BinaryIO, data: Content) -> None:
    if type(data) is bytes:
        handle.write(data)
    else:
        for block in _blocks(data):
            handle.write(block)


def collect_static(directories: Iterable[Path]) -> dict[str, Path]:
    """Static files by output path; later directories override earlier ones.

    A symbolic link that leads out of the folder holding `directory` (the site's
    folder) is refused: `static/env.txt -> /proc/self/environ` must not be published.
    """
    files: dict[str, Path] = {}
    for directory in directories:
        if not directory.is_dir():
            continue
        refuse_links_leaving(directory, directory.parent)
        for path in sorted(directory.rglob("*")):
            if path.is_file() and not path.name.startswith(".") and path.name != "__init__.py" and "__pycache__" not in path.parts:
                files[path.relative_to(directory).as_posix()] = path
    return files


def refuse_links_leaving(folder: Path, site_root: Path) -> None:
    """Raise WriteError for a symbolic link under `folder` whose target is not inside `site_root`,
    or for a folder there that cannot be read (its files would silently go missing)."""
    from generator.load import link_leaves  # not at the top: a build that finds nothing changed reads only the manifest

    if not os.path.isdir(folder):
        return
    real_root = os.path.realpath(site_root)
    for directory, subfolders, names in os.walk(folder, onerror=_unreadable_folder):
        for name in subfolders + names:
            path = os.path.join(directory, name)
            if link_leaves(path, real_root):
                shown = os.path.relpath(path, site_root)
                raise WriteError(f"{shown} is a symbolic link to {os.readlink(path)}, outside the site folder: refused")


def _unreadable_folder(err: OSError) -> None:
    if not isinstance(err, FileNotFoundError):  # one removed while walking is simply gone
        raise WriteError(f"cannot read the folder {err.filename}: {err.strerror}; fix its permissions")


def check_output_folder(output: Path, site_root: Path, force: bool) -> None:
    """Refuse an output folder that holds the site, or sits inside its sources.

    `force` changes nothing here: a folder holding files timeline did not make is
    refused by the writer whatever the flags (see SiteWriter).
    """
    output, site_root = output.resolve(), site_root.resolve()
    if output == site_root or site_root.is_relative_to(output):
        raise WriteError(f"the output folder {output} contains the site itself; choose another --output")
    for protected in ("content", "templates", "static"):
        if output == site_root / protected or output.is_relative_to(site_root / protected):
            raise WriteError(f"the output folder {output} is inside the site's {protected}/; choose another --output")
    if output.exists() and not output.is_dir():
        raise WriteError(f"{output} exists and is not a folder")


def foreign_files_message(output: Path, strays: list[str]) -> str:
    shown = ", ".join(strays[:3]) + (f" and {len(strays) - 3} more" if len(strays) > 3 else "")
    return (
        f"{output} holds files timeline did not make ({shown}); timeline only replaces folders it made, "
        "even with --force: move those files away, or choose another --output"
    )


def is_safe_relative(path: str) -> bool:
    """Whether `path` is a plain relative path (no `..`, no absolute path, no empty part)."""
    if not path or path.startswith("/") or "\\" in path or "\x00" in path:
        return False
    parts = path.split("/")
    return "" not in parts and "." not in parts and ".." not in parts


def write_site(output: Path, pages: Mapping[str, bytes | Kept], static: Mapping[str, Path], live: Manifest | None = None) -> WriteResult:
    """Make `output` hold exactly these files, swapping it into place in one step.

    A `Kept` page must match the live site's manifest (`live`, read when not given).
    """
    clashes = sorted(set(pages) & set(static))
    if clashes:
        raise WriteError(f"a static file and a page would both be written to {clashes[0]}")
    with SiteWriter(output, live) as writer:
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
    The writer holds the output's build lock from its creation to `finish` (or
    `close`); use it as a context manager so a failed build lets go of it.
    """

    def __init__(self, output: Path, live: Manifest | None = None, wait: float = LOCK_WAIT_SECONDS, trusted: Manifest | None = None):
        self.output = output.absolute()
        self.spare = self.output.with_name(f".{self.output.name}.spare")
        self.wanted: Manifest = {}
        self._folders: set[str] = set()  # the folders the wanted files are in, at every depth
        self.written = 0
        self.prepared = False
        self._live: Manifest | None = None
        self.live_inodes: dict[str, int] = {}
        # With `trusted` (serve's manifest of its own preview, as its last build left it), the folder is
        # not listed: new files wait here and replace the live ones in place at the end, unless
        # workers need the spare folder first (`prepare`).
        self.pending: dict[str, Content] | None = {} if trusted is not None else None
        self.lock = BuildLock(self.output, wait)
        self._listing: Started | None = None
        try:
            if trusted is not None:
                self._live = dict(trusted)
            else:
                # Listing both folders is nearly all system time, in every one of their thousands of
                # folders: a child process does it, and makes the spare folder ready, while this
                # one goes on making files (it waits for the listing when it first needs it).
                from generator.parallel import start_in_child  # not imported by a build that finds nothing changed

                self._listing = start_in_child(partial(_list_and_mirror, self.output, self.spare, live))
        except BaseException:
            self.lock.release()
            raise

    @property
    def live(self) -> Manifest | None:
        """The manifest of the files the live site holds (None: no sound manifest)."""
        self._take_listing()
        return self._live

    def _take_listing(self) -> None:
        listing, self._listing = self._listing, None
        if listing is None:
            return
        with _disk_errors(self):
            found, live, mirrored = listing.result()
        if found.strays:
            raise WriteError(foreign_files_message(self.output, found.strays))
        self.live_inodes, self._live, self.prepared = found.inodes, live, mirrored

    def _read_live(self) -> None:
        with _disk_errors(self):
            found = read_live(self.output)
        if found.strays:
            raise WriteError(foreign_files_message(self.output, found.strays))
        self.live_inodes = found.inodes
        self._live = found.manifest

    def __enter__(self) -> "SiteWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._listing is not None:  # never taken: the build failed; the child works in the spare folder under this lock
            self._listing.cancel()
            self._listing = None
        self.lock.release()

    def add(self, path: str, data: Content | Kept) -> None:
        self._claim(path)
        live_digest = (self.live or {}).get(path)
        if isinstance(data, Kept):
            if live_digest != data.digest:
                raise WriteError(f"internal error: {path} was kept but the live site does not hold it")
            self.wanted[path] = data.digest
            return
        self.wanted[path] = digest(data)
        if live_digest != self.wanted[path]:
            if self.pending is not None:
                self.pending[path] = data
            else:
                with _disk_errors(self):
                    self.prepare()
                    _write_spare(self.spare, path, data)
            self.written += 1

    def write_early(self, path: str, data: bytes) -> str | None:
        """Write a file to the spare folder now, from any thread, when it takes files straight (no
        worker or build before needed it: then None, and the file is added as usual); its digest.
        It is added later with `add_written`; a file the live site holds already is not written."""
        if not self.prepared or self.pending is not None:
            return None
        _check_path(path)
        file_digest = digest(data)
        if (self.live or {}).get(path) != file_digest:
            with _disk_errors(None):  # the build's own thread clears the spare folder away if the disk is full
                _write_spare(self.spare, path, data)
        return file_digest

    def add_written(self, path: str, file_digest: str) -> None:
        """A file that another process (a worker of this build) or `write_early` added to the spare folder."""
        self._claim(path)
        self.wanted[path] = file_digest
        if (self.live or {}).get(path) != file_digest:
            self.written += 1

    def _claim(self, path: str) -> None:
        _check_path(path)
        if path in self.wanted:
            raise WriteError(f"two files would be written to {path}")
        folders = _folders_of(path)
        clash = path if path in self._folders else next((folder for folder in folders if folder in self.wanted), None)
        if clash is not None:
            raise WriteError(f"a file and a folder would both be at {clash}: rename the static file or page that makes one of them")
        self._folders.update(folders)

    def read(self, path: str) -> bytes:
        """A file added before, from wherever its bytes are now."""
        if self.pending is not None and path in self.pending:
            return joined(self.pending[path])
        written_here = (self.live or {}).get(path) != self.wanted[path]
        return ((self.spare if written_here else self.output) / path).read_bytes()

    def finish(self) -> WriteResult:
        try:
            if self.wanted == self.live:
                return WriteResult(0, len(self.wanted), self.output)
            if self.pending is not None and self.live is not None:  # trusted, and no worker needed the spare folder
                with _disk_errors(None):
                    _replace_in_place(self.output, self.pending, sorted(self.live.keys() - self.wanted.keys()), self.live, self.wanted)
                if self.live != self.wanted:
                    raise WriteError("internal error: the site written in place is not the site made")
                return WriteResult(self.written, len(self.wanted) - self.written, self.output)
            with _disk_errors(self):
                self.prepare()
                for path in sorted((self.live or {}).keys() - self.wanted.keys()):
                    _unlink(self.spare, path)
                _write_manifest(self.spare, self.wanted)
                self.output.parent.mkdir(parents=True, exist_ok=True)
                _swap(self.spare, self.output)
            if self._live is None:
                _remove_folders(self.spare)  # what was there before: nothing, or folders without files
            return WriteResult(self.written, len(self.wanted) - self.written, self.output)
        finally:
            self.close()

    def prepare(self) -> None:
        """Make the spare folder ready to take new files (done before the first one, or before forking)."""
        self._take_listing()
        if self.prepared:
            return
        pending, self.pending = self.pending, None
        if pending is not None:  # trusted until now: the folder is listed after all, and must be as trusted
            trusted = self._live
            self._read_live()
            if self._live != trusted:
                raise WriteError(f"{self.output} changed while it was being built from; build again")
        self.output.parent.mkdir(parents=True, exist_ok=True)
        if self._live is None:
            _prepare_empty(self.spare)
        else:
            _mirror(self.spare, self.output, self.live_inodes, set(self._live))
        self.prepared = True
        for path, data in (pending or {}).items():
            _write_spare(self.spare, path, data)


def _list_and_mirror(output: Path, spare: Path, live: Manifest | None) -> tuple[LiveFolder, Manifest | None, bool]:
    """The live folder as found, the manifest a writer takes from it (only the files of `live` found,
    when it is given), and whether the spare folder was made a mirror of it, ready to take new files
    (not when the live one holds strays, or no manifest)."""
    found = read_live(output)
    if found.strays or found.manifest is None:  # nothing to mirror: the writer makes an empty spare folder once it writes
        return found, None, False
    kept = found.manifest if live is None else {path: file_digest for path, file_digest in live.items() if path in found.inodes}
    _mirror(spare, output, found.inodes, set(kept))
    return found, kept, True


UNKNOWN = "-"  # a manifest digest no file has: the file is made again by the next build


def replace_files(
    output: Path, files: Mapping[str, bytes], dropped: Iterable[str] = (), wait: float = LOCK_WAIT_SECONDS,
    manifest: Manifest | None = None,
) -> WriteResult:
    """Put into the live site those of `files` whose bytes it does not hold yet, one by one, each
    atomically, and remove `dropped`, keeping its manifest true.

    For serve's saves of static files: the site is not swapped whole, so for an instant
    a reader may see some of these files new and others old (see `_replace_in_place`).
    `manifest`, when given, is the output's manifest as its file holds it (serve keeps it
    from its last build): it is not read again, and is brought up to date in place.
    """
    lock = BuildLock(output, wait)
    try:
        manifest = read_manifest(output) if manifest is None else manifest
        if manifest is None:
            raise WriteError(f"{output} has no manifest: build the site first")
        new = {path: data for path, data in files.items() if manifest.get(path) != digest(data)}
        with _disk_errors(None):
            _replace_in_place(output, new, dropped, manifest)
        return WriteResult(len(new), len(manifest) - len(new), output)
    finally:
        lock.release()


def _replace_in_place(
    output: Path, new: Mapping[str, Content], dropped: Iterable[str], manifest: Manifest, digests: Mapping[str, str] | None = None,
) -> None:
    """Write `new` into the live folder and remove `dropped`, each file atomically, the manifest (brought up to date) last.

    The paths touched are first marked unknown in the manifest file: cut short, this
    leaves files the next build makes again, never a manifest that vouches for bytes
    a file does not hold. `digests` are the new files' digests, when known already.
    """
    dropped = list(dropped)
    gone = [path for path in dropped if path in manifest]
    touched = [*new, *gone]
    for path in touched:
        _check_path(path)
    _check_plain(output, gone)
    if not touched:
        return
    _mark_unknown(output, touched)
    for path in dropped:
        if manifest.pop(path, None) is not None:
            _unlink(output, path)
    # Looked at once the dropped files are gone: a file may give way to a folder of the same name.
    _check_plain(output, new)
    for path, data in new.items():
        _replace(output / path, data)
        manifest[path] = digests[path] if digests else digest(data)
    _write_manifest(output, manifest)


def _check_plain(output: Path, paths: Iterable[str]) -> None:
    """Refuse a path through a link, or under something that is not a folder, in `output` as it is now."""
    for path in paths:
        if _leaves_through_link(output, path):
            raise WriteError(f"refused to write {path!r}: not a plain path inside the output folder")


def _mark_unknown(folder: Path, paths: Iterable[str]) -> None:
    """Mark these files unknown in the folder's manifest, at its end: a path's last line is the one read."""
    fd = os.open(folder / MARKER, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write("".join(f"{UNKNOWN} {path}\n" for path in paths))


def _leaves_through_link(root: Path, path: str) -> bool:
    """Whether a folder on the way to `path` under `root` is a symbolic link (or not a folder)."""
    folder = root
    for part in path.split("/")[:-1]:
        folder = folder / part
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            return True
    return (root / path).is_symlink()


class BuildLock:
    """The lock file beside an output folder: one build writes it at a time.

    An `flock` on `.<name>.lock`: the kernel lets go of it when the process ends, so
    the lock of a killed build is never stale. A second build waits up to `wait`
    seconds, then fails with a message naming the process that holds the lock.
    """

    def __init__(self, output: Path, wait: float = LOCK_WAIT_SECONDS):
        self.path = output.with_name(f".{output.name}.lock")
        self.fd: int | None = None
        if fcntl is None:
            return
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as err:
            raise WriteError(f"cannot make the lock file {self.path}: {err.strerror}") from None
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
                    os.close(fd)
                    raise WriteError(
                        f"another build (process {holder}) is writing {output}; waited {wait:g} s. "
                        "Run one build at a time for one output folder"
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)  # closing the last descriptor lets go of the flock


def _check_path(path: str) -> None:
    """Refuse a path that is not a plain relative one, or the manifest's."""
    if not is_safe_relative(path):
        raise WriteError(f"refused to write {path!r}: not a plain relative path inside the output folder")
    if path == MARKER:
        raise WriteError(f"{MARKER} is the generator's own file; a page or static file cannot use that name")


class _disk_errors:
    """Turns an OSError while writing into a WriteError that says what to do.

    After a full disk (or a file too large) the spare folder is removed, so that it
    does not keep the space it took; the live site is left as it was. Without a
    writer (`replace_files`) there is no spare folder.
    """

    def __init__(self, writer: SiteWriter | None):
        self.writer = writer

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, err: BaseException | None, trace: object) -> bool:
        if not isinstance(err, OSError):
            return False
        where = f" ({err.filename})" if err.filename else ""
        if err.errno in _DISK_FULL and self.writer is not None:
            _remove(self.writer.spare)
            self.writer.prepared = False
            hint = "free some space (or allow larger files) and build again; the previous site is left as it was"
        elif err.errno in _DISK_FULL:
            hint = "free some space (or allow larger files) and build again"
        elif err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            hint = "the output folder cannot be written: check its permissions, or choose another --output"
        else:
            hint = "the previous site, if any, is left as it was"
        raise WriteError(f"cannot write the site{where}: {err.strerror or err}; {hint}") from None


def read_manifest_bytes(folder: Path) -> bytes | None:
    """A folder's manifest file as it is, or None (never read through a symbolic link)."""
    try:
        fd = os.open(folder / MARKER, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def manifest_digest(folder: Path) -> str:
    """The digest of a folder's manifest file as it is ("" without one): whether the folder is as a build left it."""
    manifest = read_manifest_bytes(folder)
    return hashlib.sha256(manifest).hexdigest()[:32] if manifest is not None else ""


def read_manifest(folder: Path) -> Manifest | None:
    """A folder's manifest, or None if it has none (not ours, or left half-made).

    Lines naming anything but a plain relative path (`../x`, `/abs`) are dropped. Of two
    lines for one path the last counts (serve marks files unknown by adding lines).
    """
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
        if is_safe_relative(path) and path != MARKER:
            manifest[path] = file_digest
    return manifest


@dataclass(frozen=True)
class LiveFolder:
    manifest: Manifest | None  # None: no sound manifest (not ours, or empty)
    strays: list[str]  # files and links there that the manifest does not list
    inodes: dict[str, int]  # the listed files' inodes


def read_live(folder: Path) -> LiveFolder:
    """The manifest of the files really in `folder`, and the files there it does not list.

    Only regular files found without following a symbolic link count: a manifest line
    for a missing file, a link, or a path outside is dropped (the file is made again).
    Without a manifest every file found is foreign.
    """
    files, others = scan_folder(folder)
    manifest = read_manifest(folder) if MARKER in files else None
    if manifest is None:
        return LiveFolder(None, sorted(files) + others, {})
    kept = {path: file_digest for path, file_digest in manifest.items() if path in files}
    strays = sorted(files.keys() - manifest.keys() - {MARKER}) + others
    return LiveFolder(kept, strays, {path: files[path] for path in kept})


def scan_folder(folder: Path) -> tuple[dict[str, int], list[str]]:
    """Regular files under `folder` by relative path (their inodes), and every other non-folder entry.

    Symbolic links are listed as other entries and never followed. Nearly all its time
    is the system's (opening and listing each folder): the Python part is kept to a
    few steps per entry, with each folder's path taken from its entry, not joined again.
    """
    files: dict[str, int] = {}
    others: list[str] = []
    if not folder.is_dir() or folder.is_symlink():
        return files, others
    pending = [(os.fspath(folder), "")]
    while pending:
        where, prefix = pending.pop()
        with os.scandir(where) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file(follow_symlinks=False):
                    files[prefix + entry.name] = entry.inode()
                else:
                    others.append(prefix + entry.name)
    return files, sorted(others)


def _write_manifest(folder: Path, manifest: Manifest) -> None:
    # Line by line: at 100,000 events the manifest is 17 MB, and joined (then encoded) whole it
    # was copies of it at the build's fullest moment.
    with open(folder / MARKER, "w", encoding="utf-8") as handle:
        handle.write("timeline-site 1\n")
        handle.writelines(f"{file_digest} {path}\n" for path, file_digest in sorted(manifest.items()))


def _prepare_empty(folder: Path) -> None:
    _remove(folder)
    folder.mkdir()


def _mirror(spare: Path, live: Path, live_inodes: dict[str, int], wanted: set[str]) -> None:
    """Make `spare` hold the live site's files `wanted`, as hard links to them where possible.

    Nothing the spare holds is trusted: a file there is kept only when it is the very
    file (same inode) the live site holds at that path; anything else — links planted
    there, files left by a killed build, its own manifest — is removed first.
    """
    if spare.is_symlink() or not spare.is_dir():
        _prepare_empty(spare)
    spare_files, others = scan_folder(spare)
    stale = others + [path for path, inode in sorted(spare_files.items()) if path not in wanted or live_inodes.get(path) != inode]
    for path in stale:
        (spare / path).unlink(missing_ok=True)
    to_link = [path for path in sorted(wanted) if spare_files.get(path) != live_inodes[path]]
    # The folders left empty go before the live files come (a file may have a folder's name now),
    # but not those about to be filled again: a forced build's spare holds none of the live
    # files, and removing each event's folder to make it again at once was half of its mirroring.
    refilled = {posixpath.dirname(path) for path in to_link}
    for folder in sorted({posixpath.dirname(path) for path in stale} - refilled, key=lambda name: -name.count("/")):
        _remove_empty(spare, spare / folder)
    for path in to_link:
        _link_or_copy(live / path, spare / path)


def _write_spare(spare: Path, path: str, data: Content) -> None:
    """`_replace` in the spare folder, which no one reads before the swap: a path that holds
    nothing yet (every path of a cold build) is written straight, with no temporary file
    to clear away first and rename after, and no folder made unless it is missing.

    The spare mirrors the last site, whose files are removed only once the new ones are
    written: a file's path may be a folder of the last site, or lie under a file of it.
    Whatever is there is not wanted any more (a wanted file is never a wanted folder).
    """
    target = spare / path
    try:
        handle = open(target, "xb")
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = open(target, "xb")
    except NotADirectoryError:  # under a file of the last site
        _remove_files_above(spare, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = open(target, "xb")
    except FileExistsError:  # a link to the live file, a planted name, or a folder of the last site
        _remove_spare_folder(target)
        _replace(target, data)
        return
    with handle:
        _put(handle, data)


def _remove_files_above(root: Path, path: str) -> None:
    """Remove what is not a folder on the way from `root` to its `path` (never `root` itself)."""
    for name in _folders_of(path):
        folder = root / name
        if folder.is_symlink() or folder.exists() and not folder.is_dir():
            folder.unlink(missing_ok=True)  # another worker may have been first
            return


def _remove_spare_folder(target: Path) -> None:
    """A folder of the spare where a file goes now: nothing in it is wanted (a wanted file is never a wanted folder)."""
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)


def _folders_of(path: str) -> list[str]:
    """The folders a relative path lies in, outermost first ("a/b/c.html": "a", "a/b")."""
    folders, index = [], path.find("/")
    while index != -1:
        folders.append(path[:index])
        index = path.find("/", index + 1)
    return folders


def _replace(target: Path, data: Content) -> None:
    """Write a new file at `target` (a new inode: the live copy sharing the old one is untouched)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.unlink(missing_ok=True)
    with open(temporary, "xb") as handle:  # exclusive: never through a link left at that name
        _put(handle, data)
    os.replace(temporary, target)


def _link_or_copy(source: Path, target: Path) -> None:
    if _linked_straight(source, target):
        return
    _remove_spare_folder(target)  # left there (a killed build, or a file that was a folder two builds ago)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary, follow_symlinks=False)
    except OSError as err:  # no hard links here (another device, a file system without them)
        if err.errno in _DISK_FULL:
            raise
        shutil.copy2(source, temporary, follow_symlinks=False)
    os.replace(temporary, target)


def _linked_straight(source: Path, target: Path) -> bool:
    """Whether `target` could be made a link to `source` at once: it held nothing yet (every path of a
    spare folder made afresh: one call, not four). Else (a name there, no hard links here) False."""
    try:
        os.link(source, target, follow_symlinks=False)
    except FileNotFoundError:  # its folder is missing (or the source is gone, which the caller finds out)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError:
            return False
    except OSError:
        return False
    return True


def _unlink(root: Path, path: str) -> None:
    """Remove a file of the folder `root`, and the folders it leaves empty (never `root`)."""
    target = root / path
    try:
        target.unlink(missing_ok=True)
    except (IsADirectoryError, NotADirectoryError):  # a folder now, or under a file now: what it named is gone
        return
    _remove_empty(root, target.parent)


def _remove_empty(root: Path, folder: Path) -> None:
    """Remove `folder` and the folders above it that are left empty, up to `root` (never `root` itself)."""
    # rmdir itself tells a folder that still holds something: listing one to ask took 2 ms a file
    # under a folder of 10,000 (a forced build's spare folder emptied file by file: 50 s).
    while folder != root:
        try:
            folder.rmdir()
        except OSError:  # not empty, gone, or not a folder
            break
        folder = folder.parent


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
    import ctypes.util  # here: only a build that swaps folders needs it

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


def _remove_folders(path: Path) -> None:
    """Remove `path` if it holds only folders; a file found there (not ours) is left, with its folders."""
    if path.is_symlink() or not path.is_dir():
        return
    for directory, _, _ in sorted(os.walk(path), key=lambda entry: -len(entry[0])):
        try:
            os.rmdir(directory)
        except OSError:
            pass
