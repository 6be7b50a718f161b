"""Temporal expressions: found in made-up articles and resolved against publication."""
from __future__ import annotations

from datetime import date

import pytest

from generator.dates import Precision
from generator.extract.temporal import AncientDate, find_expressions, find_publication, is_future
from generator.extract.text import split_sentences

WEDNESDAY = date(2018, 5, 23)


def resolved(article: str, published: date | None = WEDNESDAY) -> dict[str, str | None]:
    """words → EDTF text (None when unresolved)."""
    expressions = find_expressions(article, split_sentences(article), published)
    return {e.words: e.date.edtf if e.date else None for e in expressions}


def only(article: str, published: date | None = WEDNESDAY):
    expressions = find_expressions(article, split_sentences(article), published)
    assert len(expressions) == 1, expressions
    return expressions[0]


# --- explicit dates -----------------------------------------------------------------------


@pytest.mark.parametrize("article, words, edtf", [
    ("The treaty was signed on 24 May 2018 in Vienna.", "24 May 2018", "2018-05-24"),
    ("The report came out on September 3, 2018, after delays.", "September 3, 2018", "2018-09-03"),
    ("In May 2017, the council voted for sanctions.", "In May 2017", "2017-05"),
    ("The envoys meet in Rome on May 24-25 to draft a text.", "May 24-25", "2018-05-24/2018-05-25"),
    ("The summit runs from 24-25 May in Rome.", "24-25 May", "2018-05-24/2018-05-25"),
    ("The fair is open 30 May-2 June in the old port.", "30 May-2 June", "2018-05-30/2018-06-02"),
    ("The fair was open 30 May–2 June 2017 in the old port.", "30 May–2 June 2017", "2017-05-30/2017-06-02"),
    ("Inspectors said the April 4 shelling killed dozens.", "April 4", "2018-04-04"),
    ("The accord, dated 2018-05-02, was leaked.", "2018-05-02", "2018-05-02"),
    ("Talks stalled in 2015 and never resumed.", "2015", "2015"),
    ("Critics recalled the 2013 agreement on stockpiles.", "2013", "2013"),
])
def test_explicit_dates(article, words, edtf):
    assert resolved(article) == {words: edtf}


def test_explicit_date_keeps_its_precision_and_says_it_was_written():
    expression = only("In May 2017, the council voted.")
    assert expression.date.precision == Precision.MONTH
    assert expression.anchor == "as written"
    assert expression.note == '"In May 2017", as written'


def test_day_and_month_take_the_year_nearest_publication():
    assert resolved("The siege began on December 28.", date(2019, 1, 3)) == {"December 28": "2018-12-28"}
    assert resolved("Elections are held on January 5.", date(2018, 12, 20)) == {"January 5": "2019-01-05"}
    assert only("Inspectors said the April 4 shelling killed dozens.").anchor == \
        "the year from the publication date 2018-05-23"


def test_a_range_across_the_new_year():
    assert resolved("The truce held 28 December-3 January.", date(2019, 1, 10)) == \
        {"28 December-3 January": "2018-12-28/2019-01-03"}


def test_may_the_verb_and_may_the_name_are_no_dates():
    assert resolved("Officials may meet. Theresa May spoke to the press.") == {}


def test_numbers_that_are_not_years_or_days():
    assert resolved("A two-day visit, 17 reports and 3000 troops were mentioned.") == {}


# --- weekdays -----------------------------------------------------------------------------


def test_weekday_that_is_the_publication_day_itself():
    assert resolved("The ministers met on Wednesday in Geneva.") == {"on Wednesday": "2018-05-23"}


def test_past_weekday_is_the_latest_before_publication():
    assert resolved("The envoy arrived on Monday.") == {"on Monday": "2018-05-21"}
    assert resolved("The talks ended on Friday without a deal.") == {"on Friday": "2018-05-18"}
    assert resolved("The minister said Thursday that talks would go on.") == {"Thursday": "2018-05-17"}


def test_future_weekday_is_the_next_one():
    assert resolved("The delegation will travel to Oslo on Friday.") == {"on Friday": "2018-05-25"}
    assert resolved("The vote is due to take place in the assembly on Friday.") == {"on Friday": "2018-05-25"}
    assert resolved("The foreign ministers will meet again next Wednesday.") == {"next Wednesday": "2018-05-30"}
    assert resolved("On Friday, the envoy will travel to Oslo.") == {"On Friday": "2018-05-25"}


def test_future_elsewhere_in_the_sentence_does_not_count():
    article = "The envoy, who will retire soon, told the radio on Monday that talks will resume."
    assert resolved(article) == {"on Monday": "2018-05-21"}


def test_last_and_next_weekday_and_possessive():
    assert resolved("The rally last Wednesday drew thousands.") == {"last Wednesday": "2018-05-16"}
    assert resolved("The envoy comes back next Monday.") == {"next Monday": "2018-05-28"}
    assert resolved("Tuesday's vote split the party.") == {"Tuesday's": "2018-05-22"}


def test_weekday_note_names_the_anchor():
    assert only("The envoy arrived on Monday.").note == '"on Monday", counted from the publication date 2018-05-23'


# --- days and periods counted from publication ------------------------------------------


@pytest.mark.parametrize("article, words, edtf", [
    ("Shelling resumed yesterday near the border.", "yesterday", "2018-05-22"),
    ("The council meets today to vote.", "today", "2018-05-23"),
    ("The council votes tomorrow.", "tomorrow", "2018-05-24"),
    ("The envoy will go to Cairo next month.", "next month", "2018-06"),
    ("Prices rose sharply last month.", "last month", "2018-04"),
    ("Talks broke down last year.", "last year", "2017"),
    ("Two towns fell earlier this year.", "earlier this year", "2018-01/2018-05"),
    ("Inspectors visited the site last week.", "last week", "2018-05-14/2018-05-20"),
    ("Inspectors return next week.", "next week", "2018-05-28/2018-06-03"),
    ("The army withdrew two weeks ago.", "two weeks ago", "2018-05-09~"),
])
def test_relative_to_publication(article, words, edtf):
    assert resolved(article) == {words: edtf}


def test_last_week_across_a_month_boundary():
    assert resolved("Inspectors visited the site last week.", date(2018, 6, 4)) == \
        {"last week": "2018-05-28/2018-06-03"}


def test_last_week_across_a_year_boundary():
    assert resolved("Inspectors visited the site last week.", date(2019, 1, 2)) == \
        {"last week": "2018-12-24/2018-12-30"}


def test_last_week_is_an_interval_of_days():
    expression = only("Inspectors visited the site last week.")
    assert expression.date.is_interval and expression.date.precision == Precision.DAY


def test_over_the_past_year_is_a_duration_not_a_date():
    assert resolved("Relations have soured over the past year and in the last year.") == {}


# --- bare months ----------------------------------------------------------------------------


def test_bare_month_is_the_latest_on_or_before_publication():
    assert resolved("Rebels shelled the town in April.") == {"in April": "2018-04"}
    assert resolved("Rebels shelled the town in April.", date(2018, 3, 10)) == {"in April": "2017-04"}
    assert resolved("The fighting in May was the worst.") == {"in May": "2018-05"}


def test_bare_month_in_future_tense_is_the_next_one():
    assert resolved("The country will hold elections in April.", date(2018, 3, 10)) == {"in April": "2018-04"}
    assert resolved("The country will hold elections in April.", date(2018, 5, 23)) == {"in April": "2019-04"}


def test_bare_month_precision():
    assert only("Rebels shelled the town in April.").date.precision == Precision.MONTH


# --- shifts from another expression --------------------------------------------------------


def test_a_day_before_a_later_happening():
    article = "The rebels withdrew on Tuesday, a day before the ceasefire took effect."
    assert resolved(article) == {"on Tuesday": "2018-05-22", "a day before": "2018-05-23"}


def test_a_day_before_a_dated_happening():
    article = "The convoy left a day before the summit on 30 May."
    assert resolved(article) == {"a day before": "2018-05-29", "30 May": "2018-05-30"}


def test_months_after_is_approximate_at_month_precision():
    article = "The accord was signed on 12 March 2018, seven months after the talks began."
    expressions = resolved(article)
    assert expressions == {"12 March 2018": "2018-03-12", "seven months after": "2017-08~"}
    assert only("Talks resumed three days later.", None).problem  # no anchor at all


def test_shift_note_names_the_expression_it_counts_from():
    article = "The rebels withdrew on Tuesday, a day before the ceasefire took effect."
    shift = find_expressions(article, split_sentences(article), WEDNESDAY)[1]
    assert shift.anchor == 'counted from "on Tuesday" (2018-05-22)'


def test_later_counts_from_the_previous_sentence():
    article = "The dam was hit on 2 May 2018. A week later, engineers reached it."
    assert resolved(article) == {"2 May 2018": "2018-05-02", "A week later": "2018-05-09~"}


# --- without a publication date ----------------------------------------------------------------


def test_relative_expressions_stay_unresolved_without_publication():
    article = "The envoy arrived on Monday. The treaty was signed on 24 May 2018. Talks resume next month."
    found = {e.words: e for e in find_expressions(article, split_sentences(article), None)}
    assert found["24 May 2018"].date.edtf == "2018-05-24"
    assert found["on Monday"].date is None and "--published" in found["on Monday"].problem
    assert found["next month"].date is None


def test_skipped_spans_are_not_read():
    article = "GENEVA, May 23 - The envoy arrived on Monday."
    found = find_expressions(article, split_sentences(article), WEDNESDAY, skip=[(0, 13)])
    assert [e.words for e in found] == ["on Monday"]


# --- the publication date the text states ---------------------------------------------------


def test_published_on_line():
    article = "Ceasefire talks\n\nPublished on March 12, 2018\nThe envoy arrived on Monday."
    stated = find_publication(article)
    assert stated.date == date(2018, 3, 12) and stated.words == "Published on March 12, 2018"


def test_updated_line_when_nothing_else():
    stated = find_publication("Ceasefire talks\nUpdated: 14 March 2018\nThe envoy arrived.")
    assert stated.date == date(2018, 3, 14)


def test_published_wins_over_updated():
    stated = find_publication("Updated: 14 March 2018\nPublished: 12 March 2018\nText.")
    assert stated.date == date(2018, 3, 12)


def test_dateline_without_a_year_gives_no_date():
    stated = find_publication("GENEVA, March 12. /Agency/. The envoy arrived on Monday.")
    assert stated.date is None and stated.problem == "gives no year"
    assert stated.words == "GENEVA, March 12"


def test_dateline_with_a_year():
    assert find_publication("GENEVA, March 12, 2018 (Agency) - The envoy arrived.").date == date(2018, 3, 12)


def test_dateline_with_a_country_after_the_city():
    assert find_publication("KOBE, Japan, Jan. 17, 2005 - The city remembers.").date == date(2005, 1, 17)


def test_no_stated_date():
    assert find_publication("The envoy arrived on Monday in Geneva.") is None


# --- tense ------------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, words, future", [
    ("The envoy will go to Oslo on Friday.", "on Friday", True),
    ("The envoy went to Oslo on Friday.", "on Friday", False),
    ("They are scheduled to meet on Friday.", "on Friday", True),
    ("On Friday, they'll meet in Oslo.", "On Friday", True),
    ("Although talks will resume, the envoy left on Friday.", "on Friday", False),
])
def test_is_future(sentence, words, future):
    start = sentence.index(words)
    assert is_future(split_sentences(sentence)[0], start, start + len(words)) is future


def test_this_weekday_is_in_the_week_of_publication():
    assert resolved("The envoy lands this Friday.") == {"this Friday": "2018-05-25"}
    assert resolved("The envoy landed this Monday.") == {"this Monday": "2018-05-21"}


def test_range_with_both_years_written():
    assert resolved("The mission ran 28 December 2017-3 January 2018.") == \
        {"28 December 2017-3 January 2018": "2017-12-28/2018-01-03"}
    assert resolved("The mission ran 28 December-3 January 2018.") == \
        {"28 December-3 January 2018": "2017-12-28/2018-01-03"}


def test_sentences_do_not_end_after_abbreviations_or_initials():
    article = "Mr. Petrov flew to St. Petersburg with J. Smith. He left on Monday.\nA new line starts here."
    assert [s.text for s in split_sentences(article)] == [
        "Mr. Petrov flew to St. Petersburg with J. Smith.", "He left on Monday.", "A new line starts here."]
    assert [s.paragraph for s in split_sentences(article)] == [0, 0, 1]


def test_dates_beyond_the_calendar_are_unresolved_not_errors():
    article = "Talks resume next year. A day later, all left. They met yesterday."
    found = {e.words: e for e in find_expressions(article, split_sentences(article), date(9998, 12, 31))}
    assert found["next year"].problem == "falls outside the years a date can have"
    assert found["yesterday"].date.edtf == "9998-12-30"
    assert find_expressions("It ended yesterday.", split_sentences("It ended yesterday."), date(1, 1, 1))[0].problem


# --- ranges read as intervals ------------------------------------------------------------


@pytest.mark.parametrize("article, words, edtf", [
    ("The talks ran from Nov. 15 to 26 in Bonn.", "Nov. 15 to 26", "2018-11-15/2018-11-26"),
    ("Prices were fixed from 1999 to 2001.", "from 1999 to 2001", "1999/2001"),
    ("Prices were fixed between 1999 and 2001.", "between 1999 and 2001", "1999/2001"),
    ("The strike lasted from April to August 2005.", "from April to August 2005", "2005-04/2005-08"),
    ("The price for 2008-2010 was agreed.", "2008-2010", "2008/2010"),
    ("The war of 1914-18 changed the map.", "1914-18", "1914/1918"),
    ("The attack was repulsed between 8 November and 23 November 1936.", "between 8 November and 23 November 1936",
     "1936-11-08/1936-11-23"),
    ("Between January 12 and January 16, 1936, the army advanced.", "Between January 12 and January 16, 1936",
     "1936-01-12/1936-01-16"),
    ("Talks ran between 4 and 10 May 1990.", "between 4 and 10 May 1990", "1990-05-04/1990-05-10"),
    ("The two battles were fought on April 6-7 and from April 13-15.", "April 13-15", "2018-04-13/2018-04-15"),
    ("Leaders meet in Hamburg on July 7 and 8.", "July 7 and 8", "2018-07-07/2018-07-08"),
])
def test_ranges_are_intervals(article, words, edtf):
    found = resolved(article)
    assert found[words] == edtf


def test_weekday_range_around_publication():
    assert resolved("The fair is open from Wednesday to Saturday.") == {"from Wednesday to Saturday": "2018-05-23/2018-05-26"}


def test_two_years_joined_by_and_are_two_dates():
    assert resolved("Floods hit in 1999 and 2001.") == {"1999": "1999", "2001": "2001"}


# --- direction ------------------------------------------------------------------------------


@pytest.mark.parametrize("article, published, words, edtf", [
    ("The delegation would leave on Thursday.", WEDNESDAY, "on Thursday", "2018-05-24"),
    ("Leaders to meet Friday\nThe talks resume.", WEDNESDAY, "Friday", "2018-05-25"),
    ("Gazprom said it would cut supplies from 0700 GMT Monday.", date(2006, 12, 31), "Monday", "2007-01-01"),
    ("Leaders agreed to hold a summit in Hamburg in July.", WEDNESDAY, "in July", "2018-07"),
    ("January's election is expected to be close.", date(2018, 12, 10), "January's", "2019-01"),
    ("Voters went to the polls on Sunday.", date(2018, 5, 20), "on Sunday", "2018-05-20"),
    ("Voters will go to the polls on Sunday.", date(2018, 5, 20), "on Sunday", "2018-05-20"),
])
def test_direction(article, published, words, edtf):
    assert resolved(article, published)[words] == edtf


def test_a_headline_verb_is_no_future_in_a_sentence():
    assert resolved("Leaders to meet Friday\nThe envoy wanted to meet on Friday.") == {
        "Friday": "2018-05-25", "on Friday": "2018-05-18"}


# --- approximate periods -------------------------------------------------------------------


@pytest.mark.parametrize("article, words, edtf", [
    ("Output peaked in the late 1970s.", "the late 1970s", "1977~/1979~"),
    ("Output peaked in the 1970s.", "the 1970s", "1970/1979"),
    ("Output peaked in mid-1996.", "mid-1996", "1996-05~/1996-08~"),
    ("The plant closed a decade ago.", "a decade ago", "2008~"),
    ("The plant will close at the end of the year.", "at the end of the year", "2018-09~/2018-12~"),
    ("The plant opened at the start of 2006.", "at the start of 2006", "2006-01~/2006-04~"),
    ("Troops reached the city in early November 1936.", "in early November 1936", "1936-11-01~/1936-11-10~"),
    ("Fighting ebbed at the end of September 1936.", "at the end of September 1936", "1936-09-21~/1936-09-30~"),
])
def test_approximate_periods(article, words, edtf):
    assert resolved(article)[words] == edtf


# --- the year carried forward -----------------------------------------------------------------


def test_a_chronology_carries_the_year_of_its_last_explicit_date():
    article = "The quake hit on March 11, 2011.\nMarch 12: Workers open a vent.\nApril 4: Water is released."
    assert resolved(article, date(2012, 3, 11)) == {
        "March 11, 2011": "2011-03-11", "March 12": "2011-03-12", "April 4": "2011-04-04"}


def test_a_narrative_without_publication_carries_the_year_into_the_next_one():
    article = "1936\n\nThe general died on 20 July. In October, troops advanced.\nIn December 1941 the war spread. In January, it reached Asia."
    assert resolved(article, None) == {
        "1936": "1936", "20 July": "1936-07-20", "In October": "1936-10",
        "In December 1941": "1941-12", "In January": "1942-01"}


def test_days_listed_with_and_are_each_a_day():
    assert resolved("Votes were held on May 4 and 10, 1936.", None) == {"May 4": "1936-05-04", "10, 1936": "1936-05-10"}
    assert resolved("Strikes hit the port on 3 and 9 March.") == {"3": "2018-03-03", "9 March": "2018-03-09"}


@pytest.mark.parametrize("article, words, value", [
    ("The revolt broke out in 499 BC.", "in 499 BC", AncientDate(499, 499)),
    ("The city fell in 146 B.C. and burned.", "in 146 B.C.", AncientDate(146, 146)),
    ("The wars lasted from 264 to 241 BC.", "from 264 to 241 BC", AncientDate(264, 241)),
    ("The Persian wars (499–449 BCE) shaped Greece.", "499–449 BCE", AncientDate(499, 449)),
    ("In September 490 BC the Athenians won at Marathon.", "In September 490 BC", AncientDate(490, 490, 9)),
    ("Athens rose in the 5th century BC.", "the 5th century BC", AncientDate(500, 401)),
    ("Athens grew rich in the 470s BC.", "the 470s BC", AncientDate(479, 470)),
    ("The league broke up by the end of the 460s BC.", "by the end of the 460s BC", AncientDate(463, 460)),
    ("The fleets met between 496 and 495 BC.", "between 496 and 495 BC", AncientDate(496, 495)),
])
def test_dates_before_year_one_are_read_but_have_no_content_format_date(article, words, value):
    [expression] = find_expressions(article, split_sentences(article), None)
    assert (expression.words, expression.before_year_one, expression.date) == (words, value, None)
    assert "before year 1" in expression.problem


def test_a_year_without_its_era_in_a_story_told_before_year_one():
    article = "The revolt ended in 493 BC. In 492, a fleet sailed north with 600 ships. Rome was founded in 753."
    found = {e.words: e.before_year_one for e in find_expressions(article, split_sentences(article), None)}
    assert found == {"in 493 BC": AncientDate(493, 493), "492": AncientDate(492, 492)}


def test_years_listed_with_and_before_year_one_are_each_a_year():
    article = "It was a stalemate for the rest of 496 and 495 BC."
    found = {e.words: e.before_year_one for e in find_expressions(article, split_sentences(article), None)}
    assert found == {"496": AncientDate(496, 496), "495 BC": AncientDate(495, 495)}


@pytest.mark.parametrize("article, words, edtf", [
    ("The story was invented in the nineteenth century.", "the nineteenth century", "1800/1899"),
    ("By the late 18th century, the port had silted up.", "the late 18th century", "1766~/1799~"),
    ("Sea walls were built in the 12th century.", "the 12th century", "1100/1199"),
])
def test_centuries(article, words, edtf):
    assert resolved(article, None) == {words: edtf}


def test_the_century_of_publication_is_named_in_passing():
    [expression] = find_expressions("It is the worst flood of the 21st century.",
                                    split_sentences("It is the worst flood of the 21st century."), WEDNESDAY)
    assert expression.date.edtf == "2000/2099" and expression.passing


@pytest.mark.parametrize("article, expected", [
    ("In April and June 1955, the premier purged his rivals.", {"In April": "1955-04", "June 1955": "1955-06"}),
    ("In August/September 1956, the leaders met.", {"In August": "1956-08", "September 1956": "1956-09"}),
])
def test_months_named_together_share_the_year_written_after_them(article, expected):
    assert resolved(article) == expected


def test_what_is_due_or_forecast_lies_ahead():
    assert resolved("More rain is forecast for Friday.") == {"Friday": "2018-05-25"}
    assert resolved("A report is due by the end of March.", date(2023, 1, 3)) == \
        {"by the end of March": "2023-03-22~/2023-03-31~"}


def test_this_evening_is_the_publication_day():
    assert resolved("The city holds a memorial service this evening.") == {"this evening": "2018-05-23"}


def test_years_ago_today_is_that_day_and_sets_the_year_of_a_chronology():
    article = "Ten years ago today, the quake struck the port.\nJan. 18: Fires burn through the wards."
    assert resolved(article, date(2005, 1, 17)) == {"Ten years ago today": "1995-01-17", "Jan. 18": "1995-01-18"}


def test_a_day_of_the_month_the_story_is_in():
    article = "On August 8, 1919, the army took Minsk, and on the 28th of that month it used tanks. On the 30th, it rested."
    assert resolved(article, None) == {"August 8, 1919": "1919-08-08", "the 28th of that month": "1919-08-28",
                                       "On the 30th": "1919-08-30"}
    assert resolved("The 5th, 6th and 7th Armies retreated in June 1920.", None) == {"in June 1920": "1920-06"}


def test_the_new_year_and_a_shift_counted_back_from_it():
    article = "The retreat ended in November 1938. Eight days before the new year, Franco attacked."
    assert resolved(article, None) == {"in November 1938": "1938-11", "the new year": "1939-01-01",
                                       "Eight days before": "1938-12-24"}


@pytest.mark.parametrize("article, words, edtf", [
    # a narrative may look back up to half a year
    ("On 25 August 1944 Paris was freed.\n\nOn June 22, the Soviets attacked in the east.",
     "June 22", "1944-06-22"),
    # a season with its year sets the year the story goes on in
    ("The war began in September 1914. By the spring of 1915, the army had retreated. On 5 August it lost the city.",
     "5 August", "1915-08-05"),
    # later in the year is the year of the date before it
    ("The army landed in March 1946. Later in the year, the talks failed.",
     "Later in the year", "1946"),
    # "of 1915" sets the year of a narrative
    ("The front froze at the end of 1914. For the first ten months of 1915, the army held. The attack began in October.",
     "in October", "1915-10"),
    # a far earlier year naming a thing does not move the story
    ("In March 1788 the court met. The 1614 rules were cited. The king agreed on 27 December.",
     "27 December", "1788-12-27"),
    # a flashback in the past perfect does not move the story back
    ("In May 1944 British forces attacked, and troops that had invaded Burma in late 1943 besieged the town. By June, Henan fell.",
     "By June", "1944-06"),
    # a year heading the next section is not the month’s
    ("The war went on in 1971. The last troops left in August.\n\n1972 election\n\nThe vote was held.",
     "in August", "1971-08"),
])
def test_the_year_a_narrative_goes_on_in(article, words, edtf):
    assert resolved(article, None)[words] == edtf


def test_news_dates_keep_the_publication_year_after_a_passing_year():
    article = "The 2015 accord was cited. Ministers met on 2 May to discuss it."
    assert resolved(article)["2 May"] == "2018-05-02"


def test_a_year_opening_the_sentence_carries_in_its_paragraph():
    assert resolved("In 2015, the council met in April.")["in April"] == "2015-04"


# --- passing mentions ---------------------------------------------------------------------------


@pytest.mark.parametrize("article, words", [
    ("Emissions have risen since 1900.", "1900"),
    ("It was the worst accident since Chernobyl in 1986.", "1986"),
    ("Leaders backed the 2030 Agenda.", "2030"),
    ("Prices are higher than in 2010.", "2010"),
    ("They asked that the assembly be arranged as in 1614.", "1614"),
    ("Dockers struck for the second time this month.", "this month"),
])
def test_passing_mentions(article, words):
    [expression] = find_expressions(article, split_sentences(article), WEDNESDAY)
    assert expression.words == words and expression.passing


def test_a_year_that_dates_a_happening_is_not_passing():
    [expression] = find_expressions("Talks stalled in 2015.", split_sentences("Talks stalled in 2015."), WEDNESDAY)
    assert not expression.passing


def test_month_this_year_is_a_month():
    assert resolved("Prices rose in January this year.") == {"in January this year": "2018-01"}


def test_today_in_a_quote_is_the_day_it_was_said():
    article = '"We are ready to sign today," the envoy said on Tuesday.'
    found = {e.words: e for e in find_expressions(article, split_sentences(article), WEDNESDAY)}
    assert found["today"].date.edtf == "2018-05-22" and found["on Tuesday"].date.edtf == "2018-05-22"
    assert "when the quoted words were said" in found["today"].anchor


def test_today_outside_a_quote_is_the_publication_day():
    assert resolved("The envoy said on Tuesday that talks open today.")["today"] == "2018-05-23"


# --- datelines -------------------------------------------------------------------------------


@pytest.mark.parametrize("article, day", [
    ("Quake aftermath\nTokyo (AFP) April 11, 2011\nThe quake struck.", date(2011, 4, 11)),
    ("Quake aftermath\nWed Mar 16, 2011 6:46am EDT\nThe quake struck.", date(2011, 3, 16)),
    ("Quake aftermath\nMarch 16, 2011\nThe quake struck.", date(2011, 3, 16)),
])
def test_datelines(article, day):
    assert find_publication(article).date == day


def test_a_line_that_starts_with_a_date_and_goes_on_is_no_dateline():
    assert find_publication("Quake aftermath\nMarch 12: Workers open a vent.") is None


# --- seasons, holidays and more shifts -----------------------------------------------------------


@pytest.mark.parametrize("article, words, edtf", [
    ("The offensive began in the spring of 1916.", "in the spring of 1916", "1916-03~/1916-05~"),
    ("The siege lasted the winter of 1914.", "the winter of 1914", "1914-12~/1915-02~"),
    ("The army expected victory by Christmas 1963.", "Christmas 1963", "1963-12-25"),
])
def test_seasons_and_holidays(article, words, edtf):
    assert resolved(article)[words] == edtf


def test_the_fall_of_a_city_is_no_season():
    assert resolved("The fall of Saigon ended the war in 1975.") == {"1975": "1975"}


def test_a_shift_after_an_event_in_an_earlier_sentence_counts_forward():
    article = "Troops relieved the fort on 27 September 1936. Two days after relieving the siege, the general took command."
    assert resolved(article)["Two days after"] == "1936-09-29"


def test_the_next_morning_and_the_same_month():
    article = "Lincoln was shot on April 14, 1865. He died the next morning. Troops surrendered the same month."
    found = resolved(article)
    assert found["the next morning"] == "1865-04-15" and found["the same month"] == "1865-04"


def test_a_month_of_that_year_takes_the_year_in_force():
    assert resolved("The terror peaked in 1793. Robespierre fell in July of that year.", None)["in July of that year"] == "1793-07"


def test_a_month_to_the_day_after_is_no_shift():
    assert "the day after" not in resolved("It struck a month to the day after the quake of March 11.")


def test_a_possessive_month_after_a_preposition_is_the_nearest():
    assert resolved("Rallies were held before January's election.", date(2018, 12, 10)) == {"before January's": "2019-01"}


def test_the_next_year_and_that_year_are_calendar_years():
    article = "The siege began on 5 May 1777. The next year, the army withdrew. Later that year, it returned."
    found = resolved(article, None)
    assert found["The next year"] == "1778" and found["Later that year"] == "1778"


def test_the_thirteenth_to_the_nineteenth_of_october():
    assert resolved("Fighting raged from the 13th to the 19th of October 1950.")["13th to the 19th of October 1950"] == \
        "1950-10-13/1950-10-19"


def test_a_year_in_a_future_clause_does_not_move_the_story():
    article = "The offensive began on 4 March 1975. The road would be open for a campaign in 1976. The army collapsed on 11 March."
    assert resolved(article, None)["11 March"] == "1975-03-11"


def test_early_in_a_year_sets_the_year():
    assert resolved("The purge began in early 1927. On April 12, troops fired on strikers.", None)["April 12"] == "1927-04-12"


def test_late_in_a_year_sets_that_year_for_any_month():
    assert resolved("Nanjing fell in late 1949. The government left on April 23.", None)["April 23"] == "1949-04-23"


def test_a_far_year_inside_a_sentence_is_an_aside():
    article = ("The army crossed the river on 16 August 1920. Documents found in 2004 showed its codes were broken. "
               "The cavalry retreated on 6 September.")
    assert resolved(article, None)["6 September"] == "1920-09-06"


def test_throughout_the_summer_takes_the_year_in_force():
    assert resolved("In 1915, the Alpini fought throughout the summer.", None)["throughout the summer"] == "1915-06~/1915-08~"
