"""An entity span: the annotation every reader produces and every metric compares."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """An entity: ``chars[start:end]`` (end exclusive) of type ``label``."""

    start: int
    end: int
    label: str
