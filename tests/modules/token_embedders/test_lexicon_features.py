import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.lexicon.word_list import WordListLexicon
from nerkit.modules.token_embedders import LexiconFeaturesEmbedder, TokenEmbedder
from nerkit.testing.contracts import assert_token_embedder_contract

WORDS = "北京 10 ns\n北京大学 5 nt\n大学 8 n\n张 3 nr\n张三 2 nr\n"


@pytest.fixture
def lexicon(tmp_path) -> WordListLexicon:
    path = tmp_path / "words.txt"
    path.write_text(WORDS, encoding="utf-8")
    return WordListLexicon(str(path))


def fired(indicators: torch.Tensor, tags: list[str]) -> list[set[str]]:
    """Names like ``B-ns`` of the features firing at each position of one sentence."""
    names = [f"{s}-{t}" for t in tags for s in "BMES"]
    return [{names[i] for i in range(len(names)) if row[i]} for row in indicators]


def test_bmes_by_tag_by_hand(lexicon):
    embedder = LexiconFeaturesEmbedder(lexicon, embedding_dim=4)
    indicators = embedder.featurize([list("张三在北京大学")])["lexicon_indicators"][0]
    assert indicators.shape == (7, 12)
    assert fired(indicators, embedder.tags) == [
        {"B-nr", "S-nr"}, {"E-nr"}, set(), {"B-ns", "B-nt"}, {"E-ns", "M-nt"}, {"M-nt"},
        {"E-nt"},  # 大学 is tagged n: no feature
    ]


def test_from_config_with_chosen_tags(lexicon, vocab):
    embedder = TokenEmbedder.from_config(
        {"type": "lexicon_features", "lexicon": {"path": lexicon.path}, "tags": ["ns"],
         "embedding_dim": 5}, vocab=vocab)
    assert embedder.get_output_dim() == 5
    indicators = embedder.featurize([list("北京")])["lexicon_indicators"]
    assert indicators[0].tolist() == [[1, 0, 0, 0], [0, 0, 1, 0]]


def test_a_lexicon_without_the_tags_is_refused(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("北京 3\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="no lexicon word has one of the tags"):
        LexiconFeaturesEmbedder(WordListLexicon(str(path)))


def test_contract(lexicon):
    embedder = LexiconFeaturesEmbedder(lexicon, embedding_dim=3)
    assert_token_embedder_contract(embedder, [list("张三在北京大学"), list("北京"), list("张")])
