import math

import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.attention import Attention, ScaledDotProductAttention


def test_from_config():
    attention = Attention.from_config({"type": "scaled_dot_product", "query_dim": 2, "key_dim": 2})
    assert isinstance(attention, ScaledDotProductAttention)


def test_scores_by_hand(query, keys):
    root = math.sqrt(2)
    expected = torch.tensor([[1 / root, 0.0, 1 / root], [2 / root, 0.0, -2 / root]])
    torch.testing.assert_close(ScaledDotProductAttention(2, 2).scores(query, keys), expected)


def test_weights_sum_to_one_over_unmasked(query, keys, mask):
    weights = ScaledDotProductAttention(2, 2)(query, keys, mask)
    torch.testing.assert_close(weights.sum(dim=1), torch.ones(2))
    assert weights[1, 2] == 0


def test_different_sizes_are_refused():
    with pytest.raises(ConfigurationError):
        Attention.from_config({"type": "scaled_dot_product", "query_dim": 4, "key_dim": 2})
