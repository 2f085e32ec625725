"""Span probabilities checked against brute-force enumeration of every label sequence."""

import itertools

import pytest
import torch

from nerkit.data.sentence import Sentence, Span
from nerkit.data.tag_schemes import SCHEMES, tags_to_spans
from nerkit.data.vocabulary import Vocabulary
from nerkit.models.tagger import Tagger
from nerkit.modules.decoders.attention_lstm import AttentionLstmDecoder
from nerkit.modules.decoders.crf import CrfDecoder
from nerkit.modules.decoders.softmax import SoftmaxDecoder
from nerkit.modules.decoders.span_scores import (
    crf_span_log_probs,
    positionwise_span_log_probs,
    span_queries,
)
from nerkit.modules.token_embedders.embedding import Embedding

LENGTHS = [4, 2]


def all_spans(length: int, types: list[str]) -> list[Span]:
    return [Span(s, e, t) for s in range(length) for e in range(s + 1, length + 1) for t in types]


def sequence_score(emissions, transitions, start, end, labels):
    score = start[labels[0]] + end[labels[-1]] + emissions[0, labels[0]]
    for t in range(1, len(labels)):
        score = score + transitions[labels[t - 1], labels[t]] + emissions[t, labels[t]]
    return score


def brute_force(vocab, length, spans, weight):
    """P(span is read from the labels) for each span, summing ``weight(labels)`` over all."""
    totals = dict.fromkeys(spans, 0.0)
    normaliser = 0.0
    for labels in itertools.product(range(vocab.num_labels), repeat=length):
        w = weight(labels)
        normaliser += w
        read = set(tags_to_spans([vocab.labels[i] for i in labels], vocab.tag_scheme))
        for span in spans:
            if span in read:
                totals[span] += w
    return [totals[s] / normaliser for s in spans]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_crf_span_marginals_match_enumeration(scheme):
    torch.manual_seed(0)
    vocab = Vocabulary([], ["LOC", "PER"], scheme)
    k = vocab.num_labels
    emissions = torch.randn(2, max(LENGTHS), k, dtype=torch.float64)
    transitions, start, end = (torch.randn(k, k).double(), torch.randn(k).double(),
                               torch.randn(k).double())
    mask = torch.arange(max(LENGTHS)).unsqueeze(0) < torch.tensor(LENGTHS).unsqueeze(1)
    spans = [all_spans(n, vocab.entity_types) for n in LENGTHS]
    queries = span_queries(spans, LENGTHS, vocab)
    got = crf_span_log_probs(emissions, transitions, start, end, mask, queries).exp().tolist()
    expected = []
    for row, n in enumerate(LENGTHS):
        expected += brute_force(vocab, n, spans[row], lambda labels, row=row: float(
            sequence_score(emissions[row], transitions, start, end, labels).exp()))
    assert got == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("scheme", ["BIO", "BIOES"])
def test_positionwise_span_probability_matches_independent_enumeration(scheme):
    torch.manual_seed(1)
    vocab = Vocabulary([], ["PER"], scheme)
    log_probs = torch.randn(1, 4, vocab.num_labels).double().log_softmax(-1)
    spans = [all_spans(4, ["PER"])]
    got = positionwise_span_log_probs(log_probs, span_queries(spans, [4], vocab)).exp().tolist()
    probs = log_probs[0].exp()
    expected = brute_force(vocab, 4, spans[0], lambda labels: float(
        torch.stack([probs[t, y] for t, y in enumerate(labels)]).prod()))
    assert got == pytest.approx(expected, abs=1e-9)


def test_no_spans_gives_an_empty_tensor():
    vocab = Vocabulary([], ["PER"], "BIO")
    queries = span_queries([[]], [3], vocab)
    assert crf_span_log_probs(torch.zeros(1, 3, 3), torch.zeros(3, 3), torch.zeros(3),
                              torch.zeros(3), torch.ones(1, 3, dtype=torch.bool),
                              queries).shape == (0,)


@pytest.mark.parametrize("decoder_class", [CrfDecoder, SoftmaxDecoder, AttentionLstmDecoder])
def test_tagger_scores_are_probabilities_of_the_predicted_spans(decoder_class):
    torch.manual_seed(2)
    vocab = Vocabulary(list("张三去北京"), ["LOC", "PER"], "BIOES")
    embedder = Embedding(vocab, embedding_dim=6)
    decoder = decoder_class(vocab, 6)
    model = Tagger(vocab, embedder, decoder=decoder).eval()
    with torch.no_grad():  # make entities likely: favour B/E/S labels
        layer = decoder.output if decoder_class is AttentionLstmDecoder else decoder.projection
        bias = layer.bias
        bias.copy_(torch.tensor([-2.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0]))
    sentences = [Sentence(list("张三去北京")), Sentence(list("北京"))]
    scored = model.predict_scored_spans(sentences)
    assert [[span for span, _ in row] for row in scored] == model.predict_spans(sentences)
    assert any(scored)
    assert all(0.0 < score <= 1.0 for row in scored for _, score in row)
