"""Diagnostics: what the checker says about the content, and how it is printed.

Every stage reports problems as `Diagnostic` values instead of raising, so one run
reports all of them. They print the way compilers do (`path:line:col: error: ...`),
as JSON, or as GitHub Actions annotations.

Paths and messages quote what a checkout holds (file names, values), so printing
makes them harmless: text output shows control characters (terminal escape
sequences, line breaks, bidi overrides) as visible escapes, and annotations escape
`%`, CR and LF (and `:` and `,` in their properties) as GitHub's runner expects, so
no line of ours can start a workflow command such as `::stop-commands::`.
"""
from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Iterable, Sequence

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Position:
    path: str
    line: int = 0  # 1-based; 0 when the whole file is meant
    column: int = 0


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # ERROR or WARNING
    message: str
    path: str
    line: int = 0
    column: int = 0

    @classmethod
    def at(cls, severity: str, where: Position, message: str) -> "Diagnostic":
        return cls(severity, message, where.path, where.line, where.column)

    def text(self) -> str:
        place = printable(self.path)
        if self.line:
            place += f":{self.line}:{self.column or 1}"
        return f"{place}: {self.severity}: {printable(self.message)}"


# C0 and C1 controls (tab aside), DEL, line and paragraph separators, bidi embeddings,
# overrides and isolates: each could rewrite what a terminal or a log viewer shows.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character shown as an escape (`\\x1b`, `\\n`, `\\u202e`)."""
    return _UNPRINTABLE.sub(_escape_one, text)


def _escape_one(match: re.Match) -> str:
    char = match.group()
    if char == "\n":
        return "\\n"
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' when a choice is close to `word`, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return f' (did you mean "{close[0]}"?)' if close else ""


def fold(text: str) -> str:
    """Case and accents folded, spaces collapsed: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("’", "'").casefold().split())


def _loose(text: str) -> str:
    """Folded, with hyphens and underscores as spaces, so ids and names compare alike."""
    return fold(text.replace("-", " ").replace("_", " "))


class Spellings:
    """What an author may write for each item (ids, names, aliases), for did-you-mean.

    `targets` maps each spelling to the id it stands for; spellings are compared
    folded, with hyphens as spaces, so `le-drain` finds "Le Drian".
    """

    def __init__(self, targets: dict[str, str]):
        self.targets = targets
        self.by_loose: dict[str, str] = {}
        for spelling in targets:
            self.by_loose.setdefault(_loose(spelling), spelling)

    def suggest(self, word: str) -> str:
        """' (did you mean "x"?)' for the closest spelling, else ''; a name is shown with its id."""
        close = difflib.get_close_matches(_loose(word), list(self.by_loose), n=1, cutoff=0.75)
        if not close:
            return ""
        spelling = self.by_loose[close[0]]
        target = self.targets[spelling]
        if _loose(spelling) == _loose(target):
            return f' (did you mean "{target}"?)'
        return f' (did you mean "{spelling}", that is {target}?)'


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == ERROR for d in diagnostics)


def sort_in_file_order(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.path, d.line, d.column, d.message))


def summary_line(diagnostics: Sequence[Diagnostic], files: int) -> str:
    errors = sum(d.severity == ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    return (
        f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} "
        f"in {_plural(files, 'file')}"
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def format_diagnostics(diagnostics: Sequence[Diagnostic], style: str) -> str:
    """All diagnostics as text, json or github annotations (without the summary)."""
    if style == "json":
        return json.dumps([asdict(d) for d in diagnostics], indent=2, ensure_ascii=False)
    if style == "github":
        return "\n".join(_github(d) for d in diagnostics)
    return "\n".join(d.text() for d in diagnostics)


def _github(d: Diagnostic) -> str:
    """One workflow command; GitHub's runner unescapes %25, %0D, %0A (and %3A, %2C in properties)."""
    message = "%0A".join(_github_data(printable(line)) for line in d.message.split("\n"))
    path = _github_data(printable(d.path)).replace(":", "%3A").replace(",", "%2C")
    return f"::{d.severity} file={path},line={d.line or 1},col={d.column or 1}::{message}"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
