"""Events' first-published and updated dates from git, corrections, and the changes page and feed."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

from conftest import write_files

from generator.cli import main

EVENT = """\
    title: Macron draws a red line
    date: 2017-05-29
    summary: Macron warns of retaliation.
    actors: [emmanuel-macron]
    sources: [afp]
    """
CORRECTED = EVENT.rstrip(" ") + """\
    corrections:
      - date: 2026-02-01
        text: The summary said *Versailles talks*; it was a news conference.
    """
TALKS = """\
    title: Macron and Putin talk
    date: 2017-06-01
    summary: A phone call.
    actors: [emmanuel-macron]
    sources: [afp]
    """

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(site: Path, *arguments: str, when: str = "2026-01-10T09:00:00+00:00") -> None:
    environment = {
        **os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org", "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", "-C", str(site), *arguments], check=True, capture_output=True, env=environment, timeout=30)


def commit(site: Path, when: str, message: str) -> None:
    git(site, "add", "-A", when=when)
    git(site, "commit", "-q", "-m", message, when=when)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site in a repository: the red line published 10 January, corrected 1 February; the talks added 5 March."""
    root = write_files(tmp_path / "site", {
        "site.yml": "title: History test\nbase_url: https://example.org/\n",
        ".gitignore": "_site/\n.timeline-cache/\n",
        "content/actors/emmanuel-macron.yml": "name: Emmanuel Macron\nkind: person\n",
        "content/sources/afp.yml": "title: AFP\npublished: 2017-05-29\n",
        "content/events/red-line.yml": EVENT,
    })
    git(root, "init", "-q")
    commit(root, "2026-01-10T09:00:00+00:00", "The red line")
    write_files(root, {"content/events/red-line.yml": CORRECTED})
    commit(root, "2026-02-01T10:30:00+00:00", "Correct the red line")
    write_files(root, {"content/events/talks.yml": TALKS})
    commit(root, "2026-03-05T12:00:00+00:00", "The talks")
    return root


def build(site: Path, output: str = "_site", *extra: str) -> Path:
    assert main(["build", "--site", str(site), "--output", output, "--no-search", "-q", *extra]) == 0
    return site / output


def test_an_event_page_shows_when_it_was_published_changed_and_corrected(site):
    output = build(site)
    page = (output / "events" / "red-line" / "index.html").read_text()
    assert 'First published <time datetime="2026-01-10T09:00:00Z">2026-01-10</time>; last changed <time datetime="2026-02-01T10:30:00Z">2026-02-01</time>.' in page
    assert "<h3>Corrections</h3>" in page and "The summary said <em>Versailles talks</em>; it was a news conference." in page
    talks = (output / "events" / "talks" / "index.html").read_text()
    assert 'First published <time datetime="2026-03-05T12:00:00Z">2026-03-05</time>.' in talks and "last changed" not in talks


def test_the_feeds_and_the_changes_page_come_from_the_same_record(site):
    output = build(site)
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    updated = {entry.link: entry.updated for entry in feed.entries}
    assert updated == {"https://example.org/events/talks/": "2026-03-05T12:00:00Z", "https://example.org/events/red-line/": "2026-02-01T10:30:00Z"}
    assert feed.feed.updated == "2026-03-05T12:00:00Z"
    changes = feedparser.parse((output / "changes.xml").read_bytes())
    assert not changes.bozo, changes.get("bozo_exception")
    assert [(entry.title, entry.updated) for entry in changes.entries] == [
        ("Published: Macron and Putin talk", "2026-03-05T12:00:00Z"),
        ("Changed: Macron draws a red line", "2026-02-01T10:30:00Z"),
        ("Corrected: Macron draws a red line", "2026-02-01T00:00:00Z"),
        ("Published: Macron draws a red line", "2026-01-10T09:00:00Z"),
    ]
    assert "news conference" in changes.entries[2].content[0].value
    page = (output / "changes" / "index.html").read_text()
    lines = [line for line in page.splitlines() if "<time" in line]
    assert [line.split("</time>: ")[1].split(" ")[0] for line in lines] == ["published", "changed", "corrected", "published"]
    assert 'href="../changes.xml"' in page


def test_building_twice_gives_the_same_bytes(site):
    one, two = build(site, "one"), build(site, "two", "--force")
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / name).read_bytes() == (two / name).read_bytes() for name in files)


def test_a_new_commit_alone_updates_the_site(site):
    """The commit is an input: a file edited, built, then committed shows its new date (incremental == cold)."""
    build(site)
    write_files(site, {"content/events/talks.yml": TALKS.replace("A phone call.", "A long phone call.")})
    build(site)
    commit(site, "2026-04-01T08:00:00+00:00", "Longer talks")
    output = build(site)
    page = (output / "events" / "talks" / "index.html").read_text()
    assert 'last changed <time datetime="2026-04-01T08:00:00Z">2026-04-01</time>' in page
    cold = build(site, "cold", "--force")
    assert (cold / "events" / "talks" / "index.html").read_bytes() == page.encode()
    assert (cold / "changes.xml").read_bytes() == (output / "changes.xml").read_bytes()


def test_a_site_without_git_history_builds_with_a_note(tmp_path, capsys):
    root = write_files(tmp_path / "plain", {
        "site.yml": "title: No history\n",
        "content/actors/emmanuel-macron.yml": "name: Emmanuel Macron\nkind: person\n",
        "content/sources/afp.yml": "title: AFP\n",
        "content/events/red-line.yml": CORRECTED,
    })
    output = build(root)
    page = (output / "changes" / "index.html").read_text()
    assert "The site has no git history" in page and "Corrected" not in page  # the note, then the record
    assert "corrected" in page and "news conference" in page
    assert "First published" not in (output / "events" / "red-line" / "index.html").read_text()
