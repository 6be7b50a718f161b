"""A deterministic synthetic timeline of any size, for the benchmarks.

`make_corpus(n_events, seed)` draws the content in memory: about max(50, N/50)
actors of every kind whose use follows a Zipf-like law (a few actors are in many
events), people affiliated with states, about N/20 sources, tags from a vocabulary
of 40, two Markdown paragraphs of summary per event, a quote on about a third of
them, and dates of every precision of the content format spread over 20 years.
`write_site(root, n_events, seed)` writes it as a timeline site (site.yml and
content/, events in one sub-folder per year) that `timeline check` passes with no
error and no warning. The Hugo and Pelican equivalents (bench/competitors.py) are
written from the same `Corpus`.

Run as a script to write a site: `python bench/synth.py DIR --events 200`.
"""
from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

START_YEAR, YEARS = 2000, 20
SOURCE_EVERY = 20  # one source for about this many events
MIN_ACTORS, EVENTS_PER_ACTOR = 50, 50
ZIPF_EXPONENT = 1.0
UTC = dt.timezone.utc

KINDS = (("person", 55), ("state", 15), ("organization", 12), ("armed-group", 8), ("media", 6), ("other", 4))
ACTORS_PER_EVENT = ((1, 20), (2, 35), (3, 25), (4, 12), (5, 8))
TAGS = (
    "Ceasefire", "Sanctions", "Chemical weapons", "Red line", "Humanitarian aid", "Refugees", "Peace talks",
    "Airstrikes", "Ground offensive", "Siege", "Evacuation", "Elections", "Constitution", "Security Council",
    "Veto", "Resolution", "Arms sales", "Counter-terrorism", "Hostages", "Border", "Oil", "Reconstruction",
    "War crimes", "Investigation", "Diplomacy", "Summit", "State visit", "Embassy", "Protests", "Media",
    "Cyberattack", "Intelligence", "Troop withdrawal", "Military bases", "No-fly zone", "Safe zones",
    "Prisoners", "Famine", "Cholera", "Donor conference",
)
SYLLABLES = ("ka", "lo", "mir", "va", "den", "tor", "sa", "ri", "bel", "no", "zan", "ho", "ple", "gar", "u", "vin", "es", "tal", "qua", "bro")
FIRST_NAMES = (
    "Anna", "Boris", "Clara", "Dmitri", "Élise", "Farid", "Greta", "Hassan", "Ines", "Jonas", "Karim", "Lena", "Marek",
    "Nadia", "Omar", "Paula", "Quentin", "Rania", "Stefan", "Tamara", "Umberto", "Vera", "Walid", "Yasmin", "Zoltán",
)
ORG_WORDS = ("Council", "Agency", "Commission", "Institute", "Alliance", "Foundation", "League", "Office")
ARMED_WORDS = ("Front", "Brigade", "Army", "Movement", "Militia", "Forces")
MEDIA_WORDS = ("Times", "Herald", "Post", "Broadcasting", "News Agency", "Tribune")
OTHER_WORDS = ("Committee", "Group", "Network", "Coalition")
PUBLISHERS = ("Agence France-Presse", "Reuters", "Associated Press", "TASS", "BBC News", "Le Monde", "Al Jazeera", "The Guardian", "Der Spiegel", "El País")
VERBS = (
    "meets", "warns", "condemns", "signs an accord with", "calls", "visits", "sanctions", "criticises", "backs",
    "threatens", "receives", "negotiates with", "accuses", "supports", "rebukes", "hosts",
)
WORDS = (
    "talks", "border", "council", "envoy", "ceasefire", "statement", "convoy", "ministers", "summit", "vote", "report",
    "offensive", "negotiations", "observers", "corridor", "deadline", "proposal", "pressure", "officials", "agreement",
    "delegation", "inquiry", "region", "forces", "aid", "position", "meeting", "commitment", "capital", "crisis",
)
CITIES = ("Geneva", "Vienna", "Astana", "Brussels", "New York", "Paris", "Moscow", "Ankara", "Tehran", "Amman", "Beirut", "Riyadh")


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()  # actor ids
    role: tuple[str, str, str] | None = None  # (title, of: actor id, from: ISO day)


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    published: dt.date
    url: str
    author: str = ""


@dataclass(frozen=True)
class Quote:
    by: str  # actor id
    text: str
    source: str  # source id


@dataclass(frozen=True)
class Event:
    id: str
    year: int  # of `when`: the event's sub-folder
    title: str
    date: str  # as written in the YAML file (quoted or not)
    when: dt.datetime  # an instant inside the date (UTC), for the other generators
    actors: tuple[str, ...]  # actor ids
    sources: tuple[str, ...]  # source ids
    tags: tuple[str, ...]  # labels
    summary: str  # Markdown, two paragraphs
    quote: Quote | None = None
    location: str = ""
    status: str = "occurred"


@dataclass(frozen=True)
class Corpus:
    title: str
    actors: dict[str, Actor]
    sources: dict[str, Source]
    events: tuple[Event, ...]  # in the order of `when`


# --- small helpers -------------------------------------------------------------


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def weighted(rng: random.Random, table: tuple[tuple[object, int], ...]) -> object:
    values, weights = zip(*table)
    return rng.choices(values, weights=weights)[0]


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


class Namer:
    """Made-up names, each one used once (compared by their slugs)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.taken: set[str] = set()

    def place(self) -> str:
        while True:
            word = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).capitalize()
            if self.claim(word):
                return word

    def unique(self, make) -> str:
        while True:
            name = make()
            if self.claim(name):
                return name

    def claim(self, name: str) -> bool:
        key = slugify(name)  # the actor's id: case, accents and punctuation ignored
        if not key or key in self.taken:
            return False
        self.taken.add(key)
        return True


# --- actors ----------------------------------------------------------------------


def make_actors(rng: random.Random, count: int) -> list[Actor]:
    """Actors in Zipf rank order (the first is the most frequent); kinds mixed."""
    namer = Namer(rng)
    kinds = [weighted(rng, KINDS) for _ in range(count)]
    states = [_state(namer) for _ in range(max(1, kinds.count("state")))]  # people need a state
    actors = states + [_actor(rng, namer, kind, states) for kind in kinds if kind != "state"]
    rng.shuffle(actors)
    return actors


def _state(namer: Namer) -> Actor:
    name = namer.place() + "ia"
    return Actor(slugify(name), name, "state", aliases=(f"Republic of {name}",))


def _actor(rng: random.Random, namer: Namer, kind: str, states: list[Actor]) -> Actor:
    if kind == "person":
        return _person(rng, namer, states)
    words = {"organization": ORG_WORDS, "armed-group": ARMED_WORDS, "media": MEDIA_WORDS, "other": OTHER_WORDS}[kind]
    name = namer.unique(lambda: f"{namer.place()} {rng.choice(words)}")
    affiliations = (rng.choice(states).id,) if kind == "organization" and rng.random() < 0.3 else ()
    return Actor(slugify(name), name, kind, affiliations=affiliations)


def _person(rng: random.Random, namer: Namer, states: list[Actor]) -> Actor:
    name = namer.unique(lambda: f"{rng.choice(FIRST_NAMES)} {namer.place()}")
    first, last = name.split(" ", 1)
    alias = f"{first[0]}. {last}"
    aliases = (alias,) if rng.random() < 0.4 and namer.claim(alias) else ()
    if rng.random() >= 0.7:
        return Actor(slugify(name), name, "person", aliases)
    state = rng.choice(states)
    role = None
    if rng.random() < 0.3:
        start = dt.date(START_YEAR + rng.randrange(YEARS), rng.randint(1, 12), rng.randint(1, 28))
        role = (rng.choice(("Minister of Foreign Affairs", "President", "Prime Minister", "Ambassador")), state.id, start.isoformat())
    return Actor(slugify(name), name, "person", aliases, affiliations=(state.id,), role=role)


def zipf_weights(count: int) -> list[float]:
    """Cumulative weights of ranks 1..count under a Zipf law."""
    return list(itertools.accumulate(1 / rank**ZIPF_EXPONENT for rank in range(1, count + 1)))


def pick_distinct(rng: random.Random, population: list, cumulative: list[float], k: int, first: object | None = None) -> list:
    """k distinct items drawn by weight (`first` forced in front when given)."""
    chosen = [first] if first is not None else []
    while len(chosen) < min(k, len(population)):
        item = population[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]
        if item not in chosen:
            chosen.append(item)
    return chosen


# --- dates -----------------------------------------------------------------------


def random_instant(rng: random.Random) -> dt.datetime:
    start = dt.datetime(START_YEAR, 1, 1, tzinfo=UTC)
    return start + dt.timedelta(minutes=rng.randrange(YEARS * 365 * 24 * 60))


def written_date(rng: random.Random, when: dt.datetime) -> tuple[str, str]:
    """(the date as written in YAML, its canonical key for clash detection), at a random precision.

    Every form contains `when` or starts at it, so a source published after `when`
    never makes the event look reported before it happened.
    """
    form = weighted(rng, (("day", 50), ("time", 15), ("month", 12), ("year", 3), ("interval", 10), ("qualified", 10)))
    if form == "day":
        text = when.date().isoformat()
        return text, text
    if form == "time":
        return _moment(rng, when)
    if form == "month":
        text = f"{when:%Y-%m}"
        return quoted(text), text
    if form == "year":
        return str(when.year), str(when.year)
    if form == "interval":
        end = when + dt.timedelta(days=rng.randint(1, 40))
        text = f"{when:%Y-%m}/{end:%Y-%m}" if rng.random() < 0.2 and end.month != when.month else f"{when.date()}/{end.date()}"
        return quoted(text), text
    body = rng.choice((when.date().isoformat(), f"{when:%Y-%m}", str(when.year)))
    text = body + rng.choice("~?%")
    return quoted(text), text


def _moment(rng: random.Random, when: dt.datetime) -> tuple[str, str]:
    offset = rng.choice((None, 0, 2, -5))
    if offset is None:
        text = f"{when:%Y-%m-%dT%H:%M}"  # in the site's time zone (UTC)
    else:
        local = when.astimezone(dt.timezone(dt.timedelta(hours=offset)))
        text = f"{local:%Y-%m-%dT%H:%M}" + ("Z" if offset == 0 else f"{local:%z}"[:3] + ":00")
    return quoted(text), f"{when:%Y-%m-%dT%H:%M}"


# --- text ------------------------------------------------------------------------


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def make_title(rng: random.Random, actors: list[Actor], tags: list[str]) -> str:
    subject, other = actors[0], actors[1] if len(actors) > 1 else None
    topic = (tags[0] if tags else rng.choice(WORDS)).lower()
    target = other.name if other else f"the {rng.choice(WORDS)}"
    return f"{subject.name} {rng.choice(VERBS)} {target} over {topic} {rng.choice(WORDS)}"


def make_summary(rng: random.Random, actors: list[Actor], source: Source) -> str:
    names = ", ".join(a.name for a in actors)
    first = (
        f"{actors[0].name} {rng.choice(VERBS)} **{rng.choice(WORDS)} {rng.choice(WORDS)}**, according to "
        f"[{source.publisher}]({source.url}). {sentence(rng, rng.randint(10, 18))} {sentence(rng, rng.randint(8, 14))}"
    )
    second = f"Involved: {names}. {sentence(rng, rng.randint(12, 20))} {sentence(rng, rng.randint(6, 12))}"
    return f"{first}\n\n{second}"


# --- the corpus ------------------------------------------------------------------


def make_corpus(n_events: int, seed: int = 1) -> Corpus:
    """The whole synthetic content, in memory; the same for the same arguments."""
    rng = random.Random(seed)
    actors = make_actors(rng, min(n_events, max(MIN_ACTORS, n_events // EVENTS_PER_ACTOR)) or 1)
    instants = sorted(random_instant(rng) for _ in range(n_events))
    sources = make_sources(rng, instants)
    events = _make_events(rng, actors, instants, sources)
    return Corpus("Synthetic timeline", {a.id: a for a in actors}, {s.id: s for s in sources}, tuple(events))


def make_sources(rng: random.Random, instants: list[dt.datetime]) -> list[Source]:
    """One source for each run of SOURCE_EVERY events, published just after the last."""
    sources = []
    for index in range(0, len(instants), SOURCE_EVERY):
        last = instants[min(index + SOURCE_EVERY, len(instants)) - 1]
        published = last.date() + dt.timedelta(days=rng.randint(0, 10))
        publisher = rng.choice(PUBLISHERS)
        source_id = f"{slugify(publisher)}-{published.isoformat()}-{index // SOURCE_EVERY + 1}"
        title = f"{sentence(rng, rng.randint(5, 9))[:-1]}"
        author = f"{rng.choice(FIRST_NAMES)} Writer" if rng.random() < 0.5 else ""
        sources.append(Source(source_id, title, publisher, published, f"https://news.example.org/{source_id}", author))
    return sources


def _make_events(rng: random.Random, actors: list[Actor], instants: list[dt.datetime], sources: list[Source]) -> list[Event]:
    cumulative = zipf_weights(len(actors))
    tag_weights = zipf_weights(len(TAGS))
    taken: dict[str, set[str]] = {}  # date key → actor ids already on that date
    used_ids: set[str] = set()
    events = []
    for index, when in enumerate(instants):
        first = actors[index] if index < len(actors) else None  # every actor used at least once
        chosen = pick_distinct(rng, actors, cumulative, weighted(rng, ACTORS_PER_EVENT), first)
        date = _free_date(rng, when, {a.id for a in chosen}, taken)
        tags = pick_distinct(rng, list(TAGS), tag_weights, rng.choice((0, 1, 1, 2, 2, 3)))
        cited = _cited(rng, sources, index)
        title = make_title(rng, chosen, tags)
        event_id = _unique_id(f"{when.date()}-{slugify(title)[:50].strip('-')}", used_ids)
        events.append(Event(
            id=event_id, year=when.year, title=title, date=date, when=when,
            actors=tuple(a.id for a in chosen), sources=tuple(s.id for s in cited), tags=tuple(tags),
            summary=make_summary(rng, chosen, cited[0]),
            quote=Quote(rng.choice(chosen).id, sentence(rng, rng.randint(8, 16)), cited[0].id) if rng.random() < 1 / 3 else None,
            location=rng.choice(CITIES) if rng.random() < 0.5 else "",
            status=weighted(rng, (("occurred", 95), ("disputed", 5))),
        ))
    return events


def _free_date(rng: random.Random, when: dt.datetime, actor_ids: set[str], taken: dict[str, set[str]]) -> str:
    """A written date no earlier event with a shared actor has (so no look-alike warning)."""
    for _ in range(20):
        written, key = written_date(rng, when)
        if not taken.get(key, set()) & actor_ids:
            break
    else:
        written, key = _moment(rng, when)
    taken.setdefault(key, set()).update(actor_ids)
    return written


def _cited(rng: random.Random, sources: list[Source], index: int) -> list[Source]:
    """The source of the event's run, and sometimes one published later."""
    own = index // SOURCE_EVERY
    cited = [sources[own]]
    if rng.random() < 0.3 and own + 1 < len(sources):
        cited.append(sources[rng.randint(own + 1, min(own + 3, len(sources) - 1))])
    return cited


def _unique_id(base: str, used: set[str]) -> str:
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base}-{number}"
    used.add(candidate)
    return candidate


# --- writing the timeline site ----------------------------------------------------


def write_site(root: Path, n_events: int, seed: int = 1) -> Corpus:
    """Write the synthetic site into `root` (site.yml and content/); return its corpus."""
    corpus = make_corpus(n_events, seed)
    write_corpus(root, corpus)
    return corpus


def write_corpus(root: Path, corpus: Corpus) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yml").write_text(
        f"title: {corpus.title}\ndescription: A synthetic chronology of {len(corpus.events):,} events for benchmarks.\n"
        "base_url: https://example.org/timeline/\n",
        encoding="utf-8",
    )
    for folder, items, render in (
        ("actors", corpus.actors.values(), actor_yaml),
        ("sources", corpus.sources.values(), source_yaml),
    ):
        (root / "content" / folder).mkdir(parents=True, exist_ok=True)
        for item in items:
            (root / "content" / folder / f"{item.id}.yml").write_text(render(item), encoding="utf-8")
    for year in sorted({e.year for e in corpus.events}):
        (root / "content" / "events" / str(year)).mkdir(parents=True, exist_ok=True)
    for event in corpus.events:
        (root / "content" / "events" / str(event.year) / f"{event.id}.yml").write_text(event_yaml(event), encoding="utf-8")


def actor_yaml(actor: Actor) -> str:
    lines = [f"name: {quoted(actor.name)}", f"kind: {actor.kind}"]
    if actor.aliases:
        lines.append(f"aliases: [{', '.join(quoted(a) for a in actor.aliases)}]")
    if actor.affiliations:
        lines.append(f"affiliations: [{', '.join(actor.affiliations)}]")
    if actor.role:
        title, of, start = actor.role
        lines += ["roles:", f"  - title: {title}", f"    of: {of}", f"    from: {start}"]
    return "\n".join(lines) + "\n"


def source_yaml(source: Source) -> str:
    lines = [
        f"title: {quoted(source.title)}",
        f"publisher: {quoted(source.publisher)}",
        f"published: {source.published.isoformat()}",
        f"url: {source.url}",
    ]
    if source.author:
        lines.append(f"author: {quoted(source.author)}")
    return "\n".join(lines) + "\n"


def event_yaml(event: Event) -> str:
    lines = [f"title: {quoted(event.title)}", f"date: {event.date}"]
    if event.location:
        lines.append(f"location: {event.location}")
    lines.append(f"actors: [{', '.join(event.actors)}]")
    if event.tags:
        lines.append(f"tags: [{', '.join(quoted(t) for t in event.tags)}]")
    lines.append("summary: |")
    lines += [f"  {line}" if line else "" for line in event.summary.split("\n")]
    if event.quote:
        q = event.quote
        lines += ["quotes:", f"  - by: {q.by}", f"    text: {quoted(q.text)}", f"    source: {q.source}"]
    lines.append(f"sources: [{', '.join(event.sources)}]")
    if event.status != "occurred":
        lines.append(f"status: {event.status}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_site(args.folder, args.events, args.seed)


if __name__ == "__main__":
    main()
