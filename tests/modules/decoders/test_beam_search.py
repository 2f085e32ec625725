"""Greedy and beam search on a first-order Markov "decoder" whose best sequences are enumerable."""

from __future__ import annotations

import itertools

import pytest
import torch

from nerkit.data.tag_schemes import validate_tags
from nerkit.data.vocabulary import Vocabulary
from nerkit.modules.decoders.beam_search import LabelConstraints, beam_search, greedy_search

LENGTHS = [3, 1, 2]
VOCAB = Vocabulary([], ["PER"], "BIEO")  # O B-PER I-PER E-PER
NUM_LABELS = VOCAB.num_labels
START = NUM_LABELS


def mask_of(lengths):
    return torch.arange(max(lengths)).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)


def markov_logits(seed=0):
    """Logits (sentence, position, previous label incl. start, label)."""
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(len(LENGTHS), max(LENGTHS), NUM_LABELS + 1, NUM_LABELS, generator=generator)


def stepper(logits, beam):
    def step(previous, position):
        sentences = torch.arange(previous.size(0)) // beam
        return logits[sentences, position, previous]

    return step


def sequence_score(logits, row, sequence):
    log_probs = torch.log_softmax(logits[row], dim=-1)
    previous = [START, *sequence[:-1]]
    return sum(log_probs[t, p, y] for t, (p, y) in enumerate(zip(previous, sequence)))


def valid(sequence):
    try:
        validate_tags([VOCAB.labels[i] for i in sequence], VOCAB.tag_scheme)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("constrained", [False, True])
def test_wide_beam_finds_the_best_sequence(constrained):
    logits = markov_logits()
    beam = NUM_LABELS ** max(LENGTHS)  # wide enough to never prune
    constraints = LabelConstraints.from_vocab(VOCAB) if constrained else None
    tags, scores = beam_search(
        stepper(logits, beam), lambda rows: None, mask_of(LENGTHS), START, NUM_LABELS, beam,
        constraints,
    )
    for row, length in enumerate(LENGTHS):
        sequences = [
            s for s in itertools.product(range(NUM_LABELS), repeat=length)
            if not constrained or valid(s)
        ]
        best = max(sequences, key=lambda s: sequence_score(logits, row, s))
        assert tags[row, :length].tolist() == list(best)
        assert tags[row, length:].eq(0).all()
        assert torch.allclose(scores[row], sequence_score(logits, row, best))


@pytest.mark.parametrize("constrained", [False, True])
def test_beam_of_one_is_greedy(constrained):
    constraints = LabelConstraints.from_vocab(VOCAB) if constrained else None
    for seed in range(5):
        logits = markov_logits(seed)
        mask = mask_of(LENGTHS)
        greedy = greedy_search(stepper(logits, 1), mask, START, constraints)
        beam = beam_search(
            stepper(logits, 1), lambda rows: None, mask, START, NUM_LABELS, 1, constraints
        )
        assert torch.equal(greedy[0], beam[0])
        assert torch.allclose(greedy[1], beam[1])


def test_greedy_takes_the_best_next_label_and_reports_its_log_prob():
    logits = markov_logits(1)
    tags, scores = greedy_search(stepper(logits, 1), mask_of(LENGTHS), START)
    for row, length in enumerate(LENGTHS):
        previous, expected = START, []
        for position in range(length):
            previous = int(logits[row, position, previous].argmax())
            expected.append(previous)
        assert tags[row, :length].tolist() == expected
        assert torch.allclose(scores[row], sequence_score(logits, row, expected))


def test_reorder_receives_sentence_major_rows():
    calls = []
    beam = 2
    beam_search(
        stepper(markov_logits(), beam), calls.append, mask_of(LENGTHS), START, NUM_LABELS, beam
    )
    assert len(calls) == max(LENGTHS)
    for rows in calls:
        assert torch.equal(rows // beam, torch.arange(len(LENGTHS)).repeat_interleave(beam))


def test_constraints_forbid_invalid_starts_transitions_and_ends():
    constraints = LabelConstraints.from_vocab(VOCAB)
    o, b, i, e = (VOCAB.label_index(t) for t in ("O", "B-PER", "I-PER", "E-PER"))
    assert constraints.transition[START, i] == -torch.inf
    assert constraints.transition[START, b] == 0
    assert constraints.transition[o, e] == -torch.inf
    assert constraints.end[i] == -torch.inf and constraints.end[e] == 0
    ends = constraints.end_penalties(mask_of([2, 1]))
    assert ends[0, 0].eq(0).all() and torch.equal(ends[0, 1], constraints.end)
    assert torch.equal(ends[1, 0], constraints.end)
