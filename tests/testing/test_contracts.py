import pytest
import torch

from nerkit.modules.seq2seq_encoders import PassThroughSeq2SeqEncoder
from nerkit.testing.contracts import (
    assert_seq2seq_encoder_contract,
    assert_token_embedder_contract,
    lengths_to_mask,
)


class LeakyEncoder(PassThroughSeq2SeqEncoder):
    """Adds the mean over all positions, padding included: a contract violation."""

    def forward(self, inputs, mask):
        return inputs + inputs.mean(dim=1, keepdim=True)


class IdleParameterEncoder(PassThroughSeq2SeqEncoder):
    def __init__(self, input_dim):
        super().__init__(input_dim)
        self.unused = torch.nn.Parameter(torch.ones(1))


def test_lengths_to_mask():
    assert lengths_to_mask([2, 1]).tolist() == [[True, True], [True, False]]


def test_pass_through_meets_the_contract():
    assert_seq2seq_encoder_contract(PassThroughSeq2SeqEncoder(3))


def test_leaking_padding_is_caught():
    with pytest.raises(AssertionError):
        assert_seq2seq_encoder_contract(LeakyEncoder(3))


def test_parameter_without_gradient_is_caught():
    with pytest.raises(AssertionError, match="no gradient reached: unused"):
        assert_seq2seq_encoder_contract(IdleParameterEncoder(3))


def test_embedder_with_wrong_shape_is_caught():
    from nerkit.data.vocabulary import Vocabulary
    from nerkit.modules.token_embedders import Embedding

    class WrongDim(Embedding):
        def get_output_dim(self):
            return 5

    with pytest.raises(AssertionError):
        assert_token_embedder_contract(WrongDim(Vocabulary(["北"], [], "BIO"), 4), [["北"], []])
