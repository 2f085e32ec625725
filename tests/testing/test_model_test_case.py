"""ModelTestCase's batch-consistency check catches a model whose padding leaks into a sentence."""

from __future__ import annotations

import pytest
import torch

from nerkit.data.dataset_readers.conll import ConllDatasetReader
from nerkit.data.vocabulary import Vocabulary
from nerkit.models.tagger import Tagger
from nerkit.modules.decoders.softmax import SoftmaxDecoder
from nerkit.modules.seq2seq_encoders.pass_through import PassThroughSeq2SeqEncoder
from nerkit.modules.token_embedders.embedding import Embedding
from nerkit.testing.model_test_case import ModelTestCase


class BatchMeanEncoder(PassThroughSeq2SeqEncoder):
    """Adds the mean over every position, padding included: a sentence depends on its batch."""

    def forward(self, inputs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return inputs + inputs.mean(dim=1, keepdim=True)


def tagger(fixtures_root, encoder):
    sentences = ConllDatasetReader().read(fixtures_root / "data" / "tiny.bio")[:4]
    vocab = Vocabulary.from_sentences(sentences, "BIO")
    torch.manual_seed(0)
    return Tagger(vocab, Embedding(vocab, 4), encoder, SoftmaxDecoder(vocab, 4)), sentences


def test_a_masked_model_passes(fixtures_root):
    model, sentences = tagger(fixtures_root, PassThroughSeq2SeqEncoder(4))
    ModelTestCase.assert_batch_consistent(model, sentences)


def test_padding_that_leaks_is_caught(fixtures_root):
    model, sentences = tagger(fixtures_root, BatchMeanEncoder(4))
    with pytest.raises(AssertionError):
        ModelTestCase.assert_batch_consistent(model, sentences)


def test_sentences_of_one_length_are_refused(fixtures_root):
    model, sentences = tagger(fixtures_root, PassThroughSeq2SeqEncoder(4))
    with pytest.raises(AssertionError, match="different lengths"):
        ModelTestCase.assert_batch_consistent(model, [sentences[0], sentences[0]])
