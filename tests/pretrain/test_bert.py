from __future__ import annotations

import pytest
import torch
from safetensors.torch import load_file
from transformers import AutoModel, AutoTokenizer

from nerkit.modules.token_embedders.pretrained_transformer import PretrainedTransformerEmbedder
from nerkit.pretrain.bert import (
    SPECIAL_TOKENS,
    BertPretrainSettings,
    Masker,
    pack_sequences,
    pretrain_bert,
)
from nerkit.pretrain.output import RunDirectory
from nerkit.testing.contracts import assert_token_embedder_contract

TINY = BertPretrainSettings(
    hidden_size=16, num_layers=1, num_heads=2, intermediate_size=32, max_length=24, batch_size=4,
    max_steps=4, warmup_steps=1, held_out_fraction=0.2, checkpoint_every=2, max_minutes=None,
)


@pytest.fixture
def pretrained(tmp_path, tiny_lines):
    run = RunDirectory(tmp_path / "bert")
    metrics = pretrain_bert(tiny_lines, run, TINY, seed=1)
    return run.finish(), metrics


def test_output_loads_with_auto_classes_and_the_embedder(pretrained):
    out, metrics = pretrained
    assert metrics["steps"] == 4 and 0 <= metrics["held_out_mlm_accuracy"] <= 1
    assert [point["step"] for point in metrics["history"]] == [2]  # the periodic checkpoint
    assert 0 <= metrics["history"][0]["held_out_mlm_accuracy"] <= 1
    assert (out / "model.safetensors").is_file() and not (out / "checkpoint").exists()
    tokenizer = AutoTokenizer.from_pretrained(out)
    assert tokenizer.convert_ids_to_tokens(list(range(6)))[:5] == list(SPECIAL_TOKENS)
    assert tokenizer.tokenize("北京人") == ["北", "京", "人"]
    model = AutoModel.from_pretrained(out)
    assert model.config.hidden_size == 16 and model.config.max_position_embeddings == 24
    embedder = PretrainedTransformerEmbedder(str(out))
    assert embedder.get_output_dim() == 16
    assert_token_embedder_contract(embedder, [list("北京欢迎你"), list("上海")])


def test_continued_pretraining_keeps_the_vocabulary(pretrained, tmp_path, tiny_lines):
    out, _ = pretrained
    run = RunDirectory(tmp_path / "more")
    settings = BertPretrainSettings(**{**TINY.__dict__, "init_from": str(out), "hidden_size": 32})
    pretrain_bert(tiny_lines, run, settings, seed=2)
    again = run.finish()
    assert (again / "vocab.txt").read_text() == (out / "vocab.txt").read_text()
    assert AutoModel.from_pretrained(again).config.hidden_size == 16


def test_masking_follows_80_10_10(pretrained):
    tokenizer = AutoTokenizer.from_pretrained(pretrained[0])
    masker = Masker(tokenizer, probability=0.15)
    sequences = [[2] + [5 + (i * 7 + j) % 50 for j in range(300)] + [3] for i in range(40)]
    batch = masker(sequences, seed=0)
    chosen = batch["labels"].ne(-100)
    assert not chosen[:, 0].any() and not chosen[:, -1].any()
    assert 0.13 < chosen[:, 1:-1].float().mean() < 0.17
    original = torch.tensor(sequences)
    masked = (batch["input_ids"] == tokenizer.mask_token_id) & chosen
    kept = (batch["input_ids"] == original) & chosen
    assert 0.77 < masked.sum() / chosen.sum() < 0.83
    assert 0.08 < kept.sum() / chosen.sum() < 0.12
    assert torch.equal(masker(sequences, seed=0)["input_ids"], batch["input_ids"])


def test_packing_keeps_every_character(pretrained):
    tokenizer = AutoTokenizer.from_pretrained(pretrained[0])
    lines = [list("北京"), list("上海人"), list("中国人民银行今天宣布")]
    sequences = pack_sequences(lines, tokenizer, max_length=8)
    assert all(len(s) <= 8 and s[0] == tokenizer.cls_token_id for s in sequences)
    text = "".join(tokenizer.decode(s[1:]).replace(" ", "") for s in sequences)
    assert text.replace("[SEP]", "") == "北京上海人中国人民银行今天宣布"


def test_resume_gives_the_uninterrupted_weights(tmp_path, tiny_lines, interrupt_at_step):
    straight = RunDirectory(tmp_path / "straight")
    pretrain_bert(tiny_lines, straight, TINY, seed=3)
    disarm = interrupt_at_step(3)
    with pytest.raises(KeyboardInterrupt):
        pretrain_bert(tiny_lines, RunDirectory(tmp_path / "resumed"), TINY, seed=3)
    disarm()
    resumed = RunDirectory(tmp_path / "resumed", resume=True)
    pretrain_bert(tiny_lines, resumed, TINY, seed=3, resume=True)
    a = load_file(str(straight.finish() / "model.safetensors"))
    b = load_file(str(resumed.finish() / "model.safetensors"))
    assert a.keys() == b.keys()
    for name in a:
        torch.testing.assert_close(a[name], b[name], msg=name)


def test_heads_must_divide_the_hidden_size():
    from nerkit.common.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="multiple of --num-heads"):
        BertPretrainSettings(hidden_size=30, num_heads=4)


def test_init_vectors_start_the_character_embeddings(tmp_path, tiny_lines):
    import dataclasses

    import numpy as np
    from gensim.models import KeyedVectors

    from nerkit.common.errors import ConfigurationError
    from nerkit.pretrain.bert import build_model_and_tokenizer

    keyed = KeyedVectors(vector_size=16)
    keyed.add_vectors(["北", "京"], np.array([np.arange(16), -np.arange(16)], dtype=np.float32))
    path = tmp_path / "v.txt"
    keyed.save_word2vec_format(str(path), binary=False)
    settings = dataclasses.replace(TINY, init_vectors=str(path))
    model, tokenizer = build_model_and_tokenizer(tiny_lines, settings, tmp_path)
    table = model.get_input_embeddings().weight
    bei, jing = tokenizer.convert_tokens_to_ids(["北", "京"])
    torch.testing.assert_close(table[bei], -table[jing])
    ratio = table[bei] / torch.arange(16, dtype=torch.float32).clamp(min=1)
    assert torch.allclose(ratio[1:], ratio[1].expand(15))  # one scale for every vector
    assert model.get_output_embeddings().weight.data_ptr() == table.data_ptr()  # tied
    with pytest.raises(ConfigurationError, match="--hidden-size is 32"):
        build_model_and_tokenizer(tiny_lines, dataclasses.replace(settings, hidden_size=32,
                                                                  intermediate_size=64), tmp_path)
