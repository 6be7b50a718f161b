"""Reading one article: its publication date, dated happenings, actors and new names.

`read_article` is pure (text in, `Reading` out): it writes nothing and reads no file,
so the command, the tests and the benchmark share it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Mapping

from generator.dates import EDTF, Precision
from generator.extract.actors import Mention, find_actors, suggest_actors
from generator.extract.drafts import Happening, article_title, group_happenings
from generator.extract.temporal import (
    Expression, Publication, find_expressions, find_publication, first_day, last_day, point,
)
from generator.extract.text import Sentence, split_sentences
from generator.model import Actor


MAX_WINDOW_DAYS = 31


@dataclass(frozen=True)
class Reading:
    """What an article tells, as far as the extractor can see."""

    published: EDTF | None  # a day, or an interval of days when only that is known
    published_from: str  # "--published", the stated words, or "" when unknown
    stated: Publication | None  # a publication date the text itself states
    title: str | None
    expressions: tuple[Expression, ...]
    mentions: tuple[Mention, ...]
    happenings: tuple[Happening, ...]
    suggestions: tuple[tuple[str, int], ...]  # (name, times named)

    @property
    def unresolved(self) -> tuple[Expression, ...]:
        return tuple(e for e in self.expressions if e.date is None and e.before_year_one is None)

    @property
    def before_year_one(self) -> tuple[Expression, ...]:
        """Dates before year 1 ("499 BC"): read, but no content-format date can hold them."""
        return tuple(e for e in self.expressions if e.before_year_one is not None)

    @property
    def in_passing(self) -> tuple[Expression, ...]:
        """Dates named in passing ("since 1900"): resolved, not drafted."""
        return tuple(e for e in self.expressions if e.date is not None and e.passing)


def read_article(article: str, published: EDTF | None, actors: Mapping[str, Actor]) -> Reading:
    """Everything the extractor finds in `article`.

    `published` is a day or an interval of days (at most a month); None: the date the
    text states, if any. With an interval, a date counted from publication is resolved
    only when every day of the interval gives the same one.
    """
    sentences = split_sentences(article)
    stated = find_publication(article)
    source = "--published" if published else ""
    if published is None and stated and stated.date:
        published, source = point(stated.date, Precision.DAY), f'the text: "{stated.words}"'
    skip = [(stated.start, stated.end)] if stated else []
    expressions = _expressions(article, sentences, published, skip)
    mentions = find_actors(article, actors)
    return Reading(
        published=published,
        published_from=source,
        stated=stated,
        title=article_title(article),
        expressions=tuple(expressions),
        mentions=tuple(mentions),
        happenings=tuple(group_happenings(sentences, expressions, mentions)),
        suggestions=tuple(suggest_actors(article, sentences, mentions)),
    )


def publication_days(published: EDTF) -> list[date]:
    """Every day the publication date may be."""
    first, last = first_day(published), last_day(published)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _expressions(
    article: str, sentences: list[Sentence], published: EDTF | None, skip: list[tuple[int, int]]
) -> list[Expression]:
    if published is None:
        return find_expressions(article, sentences, None, skip)
    readings = [find_expressions(article, sentences, day, skip, published.edtf) for day in publication_days(published)]
    return [_agreed(versions, published.edtf) for versions in zip(*readings)]


def _agreed(versions: tuple[Expression, ...], window: str) -> Expression:
    """The expression as resolved on every possible publication day, if they agree."""
    first = versions[0]
    if all(version.date == first.date for version in versions):
        return first
    return replace(first, date=None, anchor="", problem=f"depends on which day of {window} is the publication date")
