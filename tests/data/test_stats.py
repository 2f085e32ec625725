"""Dataset figures."""

from __future__ import annotations

from nerkit.data.sentence import Sentence, Span
from nerkit.data.stats import dataset_stats, format_stats, percentile


def test_percentile_nearest_rank():
    assert percentile([1, 2, 3, 4], 50) == 2 and percentile([1, 2, 3, 4], 100) == 4
    assert percentile([], 50) == 0


def test_figures_by_hand():
    sentences = [
        Sentence(list("北京人"), [Span(0, 2, "LOC")]),
        Sentence(list("李鹏去上海了"), [Span(0, 2, "PER"), Span(3, 5, "LOC")]),
        Sentence(list("好"), []),
    ]
    stats = dataset_stats(sentences, "BIO", [("f", 3, "bad tag")])
    assert stats["sentences"] == 3 and stats["characters"] == 10
    assert stats["entities_per_type"] == {"LOC": 2, "PER": 1}
    assert stats["sentence_length"]["p50"] == 3 and stats["sentence_length"]["p100"] == 6
    assert stats["sentences_with_entities"] == 2 and stats["problems"] == 1
    text = format_stats(stats)
    assert "LOC                2" in text and "f:3: bad tag" in text and "BIO" in text
