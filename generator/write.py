"""The write stage: rendered bytes and static files → the output folder, atomically.

The new site is written into a fresh folder beside the output and swapped into
place only once complete, so a failed or interrupted build leaves the last good
site as it was. A file whose bytes did not change is hard-linked from the previous
site rather than rewritten (its modification time stays, which rsync likes).
Like Pelican's writer, two outputs for one path are an error, not a lost page.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

MARKER = ".timeline-site"  # marks a folder this generator made and may replace
_RENAME_EXCHANGE = 2


class WriteError(Exception):
    """The output cannot be written; the message says why, for the author."""


@dataclass(frozen=True)
class WriteResult:
    written: int  # files whose bytes are new
    kept: int  # files identical to the previous site's, linked not rewritten
    output: Path


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


def write_site(output: Path, pages: Mapping[str, bytes], static: Mapping[str, Path]) -> WriteResult:
    """Write everything into a fresh folder, then swap it into place."""
    clashes = sorted(set(pages) & set(static))
    if clashes:
        raise WriteError(f"a static file and a page would both be written to {clashes[0]}")
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(output)
    staging = output.with_name(f".{output.name}.new-{os.getpid()}")
    _remove(staging)
    staging.mkdir()
    previous = output if (output / MARKER).exists() else None
    written = kept = 0
    try:
        for relative, data in sorted(pages.items()):
            is_new = _place(staging / relative, data, previous / relative if previous else None)
            written, kept = written + is_new, kept + (not is_new)
        for relative, source in sorted(static.items()):
            is_new = _place(staging / relative, source.read_bytes(), previous / relative if previous else None)
            written, kept = written + is_new, kept + (not is_new)
        (staging / MARKER).write_text("made by timeline; replaced whole by each build\n")
        _swap(staging, output)
    finally:
        _remove(staging)
    return WriteResult(written, kept, output)


def _place(target: Path, data: bytes, old: Path | None) -> bool:
    """Write `data` at `target`, or link the previous identical file; True if written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if old is not None and _same_bytes(old, data):
        try:
            os.link(old, target)
            return False
        except OSError:
            pass  # no hard links here (another device, a file system without them)
    target.write_bytes(data)
    return True


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _swap(staging: Path, output: Path) -> None:
    """Put `staging` at `output`; the old output ends up at `staging` (then removed)."""
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


def _remove_stale_staging(output: Path) -> None:
    """Folders left by builds that were killed (their process is gone)."""
    for folder in output.parent.glob(f".{output.name}.new-*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _running(int(pid)):
            _remove(folder)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()
