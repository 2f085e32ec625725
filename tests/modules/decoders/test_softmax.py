"""SoftmaxDecoder: per-character cross-entropy summed over real positions, argmax decoding."""

from __future__ import annotations

import pytest
import torch

from nerkit.common.build import build
from nerkit.data.vocabulary import Vocabulary
from nerkit.modules.decoders import Decoder, SoftmaxDecoder

LENGTHS = [4, 2, 3]


@pytest.fixture
def vocab() -> Vocabulary:
    return Vocabulary(list("abc"), ["LOC", "PER"], "BIO")


def inputs(num_labels: int, seed: int = 0):
    generator = torch.Generator().manual_seed(seed)
    encoded = torch.randn(len(LENGTHS), max(LENGTHS), 5, generator=generator)
    mask = torch.arange(max(LENGTHS)).unsqueeze(0) < torch.tensor(LENGTHS).unsqueeze(1)
    tags = torch.randint(num_labels, mask.shape, generator=generator) * mask
    return encoded, mask, tags


def test_loss_is_the_summed_cross_entropy_per_sentence(vocab):
    decoder = SoftmaxDecoder(vocab, 5)
    encoded, mask, tags = inputs(vocab.num_labels)
    log_probs = torch.log_softmax(decoder.projection(encoded), dim=-1)
    by_hand = -sum(log_probs[b, t, tags[b, t]] for b in range(3) for t in range(LENGTHS[b]))
    torch.testing.assert_close(decoder.loss(encoded, mask, tags), by_hand / len(LENGTHS))


def test_padding_positions_do_not_count(vocab):
    decoder = SoftmaxDecoder(vocab, 5)
    encoded, mask, tags = inputs(vocab.num_labels)
    noisy = encoded.clone()
    noisy[~mask] = 100.0
    changed_tags = tags.clone()
    changed_tags[~mask] = 1
    expected = decoder.loss(encoded, mask, tags)
    torch.testing.assert_close(decoder.loss(noisy, mask, changed_tags), expected)


def test_decode_is_the_argmax_and_zero_on_padding(vocab):
    decoder = SoftmaxDecoder(vocab, 5)
    encoded, mask, _ = inputs(vocab.num_labels)
    predicted = decoder.decode(encoded, mask)
    expected = decoder.projection(encoded).argmax(-1)
    assert torch.equal(predicted[mask], expected[mask])
    assert predicted[~mask].eq(0).all()


def test_label_smoothing_matches_torch(vocab):
    decoder = SoftmaxDecoder(vocab, 5, label_smoothing=0.1)
    encoded, mask, tags = inputs(vocab.num_labels)
    logits = decoder.projection(encoded)
    expected = torch.nn.functional.cross_entropy(
        logits[mask], tags[mask], reduction="sum", label_smoothing=0.1) / len(LENGTHS)
    torch.testing.assert_close(decoder.loss(encoded, mask, tags), expected)


def test_built_from_config_with_a_flowing_dim(vocab):
    decoder = build({"type": "softmax"}, Decoder, context={"vocab": vocab, "input_dim": 7})
    assert isinstance(decoder, SoftmaxDecoder)
    assert decoder.get_input_dim() == 7 and decoder.projection.out_features == vocab.num_labels
