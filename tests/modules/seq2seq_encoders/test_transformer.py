import math

import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.seq2seq_encoders import Seq2SeqEncoder, TransformerSeq2SeqEncoder
from nerkit.modules.seq2seq_encoders.transformer import sinusoidal_positions
from nerkit.testing.contracts import assert_seq2seq_encoder_contract


def test_from_config_defaults_hidden_dim_to_input_dim():
    encoder = Seq2SeqEncoder.from_config({"type": "transformer", "num_heads": 2}, input_dim=8)
    assert isinstance(encoder, TransformerSeq2SeqEncoder)
    assert encoder.get_output_dim() == 8
    assert encoder.projection is None


def test_input_is_projected_when_sizes_differ():
    encoder = TransformerSeq2SeqEncoder(6, hidden_dim=8, num_heads=2)
    assert encoder.projection is not None and encoder.projection.in_features == 6
    assert encoder.get_output_dim() == 8


@pytest.mark.parametrize("positions", ["sinusoidal", "learned", "none"])
def test_contract(positions):
    torch.manual_seed(0)
    encoder = TransformerSeq2SeqEncoder(
        6, hidden_dim=8, num_layers=2, num_heads=2, feedforward_dim=16,
        positional_encoding=positions, max_length=8,
    )
    assert_seq2seq_encoder_contract(encoder)


def test_padding_outputs_are_zero():
    encoder = TransformerSeq2SeqEncoder(4, num_heads=2).eval()
    mask = torch.tensor([[True, True, False]])
    output = encoder(torch.randn(1, 3, 4), mask)
    assert output[0, 2].abs().sum() == 0


def test_sinusoidal_positions_by_hand():
    encodings = sinusoidal_positions(2, 4)
    # frequencies 1 and 1/100 for feature pairs (0, 1) and (2, 3)
    expected = torch.tensor(
        [[0.0, 1.0, 0.0, 1.0], [math.sin(1), math.cos(1), math.sin(0.01), math.cos(0.01)]]
    )
    torch.testing.assert_close(encodings, expected)


def test_learned_positions_refuse_longer_inputs():
    encoder = TransformerSeq2SeqEncoder(4, num_heads=2, positional_encoding="learned", max_length=3)
    with pytest.raises(ValueError, match="longer than max_length 3"):
        encoder(torch.randn(1, 4, 4), torch.ones(1, 4, dtype=torch.bool))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"hidden_dim": 6, "num_heads": 4}, "not divisible by num_heads"),
        ({"positional_encoding": "rotary"}, "positional_encoding must be one of"),
        ({"activation": "tanh"}, "activation must be relu or gelu"),
    ],
)
def test_bad_options(options, message):
    with pytest.raises(ConfigurationError, match=message):
        Seq2SeqEncoder.from_config({"type": "transformer", "input_dim": 4, **options})


def test_empty_sentence_gives_zeros_not_nan():
    from nerkit.modules.seq2seq_encoders import Seq2SeqEncoder

    encoder = Seq2SeqEncoder.from_config(
        {"type": "transformer", "input_dim": 4, "num_layers": 1, "num_heads": 2, "dropout": 0.0}
    )
    encoder.eval()
    mask = torch.tensor([[True, True], [False, False]])
    output = encoder(torch.randn(2, 2, 4), mask)
    assert not torch.isnan(output).any()
    assert output[1].abs().sum() == 0
