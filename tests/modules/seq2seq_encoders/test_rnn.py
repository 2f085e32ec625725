import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.seq2seq_encoders import GruSeq2SeqEncoder, LstmSeq2SeqEncoder, Seq2SeqEncoder
from nerkit.testing.contracts import assert_seq2seq_encoder_contract

RNNS = [("lstm", LstmSeq2SeqEncoder), ("gru", GruSeq2SeqEncoder)]


@pytest.mark.parametrize(("name", "cls"), RNNS)
def test_from_config(name, cls):
    encoder = Seq2SeqEncoder.from_config({"type": name, "input_dim": 4, "hidden_dim": 3})
    assert isinstance(encoder, cls)
    assert (encoder.get_input_dim(), encoder.get_output_dim()) == (4, 6)


def test_unidirectional_output_dim():
    assert LstmSeq2SeqEncoder(4, 3, bidirectional=False).get_output_dim() == 3


@pytest.mark.parametrize("cls", [LstmSeq2SeqEncoder, GruSeq2SeqEncoder])
@pytest.mark.parametrize("bidirectional", [True, False])
def test_contract(cls, bidirectional):
    torch.manual_seed(0)
    assert_seq2seq_encoder_contract(cls(4, 3, num_layers=2, bidirectional=bidirectional))


def test_padding_outputs_are_zero():
    encoder = LstmSeq2SeqEncoder(2, 3)
    output = encoder(torch.randn(2, 3, 2), torch.tensor([[True] * 3, [True, False, False]]))
    assert output[1, 1:].abs().sum() == 0


def test_single_step_lstm_by_hand():
    # One step from a zero state: c = i * g, h = o * tanh(c), gates from the bias alone.
    encoder = LstmSeq2SeqEncoder(1, 1, bidirectional=False)
    with torch.no_grad():
        for parameter in encoder.rnn.parameters():
            parameter.zero_()
        # gate order: input, forget, cell, output
        encoder.rnn.bias_ih_l0.copy_(torch.tensor([0.0, 0.0, 1.0, 0.0]))
    output = encoder(torch.zeros(1, 1, 1), torch.ones(1, 1, dtype=torch.bool))
    cell = 0.5 * torch.tanh(torch.tensor(1.0))
    torch.testing.assert_close(output, (0.5 * torch.tanh(cell)).reshape(1, 1, 1))


def test_bad_hidden_dim():
    with pytest.raises(ConfigurationError, match="must be positive"):
        Seq2SeqEncoder.from_config({"type": "lstm", "input_dim": 4, "hidden_dim": 0})
