"""The lexicon configs train, archive and reload with the lexicon inside the archive."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from nerkit.archive import load_archive
from nerkit.common.config import load_config
from nerkit.common.errors import ConfigurationError
from nerkit.lexicon import builders
from nerkit.lexicon.word_list_file import write_word_list
from nerkit.testing.model_test_case import ModelTestCase

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "training_configs"


class TestSoftLexiconSystems(ModelTestCase):
    @pytest.mark.parametrize("name", ["softlexicon_bilstm_crf", "softlexicon_seq2seq_att"])
    def test_trains_archives_and_reloads_without_the_source_files(
        self, name, fixtures_root, tiny_lexicon_path, tmp_path
    ):
        lexicon = tmp_path / "lexicon.txt"
        lexicon.write_bytes(tiny_lexicon_path.read_bytes())
        vectors = tmp_path / "words.vec"
        vectors.write_text("2 3\n武斌 1 2 3\n山东 4 5 6\n", encoding="utf-8")
        data = str(fixtures_root / "data" / "tiny.bio")
        self.ensure_model_can_train_save_and_load(
            CONFIGS / f"{name}.jsonnet", tmp_path / "run",
            tla_vars={"train_path": data, "validation_path": data, "lexicon": str(lexicon),
                      "word_vectors": str(vectors), "word_dim": 3, "embedding_dim": 4,
                      "gazetteer": True, "word_trainable": True, "batch_size": 4,
                      "bigrams": True},
            overrides={"model.encoder.hidden_dim": 4},
        )
        with tarfile.open(tmp_path / "run" / "model.tar.gz") as tar:
            names = tar.getnames()
        assert any(n.startswith("resources/lexicons/lexicon-") for n in names)
        lexicon.unlink()
        vectors.unlink()
        archive = load_archive(tmp_path / "run" / "model.tar.gz")
        sentences = archive.reader.read(data)[:2]
        features = archive.model.featurize(sentences)["features"]
        assert features["2.softlexicon_word_ids"].any()  # after the character and bigram ones


def test_an_outside_gazetteer_adds_features_and_travels_in_the_archive(
    fixtures_root, tiny_lexicon_path, tmp_path
):
    """``gazetteer_lexicon``: entity mentions of another corpus as lexicon_features by type."""
    data = str(fixtures_root / "data" / "tiny.bio")
    gazetteer = tmp_path / "other_corpus_entities.txt"
    write_word_list(builders.from_entities([data], ["conll"]), gazetteer)
    ModelTestCase().ensure_model_can_train_save_and_load(
        CONFIGS / "softlexicon_bilstm_crf.jsonnet", tmp_path / "run",
        tla_vars={"train_path": data, "validation_path": data, "lexicon": str(tiny_lexicon_path),
                  "gazetteer_lexicon": str(gazetteer), "word_dim": 3, "embedding_dim": 4,
                  "batch_size": 4},
        overrides={"model.encoder.hidden_dim": 4},
    )
    with tarfile.open(tmp_path / "run" / "model.tar.gz") as tar:
        names = tar.getnames()
    assert any(n.startswith("resources/lexicons/other_corpus_entities-") for n in names)
    gazetteer.unlink()
    archive = load_archive(tmp_path / "run" / "model.tar.gz")
    sentences = archive.reader.read(data)
    features = archive.model.featurize(sentences)["features"]
    key = next(k for k in features if k.endswith("lexicon_indicators"))
    indicators = features[key]
    assert indicators.shape[-1] == 4 * 3  # B/M/E/S x PER/LOC/ORG
    tags = [sentence.tags("BIOES") for sentence in sentences]
    fired = indicators.sum(-1) > 0
    for row, sentence_tags in enumerate(tags):  # every entity character of this corpus fires
        for position, tag in enumerate(sentence_tags):
            assert bool(fired[row, position]) or tag == "O"


def test_people_s_daily_needs_its_own_lexicon():
    with pytest.raises(ConfigurationError, match="pd1998 needs lexicon="):
        load_config(CONFIGS / "softlexicon_bilstm_crf.jsonnet", tla_vars={"dataset": "pd1998"})


def test_msra_defaults_to_jieba_s_dictionary():
    config = load_config(CONFIGS / "softlexicon_bilstm_crf.jsonnet", tla_vars={"dataset": "msra"})
    softlexicon = next(block for block in config["model"]["embedder"]["embedders"]
                       if block["type"] == "softlexicon")
    assert softlexicon["lexicon"] == {"type": "jieba_dictionary"}
