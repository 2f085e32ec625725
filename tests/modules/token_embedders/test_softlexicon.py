from pathlib import Path

import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.lexicon.word_list import WordListLexicon
from nerkit.modules.token_embedders import SoftLexiconEmbedder, TokenEmbedder
from nerkit.testing.contracts import assert_token_embedder_contract

WORDS = "北京 10 ns\n北京大学 5 nt\n大学 8 n\n大学生 2 n\n学生 3 n\n京 1\n"


@pytest.fixture
def lexicon(tmp_path) -> WordListLexicon:
    path = tmp_path / "words.txt"
    path.write_text(WORDS, encoding="utf-8")
    return WordListLexicon(str(path))


def row(lexicon: WordListLexicon, word: str) -> int:
    return lexicon.index[word] + 2


def test_from_config(tmp_path, vocab):
    path = tmp_path / "words.txt"
    path.write_text(WORDS, encoding="utf-8")
    embedder = TokenEmbedder.from_config(
        {"type": "softlexicon", "lexicon": {"path": str(path)}, "embedding_dim": 6}, vocab=vocab)
    assert isinstance(embedder, SoftLexiconEmbedder)
    assert embedder.get_output_dim() == 24
    assert embedder.words.weight.shape == (6 + 2, 6)


def test_sets_and_frequency_weights_by_hand(lexicon):
    embedder = SoftLexiconEmbedder(lexicon, embedding_dim=3)
    features = embedder.featurize([list("北京大学生")])
    ids, weights = features["softlexicon_word_ids"][0], features["softlexicon_weights"][0]
    # character 大: B = {大学 (8), 大学生 (2)}, M = {北京大学 (5)}, E and S empty (NONE = row 1)
    assert ids[2].tolist() == [[row(lexicon, "大学"), row(lexicon, "大学生")],
                               [row(lexicon, "北京大学"), 0], [1, 0], [1, 0]]
    total = 8 + 2 + 5
    torch.testing.assert_close(weights[2], torch.tensor(
        [[4 * 8 / total, 4 * 2 / total], [4 * 5 / total, 0], [1, 0], [1, 0]]))
    # character 京: M empty, E = {北京}, S = {京}: v(S) uses 京's frequency 1 of Z = 10 + 5 + 1
    assert ids[1, 3, 0] == row(lexicon, "京")
    torch.testing.assert_close(weights[1, 3, 0], torch.tensor(4 * 1 / 16))


def test_output_is_the_weighted_average_per_set(lexicon):
    embedder = SoftLexiconEmbedder(lexicon, embedding_dim=3, weighting="uniform")
    table = embedder.words.weight.detach()
    output = embedder(embedder.featurize([list("大学")]), torch.ones(1, 2, dtype=torch.bool))
    begin, middle, end, single = output[0, 0].reshape(4, 3)
    torch.testing.assert_close(begin, 4 * table[row(lexicon, "大学")])  # Z = 1 word
    for none in (middle, end, single):
        torch.testing.assert_close(none, table[1])


def test_at_most_max_words_per_set_keeping_the_most_frequent(lexicon):
    embedder = SoftLexiconEmbedder(lexicon, embedding_dim=3, max_words_per_set=1)
    ids = embedder.featurize([list("北京大学生")])["softlexicon_word_ids"]
    assert ids.shape == (1, 5, 4, 1)
    assert ids[0, 2, 0, 0] == row(lexicon, "大学")  # 8 beats 大学生's 2


def test_padding_and_sentences_without_words(lexicon):
    embedder = SoftLexiconEmbedder(lexicon, embedding_dim=3)
    features = embedder.featurize([list("上海你好"), list("你"), []])
    ids = features["softlexicon_word_ids"]
    assert bool((ids[0, :, :, 0] == 1).all())  # no word: NONE in every set
    assert bool((ids[1, 1:] == 0).all()) and bool((ids[2] == 0).all())
    mask = torch.tensor([[True] * 4, [True, False, False, False], [False] * 4])
    output = embedder(features, mask)
    assert bool((output[1, 1:] == 0).all()) and bool((output[2] == 0).all())


def test_contract(lexicon):
    embedder = SoftLexiconEmbedder(lexicon, embedding_dim=3)
    assert_token_embedder_contract(embedder, [list("北京大学生"), list("大学"), list("你京")])


def test_projection_maps_the_pooled_sets_linearly(lexicon):
    plain = SoftLexiconEmbedder(lexicon, embedding_dim=3)
    projected = SoftLexiconEmbedder(lexicon, embedding_dim=3, projection_dim=5)
    projected.words.load_state_dict(plain.words.state_dict())
    assert projected.get_output_dim() == 5
    sentences = [list("北京大学生"), list("大学")]
    features = plain.featurize(sentences)
    mask = torch.tensor([[True] * 5, [True, True, False, False, False]])
    expected = projected.projection(plain(features, mask))
    assert torch.allclose(projected(features, mask), expected)
    assert_token_embedder_contract(projected, [list("北京大学生"), list("大学"), list("你京")])
    with pytest.raises(ConfigurationError, match="projection_dim"):
        SoftLexiconEmbedder(lexicon, embedding_dim=3, projection_dim=0)


def test_pretrained_vectors_initialise_their_words(lexicon, tmp_path):
    vectors = tmp_path / "words.vec"
    vectors.write_text("2 3\n北京 1 2 3\n学生 4 5 6\n", encoding="utf-8")
    embedder = SoftLexiconEmbedder(lexicon, embedding_dim=3, pretrained_file=str(vectors),
                                   trainable=False)
    assert embedder.words.weight[row(lexicon, "北京")].tolist() == [1, 2, 3]
    assert embedder.words.weight[row(lexicon, "学生")].tolist() == [4, 5, 6]
    assert not embedder.words.weight.requires_grad


def test_pretrained_dimension_mismatch_is_a_config_error(lexicon, tmp_path):
    vectors = tmp_path / "words.vec"
    vectors.write_text("1 2\n北京 1 2\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="embedding_dim is 3 but .* has 2-dim"):
        SoftLexiconEmbedder(lexicon, embedding_dim=3, pretrained_file=str(vectors))


def test_unknown_weighting_is_refused(lexicon):
    with pytest.raises(ConfigurationError, match="weighting must be one of"):
        SoftLexiconEmbedder(lexicon, weighting="idf")


def test_archive_resources_carry_the_lexicon(lexicon, tmp_path):
    embedder = SoftLexiconEmbedder(lexicon, embedding_dim=3)
    embedder.save_resources(tmp_path / "resources")
    Path(lexicon.path).unlink()
    loaded = WordListLexicon(lexicon.path, archive_resources=tmp_path / "resources")
    assert loaded.words == lexicon.words
