"""The checker: one test per rule of the content format, each with a small fixture."""
from pathlib import Path

import pytest

from generator.pipeline import check_site

from conftest import write_files

EVENT = """\
title: An event
date: 2017-05-29
actors: [macron]
summary: Something happened.
sources: [afp]
"""


def messages(site: Path, severity: str = "error") -> list[str]:
    return [f"{d.path}:{d.line}: {d.message}" for d in check_site(site).diagnostics if d.severity == severity]


def one(site: Path, fragment: str, severity: str = "error") -> str:
    found = [m for m in messages(site, severity) if fragment in m]
    assert len(found) == 1, messages(site, severity)
    return found[0]


def event(site: Path, name: str, text: str) -> Path:
    return write_files(site, {f"content/events/{name}.yml": text})


def test_minimal_site_is_clean(minimal_site: Path):
    report = check_site(minimal_site)
    assert report.diagnostics == [] and report.timeline is not None


@pytest.mark.parametrize("field", ["title", "date", "summary", "actors", "sources"])
def test_missing_required_field(minimal_site: Path, field: str):
    text = "\n".join(line for line in EVENT.replace("macron", "emmanuel-macron").replace("afp", "afp-red-line").splitlines() if not line.startswith(field))
    event(minimal_site, "e", text + "\n")
    assert one(minimal_site, f'missing required field "{field}"').startswith("content/events/e.yml:")


@pytest.mark.parametrize("value", ["yes", "no", "on", "NO", "2017", "3.5"])
def test_title_read_as_boolean_or_number_is_an_error(minimal_site: Path, value: str):
    event(minimal_site, "e", EVENT.replace("An event", value).replace("macron", "emmanuel-macron").replace("afp", "afp-red-line"))
    assert one(minimal_site, "title: expected text").startswith("content/events/e.yml:1:")


def test_location_read_as_boolean_is_an_error(minimal_site: Path):
    event(minimal_site, "e", EVENT.replace("macron", "emmanuel-macron").replace("afp", "afp-red-line") + "location: no\n")
    assert "put it in quotes" in one(minimal_site, "location:")


@pytest.mark.parametrize("date,words", [
    ("2018-02-30", "28 days"), ("05/06/2018", "ambiguous"), ("2018-05-25/2018-05-24", "ends before"), ("someday", ""),
])
def test_bad_dates(minimal_site: Path, date: str, words: str):
    event(minimal_site, "e", EVENT.replace("2017-05-29", date).replace("macron", "emmanuel-macron").replace("afp", "afp-red-line"))
    assert words in one(minimal_site, "date:")


def test_unknown_actor_and_source_get_did_you_mean(minimal_site: Path):
    event(minimal_site, "e", EVENT.replace("macron", "emmanuel-macronn").replace("afp", "afp-red-lin"))
    assert 'did you mean "emmanuel-macron"' in one(minimal_site, "unknown actor")
    assert 'did you mean "afp-red-line"' in one(minimal_site, "unknown source")


def test_actor_by_name_or_alias_any_case_and_accents(minimal_site: Path):
    write_files(minimal_site, {"content/actors/jean-yves-le-drian.yml": "name: Jean-Yves Le Drian\nkind: person\naliases: [Le Drian]\n"})
    event(minimal_site, "e", EVENT.replace("[macron]", "[MACRON, le drián]").replace("afp", "afp-red-line"))
    report = check_site(minimal_site)
    assert report.timeline is not None, report.diagnostics
    assert report.timeline.events_by_id["e"].actors == ("emmanuel-macron", "jean-yves-le-drian")


def test_ambiguous_alias(minimal_site: Path):
    write_files(minimal_site, {
        "content/actors/a.yml": "name: A\nkind: person\naliases: [The Minister]\n",
        "content/actors/b.yml": "name: B\nkind: person\naliases: [the minister]\n",
    })
    event(minimal_site, "e", EVENT.replace("[macron]", "[The Minister]").replace("afp", "afp-red-line"))
    assert "could be any of a, b" in one(minimal_site, "The Minister")


def test_misspelt_key_suggests_the_right_one(minimal_site: Path):
    event(minimal_site, "e", EVENT.replace("summary", "sumary").replace("macron", "emmanuel-macron").replace("afp", "afp-red-line"))
    assert 'did you mean "summary"' in one(minimal_site, "unknown field")


def test_duplicate_ids_across_sub_folders(minimal_site: Path):
    body = EVENT.replace("macron", "emmanuel-macron").replace("afp", "afp-red-line")
    event(minimal_site, "2017/same", body)
    event(minimal_site, "2018/same", body.replace("An event", "Another"))
    assert "content/events/2017/same.yml" in one(minimal_site, 'duplicate id "same"')


@pytest.mark.parametrize("bad_id", ["../up", "a/b", "Upper", "two--hyphens", "con", "x" * 81])
def test_ids_outside_the_slug_rule(minimal_site: Path, bad_id: str):
    body = EVENT.replace("macron", "emmanuel-macron").replace("afp", "afp-red-line")
    event(minimal_site, "e", body + f"id: '{bad_id}'\n")
    assert "id" in one(minimal_site, "id:")


def test_file_name_that_is_not_a_slug(minimal_site: Path):
    event(minimal_site, "Bad Name", EVENT.replace("macron", "emmanuel-macron").replace("afp", "afp-red-line"))
    assert 'try "bad-name"' in one(minimal_site, "is not a valid id")


def test_quotes_speaker_and_source(minimal_site: Path):
    event(minimal_site, "e", EVENT.replace("afp", "afp-red-line") + "quotes:\n  - by: nobody\n    text: hi\n  - by: france\n    text: ho\n")
    assert "quotes[1].by" in one(minimal_site, "unknown actor")
    assert "not among the event's actors" in one(minimal_site, "quotes[2].by", "warning")


def test_related_events_must_exist(minimal_site: Path):
    event(minimal_site, "e", EVENT.replace("macron", "emmanuel-macron").replace("afp", "afp-red-line") + "related: [red-lin, e]\n")
    assert 'did you mean "red-line"' in one(minimal_site, "unknown event")
    assert one(minimal_site, "related to itself")


def test_every_problem_is_reported_in_file_order(minimal_site: Path):
    event(minimal_site, "a", "title: yes\ndate: 2018-13\nactors: [nobody]\nsummary: s\nsources: [none]\n")
    event(minimal_site, "b", "title: [x]\n")
    found = messages(minimal_site)
    assert len(found) >= 6, found
    assert found == sorted(found, key=lambda m: (m.split(":")[0], int(m.split(":")[1])))


def test_unused_actor_and_source_warn(minimal_site: Path):
    write_files(minimal_site, {"content/actors/nobody.yml": "name: Nobody\nkind: other\n", "content/sources/unread.yml": "title: Unread\n"})
    assert one(minimal_site, 'actor "nobody"', "warning")
    assert one(minimal_site, 'source "unread"', "warning")


def test_state_used_through_its_members_is_not_unused(minimal_site: Path):
    assert not [m for m in messages(minimal_site, "warning") if "france" in m]


def test_lookalike_events_warn(minimal_site: Path):
    event(minimal_site, "copy", EVENT.replace("An event", "Macron draws a red line on chemical arms").replace("macron", "emmanuel-macron").replace("afp", "afp-red-line"))
    assert "red-line" in one(minimal_site, "same happening", "warning")


def test_occurred_after_every_source_warns_but_planned_does_not(minimal_site: Path):
    body = EVENT.replace("2017-05-29", "2017-07").replace("macron", "emmanuel-macron").replace("afp", "afp-red-line")
    event(minimal_site, "late", body)
    assert "status: planned" in one(minimal_site, "after the publication", "warning")
    event(minimal_site, "late", body + "status: planned\n")
    assert not [m for m in messages(minimal_site, "warning") if "after the publication" in m]


def test_role_that_ends_before_it_begins(minimal_site: Path):
    write_files(minimal_site, {"content/actors/emmanuel-macron.yml": "name: Emmanuel Macron\nkind: person\nroles:\n  - title: President\n    of: france\n    from: 2017-05-14\n    to: 2017-01\n"})
    assert "before it begins" in one(minimal_site, "roles[1].to")


def test_site_yml_errors_are_configuration_errors(minimal_site: Path):
    (minimal_site / "site.yml").write_text("title: T\ntimezone: Mars/Olympus\nbase_url: ftp://x\ntitel: y\n")
    report = check_site(minimal_site)
    assert report.config_failed
    text = "\n".join(d.message for d in report.diagnostics)
    assert "base_url" in text and 'did you mean "title"' in text


def test_unknown_timezone(minimal_site: Path):
    (minimal_site / "site.yml").write_text("title: T\ntimezone: Mars/Olympus\n")
    report = check_site(minimal_site)
    assert report.config_failed and "IANA" in report.diagnostics[0].message


def test_drafts_are_checked_but_left_out_unless_asked(minimal_site: Path):
    event(minimal_site, "d", EVENT.replace("An event", "A draft").replace("macron", "emmanuel-macron").replace("afp", "afp-red-line") + "draft: true\n")
    assert "d" not in check_site(minimal_site).timeline.events_by_id
    assert "d" in check_site(minimal_site, drafts=True).timeline.events_by_id


@pytest.mark.parametrize("tag", ["CON", "lpt1", "***"])
def test_tags_that_cannot_be_page_names(minimal_site: Path, tag: str):
    event(minimal_site, "e", EVENT.replace("macron", "emmanuel-macron").replace("afp", "afp-red-line") + f"tags: ['{tag}']\n")
    assert one(minimal_site, "tags:")


def test_a_million_actors_on_one_event_is_refused(minimal_site: Path):
    many = ", ".join(["france"] * 1_000_000)
    event(minimal_site, "e", EVENT.replace("[macron]", f"[{many}]").replace("afp", "afp-red-line"))
    (minimal_site / "site.yml").write_text("title: T\nmax_file_bytes: 20000000\n")
    assert "too many values" in one(minimal_site, "e.yml")


def test_hundred_thousand_character_title(minimal_site: Path):
    event(minimal_site, "e", EVENT.replace("An event", "x" * 100_000).replace("macron", "emmanuel-macron").replace("afp", "afp-red-line"))
    assert "at most 200" in one(minimal_site, "title:")


def test_file_over_the_configured_size_is_refused(minimal_site: Path):
    (minimal_site / "site.yml").write_text("title: T\nmax_file_bytes: 1000\n")
    event(minimal_site, "big", EVENT + "# " + "x" * 2000 + "\n")
    assert "over the limit of 1,000" in one(minimal_site, "big.yml")


def test_a_100_mb_file_is_refused_unread(minimal_site: Path):
    big = minimal_site / "content/events/huge.yml"
    with open(big, "wb") as handle:  # sparse: 100 MB long, nothing written to disk
        handle.truncate(100 * 1024 * 1024)
    assert "104,857,600 bytes, over the limit" in one(minimal_site, "huge.yml")


SOURCE = "title: Macron draws a red line\npublisher: Agence France-Presse\npublished: 2017-05-29\nurl: https://example.org/afp\n"


@pytest.mark.parametrize("broken,fragment", [
    (SOURCE.replace("https://", ""), "url:"),
    (SOURCE.replace("2017-05-29", "2011-12-32"), "published:"),
    (SOURCE.replace("2017-05-29", "16.12.2011"), "published:"),
    (SOURCE.replace("https://", "ftp://"), "url:"),
    (SOURCE.replace("https://", "javascript:"), "url:"),
    (SOURCE.replace("example.org/afp", "example.org/an article"), "url:"),
    (SOURCE.replace("title: Macron draws a red line\n", ""), 'missing required field "title"'),
])
def test_an_error_in_a_cited_source_is_reported_not_raised(minimal_site: Path, broken: str, fragment: str):
    write_files(minimal_site, {"content/sources/afp-red-line.yml": broken})
    assert one(minimal_site, fragment).startswith("content/sources/afp-red-line.yml:")


def test_an_actor_without_a_name_is_reported_not_raised(minimal_site: Path):
    write_files(minimal_site, {"content/actors/emmanuel-macron.yml": "kind: person\naliases: [Macron]\naffiliations: [france]\n"})
    assert one(minimal_site, 'missing required field "name"').startswith("content/actors/emmanuel-macron.yml:")


def test_did_you_mean_goes_through_names_and_aliases(minimal_site: Path):
    write_files(minimal_site, {"content/actors/jean-yves-le-drian.yml": "name: Jean-Yves Le Drian\nkind: person\naliases: [Le Drian]\n"})
    event(minimal_site, "e", EVENT.replace("[macron]", "[macron, le-drain]").replace("afp", "afp-red-line"))
    assert '"Le Drian", that is jean-yves-le-drian' in one(minimal_site, 'unknown actor "le-drain"')


def test_did_you_mean_for_a_quote_speaker_by_folded_name(minimal_site: Path):
    event(minimal_site, "e", EVENT.replace("afp", "afp-red-line") + "quotes:\n  - by: Emanuel Macron\n    text: hi\n")
    assert 'did you mean "emmanuel-macron"' in one(minimal_site, "quotes[1].by")


def test_did_you_mean_for_sources_and_related_events_by_title(minimal_site: Path):
    event(minimal_site, "e", EVENT.replace("macron", "emmanuel-macron").replace("afp", "macron-draws-a-red-line") + "related: [macron-draws-a-red-line-on-chemical-weapon]\n")
    assert 'that is afp-red-line' in one(minimal_site, "unknown source")
    assert 'that is red-line' in one(minimal_site, "unknown event")


@pytest.mark.parametrize("broken_file", ["content/events/other.yml", "content/actors/other.yml"])
def test_a_file_that_failed_to_parse_causes_no_usage_warnings(minimal_site: Path, broken_file: str):
    write_files(minimal_site, {
        "content/actors/nobody.yml": "name: Nobody\nkind: other\n",
        broken_file: "title: NISA: level 7\n",
    })
    assert one(minimal_site, "quote").startswith(broken_file)
    warned = [m for m in messages(minimal_site, "warning") if "named by no event" in m]
    assert warned == []


def test_usage_warnings_still_come_when_only_a_source_failed(minimal_site: Path):
    write_files(minimal_site, {"content/actors/nobody.yml": "name: Nobody\nkind: other\n", "content/sources/bad.yml": "title: [x]\n"})
    assert one(minimal_site, 'actor "nobody"', "warning")


def test_a_colon_in_a_list_item_asks_for_quotes(minimal_site: Path):
    event(minimal_site, "e", EVENT.replace("macron", "emmanuel-macron").replace("afp", "afp-red-line") + "tags:\n  - NISA: level 7\n")
    assert 'put the text in quotes, "NISA: level 7"' in one(minimal_site, "tags[1]")


@pytest.mark.parametrize("zone,hint", [("Asia/Tokio", 'did you mean "Asia/Tokyo"'), ("JST", '"Asia/Tokyo"'), ("europe/paris", '"Europe/Paris"')])
def test_time_zone_suggestions(minimal_site: Path, zone: str, hint: str):
    (minimal_site / "site.yml").write_text(f"title: T\ntimezone: {zone}\n")
    report = check_site(minimal_site)
    assert report.config_failed
    assert hint in one(minimal_site, "timezone:")


@pytest.mark.parametrize("language,hint", [("english", 'did you mean "en"'), ("en_US", 'did you mean "en-US"'), ("zz-top", "BCP 47")])
def test_language_must_be_a_bcp47_tag(minimal_site: Path, language: str, hint: str):
    (minimal_site / "site.yml").write_text(f"title: T\nlanguage: {language}\n")
    assert hint in one(minimal_site, "language:")


def test_valid_language_tags_pass(minimal_site: Path):
    (minimal_site / "site.yml").write_text("title: T\nlanguage: pt-BR\n")
    assert check_site(minimal_site).diagnostics == []


def test_base_url_without_a_scheme_gets_one_offered(minimal_site: Path):
    (minimal_site / "site.yml").write_text("title: T\nbase_url: example.org/my-story/\n")
    assert 'did you mean "https://example.org/my-story/"' in one(minimal_site, "base_url:")


@pytest.mark.parametrize("url,words", [("ftp://example.org/a", "only http and https"), ("javascript:alert(1)", "only http and https"), ("https://example.org/a b", "%20")])
def test_url_problems_in_plain_words(minimal_site: Path, url: str, words: str):
    write_files(minimal_site, {"content/sources/afp-red-line.yml": SOURCE.replace("https://example.org/afp", url)})
    assert words in one(minimal_site, "url:")


def test_a_date_message_points_at_the_value(minimal_site: Path):
    event(minimal_site, "e", EVENT.replace("2017-05-29", "2011-12-32").replace("macron", "emmanuel-macron").replace("afp", "afp-red-line"))
    error = next(d for d in check_site(minimal_site).diagnostics if d.message.startswith("date:"))
    assert (error.line, error.column) == (2, 7)


@pytest.mark.parametrize("date,advice", [
    ("early April 2011", "2011-04-01/2011-04-10"),
    ("mid-April", "it gives no year"),
    ("Spring 2011", "2011-03/2011-05"),
    ("2011-21", "EDTF code for spring"),
    ("2011-03-11 14:00 JST", "2011-03-11T14:00+09:00"),
    ("c. 2011", "2011~ means approximate"),
])
def test_tailored_date_advice(minimal_site: Path, date: str, advice: str):
    event(minimal_site, "e", EVENT.replace("2017-05-29", f"'{date}'").replace("macron", "emmanuel-macron").replace("afp", "afp-red-line"))
    assert advice in one(minimal_site, "date:")


def test_date_examples_use_the_authors_year(minimal_site: Path):
    event(minimal_site, "e", EVENT.replace("2017-05-29", "'2005 or so'").replace("macron", "emmanuel-macron").replace("afp", "afp-red-line"))
    message = one(minimal_site, "date:")
    assert "2005-05-29" in message and not any(year in message for year in ("2011", "2017", "2018")), message


def test_warnings_left_for_later_are_the_warnings_found_at_once(minimal_site: Path):
    from generator.pipeline import load_site

    write_files(minimal_site, {
        "content/actors/nobody.yml": "name: Nobody\nkind: person\n",  # named by no event
        "content/events/red-line-again.yml": (minimal_site / "content/events/red-line.yml").read_text(),  # a lookalike
    })
    at_once = load_site(minimal_site)
    later = load_site(minimal_site, later=True)
    assert later.timeline is not None and len(later.pending) == 1
    assert not any("named by no event" in d.message for d in later.diagnostics)
    assert later.with_warnings().diagnostics == at_once.diagnostics
    assert any("named by no event" in d.message for d in at_once.diagnostics)
    assert any("looks like the same happening" in d.message for d in at_once.diagnostics)
