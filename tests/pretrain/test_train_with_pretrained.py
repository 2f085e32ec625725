"""A tagger trains 2 steps on each pretrained output; its archive loads without the output."""

from __future__ import annotations

import shutil

import pytest
import torch

from nerkit.archive import load_archive
from nerkit.pretrain.bert import BertPretrainSettings, pretrain_bert
from nerkit.pretrain.elmo import ElmoPretrainSettings, pretrain_elmo
from nerkit.pretrain.output import RunDirectory
from nerkit.pretrain.word2vec import Word2VecPretrainSettings, pretrain_word2vec
from nerkit.training.experiment import train_model

TINY_ELMO = ElmoPretrainSettings(
    cell_dim=8, projection_dim=4, char_embed_dim=4, filters=[[1, 4], [2, 4]],
    max_characters_per_token=6, batch_size=4, max_steps=2, held_out_fraction=0.2,
)
TINY_BERT = BertPretrainSettings(
    hidden_size=16, num_layers=1, num_heads=2, intermediate_size=32, max_length=24, batch_size=4,
    max_steps=2, held_out_fraction=0.2,
)


def _embedder(model: str, out) -> dict:
    if model == "word2vec":
        return {"type": "embedding", "embedding_dim": 6,
                "pretrained_file": str(out / "vectors.bin")}
    if model == "elmo":
        return {"type": "elmo", "options_file": str(out / "options.json"),
                "weight_file": str(out / "weights.hdf5"), "dropout": 0.0}
    return {"type": "pretrained_transformer", "model_name": str(out)}


def _pretrain(model: str, lines, directory):
    run = RunDirectory(directory)
    if model == "word2vec":
        pretrain_word2vec(lines, run, Word2VecPretrainSettings(dim=6, epochs=1), seed=1)
    elif model == "elmo":
        pretrain_elmo(lines, run, TINY_ELMO, seed=1)
    else:
        pretrain_bert(lines, run, TINY_BERT, seed=1)
    return run.finish()


@pytest.mark.parametrize("model", ["word2vec", "elmo", "bert"])
def test_tagger_trains_on_pretrained_output(model, tmp_path, tiny_lines, fixtures_root):
    out = _pretrain(model, tiny_lines, tmp_path / model)
    data = str(fixtures_root / "data" / "tiny.bio")
    config = {
        "dataset_reader": {"type": "conll", "tag_scheme": "BIO"},
        "train_data_path": data,
        "validation_data_path": data,
        "model": {"type": "tagger", "embedder": _embedder(model, out),
                  "encoder": {"type": "lstm", "hidden_dim": 4}, "decoder": {"type": "softmax"}},
        "data_loader": {"batch_size": 4},
        "trainer": {"num_epochs": 1, "max_steps": 2, "optimizer": {"type": "adam", "lr": 0.01},
                    "progress": False},
        "random_seed": 1,
    }
    trained = train_model(config, tmp_path / "run")
    shutil.rmtree(out)  # loading the archive must not need the pretrained files
    archive = load_archive(tmp_path / "run" / "model.tar.gz")
    for name, value in trained.state_dict().items():
        torch.testing.assert_close(archive.model.state_dict()[name], value, msg=name)
