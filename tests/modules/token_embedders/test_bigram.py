import json

import numpy as np
import pytest
import torch
from gensim.models import KeyedVectors

from nerkit.data.ngrams import character_bigrams
from nerkit.data.sentence import Sentence
from nerkit.data.vocabulary import Vocabulary
from nerkit.modules.token_embedders import BigramEmbedder, TokenEmbedder
from nerkit.modules.token_embedders.bigram import LEGACY_RESOURCE_NAME, UNKNOWN_INDEX
from nerkit.testing.contracts import assert_token_embedder_contract

SENTENCES = [Sentence(list("北京欢迎你")), Sentence(list("北京")), Sentence(list("上海"))]


def write_vectors(path, vectors):
    keyed = KeyedVectors(vector_size=2)
    keyed.add_vectors(list(vectors), np.array(list(vectors.values()), dtype=np.float32))
    keyed.save_word2vec_format(str(path), binary=False)
    return str(path)


def test_character_bigrams_pair_the_last_character_with_the_end_marker():
    assert character_bigrams(list("北京人")) == ["北京", "京人", "人</s>"]
    assert character_bigrams([]) == []


def test_index_counts_training_bigrams_most_frequent_first(vocab):
    embedder = BigramEmbedder(vocab, 4, sentences=SENTENCES)
    assert embedder.bigrams[0] == "北京"  # seen twice
    assert set(embedder.bigrams) == {b for s in SENTENCES for b in character_bigrams(s.chars)}
    assert BigramEmbedder(vocab, 4, sentences=SENTENCES, min_count=2).bigrams == ["北京"]


def test_featurize_maps_unknown_bigrams_and_pads(vocab):
    embedder = BigramEmbedder(vocab, 4, sentences=SENTENCES)
    ids = embedder.featurize([list("北京"), list("东")])["bigram_ids"]
    assert ids.shape == (2, 2)
    assert ids[0, 0] == embedder.bigrams.index("北京") + 2
    assert ids[0, 1] == embedder.bigrams.index("京</s>") + 2
    assert ids[1].tolist() == [UNKNOWN_INDEX, 0]


def test_normalisation_follows_the_vocabulary():
    vocab = Vocabulary(list("年0"), ["LOC"], "BIO", normalize_digits=True)
    embedder = BigramEmbedder(vocab, 2, sentences=[Sentence(list("1998年"))])
    assert "00" in embedder.bigrams and "0年" in embedder.bigrams
    ids = embedder.featurize([list("2001年")])["bigram_ids"]
    assert UNKNOWN_INDEX not in ids.tolist()[0]


def test_contract(vocab):
    embedder = BigramEmbedder(vocab, 4, sentences=SENTENCES)
    assert_token_embedder_contract(embedder, [list("北京欢迎你"), list("上海"), ["东"]])


def test_pretrained_vectors_extend_the_index(vocab, tmp_path):
    path = write_vectors(tmp_path / "v.txt", {"北京": [1.0, 2.0], "东京": [3.0, -1.0]})
    config = {"type": "bigram", "embedding_dim": 2, "pretrained_file": path}
    embedder = TokenEmbedder.from_config(config, vocab=vocab, sentences=SENTENCES)
    ids = embedder.featurize([list("东京")])["bigram_ids"][0]
    assert ids[0] != UNKNOWN_INDEX
    rows = embedder.weight.weight
    torch.testing.assert_close(rows[ids[0]], torch.tensor([3.0, -1.0]))
    torch.testing.assert_close(rows[embedder.bigrams.index("北京") + 2], torch.tensor([1.0, 2.0]))


def test_frozen_table(vocab):
    embedder = BigramEmbedder(vocab, 2, sentences=SENTENCES, trainable=False)
    assert not any(p.requires_grad for p in embedder.parameters())


def test_resources_round_trip_any_character(vocab, tmp_path):
    odd = [Sentence(["北", "\n", "\u3000", "\ud800", "😀"])]
    embedder = BigramEmbedder(vocab, 2, sentences=odd)
    embedder.save_resources(tmp_path)
    [written] = tmp_path.glob("bigram_vocabulary-*.json")
    json.loads(written.read_text("utf-8"))
    loaded = BigramEmbedder(vocab, 2, archive_resources=tmp_path)
    assert loaded.bigrams == embedder.bigrams


def test_two_bigram_indexes_share_an_archive(vocab, tmp_path):
    """Two bigram embedders with different indexes (a concat of both) keep their own files."""
    rare = BigramEmbedder(vocab, 2, sentences=SENTENCES)
    frequent = BigramEmbedder(vocab, 2, sentences=SENTENCES, min_count=2)
    assert rare.bigrams != frequent.bigrams
    rare.save_resources(tmp_path)
    frequent.save_resources(tmp_path)
    assert BigramEmbedder(vocab, 2, archive_resources=tmp_path).bigrams == rare.bigrams
    assert (BigramEmbedder(vocab, 2, min_count=2, archive_resources=tmp_path).bigrams
            == frequent.bigrams)


def test_archives_with_the_old_fixed_name_still_load(vocab, tmp_path):
    (tmp_path / LEGACY_RESOURCE_NAME).write_text(json.dumps(["北京", "京</s>"]), "utf-8")
    assert BigramEmbedder(vocab, 2, archive_resources=tmp_path).bigrams == ["北京", "京</s>"]


def test_dimension_mismatch(vocab, tmp_path):
    path = write_vectors(tmp_path / "v.txt", {"北京": [1.0, 2.0]})
    with pytest.raises(ValueError, match="embedding_dim is 3"):
        BigramEmbedder(vocab, 3, pretrained_file=path, sentences=SENTENCES)


def test_trains_archives_and_reloads(tmp_path, fixtures_root):
    from nerkit.predictor import Predictor
    from nerkit.training.experiment import train_model_from_file

    embedder = {"type": "concat", "embedders": [
        {"type": "embedding", "embedding_dim": 6}, {"type": "bigram", "embedding_dim": 4}]}
    model = train_model_from_file(
        fixtures_root / "configs" / "tagger_crf.jsonnet", tmp_path / "run",
        tla_vars={"fixtures": str(fixtures_root), "num_epochs": 1},
        overrides={"model.embedder": embedder}, force=True,
    )
    predictor = Predictor.from_archive(tmp_path / "run" / "model.tar.gz")
    bigram = model.embedder.embedders[1]
    assert predictor.model.embedder.embedders[1].bigrams == bigram.bigrams
    text = "武斌表示：自己认准的道路。"
    assert predictor.predict(text) == Predictor(model, predictor.reader).predict(text)
