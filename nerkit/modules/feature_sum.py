"""Sum of weight rows per position as a sparse matrix product: a fast embedding bag for training.

``torch.nn.EmbeddingBag`` sums rows quickly enough for prediction, but its backward pass
scatters one gradient row per feature occurrence and dominates a feature CRF's training step
(14 s of a 28 s pass over MSRA's 22M feature occurrences). Written as ``X @ W`` with ``X`` a
CSR matrix of occurrences, the forward pass is one sparse product and the gradient ``X^T @ G``
another, over the rows that occur, with ``X^T`` built by one sort of the feature ids.
"""

from __future__ import annotations

import warnings
from typing import Any

import torch


def _csr(crow: torch.Tensor, columns: torch.Tensor, values: torch.Tensor,
         shape: tuple[int, int]) -> torch.Tensor:
    with warnings.catch_warnings():  # "sparse CSR support is in beta": the product is stable
        warnings.simplefilter("ignore", UserWarning)
        return torch.sparse_csr_tensor(crow, columns, values, shape)


class _FeatureSum(torch.autograd.Function):
    """``out[n] = sum_k values[n, k] * weight[ids[n, k]]``; ``weight``'s gradient is ``X^T @ G``."""

    @staticmethod
    def forward(
        ctx: Any, weight: torch.Tensor, ids: torch.Tensor, values: torch.Tensor
    ) -> torch.Tensor:
        rows, per_row = ids.shape
        crow = torch.arange(0, rows * per_row + 1, per_row, device=ids.device)
        matrix = _csr(crow, ids.reshape(-1), values.reshape(-1).to(weight.dtype),
                      (rows, weight.size(0)))
        ctx.save_for_backward(ids, values)
        ctx.table_rows = weight.size(0)
        return torch.sparse.mm(matrix, weight)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor | None, None, None]:
        # X^T @ G over the rows that occur (a product over all table rows would visit every
        # row once per batch), then scattered into a dense gradient.
        ids, values = ctx.saved_tensors
        flat = ids.reshape(-1)
        order = torch.argsort(flat)
        rows, counts = torch.unique_consecutive(flat[order], return_counts=True)
        crow = torch.zeros(len(rows) + 1, dtype=torch.long, device=ids.device)
        torch.cumsum(counts, 0, out=crow[1:])
        transposed = _csr(crow, order // ids.size(1), values.reshape(-1)[order].to(grad.dtype),
                          (len(rows), ids.size(0)))
        compact = torch.sparse.mm(transposed, grad.contiguous())
        full = grad.new_zeros(ctx.table_rows, grad.size(1))
        return full.index_copy_(0, rows, compact), None, None


def feature_sum(weight: torch.Tensor, ids: torch.Tensor, values: torch.Tensor) -> torch.Tensor:
    """Rows of ``weight`` picked by ``ids`` (n, k), scaled by ``values`` (n, k), summed: (n, dim).

    A value of 0 (padding, a dropped feature) contributes nothing, also to the gradient.
    Computed in ``weight``'s dtype also under autocast (sparse products have no bfloat16).
    """
    with torch.autocast(weight.device.type, enabled=False):
        return _FeatureSum.apply(weight, ids, values)
