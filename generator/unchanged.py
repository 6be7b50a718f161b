"""Whether anything a build reads changed since the last build: if not, there is nothing to do.

A build's inputs are the site's files (site.yml, content/, templates/, static/,
archive/), the git commit the site is at, the built-in theme, the generator's code
and the libraries that shape its output, the build's options and SOURCE_DATE_EPOCH.
Their stamps (path, size, modification and change times, inode) and the output's
manifest are digested after each successful build; when the next build finds the
same digests it reports what the last one reported and leaves the output alone,
without loading any cache. Like `make`, it trusts modification times; `--force` or
deleting `.timeline-cache/` builds in full.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

import generator
from generator.cache import stamp
from generator.diagnostics import Diagnostic
from generator.provenance import provenance_inputs

RECORD = "last-build.json"
SITE_FOLDERS = ("content", "templates", "static", "archive")  # archive/: captures and link checks
LIBRARIES = ("jinja2", "markdown", "nh3", "pyyaml", "python-dateutil", "pagefind")


def inputs_digest(site_root: Path, builtin: Iterable[Path], options: dict[str, Any]) -> str:
    """One digest of every input's stamp and of the options."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    digest.update(provenance_inputs(site_root).encode())  # the git commit events' history is read at
    for library in LIBRARIES:
        digest.update(_version(library).encode())
    paths = [str(site_root / "site.yml")]
    for folder in [*(site_root / name for name in SITE_FOLDERS), *builtin, Path(generator.__file__).parent]:
        paths += _files(str(folder))
    digest.update(b"".join(_stamp(path) for path in paths))
    return digest.hexdigest()


@dataclass(frozen=True)
class Outcome:
    """What a build reported: its diagnostics, and how many files it checked and wrote."""

    diagnostics: list[Diagnostic]
    checked: int  # content files and site.yml
    pages: int
    files: int


def recall(cache_dir: Path, inputs: str, manifest: bytes | None) -> Outcome | None:
    """The last build's outcome if its inputs and its output are as they were; else None."""
    try:
        record = json.loads((cache_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest is None or record.get("inputs") != inputs or record.get("output") != _digest(manifest):
        return None
    try:
        diagnostics = [Diagnostic(**fields) for fields in record["diagnostics"]]
        return Outcome(diagnostics, int(record["checked"]), int(record["pages"]), int(record["files"]))
    except (KeyError, TypeError, ValueError):
        return None


def remember(cache_dir: Path, inputs: str, manifest: bytes | None, outcome: Outcome) -> None:
    """Note a successful build's inputs, output and outcome (without them a build is only slower)."""
    if manifest is None:
        return
    record = {
        "inputs": inputs, "output": _digest(manifest), "diagnostics": [asdict(d) for d in outcome.diagnostics],
        "checked": outcome.checked, "pages": outcome.pages, "files": outcome.files,
    }
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = cache_dir / f".{RECORD}.tmp"
        temporary.write_text(json.dumps(record), encoding="utf-8")
        os.replace(temporary, cache_dir / RECORD)
    except OSError:
        pass


def _files(folder: str) -> list[str]:
    found = []
    for directory, subfolders, names in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        found += [os.path.join(directory, name) for name in sorted(names)]
    return found


def _stamp(path: str) -> bytes:
    return f"{path}\0{stamp(path)}\n".encode()


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "-"


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
