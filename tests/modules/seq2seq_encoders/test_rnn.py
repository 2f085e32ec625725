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
        for parameter in encoder.parameters():
            parameter.zero_()
        # gate order: input, forget, cell, output
        encoder.layers[0][0].bias_ih_l0.copy_(torch.tensor([0.0, 0.0, 1.0, 0.0]))
    output = encoder(torch.zeros(1, 1, 1), torch.ones(1, 1, dtype=torch.bool))
    cell = 0.5 * torch.tanh(torch.tensor(1.0))
    torch.testing.assert_close(output, (0.5 * torch.tanh(cell)).reshape(1, 1, 1))


def test_bad_hidden_dim():
    with pytest.raises(ConfigurationError, match="must be positive"):
        Seq2SeqEncoder.from_config({"type": "lstm", "input_dim": 4, "hidden_dim": 0})


@pytest.mark.parametrize("cls", [torch.nn.LSTM, torch.nn.GRU])
def test_equals_torch_packed_bidirectional_rnn(cls):
    """Same weights, same outputs at real positions as torch's packed bidirectional RNN."""
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    torch.manual_seed(0)
    encoder = (LstmSeq2SeqEncoder if cls is torch.nn.LSTM else GruSeq2SeqEncoder)(3, 4)
    reference = cls(3, 4, batch_first=True, bidirectional=True)
    forward, backward = encoder.layers[0]
    with torch.no_grad():
        for name, parameter in forward.named_parameters():
            parameter.copy_(getattr(reference, name))
            getattr(backward, name).copy_(getattr(reference, f"{name}_reverse"))
    inputs = torch.randn(3, 5, 3)
    lengths = torch.tensor([5, 2, 4])
    mask = torch.arange(5).unsqueeze(0) < lengths.unsqueeze(1)
    packed = pack_padded_sequence(inputs, lengths, batch_first=True, enforce_sorted=False)
    expected = pad_packed_sequence(reference(packed)[0], batch_first=True, total_length=5)[0]
    torch.testing.assert_close(encoder(inputs, mask), expected, atol=1e-6, rtol=0)
