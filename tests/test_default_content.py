"""The repository's own timeline (content/) loads cleanly, with the dates worked out.

The dates below were worked out from the five seed articles (France's diplomacy over
the Syrian war, 2016–2018); each event's `date_note` says how. These tests pin them so
that a change to the content or to the date parser cannot move them silently.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.dates import Precision
from generator.pipeline import load_timeline

ROOT = Path(__file__).resolve().parents[1]

IRAN_NEWS_UPDATE = "iran-news-update-2018-02-le-drian-international-law"
TASS = "tass-2018-05-23-foreign-forces"
FRENCH_MFA = "french-mfa-2018-09-04-idlib-de-escalation"
NEW_ARAB = "new-arab-2017-05-30-macron-immediate-retaliation"
AFP = "afp-2018-09-06-idlib-humanitarian-deflagration"

# event id → (EDTF text, precision, a source that reports it)
EXPECTED_DATES = {
    # Iran News Update, published 7–13 Feb 2018 ("on Wednesday" = 7 Feb 2018)
    "2018-02-07-le-drian-bfm-interview": ("2018-02-07", Precision.DAY, IRAN_NEWS_UPDATE),
    "2018-02-07-cavusoglu-talks-in-tehran": ("2018-02-07", Precision.DAY, IRAN_NEWS_UPDATE),
    "2018-03-le-drian-visit-to-tehran": ("2018-03", Precision.MONTH, IRAN_NEWS_UPDATE),
    "2015-iran-nuclear-deal": ("2015", Precision.YEAR, IRAN_NEWS_UPDATE),
    "2017-le-drian-accuses-iran-of-hegemonic-aspirations": ("2017-02/2018-02", Precision.MONTH, IRAN_NEWS_UPDATE),
    # TASS, 23 May 2018
    "2018-05-23-le-drian-france-inter-interview": ("2018-05-23", Precision.DAY, TASS),
    "2018-05-24-macron-visit-to-st-petersburg": ("2018-05-24/2018-05-25", Precision.DAY, TASS),
    "2018-05-putin-assad-sochi-meeting": ("2018-05-14/2018-05-20", Precision.DAY, TASS),
    # French foreign ministry statement of 3 Sept 2018, published 4 Sept 2018
    "2018-09-03-french-statement-on-idlib": ("2018-09-03", Precision.DAY, FRENCH_MFA),
    "2018-08-27-macron-ambassadors-conference": ("2018-08-27", Precision.DAY, FRENCH_MFA),
    "2018-04-douma-chemical-attack": ("2018-04", Precision.MONTH, FRENCH_MFA),
    # The New Arab, 30 May 2017 ("on Monday" = 29 May 2017)
    "2017-05-29-macron-putin-versailles-red-line": ("2017-05-29", Precision.DAY, NEW_ARAB),
    "2017-04-04-khan-sheikhoun-chemical-attack": ("2017-04-04", Precision.DAY, NEW_ARAB),
    "2017-04-us-strike-on-shayrat-airbase": ("2017-04~", Precision.MONTH, NEW_ARAB),
    "2016-10-putin-cancels-paris-visit": ("2016-10", Precision.MONTH, NEW_ARAB),
    # AFP, Thursday 6 Sept 2018, a day before the Tehran summit
    "2018-09-06-le-drian-athens-humanitarian-deflagration": ("2018-09-06", Precision.DAY, AFP),
    "2018-09-07-tehran-tripartite-summit": ("2018-09-07", Precision.DAY, AFP),
    "2018-04-western-strikes-on-syria": ("2018-04", Precision.MONTH, AFP),
}

EXPECTED_PUBLISHED = {
    IRAN_NEWS_UPDATE: "2018-02-07/2018-02-13",
    TASS: "2018-05-23",
    FRENCH_MFA: "2018-09-04",
    NEW_ARAB: "2017-05-30",
    AFP: "2018-09-06",
}

PLANNED = {
    "2018-03-le-drian-visit-to-tehran",
    "2018-05-24-macron-visit-to-st-petersburg",
    "2018-09-07-tehran-tripartite-summit",
}


@pytest.fixture(scope="module")
def loaded():
    return load_timeline(ROOT)


@pytest.fixture(scope="module")
def timeline(loaded):
    timeline, _ = loaded
    assert timeline is not None, "the default content has errors"
    return timeline


@pytest.fixture(scope="module")
def events(timeline):
    return {event.id: event for event in timeline.events}


def test_default_content_has_no_errors(loaded):
    _, diagnostics = loaded
    errors = [d.text() for d in diagnostics if d.severity == "error"]
    assert errors == []


def test_default_content_has_no_warnings(loaded):
    _, diagnostics = loaded
    warnings = [d.text() for d in diagnostics if d.severity == "warning"]
    assert warnings == []


def test_expected_events_span_all_five_articles():
    assert {source for _, _, source in EXPECTED_DATES.values()} == set(EXPECTED_PUBLISHED)


@pytest.mark.parametrize("event_id", sorted(EXPECTED_DATES))
def test_event_date_and_precision(events, event_id):
    edtf, precision, source = EXPECTED_DATES[event_id]
    event = events[event_id]
    assert event.date.edtf == edtf
    assert event.date.precision == precision
    assert source in {citation.source for citation in event.sources}
    assert event.date_note, f"{event_id} should say how its date was worked out"


@pytest.mark.parametrize("event_id", sorted(PLANNED))
def test_announced_events_are_planned(events, event_id):
    assert events[event_id].status == "planned"


def test_sources_publication_dates(timeline):
    sources = timeline.sources  # a mapping: source id → Source
    for source_id, published in EXPECTED_PUBLISHED.items():
        assert sources[source_id].published.edtf == published, source_id


def test_happenings_reported_twice_are_one_event(events):
    """Same happening in two articles: one event citing both."""
    versailles = {c.source for c in events["2017-05-29-macron-putin-versailles-red-line"].sources}
    assert versailles == {NEW_ARAB, IRAN_NEWS_UPDATE}
    douma = {c.source for c in events["2018-04-douma-chemical-attack"].sources}
    assert douma == {FRENCH_MFA, AFP}
