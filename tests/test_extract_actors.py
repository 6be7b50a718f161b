"""Actors named in an article, and suggestions for names that match none."""
from __future__ import annotations

from generator.extract.actors import actors_between, find_actors, suggest_actors
from generator.extract.text import split_sentences
from generator.model import Actor

ACTORS = {a.id: a for a in (
    Actor("ana-lopez-garcia", "Ana López García", "person", aliases=("López",)),
    Actor("norway", "Norway", "state"),
    Actor("united-states", "United States", "state", aliases=("US",)),
    Actor("le-drian", "Jean-Yves Le Drian", "person", aliases=("Le Drian",)),
    Actor("cavusoglu", "Mevlüt Çavuşoğlu", "person"),
    Actor("france", "France", "state"),
    Actor("north-league", "North League", "organization", aliases=("the League",)),
    Actor("south-league", "South League", "organization", aliases=("the League",)),
)}


def named(article: str) -> list[str]:
    return [m.actor for m in find_actors(article, ACTORS)]


def suggested(article: str) -> list[str]:
    mentions = find_actors(article, ACTORS)
    return [name for name, _ in suggest_actors(article, split_sentences(article), mentions)]


def test_accents_and_case_are_folded_both_ways():
    assert named("Ana Lopez Garcia spoke.") == ["ana-lopez-garcia"]
    assert named("Mevlut Cavusoglu and MEVLÜT ÇAVUŞOĞLU.") == ["cavusoglu", "cavusoglu"]


def test_possessives_straight_and_curly():
    assert named("Norway's envoy and Le Drian’s advisers met.") == ["norway", "le-drian"]


def test_the_longest_name_wins():
    mentions = find_actors("Jean-Yves Le Drian arrived.", ACTORS)
    assert [(m.actor, m.words) for m in mentions] == [("le-drian", "Jean-Yves Le Drian")]


def test_an_acronym_must_be_in_capitals():
    assert named("He told us that the US would stay.") == ["united-states"]


def test_a_name_inside_a_hyphenated_word_is_not_the_actor():
    assert named("Agence France-Presse reported it.") == []


def test_an_alias_of_two_actors_names_neither():
    assert named("the League voted.") == []


def test_no_partial_words():
    assert named("Norwegians and Frenchmen.") == []


def test_actors_between_keeps_the_first_mention_order():
    article = "Norway and France met; Norway left."
    mentions = find_actors(article, ACTORS)
    assert actors_between(mentions, 0, len(article)) == ("norway", "france")
    assert actors_between(mentions, 5, len(article)) == ("france", "norway")


def test_suggestions_drop_titles_and_known_actors():
    article = "Foreign Minister Ivo Petrov met Norway's envoy. Kremlin Spokesman Oleg Marin agreed."
    assert suggested(article) == ["Ivo Petrov", "Oleg Marin"]


def test_suggestions_skip_months_weekdays_and_sentence_openers():
    article = "Although the talks failed, Ivo Petrov stayed. On Monday in May, nothing moved. The talks went on."
    assert suggested(article) == ["Ivo Petrov"]


def test_suggestions_skip_demonyms_and_common_words_used_alone():
    article = "The Norwegian and French envoys met. The Regime said the regime would stay."
    assert suggested(article) == []


def test_suggestions_keep_name_particles_and_count():
    article = "Bashar al-Assad spoke. Later, Bashar al-Assad left for Minsk."
    assert suggested(article) == ["Bashar al-Assad", "Minsk"]
    mentions = find_actors(article, ACTORS)
    assert suggest_actors(article, split_sentences(article), mentions)[0] == ("Bashar al-Assad", 2)


def test_a_name_known_by_its_last_word_is_not_suggested():
    assert suggested("Jean-Yves Le Drian and Rafael López spoke.") == []


def test_possessive_ends_a_suggested_name():
    assert suggested("Minsk’s mayor Ivo Petrov spoke.") == ["Minsk", "Ivo Petrov"]


def test_abbreviated_months_weekdays_and_time_zones_are_not_names():
    assert suggested("MOSCOW, Dec 31 (Wire) - Gazprom said on Sun it would act from 0700 GMT Monday.") == ["MOSCOW", "Wire", "Gazprom"]
