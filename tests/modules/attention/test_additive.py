import math

import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.attention import AdditiveAttention, Attention


def test_from_config_defaults_hidden_to_key_dim():
    attention = Attention.from_config({"type": "additive", "query_dim": 3, "key_dim": 2})
    assert isinstance(attention, AdditiveAttention)
    assert attention.query_projection.weight.shape == (2, 3)
    assert attention.key_projection.weight.shape == (2, 2)


def test_scores_by_hand(query, keys):
    attention = AdditiveAttention(2, 2, hidden_dim=2)
    with torch.no_grad():
        attention.query_projection.weight.copy_(torch.eye(2))
        attention.key_projection.weight.copy_(torch.eye(2))
        attention.vector.weight.copy_(torch.tensor([[1.0, -1.0]]))
    # score = tanh(q0 + k0) - tanh(q1 + k1)
    t = math.tanh
    expected = torch.tensor(
        [[t(2) - t(0), t(1) - t(1), t(2) - t(1)], [t(1) - t(3), t(2) - t(2), t(0) - t(1)]]
    )
    torch.testing.assert_close(attention.scores(query, keys), expected)


def test_masked_key_gets_no_weight(query, keys, mask):
    weights = AdditiveAttention(2, 2, hidden_dim=4)(query, keys, mask)
    assert weights[1, 2] == 0
    torch.testing.assert_close(weights.sum(dim=1), torch.ones(2))


def test_bad_hidden_dim_is_refused():
    with pytest.raises(ConfigurationError, match="hidden_dim must be positive"):
        Attention.from_config({"type": "additive", "query_dim": 2, "key_dim": 2, "hidden_dim": 0})
