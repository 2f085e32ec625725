"""The 2x3 example every attention test scores by hand: batch 2, three keys of size 2."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture
def query() -> torch.Tensor:
    return torch.tensor([[1.0, 0.0], [0.0, 2.0]])


@pytest.fixture
def keys() -> torch.Tensor:
    return torch.tensor(
        [[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [[1.0, 1.0], [2.0, 0.0], [0.0, -1.0]]]
    )


@pytest.fixture
def mask() -> torch.Tensor:
    return torch.tensor([[True, True, True], [True, True, False]])
