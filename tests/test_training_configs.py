"""Every shipped config builds on the fixtures, and the paper's system trains and reloads."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from nerkit.common import precision
from nerkit.common.config import load_config
from nerkit.models.model import Model
from nerkit.testing.model_test_case import ModelTestCase
from nerkit.testing.tiny_elmo import build_tiny_elmo
from nerkit.training.experiment import Experiment, fill_experiment, train_model

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = sorted(p.name for p in (ROOT / "training_configs").glob("*.jsonnet"))
FIXTURE_CONFIGS = sorted(p.name for p in (ROOT / "fixtures" / "configs").glob("*.jsonnet"))


@pytest.fixture(scope="module")
def tiny_elmo(tmp_path_factory) -> tuple[Path, Path]:
    return build_tiny_elmo(tmp_path_factory.mktemp("tiny_elmo"))


@pytest.fixture(scope="module")
def tiny_vectors(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("vectors") / "vectors.txt"
    path.write_text("3 4\n北 0.1 0.2 0.3 0.4\n京 0.5 0.6 0.7 0.8\n武 1 1 1 1\n", encoding="utf-8")
    return path


def fixture_arguments(name: str, fixtures: Path, bert: Path, elmo, vectors: Path) -> dict:
    """Top-level arguments pointing a shipped config at fixtures and tiny pretrained models."""
    data = str(fixtures / "data" / "tiny.bio")
    arguments = {"train_path": data, "validation_path": data}
    if name.startswith("bert"):
        arguments["bert"] = str(bert)
    if name.startswith("elmo"):
        arguments["elmo_options"], arguments["elmo_weights"] = (str(p) for p in elmo)
    if name.startswith(("word2vec", "bilstm_crf", "lstm_cnns")):
        arguments["vectors"] = str(vectors)
    if name in ("bilstm_crf.jsonnet", "lstm_cnns.jsonnet", "word2vec_seq2seq_att.jsonnet"):
        arguments["embedding_dim"] = 4
    if name.startswith("softlexicon"):
        lexicon = fixtures / "lexicon" / "tiny_lexicon.txt"
        arguments.update(lexicon=str(lexicon), embedding_dim=4, word_dim=3, gazetteer=True)
    if name == "quickstart.jsonnet":
        arguments = {"sample_dir": str(ROOT / "nerkit" / "resources" / "sample")}
    return arguments


def build_model(config: dict) -> Model:
    """The experiment's model, built for real on the vocabulary of its training data."""
    experiment = Experiment.from_config(config)
    sentences = experiment.dataset_reader.read(experiment.train_data_path)
    return experiment.model.construct(vocab=experiment.vocabulary.build(sentences),
                                      sentences=sentences)


@pytest.mark.parametrize("name", CONFIGS)
def test_shipped_config_builds(name, fixtures_root, tiny_bert_dir, tiny_elmo, tiny_vectors):
    arguments = fixture_arguments(name, fixtures_root, tiny_bert_dir, tiny_elmo, tiny_vectors)
    config = load_config(ROOT / "training_configs" / name, tla_vars=arguments)
    filled = fill_experiment(config)
    assert filled["model"]["type"] == "tagger"
    for path in (config["train_data_path"], config["validation_data_path"]):
        assert Path(path).is_file()
    model = build_model(config)
    assert sum(p.numel() for p in model.parameters() if p.requires_grad) > 0


@pytest.mark.parametrize("name", FIXTURE_CONFIGS)
def test_fixture_config_builds(name, fixtures_root):
    config = load_config(fixtures_root / "configs" / name,
                         tla_vars={"fixtures": str(fixtures_root)})
    assert fill_experiment(config)["model"]["type"] == "tagger"
    assert isinstance(build_model(config), Model)


def test_unknown_dataset_names_the_choices():
    from nerkit.common.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="dataset must be one of"):
        load_config(ROOT / "training_configs" / "bilstm_crf.jsonnet",
                    tla_vars={"dataset": "weibo"})


@pytest.mark.parametrize(("dataset", "folds", "expected"), [
    ("pd1998", None, 10), ("msra", None, None), ("pd1998", 0, None), ("msra", 5, 5),
])
def test_softlexicon_cross_fold_defaults_by_dataset(fixtures_root, dataset, folds, expected):
    """A People's Daily word list is counted from its training portion: cross-fold by default."""
    arguments = {"dataset": dataset, "lexicon": str(fixtures_root / "lexicon" / "tiny_lexicon.txt"),
                 "lexicon_folds": folds}
    config = load_config(ROOT / "training_configs" / "softlexicon_bilstm_crf.jsonnet",
                         tla_vars=arguments)
    lexicon = config["model"]["embedder"]["embedders"][-1]["lexicon"]
    assert lexicon.get("cross_fold") == expected


@pytest.mark.parametrize("name", [
    "bilstm_crf.jsonnet", "lstm_cnns.jsonnet", "word2vec_seq2seq_att.jsonnet",
    "softlexicon_bilstm_crf.jsonnet", "softlexicon_seq2seq_att.jsonnet",
])
def test_bigram_projection_wraps_the_bigram_table(name, fixtures_root):
    """``--arg bigram_projection=N``: the (frozen) bigram vectors pass through a learned map."""
    arguments = {"bigrams": True, "bigram_projection": 7,
                 "lexicon": str(fixtures_root / "lexicon" / "tiny_lexicon.txt")}
    config = load_config(ROOT / "training_configs" / name, tla_vars={
        k: v for k, v in arguments.items() if k != "lexicon" or name.startswith("softlexicon")})
    embedders = config["model"]["embedder"]["embedders"]
    projected = [e for e in embedders if e["type"] == "projected"]
    assert len(projected) == 1 and projected[0]["projection_dim"] == 7
    assert projected[0]["embedder"]["type"] == "bigram"


@pytest.mark.parametrize("name", CONFIGS)
def test_shipped_config_trains_under_cpu_bf16(
    name, fixtures_root, tiny_bert_dir, tiny_elmo, tiny_vectors, tmp_path, monkeypatch
):
    """``trainer.amp: bf16`` on a CPU with AMX: every model family computes under autocast."""
    monkeypatch.setattr(precision, "cpu_has_native_bf16", lambda: True)
    arguments = fixture_arguments(name, fixtures_root, tiny_bert_dir, tiny_elmo, tiny_vectors)
    config = load_config(ROOT / "training_configs" / name, tla_vars=arguments,
                         overrides={"trainer.amp": "bf16", "trainer.max_steps": 2,
                                    "trainer.progress": False})
    model = train_model(config, tmp_path / "run")
    assert {p.dtype for p in model.parameters()} == {torch.float32}


class TestShippedConfigs(ModelTestCase):
    """Every shipped model family trains, archives, reloads and is batch-consistent."""

    @pytest.mark.parametrize("name", CONFIGS)
    def test_trains_archives_and_reloads(
        self, name, fixtures_root, tiny_bert_dir, tiny_elmo, tiny_vectors, tmp_path
    ):
        arguments = fixture_arguments(name, fixtures_root, tiny_bert_dir, tiny_elmo, tiny_vectors)
        _, archive = self.ensure_model_can_train_save_and_load(
            ROOT / "training_configs" / name, tmp_path / "run", tla_vars=arguments,
        )
        assert fill_experiment(archive.config) == archive.config  # every section filled

    def test_bert_seq2seq_att_beam_search_reloads(self, fixtures_root, tiny_bert_dir, tmp_path):
        data = str(fixtures_root / "data" / "tiny.bio")
        _, archive = self.ensure_model_can_train_save_and_load(
            ROOT / "training_configs" / "bert_seq2seq_att.jsonnet", tmp_path / "run",
            tla_vars={"bert": str(tiny_bert_dir), "train_path": data, "validation_path": data,
                      "batch_size": 4, "beam_size": 3},
            overrides={"model.encoder.hidden_dim": 8, "model.decoder.hidden_dim": 8},
        )
        assert archive.config["model"]["decoder"]["beam_size"] == 3
