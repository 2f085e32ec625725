"""CrfDecoder and the linear-chain math, checked against brute-force enumeration and autograd."""

from __future__ import annotations

import itertools

import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.data.tag_schemes import validate_tags
from nerkit.data.vocabulary import Vocabulary
from nerkit.modules.decoders import CrfDecoder, Decoder
from nerkit.modules.decoders.linear_chain import (
    k_best,
    log_partition,
    sequence_scores,
    viterbi,
)

LENGTHS = [4, 2, 3, 1]


def naive_log_partition(emissions, transitions, start, end, mask):
    """The textbook forward algorithm with logsumexp, differentiated by autograd."""
    alpha = start + emissions[:, 0]
    for t in range(1, emissions.size(1)):
        step = torch.logsumexp(alpha.unsqueeze(2) + transitions, dim=1) + emissions[:, t]
        alpha = torch.where(mask[:, t : t + 1], step, alpha)
    return torch.logsumexp(alpha + end, dim=1)


def brute_force(emissions, transitions, start, end, length, allowed=None):
    """(log Z, best score, best sequence) over every label sequence of one sentence."""
    num_labels = emissions.size(-1)
    scores = {}
    for sequence in itertools.product(range(num_labels), repeat=length):
        if allowed is not None and not allowed(sequence):
            continue
        score = start[sequence[0]] + end[sequence[-1]]
        score = score + sum(emissions[t, y] for t, y in enumerate(sequence))
        score = score + sum(transitions[a, b] for a, b in zip(sequence, sequence[1:]))
        scores[sequence] = score
    best = max(scores, key=lambda s: scores[s])
    return torch.logsumexp(torch.stack(list(scores.values())), 0), scores[best], list(best)


def make_mask(lengths):
    return torch.arange(max(lengths)).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)


def random_crf(num_labels, lengths, dtype=torch.float32, seed=0):
    generator = torch.Generator().manual_seed(seed)

    def draw(*shape):
        return torch.randn(*shape, generator=generator, dtype=dtype)

    emissions = draw(len(lengths), max(lengths), num_labels)
    return emissions, draw(num_labels, num_labels), draw(num_labels), draw(num_labels)


@pytest.fixture
def vocab():
    return Vocabulary(list("abc"), ["PER"], "BIEO")  # O B-PER I-PER E-PER


def test_log_partition_and_viterbi_match_brute_force():
    emissions, transitions, start, end = random_crf(5, LENGTHS)
    mask = make_mask(LENGTHS)
    log_z = log_partition(emissions, transitions, start, end, mask)
    tags, best = viterbi(emissions, transitions, start, end, mask)
    for row, length in enumerate(LENGTHS):
        expected_z, expected_best, expected_tags = brute_force(
            emissions[row], transitions, start, end, length
        )
        assert torch.allclose(log_z[row], expected_z, atol=1e-5)
        assert torch.allclose(best[row], expected_best, atol=1e-5)
        assert tags[row, :length].tolist() == expected_tags
        assert tags[row, length:].eq(0).all()


def test_sequence_scores_match_brute_force_scoring():
    emissions, transitions, start, end = random_crf(4, LENGTHS)
    mask = make_mask(LENGTHS)
    tags = torch.randint(4, mask.shape, generator=torch.Generator().manual_seed(1)) * mask
    scores = sequence_scores(emissions, transitions, start, end, mask, tags)
    for row, length in enumerate(LENGTHS):
        sequence = tags[row, :length].tolist()
        expected = start[sequence[0]] + end[sequence[-1]]
        expected += sum(emissions[row, t, y] for t, y in enumerate(sequence))
        expected += sum(transitions[a, b] for a, b in zip(sequence, sequence[1:]))
        assert torch.allclose(scores[row], expected, atol=1e-5)


def test_forward_backward_gradient_passes_gradcheck():
    inputs = [t.requires_grad_() for t in random_crf(3, [3, 2, 1], dtype=torch.float64)]
    mask = make_mask([3, 2, 1])
    assert torch.autograd.gradcheck(lambda *x: log_partition(*x, mask), inputs)


def test_gradients_match_autograd_reference():
    mask = make_mask(LENGTHS)
    ours = [t.requires_grad_() for t in random_crf(5, LENGTHS, seed=3)]
    reference = [t.detach().clone().requires_grad_() for t in ours]
    weights = torch.tensor([1.0, -2.0, 0.5, 3.0])
    (log_partition(*ours, mask) * weights).sum().backward()
    (naive_log_partition(*reference, mask) * weights).sum().backward()
    for mine, theirs in zip(ours, reference):
        assert torch.allclose(mine.grad, theirs.grad, atol=1e-5)


def test_large_score_gaps_stay_exact_and_finite(vocab):
    mask = make_mask(LENGTHS)
    emissions, transitions, start, end = random_crf(4, LENGTHS, seed=5)
    emissions = emissions * 60.0  # gaps of hundreds of nats between labels
    transitions = transitions * 20.0 + CrfDecoder(vocab, 2).transition_penalty
    ours = [t.clone().requires_grad_() for t in (emissions, transitions, start, end)]
    reference = [t.clone().requires_grad_() for t in (emissions, transitions, start, end)]
    log_z = log_partition(*ours, mask)
    expected = naive_log_partition(*reference, mask)
    assert torch.allclose(log_z, expected, rtol=1e-5)
    log_z.sum().backward()
    expected.sum().backward()
    for mine, theirs in zip(ours, reference):
        assert torch.isfinite(mine.grad).all()
        assert torch.allclose(mine.grad, theirs.grad, atol=1e-4)


def test_constrained_decoder_matches_brute_force_over_valid_sequences(vocab):
    torch.manual_seed(0)
    decoder = CrfDecoder(vocab, input_dim=6)
    with torch.no_grad():
        for parameter in (decoder.transitions, decoder.start, decoder.end):
            parameter.normal_()
    encoded = torch.randn(len(LENGTHS), max(LENGTHS), 6)
    mask = make_mask(LENGTHS)
    transitions, start, end = (p.detach() for p in decoder.crf_parameters())
    raw = (decoder.transitions.detach(), decoder.start.detach(), decoder.end.detach())
    emissions = decoder.emissions(encoded).detach()
    log_z = log_partition(emissions, transitions, start, end, mask)
    decoded = decoder.decode(encoded, mask)

    def valid(sequence):
        try:
            validate_tags([vocab.labels[i] for i in sequence], vocab.tag_scheme)
        except ValueError:
            return False
        return True

    for row, length in enumerate(LENGTHS):
        expected_z, _, expected_tags = brute_force(emissions[row], *raw, length, valid)
        assert torch.allclose(log_z[row], expected_z, atol=1e-4)
        assert decoded[row, :length].tolist() == expected_tags


def test_loss_is_mean_negative_log_likelihood(vocab):
    decoder = CrfDecoder(vocab, input_dim=6, constrain=False)
    encoded = torch.randn(len(LENGTHS), max(LENGTHS), 6)
    mask = make_mask(LENGTHS)
    tags = torch.randint(vocab.num_labels, mask.shape) * mask
    emissions = decoder.emissions(encoded)
    params = decoder.crf_parameters()
    expected = naive_log_partition(emissions, *params, mask) - sequence_scores(
        emissions, *params, mask, tags
    )
    assert torch.allclose(decoder.loss(encoded, mask, tags), expected.mean(), atol=1e-5)


def test_training_fits_gold_tags_and_gradients_reach_every_parameter(vocab):
    torch.manual_seed(0)
    decoder = CrfDecoder(vocab, input_dim=4)
    encoded = torch.randn(3, 5, 4)
    mask = make_mask([5, 3, 4])
    tags = torch.tensor([[1, 2, 3, 0, 1], [0, 1, 0, 0, 0], [1, 3, 0, 1, 0]]) * mask
    optimizer = torch.optim.Adam(decoder.parameters(), lr=0.1)
    for _ in range(60):
        optimizer.zero_grad()
        decoder.loss(encoded, mask, tags).backward()
        optimizer.step()
    assert all(p.grad is not None for p in decoder.parameters())
    assert decoder.decode(encoded, mask).tolist() == tags.tolist()


def test_built_from_config_with_flowing_input_dim(vocab):
    decoder = Decoder.from_config({"type": "crf", "constrain": False}, vocab=vocab, input_dim=8)
    assert isinstance(decoder, CrfDecoder)
    assert decoder.get_input_dim() == 8 and not decoder.constrain
    with pytest.raises(ConfigurationError, match="constrain"):
        Decoder.from_config({"type": "crf", "constrian": True}, vocab=vocab, input_dim=8)


def log_space_reference(emissions, transitions, start, end, mask):
    """log Z and its gradients (the marginals) in float64 by the log-space recursion."""
    inputs = [t.detach().double().requires_grad_() for t in (emissions, transitions, start, end)]
    log_z = naive_log_partition(*inputs, mask)
    log_z.sum().backward()
    return log_z.detach(), [t.grad for t in inputs]


@pytest.mark.parametrize("scale", [1.0, 200.0, 1000.0, 10000.0])
@pytest.mark.parametrize("forbidden", [None, -10000.0, float("-inf")])
def test_log_partition_and_marginals_agree_with_log_space_at_any_scale(vocab, scale, forbidden):
    """Issue #10: scores spanning >700 nats made log Z inf/NaN; it must match log space."""
    lengths = [12, 7, 1, 30]
    mask = make_mask(lengths)
    emissions, transitions, start, end = random_crf(4, lengths, seed=7)
    parameters = [emissions * scale, transitions * scale, start * scale, end * scale]
    if forbidden is not None:
        forbid = CrfDecoder(vocab, 2).transition_penalty < 0
        parameters[1] = parameters[1].masked_fill(forbid, forbidden)
    ours = [t.clone().requires_grad_() for t in parameters]
    log_z = log_partition(*ours, mask)
    log_z.sum().backward()
    expected, expected_grads = log_space_reference(*parameters, mask)
    assert torch.isfinite(log_z).all()
    assert torch.allclose(log_z.double(), expected, rtol=1e-6, atol=1e-3)
    for mine, theirs in zip(ours, expected_grads):
        assert torch.isfinite(mine.grad).all()
        assert torch.allclose(mine.grad.double(), theirs.nan_to_num(0.0), atol=1e-4)


def test_scores_of_opposite_sign_along_a_sentence_stay_finite():
    """A path that is far behind at one step and far ahead later is not lost to underflow."""
    emissions = torch.tensor([[[2000.0, 0.0], [0.0, 3000.0]]])
    transitions = torch.tensor([[0.0, -10000.0], [0.0, 0.0]])
    zeros = torch.zeros(2)
    mask = torch.ones(1, 2, dtype=torch.bool)
    log_z = log_partition(emissions, transitions, zeros, zeros, mask)
    expected, _ = log_space_reference(emissions, transitions, zeros, zeros, mask)
    assert torch.allclose(log_z.double(), expected)
    assert log_z.item() == pytest.approx(3000.0)


def test_without_projection_the_inputs_are_the_label_scores(vocab):
    decoder = CrfDecoder(vocab, vocab.num_labels, projection=False)
    scores = torch.randn(2, 3, vocab.num_labels)
    torch.testing.assert_close(decoder.emissions(scores), scores)
    with pytest.raises(ConfigurationError, match="one input score per label"):
        CrfDecoder(vocab, vocab.num_labels + 1, projection=False)


def all_scores(emissions, transitions, start, end, length):
    """The score of every label sequence of one sentence, best first."""
    num_labels = emissions.size(-1)
    scores = []
    for sequence in itertools.product(range(num_labels), repeat=length):
        score = start[sequence[0]] + end[sequence[-1]]
        score = score + sum(emissions[t, y] for t, y in enumerate(sequence))
        score = score + sum(transitions[a, b] for a, b in zip(sequence, sequence[1:]))
        scores.append(float(score))
    return sorted(scores, reverse=True)


@pytest.mark.parametrize("k", [1, 4, 40])
def test_k_best_matches_brute_force_ranking(k):
    lengths = [3, 1, 2]  # 27, 3 and 9 sequences: k=40 runs out of them
    emissions, transitions, start, end = random_crf(3, lengths, seed=k)
    mask = make_mask(lengths)
    labels, scores = k_best(emissions, transitions, start, end, mask, k)
    assert labels.shape == (3, k, 3) and scores.shape == (3, k)
    best, best_scores = viterbi(emissions, transitions, start, end, mask)
    assert torch.equal(labels[:, 0], best) and torch.allclose(scores[:, 0], best_scores)
    for row, length in enumerate(lengths):
        expected = (all_scores(emissions[row], transitions, start, end, length)
                    + [float("-inf")] * k)[:k]
        assert scores[row].tolist() == pytest.approx(expected, abs=1e-5)
        for rank in range(k):
            if scores[row, rank] > float("-inf"):
                rescored = sequence_scores(emissions[row:row + 1], transitions, start, end,
                                           mask[row:row + 1], labels[row:row + 1, rank])
                assert rescored.item() == pytest.approx(scores[row, rank].item(), abs=1e-5)
                assert labels[row, rank, length:].eq(0).all()
        finite = [tuple(labels[row, r, :length].tolist()) for r in range(k)
                  if scores[row, r] > float("-inf")]
        assert len(set(finite)) == len(finite)  # no sequence twice


def test_n_best_probabilities_are_exact_and_sum_to_one_over_all_sequences(vocab):
    torch.manual_seed(1)
    decoder = CrfDecoder(vocab, input_dim=6, constrain=False)
    encoded = torch.randn(2, 3, 6)
    mask = make_mask([3, 2])
    labels, log_probs = decoder.n_best(encoded, mask, k=4 ** 3)
    probabilities = log_probs.exp()
    assert probabilities[0].sum().item() == pytest.approx(1.0, abs=1e-5)
    assert probabilities[1, :16].sum().item() == pytest.approx(1.0, abs=1e-5)
    assert probabilities[1, 16:].eq(0).all()  # 16 sequences of length 2
    assert (probabilities[:, :-1] >= probabilities[:, 1:]).all()
    assert torch.equal(labels[:, 0], decoder.decode(encoded, mask))
