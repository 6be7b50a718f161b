"""A build with no input changed does nothing and says what the last one said; any change builds."""
import os
import subprocess
import sys
from pathlib import Path

from generator.build import build_site
from generator.cli import main

from conftest import REPO, write_files
from test_build import snapshot

WARNED = {"content/sources/unread.yml": "title: Unread\n"}  # an unused source: a warning


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_nothing_changed_nothing_done_and_the_same_warnings_told(minimal_site: Path, capsys):
    write_files(minimal_site, WARNED)
    assert main(["build", "--site", str(minimal_site)]) == 0
    first = capsys.readouterr().err
    before = mtimes(minimal_site / "_site")
    result = build_site(minimal_site)
    assert result.rendered == 0 and result.written is not None and result.written.written == 0
    assert result.report.timeline is None  # the content was not even loaded
    assert main(["build", "--site", str(minimal_site)]) == 0
    again = capsys.readouterr().err
    assert "unread" in again and again.splitlines()[0] == first.splitlines()[0]
    assert mtimes(minimal_site / "_site") == before
    assert main(["build", "--strict", "--site", str(minimal_site)]) == 1  # strict still fails on the warning
    assert build_site(minimal_site, force=True).report.timeline is not None  # --force builds in full


def test_the_command_tells_the_last_warnings_without_loading_the_build_or_the_checker(minimal_site: Path):
    """A site with warnings takes the same short way as one without: nothing but the record's head
    is read, and the command prints what the build that made the record printed."""
    write_files(minimal_site, WARNED)
    told = (
        "import sys\nfrom generator.cli import main\ncode = main(sys.argv[1:])\n"
        "print(code, sorted(m for m in ('generator.build', 'generator.check', 'generator.pipeline') if m in sys.modules))\n"
    )

    def build(*options: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", told, "build", "--site", str(minimal_site), *options],
                              cwd=REPO, capture_output=True, text=True, timeout=300)

    first = build()
    assert first.stdout.startswith("0 ['generator.build'")
    again = build()
    assert again.stdout == "0 []\n", again.stderr
    assert again.stderr.splitlines()[:-1] == first.stderr.splitlines()[:-1]  # the warning and its count; then the timing line
    assert "warning" in again.stderr and "0 written" in again.stderr.splitlines()[-1]
    assert build("-q").stdout == "0 []\n" and build("-q").stderr == ""
    strict = build("--strict")
    assert strict.stdout.startswith("1 ['generator.build'") and "[--strict]" in strict.stderr


def test_a_head_holding_anything_but_warnings_is_not_taken_for_the_last_build(minimal_site: Path):
    import cbor2

    from generator.record import CACHE_DIR, RECORD, read_head, unchanged_build

    write_files(minimal_site, WARNED)
    assert main(["build", "--site", str(minimal_site), "-q"]) == 0
    record = minimal_site / CACHE_DIR / RECORD
    with open(record, "rb") as handle:
        decoder = cbor2.CBORDecoder(handle)
        head, body = decoder.decode(), decoder.decode()
    inputs = head["inputs"]
    assert unchanged_build(read_head(minimal_site / CACHE_DIR), inputs) is not None
    (warning,) = head["outcome"]["diagnostics"]
    name, fields = warning.value
    for planted in ("a string", cbor2.CBORTag(41000, [name, ["error", *fields[1:]]]), cbor2.CBORTag(41000, [name, [*fields[:3], "2", 1]])):
        head["outcome"]["diagnostics"] = [planted]
        record.write_bytes(cbor2.dumps(head) + cbor2.dumps(body))
        assert unchanged_build(read_head(minimal_site / CACHE_DIR), inputs) is None
        assert main(["build", "--site", str(minimal_site), "-q"]) == 0  # a build, not a traceback


def test_any_changed_input_or_option_builds_again(minimal_site: Path, tmp_path: Path):
    assert build_site(minimal_site).written is not None
    event = minimal_site / "content/events/red-line.yml"
    event.write_text(event.read_text().replace("any chemical attack", "a chemical attack"))
    assert build_site(minimal_site).report.timeline is not None
    assert "a chemical attack" in (minimal_site / "_site/events/red-line/index.html").read_text()
    assert build_site(minimal_site, drafts=True).report.timeline is not None
    write_files(minimal_site, {"static/extra.txt": "x\n"})
    assert build_site(minimal_site).report.timeline is not None and (minimal_site / "_site/extra.txt").exists()
    os.environ["SOURCE_DATE_EPOCH"] = "1500000000"
    try:
        assert build_site(minimal_site).report.timeline is not None
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def test_an_output_changed_since_is_built_again(minimal_site: Path, tmp_path: Path):
    assert build_site(minimal_site).written is not None
    reference = snapshot(minimal_site / "_site")
    assert build_site(minimal_site, overrides={"output": str(tmp_path / "other")}).report.timeline is not None
    manifest = minimal_site / "_site/.timeline-site"
    header, first, *rest = manifest.read_text().splitlines(keepends=True)
    manifest.write_text(header + "0" * 24 + first[24:] + "".join(rest))  # as if another tool rewrote it
    result = build_site(minimal_site)
    assert result.report.timeline is not None
    assert snapshot(minimal_site / "_site") == reference


def test_content_is_stamped_once_and_a_file_changed_after_its_stamp_is_checked_again(minimal_site: Path, monkeypatch):
    """The build loads the content with the stamps taken for the inputs' digest; an edit saved
    in between is built, kept under the older stamp, and so checked again by the next build."""
    import generator.pipeline
    from generator.record import CACHE_DIR, code_version, read_inputs, read_record

    code = code_version({"drafts": False, "overrides": {}})
    inputs = read_inputs(minimal_site, code, False)
    event = minimal_site / "content/events/red-line.yml"
    stamped = inputs.stamps[os.path.join(minimal_site, "content/events/red-line.yml")]
    event.write_text(event.read_text().replace("any chemical attack", "a first chemical attack"))
    asked = []
    monkeypatch.setattr(generator.pipeline, "stamp", lambda path: asked.append(path))
    assert build_site(minimal_site, search=False, inputs=inputs).written is not None
    assert asked == []  # every content file's stamp came with the inputs
    assert "a first chemical attack" in (minimal_site / "_site/events/red-line/index.html").read_text()
    assert tuple(read_record(minimal_site / CACHE_DIR).files["content/events/red-line.yml"].stamp[:4]) == stamped
    monkeypatch.undo()
    event.write_text(event.read_text().replace("a first chemical attack", "a second chemical attack"))
    assert build_site(minimal_site, search=False).written is not None
    assert "a second chemical attack" in (minimal_site / "_site/events/red-line/index.html").read_text()


def test_the_libraries_versions_are_those_importlib_metadata_reads():
    """The code version names each library's version as `importlib.metadata` does, without importing it."""
    from importlib import metadata

    from generator.record import LIBRARIES, library_versions

    found = library_versions()
    for library in LIBRARIES:
        try:
            expected = metadata.version(library)
        except metadata.PackageNotFoundError:
            expected = None
        assert found.get(library) == expected, library
    assert found["jinja2"]  # a runtime dependency: installed wherever this runs


def test_an_edit_of_the_same_size_changes_the_inputs_and_a_linked_folder_is_not_entered(minimal_site: Path, tmp_path: Path):
    from generator.record import read_inputs

    event = minimal_site / "content/events/red-line.yml"
    before = read_inputs(minimal_site, "code", False)
    text = event.read_text()
    event.write_text(text.replace("chemical", "CHEMICAL"))  # same size; only the times tell
    after = read_inputs(minimal_site, "code", False)
    assert after.digest != before.digest
    assert after.stamps[os.path.join(minimal_site, "content/events/red-line.yml")][0] == len(text.encode())
    outside = tmp_path / "outside"
    write_files(outside, {"elsewhere.yml": "title: x\n"})
    (minimal_site / "content/events/linked").symlink_to(outside, target_is_directory=True)
    linked = read_inputs(minimal_site, "code", False)
    assert not any("elsewhere.yml" in path for path in linked.stamps)
    assert linked.digest != after.digest  # the link itself is an input


def test_restamping_the_saved_files_gives_the_inputs_stamping_all_gives(minimal_site: Path):
    """serve stamps only the files its watcher saw saved: the same inputs, or None when a file came or went."""
    from generator.record import read_inputs, restamp

    event = minimal_site / "content/events/red-line.yml"
    before = read_inputs(minimal_site, "code", False)
    event.write_text(event.read_text() + "\n")
    restamped = restamp(minimal_site, before, "code", False, [str(event)])
    assert restamped is not None and restamped.digest != before.digest
    assert restamped == read_inputs(minimal_site, "code", False)
    assert restamp(minimal_site, before, "code", True, [str(event)]).digest != restamped.digest  # the options count too
    added = minimal_site / "content/events/added.yml"
    added.write_text("title: x\n")
    assert restamp(minimal_site, restamped, "code", False, [str(added)]) is None
    added.unlink()
    assert restamp(minimal_site, restamped, "code", False, [str(event.parent)]) is None  # a folder: stamp them all
    event.unlink()
    assert restamp(minimal_site, restamped, "code", False, [str(event)]) is None
