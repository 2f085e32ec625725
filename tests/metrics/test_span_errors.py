"""Span error analysis: each wrong entity classified against the gold entities it overlaps."""

from __future__ import annotations

import random

from nerkit.data.sentence import Sentence
from nerkit.data.span import Span
from nerkit.metrics.span_errors import (
    ErrorCollector,
    SpanError,
    count_errors,
    error_record,
    span_errors,
)


def test_each_kind_on_a_hand_made_sentence():
    gold = [Span(0, 2, "PER"), Span(3, 5, "LOC"), Span(6, 9, "ORG"), Span(10, 12, "PER"),
            Span(13, 15, "LOC"), Span(20, 22, "PER")]
    predicted = [Span(0, 2, "PER"),  # correct
                 Span(3, 5, "ORG"),  # type
                 Span(6, 8, "ORG"),  # boundary
                 Span(10, 13, "LOC"),  # boundary+type: overlaps 10-12 by 2, 13-15 by 0
                 Span(16, 18, "PER")]  # spurious; 13-15 and 20-22 are missed
    assert span_errors(gold, predicted) == [
        SpanError("type", Span(3, 5, "LOC"), Span(3, 5, "ORG")),
        SpanError("boundary", Span(6, 9, "ORG"), Span(6, 8, "ORG")),
        SpanError("boundary+type", Span(10, 12, "PER"), Span(10, 13, "LOC")),
        SpanError("missed", Span(13, 15, "LOC"), None),
        SpanError("spurious", None, Span(16, 18, "PER")),
        SpanError("missed", Span(20, 22, "PER"), None),
    ]
    assert span_errors(gold, gold) == []


def test_a_prediction_spanning_two_gold_entities_names_the_larger_overlap():
    gold = [Span(0, 2, "LOC"), Span(2, 6, "ORG")]
    assert span_errors(gold, [Span(0, 6, "ORG")]) == [
        SpanError("missed", Span(0, 2, "LOC"), None),
        SpanError("boundary", Span(2, 6, "ORG"), Span(0, 6, "ORG")),
    ]


def random_spans(rng, length):
    spans, position = [], 0
    while position < length - 1:
        start = rng.randrange(position, length - 1)
        end = rng.randrange(start + 1, min(length, start + 4) + 1)
        spans.append(Span(start, end, rng.choice("AB")))
        position = end + rng.randrange(0, 3)
    return spans


def test_errors_account_for_every_false_positive_and_negative():
    rng = random.Random(4)
    for _ in range(300):
        gold, predicted = random_spans(rng, 20), random_spans(rng, 20)
        errors = span_errors(gold, predicted)
        wrong = {e.predicted for e in errors if e.predicted is not None}
        assert wrong == set(predicted) - set(gold)  # each false positive once
        assert len(wrong) == sum(e.predicted is not None for e in errors)
        named = {e.gold for e in errors if e.gold is not None}
        assert named == set(gold) - set(predicted)  # each false negative named
        missed = [e.gold for e in errors if e.kind == "missed"]
        paired = [e.gold for e in errors if e.kind != "missed" and e.gold is not None]
        assert not set(missed) & set(paired) and len(missed) == len(set(missed))


def test_collector_reads_entities_as_span_f1_does():
    sentence = Sentence(list("张三在北京大学"), [Span(0, 2, "PER"), Span(3, 7, "ORG")],
                        {"file": "d.bio", "line": 4})
    collector = ErrorCollector("BIO")
    # an I- without B- is no entity in the strict reading: 北京大学 counts as missed
    collector([sentence], [["B-PER", "I-PER", "O", "I-ORG", "I-ORG", "I-ORG", "I-ORG"]])
    errors = collector.of(sentence)
    assert errors == [SpanError("missed", Span(3, 7, "ORG"), None)]
    assert collector.counts() == {"missed": 1, "spurious": 0, "boundary": 0, "type": 0,
                                  "boundary+type": 0}
    assert error_record(sentence, errors) == {
        "file": "d.bio", "line": 4, "text": "张三在北京大学",
        "errors": [{"kind": "missed", "gold": {"start": 3, "end": 7, "type": "ORG",
                                                "text": "北京大学"}, "predicted": None}]}
    assert collector.counts_by_type() == {"ORG": collector.counts()}
    assert count_errors([]) == dict.fromkeys(count_errors([]), 0)


def test_tally_table_counts_each_sentence_as_span_f1_does():
    first = Sentence(list("张三在北京"), [Span(0, 2, "PER"), Span(3, 5, "LOC")])
    second = Sentence(list("好"), [])
    collector = ErrorCollector("BIO")
    collector([second, first], [["B-PER"], ["B-PER", "I-PER", "O", "I-LOC", "I-LOC"]])
    assert collector.tally_table([first, second]).tolist() == [[1, 1, 2], [0, 1, 0]]
    assert collector.tally_table([Sentence(list("x"), [])]).tolist() == [[0, 0, 0]]
