import numpy as np
import pytest
import torch
from gensim.models import KeyedVectors

from nerkit.common.errors import ConfigurationError, DataError
from nerkit.modules.token_embedders import Embedding, TokenEmbedder
from nerkit.testing.contracts import assert_token_embedder_contract

VECTORS = {"北": [1.0, 2.0, 3.0], "京": [-1.0, 0.5, 0.0], "东": [9.0, 9.0, 9.0]}


def write_vectors(path, binary):
    keyed = KeyedVectors(vector_size=3)
    keyed.add_vectors(list(VECTORS), np.array(list(VECTORS.values()), dtype=np.float32))
    keyed.save_word2vec_format(str(path), binary=binary)
    return path


def test_from_config_is_the_default_type(vocab):
    embedder = TokenEmbedder.from_config({"embedding_dim": 4}, vocab=vocab)
    assert isinstance(embedder, Embedding)
    assert embedder.get_output_dim() == 4


def test_featurize_maps_unknown_characters_and_pads(vocab):
    ids = Embedding(vocab, 2).featurize([list("北京"), list("东")])["token_ids"]
    index = vocab.token_index
    assert ids.tolist() == [[index("北"), index("京")], [vocab.unknown_index, 0]]


def test_contract(vocab):
    assert_token_embedder_contract(Embedding(vocab, 4), [list("北京欢迎你"), list("上海"), ["东"]])


def test_padding_vector_is_zero(vocab):
    embedder = Embedding(vocab, 3)
    output = embedder(embedder.featurize([list("北京"), list("北")]), torch.ones(2, 2, dtype=bool))
    assert output[1, 1].abs().sum() == 0


@pytest.mark.parametrize("binary", [False, True])
def test_pretrained_word2vec_file(vocab, tmp_path, binary):
    path = write_vectors(tmp_path / ("vectors.bin" if binary else "vectors.txt"), binary)
    config = {"type": "embedding", "embedding_dim": 3, "pretrained_file": str(path)}
    embedder = TokenEmbedder.from_config(config, vocab=vocab)
    table = embedder.weight.weight
    torch.testing.assert_close(table[vocab.token_index("北")], torch.tensor(VECTORS["北"]))
    torch.testing.assert_close(table[vocab.token_index("京")], torch.tensor(VECTORS["京"]))
    assert table.requires_grad


def test_frozen_pretrained_table(vocab, tmp_path):
    path = write_vectors(tmp_path / "vectors.txt", binary=False)
    embedder = Embedding(vocab, 3, pretrained_file=str(path), trainable=False)
    assert not embedder.weight.weight.requires_grad
    assert list(p for p in embedder.parameters() if p.requires_grad) == []


def test_archive_load_does_not_read_the_file(vocab, tmp_path):
    gone = str(tmp_path / "gone.txt")
    embedder = Embedding(vocab, 3, pretrained_file=gone, archive_resources=tmp_path)
    assert embedder.get_output_dim() == 3


def test_dimension_mismatch(vocab, tmp_path):
    path = write_vectors(tmp_path / "vectors.txt", binary=False)
    config = {"type": "embedding", "embedding_dim": 4, "pretrained_file": str(path)}
    with pytest.raises(ConfigurationError, match="embedding_dim is 4 but .* has 3-dim vectors"):
        TokenEmbedder.from_config(config, vocab=vocab)


def test_missing_and_malformed_files(vocab, tmp_path):
    with pytest.raises(DataError, match="not found"):
        Embedding(vocab, 3, pretrained_file=str(tmp_path / "missing.txt"))
    bad = tmp_path / "bad.txt"
    bad.write_text("2 3\n北 1 2\n", encoding="utf-8")
    with pytest.raises(DataError, match="not a word2vec text file"):
        Embedding(vocab, 3, pretrained_file=str(bad))
