"""`timeline new` and `timeline init`: new files written from the field declarations.

A new file lists every field of its kind: the ones the command line filled in as
values, required ones left empty (so `timeline check` points at them until they are
filled), and optional ones as commented hints with their help text. Nothing is
ever overwritten.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Sequence

import yaml

from generator import gazetteer
from generator.check import ActorNames, References, check_site_config, site_timezone
from generator.model import SiteConfig
from generator.pipeline import checked_items
from generator.schema import FIELDS_BY_KIND, SITE_FIELDS, Context, Field, Invalid, slug_problem, slugify

FOLDERS = {"event": "events", "actor": "actors", "source": "sources", "place": "places"}
TITLE_FIELD = {"event": "title", "actor": "name", "source": "title", "place": "name"}


class ScaffoldError(Exception):
    """The file cannot be made; the message says why."""


_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter, where present, is many times faster


class _Dumper(_SafeDumper):  # type: ignore[misc,valid-type]
    """Safe YAML, with text of several lines as a literal block (`|`), as people write it."""


def _text_block(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    block = "\n" in text and text == text.strip() and not any(line != line.rstrip() for line in text.splitlines())
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if block else None)


def _flow_list(dumper: yaml.SafeDumper, items: Any) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(items), flow_style=True)


_Dumper.add_representer(str, _text_block)
_Dumper.add_representer(list, _flow_list)
_Dumper.add_representer(tuple, _flow_list)


def _dump(values: dict[str, Any]) -> str:
    """`key: value` lines (text of several lines as a block), lists in flow style: [a, b]."""
    return yaml.dump(values, Dumper=_Dumper, allow_unicode=True, default_flow_style=False, sort_keys=False, width=10_000).rstrip("\n")


def render_fields(fields: Sequence[Field], values: dict[str, Any]) -> str:
    """YAML text with a line for every declared field."""
    lines: list[str] = []
    given: dict[str, Any] = {}  # consecutive fields with values, written in one go
    for declared in fields:
        if declared.name in values:
            given[declared.name] = values[declared.name]
            continue
        if given:
            lines.append(_dump(given))
            given = {}
        if declared.required:
            lines.append(f"{declared.name}:  # required: {declared.help}")
        elif declared.example not in (None, "", [], ()):
            lines.append(f"# {_dump({declared.name: declared.example})}  # {declared.help}")
        else:
            lines.append(f"# {declared.name}:  # {declared.help}")
    if given:
        lines.append(_dump(given))
    return "\n".join(lines) + "\n"


# The command-line option that fills each field, for messages.
OPTIONS = {
    "date": "--date", "actors": "--actor", "sources": "--source", "tags": "--tag", "location": "--location",
    "kind": "--kind", "aliases": "--alias", "publisher": "--publisher", "published": "--published", "url": "--url",
}


def new_item(site_root: Path, kind: str, title: str, options: dict[str, Any], item_id: str | None = None) -> Path:
    """Write a new event, actor or source file; return its path.

    Every option is checked as `timeline check` would check the field it fills, and
    actors and sources are looked up among the site's own, so a new file starts
    with no error but its empty required fields.
    """
    config, site_problems = check_site_config(site_root)
    if config is None:
        raise ScaffoldError("\n".join(d.text() for d in site_problems))
    slug = item_id or slugify(title)
    problems = []
    if item_id is not None and slug_problem(item_id):
        problems.append(f'--id: "{item_id}" {slug_problem(item_id)}')
    elif not slug:
        problems.append(f'"{title}" has no letter or digit to make a file name from; give one with --id')
    values = {TITLE_FIELD[kind]: title, **{k: v for k, v in options.items() if v not in (None, [], ())}}
    fields = FIELDS_BY_KIND[FOLDERS[kind]]
    converted, invalid = _checked_options(fields, values, Context(site_timezone(config)))
    problems += invalid + _reference_problems(site_root, config, values)
    if problems:
        raise ScaffoldError("\n".join(problems) + "\nnothing was written")
    folder = site_root / "content" / FOLDERS[kind]
    if kind == "event" and "date" in values:
        values["date"] = converted["date"].edtf
        folder = folder / str(converted["date"].start.year)  # the year as written, not in UTC
    path = folder / f"{slug}.yml"
    if path.exists():
        raise ScaffoldError(f"{path} exists already; nothing was written")
    text = f"# A new {kind}. Fill in the empty fields; uncomment the others you need.\n"
    text += render_fields(fields, values)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} exists already; nothing was written") from None
    except OSError as err:
        raise ScaffoldError(f"cannot write {path}: {err.strerror}") from None
    return path


def place_proposal(site_root: Path, name: str) -> tuple[dict[str, Any], str]:
    """Fields proposed for a new place by the offline gazetteer, and a note for the author."""
    found = gazetteer.propose(name)
    if found is None:
        return {}, f'the gazetteer does not know "{name}": fill in its coordinates by hand'
    values: dict[str, Any] = {"kind": found.kind, "geonames": found.geonames}
    if found.name.casefold() != name.strip().casefold():
        values["aliases"] = [found.name]
    if found.latitude is not None:
        values["latitude"], values["longitude"] = found.latitude, found.longitude
    note = f"proposed from GeoNames {found.geonames} ({found.name}"
    if found.country:
        parent = slugify(found.country)
        values["within"] = parent
        note += f", {found.country}"
        if not (site_root / "content" / "places" / f"{parent}.yml").exists():
            note += f'; no place "{parent}" yet: `timeline new place "{found.country}"`'
    return values, note + "); check them"


def _checked_options(fields: Sequence[Field], values: dict[str, Any], context: Context) -> tuple[dict[str, Any], list[str]]:
    """The options' values converted by their fields' types, and the problems found."""
    problems, converted = [], {}
    for declared in fields:
        if declared.name not in values:
            continue
        try:
            converted[declared.name] = declared.type.convert(values[declared.name], context)
        except Invalid as err:
            option = OPTIONS.get(declared.name, declared.name)
            problems += [f"{option}: {message}" for message, _ in err.problems]
    return converted, problems


def _reference_problems(site_root: Path, config: SiteConfig, values: dict[str, Any]) -> list[str]:
    """Actors and sources named on the command line must be the site's own."""
    if not values.get("actors") and not values.get("sources"):
        return []
    checked = checked_items(site_root, config)
    names = ActorNames((a.id, a.name, a.aliases) for a in checked.actors.values())
    sources = References({s.id: s.title for s in checked.sources.values()})
    problems = []
    for reference in values.get("actors", ()):
        actor_id, problem = names.resolve(reference)
        if actor_id is None:
            problems.append(f"--actor: {problem}")
    for reference in values.get("sources", ()):
        if reference not in sources:
            problems.append(f'--source: unknown source "{reference}"{sources.did_you_mean(reference)} (`timeline new source` makes one)')
    return problems


def init_site(folder: Path, title: str | None = None) -> list[Path]:
    """Make a new timeline site in `folder` (absent or empty) with one example of each kind."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} exists and is not empty; choose a new folder")
    title = title or folder.resolve().name.replace("-", " ").replace("_", " ").capitalize() or "My timeline"
    today = date.today().isoformat()
    files = {
        "site.yml": render_fields(SITE_FIELDS, {"title": title, "description": "What this timeline follows, in a paragraph."}),
        "content/actors/example-person.yml": render_fields(FIELDS_BY_KIND["actors"], {
            "name": "Example Person", "kind": "person", "aliases": ["E. Person"],
            "description": "Replace with a neutral description of the person.",
        }),
        "content/sources/example-source.yml": render_fields(FIELDS_BY_KIND["sources"], {
            "title": "An example article", "publisher": "Example News", "published": today, "url": "https://example.org/article",
        }),
        f"content/events/{today[:4]}/first-event.yml": render_fields(FIELDS_BY_KIND["events"], {
            "title": "The first event", "date": today, "actors": ["example-person"],
            "summary": "What happened, in your own words. **Markdown** works here.",
            "sources": ["example-source"], "tags": ["example"],
        }),
        # The output, the spare copy a build keeps beside it, and the caches: none belongs in git.
        ".gitignore": "_site/\n._site.spare/\n.timeline-cache/\n",
    }
    written = []
    for relative, text in files.items():
        path = folder / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as err:
            raise ScaffoldError(f"cannot write {path}: {err.strerror}") from None
        written.append(path)
    return written
