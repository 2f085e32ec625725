import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.seq2seq_encoders import CnnSeq2SeqEncoder, Seq2SeqEncoder
from nerkit.testing.contracts import assert_seq2seq_encoder_contract


def test_from_config_takes_input_dim_from_upstream():
    encoder = Seq2SeqEncoder.from_config({"type": "cnn", "hidden_dim": 6}, input_dim=4)
    assert isinstance(encoder, CnnSeq2SeqEncoder)
    assert (encoder.get_input_dim(), encoder.get_output_dim()) == (4, 6)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"kernel_size": 2, "num_layers": 3, "residual": True},
        {"activation": "tanh", "num_layers": 2},
    ],
)
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_contract(options):
    torch.manual_seed(0)
    assert_seq2seq_encoder_contract(CnnSeq2SeqEncoder(4, 6, **options))


def test_numbers_by_hand_with_padding():
    encoder = CnnSeq2SeqEncoder(1, 1, kernel_size=3)
    with torch.no_grad():
        encoder.convolutions[0].weight.copy_(torch.tensor([[[1.0, 2.0, 3.0]]]))
        encoder.convolutions[0].bias.zero_()
    inputs = torch.tensor([[[1.0], [2.0], [3.0]], [[1.0], [2.0], [100.0]]])
    mask = torch.tensor([[True, True, True], [True, True, False]])
    # out[t] = 1 * x[t-1] + 2 * x[t] + 3 * x[t+1], zeros beyond the sentence.
    expected = torch.tensor([[[8.0], [14.0], [8.0]], [[8.0], [5.0], [0.0]]])
    torch.testing.assert_close(encoder(inputs, mask), expected)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"hidden_dim": 0}, "must be positive"),
        ({"hidden_dim": 4, "activation": "sigmoid"}, "activation must be one of"),
        ({"hidden_dim": 4, "kernel": 3}, "did you mean 'kernel_size'"),
    ],
)
def test_bad_options(options, message):
    with pytest.raises(ConfigurationError, match=message):
        Seq2SeqEncoder.from_config({"type": "cnn", "input_dim": 4, **options})
