import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.seq2seq_encoders import PassThroughSeq2SeqEncoder, Seq2SeqEncoder


def test_from_config_takes_input_dim_from_upstream():
    encoder = Seq2SeqEncoder.from_config({"type": "pass_through"}, input_dim=5)
    assert isinstance(encoder, PassThroughSeq2SeqEncoder)
    assert (encoder.get_input_dim(), encoder.get_output_dim()) == (5, 5)


def test_returns_input_with_padding_zeroed():
    inputs = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]])
    mask = torch.tensor([[True, True, False]])
    expected = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]]])
    torch.testing.assert_close(PassThroughSeq2SeqEncoder(2)(inputs, mask), expected)


def test_missing_input_dim():
    with pytest.raises(ConfigurationError, match="missing required key 'input_dim'"):
        Seq2SeqEncoder.from_config({"type": "pass_through"})
