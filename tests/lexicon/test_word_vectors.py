"""``nerkit pretrain word2vec --unit word``: word vectors for the softlexicon embedder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nerkit.commands import main
from nerkit.lexicon.word_list import WordListLexicon
from nerkit.modules.token_embedders.softlexicon import SoftLexiconEmbedder
from nerkit.modules.token_embedders.word2vec_file import read_word2vec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def pretrain(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(["pretrain", "word2vec", *argv, "--unit", "word", "--dim", "4", "--epochs", "1"])
    return exit_info.value.code


def test_people_s_daily_keeps_its_own_segmentation(tmp_path, capsys):
    out = tmp_path / "words"
    assert pretrain([str(FIXTURES / "data" / "pfr1998_sample.txt"), "--reader", "pfr1998",
                     "-o", str(out)]) == 0
    assert capsys.readouterr().out.startswith("corpus: 6 lines")
    vectors = read_word2vec(out / "vectors.bin")
    assert {"中共中央", "总书记", "泽民"} <= set(vectors.vectors)  # the corpus's words, not jieba's
    report = json.loads((out / "pretrain_metrics.json").read_text())
    assert report["settings"]["unit"] == "word"


def test_other_text_is_segmented_with_jieba_and_loads_in_softlexicon(tmp_path):
    text = tmp_path / "raw.txt"
    text.write_text("我爱北京天安门\n北京欢迎你\n", encoding="utf-8")
    out = tmp_path / "words"
    assert pretrain([str(text), "-o", str(out)]) == 0
    vectors = read_word2vec(out / "vectors.txt")
    assert {"北京", "天安门", "欢迎"} <= set(vectors.vectors)
    lexicon_path = tmp_path / "lexicon.txt"
    lexicon_path.write_text("北京 2 ns\n天安门 1 ns\n故宫 1 ns\n", encoding="utf-8")
    lexicon = WordListLexicon(str(lexicon_path))
    embedder = SoftLexiconEmbedder(lexicon, embedding_dim=4,
                                   pretrained_file=str(out / "vectors.txt"))
    row = lexicon.index["北京"] + 2
    assert embedder.words.weight[row].tolist() == pytest.approx(vectors.get("北京").tolist())
