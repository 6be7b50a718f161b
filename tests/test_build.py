"""The build command end to end: output, summary, failures that keep the last site."""
from pathlib import Path

import pytest

from generator.cli import main

from conftest import write_files


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_every_kind_of_page_and_a_summary(minimal_site: Path, capsys):
    assert main(["build", "--site", str(minimal_site)]) == 0
    out = minimal_site / "_site"
    for page in ("index.html", "events/red-line/index.html", "actors/france/index.html", "tags/chemical-weapons/index.html",
                 "2017/index.html", "sources/afp-red-line/index.html", "actors/index.html", "404.html"):
        assert (out / page).is_file(), page
    assert "built" in capsys.readouterr().err


def test_output_and_base_url_flags_override_site_yml(minimal_site: Path, tmp_path: Path):
    out = tmp_path / "elsewhere"
    assert main(["build", "--site", str(minimal_site), "--output", str(out), "--base-url", "https://example.org/x/"]) == 0
    assert (out / "index.html").exists()
    assert "https://example.org/x/" in (out / "404.html").read_text()


def test_failed_build_leaves_the_previous_site_byte_identical(minimal_site: Path, capsys):
    assert main(["build", "--site", str(minimal_site)]) == 0
    before = snapshot(minimal_site / "_site")
    write_files(minimal_site, {"content/events/broken.yml": "title: [unclosed\n"})
    assert main(["build", "--site", str(minimal_site)]) == 1
    assert "nothing written" in capsys.readouterr().err
    assert snapshot(minimal_site / "_site") == before


def test_strict_build_fails_on_warnings_and_writes_nothing(minimal_site: Path):
    write_files(minimal_site, {"content/sources/unread.yml": "title: Unread\n"})
    assert main(["build", "--strict", "--site", str(minimal_site)]) == 1
    assert not (minimal_site / "_site").exists()


def test_same_input_gives_byte_identical_output(minimal_site: Path, tmp_path: Path):
    main(["build", "--site", str(minimal_site), "--output", str(tmp_path / "a")])
    main(["build", "--site", str(minimal_site), "--output", str(tmp_path / "b")])
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_refuses_foreign_output_folder_without_force(minimal_site: Path, capsys):
    write_files(minimal_site, {"_site/mine.txt": "precious"})
    assert main(["build", "--site", str(minimal_site)]) == 2
    assert "did not make" in capsys.readouterr().err
    assert (minimal_site / "_site" / "mine.txt").read_text() == "precious"


def test_drafts_only_with_the_flag(minimal_site: Path):
    write_files(minimal_site, {"content/events/d.yml": "title: A draft\ndate: 2017-06\nactors: [france]\nsummary: s\nsources: [afp-red-line]\ndraft: true\n"})
    main(["build", "--site", str(minimal_site)])
    assert not (minimal_site / "_site/events/d/index.html").exists()
    main(["build", "--drafts", "--site", str(minimal_site)])
    assert (minimal_site / "_site/events/d/index.html").exists()


def test_killed_builds_leave_the_old_or_the_new_site_never_a_mix(minimal_site: Path, tmp_path: Path):
    import random
    import signal
    import subprocess
    import sys
    import time

    event = minimal_site / "content/events/red-line.yml"
    versions = [event.read_text(), event.read_text().replace("Macron draws", "Macron draws again")]
    snapshots = []
    for number, text in enumerate(versions):
        event.write_text(text)
        out = tmp_path / f"reference-{number}"
        assert main(["build", "--site", str(minimal_site), "--output", str(out)]) == 0
        snapshots.append(snapshot(out))
    output = minimal_site / "_site"
    event.write_text(versions[0])
    assert main(["build", "--site", str(minimal_site)]) == 0
    started = time.monotonic()  # how long one whole build takes here, to aim the kills
    subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--site", str(minimal_site)], stderr=subprocess.DEVNULL, check=True)
    duration = time.monotonic() - started
    rng = random.Random(7)
    outcomes = set()
    factor = 0.5  # of the measured build length; adapts so kills land on both sides of the swap
    run = 0
    while run < 12 or (len(outcomes) < 2 and run < 60):
        run += 1
        current = snapshot(output)
        assert current in snapshots, f"run {run}: a mixed site"
        event.write_text(versions[1 - snapshots.index(current)])
        process = subprocess.Popen([sys.executable, "-m", "generator", "build", "-q", "--site", str(minimal_site)], stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.8, 1.2) * factor * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        unchanged = snapshot(output) == current
        outcomes.add(unchanged)
        factor = factor * 1.5 if unchanged else factor * 0.6  # a loaded machine builds slower: aim later
    assert snapshot(output) in snapshots
    assert outcomes == {True, False}, "the kills should land both before and after the swap"


def test_building_never_writes_into_content_templates_or_static(minimal_site: Path):
    write_files(minimal_site, {"templates/extra.html": "{% extends 'base.html' %}", "static/robots-note.txt": "hi"})

    def sources() -> dict[str, tuple[bytes, int]]:
        return {
            p.relative_to(minimal_site).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for folder in ("content", "templates", "static", "site.yml")
            for p in ([minimal_site / folder] if folder.endswith(".yml") else sorted((minimal_site / folder).rglob("*")))
            if p.is_file()
        }

    before = sources()
    assert main(["build", "--site", str(minimal_site)]) == 0
    assert main(["check", "--site", str(minimal_site)]) == 0
    assert main(["build", "--site", str(minimal_site)]) == 0
    assert sources() == before


@pytest.mark.parametrize("workers", ["one process", "forked workers"])
def test_incremental_builds_equal_cold_builds_after_a_series_of_edits(minimal_site: Path, tmp_path: Path, monkeypatch, workers: str):
    from generator import build
    from generator.build import build_site
    from generator.render import builtin_dir

    if workers == "forked workers":
        monkeypatch.setattr(build, "PARALLEL_FROM", 2)

    incremental = minimal_site / "_site"
    events = minimal_site / "content/events"
    card = (builtin_dir("templates") / "_event_card.html").read_text()
    edits = [
        ("add an event", lambda: write_files(minimal_site, {"content/events/talks.yml": (
            "title: Talks in Paris\ndate: 2017-07-13\nactors: [france, Macron]\nsummary: They talk.\n"
            "sources: [afp-red-line]\ntags: [diplomacy]\nrelated: [red-line]\n")})),
        ("change an event", lambda: (events / "talks.yml").write_text((events / "talks.yml").read_text().replace("They talk.", "They talk at length."))),
        ("move an event", lambda: (events / "talks.yml").write_text((events / "talks.yml").read_text().replace("2017-07-13", "2016-11"))),
        ("rename an event", lambda: (events / "talks.yml").rename(events / "paris-talks.yml")),
        ("change an actor", lambda: (minimal_site / "content/actors/france.yml").write_text("name: French Republic\nkind: state\n")),
        ("change a template", lambda: write_files(minimal_site, {"templates/_event_card.html": card.replace("<article", "<article data-edited")})),
        ("delete an event", lambda: (events / "paris-talks.yml").unlink()),
    ]
    assert build_site(minimal_site).written is not None
    for number, (what, edit) in enumerate(edits):
        edit()
        result = build_site(minimal_site)
        assert result.written is not None, what
        cold = tmp_path / f"cold-{number}"
        write_files(minimal_site, {})
        assert build_site(minimal_site, overrides={"output": str(cold)}, use_cache=False).written is not None
        assert snapshot(incremental) == snapshot(cold), f"after: {what}"
        assert result.rendered < result.files, f"after {what}: everything was rendered again"


def test_forked_workers_convert_each_summary_and_make_each_card_only_once(minimal_site: Path, tmp_path: Path, monkeypatch):
    """The event pages' workers hand on their conversions and cards to the term pages' workers."""
    from generator import build, markup, render
    from generator.build import build_site

    monkeypatch.setattr(build, "PARALLEL_FROM", 2)
    log = tmp_path / "made.log"

    def logged(original, name_of):
        def made(self, item, *args, **kwargs):
            with open(log, "a", encoding="utf-8") as out:  # appended from every process
                out.write(f"{name_of(item)!r}\n")
            return original(self, item, *args, **kwargs)
        return made

    monkeypatch.setattr(markup.Markdown, "converted", logged(markup.Markdown.converted, lambda text: f"text {text}"))
    monkeypatch.setattr(render.Renderer, "_render_card", logged(render.Renderer._render_card, lambda event: f"card {event.id}"))
    write_files(minimal_site, {f"content/events/list-{number}.yml": (
        f"title: Talks {number}\ndate: 2017-07-{number + 10}\nactors: [france, Macron]\n"
        f"summary: \"- point {number}\\n- another point\"\nsources: [afp-red-line]\ntags: [diplomacy]\n") for number in range(6)})
    assert build_site(minimal_site, search=False).written is not None
    made = log.read_text(encoding="utf-8").splitlines()
    assert sum(line.startswith("'text - point") for line in made) == 6
    assert sum(line.startswith("'card ") for line in made) == 7
    assert len(made) == len(set(made)), sorted(line for line in made if made.count(line) > 1)


def test_forked_workers_record_the_very_reads_one_process_records(minimal_site: Path, tmp_path: Path, monkeypatch):
    """Workers send their read sets packed, with the keys new to their copy of the table by name:
    once renumbered, every output's and piece's reads are those a build in one process records."""
    import shutil
    from generator import build
    from generator.build import build_site
    from generator.record import CACHE_DIR, read_record, unpack

    write_files(minimal_site, {f"content/events/list-{number}.yml": (
        f"title: Talks {number}\ndate: 2017-07-{number + 10}\nactors: [france, Macron]\n"
        f"summary: Point {number}.\nsources: [afp-red-line]\ntags: [diplomacy]\n") for number in range(6)})
    alone = tmp_path / "alone"
    shutil.copytree(minimal_site, alone)

    def reads(site: Path) -> tuple[dict[str, frozenset[str]], dict[tuple, frozenset[str]]]:
        record = read_record(site / CACHE_DIR)
        names = record.keys.names()
        outputs = {path: frozenset(names[i] for i in unpack(packed)) for path, (_, packed) in record.outputs.items()}
        record.pieces.decode_all()
        pieces = {(group, repr(key)): frozenset(names[i] for i in unpack(packed)) | piece_names
                  for group in record.pieces.names() for key, (_, piece_names, packed) in record.pieces.group(group).items()}
        return outputs, pieces

    assert build_site(alone, search=False).written is not None
    monkeypatch.setattr(build, "PARALLEL_FROM", 2)
    assert build_site(minimal_site, search=False).written is not None
    forked, one = reads(minimal_site), reads(alone)
    assert len(forked[0]) > 20 and len(forked[1]) > 6
    assert forked == one


def test_workers_store_the_export_groups_they_finish_and_send_the_parent_only_their_files(minimal_site: Path, monkeypatch):
    """An export's entries are kept for the next build only: the worker that made the export writes
    them to the record's folder, and the parent takes the list of files, not the pieces."""
    from generator import build
    from generator.build import build_site
    from generator.record import Pieces

    write_files(minimal_site, {f"content/events/list-{number}.yml": (
        f"title: Talks {number}\ndate: 2017-07-{number + 10}\nactors: [france, Macron]\n"
        f"summary: Point {number}.\nsources: [afp-red-line]\ntags: [diplomacy]\n") for number in range(6)})
    adopted, flushed_here = [], []
    adopt, flush = Pieces.adopt, Pieces.flush

    def spied_flush(self, name):
        flush(self, name)
        if name in self.flushed:
            flushed_here.append(name)

    monkeypatch.setattr(Pieces, "adopt", lambda self, name, stored: (adopted.append(name), adopt(self, name, stored)))
    monkeypatch.setattr(Pieces, "flush", spied_flush)
    monkeypatch.setattr(build, "PARALLEL_FROM", 2)
    assert build_site(minimal_site, search=False).written is not None
    from_workers = set(adopted) - set(flushed_here)
    assert from_workers and from_workers <= {"json", "csv", "ics", "geojson", "timelinejs", "storymap"}
    assert set(flushed_here) | from_workers >= {"json", "ics"}


def test_a_static_save_while_serving_is_copied_in_place_and_leaves_the_site_a_cold_build_gives(minimal_site: Path, tmp_path: Path):
    from generator.build import Memory, build_site, copy_static

    memory = Memory()
    (minimal_site / "static").mkdir()
    (minimal_site / "static" / "extra.css").write_text("body { margin: 0 }\n")
    (minimal_site / "static" / "old.css").write_text("p { color: red }\n")
    assert build_site(minimal_site, search=False, memory=memory).written is not None
    out = minimal_site / "_site"
    page_inode = (out / "index.html").stat().st_ino
    (minimal_site / "static" / "extra.css").write_text("body { margin: 1px }\n")
    (minimal_site / "static" / "old.css").unlink()
    result = copy_static(minimal_site, memory)
    assert result is not None and result.written.written == 1
    assert (out / "extra.css").read_text() == "body { margin: 1px }\n" and not (out / "old.css").exists()
    assert (out / "index.html").stat().st_ino == page_inode  # nothing else touched
    cold = tmp_path / "cold"
    assert main(["build", "--site", str(minimal_site), "--output", str(cold), "--no-search", "-q"]) == 0
    assert snapshot(out) == snapshot(cold)
    # The next build from the same memory finds the site as the record describes it.
    assert build_site(minimal_site, search=False, memory=memory).written.written == 0


def test_a_site_template_added_while_serving_overrides_the_theme_at_the_next_build(minimal_site: Path):
    """Serve keeps one environment: a template it compiled from the theme must give way to the site's new one."""
    from generator.build import Memory, build_site
    from generator.render import make_environment

    memory = Memory(env=make_environment(minimal_site))
    assert build_site(minimal_site, search=False, memory=memory).written is not None
    page = next((minimal_site / "_site" / "events").glob("*/index.html"))
    assert "site's own event page" not in page.read_text()
    (minimal_site / "templates").mkdir(exist_ok=True)
    (minimal_site / "templates" / "event.html").write_text(
        '{% extends "base.html" %}{% block main %}<p>site\'s own event page: {{ event.title }}</p>{% endblock %}\n')
    assert build_site(minimal_site, search=False, memory=memory).written is not None
    assert "site's own event page" in page.read_text()


def test_serve_takes_again_the_events_its_last_check_made_while_their_files_are_the_same(minimal_site: Path):
    """The memory's events are the very objects of the last check; an edited file's event is made anew, and equal to a cold check's."""
    from generator.build import Memory, build_site
    from generator.pipeline import load_site

    memory = Memory()
    assert build_site(minimal_site, search=False, memory=memory).written is not None
    first = {path: event for path, (_, event, _) in memory.made.events.items()}
    assert first
    edited = sorted(first)[0]
    text = (minimal_site / edited).read_text()
    (minimal_site / edited).write_text(text.replace("title: ", "title: Edited ", 1))
    assert build_site(minimal_site, search=False, memory=memory).written is not None
    again = {path: event for path, (_, event, _) in memory.made.events.items()}
    assert again.keys() == first.keys()
    assert all(again[path] is first[path] for path in first if path != edited)
    assert again[edited] is not first[edited] and again[edited].title.startswith("Edited ")
    cold = load_site(minimal_site).timeline
    assert {event.path: event for event in cold.events}[edited] == again[edited]


def test_serve_writes_a_small_rebuild_in_place_and_lists_the_folder_once_it_is_not_as_left(minimal_site: Path, tmp_path: Path):
    from generator.build import Memory, build_site

    memory = Memory()
    out = minimal_site / "_site"
    assert build_site(minimal_site, search=False, memory=memory).written is not None
    folder = out.stat().st_ino
    event = sorted((minimal_site / "content/events").rglob("*.yml"))[0]
    event.write_text(event.read_text().replace("title: ", "title: Edited ", 1))
    assert build_site(minimal_site, search=False, memory=memory).written.written > 0
    assert out.stat().st_ino == folder  # replaced in place: the folder was not listed nor swapped
    cold = tmp_path / "cold"
    assert main(["build", "--site", str(minimal_site), "--output", str(cold), "--no-search", "-q"]) == 0
    assert snapshot(out) == snapshot(cold)
    with open(out / ".timeline-site", "a") as manifest:  # the folder is not as serve left it
        manifest.write("0123 stray.html\n")
    event.write_text(event.read_text().replace("title: Edited ", "title: Again ", 1))
    assert build_site(minimal_site, search=False, memory=memory).written is not None
    assert out.stat().st_ino != folder  # listed, and swapped whole
    assert "stray.html" not in (out / ".timeline-site").read_text()


def test_a_failed_first_build_leaves_nothing_beside_where_the_output_would_be(minimal_site: Path):
    from generator.build import build_site

    write_files(minimal_site, {"content/events/broken.yml": "title: [oops\n"})
    before = sorted(path.name for path in minimal_site.iterdir())
    assert build_site(minimal_site, search=False, use_cache=False).written is None
    assert sorted(path.name for path in minimal_site.iterdir()) == before  # no output, spare folder or lock file


def test_a_failed_build_after_a_good_one_leaves_the_site_as_it_was(minimal_site: Path):
    from generator.build import build_site

    assert build_site(minimal_site, search=False).written is not None
    site = {path: path.read_bytes() for path in (minimal_site / "_site").rglob("*") if path.is_file()}
    write_files(minimal_site, {"content/events/broken.yml": "title: [oops\n"})
    assert build_site(minimal_site, search=False).written is None
    assert {path: path.read_bytes() for path in (minimal_site / "_site").rglob("*") if path.is_file()} == site


def test_loading_runs_no_collection_and_the_build_leaves_the_collector_as_it_found_it(minimal_site: Path, monkeypatch):
    """What loading makes lives to the end of the build: the collector waits until it is frozen."""
    import gc

    import generator.build
    from generator.build import build_site

    collections: list[bool] = []
    loading = generator.build.load_site
    monkeypatch.setattr(generator.build, "load_site", lambda *args, **kwargs: collections.append(gc.isenabled()) or loading(*args, **kwargs))
    try:
        assert build_site(minimal_site, search=False).written is not None
        assert collections == [False] and gc.isenabled()
        gc.disable()
        assert build_site(minimal_site, search=False, force=True).written is not None
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_build_that_reads_no_image_and_no_written_date_does_not_import_their_libraries(minimal_site: Path):
    """Pillow and dateutil's parser are imported by what uses them: an edit without an image or a date
    written with a month's name does not pay for them at its start."""
    import subprocess
    import sys

    told = "import sys\nfrom generator.cli import main\nmain(sys.argv[1:])\nprint(sorted(m for m in ('PIL', 'dateutil.parser') if m in sys.modules))\n"
    repo = Path(__file__).resolve().parents[1]
    event = minimal_site / "content/events/red-line.yml"

    def build(date: str) -> str:
        event.write_text(event.read_text().replace(event.read_text().split("date: ", 1)[1].split("\n", 1)[0], date, 1))
        done = subprocess.run([sys.executable, "-c", told, "build", "--site", str(minimal_site), "--no-search", "-q"],
                              cwd=repo, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert build("2013-08-21") == "[]\n"
    assert build("21 August 2013") == "['dateutil.parser']\n"  # the date's file is checked again: the parser is needed
