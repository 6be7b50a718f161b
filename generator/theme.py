"""Where the built-in theme is: its templates/ and static/ folders.

A module of its own so that telling whether anything changed since the last build,
which stamps the theme's files too, needs no template engine.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def builtin_dir(name: str) -> Path:
    """The theme's templates/ or static/: inside the installed package, or beside it in a checkout."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name
