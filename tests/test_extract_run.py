"""`run_extract` end to end on a small site: files written, report, exit codes."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml

from generator.extract import load_known, run_extract
from generator.pipeline import check_site

ARTICLE = """\
Floods force Petrov to cancel trip

OSLO - Interior minister Ivo Petrov cancelled his visit to Chile on Wednesday, as rivers rose across Norway.

He will travel to Santiago on Friday instead, his office said.

Rescue teams from Chile arrived last week.

In 2015, similar floods killed dozens.
"""


def make_site(root: Path, events: dict[str, str] | None = None) -> Path:
    (root / "content" / "actors").mkdir(parents=True)
    (root / "content" / "events").mkdir()
    (root / "content" / "sources").mkdir()
    (root / "site.yml").write_text("title: Floods\n")
    actors = {"ivo-petrov": "name: Ivo Petrov\nkind: person\naliases: [Petrov]\n",
              "norway": "name: Norway\nkind: state\n",
              "chile": "name: Chile\nkind: state\n"}
    for actor_id, text in actors.items():
        (root / "content" / "actors" / f"{actor_id}.yml").write_text(text)
    if events:
        (root / "content" / "sources" / "earlier-report.yml").write_text("title: An earlier report\n")
        for event_id, text in events.items():
            (root / "content" / "events" / f"{event_id}.yml").write_text(text)
    return root


def run(tmp_path: Path, article: str = ARTICLE, **options) -> tuple[int, str]:
    site = tmp_path / "site" if (tmp_path / "site").exists() else make_site(tmp_path / "site")
    path = tmp_path / "article.txt"
    if not path.exists():
        path.write_text(article, encoding="utf-8")
    options.setdefault("published", "2018-05-23")
    options.setdefault("source_id", None)
    out = io.StringIO()
    code = run_extract(path, site_root=site, out=out, **options)
    return code, out.getvalue()


def drafts(tmp_path: Path) -> dict[str, dict]:
    folder = tmp_path / "site" / "content" / "events" / "drafts"
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yml"))}


def test_writes_a_source_and_one_draft_per_dated_happening(tmp_path):
    code, report = run(tmp_path)
    assert code == 0
    written = drafts(tmp_path)
    assert sorted(d["date"] for d in written.values()) == ["2015", "2018-05-14/2018-05-20", "2018-05-23", "2018-05-25"]
    for draft in written.values():
        assert draft["sources"] == ["2018-05-23-floods-force-petrov-to-cancel-trip"]
        assert draft["draft"] is True
    source = tmp_path / "site" / "content" / "sources" / "2018-05-23-floods-force-petrov-to-cancel-trip.yml"
    assert yaml.safe_load(source.read_text()) == {"title": "Floods force Petrov to cancel trip", "published": "2018-05-23"}
    assert "2018-05-25  \"on Friday\", counted from the publication date 2018-05-23" in report
    assert "Source (written): content/sources/2018-05-23-floods-force-petrov-to-cancel-trip.yml" in report


def test_report_lists_actor_suggestions(tmp_path):
    _, report = run(tmp_path)
    assert "Santiago (1)" in report and "OSLO (1)" in report


def test_drafts_pass_the_checker_with_warnings_only(tmp_path):
    run(tmp_path)
    report = check_site(tmp_path / "site")
    assert report.timeline is not None
    assert not [d for d in report.diagnostics if d.severity == "error"]
    unfinished = [d for d in report.diagnostics if "draft, left out of the site until fixed" in d.message]
    assert len(unfinished) == 2  # "He will travel ... on Friday" and "In 2015, similar floods ..." name no actor
    assert all(d.severity == "warning" and "actors" in d.message for d in unfinished)


def test_once_undrafted_a_draft_without_an_actor_is_an_error(tmp_path):
    run(tmp_path)
    for draft in (tmp_path / "site" / "content" / "events" / "drafts").glob("*.yml"):
        draft.write_text(draft.read_text().replace("draft: true\n", ""))
    errors = [d for d in check_site(tmp_path / "site").diagnostics if d.severity == "error"]
    assert len(errors) == 2 and all(e.message.startswith("actors:") for e in errors)


def test_build_makes_the_site_while_drafts_exist_and_leaves_them_out(tmp_path):
    from generator.build import build_site

    run(tmp_path)
    site = tmp_path / "site"
    (site / "content" / "sources" / "s.yml").write_text("title: A finished source\n")
    (site / "content" / "events" / "finished.yml").write_text(
        "title: Petrov visits Chile\ndate: 2018-05-01\nsummary: He went.\nactors: [ivo-petrov]\nsources: [s]\n")
    result = build_site(site)
    timeline = result.report.timeline
    assert timeline is not None and [e.id for e in timeline.events] == ["finished"]
    with_drafts = build_site(site, drafts=True, force=True).report.timeline
    drafted = {e.id for e in with_drafts.events if e.draft}
    assert len(drafted) == 2  # the two drafts that name an actor; the unfinished two stay out


def test_an_article_name_with_line_breaks_injects_no_yaml_key(tmp_path):
    site = make_site(tmp_path / "site")
    path = tmp_path / "floods\nstatus: disputed\ntags: [x]\r\u2028draft: false.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    code = run_extract(path, site_root=site, out=io.StringIO(), published="2018-05-23", source_id=None)
    assert code == 0
    for draft in drafts(tmp_path).values():
        assert draft["draft"] is True and "tags" not in draft and draft.get("status", "occurred") != "disputed"
    [source] = (site / "content" / "sources").glob("*.yml")
    assert set(yaml.safe_load(source.read_text())) == {"title", "published"}


def test_an_existing_happening_is_reported_not_drafted(tmp_path):
    make_site(tmp_path / "site", {"petrov-cancels": (
        "title: Petrov cancels his visit to Chile\ndate: 2018-05-23\nsummary: He stays.\n"
        "actors: [ivo-petrov, chile]\nsources: [earlier-report]\n")})
    code, report = run(tmp_path)
    assert code == 0
    assert '2018-05-23  "on Wednesday"  probably existing: petrov-cancels' in report
    assert "2018-05-23" not in [d["date"] for d in drafts(tmp_path).values()]


def test_a_second_run_drafts_nothing_twice_and_overwrites_nothing(tmp_path):
    run(tmp_path)
    before = {p: p.read_text() for p in (tmp_path / "site" / "content").rglob("*.yml")}
    code, report = run(tmp_path)
    assert code == 0
    assert "Source: 2018-05-23-floods-force-petrov-to-cancel-trip exists already; the drafts cite it" in report
    assert "Drafted by an earlier run (not drafted again):" in report
    assert "Draft events" not in report
    after = {p: p.read_text() for p in (tmp_path / "site" / "content").rglob("*.yml")}
    assert after == before


def test_dry_run_writes_nothing(tmp_path):
    code, report = run(tmp_path, dry_run=True)
    assert code == 0 and "dry run, not written" in report
    assert not list((tmp_path / "site" / "content").rglob("drafts/*.yml"))
    assert not list((tmp_path / "site" / "content" / "sources").iterdir())


def test_publication_date_stated_in_the_text(tmp_path):
    article = "Floods in the north\nPublished on May 23, 2018\nPetrov flew to Chile on Monday.\n"
    code, report = run(tmp_path, article, published=None)
    assert code == 0
    assert 'Published: 2018-05-23 (from the text: "Published on May 23, 2018")' in report
    assert [d["date"] for d in drafts(tmp_path).values()] == ["2018-05-21"]


def test_without_any_publication_date_only_explicit_dates_are_drafted(tmp_path):
    article = "Floods in the north\nPetrov flew to Chile on Monday. Norway sent help on 2 May 2018.\n"
    code, report = run(tmp_path, article, published=None)
    assert code == 0
    assert [d["date"] for d in drafts(tmp_path).values()] == ["2018-05-02"]
    assert 'Unresolved:\n  "on Monday": needs the publication date (pass --published)' in report
    assert "Published: unknown" in report


def test_publication_known_as_a_week(tmp_path):
    article = "Floods in the north\nPetrov flew to Chile on Monday. Chile sent help on Tuesday.\n"
    code, report = run(tmp_path, article, published="2018-05-21/2018-05-23")
    assert code == 0
    assert [d["date"] for d in drafts(tmp_path).values()] == ["2018-05-21"]
    assert '"on Tuesday": depends on which day of 2018-05-21/2018-05-23 is the publication date' in report


def test_nothing_found_exits_1_and_writes_nothing(tmp_path):
    code, report = run(tmp_path, "Floods in the north\nRivers rose again.\n")
    assert code == 1 and "No dated happening found" in report
    assert not list((tmp_path / "site" / "content" / "sources").iterdir())


@pytest.mark.parametrize("options, message", [
    ({"published": "23/05/2018"}, "--published"),
    ({"published": "2018-05"}, "give the day of publication"),
    ({"published": "2018-01-01/2018-03-01"}, "spans more than 31 days"),
    ({"source_id": "Not A Slug"}, "--source-id"),
])
def test_usage_errors_exit_2(tmp_path, options, message):
    code, report = run(tmp_path, **options)
    assert code == 2 and message in report and "Traceback" not in report


def test_missing_article_exits_2(tmp_path):
    make_site(tmp_path / "site")
    out = io.StringIO()
    code = run_extract(tmp_path / "nope.txt", site_root=tmp_path / "site", published=None, source_id=None, out=out)
    assert code == 2 and "no such file" in out.getvalue()


def test_article_that_is_not_utf8_exits_2(tmp_path):
    (tmp_path / "article.txt").write_bytes(b"Caf\xe9 on Monday")
    code, report = run(tmp_path)
    assert code == 2 and "UTF-8" in report


def test_a_folder_without_site_yml_exits_2(tmp_path):
    (tmp_path / "article.txt").write_text(ARTICLE)
    out = io.StringIO()
    code = run_extract(tmp_path / "article.txt", site_root=tmp_path, published=None, source_id=None, out=out)
    assert code == 2 and "site.yml" in out.getvalue()


def test_load_known_leaves_out_items_with_errors(tmp_path):
    site = make_site(tmp_path / "site", {"broken": "title: Broken\ndate: 2018-05-23\n"})
    actors, events = load_known(site)
    assert set(actors) == {"ivo-petrov", "norway", "chile"}
    assert events == ()


def test_report_names_every_draft_with_its_words(tmp_path):
    _, report = run(tmp_path)
    lines = [l for l in report.splitlines() if l.startswith("  content/events/drafts/")]
    assert len(lines) == 4
    assert all(re.search(r"\.yml  \S+  \"[^\"]+\", ", line) for line in lines)


def test_an_empty_article_finds_nothing(tmp_path):
    code, report = run(tmp_path, "")
    assert code == 1 and "No dated happening found" in report


def test_a_publication_date_at_the_end_of_the_calendar(tmp_path):
    code, report = run(tmp_path, "Floods\nPetrov left next year, a day after the vote.\n", published="9998-12-31")
    assert code == 1 and "falls outside the years" in report


def test_an_article_longer_than_the_bound_exits_2_unread(tmp_path, monkeypatch):
    import generator.extract as extract

    monkeypatch.setattr(extract, "MAX_ARTICLE_CHARS", 100)
    code, report = run(tmp_path, "Floods\n" + "Petrov left on Monday. " * 10)
    assert code == 2 and "longer than 100 characters" in report
    assert not list((tmp_path / "site" / "content" / "sources").iterdir())


def test_a_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import generator.extract as extract

    monkeypatch.setattr(extract, "MAX_ARTICLE_CHARS", 10)
    code, report = run(tmp_path, "x" * 41)
    assert code == 2 and "longer than 10 characters" in report


def test_many_dates_are_all_drafted_once(tmp_path):
    article = "Floods\n" + "\n".join(f"Petrov flew to Chile on {1 + i % 28} May {1900 + i}." for i in range(300))
    code, _ = run(tmp_path, article)
    assert code == 0 and len(drafts(tmp_path)) == 300


def test_publication_date_from_a_dateline_is_named_in_the_report(tmp_path):
    article = "Floods in the north\nOslo (Wire) May 23, 2018\nPetrov flew to Chile on Monday.\n"
    code, report = run(tmp_path, article, published=None)
    assert code == 0
    assert 'Published: 2018-05-23 (from the text: "Oslo (Wire) May 23, 2018")' in report
    assert [d["date"] for d in drafts(tmp_path).values()] == ["2018-05-21"]


def test_passing_mentions_are_reported_not_drafted(tmp_path):
    code, report = run(tmp_path, "Floods in the north\nPetrov said on Monday the floods were the worst since 1900.\n")
    assert code == 0
    assert "Mentioned in passing (not drafted):\n  1900" in report
    assert [d["date"] for d in drafts(tmp_path).values()] == ["2018-05-21"]


def test_a_publication_day_in_a_site_time_zone_is_one_day():
    from generator.dates import parse
    from generator.extract import read_article
    from zoneinfo import ZoneInfo

    published = parse("2018-05-23", ZoneInfo("Europe/Paris"))
    reading = read_article("Floods\nPetrov flew to Chile on Monday.\n", published, {})
    assert [h.date.edtf for h in reading.happenings] == ["2018-05-21"]


def test_no_source_is_written_when_nothing_new_is_drafted(tmp_path):
    make_site(tmp_path / "site", {"petrov-cancels": (
        "title: Petrov cancels his visit to Chile\ndate: 2018-05-23\nsummary: He stays.\n"
        "actors: [ivo-petrov, chile]\nsources: [earlier-report]\n")})
    code, report = run(tmp_path, "Floods\nPetrov cancelled his visit to Chile on Wednesday.\n")
    assert code == 0 and "Source: not written, as nothing new was drafted" in report
    assert [p.name for p in (tmp_path / "site" / "content" / "sources").iterdir()] == ["earlier-report.yml"]


def test_dates_before_year_one_are_reported_not_drafted(tmp_path):
    article = "Old wars\nThe revolt broke out in 499 BC. Petrov spoke of it on Monday.\n"
    code, report = run(tmp_path, article)
    assert code == 0
    assert "Before year 1 (the content format's dates start at year 1: not drafted):\n  499 BC  \"in 499 BC\"" in report
    assert "Unresolved" not in report
    assert [d["date"] for d in drafts(tmp_path).values()] == ["2018-05-21"]
