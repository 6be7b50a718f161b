"""Feeds and data exports: files made from the Timeline without templates."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.model import Timeline
    from generator.plan import Export


def planned_exports(timeline: "Timeline") -> list["Export"]:
    return []
