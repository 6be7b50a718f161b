"""Template mistakes (a site's own templates are user input) as messages, never tracebacks.

Every template is compiled before anything is rendered, so all syntax errors are
reported at once; an error met while rendering (an unknown variable or attribute)
stops the build, naming the template, its line and the page being made. Either way
nothing is written and the last good site stays.
"""
from __future__ import annotations

import hashlib
import traceback
from pathlib import Path

import jinja2

from generator.diagnostics import ERROR, Diagnostic

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".j2")


class TemplateFailure(Exception):
    """Templates that do not compile or render; `problems` are lines for the author."""

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(self.problems)


def check_templates(env: jinja2.Environment, site_root: Path) -> None:
    """Compile every template the site can use; raise one failure listing every syntax error."""
    problems = template_diagnostics(env, site_root)
    if problems:
        raise TemplateFailure([f"{problem.path}:{problem.line}: {problem.message}" for problem in problems])


def templates_digest(env: jinja2.Environment) -> str:
    """One digest of every template's name and source: while it stays the same, they need not be compiled again to be checked."""
    digest = hashlib.blake2b(digest_size=16)
    for name in env.list_templates(filter_func=lambda name: name.endswith(TEMPLATE_SUFFIXES)):
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        digest.update(f"{name}\0{len(source)}\0{source}".encode())
    return digest.hexdigest()


def template_diagnostics(env: jinja2.Environment, site_root: Path) -> list[Diagnostic]:
    """A diagnostic for each template that does not compile (what `timeline check` reports)."""
    problems = []
    for name in env.list_templates(filter_func=lambda name: name.endswith(TEMPLATE_SUFFIXES)):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as err:
            problems.append(Diagnostic(ERROR, err.message or "syntax error", _shown(err.filename or name, site_root), err.lineno))
    return problems


def rendering_failure(err: jinja2.TemplateError, page: str, site_root: Path) -> TemplateFailure:
    """The failure of rendering `page`, placed at the template line it happened on."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        where = f"{_shown(err.filename or err.name or '?', site_root)}:{err.lineno}"
    else:
        frames = _template_frames(err)
        where = f"{_shown(frames[-1].filename, site_root)}:{frames[-1].lineno}" if frames else "a template"
    return TemplateFailure([f"{where}: {err.message or type(err).__name__} {_making(page)}"])


def helper_failure(err: Exception, page: str, site_root: Path) -> TemplateFailure | None:
    """The failure of a site's own template that handed a helper (or a filter) what it cannot use,
    placed at that template's line; None when no template of the site's is where it happened
    (a failure of the generator's own, left to show as one)."""
    own = (site_root / "templates").resolve()
    frames = [f for f in _template_frames(err) if Path(f.filename).resolve().is_relative_to(own)]
    if not frames:
        return None
    where = f"{_shown(frames[-1].filename, site_root)}:{frames[-1].lineno}"
    return TemplateFailure([
        f"{where}: {type(err).__name__}: {err} {_making(page)}; a function or filter used on this line"
        " was given something it cannot take (see the built-in templates for how they call it)"
    ])


def _template_frames(err: BaseException) -> list[traceback.FrameSummary]:
    """The frames of `err`'s traceback that ran a template (Jinja compiles them with their file's name)."""
    return [f for f in traceback.extract_tb(err.__traceback__) if f.filename.endswith(TEMPLATE_SUFFIXES)]


def _making(page: str) -> str:
    return f"(while making {page or 'the home page'})"


def _shown(filename: str, site_root: Path) -> str:
    """A template's file as the author knows it: relative to the site, or the built-in theme's."""
    path = Path(filename)
    try:
        return path.resolve().relative_to(site_root.resolve()).as_posix()
    except (ValueError, OSError):
        return f"(built-in theme) templates/{path.name}" if path.is_absolute() else filename
