from __future__ import annotations

import math

import h5py
import numpy as np
import pytest
import torch

from nerkit.modules.token_embedders.elmo import ElmoTokenEmbedder
from nerkit.pretrain.elmo import (
    BiLmLanguageModel,
    ElmoPretrainSettings,
    LineEncoder,
    pretrain_elmo,
    softmax_vocabulary,
)
from nerkit.pretrain.output import RunDirectory
from nerkit.testing.contracts import assert_token_embedder_contract

TINY = ElmoPretrainSettings(
    cell_dim=8, projection_dim=4, char_embed_dim=4, filters=[[1, 4], [2, 4]],
    max_characters_per_token=6, batch_size=4, max_steps=4, warmup_steps=1,
    held_out_fraction=0.2, checkpoint_every=2, max_minutes=None,
)


def test_pretrained_output_loads_in_the_elmo_embedder(tmp_path, tiny_lines):
    run = RunDirectory(tmp_path / "elmo")
    metrics = pretrain_elmo(tiny_lines, run, TINY, seed=1)
    out = run.finish()
    assert sorted(p.name for p in out.iterdir()) == [
        "options.json", "vocab.txt", "weights.hdf5"
    ]
    assert metrics["steps"] == 4 and metrics["held_out_lines"] == 2
    assert 1 < metrics["held_out_perplexity"] < 2 * metrics["vocab_size"]
    assert [point["step"] for point in metrics["history"]] == [2]  # the periodic checkpoint
    assert metrics["history"][0]["held_out_perplexity"] > 1
    embedder = ElmoTokenEmbedder(str(out / "options.json"), str(out / "weights.hdf5"), dropout=0.0)
    assert embedder.get_output_dim() == 8
    assert_token_embedder_contract(embedder, [list("北京欢迎你"), list("上海")])
    with h5py.File(out / "weights.hdf5", "r") as weights:
        assert weights["RNN_1/RNN/MultiRNNCell/Cell1/LSTMCell/W_0"].shape == (8, 32)


def test_losses_predict_next_and_previous_characters():
    vocab = softmax_vocabulary([list("ab")], TINY)
    assert vocab == ["<S>", "</S>", "<UNK>", "a", "b"]
    encode = LineEncoder(vocab, 6)
    char_ids, mask, targets = encode([list("ab"), list("b")])
    assert targets.tolist() == [[0, 3, 4, 1], [0, 4, 1, -100]]
    torch.manual_seed(0)
    model = BiLmLanguageModel(TINY.options(len(vocab)), len(vocab), tie_softmax=False, dropout=0)
    forward, backward, count = model.losses(char_ids, mask, targets)
    assert count == 3 + 2
    # by hand: the forward LM at "<S> a b" predicts "a b </S>"; the backward LM at "a b </S>"
    # predicts "<S> a b"
    top = model.bilm(char_ids, mask)[-1]
    logits = model.softmaxes[0](top[0, :3, :4]).log_softmax(-1)
    by_hand = -(logits[0, 3] + logits[1, 4] + logits[2, 1])
    logits = model.softmaxes[1](top[0, 1:, 4:]).log_softmax(-1)
    by_hand_back = -(logits[0, 0] + logits[1, 3] + logits[2, 4])
    alone_forward, alone_backward, _ = model.losses(char_ids[:1, :4], mask[:1, :4], targets[:1])
    torch.testing.assert_close(alone_forward, by_hand)
    torch.testing.assert_close(alone_backward, by_hand_back)
    assert math.isfinite(float((forward + backward).detach()))


def test_resume_gives_the_uninterrupted_weights(tmp_path, tiny_lines, interrupt_at_step):
    straight = RunDirectory(tmp_path / "straight")
    pretrain_elmo(tiny_lines, straight, TINY, seed=2)
    disarm = interrupt_at_step(3)
    with pytest.raises(KeyboardInterrupt):
        pretrain_elmo(tiny_lines, RunDirectory(tmp_path / "resumed"), TINY, seed=2)
    assert not (tmp_path / "resumed").exists()
    disarm()
    resumed = RunDirectory(tmp_path / "resumed", resume=True)
    pretrain_elmo(tiny_lines, resumed, TINY, seed=2, resume=True)
    with (h5py.File(straight.work / "weights.hdf5") as a,
          h5py.File(resumed.work / "weights.hdf5") as b):
        for name in ("CNN_proj/W_proj", "RNN_0/RNN/MultiRNNCell/Cell1/LSTMCell/W_0"):
            np.testing.assert_allclose(a[name][...], b[name][...], rtol=1e-6)
