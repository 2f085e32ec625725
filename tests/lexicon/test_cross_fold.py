import random

import pytest

from nerkit.common.build import build
from nerkit.common.errors import ConfigurationError
from nerkit.data.sentence import Sentence
from nerkit.lexicon.cross_fold import fold_of
from nerkit.lexicon.lexicon import Lexicon
from nerkit.lexicon.word_list import WordListLexicon


def article(text: str, number: int) -> Sentence:
    return Sentence(list(text), [], {"article": number})


def words_in(lexicon: Lexicon, text: str) -> set[str]:
    return {lexicon.words[w] for w in lexicon.match(text).word}


@pytest.fixture
def training() -> list[Sentence]:
    # Two folds by article: 0 and 2 are fold 0, 1 is fold 1.
    return [article("武斌在山东", 0), article("武斌题词", 0), article("张国忠在山东", 1),
            article("通州的同志", 2)]


def test_a_word_of_one_fold_is_hidden_from_that_fold_only(tiny_lexicon_path, training):
    lexicon = WordListLexicon(str(tiny_lexicon_path), cross_fold=2, sentences=training)
    assert words_in(lexicon, "武斌在山东") == {"山东"}  # 武斌: only in fold 0's articles
    assert words_in(lexicon, "武斌题词") == set()  # 题词 too: one article of fold 0
    assert words_in(lexicon, "张国忠在山东") == {"山东"}  # 山东 is in both folds
    assert words_in(lexicon, "通州的同志") == set()
    assert words_in(lexicon, "武斌和张国忠题词") == {"武斌", "张国忠", "题词"}  # not training text


def test_text_in_several_folds_sees_every_word(tiny_lexicon_path):
    training = [article("武斌题词", 0), article("武斌题词", 1), article("通州", 0)]
    lexicon = WordListLexicon(str(tiny_lexicon_path), cross_fold=2, sentences=training)
    assert words_in(lexicon, "武斌题词") == {"武斌", "题词"}
    assert words_in(lexicon, "通州") == set()


def test_without_articles_folds_go_by_position():
    assert [fold_of(Sentence(list("字")), i, 3) for i in range(5)] == [0, 1, 2, 0, 1]
    assert fold_of(article("字", 7), 0, 3) == 1


def test_matches_equal_a_lexicon_built_without_the_fold(tmp_path):
    """Brute force: a training sentence sees exactly the words that occur in other folds."""
    rng = random.Random(5)
    alphabet = "甲乙丙丁戊"
    words = sorted({"".join(rng.choices(alphabet, k=rng.randint(1, 3))) for _ in range(40)})
    path = tmp_path / "words.txt"
    path.write_text("".join(f"{w} 1\n" for w in words), encoding="utf-8")
    training = [article("".join(rng.choices(alphabet, k=rng.randint(1, 12))), rng.randrange(9))
                for _ in range(60)]
    lexicon = WordListLexicon(str(path), cross_fold=3, sentences=training)
    folds = [fold_of(s, i, 3) for i, s in enumerate(training)]
    for sentence, fold in zip(training, folds, strict=True):
        text = sentence.text
        own = {f for s, f in zip(training, folds, strict=True) if s.text == text}
        if len(own) > 1:
            continue  # the same text in several folds: nothing is held out
        elsewhere = [s.text for s, f in zip(training, folds, strict=True) if f != fold]
        expected = {w for w in words if w in text and any(w in other for other in elsewhere)}
        assert words_in(lexicon, text) == expected


def test_a_loaded_archive_sees_every_word(tmp_path, tiny_lexicon_path, training):
    lexicon = WordListLexicon(str(tiny_lexicon_path), cross_fold=2, sentences=training)
    lexicon.save_resources(tmp_path / "resources")
    loaded = WordListLexicon(str(tiny_lexicon_path), cross_fold=2, sentences=training,
                             archive_resources=tmp_path / "resources")
    assert words_in(loaded, "武斌在山东") == {"武斌", "山东"}


def test_built_from_config_with_the_training_sentences(tiny_lexicon_path, training):
    config = {"type": "word_list", "path": str(tiny_lexicon_path), "cross_fold": 2}
    lexicon = build(config, Lexicon, context={"sentences": training})
    assert words_in(lexicon, "武斌在山东") == {"山东"}
    assert words_in(build(config, Lexicon), "武斌在山东") == {"武斌", "山东"}  # no sentences


@pytest.mark.parametrize("folds", [1, -2])
def test_one_fold_is_a_configuration_error(tiny_lexicon_path, folds):
    with pytest.raises(ConfigurationError, match="cross_fold must be 0"):
        WordListLexicon(str(tiny_lexicon_path), cross_fold=folds)
