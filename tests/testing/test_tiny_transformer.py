from safetensors.torch import load_file
from transformers import AutoModel, AutoTokenizer

from nerkit.testing.tiny_transformer import build_tiny_bert, fixture_characters


def test_session_fixture_is_a_loadable_tiny_bert(tiny_bert_dir):
    model = AutoModel.from_pretrained(tiny_bert_dir)
    config = model.config
    assert (config.num_hidden_layers, config.hidden_size, config.num_attention_heads) == (2, 16, 2)
    assert (config.intermediate_size, config.max_position_embeddings) == (32, 64)
    assert (tiny_bert_dir / "model.safetensors").is_file()
    tokenizer = AutoTokenizer.from_pretrained(tiny_bert_dir)
    assert tokenizer.model_max_length == 64
    assert tokenizer.tokenize("庄希泉 2008 Beijing") == [
        "庄", "希", "泉", "20", "##08", "be", "##ij", "##ing"
    ]


def test_vocabulary_holds_fixture_characters_digits_and_letters(tiny_bert_dir):
    vocab = (tiny_bert_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")
    assert vocab[:5] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    assert set(fixture_characters()) <= set(vocab)
    assert {"7", "x", "##7", "##x"} <= set(vocab)
    assert len(vocab) == len(set(vocab))


def test_same_seed_same_weights(tmp_path):
    first, second = (
        load_file(build_tiny_bert(tmp_path / name, characters="北京", seed=3) / "model.safetensors")
        for name in "ab"
    )
    assert first.keys() == second.keys()
    assert all((first[k] == second[k]).all() for k in first)


def test_custom_characters_and_length(tmp_path):
    directory = build_tiny_bert(tmp_path, characters=["甲", "乙"], max_position_embeddings=16)
    tokenizer = AutoTokenizer.from_pretrained(directory)
    assert tokenizer.tokenize("甲乙丙") == ["甲", "乙", "[UNK]"]
    assert AutoModel.from_pretrained(directory).config.max_position_embeddings == 16
