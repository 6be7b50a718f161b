"""`timeline archive`, `timeline check --links` and the archived copies on the built site,
against a web server the tests start on 127.0.0.1."""
from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import write_files
from local_web import PAGE, LocalWeb

from generator.archive import ArchiveOptions, archive_sources
from generator.captures import LOCK_FILE, RecordError, read_captures
from generator.cli import main
from generator.fetch import USER_AGENT, Limits

SOURCES = {"afp": "/page", "moved": "/moved", "gone": "/gone", "slow": "/slow", "huge": "/huge",
           "loop": "/loop-a", "pdf": "/document.pdf", "private": "/private"}


@pytest.fixture
def web():
    with LocalWeb() as server:
        yield server


def make_site(root: Path, base: str, sources: dict[str, str], robots: dict[str, bool] | None = None) -> Path:
    files = {
        "site.yml": "title: Provenance test\n",
        "content/actors/emmanuel-macron.yml": "name: Emmanuel Macron\nkind: person\n",
        "content/events/red-line.yml": f"""\
            title: Macron draws a red line
            date: 2017-05-29
            summary: Macron warns of retaliation.
            actors: [emmanuel-macron]
            sources: [{", ".join(sources)}]
            """,
    }
    for source_id, path in sources.items():
        robots_line = "robots: false\n" if (robots or {}).get(source_id) is False else ""
        files[f"content/sources/{source_id}.yml"] = f"title: Source {source_id}\nurl: {base}{path}\n{robots_line}"
    return write_files(root, files)


def archive(site: Path, *extra: str, timeout: float = 1.0, max_bytes: int = 1_000_000) -> int:
    return main(["archive", "--site", str(site), "--timeout", str(timeout), "--max-bytes", str(max_bytes), *extra])


def lock(site: Path) -> dict:
    return json.loads((site / LOCK_FILE).read_text())["captures"]


def test_a_capture_is_a_hashed_warc_with_its_readable_text(tmp_path, web, capsys):
    site = make_site(tmp_path, web.base, {"afp": "/page"})
    assert archive(site) == 0
    [entry] = lock(site)["afp"]
    warc = site / entry["warc"]
    assert entry["sha256"] == hashlib.sha256(warc.read_bytes()).hexdigest()
    assert warc.name == entry["sha256"] + ".warc.gz"
    assert (entry["status"], entry["final_url"], entry["truncated"]) == (200, web.base + "/page", False)
    assert entry["captured"].endswith("Z")
    with warc.open("rb") as stream:
        kinds = [(r.rec_type, r.content_stream().read() if r.rec_type == "response" else None) for r in ArchiveIterator(stream)]
    assert [kind for kind, _ in kinds] == ["warcinfo", "request", "response"]
    assert kinds[2][1] == PAGE
    text = (site / entry["text"]).read_text()
    assert "Chemical weapons & retaliation." in text and "not text" not in text and "color: red" not in text
    assert f"SHA-256 {entry['sha256']}" in text
    assert all(agent == USER_AGENT for _, agent in web.requests)
    assert "/robots.txt" in [path for path, _ in web.requests]


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="no sha256sum")
def test_the_documented_commands_verify_a_capture(tmp_path, web):
    site = make_site(tmp_path, web.base, {"afp": "/page"})
    assert archive(site) == 0
    entry = lock(site)["afp"][0]
    done = subprocess.run(["sha256sum", entry["warc"]], cwd=site, capture_output=True, text=True, check=True)
    assert done.stdout.split()[0] == entry["sha256"]
    checked = subprocess.run([sys.executable, "-c", "from warcio.cli import main; main()", "check", entry["warc"]], cwd=site, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    (site / entry["warc"]).write_bytes(gzip.compress(b"WARC/1.1\r\n"))
    broken = subprocess.run(["sha256sum", "--check"], input=f"{entry['sha256']}  {entry['warc']}\n", cwd=site, capture_output=True, text=True)
    assert broken.returncode != 0


def test_a_source_with_a_capture_is_not_fetched_again_unless_refreshed(tmp_path, web):
    site = make_site(tmp_path, web.base, {"afp": "/page"})
    assert archive(site) == 0
    asked = len(web.requests)
    assert archive(site) == 0
    assert len(web.requests) == asked
    assert archive(site, "--refresh") == 0
    captures = lock(site)["afp"]
    assert len(captures) == 2  # the earlier capture is kept beside the new one
    assert all((site / c["warc"]).is_file() for c in captures)


@pytest.mark.parametrize("source, message", [
    ("gone", "HTTP 404"),
    ("slow", "timed out after 1 s"),
    ("loop", "redirects in a loop"),
])
def test_a_failed_fetch_is_reported_and_earlier_captures_are_kept(tmp_path, web, capsys, source, message):
    site = make_site(tmp_path, web.base, {source: "/page"})
    assert archive(site) == 0
    before = (site / LOCK_FILE).read_bytes()
    make_site(tmp_path, web.base, {source: SOURCES[source]})  # the page goes away: its URL now fails
    capsys.readouterr()
    assert archive(site, "--refresh") == 1
    err = capsys.readouterr().err
    assert f"content/sources/{source}.yml: error: " in err and message in err and "earlier captures are kept" in err
    assert (site / LOCK_FILE).read_bytes() == before


def test_a_huge_response_is_cut_at_the_limit(tmp_path, web, capsys):
    site = make_site(tmp_path, web.base, {"huge": "/huge"})
    assert archive(site, max_bytes=300_000, timeout=10) == 0
    [entry] = lock(site)["huge"]
    assert entry["truncated"] is True and entry["size"] == 300_000
    with (site / entry["warc"]).open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                assert record.rec_headers.get_header("WARC-Truncated") == "length"
                assert len(record.raw_stream.read()) == 300_000
    assert "archived up to there" in capsys.readouterr().err


def test_robots_txt_is_honoured_unless_the_source_opts_out(tmp_path, web, capsys):
    site = make_site(tmp_path, web.base, {"private": "/private"})
    assert archive(site) == 1
    assert "robots.txt asks crawlers like timeline not to fetch this page" in capsys.readouterr().err
    assert "/private" not in [path for path, _ in web.requests]
    make_site(tmp_path, web.base, {"private": "/private"}, robots={"private": False})
    assert archive(site) == 0
    assert lock(site)["private"][0]["status"] == 200


def test_a_body_that_is_not_html_is_archived_without_a_rendering(tmp_path, web, capsys):
    site = make_site(tmp_path, web.base, {"pdf": "/document.pdf"})
    assert archive(site) == 0
    [entry] = lock(site)["pdf"]
    assert entry["text"] == "" and entry["content_type"] == "application/pdf"
    assert "application/pdf, not HTML" in capsys.readouterr().err


def test_a_corrupt_lock_file_stops_archiving_before_anything_is_lost(tmp_path, web, capsys):
    site = make_site(tmp_path, web.base, {"afp": "/page"})
    write_files(site, {LOCK_FILE: '{"format": 1, "captures": {"afp": [\n'})
    assert archive(site) == 2
    err = capsys.readouterr().err
    assert f"{LOCK_FILE}:2:" in err and "is not valid JSON" in err and "nothing was fetched" in err
    assert (site / LOCK_FILE).read_text() == '{"format": 1, "captures": {"afp": [\n'
    assert web.requests == []


def test_a_hand_edited_capture_is_left_out_with_a_warning(tmp_path, web):
    site = make_site(tmp_path, web.base, {"afp": "/page"})
    assert archive(site) == 0
    [entry] = lock(site)["afp"]
    warc = site / entry["warc"]
    warc.write_bytes(gzip.compress(b"tampered"))
    record = read_captures(site)
    assert record.captures["afp"] == ()
    assert "does not match its SHA-256" in record.problems[0].message
    document = json.loads((site / LOCK_FILE).read_text())
    del document["captures"]["afp"][0]["status"]
    (site / LOCK_FILE).write_text(json.dumps(document))
    assert 'missing "status"' in read_captures(site).problems[0].message


def test_a_public_archive_is_asked_when_configured(tmp_path, web):
    site = make_site(tmp_path, web.base, {"afp": "/page"})
    assert archive(site, "--public-archive", web.base + "/save/{url}") == 0
    [entry] = lock(site)["afp"]
    assert entry["snapshot"] == f"{web.base}/web/20261201000000/{web.base}/page"


def test_archive_sources_refuses_a_lock_file_of_another_shape(tmp_path, web):
    site = make_site(tmp_path, web.base, {"afp": "/page"})
    write_files(site, {LOCK_FILE: '{"captures": {"afp": "not a list"}}'})
    with pytest.raises(RecordError):
        archive_sources(site, [], ArchiveOptions(Limits(1.0, 1000)), out=None)  # type: ignore[arg-type]


def check_links(site: Path, *extra: str) -> int:
    return main(["check", "--site", str(site), "--links", "--timeout", "1", *extra])


def test_check_links_reports_moved_and_dead_sources_with_their_archived_copy(tmp_path, web, capsys):
    site = make_site(tmp_path, web.base, {"afp": "/page", "moved": "/page", "gone": "/page", "slow": "/page"})
    assert archive(site) == 0
    captures = {source: entries[0] for source, entries in lock(site).items()}
    make_site(tmp_path, web.base, {"afp": "/temporary", "moved": "/moved", "gone": "/gone", "slow": "/slow"})
    assert archive(site, "--source", "afp") == 0  # its new URL: captured too, through the temporary redirect
    capsys.readouterr()
    assert check_links(site) == 0  # dead links are warnings
    err = capsys.readouterr().err
    assert "links: 1 ok, 1 moved, 2 dead (4 asked now" in err
    assert f"content/sources/moved.yml:2:1: warning: url: moved permanently (HTTP 301) to {web.base}/new-home" in err
    assert f"content/sources/gone.yml:2:1: warning: url: {web.base}/gone is dead (HTTP 404 Not Found)" in err
    assert "content/sources/slow.yml:2:1: warning: url:" in err and "timed out after 1 s" in err
    # A source's capture is of its URL at the time: these three were archived at /page,
    # so the checker only knows the fallback of a URL it has a capture of.
    states = json.loads((site / "archive" / "links.json").read_text())["links"]
    assert {source: state["state"] for source, state in states.items()} == {"afp": "ok", "moved": "moved", "gone": "dead", "slow": "dead"}
    assert captures["gone"]["warc"] not in err


def test_check_links_names_the_archived_fallback_and_keeps_recent_results(tmp_path, web, capsys):
    site = make_site(tmp_path, web.base, {"gone": "/gone"})
    write_files(site, {"content/sources/gone.yml": f"title: Source gone\nurl: {web.base}/gone\n"})
    # Archived while the page was up: the capture is of this very URL.
    web.requests.clear()
    site_page = make_site(tmp_path / "up", web.base, {"gone": "/page"})
    assert archive(site_page) == 0
    entry = lock(site_page)["gone"][0]
    entry["url"] = f"{web.base}/gone"
    for name in (entry["warc"], entry["text"]):
        write_files(site, {name: (site_page / name).read_bytes()})
    write_files(site, {LOCK_FILE: json.dumps({"format": 1, "captures": {"gone": [entry]}})})
    capsys.readouterr()
    assert check_links(site) == 0
    err = capsys.readouterr().err
    assert f"is dead (HTTP 404 Not Found); archived copy of {entry['captured'][:10]}: {entry['warc']}, readable at {entry['text']}" in err
    asked = len(web.requests)
    assert check_links(site) == 0
    assert len(web.requests) == asked  # a result younger than a day is not asked again
    assert "(0 asked now" in capsys.readouterr().err
    assert check_links(site, "--links-max-age", "0") == 0
    assert len(web.requests) == asked + 1


def build(site: Path) -> Path:
    assert main(["build", "--site", str(site), "--no-search", "-q"]) == 0
    return site / "_site"


def test_the_built_site_shows_and_serves_each_capture(tmp_path, web):
    site = make_site(tmp_path, web.base, {"afp": "/page", "pdf": "/document.pdf"})
    assert archive(site) == 0
    captures = {source: entries[0] for source, entries in lock(site).items()}
    output = build(site)
    afp = captures["afp"]
    source_page = (output / "sources" / "afp" / "index.html").read_text()
    assert afp["sha256"] in source_page
    assert f'href="../../{afp["text"]}"' in source_page and f'href="../../{afp["warc"]}"' in source_page
    assert f'Captured <time datetime="{afp["captured"]}">{afp["captured"][:10]}</time>' in source_page
    # The copies are in the output, byte for byte, and the hash checks out there too.
    assert (output / afp["warc"]).read_bytes() == (site / afp["warc"]).read_bytes()
    assert hashlib.sha256((output / afp["warc"]).read_bytes()).hexdigest() == afp["sha256"]
    assert "Chemical weapons & retaliation." in (output / afp["text"]).read_text()
    event_page = (output / "events" / "red-line" / "index.html").read_text()
    assert f'Archived <time datetime="{afp["captured"]}">{afp["captured"][:10]}</time>' in event_page
    pdf = captures["pdf"]
    assert f'href="../../{pdf["warc"]}">web archive</a>' in event_page and not (output / "archive" / f'{pdf["sha256"]}.txt').exists()


def test_a_dead_source_is_marked_on_the_site_with_its_capture_linked(tmp_path, web):
    site = make_site(tmp_path, web.base, {"afp": "/page"})
    assert archive(site) == 0
    afp = lock(site)["afp"][0]
    write_files(site, {"archive/links.json": json.dumps({"format": 1, "links": {"afp": {
        "url": f"{web.base}/page", "state": "dead", "checked": "2026-11-30T08:00:00Z", "status": 404, "reason": "HTTP 404 Not Found",
    }}})})
    output = build(site)
    for page, root in (("sources/afp", "../../"), ("events/red-line", "../../")):
        html = (output / page / "index.html").read_text()
        assert "This page is gone (HTTP 404 Not Found, checked <time" in html
        assert f'read the <a href="{root}{afp["text"]}">archived copy</a>' in html


def test_a_capture_whose_file_changed_is_not_shown_and_the_build_says_why(tmp_path, web, capsys):
    site = make_site(tmp_path, web.base, {"afp": "/page"})
    assert archive(site) == 0
    afp = lock(site)["afp"][0]
    (site / afp["warc"]).write_bytes(b"edited")
    capsys.readouterr()
    assert main(["build", "--site", str(site), "--no-search"]) == 0
    assert f"{LOCK_FILE}:3:1: warning: \"afp\"[1]: {afp['warc']} does not match its SHA-256" in capsys.readouterr().err
    assert afp["sha256"] not in (site / "_site" / "sources" / "afp" / "index.html").read_text()


def test_a_source_whose_server_is_down_is_reported_and_the_others_archived(tmp_path, web, capsys):
    with LocalWeb() as other:
        down = other.base
    site = make_site(tmp_path, web.base, {"afp": "/page"})
    write_files(site, {"content/sources/down.yml": f"title: Down\nurl: {down}/page\n"})
    assert archive(site) == 1
    err = capsys.readouterr().err
    assert "content/sources/down.yml: error: " in err and "cannot connect" in err
    assert list(lock(site)) == ["afp"]


def test_a_corrupt_lock_file_is_a_warning_for_the_build(tmp_path, web, capsys):
    site = make_site(tmp_path, web.base, {"afp": "/page"})
    write_files(site, {LOCK_FILE: '{"format": 1,\n "captures": {,}}\n'})
    assert main(["build", "--site", str(site), "--no-search"]) == 0
    assert f"{LOCK_FILE}:2:15: warning: is not valid JSON" in capsys.readouterr().err
