"""Happenings, draft files and the source file made from an article."""
from __future__ import annotations

from datetime import date

import pytest
import yaml

from generator.dates import parse
from generator.extract.actors import find_actors
from generator.extract.drafts import (
    MAX_TITLE, Happening, article_title, draft_id, draft_yaml, free_id, group_happenings, is_planned,
    probably_existing, same_window, source_id_for, source_yaml, write_new,
)
from generator.extract.temporal import Expression, find_expressions
from generator.extract.text import split_sentences
from generator.model import Actor, Citation, Event

ACTORS = {a.id: a for a in (
    Actor("norway", "Norway", "state"),
    Actor("ivo-petrov", "Ivo Petrov", "person", aliases=("Petrov",)),
    Actor("chile", "Chile", "state"),
)}
PUBLISHED = date(2018, 5, 23)


def happenings(article: str) -> list[Happening]:
    sentences = split_sentences(article)
    expressions = find_expressions(article, sentences, PUBLISHED)
    return group_happenings(sentences, expressions, find_actors(article, ACTORS))


def event(event_id: str, when: str, actors: tuple[str, ...]) -> Event:
    return Event(event_id, "A title", parse(when), "Summary.", actors, (Citation("some-source"),))


# --- happenings ------------------------------------------------------------------------------


def test_one_happening_per_distinct_date_of_a_sentence():
    found = happenings("Petrov left Norway on Tuesday, a day before the vote. Chile protested on Tuesday.")
    assert [(h.date.edtf, h.actors) for h in found] == [
        ("2018-05-22", ("ivo-petrov", "norway")),
        ("2018-05-23", ("ivo-petrov", "norway")),
        ("2018-05-22", ("chile",)),
    ]


def test_undated_sentences_join_the_dated_one_before_them():
    article = "Petrov spoke on Monday.\n\nHe said Chile was right. Norway agreed.\n\nNo date here either."
    [only] = happenings(article)
    assert only.excerpt == "Petrov spoke on Monday. He said Chile was right. Norway agreed. No date here either."
    assert only.actors == ("ivo-petrov", "chile", "norway")


def test_undated_sentences_before_any_date_join_nothing():
    assert happenings("Chile was calm. Norway too.") == []


def test_a_repeated_sentence_counts_once():
    article = "Petrov will visit Oslo on May 28\n\nPetrov will visit Oslo on May 28 and meet the king."
    assert len(happenings(article)) == 1


# --- probably existing -------------------------------------------------------------------------


@pytest.mark.parametrize("a, b, same", [
    ("2018-05-22", "2018-05-22", True),
    ("2018-05-14/2018-05-20", "2018-05-17", True),
    ("2018-05", "2018-05-17", True),
    ("2018-05-22", "2018-05-23", False),
    ("2017", "2017-05-17", False),
    ("2017", "2017", True),
    ("2018-04", "2018-05", False),
])
def test_same_window(a, b, same):
    assert same_window(parse(a), parse(b)) is same


def test_probably_existing_needs_a_shared_actor_and_the_same_window():
    [happening] = happenings("Petrov spoke in Norway on Monday.")
    assert probably_existing(happening, [event("chile-talks", "2018-05-21", ("chile",))]) is None
    assert probably_existing(happening, [event("old-talks", "2018-05-14", ("norway",))]) is None
    found = probably_existing(happening, [
        event("norway-talks", "2018-05-21", ("norway",)),
        event("petrov-norway", "2018-05", ("norway", "ivo-petrov")),
    ])
    assert found.id == "petrov-norway"


# --- the files' text --------------------------------------------------------------------------


def test_draft_yaml_fields():
    [happening] = happenings("Petrov spoke to the radio on Monday.")
    text = draft_yaml(happening, "radio-2018-05-23", "article.txt")
    data = yaml.safe_load(text)
    assert data == {
        "title": "Petrov spoke to the radio",
        "date": "2018-05-21",
        "date_note": '"on Monday", counted from the publication date 2018-05-23',
        "actors": ["ivo-petrov"],
        "sources": ["radio-2018-05-23"],
        "summary": data["summary"],
        "draft": True,
    }
    assert data["summary"].startswith("TODO")
    assert "#   Petrov spoke to the radio on Monday." in text
    assert parse(data["date"]).edtf == "2018-05-21"


def test_draft_without_a_known_actor_has_no_placeholder_actor():
    [happening] = happenings("The floods began on Monday.")
    text = draft_yaml(happening, "s", "article.txt")
    assert yaml.safe_load(text)["actors"] == []
    assert "# No known actor is named" in text and "TODO" not in text.split("summary:")[0]


def test_planned_happening():
    [happening] = happenings("Petrov will travel to Chile on Friday.")
    assert is_planned(happening, parse("2018-05-23"))
    assert not is_planned(happening, None)
    data = yaml.safe_load(draft_yaml(happening, "s", "article.txt", planned=True))
    assert data["status"] == "planned"


def test_title_is_cut_at_a_word_within_the_limit():
    article = "Petrov spoke on Monday " + "about the very long list of grievances " * 10 + "at length."
    [happening] = happenings(article)
    title = yaml.safe_load(draft_yaml(happening, "s", "a.txt"))["title"]
    assert len(title) <= MAX_TITLE and title.endswith("…") and "\n" not in title


def test_source_yaml():
    data = yaml.safe_load(source_yaml("Floods in the north", parse("2018-05-23"), "a.txt"))
    assert data == {"title": "Floods in the north", "published": "2018-05-23"}
    assert yaml.safe_load(source_yaml(None, None, "a.txt"))["title"].startswith("TODO")


@pytest.mark.parametrize("article, title", [
    ("Skip to main content\nFloods in the north: thousands flee\n\nText.", "Floods in the north: thousands flee"),
    ("All news\n\nFloods hit the north\nText.", "Floods hit the north"),
    ("Floods " * 60 + "\nText.", None),
])
def test_article_title(article, title):
    assert article_title(article) == title


# --- ids and files ----------------------------------------------------------------------------


def test_ids():
    [happening] = happenings("Petrov spoke to the radio on Monday about the floods in the north.")
    assert draft_id(happening) == "2018-05-21-petrov-spoke-to-the-radio-about-the-floods"
    assert source_id_for("Floods in the north", parse("2018-05-23"), "a.txt") == "2018-05-23-floods-in-the-north"
    assert source_id_for(None, None, "My Article.txt") == "my-article"


def test_free_id_adds_a_numeric_suffix_within_the_length_limit():
    assert free_id("talks", set()) == "talks"
    assert free_id("talks", {"talks", "talks-2"}) == "talks-3"
    long_id = "a" * 80
    assert free_id(long_id, {long_id}) == "a" * 78 + "-2"


def test_write_new_never_overwrites(tmp_path):
    (tmp_path / "talks.yml").write_text("mine\n")
    written = write_new(tmp_path, "talks", "draft\n", set())
    assert written.name == "talks-2.yml"
    assert (tmp_path / "talks.yml").read_text() == "mine\n"
    assert written.read_text() == "draft\n"


def test_expression_note_when_unresolved():
    expression = Expression("on Monday", 0, 9, problem="needs the publication date (pass --published)")
    assert expression.note == '"on Monday": needs the publication date (pass --published)'


def test_passing_mentions_are_not_drafted():
    found = happenings("Petrov said on Monday the floods were the worst since 1900.")
    assert [h.date.edtf for h in found] == ["2018-05-21"]


def test_quotes_are_drafted_with_their_speaker():
    [happening] = happenings('Petrov said on Monday: "We will rebuild every bridge in Norway." The talks went on.')
    data = yaml.safe_load(draft_yaml(happening, "s", "a.txt"))
    assert data["quotes"] == [{"by": "ivo-petrov", "text": "We will rebuild every bridge in Norway.", "source": "s"}]


def test_a_quote_without_a_known_speaker_is_left_as_a_comment():
    [happening] = happenings('The mayor said on Monday: "Nobody will be left behind here."')
    text = draft_yaml(happening, "s", "a.txt")
    assert "quotes" not in yaml.safe_load(text)
    assert "# Quoted, speaker not recognised: Nobody will be left behind here." in text


def test_short_quoted_phrases_are_not_quotes():
    [happening] = happenings('Petrov called the plan "a farce" on Monday.')
    assert happening.quotes == ()


@pytest.mark.parametrize("article, title", [
    ("March 12: Workers open a vent to release pressure at reactor 1.", "Workers open a vent to release pressure at reactor 1"),
    ("On Monday, Petrov flew to Oslo, his office said.", "Petrov flew to Oslo"),
    ("OSLO (AFP) - Rescue teams arrived on Tuesday in the flooded valley.", "Rescue teams arrived in the flooded valley"),
    ("Petrov met the king on Monday after a long flight across the sea from the far north where the floods had "
     "cut every road, and then he spoke.", "Petrov met the king after a long flight across the sea from the far north where …"),
])
def test_titles_are_cleaned_sentences(article, title):
    [happening] = happenings(article)
    assert yaml.safe_load(draft_yaml(happening, "s", "a.txt"))["title"] == title
