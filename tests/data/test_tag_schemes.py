"""Tag schemes: exact span <-> tag conversion, transition tables, the reading rule vs seqeval."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.scheme import IOB2, IOBES, Entities

from nerkit.data.sentence import Span
from nerkit.data.tag_schemes import (
    SCHEMES,
    InvalidTagSequence,
    allowed_transitions,
    check_scheme,
    detect_scheme,
    labels_for,
    lenient_tags_to_spans,
    spans_to_tags,
    tags_to_spans,
    to_iobes,
    validate_tags,
)

TYPES = ["PER", "LOC"]


@st.composite
def spans_and_length(draw):
    """Non-overlapping spans (any lengths, adjacent allowed) over a sentence."""
    length = draw(st.integers(0, 30))
    cuts = sorted(draw(st.lists(st.integers(0, length), max_size=12)))
    spans = []
    for start, end in zip(cuts, cuts[1:]):
        if end > start and draw(st.booleans()):
            spans.append(Span(start, end, draw(st.sampled_from(TYPES))))
    return spans, length


def is_valid(tags: list[str], scheme: str) -> bool:
    try:
        validate_tags(tags, scheme)
    except InvalidTagSequence:
        return False
    return True


def random_tags(scheme: str, max_size: int = 12):
    return st.lists(st.sampled_from(labels_for(TYPES, scheme)), max_size=max_size)


@pytest.mark.parametrize("scheme", SCHEMES)
@given(case=spans_and_length())
def test_spans_to_tags_and_back_is_exact(scheme, case):
    spans, length = case
    tags = spans_to_tags(spans, length, scheme)
    validate_tags(tags, scheme)
    assert tags_to_spans(tags, scheme) == spans


@pytest.mark.parametrize("scheme", SCHEMES)
@given(case=spans_and_length(), other=st.sampled_from(SCHEMES))
def test_conversion_between_schemes_is_exact(scheme, case, other):
    spans, length = case
    converted = spans_to_tags(tags_to_spans(spans_to_tags(spans, length, scheme), scheme),
                              length, other)
    assert tags_to_spans(converted, other) == spans


@pytest.mark.parametrize("scheme", SCHEMES)
@settings(max_examples=300)
@given(data=st.data())
def test_transition_table_agrees_with_validate_tags(scheme, data):
    labels = labels_for(TYPES, scheme)
    start, end, transitions = allowed_transitions(labels, scheme)
    tags = data.draw(random_tags(scheme))
    index = [labels.index(t) for t in tags]
    by_table = not index or (
        start[index[0]] and end[index[-1]]
        and all(transitions[a][b] for a, b in zip(index, index[1:]))
    )
    assert by_table == is_valid(tags, scheme)


@pytest.mark.parametrize("scheme", SCHEMES)
@given(data=st.data())
def test_valid_sequences_are_exactly_the_written_ones(scheme, data):
    tags = data.draw(random_tags(scheme))
    if is_valid(tags, scheme):
        assert spans_to_tags(tags_to_spans(tags, scheme), len(tags), scheme) == tags


@pytest.mark.parametrize(("scheme", "seqeval_scheme"), [("BIO", IOB2), ("BIOES", IOBES)])
@settings(max_examples=500)
@given(data=st.data())
def test_reading_rule_matches_seqeval_strict(scheme, seqeval_scheme, data):
    tags = data.draw(random_tags(scheme, max_size=15))
    expected = [
        Span(e.start, e.end, e.tag) for e in Entities([tags], seqeval_scheme).entities[0]
    ]
    assert tags_to_spans(tags, scheme) == sorted(expected)


def table(scheme: str) -> tuple[dict, dict, dict]:
    labels = labels_for(["PER", "LOC"], scheme)
    start, end, transitions = allowed_transitions(labels, scheme)
    return (
        dict(zip(labels, start)),
        dict(zip(labels, end)),
        {(a, b): transitions[i][j] for i, a in enumerate(labels) for j, b in enumerate(labels)},
    )


@pytest.mark.parametrize(
    ("scheme", "pairs"),
    [
        ("BIO", {("O", "I-PER"): False, ("B-PER", "I-PER"): True, ("B-LOC", "I-PER"): False,
                 ("I-PER", "I-PER"): True, ("I-PER", "B-PER"): True, ("I-PER", "O"): True}),
        ("BIOES", {("B-PER", "O"): False, ("B-PER", "E-PER"): True, ("I-PER", "S-LOC"): False,
                   ("E-PER", "B-PER"): True, ("S-PER", "I-PER"): False, ("B-PER", "E-LOC"): False}),
        ("BMES", {("B-PER", "M-PER"): True, ("M-PER", "E-PER"): True, ("M-PER", "O"): False,
                  ("E-PER", "S-PER"): True, ("O", "M-PER"): False}),
        # BIEO: a lone B is a one-character entity; I must be closed by E.
        ("BIEO", {("B-PER", "O"): True, ("B-PER", "B-LOC"): True, ("B-PER", "I-PER"): True,
                  ("B-PER", "E-PER"): True, ("I-PER", "O"): False, ("I-PER", "B-PER"): False,
                  ("I-PER", "E-PER"): True, ("I-PER", "E-LOC"): False, ("E-PER", "I-PER"): False,
                  ("O", "E-PER"): False, ("E-PER", "B-PER"): True}),
    ],
)
def test_transition_pairs(scheme, pairs):
    _, _, transitions = table(scheme)
    for pair, allowed in pairs.items():
        assert transitions[pair] is allowed, pair


@pytest.mark.parametrize(
    ("scheme", "starts", "ends"),
    [
        ("BIO", {"O", "B-PER"}, {"O", "B-PER", "I-PER"}),
        ("BIOES", {"O", "B-PER", "S-PER"}, {"O", "E-PER", "S-PER"}),
        ("BMES", {"O", "B-PER", "S-PER"}, {"O", "E-PER", "S-PER"}),
        ("BIEO", {"O", "B-PER"}, {"O", "B-PER", "E-PER"}),
    ],
)
def test_start_and_end_labels(scheme, starts, ends):
    start, end, _ = table(scheme)
    assert {label for label, ok in start.items() if ok and "LOC" not in label} == starts
    assert {label for label, ok in end.items() if ok and "LOC" not in label} == ends


def test_bieo_by_hand():
    tags = ["B-PER", "O", "B-LOC", "I-LOC", "E-LOC", "B-ORG", "E-ORG", "B-PER"]
    assert spans_to_tags(tags_to_spans(tags, "BIEO"), len(tags), "BIEO") == tags
    assert tags_to_spans(tags, "BIEO") == [
        Span(0, 1, "PER"), Span(2, 5, "LOC"), Span(5, 7, "ORG"), Span(7, 8, "PER")
    ]
    with pytest.raises(InvalidTagSequence, match="cannot end"):
        validate_tags(["B-PER", "I-PER"], "BIEO")


@pytest.mark.parametrize(
    ("tags", "scheme", "spans"),
    [
        # An orphan I is dropped (strict), a B-I run closed by O is kept.
        (["O", "I-PER", "B-LOC", "I-LOC", "O"], "BIO", [Span(2, 4, "LOC")]),
        # BIEO: an unclosed B I run is dropped, a lone B is a single-character entity.
        (["B-PER", "I-PER", "O", "B-LOC"], "BIEO", [Span(3, 4, "LOC")]),
        # BMES: M is I.
        (["B-PER", "M-PER", "E-PER", "M-PER"], "BMES", [Span(0, 3, "PER")]),
    ],
)
def test_reading_invalid_predictions(tags, scheme, spans):
    assert tags_to_spans(tags, scheme) == spans


def test_to_iobes_maps_by_right_neighbour():
    assert to_iobes(["B-PER", "I-PER", "B-LOC"], "BIO") == ["B-PER", "E-PER", "S-LOC"]


def test_validate_tags_names_position_and_prefix():
    with pytest.raises(InvalidTagSequence) as info:
        validate_tags(["O", "X-PER"], "BIO")
    assert info.value.position == 1 and "prefix 'X'" in str(info.value)
    with pytest.raises(InvalidTagSequence) as info:
        validate_tags(["O", "O", "I-PER"], "BIO")
    assert info.value.position == 2 and "cannot follow" in str(info.value)
    with pytest.raises(InvalidTagSequence, match="malformed tag"):
        validate_tags(["PER"], "BIO")


@pytest.mark.parametrize(
    ("tags", "scheme"),
    [
        ([["B-PER", "I-PER", "O"]], "BIO"),
        ([["B-PER", "E-PER", "S-LOC"]], "BIOES"),
        ([["B-PER", "M-PER", "E-PER"]], "BMES"),
        ([["B-PER", "I-PER", "E-PER", "O", "B-LOC"]], "BIEO"),
        ([["B-PER", "E-PER"]], "BIOES"),
    ],
)
def test_detect_scheme(tags, scheme):
    assert detect_scheme(tags) == scheme


def test_check_scheme_aliases_and_errors():
    assert check_scheme("iob2") == "BIO" and check_scheme("bieo") == "BIEO"
    with pytest.raises(ValueError, match="choose one of"):
        check_scheme("IO")


@pytest.mark.parametrize("scheme", SCHEMES)
@given(data=st.data())
def test_fast_spans_of_valid_sequences_agree(scheme, data):
    tags = data.draw(random_tags(scheme))
    if is_valid(tags, scheme):
        assert lenient_tags_to_spans(tags) == tags_to_spans(tags, scheme)


@given(tags=st.lists(st.sampled_from(labels_for(TYPES, "BIOES") + ["M-PER"]), max_size=15))
def test_lenient_reading_keeps_every_entity_tag(tags):
    spans = lenient_tags_to_spans(tags)
    covered = [i for s in spans for i in range(s.start, s.end)]
    assert covered == [i for i, t in enumerate(tags) if t != "O"]
    assert all(len({tags[i][2:] for i in range(s.start, s.end)}) == 1 for s in spans)
