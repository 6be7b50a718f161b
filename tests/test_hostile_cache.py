"""A cache folder committed by a hostile pull request must not run code in CI.

`.timeline-cache/` is read by `check` and `build`. Every file a clean build leaves
there is replaced with a pickle that would create a marker file when unpickled
(and Jinja's bytecode files with their magic header followed by such a pickle,
which is how Jinja reads a bucket's checksum); then the real commands run.
"""
from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2.bccache

from conftest import REPO


class _Payload:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def plant(cache: Path, marker: Path) -> int:
    """Replace every file of the cache folder with a malicious one; how many there were."""
    payload = pickle.dumps(_Payload(marker))
    planted = 0
    for path in sorted(p for p in cache.rglob("*") if p.is_file()):
        is_bytecode = path.parent.name == "templates" or path.name.startswith("__jinja2_")
        path.write_bytes(jinja2.bccache.bc_magic + payload if is_bytecode else payload)
        planted += 1
    return planted


def test_a_planted_cache_runs_no_code(minimal_site: Path, tmp_path: Path):
    def timeline(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "generator", *args, "--site", str(minimal_site)],
                              cwd=REPO, capture_output=True, text=True, timeout=300)

    assert timeline("build").returncode == 0
    cache = minimal_site / ".timeline-cache"
    marker = tmp_path / "code-ran"
    templates = cache / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    (templates / "__jinja2_planted.cache").write_bytes(b"")  # at least one bytecode file
    assert plant(cache, marker) > 1
    event = minimal_site / "content" / "events" / "red-line.yml"
    event.write_text(event.read_text().replace("summary:", "summary: Changed.", 1))  # so caches are consulted
    for args in (("check",), ("build",), ("build", "--force")):
        result = timeline(*args)
        assert "Traceback" not in result.stderr, result.stderr
        assert not marker.exists(), f"`timeline {' '.join(args)}` ran code from the cache folder"


def test_a_planted_link_in_the_cache_never_lets_a_build_remove_files_elsewhere(minimal_site: Path, tmp_path: Path):
    """The shards' folder is cleaned of files the record does not list: never through a link."""
    from generator.build import build_site

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "notes.txt").write_text("mine")
    cache = minimal_site / ".timeline-cache"
    cache.mkdir()
    (cache / "pieces").symlink_to(elsewhere)
    assert build_site(minimal_site, search=False).written is not None
    assert (elsewhere / "notes.txt").read_text() == "mine" and list(elsewhere.iterdir()) == [elsewhere / "notes.txt"]
    assert (cache / "pieces").is_dir() and not (cache / "pieces").is_symlink()  # the link replaced by a folder of its own
    # The whole cache folder a link: nothing is written there, nothing removed.
    other = tmp_path / "other"
    shutil.rmtree(cache)
    (other / "pieces").mkdir(parents=True)
    (other / "pieces" / "notes.txt").write_text("mine too")
    cache.symlink_to(other)
    assert build_site(minimal_site, search=False, force=True).written is not None
    assert sorted(p.name for p in other.rglob("*")) == ["notes.txt", "pieces"]
