import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.attention import Attention, BilinearAttention


def test_from_config_with_different_sizes():
    attention = Attention.from_config({"type": "bilinear", "query_dim": 3, "key_dim": 2})
    assert isinstance(attention, BilinearAttention)
    assert attention.weight.shape == (3, 2)
    assert attention.bias is None


def test_scores_by_hand(query, keys):
    attention = BilinearAttention(2, 2, bias=True)
    with torch.no_grad():
        attention.weight.copy_(torch.tensor([[1.0, 2.0], [0.0, 1.0]]))
        attention.bias.fill_(0.5)
    # q^T W is [1, 2] for the first query and [0, 2] for the second.
    expected = torch.tensor([[1.0, 2.0, 3.0], [2.0, 0.0, -2.0]]) + 0.5
    torch.testing.assert_close(attention.scores(query, keys), expected)


def test_gradients_reach_the_matrix(query, keys, mask):
    attention = BilinearAttention(2, 2)
    (attention(query, keys, mask) * torch.tensor([[1.0, 2.0, 3.0]])).sum().backward()
    assert attention.weight.grad is not None and attention.weight.grad.any()


def test_unknown_key_is_refused():
    with pytest.raises(ConfigurationError, match="unknown key 'hidden_dim'"):
        Attention.from_config({"type": "bilinear", "query_dim": 2, "key_dim": 2, "hidden_dim": 3})
