import time
import zlib

import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.token_embedders import TokenEmbedder, WindowFeaturesEmbedder
from nerkit.modules.token_embedders.window_features import MULTIPLIER, PRIME
from nerkit.testing.contracts import assert_token_embedder_contract


def bucket(template, texts, num_buckets):
    """The documented hash: template number then each character's crc32, polynomially mixed."""
    value = template + 1
    for text in texts:
        value = (value * MULTIPLIER + zlib.crc32(text.encode("utf-8")) % PRIME) % PRIME
    return value % num_buckets + 1


def test_from_config(vocab):
    embedder = TokenEmbedder.from_config(
        {"type": "window_features", "embedding_dim": 8, "num_buckets": 64}, vocab=vocab
    )
    assert isinstance(embedder, WindowFeaturesEmbedder)
    assert embedder.get_output_dim() == 8
    assert len(embedder.templates) == 10
    assert embedder.bag.weight.shape == (65, 8)


def test_feature_ids_by_hand(vocab):
    embedder = WindowFeaturesEmbedder(vocab, 4, num_buckets=1000)
    ids = embedder.featurize([list("北京"), list("你")])["window_feature_ids"]
    assert ids.shape == (2, 2, 10)
    # position 0 of 北京: c[-2] c[-1] c[0] c[1] c[2], then the bigrams
    expected = [
        bucket(0, ["<s>"], 1000), bucket(1, ["<s>"], 1000), bucket(2, ["北"], 1000),
        bucket(3, ["京"], 1000), bucket(4, ["</s>"], 1000), bucket(5, ["<s>", "<s>"], 1000),
        bucket(6, ["<s>", "北"], 1000), bucket(7, ["北", "京"], 1000),
        bucket(8, ["京", "</s>"], 1000), bucket(9, ["<s>", "京"], 1000),
    ]
    assert ids[0, 0].tolist() == expected
    assert ids[1, 0, 2] == bucket(2, ["你"], 1000)
    assert ids[1, 1].tolist() == [0] * 10  # padding


def test_unknown_characters_share_features(vocab):
    features = WindowFeaturesEmbedder(vocab, 4).featurize([list("东北"), list("西北")])
    ids = features["window_feature_ids"]
    assert torch.equal(ids[0], ids[1])  # 东 and 西 are both [UNK]
    assert ids[0, 0, 2] == bucket(2, ["[UNK]"], 262_144)


def test_forward_sums_the_feature_vectors(vocab):
    embedder = WindowFeaturesEmbedder(vocab, 2, num_buckets=50, templates=[[0], [-1, 0]])
    features = embedder.featurize([list("北京")])
    ids = features["window_feature_ids"][0]
    output = embedder(features, torch.ones(1, 2, dtype=torch.bool))[0]
    table = embedder.bag.weight
    torch.testing.assert_close(output, table[ids[:, 0]] + table[ids[:, 1]])


def test_contract(vocab):
    sentences = [list("北京欢迎你"), list("上海"), list("东京")]
    assert_token_embedder_contract(WindowFeaturesEmbedder(vocab, 4, num_buckets=97), sentences)


def test_sparse_gradients_train_with_sgd(vocab):
    embedder = WindowFeaturesEmbedder(vocab, 4, num_buckets=97, sparse=True)
    assert_token_embedder_contract(embedder, [list("北京欢迎你"), list("上海")])
    assert embedder.bag.weight.grad.is_sparse
    before = embedder.bag.weight.detach().clone()
    torch.optim.SGD(embedder.parameters(), lr=0.1, momentum=0.9).step()
    assert not torch.equal(before, embedder.bag.weight)


def test_featurize_is_fast(vocab):
    sentences = [list("北京欢迎你上海东京") * 5] * 500  # 22,500 characters
    start = time.perf_counter()
    WindowFeaturesEmbedder(vocab, 4).featurize(sentences)
    assert time.perf_counter() - start < 5.0  # ~0.1 s on one core; generous for shared CI


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"embedding_dim": 0}, "must be positive"),
        ({"templates": [[0], []]}, "non-empty offset lists"),
        ({"window": 3}, "unknown key 'window'"),
    ],
)
def test_bad_options(vocab, options, message):
    with pytest.raises(ConfigurationError, match=message):
        TokenEmbedder.from_config({"type": "window_features", **options}, vocab=vocab)


def test_feature_dropout_drops_occurrences_in_training_only(vocab):
    embedder = WindowFeaturesEmbedder(vocab, embedding_dim=3, num_buckets=64, feature_dropout=0.5)
    features = embedder.featurize([list("北京欢迎你上海")])
    mask = torch.ones(1, 7, dtype=torch.bool)
    embedder.eval()
    full = embedder(features, mask)
    torch.testing.assert_close(embedder(features, mask), full)
    embedder.train()
    torch.manual_seed(0)
    dropped = embedder(features, mask)
    torch.manual_seed(0)
    ids = features["window_feature_ids"]
    kept = ids * (torch.rand(ids.shape) >= 0.5)
    assert 0 < int((kept > 0).sum()) < int((ids > 0).sum())
    expected = embedder.bag(kept.reshape(-1, ids.size(-1))).reshape(1, 7, 3)
    torch.testing.assert_close(dropped, expected)
    assert not torch.allclose(dropped, full)


def test_feature_dropout_must_be_a_probability(vocab):
    with pytest.raises(ValueError, match="feature_dropout"):
        WindowFeaturesEmbedder(vocab, feature_dropout=1.0)
