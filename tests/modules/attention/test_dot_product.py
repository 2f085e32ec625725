import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.attention import Attention, DotProductAttention


def test_from_config():
    attention = Attention.from_config({"type": "dot_product", "query_dim": 2, "key_dim": 2})
    assert isinstance(attention, DotProductAttention)
    assert list(attention.parameters()) == []


def test_scores_by_hand(query, keys):
    attention = DotProductAttention(2, 2)
    expected = torch.tensor([[1.0, 0.0, 1.0], [2.0, 0.0, -2.0]])
    torch.testing.assert_close(attention.scores(query, keys), expected)


def test_softmax_skips_masked_keys(query, keys, mask):
    weights = DotProductAttention(2, 2)(query, keys, mask)
    e = torch.e
    expected = torch.tensor([[e, 1.0, e], [e**2, 1.0, 0.0]])
    expected = expected / expected.sum(dim=1, keepdim=True)
    torch.testing.assert_close(weights, expected)
    assert weights[1, 2] == 0


def test_different_sizes_are_refused():
    with pytest.raises(ConfigurationError, match="query_dim == key_dim"):
        Attention.from_config({"type": "dot_product", "query_dim": 2, "key_dim": 3})
