import math

import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.attention import Attention, CosineAttention


def test_from_config():
    assert isinstance(
        Attention.from_config({"type": "cosine", "query_dim": 2, "key_dim": 2}), CosineAttention
    )


def test_scores_by_hand(query, keys):
    half = 1 / math.sqrt(2)
    expected = torch.tensor([[1.0, 0.0, half], [half, 0.0, -1.0]])
    torch.testing.assert_close(CosineAttention(2, 2).scores(query, keys), expected)


def test_zero_key_scores_zero():
    scores = CosineAttention(2, 2).scores(torch.tensor([[1.0, 1.0]]), torch.zeros(1, 2, 2))
    torch.testing.assert_close(scores, torch.zeros(1, 2))


def test_different_sizes_are_refused():
    with pytest.raises(ConfigurationError):
        Attention.from_config({"type": "cosine", "query_dim": 2, "key_dim": 3})
