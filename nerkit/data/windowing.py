"""Long sentences as overlapping windows, and window predictions stitched back.

Nothing is truncated: every position is in at least one window, and an entity no longer than
the overlap (``max_length - stride``) lies whole in at least one window. When an entity is
predicted in several windows, the prediction from the window where it lies farthest from a
window edge (the sentence's own ends do not count as edges) wins, once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from nerkit.data.sentence import Sentence, Span


@dataclass
class Window:
    """``sentence`` holds ``chars[start:end]`` of the original, with the spans lying inside."""

    start: int
    end: int
    sentence: Sentence


def window_bounds(length: int, max_length: int, stride: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each window; the last window ends at ``length``.

    Args:
        length: The sentence length.
        max_length: The most positions a window holds.
        stride: How far each window starts after the previous (default ``max_length // 2``).
    """
    stride = max_length // 2 if stride is None else stride
    if max_length < 1 or not 0 < stride <= max_length:
        raise ValueError(f"need 0 < stride <= max_length, got {stride} and {max_length}")
    if length <= max_length:
        return [(0, length)]
    bounds = []
    start = 0
    while start + max_length < length:
        bounds.append((start, start + max_length))
        start += stride
    bounds.append((length - max_length, length))
    return bounds


def make_windows(sentence: Sentence, max_length: int, stride: int | None = None) -> list[Window]:
    """Cut ``sentence`` into windows; a window keeps the gold spans that lie wholly inside it."""
    windows = []
    for start, end in window_bounds(len(sentence), max_length, stride):
        spans = None
        if sentence.spans is not None:
            spans = [
                Span(s - start, e - start, label)
                for s, e, label in sentence.spans if start <= s and e <= end
            ]
        meta = {**sentence.meta, "offset": sentence.meta.get("offset", 0) + start}
        windows.append(Window(start, end, Sentence(sentence.chars[start:end], spans, meta)))
    return windows


def stitch_spans(
    windows: Sequence[Window], predictions: Sequence[Sequence[Span]], length: int
) -> list[Span]:
    """Map each window's predicted spans to original offsets and keep one of each overlap."""
    candidates = []
    for window, spans in zip(windows, predictions, strict=True):
        for s, e, label in spans:
            start, end = s + window.start, e + window.start
            left = start - window.start if window.start > 0 else math.inf
            right = window.end - end if window.end < length else math.inf
            candidates.append((min(left, right), Span(start, end, label)))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    kept: list[Span] = []
    for _, span in candidates:
        if all(span.end <= k.start or k.end <= span.start for k in kept):
            kept.append(span)
    return sorted(kept)
