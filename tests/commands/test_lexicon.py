"""``nerkit lexicon build``."""

from __future__ import annotations

import pytest

from nerkit.commands import build_parser
from nerkit.common.errors import ConfigurationError
from nerkit.lexicon.word_list_file import read_word_list


def run(argv):
    args = build_parser().parse_args(argv)
    return args.func(args)


def test_jieba_dictionary_counted_in_a_training_file(fixtures_root, tmp_path, capsys):
    out = tmp_path / "lexicon.txt"
    assert run(["lexicon", "build", "-o", str(out), "--source", "jieba", "--count-in",
                str(fixtures_root / "data" / "tiny.bio"), "--count-reader", "conll"]) == 0
    words = read_word_list(out)
    text = "".join(line.split("\t")[0] for line in
                   (fixtures_root / "data" / "tiny.bio").read_text("utf-8").splitlines())
    assert 0 < len(words) < 2000 and all(w in text for w in words.words)
    assert words.tags[words.words.index("山东")] == "ns"
    assert '"source_words": 349' in capsys.readouterr().out


def test_pfr1998_training_portion_with_filters(fixtures_root, tmp_path, caplog):
    out = tmp_path / "pd.txt"
    run(["lexicon", "build", str(fixtures_root / "data" / "pfr1998_sample.txt"), "-o", str(out),
         "--source", "pfr1998", "--max-word-length", "2"])
    assert "give away its entities" in caplog.text  # a gazetteer from the training tags
    words = read_word_list(out)
    assert words.tags[words.words.index("北京")] == "ns"
    assert max(map(len, words.words)) == 2


def test_raw_text_segmented_with_jieba(tmp_path):
    text = tmp_path / "raw.txt"
    text.write_text("我爱北京天安门\n北京欢迎你\n", encoding="utf-8")
    out = tmp_path / "words.txt"
    run(["lexicon", "build", str(text), "-o", str(out), "--source", "text", "--min-frequency", "2"])
    assert read_word_list(out).words == ["北京"]


def test_entities_of_an_annotated_corpus(fixtures_root, tmp_path, capsys):
    out = tmp_path / "entities.txt"
    run(["lexicon", "build", str(fixtures_root / "data" / "tiny.bio"), "-o", str(out),
         "--source", "entities", "--reader", "conll"])
    words = read_word_list(out)
    assert words.tags[words.words.index("亚洲")] == "LOC"
    assert words.tags[words.words.index("庄希泉")] == "PER"
    assert '"PER": ' in capsys.readouterr().out  # the report counts every entity type


def test_text_of_an_annotated_corpus_segmented_with_jieba(fixtures_root, tmp_path):
    out = tmp_path / "words.txt"
    run(["lexicon", "build", str(fixtures_root / "data" / "tiny.bio"), "-o", str(out),
         "--source", "text", "--reader", "conll"])
    words = read_word_list(out)
    assert "亚洲" in words.words  # jieba's words of the characters, not "亚\tB-LOC" lines
    assert not any("\t" in word or "-" in word for word in words.words)


@pytest.mark.parametrize(("argv", "message"), [
    (["--source", "jieba", "extra.txt"], "--source jieba takes no INPUT"),
    (["--source", "pfr1998"], "--source pfr1998 needs INPUT files"),
    (["--source", "entities", "x.bio"], "--source entities needs --reader"),
    (["--source", "pfr1998", "x.txt", "--reader", "conll"], "--reader is for --source text"),
])
def test_errors(tmp_path, argv, message):
    with pytest.raises(ConfigurationError, match=message):
        run(["lexicon", "build", "-o", str(tmp_path / "x.txt"), *argv])
