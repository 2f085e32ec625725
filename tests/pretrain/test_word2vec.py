from __future__ import annotations

import numpy as np

from nerkit.data.vocabulary import Vocabulary
from nerkit.data.word2vec_file import read_word2vec
from nerkit.modules.token_embedders.embedding import Embedding
from nerkit.pretrain.output import RunDirectory
from nerkit.pretrain.word2vec import Word2VecPretrainSettings, pretrain_word2vec


def test_vectors_load_in_the_embedding_embedder(tmp_path, tiny_lines):
    run = RunDirectory(tmp_path / "w2v")
    metrics = pretrain_word2vec(tiny_lines, run, Word2VecPretrainSettings(dim=8, epochs=2), seed=1)
    out = run.finish()
    assert metrics["vocab_size"] == len({c for line in tiny_lines for c in line})
    text, binary = read_word2vec(out / "vectors.txt"), read_word2vec(out / "vectors.bin")
    assert text.dim == binary.dim == 8
    np.testing.assert_allclose(text.get("京"), binary.get("京"), rtol=1e-5)
    vocab = Vocabulary(list("北京上海"), [], "BIO")
    for path in ("vectors.txt", "vectors.bin"):
        embedder = Embedding(vocab, 8, pretrained_file=str(out / path))
        np.testing.assert_allclose(
            embedder.weight.weight[vocab.token_index("京")].detach().numpy(), text.get("京"),
            rtol=1e-5,
        )


def test_cbow_and_seed(tmp_path, tiny_lines):
    settings = Word2VecPretrainSettings(dim=4, epochs=1, sg=False)
    vectors = []
    for name in ("a", "b"):
        run = RunDirectory(tmp_path / name)
        pretrain_word2vec(tiny_lines, run, settings, seed=5)
        vectors.append(read_word2vec(run.finish() / "vectors.txt").get("人"))
    np.testing.assert_array_equal(vectors[0], vectors[1])


def test_bigram_unit_vectors_load_in_the_bigram_embedder(tmp_path, tiny_lines):
    from nerkit.data.ngrams import character_bigrams
    from nerkit.modules.token_embedders.bigram import BigramEmbedder

    run = RunDirectory(tmp_path / "w2v")
    pretrain_word2vec(tiny_lines, run, Word2VecPretrainSettings(dim=4, epochs=1, unit="bigram"),
                      seed=1)
    vectors = read_word2vec(run.finish() / "vectors.txt")
    assert set(vectors.vectors) == {b for line in tiny_lines for b in character_bigrams(line)}
    embedder = BigramEmbedder(Vocabulary([], [], "BIO"), 4,
                              pretrained_file=str(tmp_path / "w2v" / "vectors.txt"))
    first = character_bigrams(tiny_lines[0])[0]
    np.testing.assert_allclose(
        embedder.weight.weight[embedder.bigrams.index(first) + 2].detach().numpy(),
        vectors.get(first), rtol=1e-5,
    )


def test_unknown_unit_is_refused(tmp_path, tiny_lines):
    import pytest

    with pytest.raises(ValueError, match="--unit must be one of char, bigram"):
        pretrain_word2vec(tiny_lines, RunDirectory(tmp_path / "w2v"),
                          Word2VecPretrainSettings(unit="trigram"), seed=1)
