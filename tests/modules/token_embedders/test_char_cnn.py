import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.token_embedders import CharCnnEmbedder, TokenEmbedder
from nerkit.testing.contracts import assert_token_embedder_contract


def test_from_config_output_dim(vocab):
    config = {"type": "char_cnn", "embedding_dim": 4, "num_filters": 3, "kernel_sizes": [2, 3]}
    embedder = TokenEmbedder.from_config(config, vocab=vocab)
    assert isinstance(embedder, CharCnnEmbedder)
    assert embedder.get_output_dim() == 4 + 3 * 2


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@pytest.mark.parametrize("pool_size", [1, 3])
def test_contract(vocab, pool_size):
    embedder = CharCnnEmbedder(
        vocab, 4, num_filters=3, kernel_sizes=[2, 3], activation="tanh", pool_size=pool_size
    )
    assert_token_embedder_contract(embedder, [list("北京欢迎你"), list("上海"), list("东京")])


def test_numbers_by_hand(vocab):
    embedder = CharCnnEmbedder(vocab, 1, num_filters=1, kernel_sizes=[3])
    with torch.no_grad():
        for char, value in zip("北京欢", [1.0, 2.0, -4.0]):
            embedder.embedding.weight.weight[vocab.token_index(char)] = value
        embedder.convolutions[0].weight.copy_(torch.tensor([[[1.0, 1.0, 1.0]]]))
        embedder.convolutions[0].bias.zero_()
    features = embedder.featurize([list("北京欢"), list("北京")])
    mask = torch.tensor([[True, True, True], [True, True, False]])
    output = embedder(features, mask)
    # [embedding, relu(left + self + right)], zeros beyond each sentence
    expected = torch.tensor(
        [[[1.0, 3.0], [2.0, 0.0], [-4.0, 0.0]], [[1.0, 3.0], [2.0, 3.0], [0.0, 0.0]]]
    )
    torch.testing.assert_close(output, expected)


def test_max_pooling_by_hand(vocab):
    embedder = CharCnnEmbedder(vocab, 1, num_filters=1, kernel_sizes=[1], pool_size=3)
    with torch.no_grad():
        for char, value in zip("北京欢迎", [1.0, 5.0, -2.0, 3.0]):
            embedder.embedding.weight.weight[vocab.token_index(char)] = value
        embedder.convolutions[0].weight.fill_(1.0)
        embedder.convolutions[0].bias.zero_()
    features = embedder.featurize([list("北京欢迎"), list("欢迎")])
    mask = torch.tensor([[True] * 4, [True, True, False, False]])
    pooled = embedder(features, mask)[..., 1]
    # relu(x) = [1, 5, 0, 3] pooled over 3 neighbours; [0, 3] for the short sentence
    torch.testing.assert_close(pooled, torch.tensor([[5.0, 5.0, 5.0, 3.0], [3.0, 3.0, 0.0, 0.0]]))


def test_pretrained_characters(vocab, tmp_path):
    path = tmp_path / "vectors.txt"
    path.write_text("2 2\n北 1 2\n京 3 4\n", encoding="utf-8")
    embedder = CharCnnEmbedder(vocab, 2, num_filters=1, pretrained_file=str(path), trainable=False)
    table = embedder.embedding.weight.weight
    torch.testing.assert_close(table[vocab.token_index("京")], torch.tensor([3.0, 4.0]))
    assert not table.requires_grad


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"num_filters": 0}, "must be positive"),
        ({"kernel_sizes": [3, 0]}, "must be positive"),
        ({"activation": "gelu"}, "activation must be relu or tanh"),
        ({"pool_size": 2}, "pool_size must be a positive odd number"),
    ],
)
def test_bad_options(vocab, options, message):
    with pytest.raises(ConfigurationError, match=message):
        TokenEmbedder.from_config({"type": "char_cnn", **options}, vocab=vocab)
