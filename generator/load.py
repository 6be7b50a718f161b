"""The load stage: YAML files → plain values, each with its file, line and column.

Loading is safe and bounded: only the plain YAML types are accepted (custom and
`!!python/...` tags are refused), duplicate keys are reported (PyYAML would keep the
last silently), files over a size limit are refused before they are parsed, and
aliases cannot expand into more than a fixed number of nodes. Timestamps are kept
as their text, so the date parser sees what the author wrote.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from generator.diagnostics import ERROR, WARNING, Diagnostic, Position

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

DEFAULT_MAX_BYTES = 4 * 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 50

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null")}
_TIMESTAMP = _YAML + "timestamp"
_STR = _YAML + "str"

KINDS = ("events", "actors", "sources", "places", "tags")

@dataclass(frozen=True)
class Document:
    """One YAML file's value, with the (line, column) of every key and value in it."""

    path: str  # as shown to the author, relative to the site root
    data: Any
    value_positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)

    def where(self, at: tuple = ()) -> Position:
        """The position of the key at `at` (or its value, or its nearest parent)."""
        while True:
            found = self.key_positions.get(at) or self.value_positions.get(at)
            if found or not at:
                return Position(self.path, *(found or (1, 1)))
            at = at[:-1]

    def where_value(self, at: tuple = ()) -> Position:
        """The position of the value at `at` (or its key, or its nearest parent's)."""
        found = self.value_positions.get(at)
        return Position(self.path, *found) if found else self.where(at)


class _Refused(Exception):
    def __init__(self, message: str, mark: Any = None):
        super().__init__(message)
        self.mark = mark


def load_file(file: str | Path, shown_as: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Document | None, list[Diagnostic]]:
    """Read one YAML file into a Document, or say why it cannot be read."""
    def fail(message: str, line: int = 1, column: int = 1) -> tuple[None, list[Diagnostic]]:
        return None, [Diagnostic(ERROR, message, shown_as, line, column)]

    try:
        with open(file, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                return fail(f"file is {size:,} bytes, over the limit of {max_bytes:,} (set max_file_bytes in site.yml to raise it)")
            raw = handle.read(max_bytes + 1)
    except OSError as err:
        return fail(f"cannot read file: {err.strerror}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        return fail(f"not UTF-8 text: byte 0x{raw[err.start]:02x} cannot be decoded (save the file as UTF-8)", line, column)
    if not text.strip() or all(not l.strip() or l.lstrip().startswith("#") for l in text.splitlines()):
        return fail("empty file: expected a mapping of fields")
    return parse_text(text, shown_as)


def flow_depth_exceeds(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether [ and { nest deeper than `limit` (quoted text and comments aside).

    libyaml's composer recurses once per level: a few hundred thousand nested
    brackets overflow the C stack, so such text must be refused before parsing.
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    depth, index, length = 0, 0, len(text)
    while index < length:
        char = text[index]
        if char in "'\"":
            closing = text.find(char, index + 1)
            index = length if closing < 0 else closing
        elif char == "#" and (index == 0 or text[index - 1] in " \t\n"):
            newline = text.find("\n", index)
            index = length if newline < 0 else newline
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return False


def parse_text(text: str, shown_as: str) -> tuple[Document | None, list[Diagnostic]]:
    if flow_depth_exceeds(text):
        return None, [Diagnostic(ERROR, f"YAML nested too deeply (more than {MAX_DEPTH} levels of [ or {{)", shown_as, 1, 1)]
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        return None, [_syntax_error(text, shown_as, err)]
    except yaml.YAMLError as err:
        return None, [Diagnostic(ERROR, f"YAML error: {err}", shown_as, 1, 1)]
    except RecursionError:
        return None, [Diagnostic(ERROR, f"YAML nested too deeply (more than {MAX_DEPTH} levels)", shown_as, 1, 1)]
    finally:
        loader.dispose()
    if root is None:
        return None, [Diagnostic(ERROR, "empty file: expected a mapping of fields", shown_as, 1, 1)]
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        return None, [_at_mark(shown_as, root.start_mark, f"the file holds {kind}; expected a mapping of fields (key: value)")]
    builder = _Builder(shown_as)
    try:
        data = builder.build(root, (), 0)
    except _Refused as refusal:
        return None, [*builder.diagnostics, _at_mark(shown_as, refusal.mark, str(refusal))]
    document = Document(shown_as, data, builder.values, builder.keys)
    return document, builder.diagnostics


def _syntax_error(text: str, shown_as: str, err: yaml.MarkedYAMLError) -> Diagnostic:
    """A YAML syntax error in plain words for the common mistakes, in the parser's words otherwise."""
    mark = err.problem_mark or err.context_mark
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines):
        plain = explain_syntax_error(lines, mark.line, mark.column, err.problem or "")
        if plain:
            line, column, message = plain
            return Diagnostic(ERROR, message, shown_as, line + 1, column + 1)
    problem = err.problem or "syntax error"
    if err.context:
        problem = f"{err.context}: {problem}" if "found" not in (err.context or "") else problem
    return _at_mark(shown_as, mark, f"YAML syntax error: {problem}")


def explain_syntax_error(lines: list[str], line: int, column: int, problem: str) -> tuple[int, int, str] | None:
    """(line, column, message), 0-based, for a tab, a misindented line or a colon in a value."""
    for number in (line, line - 1):  # libyaml may report a tab on the line after the one holding it
        if 0 <= number < len(lines) and "\t" in _indentation(lines[number], tabs=True):
            tab = lines[number].index("\t")
            return number, tab, "a tab in the indentation: YAML indents with spaces only; replace the tab with spaces"
    text = lines[line]
    indent = len(_indentation(text))
    key_above = _line_above(lines, line, _starts_with_key)
    if "mapping values are not allowed" in problem:
        if key_above is not None and indent > _key_column(lines[key_above]) and _starts_with_key(text):
            return line, indent, _misindented(lines, line, key_above)
        return _colon_in_value(text, line, column)
    after_quote = _TEXT_AFTER_QUOTE.search(text)
    if "did not find expected" not in problem:
        return None
    if after_quote:
        return line, after_quote.start(2), "text after the closing quote: put the whole value in quotes, or leave the quotes out"
    item_above = _line_above(lines, line, _is_list_item)
    if _is_list_item(text) and item_above is not None and indent != len(_indentation(lines[item_above])):
        return line, indent, _misindented(lines, line, item_above)
    if _starts_with_key(text) and key_above is not None and indent != _key_column(lines[key_above]):
        return line, indent, _misindented(lines, line, key_above)
    return None


_TEXT_AFTER_QUOTE = re.compile(r"""^\s*(?:- )*[\w\-]+:\s+(["'])(?:(?!\1).)*\1[ \t]*([^\s#])""")


def _indentation(text: str, tabs: bool = False) -> str:
    return text[: len(text) - len(text.lstrip(" \t" if tabs else " "))]


def _line_above(lines: list[str], line: int, wanted: Callable[[str], bool]) -> int | None:
    """The nearest line above that is `wanted` (blank lines and comments are never)."""
    for number in range(line - 1, -1, -1):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#") and wanted(lines[number]):
            return number
    return None


def _key_column(text: str) -> int:
    """Where the key of a line starts (after a list's `- `)."""
    column = len(_indentation(text))
    while text[column:column + 2] == "- ":
        column += 2
        column += len(_indentation(text[column:]))
    return column


def _starts_with_key(text: str) -> bool:
    return bool(re.match(r"\s*[\w\-]+\s*:(\s|$)", text))


def _is_list_item(text: str) -> bool:
    return text.lstrip(" ").startswith("- ")


def _misindented(lines: list[str], line: int, above: int) -> str:
    """Which way a line is off from the key (or list item) above it, and how it should read."""
    text = lines[line]
    item = _is_list_item(text)
    column = len(_indentation(lines[above])) if item else _key_column(lines[above])
    more_or_less = "more" if len(_indentation(text)) > column else "less"
    fixed = " " * column + text.strip()
    if item:
        return (
            f"this list item is indented {more_or_less} than the one on line {above + 1}: the items of one list"
            f' start in the same column, so it should read "{fixed}"'
        )
    key = lines[above][_key_column(lines[above]):].split(":")[0]
    return (
        f'this line is indented {more_or_less} than "{key}:" on line {above + 1}: the keys of one mapping start'
        f' in the same column, so it should read "{fixed}"'
    )


def _colon_in_value(text: str, line: int, column: int) -> tuple[int, int, str]:
    """A `: ` inside an unquoted value starts a mapping; the fix is to quote the value."""
    key_colon = text.rfind(": ", 0, column)
    if key_colon < 0:
        return line, column, "a colon followed by a space starts a new key here; put the value in quotes"
    start = key_colon + 2
    value, comment = text[start:].strip(), ""
    if " #" in value:
        value, comment = value.split(" #", 1)[0].rstrip(), "  #" + value.split(" #", 1)[1]
    if '"' in value and "'" not in value:
        quoted = f"'{value}'"
    else:
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    fixed = text[:start].rstrip() + " " + quoted + comment
    return line, column, f'a colon followed by a space inside a value starts a new key: put the value in quotes, as in {fixed.strip()}'


def _at_mark(path: str, mark: Any, message: str) -> Diagnostic:
    if mark is None:
        return Diagnostic(ERROR, message, path, 1, 1)
    return Diagnostic(ERROR, message, path, mark.line + 1, mark.column + 1)


class _Builder:
    """Turns a composed YAML node tree into plain values, noting positions."""

    def __init__(self, path: str):
        self.path = path
        self.values: dict[tuple, tuple[int, int]] = {}
        self.keys: dict[tuple, tuple[int, int]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.nodes = 0

    @staticmethod
    def position(node: yaml.Node) -> tuple[int, int]:
        mark = node.start_mark
        return mark.line + 1, mark.column + 1

    def build(self, node: yaml.Node, at: tuple, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused(f"too many values (over {MAX_NODES:,}); aliases expanding without bound?", node.start_mark)
        if depth > MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep", node.start_mark)
        self.values[at] = self.position(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, at, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _YAML + "seq":
                raise _Refused(_tag_refused(node.tag), node.start_mark)
            return [self.build(item, at + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, at: tuple, depth: int) -> dict:
        if node.tag != _YAML + "map":
            raise _Refused(_tag_refused(node.tag), node.start_mark)
        result: dict = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a list or mapping"
                self.diagnostics.append(_at_mark(self.path, key_node.start_mark, f"key {shown!s} must be a word, not {_type_name(key)}"))
                continue
            if key in result:
                first_line = self.keys[at + (key,)][0]
                self.diagnostics.append(_at_mark(self.path, key_node.start_mark, f'duplicate key "{key}" (first at line {first_line}); only one may stay'))
                continue
            self.keys[at + (key,)] = self.position(key_node)
            result[key] = self.build(value_node, at + (key,), depth + 1)
        return result

    def scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR or tag == _TIMESTAMP:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            raise _Refused(_tag_refused(node.tag), node.start_mark)
        constructor = yaml.SafeLoader.yaml_constructors[node.tag]
        return constructor(_SCALAR_CONSTRUCTOR, node)


_SCALAR_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _tag_refused(tag: str) -> str:
    shown = "!!" + tag[len(_YAML):] if tag.startswith(_YAML) else tag
    return f"the tag {shown} is not allowed: content holds only plain YAML values"


def _type_name(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", type(None): "empty"}.get(type(value), type(value).__name__)


def content_files(root: Path, unreadable: list[OSError] | None = None) -> Iterator[tuple[str, str, bool]]:
    """Every YAML file under root/content, sorted, as (kind, path, whether it is a symbolic link); kind '' when misplaced.

    A folder that cannot be listed is added to `unreadable` (never skipped in silence:
    its events would quietly vanish from the site). Linked folders are not entered.
    """
    content = os.path.join(root, "content")
    if os.path.isdir(content):
        yield from _yaml_files(content, [], unreadable)


def _yaml_files(folder: str, parts: list[str], unreadable: list[OSError] | None) -> Iterator[tuple[str, str, bool]]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as err:
        if unreadable is not None:
            unreadable.append(err)
        return
    kind = parts[0] if parts and parts[0] in KINDS else ""
    if kind in ("actors", "sources", "places", "tags") and len(parts) != 1:
        kind = ""
    folders = []
    for entry in entries:  # the entry's type comes with the listing: no call to the system per file
        if entry.is_dir():
            if not entry.is_symlink():
                folders.append(entry)
        elif entry.name.endswith((".yml", ".yaml")) and not entry.name.startswith("."):
            yield kind, entry.path, entry.is_symlink()
    for entry in folders:
        yield from _yaml_files(entry.path, [*parts, entry.name], unreadable)


@dataclass(frozen=True)
class ContentFile:
    kind: str  # events, actors or sources
    path: str
    shown: str  # relative to the site root, with /


def find_content(root: Path) -> tuple[list[ContentFile], list[Diagnostic]]:
    """The content files to load, and what is wrong with the others."""
    found: list[ContentFile] = []
    diagnostics: list[Diagnostic] = []
    real_root = os.path.realpath(root)
    prefix = len(os.path.join(str(root), ""))
    unreadable: list[OSError] = []
    for kind, path, linked in content_files(root, unreadable):
        shown = path[prefix:].replace(os.sep, "/")
        if linked and link_leaves(path, real_root):
            diagnostics.append(Diagnostic(ERROR, "symbolic link pointing outside the site folder: refused", shown, 1, 1))
        elif not kind:
            diagnostics.append(Diagnostic(WARNING, "YAML file outside content/events/, content/actors/, content/sources/, content/places/ and content/tags/: ignored", shown, 1, 1))
        else:
            found.append(ContentFile(kind, path, shown))
    for err in unreadable:
        shown = os.fsdecode(err.filename or "content")[prefix:].replace(os.sep, "/")
        message = f"cannot read this folder: {err.strerror}; its files are neither checked nor published (fix its permissions)"
        diagnostics.append(Diagnostic(ERROR, message, shown + "/", 1, 1))
    return found, diagnostics


def parse_file(path: str | Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document | None:
    """The document in a file, or None (for positions only: problems are not reported)."""
    return load_file(path, shown, max_bytes)[0]


def link_leaves(path: str | Path, real_root: str) -> bool:
    """Whether `path` is a symbolic link whose target lies outside `real_root` (a resolved folder)."""
    if not os.path.islink(path):
        return False
    real = os.path.realpath(path)
    return not (real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep))
