"""Helpers that templates call: derived facts about the Timeline for its pages."""
from __future__ import annotations

from typing import Any, Callable

from generator.model import Timeline


def template_globals(timeline: Timeline) -> dict[str, Callable[..., Any]]:
    """Functions made available to every template, bound to this Timeline."""
    return {}
