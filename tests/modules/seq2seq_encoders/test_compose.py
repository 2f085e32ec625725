import pytest
import torch

from nerkit.common.build import build_and_fill
from nerkit.common.errors import ConfigurationError
from nerkit.modules.seq2seq_encoders import (
    CnnSeq2SeqEncoder,
    ComposeSeq2SeqEncoder,
    LstmSeq2SeqEncoder,
    PassThroughSeq2SeqEncoder,
    Seq2SeqEncoder,
)
from nerkit.testing.contracts import assert_seq2seq_encoder_contract

CONFIG = {
    "type": "compose",
    "encoders": [{"type": "cnn", "hidden_dim": 6}, {"type": "lstm", "hidden_dim": 3}],
}


def test_dimensions_flow_through_the_list():
    encoder, filled = build_and_fill(CONFIG, Seq2SeqEncoder, context={"input_dim": 4})
    assert isinstance(encoder, ComposeSeq2SeqEncoder)
    first, second = encoder.encoders
    assert isinstance(first, CnnSeq2SeqEncoder) and isinstance(second, LstmSeq2SeqEncoder)
    assert (encoder.get_input_dim(), second.get_input_dim(), encoder.get_output_dim()) == (4, 6, 6)
    assert [block["input_dim"] for block in filled["encoders"]] == [4, 6]


def test_contract():
    torch.manual_seed(0)
    assert_seq2seq_encoder_contract(Seq2SeqEncoder.from_config(CONFIG, input_dim=4))


def test_runs_encoders_in_order():
    encoder = ComposeSeq2SeqEncoder([PassThroughSeq2SeqEncoder(2), PassThroughSeq2SeqEncoder(2)])
    inputs = torch.tensor([[[1.0, 2.0], [3.0, 4.0]]])
    mask = torch.tensor([[True, False]])
    torch.testing.assert_close(encoder(inputs, mask), torch.tensor([[[1.0, 2.0], [0.0, 0.0]]]))


def test_explicit_wrong_input_dim_is_refused():
    encoders = [{"type": "cnn", "hidden_dim": 6}, {"type": "lstm", "input_dim": 5, "hidden_dim": 3}]
    config = {"type": "compose", "encoders": encoders}
    with pytest.raises(ConfigurationError, match="input_dim is 5 but the upstream .* outputs 6"):
        Seq2SeqEncoder.from_config(config, input_dim=4)


def test_mismatched_python_encoders_are_refused():
    with pytest.raises(ValueError, match="encoder 0 outputs 6 but encoder 1 takes 4"):
        ComposeSeq2SeqEncoder([CnnSeq2SeqEncoder(4, 6), CnnSeq2SeqEncoder(4, 6)])


def test_empty_list_is_refused():
    with pytest.raises(ConfigurationError, match="at least one encoder"):
        Seq2SeqEncoder.from_config({"type": "compose", "encoders": []}, input_dim=4)
