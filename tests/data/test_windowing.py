"""Windowing long sentences and stitching predictions back: nothing lost, nothing doubled."""

from __future__ import annotations

import random

import pytest

from nerkit.data.dataset_readers import ConllDatasetReader
from nerkit.data.sentence import Sentence, Span
from nerkit.data.windowing import make_windows, stitch_spans, window_bounds
from nerkit.data.writers import write_conll


def long_sentence(length: int = 2000, seed: int = 3) -> Sentence:
    rng = random.Random(seed)
    spans, position = [], 0
    while True:
        position += rng.randint(0, 6)
        size = rng.randint(1, 10)
        if position + size > length:
            break
        spans.append(Span(position, position + size, rng.choice(["PER", "LOC", "ORG"])))
        position += size
    chars = [rng.choice("的一是在不了有和人这中大为上个国我以要他") for _ in range(length)]
    return Sentence(chars, spans)


def test_window_bounds_cover_everything_with_overlap():
    assert window_bounds(10, 4, 4) == [(0, 4), (4, 8), (6, 10)]
    assert window_bounds(10, 4, 2) == [(0, 4), (2, 6), (4, 8), (6, 10)]
    assert window_bounds(3, 4) == [(0, 3)]
    with pytest.raises(ValueError, match="stride"):
        window_bounds(10, 4, 5)


def test_a_2000_character_line_through_reading_and_windowing_loses_no_entity(tmp_path):
    original = long_sentence()
    write_conll([original], tmp_path / "long.bio")
    sentence = ConllDatasetReader().read(tmp_path / "long.bio")[0]
    assert len(sentence) == 2000 and sentence.spans == original.spans
    windows = make_windows(sentence, max_length=128, stride=64)
    assert all(len(w.sentence) <= 128 for w in windows)
    for span in sentence.spans:
        assert any(w.start <= span.start and span.end <= w.end for w in windows), span
    for window in windows:
        assert window.sentence.chars == sentence.chars[window.start:window.end]
        assert window.sentence.meta["offset"] == window.start
    predictions = [w.sentence.spans for w in windows]
    assert stitch_spans(windows, predictions, len(sentence)) == sentence.spans


def test_stitching_prefers_the_window_where_the_entity_is_farthest_from_an_edge():
    sentence = Sentence(list("x" * 12), None)
    windows = make_windows(sentence, max_length=8, stride=4)  # (0, 8) and (4, 12)
    # The first window sees a cut entity at its right edge (6, 8); the second sees it whole.
    predictions = [[Span(6, 8, "PER")], [Span(2, 5, "PER")]]
    assert stitch_spans(windows, predictions, 12) == [Span(6, 9, "PER")]
    # The same entity predicted in both windows comes out once.
    predictions = [[Span(5, 7, "LOC")], [Span(1, 3, "LOC")]]
    assert stitch_spans(windows, predictions, 12) == [Span(5, 7, "LOC")]


def test_sentence_ends_are_not_edges():
    sentence = Sentence(list("x" * 12), None)
    windows = make_windows(sentence, max_length=8, stride=4)
    predictions = [[Span(0, 2, "A")], [Span(6, 8, "B")]]
    assert stitch_spans(windows, predictions, 12) == [Span(0, 2, "A"), Span(10, 12, "B")]


def test_a_2000_character_line_split_at_sentence_ends_loses_no_entity(tmp_path):
    original = long_sentence()
    for position in range(37, 2000, 97):
        original.chars[position] = "。"
    write_conll([original], tmp_path / "long.bio")
    pieces = ConllDatasetReader(split_sentences=True).read(tmp_path / "long.bio")
    assert len(pieces) > 10 and sum(len(p) for p in pieces) == 2000
    restored = [
        Span(s + p.meta["offset"], e + p.meta["offset"], label)
        for p in pieces for s, e, label in p.spans
    ]
    assert restored == original.spans
