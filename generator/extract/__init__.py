"""`timeline extract`: draft events and a source file from a plain-text article.

`run_extract` reads the article, resolves its dates against the publication date
(`--published`, else the one the text states), matches the site's actors, and writes
for a person to review a source file and one draft event per dated happening that
`content/` does not have yet. It reports what it wrote, what probably exists, what it
could not date, and names that match no actor. Exit codes: 0 something found, 1 nothing
found or the site's content has errors, 2 a usage error (missing file, bad option).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, TextIO

from generator.check import check_site_config
from generator.dates import EDTF, DateError, Precision, parse
from generator.extract.article import MAX_WINDOW_DAYS, Reading, publication_days, read_article
from generator.extract.drafts import (
    Happening, draft_id, draft_key, draft_yaml, drafted_before, free_id, is_planned, probably_existing, source_to_cite,
    source_yaml, write_new,
)
from generator.model import Actor, Event
from generator.pipeline import checked_items
from generator.schema import slug_problem

__all__ = ["ExtractError", "Plan", "load_known", "plan_files", "read_article", "run_extract"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
DRAFTS_FOLDER = Path("content", "events", "drafts")
SOURCES_FOLDER = Path("content", "sources")


class ExtractError(Exception):
    """A problem the user can fix; `exit_code` is 1 or 2."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class NewFile:
    folder: Path
    stem: str
    text: str

    @property
    def path(self) -> Path:
        return self.folder / f"{self.stem}.yml"


@dataclass(frozen=True)
class Plan:
    """The files to write, and the happenings that content/ already has."""

    source_id: str
    source: NewFile | None  # None when the source exists already
    drafts: tuple[tuple[Happening, NewFile], ...]
    existing: tuple[tuple[Happening, Event], ...]
    repeated: tuple[tuple[Happening, Path], ...]  # drafted by an earlier run: the draft's file

    @property
    def found_any(self) -> bool:
        return bool(self.drafts or self.existing or self.repeated)


def run_extract(
    article: Path, *, site_root: Path, published: str | None, source_id: str | None, out: TextIO,
    dry_run: bool = False,
) -> int:
    """Write a source and draft events for `article` into the site; report to `out`."""
    try:
        text = _read_article(article)
        publication = _publication(published)
        _check_source_id(source_id)
        actors, events = load_known(site_root)
    except ExtractError as err:
        print(f"timeline extract: error: {err}", file=out)
        return err.exit_code
    reading = read_article(text, publication, actors)
    plan = plan_files(reading, site_root, events, source_id, article.name)
    if not plan.found_any:
        _report(reading, plan, {}, site_root, article, out, dry_run)
        print("No dated happening found: nothing written.", file=out)
        return EXIT_PROBLEMS
    try:
        written = {} if dry_run else _write(plan, events)
    except OSError as err:
        print(f"timeline extract: error: cannot write {err.filename}: {err.strerror}", file=out)
        return EXIT_PROBLEMS
    _report(reading, plan, written, site_root, article, out, dry_run)
    return EXIT_OK


def load_known(site_root: Path) -> tuple[Mapping[str, Actor], tuple[Event, ...]]:
    """The site's actors and events (drafts included) that pass the checker.

    Items with errors are left out rather than stopping the extraction, so that drafts
    still naming a TODO actor do not keep the next article from being extracted.
    """
    config, problems = check_site_config(site_root)
    if config is None:
        shown = "\n  ".join(d.text() for d in problems)
        raise ExtractError(f"{site_root} is not a site that can be read:\n  {shown}", EXIT_USAGE)
    checked = checked_items(site_root, config)
    return checked.actors, checked.events


def plan_files(
    reading: Reading, site_root: Path, events: tuple[Event, ...], source_id: str | None, article_name: str
) -> Plan:
    """Which source and drafts to write, under which ids, and which happenings are known."""
    sources = site_root / SOURCES_FOLDER
    cited = source_id or source_to_cite(sources, reading.title, reading.published, article_name)
    source = None if (sources / f"{cited}.yml").exists() else NewFile(
        sources, cited, source_yaml(reading.title, reading.published, article_name))
    earlier = drafted_before(site_root / DRAFTS_FOLDER)
    taken = {e.id for e in events} | {p.stem for p in (site_root / DRAFTS_FOLDER).glob("*.y*ml")}
    drafts, existing, repeated = [], [], []
    for happening in reading.happenings:
        if draft_key(happening) in earlier:
            repeated.append((happening, earlier[draft_key(happening)]))
        elif (known := probably_existing(happening, events)) is not None:
            existing.append((happening, known))
        else:
            stem = free_id(draft_id(happening), taken)
            taken.add(stem)
            text = draft_yaml(happening, cited, article_name, is_planned(happening, reading.published))
            drafts.append((happening, NewFile(site_root / DRAFTS_FOLDER, stem, text)))
    return Plan(cited, source, tuple(drafts), tuple(existing), tuple(repeated))


# --- the user's input ---------------------------------------------------------------------


MAX_ARTICLE_CHARS = 1_000_000  # far longer than any article; the work grows with the length


def _read_article(article: Path) -> str:
    """The article's text; a usage error when it cannot be read or is too long to be an article."""
    try:
        if article.stat().st_size > 4 * MAX_ARTICLE_CHARS:  # UTF-8: at most 4 bytes a character
            raise ExtractError(_too_long(article), EXIT_USAGE)
        text = article.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ExtractError(f"{article}: no such file", EXIT_USAGE) from None
    except IsADirectoryError:
        raise ExtractError(f"{article} is a folder; give a plain-text file", EXIT_USAGE) from None
    except UnicodeDecodeError:
        raise ExtractError(f"{article} is not UTF-8 text; save it as UTF-8", EXIT_USAGE) from None
    except OSError as err:
        raise ExtractError(f"cannot read {article}: {err.strerror}", EXIT_USAGE) from None
    if len(text) > MAX_ARTICLE_CHARS:
        raise ExtractError(_too_long(article), EXIT_USAGE)
    return text


def _too_long(article: Path) -> str:
    return f"{article} is longer than {MAX_ARTICLE_CHARS:,} characters: give one article at a time"


def _publication(published: str | None) -> EDTF | None:
    """--published: a day, or an interval of days when the exact day is not known."""
    if published is None:
        return None
    try:
        value = parse(published)
    except DateError as err:
        raise ExtractError(f"--published: {err}", EXIT_USAGE) from None
    ends = (value.start, value.end) if value.is_interval else (value,)
    if any(end.precision != Precision.DAY for end in ends):
        raise ExtractError(f"--published: give the day of publication, as in 2018-05-23 (not {published})", EXIT_USAGE)
    if len(publication_days(value)) > MAX_WINDOW_DAYS:
        raise ExtractError(f"--published: {published} spans more than {MAX_WINDOW_DAYS} days", EXIT_USAGE)
    return value


def _check_source_id(source_id: str | None) -> None:
    problem = source_id is not None and slug_problem(source_id)
    if problem:
        raise ExtractError(f'--source-id "{source_id}" {problem}', EXIT_USAGE)


# --- writing and reporting ------------------------------------------------------------------


def _write(plan: Plan, events: tuple[Event, ...]) -> dict[Path, Path]:
    """Write the planned files; planned path → the path written (a suffix if one appeared)."""
    event_ids = {e.id for e in events}
    sources = [(plan.source, set())] if plan.source and plan.drafts else []  # a source no draft cites is not written
    drafts = [(file, event_ids) for _, file in plan.drafts]
    return {file.path: write_new(file.folder, file.stem, file.text, taken) for file, taken in sources + drafts}


def _report(
    reading: Reading, plan: Plan, written: dict[Path, Path], site_root: Path, article: Path, out: TextIO,
    dry_run: bool,
) -> None:
    def shown(path: Path) -> str:
        path = written.get(path, path)
        return path.relative_to(site_root).as_posix() if path.is_relative_to(site_root) else str(path)

    done = "dry run, not written" if dry_run else "written"
    print(f"Article: {article}", file=out)
    print(f"Published: {_publication_line(reading)}", file=out)
    if plan.source and plan.drafts:
        print(f"Source ({done}): {shown(plan.source.path)}", file=out)
    elif plan.source and plan.found_any:
        print("Source: not written, as nothing new was drafted", file=out)
    elif plan.found_any:
        print(f"Source: {plan.source_id} exists already; the drafts cite it", file=out)
    _section(out, f"Draft events ({done})", [
        f"{shown(file.path)}  {h.date.edtf}  {h.expression.note}" for h, file in plan.drafts])
    _section(out, "Probably existing (not drafted)", [
        f'{h.date.edtf}  "{h.expression.words}"  probably existing: {event.id}' for h, event in plan.existing])
    _section(out, "Drafted by an earlier run (not drafted again)", [
        f'{h.date.edtf}  "{h.expression.words}"  {shown(path)}' for h, path in plan.repeated])
    _section(out, "Mentioned in passing (not drafted)", [f"{e.date.edtf}  {e.note}" for e in reading.in_passing])
    _section(out, "Before year 1 (the content format's dates start at year 1: not drafted)", [
        f'{e.before_year_one.text}  "{e.words}"' for e in reading.before_year_one])
    _section(out, "Unresolved", [e.note for e in reading.unresolved])
    _section(out, "Names that match no actor (add an actor file or an alias for those that matter)", [
        ", ".join(f"{name} ({count})" for name, count in reading.suggestions)] if reading.suggestions else [])


def _publication_line(reading: Reading) -> str:
    if reading.published:
        return f"{reading.published.edtf} (from {reading.published_from})"
    stated = f' ("{reading.stated.words}" {reading.stated.problem})' if reading.stated else ""
    return f"unknown{stated}: dates counted from it stay unresolved (pass --published)"


def _section(out: TextIO, heading: str, lines: list[str]) -> None:
    if lines:
        print(f"{heading}:", file=out)
        for line in lines:
            print(f"  {line}", file=out)
