"""Vocabulary: counts, min count, max size, unknowns, pretrained characters, normalisation."""

from __future__ import annotations

import pytest

from nerkit.common.build import build
from nerkit.common.errors import ConfigurationError
from nerkit.data.sentence import Sentence, Span
from nerkit.data.vocabulary import Vocabulary, build_vocabulary

SENTENCES = [
    Sentence(list("北京北京上海"), [Span(0, 2, "LOC"), Span(4, 6, "LOC")]),
    Sentence(list("李鹏１９年"), [Span(0, 2, "PER")]),
]


def test_counts_min_count_and_unknowns():
    vocab = build_vocabulary(SENTENCES, min_count=2)
    assert vocab.tokens == ["[PAD]", "[UNK]", "京", "北"]
    assert vocab.token_index("北") == 3 and vocab.token_index("海") == vocab.unknown_index == 1
    assert vocab.labels == ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]


def test_max_size_keeps_the_most_frequent():
    vocab = build_vocabulary(SENTENCES, tag_scheme="BIOES", max_size=3)
    assert vocab.tokens[2:] == ["京", "北", "上"]  # ties in character order
    assert "S-PER" in vocab.labels and vocab.tag_scheme == "BIOES"


def test_pretrained_characters_extend_the_vocabulary(tmp_path):
    vectors = tmp_path / "vectors.txt"
    vectors.write_text("4 2\n北 0.1 0.2\n深 0.3 0.4\n深圳 0.5 0.6\n圳 0.7 0.8\n", encoding="utf-8")
    vocab = build_vocabulary(SENTENCES, min_count=2, pretrained_file=str(vectors))
    assert vocab.tokens[2:] == ["京", "北", "深", "圳"]
    assert vocab.token_index("深") != vocab.unknown_index


def test_normalisation_is_applied_consistently_and_saved(tmp_path):
    vocab = build_vocabulary(SENTENCES, normalize_digits=True, normalize_width=True)
    assert "0" in vocab.tokens and "１" not in vocab.tokens
    assert vocab.token_index("7") == vocab.token_index("９") == vocab.token_index("0")
    vocab.save(tmp_path / "vocab")
    loaded = Vocabulary.load(tmp_path / "vocab")
    assert loaded.normalize_digits and loaded.normalize_width
    assert loaded.tokens == vocab.tokens and loaded.token_index("５") == vocab.token_index("0")


def test_save_and_load_round_trip(tmp_path):
    vocab = build_vocabulary(SENTENCES, tag_scheme="BIEO")
    vocab.save(tmp_path)
    loaded = Vocabulary.load(tmp_path)
    assert (loaded.tokens, loaded.labels, loaded.tag_scheme) == (
        vocab.tokens, vocab.labels, "BIEO"
    )
    assert not loaded.normalize_digits


def test_config_block_builds_and_unknown_keys_fail():
    vocab = build({"tag_scheme": "BMES", "min_count": 2}, build_vocabulary,
                  context={"sentences": SENTENCES})
    assert vocab.tag_scheme == "BMES" and len(vocab) == 4
    with pytest.raises(ConfigurationError, match="min_cont.*did you mean 'min_count'"):
        build({"min_cont": 2}, build_vocabulary, context={"sentences": SENTENCES})
    with pytest.raises(ConfigurationError, match="min_count must be at least 1"):
        build({"min_count": 0}, build_vocabulary, context={"sentences": SENTENCES})


ODD_CHARACTERS = ["\n", "\t", " ", "\u3000", "\u2028", "\r", "😀", "\ud800", "\x00", "京"]


def test_any_character_survives_save_and_load(tmp_path):
    """Issue #10: a newline in the training text broke the one-token-per-line file."""
    vocab = Vocabulary(ODD_CHARACTERS, ["PER"], "BIO")
    vocab.save(tmp_path)
    loaded = Vocabulary.load(tmp_path)
    assert loaded.tokens == vocab.tokens
    assert all(loaded.token_index(c) == vocab.token_index(c) > 1 for c in ODD_CHARACTERS)


def test_the_older_text_layout_still_loads(tmp_path):
    (tmp_path / "tokens.txt").write_text("京\n北\n", encoding="utf-8")
    (tmp_path / "labels.txt").write_text("O\nB-PER\nI-PER\n", encoding="utf-8")
    (tmp_path / "vocabulary.json").write_text(
        '{"tag_scheme": "BIO", "entity_types": ["PER"]}', encoding="utf-8")
    loaded = Vocabulary.load(tmp_path)
    assert loaded.tokens[2:] == ["京", "北"] and loaded.labels == ["O", "B-PER", "I-PER"]
