"""A sentence as characters plus entity spans; tags in any scheme are derived from the spans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nerkit.data.span import Span
from nerkit.data.tag_schemes import spans_to_tags

__all__ = ["Sentence", "Span"]


@dataclass
class Sentence:
    """One training or prediction instance.

    Spans are the canonical annotation, so converting between tag schemes is exact: a reader
    parses its file's tags into spans, and a model asks for tags in its own scheme.

    Args:
        chars: One string per character position (usually one character each).
        spans: Gold entities, or ``None`` for unlabelled text.
        meta: Anything the reader wants to keep (file, line, paragraph id, offsets).
    """

    chars: list[str]
    spans: list[Span] | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.chars)

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def tags(self, scheme: str) -> list[str]:
        """The gold tags in ``scheme`` (all ``O`` when unlabelled)."""
        return spans_to_tags(self.spans or [], len(self.chars), scheme)

    def text_entity(self, span: Span) -> dict[str, Any]:
        """``span`` as a JSON-ready dict in character offsets of ``text`` (which differ from
        positions only where a position holds several characters, e.g. a CoNLL token)."""
        start = sum(len(char) for char in self.chars[:span.start])
        end = start + sum(len(char) for char in self.chars[span.start:span.end])
        return {"start": start, "end": end, "type": span.label, "text": self.text[start:end]}

    def entities(self) -> list[dict[str, Any]]:
        """Spans as JSON-ready dicts with their surface text (offsets are positions)."""
        return [
            {
                "start": s.start, "end": s.end, "type": s.label,
                "text": "".join(self.chars[s.start:s.end]),
            }
            for s in self.spans or []
        ]
