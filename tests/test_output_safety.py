"""The output folder under hostile conditions: concurrent builds, tampered manifests,
planted links, foreign folders, unreadable content, missing files, tools' file names.

The data-loss cases run the real scenario: real `timeline build` processes, a real
folder with a `.git` in it, a real unreadable folder (with the build's capabilities
dropped, since the tests run as root).
"""
from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.cli import main
from generator.write import MARKER, BuildLock, SiteWriter, WriteError, digest, read_manifest, write_site

from conftest import REPO, write_files

sys.path.insert(0, str(REPO / "bench"))
from synth import write_site as write_synthetic_site  # noqa: E402


def timeline(*args: str, **options) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options,
    )


def run_timeline(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=REPO, capture_output=True, text=True, timeout=300, **options,
    )


def assert_site_is_whole(output: Path) -> dict[str, str]:
    """Every file the manifest lists is there with its bytes, and nothing else is."""
    manifest = read_manifest(output)
    assert manifest is not None
    found = {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file() and p.name != MARKER}
    assert found == set(manifest), f"missing: {sorted(set(manifest) - found)[:5]}, extra: {sorted(found - set(manifest))[:5]}"
    for path, file_digest in manifest.items():
        assert digest((output / path).read_bytes()) == file_digest, path
    return manifest


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("synthetic") / "site"
    write_synthetic_site(site, 300)
    return site


@pytest.fixture
def big_site(synthetic_site: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(synthetic_site, site)
    return site


# --- one build at a time -------------------------------------------------------------

def test_two_real_builds_at_once_never_publish_a_half_filled_folder(big_site: Path):
    site_yml = big_site / "site.yml"
    original = site_yml.read_text()
    for round_number in range(3):
        # A new title changes every page, so both builds write every file into the spare.
        site_yml.write_text(original.replace("title:", f"title: Round {round_number}", 1) if "title:" in original else original)
        shutil.rmtree(big_site / ".timeline-cache", ignore_errors=True)
        builds = [timeline("build", "--site", str(big_site), "--no-search", "--force", "-q") for _ in range(2)]
        outcomes = [build.communicate(timeout=300) for build in builds]
        for build, (_, err) in zip(builds, outcomes):
            assert build.returncode == 0, err
            assert "Traceback" not in err
        manifest = assert_site_is_whole(big_site / "_site")
        assert len(manifest) > 300
        assert f"Round {round_number}".encode() in (big_site / "_site" / "index.html").read_bytes()


def test_a_build_waits_for_the_lock_then_fails_with_a_message(tmp_path: Path):
    output = tmp_path / "_site"
    write_site(output, {"index.html": b"first"}, {})
    holder = BuildLock(output)
    try:
        with pytest.raises(WriteError, match=f"another build \\(process {os.getpid()}\\)"):
            SiteWriter(output, wait=0.2)
    finally:
        holder.release()
    write_site(output, {"index.html": b"second"}, {})
    assert (output / "index.html").read_bytes() == b"second"


def test_the_lock_of_a_killed_build_is_not_stale(minimal_site: Path, tmp_path: Path):
    lock_file = minimal_site / "._site.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from generator.write import BuildLock;"
         f"BuildLock(Path({str(minimal_site / '_site')!r})); print('locked', flush=True); time.sleep(600)"],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with open(lock_file) as handle:  # the lock is really held
            with pytest.raises(BlockingIOError):
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert lock_file.read_text().strip() == str(holder.pid)  # left behind, as a killed build leaves it
    result = run_timeline("build", "--site", str(minimal_site), "-q")
    assert result.returncode == 0, result.stderr
    assert_site_is_whole(minimal_site / "_site")


# --- nothing read from the output names a path ---------------------------------------

def test_a_tampered_manifest_does_not_delete_files_outside_the_output(minimal_site: Path, tmp_path: Path):
    assert main(["build", "--site", str(minimal_site), "-q"]) == 0
    assert main(["build", "--site", str(minimal_site), "-q", "--force"]) == 0  # the spare exists too
    notes = write_files(minimal_site, {"notes/keep.txt": "my notes"}) / "notes" / "keep.txt"
    absolute = write_files(tmp_path, {"elsewhere/keep.txt": "kept"}) / "elsewhere" / "keep.txt"
    manifest = minimal_site / "_site" / MARKER
    manifest.write_text(manifest.read_text() + f"{'0' * 24} ../notes/keep.txt\n{'0' * 24} {absolute}\n")
    write_files(minimal_site, {"site.yml": (minimal_site / "site.yml").read_text() + "\n# changed\n"})
    (minimal_site / "content" / "events").joinpath("red-line.yml").write_text(
        (minimal_site / "content" / "events" / "red-line.yml").read_text().replace("summary:", "summary: Changed.", 1)
    )
    result = run_timeline("build", "--site", str(minimal_site), "-q")
    assert result.returncode == 0, result.stderr
    assert notes.read_text() == "my notes"
    assert absolute.read_text() == "kept"
    assert_site_is_whole(minimal_site / "_site")


def test_a_link_planted_in_the_spare_folder_is_not_written_through(minimal_site: Path, tmp_path: Path):
    assert main(["build", "--site", str(minimal_site), "-q"]) == 0
    victim = write_files(tmp_path, {"victim/keep.txt": "precious", "victim/index.html": "mine"}) / "victim"
    spare = minimal_site / "._site.spare"
    shutil.rmtree(spare, ignore_errors=True)
    spare.mkdir()
    # A committed spare folder: its manifest claims files behind a link to the victim.
    (spare / MARKER).write_text(f"timeline-site 1\n{'0' * 24} assets/keep.txt\n{'0' * 24} events/index.html\n")
    (spare / "assets").symlink_to(victim)
    (spare / "events").symlink_to(victim)
    (spare / "index.html").symlink_to(victim / "index.html")
    event = minimal_site / "content" / "events" / "red-line.yml"
    event.write_text(event.read_text().replace("summary:", "summary: Changed.", 1))
    result = run_timeline("build", "--site", str(minimal_site), "-q")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in victim.iterdir()) == ["index.html", "keep.txt"]
    assert (victim / "keep.txt").read_text() == "precious"
    assert (victim / "index.html").read_text() == "mine"
    assert_site_is_whole(minimal_site / "_site")


def test_one_file_missing_from_the_output_does_not_break_later_builds(minimal_site: Path):
    assert main(["build", "--site", str(minimal_site), "-q"]) == 0
    missing = minimal_site / "_site" / "events" / "red-line" / "index.html"
    missing.unlink()
    event = minimal_site / "content" / "events" / "red-line.yml"
    for attempt in range(2):
        event.write_text(event.read_text().replace("summary:", f"summary: Edit {attempt}.", 1))
        result = run_timeline("build", "--site", str(minimal_site), "-q")
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert missing.is_file()
    assert_site_is_whole(minimal_site / "_site")


def test_paths_that_leave_the_output_are_refused_whatever_names_them(tmp_path: Path):
    output = tmp_path / "out" / "_site"
    for bad in ("../escape.html", "a/../../escape.html", str(tmp_path / "abs.html"), "a//b.html", "./x.html", "a\\..\\b"):
        with pytest.raises(WriteError, match="not a plain relative path"):
            write_site(output, {"index.html": b"ok", bad: b"evil"}, {})
    written = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["._site.lock", "index.html"]  # the good page, in the spare folder, and nothing else
    assert not (output / "index.html").exists()


def test_a_search_tool_returning_a_path_outside_cannot_write_there(minimal_site: Path, tmp_path: Path, monkeypatch, capsys):
    import generator.build

    target = tmp_path / "outside.txt"
    monkeypatch.setattr(generator.build, "shard_files", lambda *shard: {f"pagefind/../../{target.name}": b"x", "pagefind/ok.js": b""})
    assert main(["build", "--site", str(minimal_site)]) == 2
    assert "not a plain relative path" in capsys.readouterr().err
    assert not target.exists() and not (minimal_site / target.name).exists()


# --- --force never deletes a folder timeline did not make --------------------------------

def foreign_folder(root: Path) -> dict[str, bytes]:
    files = {".git/HEAD": b"ref: refs/heads/main\n", ".git/config": b"[core]\n", "notes.txt": b"mine", "site.yml": b"title: x\n"}
    write_files(root, files)
    return files


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("how", ["--output", "site.yml"])
def test_force_never_replaces_a_folder_timeline_did_not_make(minimal_site: Path, tmp_path: Path, how: str):
    victim = tmp_path / "victim"
    files = foreign_folder(victim)
    if how == "--output":
        args = ["--output", str(victim)]
    else:
        site_yml = minimal_site / "site.yml"
        site_yml.write_text(site_yml.read_text() + "\noutput: ../victim\n")
        args = []
    result = run_timeline("build", "--site", str(minimal_site), "--force", *args)
    assert result.returncode == 2, result.stderr
    assert "did not make" in result.stderr and ".git/HEAD" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(victim) == files
    assert not (tmp_path / ".victim.spare").exists()


def test_force_never_deletes_foreign_files_added_to_a_site_timeline_made(minimal_site: Path):
    assert main(["build", "--site", str(minimal_site), "-q"]) == 0
    write_files(minimal_site / "_site", {".git/HEAD": "ref: refs/heads/gh-pages\n"})
    result = run_timeline("build", "--site", str(minimal_site), "--force")
    assert result.returncode == 2 and "did not make" in result.stderr
    assert (minimal_site / "_site" / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"


# --- unreadable content -------------------------------------------------------------

def without_read_override() -> list[str]:
    """A command prefix that runs as root without the capabilities that bypass file modes."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0:
        return []
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a folder unreadable")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps", "-all", "--"]


def test_an_unreadable_content_folder_is_an_error_not_a_silent_skip(minimal_site: Path):
    hidden = minimal_site / "content" / "events" / "hidden"
    write_files(hidden, {"secret.yml": (minimal_site / "content" / "events" / "red-line.yml").read_text().replace("red-line", "x")})
    hidden.chmod(0)
    try:
        prefix = without_read_override()
        probe = subprocess.run([*prefix, sys.executable, "-c", f"import os; os.listdir({str(hidden)!r})"], capture_output=True)
        if probe.returncode == 0:
            pytest.skip("this system lets the test read a mode-000 folder anyway")
        command = [*prefix, sys.executable, "-m", "generator"]
        check = subprocess.run([*command, "check", "--strict", "--site", str(minimal_site)], cwd=REPO, capture_output=True, text=True)
        assert check.returncode == 1, check.stderr
        assert "content/events/hidden/" in check.stderr and "cannot read this folder" in check.stderr
        build = subprocess.run([*command, "build", "--site", str(minimal_site)], cwd=REPO, capture_output=True, text=True)
        assert build.returncode == 1 and "nothing written" in build.stderr
        assert not (minimal_site / "_site").exists()
    finally:
        hidden.chmod(0o755)


def test_an_unreadable_static_folder_is_an_error_not_a_silent_skip(minimal_site: Path):
    hidden = write_files(minimal_site, {"static/media/logo.svg": "<svg/>"}) / "static" / "media"
    hidden.chmod(0)
    try:
        prefix = without_read_override()
        if subprocess.run([*prefix, sys.executable, "-c", f"import os; os.listdir({str(hidden)!r})"]).returncode == 0:
            pytest.skip("this system lets the test read a mode-000 folder anyway")
        build = subprocess.run([*prefix, sys.executable, "-m", "generator", "build", "--site", str(minimal_site)],
                               cwd=REPO, capture_output=True, text=True)
        assert build.returncode == 2, build.stderr
        assert "cannot read the folder" in build.stderr and "static/media" in build.stderr
        assert not (minimal_site / "_site").exists()
    finally:
        hidden.chmod(0o755)


# --- links in static/ and templates/ ---------------------------------------------------

def test_a_static_link_to_the_environment_is_not_published(minimal_site: Path):
    (minimal_site / "static").mkdir(exist_ok=True)
    (minimal_site / "static" / "env.txt").symlink_to("/proc/self/environ")
    result = run_timeline("build", "--site", str(minimal_site), env={**os.environ, "SECRET_TOKEN": "hunter2"})
    assert result.returncode == 2, result.stderr
    assert "static/env.txt is a symbolic link" in result.stderr
    assert not (minimal_site / "_site").exists()


def test_a_static_folder_link_leaving_the_site_is_refused(minimal_site: Path, tmp_path: Path):
    write_files(tmp_path, {"private/key.pem": "secret"})
    (minimal_site / "static").mkdir(exist_ok=True)
    (minimal_site / "static" / "keys").symlink_to(tmp_path / "private")
    assert main(["build", "--site", str(minimal_site), "-q"]) == 2
    assert not (minimal_site / "_site" / "keys").exists()


def test_a_template_link_leaving_the_site_is_refused(minimal_site: Path, capsys):
    (minimal_site / "templates").mkdir(exist_ok=True)
    (minimal_site / "templates" / "base.html").symlink_to("/etc/passwd")
    assert main(["build", "--site", str(minimal_site)]) == 2
    assert "templates/base.html is a symbolic link" in capsys.readouterr().err


def test_links_inside_the_site_are_still_fine(minimal_site: Path):
    write_files(minimal_site, {"media/logo.svg": "<svg/>"})
    (minimal_site / "static").mkdir(exist_ok=True)
    (minimal_site / "static" / "logo.svg").symlink_to(minimal_site / "media" / "logo.svg")
    assert main(["build", "--site", str(minimal_site), "-q"]) == 0
    assert (minimal_site / "_site" / "logo.svg").read_text() == "<svg/>"


# --- broken disks ------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path: Path):
    """A 1 MiB tmpfs mounted for the test (needs root); skipped where mounting is not allowed."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here (the injected-error tests still run)")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def used_bytes(folder: Path) -> int:
    stats = os.statvfs(folder)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize


def test_a_full_disk_ends_in_a_message_and_the_spare_gives_the_space_back(minimal_site: Path, small_disk: Path):
    output = small_disk / "_site"
    assert run_timeline("build", "--site", str(minimal_site), "--output", str(output), "-q").returncode == 0
    before, used = snapshot(output), used_bytes(small_disk)
    write_files(minimal_site, {"static/big.bin": os.urandom(900_000)})
    result = run_timeline("build", "--site", str(minimal_site), "--output", str(output))
    assert result.returncode == 2, result.stderr
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(output) == before
    assert not (small_disk / "._site.spare").exists()
    assert used_bytes(small_disk) <= used + 64 * 1024


def test_a_read_only_output_ends_in_a_message(minimal_site: Path, small_disk: Path):
    output = small_disk / "_site"
    assert run_timeline("build", "--site", str(minimal_site), "--output", str(output), "-q").returncode == 0
    before = snapshot(output)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    event = minimal_site / "content" / "events" / "red-line.yml"
    event.write_text(event.read_text().replace("summary:", "summary: Changed.", 1))
    result = run_timeline("build", "--site", str(minimal_site), "--output", str(output))
    assert result.returncode == 2, result.stderr
    assert "Read-only file system" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(output) == before


def test_a_file_too_large_ends_in_a_message(minimal_site: Path):
    import resource

    assert main(["build", "--site", str(minimal_site), "-q"]) == 0
    before = snapshot(minimal_site / "_site")
    write_files(minimal_site, {"static/big.bin": os.urandom(300_000)})
    limit = 200_000

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = run_timeline("build", "--site", str(minimal_site), preexec_fn=limit_file_size)
    assert result.returncode == 2, result.stderr
    assert "File too large" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(minimal_site / "_site") == before
    assert not (minimal_site / "._site.spare").exists()


def test_an_injected_full_disk_removes_the_spare(tmp_path: Path, monkeypatch):
    import errno

    import generator.write

    output = tmp_path / "_site"
    write_site(output, {"a.html": b"1", "b.html": b"1"}, {})
    real_replace = generator.write._replace

    def fill_up(target: Path, data: bytes) -> None:
        real_replace(target, data)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(generator.write, "_replace", fill_up)
    with pytest.raises(WriteError, match="No space left on device.*free some space"):
        write_site(output, {"a.html": b"2", "b.html": b"2"}, {})
    assert not (tmp_path / "._site.spare").exists()
    assert (output / "a.html").read_bytes() == b"1"
