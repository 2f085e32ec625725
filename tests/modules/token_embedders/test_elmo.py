from __future__ import annotations

import sys

import h5py
import numpy as np
import pytest
import torch

from nerkit.common.build import Lazy, build, build_and_fill
from nerkit.common.errors import ConfigurationError, DataError, DeprecatedConfigKey
from nerkit.modules.elmo_characters import add_sentence_boundaries, batch_char_ids, token_char_ids
from nerkit.modules.elmo_weights import save_bilm_weights
from nerkit.modules.scalar_mix import ScalarMix
from nerkit.modules.token_embedders.elmo import ElmoTokenEmbedder
from nerkit.modules.token_embedders.token_embedder import TokenEmbedder
from nerkit.testing.contracts import assert_token_embedder_contract, lengths_to_mask
from nerkit.testing.tiny_elmo import build_tiny_elmo, tiny_elmo_datasets

SENTENCES = [list("庄希泉予以释放"), list("北京"), list("一个a")]
CELL = "RNN_{}/RNN/MultiRNNCell/Cell{}/LSTMCell"


@pytest.fixture
def tiny_files(tmp_path):
    return build_tiny_elmo(tmp_path / "elmo", seed=3)


@pytest.fixture
def embedder(tiny_files):
    options, weights = tiny_files
    return ElmoTokenEmbedder(str(options), str(weights), dropout=0.0)


def test_char_ids_follow_allennlp_markers():
    ids = token_char_ids("庄", 8)
    assert ids[0] == 259 and ids[4] == 260 and ids[5:] == (261, 261, 261)
    assert list(ids[1:4]) == [b + 1 for b in "庄".encode()]
    assert token_char_ids("<S>", 5) == (259, 257, 260, 261, 261)
    assert token_char_ids("</S>", 5) == (259, 258, 260, 261, 261)
    assert token_char_ids("abcdefgh", 5) == (259, 98, 99, 100, 260)


def test_featurize_pads_tokens_with_zeros(embedder):
    features = embedder.featurize(SENTENCES)
    assert features["elmo_char_ids"].shape == (3, 7, 8)
    assert features["elmo_char_ids"][1, 2:].eq(0).all()


def test_sentence_boundaries_follow_each_length():
    ids = batch_char_ids([["a", "b"], ["c"]], 5)
    with_bounds, mask = add_sentence_boundaries(ids, lengths_to_mask([2, 1]))
    assert mask.tolist() == [[True] * 4, [True, True, True, False]]
    assert tuple(with_bounds[1, 2].tolist()) == token_char_ids("</S>", 5)
    assert tuple(with_bounds[0, 3].tolist()) == token_char_ids("</S>", 5)
    assert with_bounds[1, 3].eq(0).all()


def test_builds_from_config(tiny_files):
    options, weights = tiny_files
    built = TokenEmbedder.from_config(
        {"type": "elmo", "options_file": str(options), "weight_file": str(weights)}
    )
    assert isinstance(built, ElmoTokenEmbedder)
    assert built.get_output_dim() == 12


def test_hdf5_values_land_in_the_right_parameters(embedder):
    stored = tiny_elmo_datasets(embedder.bilm.options, seed=3)
    encoder = embedder.bilm.character_encoder
    np.testing.assert_array_equal(encoder.char_embedding.weight[0].numpy(), 0)
    np.testing.assert_array_equal(encoder.char_embedding.weight[5].numpy(), stored["char_embed"][4])
    # conv weight (out, in, width) <- W_cnn (1, width, in, out)
    assert encoder.convolutions[2].weight[5, 1, 2].item() == stored["CNN/W_cnn_2"][0, 2, 1, 5]
    assert encoder.highways[1].carry.weight[3, 7].item() == stored["CNN_high_1/W_carry"][7, 3]
    assert encoder.projection.bias[4].item() == stored["CNN_proj/b_proj"][4]
    backward_top = embedder.bilm.backward_layers[1]
    w0 = stored[CELL.format(1, 1) + "/W_0"]  # rows: 6 input dims, then 6 projected-state dims
    assert backward_top.input_linear.weight[30, 2].item() == w0[2, 30]
    assert backward_top.state_linear.weight[30, 2].item() == w0[6 + 2, 30]
    assert backward_top.state_linear.bias[25].item() == stored[CELL.format(1, 1) + "/B"][25]
    assert backward_top.projection.weight[1, 9].item() == stored[CELL.format(1, 1) + "/W_P_0"][9, 1]


def test_lstm_step_by_hand(embedder):
    """One step of the forward first layer from zero state, gates i, j, f, o and forget bias +1."""
    stored = tiny_elmo_datasets(embedder.bilm.options, seed=3)
    lstm = embedder.bilm.forward_layers[0]
    x = torch.randn(1, 1, 6)
    w0, bias = stored[CELL.format(0, 0) + "/W_0"], stored[CELL.format(0, 0) + "/B"]
    gates = x[0, 0].numpy() @ w0[:6] + bias
    i, j, _, o = np.split(gates, 4)
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    cell = np.clip(sigmoid(i) * np.tanh(j), -3, 3)
    expected = np.clip((sigmoid(o) * np.tanh(cell)) @ stored[CELL.format(0, 0) + "/W_P_0"], -3, 3)
    with torch.no_grad():
        out = lstm(x, torch.ones(1, 1, dtype=torch.bool))
    np.testing.assert_allclose(out[0, 0].numpy(), expected, rtol=1e-5, atol=1e-6)
    forget_bias_effect = lstm.state_linear.bias[24:36]
    assert torch.equal(forget_bias_effect, torch.from_numpy(bias[24:36]))


def test_save_writes_the_same_layout(embedder, tmp_path):
    path = tmp_path / "again.hdf5"
    save_bilm_weights(embedder.bilm, path)
    stored = tiny_elmo_datasets(embedder.bilm.options, seed=3)
    with h5py.File(path, "r") as weights:
        assert set(weights.keys()) == {name.split("/")[0] for name in stored}
        for name, value in stored.items():
            np.testing.assert_array_equal(weights[name][...], value)


def test_contract_frozen_and_fine_tuned(tiny_files):
    options, weights = tiny_files
    for fine_tune in (False, True):
        mix = Lazy.of(ScalarMix, {"do_layer_norm": fine_tune})
        embedder = ElmoTokenEmbedder(str(options), str(weights), dropout=0.0,
                                     trainable=fine_tune, scalar_mix=mix)
        assert embedder.mix.do_layer_norm is fine_tune
        assert_token_embedder_contract(embedder, SENTENCES)
        trainable = {n for n, p in embedder.named_parameters() if p.requires_grad}
        assert ("bilm.forward_layers.1.projection.weight" in trainable) == fine_tune
        assert "mix.scalars" in trainable


def test_top_layer_without_scalar_mix(tiny_files):
    options, weights = tiny_files
    embedder = ElmoTokenEmbedder(str(options), str(weights), dropout=0.0, scalar_mix=None)
    out = embedder(embedder.featurize(SENTENCES), lengths_to_mask([7, 2, 3]))
    assert out.shape == (3, 7, 12)
    assert out[1, 2:].eq(0).all()


def test_archive_resources_skip_the_weight_file(tiny_files, tmp_path):
    options, weights = tiny_files
    embedder = ElmoTokenEmbedder(str(options), str(weights), dropout=0.0)
    (tmp_path / "resources").mkdir()
    embedder.save_resources(tmp_path / "resources")
    assert len(list((tmp_path / "resources").glob("elmo_options-*.json"))) == 1
    options.unlink()  # as on another machine: the archived config names a file not there
    weights.unlink()
    again = ElmoTokenEmbedder(str(options), str(weights), dropout=0.0,
                              archive_resources=tmp_path / "resources")
    again.load_state_dict(embedder.state_dict())
    mask = lengths_to_mask([7, 2, 3])
    embedder.eval()
    again.eval()
    torch.testing.assert_close(
        again(again.featurize(SENTENCES), mask), embedder(embedder.featurize(SENTENCES), mask)
    )


def test_errors(tiny_files, tmp_path, monkeypatch):
    options, weights = tiny_files
    with pytest.raises(DataError, match="not found"):
        ElmoTokenEmbedder(str(options), str(tmp_path / "missing.hdf5"))
    with h5py.File(tmp_path / "short.hdf5", "w") as out:
        out.create_dataset("char_embed", data=np.zeros((261, 4), dtype=np.float32))
    with pytest.raises(DataError, match="lacks the dataset 'CNN/W_cnn_0'"):
        ElmoTokenEmbedder(str(options), str(tmp_path / "short.hdf5"))
    (tmp_path / "bad.json").write_text('{"lstm": {}}')
    with pytest.raises(ConfigurationError, match="char_cnn"):
        ElmoTokenEmbedder(str(tmp_path / "bad.json"), str(weights))
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ConfigurationError, match="h5py"):
        ElmoTokenEmbedder(str(options), str(weights))


@pytest.mark.parametrize(
    ("old", "expected"),
    [({"requires_grad": True}, {"trainable": True, "scalar_mix": {"do_layer_norm": False}}),
     ({"scalar_mix": False}, {"trainable": False, "scalar_mix": None}),
     ({"do_layer_norm": True}, {"trainable": False, "scalar_mix": {"do_layer_norm": True}})],
)
def test_old_keys_still_work_with_a_warning(tiny_files, old, expected):
    options, weights = tiny_files
    block = {"type": "elmo", "options_file": str(options), "weight_file": str(weights), **old}
    with pytest.warns(DeprecatedConfigKey):
        embedder, filled = build_and_fill(block, TokenEmbedder)
    assert {key: filled[key] for key in expected} == expected
    assert embedder.trainable is expected["trainable"]
    assert (embedder.mix is None) == (expected["scalar_mix"] is None)


def test_old_layer_norm_without_a_mix_is_refused(tiny_files):
    options, weights = tiny_files
    block = {"type": "elmo", "options_file": str(options), "weight_file": str(weights),
             "scalar_mix": False, "do_layer_norm": True}
    with pytest.warns(DeprecatedConfigKey), pytest.raises(ConfigurationError, match="needs a"):
        build(block, TokenEmbedder)
