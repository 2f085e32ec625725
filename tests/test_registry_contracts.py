"""Every registered name has a row here, builds from config, rebuilds from its filled config,
and meets its kind's contract. A new component cannot land without a row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch

from nerkit.common.build import build, build_and_fill
from nerkit.common.errors import ConfigurationError
from nerkit.data.dataset_readers.conll import ConllDatasetReader
from nerkit.data.sentence import Sentence
from nerkit.data.vocabulary import Vocabulary
from nerkit.registry import KINDS, get_registry
from nerkit.testing.contracts import (
    assert_seq2seq_encoder_contract,
    assert_token_embedder_contract,
    lengths_to_mask,
)
from nerkit.testing.tiny_elmo import build_tiny_elmo

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SENTENCES = [list("北京欢迎你"), list("武斌"), list("2008年Beijing")]

# (kind, name) -> config block, with "{bert}" / "{elmo_*}" filled in per session.
ROWS: dict[tuple[str, str], dict[str, Any]] = {
    ("dataset_readers", "conll"): {"file": "tiny.bio"},
    ("dataset_readers", "pfr1998"): {"file": "pfr1998_sample.txt"},
    ("dataset_readers", "sighan2006"): {"file": "sighan2006_sample.txt"},
    ("dataset_readers", "jsonl"): {"file": "entities_sample.jsonl"},
    ("dataset_readers", "label_studio"): {"file": "label_studio_sample.json"},
    ("dataset_readers", "brat"): {"file": "brat_sample"},
    ("token_embedders", "embedding"): {"embedding_dim": 4},
    ("token_embedders", "window_features"): {"embedding_dim": 4, "num_buckets": 64},
    ("token_embedders", "bigram"): {"embedding_dim": 4},
    ("token_embedders", "char_cnn"): {"embedding_dim": 4, "num_filters": 3},
    ("token_embedders", "pretrained_transformer"): {"model_name": "{bert}"},
    ("token_embedders", "elmo"): {"options_file": "{elmo_options}",
                                  "weight_file": "{elmo_weights}", "dropout": 0.0},
    ("token_embedders", "softlexicon"): {"lexicon": {"path": "{lexicon}"}, "embedding_dim": 3},
    ("token_embedders", "lexicon_features"): {"lexicon": {"path": "{lexicon}"},
                                              "embedding_dim": 3},
    ("token_embedders", "concat"): {"embedders": [
        {"type": "embedding", "embedding_dim": 3},
        {"type": "window_features", "embedding_dim": 2, "num_buckets": 16}]},
    ("token_embedders", "projected"): {"projection_dim": 2, "embedder": {
        "type": "bigram", "embedding_dim": 3}},
    ("seq2seq_encoders", "lstm"): {"hidden_dim": 3},
    ("seq2seq_encoders", "gru"): {"hidden_dim": 3, "num_layers": 2},
    ("seq2seq_encoders", "cnn"): {"hidden_dim": 5, "num_layers": 2},
    ("seq2seq_encoders", "transformer"): {"num_layers": 1, "num_heads": 2, "dropout": 0.0},
    ("seq2seq_encoders", "compose"): {"encoders": [{"type": "cnn", "hidden_dim": 6},
                                                   {"type": "lstm", "hidden_dim": 2}]},
    ("seq2seq_encoders", "pass_through"): {},
    ("attentions", "additive"): {},
    ("attentions", "bilinear"): {},
    ("attentions", "cosine"): {},
    ("attentions", "dot_product"): {},
    ("attentions", "scaled_dot_product"): {},
    ("decoders", "softmax"): {},
    ("decoders", "crf"): {},
    ("decoders", "attention_lstm"): {"hidden_dim": 4, "label_embedding_dim": 3, "beam_size": 2},
    ("models", "tagger"): {"embedder": {"type": "embedding", "embedding_dim": 4},
                           "encoder": {"type": "lstm", "hidden_dim": 3}},
    ("metrics", "span_f1"): {},
    ("metrics", "token_accuracy"): {},
    ("optimizers", "adam"): {"lr": 0.1},
    ("optimizers", "adamw"): {"lr": 0.1},
    ("optimizers", "sgd"): {"lr": 0.1},
    ("optimizers", "adagrad"): {"lr": 0.1},
    ("optimizers", "lbfgs"): {"l2": 0.1, "iterations_per_epoch": 2},
    ("lr_schedulers", "linear_with_warmup"): {"warmup_steps": 1},
    ("lr_schedulers", "inverse_decay"): {},
    ("callbacks", "tensorboard"): {},
    ("lexicons", "word_list"): {"path": "{lexicon}", "min_frequency": 2},
    ("lexicons", "jieba_dictionary"): {"max_word_length": 2},
}


def nerkit_names(kind: str) -> set[str]:
    """Names registered by nerkit itself (not by tests' throwaway plugins)."""
    return {name for name, implementation in get_registry(kind).get_all().items()
            if getattr(implementation, "__module__", "").startswith("nerkit.")}


@pytest.mark.parametrize("kind", KINDS)
def test_every_registered_name_has_a_row(kind):
    missing = nerkit_names(kind) - {name for k, name in ROWS if k == kind}
    assert not missing, f"add rows to ROWS for {kind}: {sorted(missing)}"


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    sentences = ConllDatasetReader().read(FIXTURES / "data" / "tiny.bio")
    return Vocabulary.from_sentences(sentences, "BIEO", extra_tokens="2008年Beijing欢迎你")


@pytest.fixture(scope="module")
def paths(tiny_bert_dir, tmp_path_factory) -> dict[str, str]:
    options, weights = build_tiny_elmo(tmp_path_factory.mktemp("elmo"))
    return {"bert": str(tiny_bert_dir), "elmo_options": str(options),
            "elmo_weights": str(weights),
            "lexicon": str(FIXTURES / "lexicon" / "tiny_lexicon.txt")}


def _config(kind: str, name: str, paths: dict[str, str]) -> dict[str, Any]:
    text = json.dumps({"type": name, **ROWS[(kind, name)]})
    for key, value in paths.items():
        text = text.replace("{" + key + "}", value)
    return json.loads(text)


def _context(kind: str, vocab: Vocabulary, tmp_path: Path) -> dict[str, Any]:
    model = torch.nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    return {
        "token_embedders": {"vocab": vocab,
                            "sentences": [Sentence(chars) for chars in SENTENCES[:2]]},
        "seq2seq_encoders": {"input_dim": 4},
        "attentions": {"query_dim": 4, "key_dim": 4},
        "decoders": {"vocab": vocab, "input_dim": 4},
        "models": {"vocab": vocab},
        "metrics": {"vocab": vocab},
        "optimizers": {"model": model},
        "lr_schedulers": {"optimizer": optimizer, "num_training_steps": 4, "steps_per_epoch": 2},
        "callbacks": {"serialization_dir": tmp_path},
    }.get(kind, {})


@pytest.mark.parametrize(("kind", "name"), sorted(ROWS))
def test_row_builds_rebuilds_and_meets_contract(kind, name, vocab, paths, tmp_path):
    config = _config(kind, name, paths)
    if kind == "dataset_readers":
        reader = build({"type": name}, kind)
        assert reader.read(FIXTURES / "data" / config["file"])
        return
    context = _context(kind, vocab, tmp_path)
    try:
        built, filled = build_and_fill(config, kind, context=context)
    except ConfigurationError as error:
        if kind == "callbacks" and "pip install" in str(error):
            pytest.skip(f"optional dependency missing: {error}")
        raise
    json.dumps(filled)
    rebuilt = build(filled, kind, context=context)
    assert type(rebuilt) is type(built)
    if isinstance(built, torch.nn.Module):
        assert {k: v.shape for k, v in built.state_dict().items()} == {
            k: v.shape for k, v in rebuilt.state_dict().items()}
    CONTRACTS.get(kind, lambda *_: None)(built, vocab)


def _embedder_contract(embedder, vocab) -> None:
    assert_token_embedder_contract(embedder, SENTENCES)


def _encoder_contract(encoder, vocab) -> None:
    assert_seq2seq_encoder_contract(encoder)


def _attention_contract(attention, vocab) -> None:
    mask = lengths_to_mask([3, 1])
    weights = attention(torch.randn(2, 4), torch.randn(2, 3, 4), mask)
    assert weights.shape == (2, 3)
    torch.testing.assert_close(weights.sum(dim=-1), torch.ones(2))
    assert bool((weights[~mask] == 0).all())


def _decoder_contract(decoder, vocab) -> None:
    mask = lengths_to_mask([4, 2])
    encoded = torch.randn(2, 4, 4)
    tags = torch.randint(0, vocab.num_labels, (2, 4)) * mask
    assert decoder.loss(encoded, mask, tags).dim() == 0
    decoder.eval()
    predictions = decoder.decode(encoded, mask)
    assert predictions.shape == (2, 4) and bool((predictions[~mask] == 0).all())


def _metric_contract(metric, vocab) -> None:
    metric([["B-PER", "E-PER", "O"]], [["B-PER", "E-PER", "O"]])
    values = metric.get_metric(reset=True)
    assert values.get("f1", values.get("accuracy")) == 1.0


CONTRACTS = {
    "token_embedders": _embedder_contract,
    "seq2seq_encoders": _encoder_contract,
    "attentions": _attention_contract,
    "decoders": _decoder_contract,
    "metrics": _metric_contract,
}
