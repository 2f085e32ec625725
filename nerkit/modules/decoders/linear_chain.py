"""Batched linear-chain CRF math: log-partition (forward-backward gradient), gold scores, Viterbi.

Shapes: emissions (batch, seq_len, num_labels); transitions (num_labels, num_labels) where
``transitions[i, j]`` scores label ``j`` following label ``i``; start and end (num_labels,); mask
(batch, seq_len) booleans, a prefix of each row (every sentence has at least one position).

The log-partition's gradient is the label marginals (and, for transitions, the pairwise
marginals), computed by one backward (beta) recursion in ``backward``: no autograd graph of
``seq_len`` small steps is recorded.
"""

from __future__ import annotations

from typing import Any

import torch


def _exp_transitions(transitions: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``exp(transitions - shift)`` and ``shift``, so recursions can use matrix products."""
    shift = transitions.max()
    return (transitions - shift).exp(), shift


def _log_matmul(log_vectors: torch.Tensor, exp_matrix: torch.Tensor) -> torch.Tensor:
    """``logsumexp_i(log_vectors[:, i] + log(matrix[i, j]))`` for each row, via a scaled matmul."""
    peak = log_vectors.max(dim=1, keepdim=True).values
    return torch.log((log_vectors - peak).exp() @ exp_matrix) + peak


def _alphas(
    emissions: torch.Tensor, transitions: torch.Tensor, start: torch.Tensor, mask: torch.Tensor
) -> torch.Tensor:
    """Forward scores (batch, seq_len, labels); masked positions carry the last real value."""
    exp_trans, shift = _exp_transitions(transitions)
    alpha = start + emissions[:, 0]
    alphas = [alpha]
    for t in range(1, emissions.size(1)):
        step = _log_matmul(alpha, exp_trans) + shift + emissions[:, t]
        alpha = torch.where(mask[:, t : t + 1], step, alpha)
        alphas.append(alpha)
    return torch.stack(alphas, dim=1)


def _betas(
    emissions: torch.Tensor, transitions: torch.Tensor, end: torch.Tensor, mask: torch.Tensor
) -> torch.Tensor:
    """Backward scores (batch, seq_len, labels); ``end`` at and after each sentence's end."""
    exp_trans_t, shift = _exp_transitions(transitions.t())
    beta = end.expand(emissions.size(0), -1)
    betas = [beta]
    for t in range(emissions.size(1) - 2, -1, -1):
        step = _log_matmul(emissions[:, t + 1] + beta, exp_trans_t) + shift
        beta = torch.where(mask[:, t + 1 : t + 2], step, beta)
        betas.append(beta)
    betas.reverse()
    return torch.stack(betas, dim=1)


class _LogPartition(torch.autograd.Function):
    """log Z per sentence; the backward pass returns marginals (forward-backward algorithm)."""

    @staticmethod
    def forward(  # type: ignore[override]
        ctx: Any, emissions: torch.Tensor, transitions: torch.Tensor, start: torch.Tensor,
        end: torch.Tensor, mask: torch.Tensor,
    ) -> torch.Tensor:
        alphas = _alphas(emissions, transitions, start, mask)
        log_z = torch.logsumexp(alphas[:, -1] + end, dim=1)
        ctx.save_for_backward(emissions, transitions, end, mask, alphas, log_z)
        return log_z

    @staticmethod
    def backward(ctx: Any, grad_log_z: torch.Tensor) -> tuple[torch.Tensor | None, ...]:  # type: ignore[override]
        emissions, transitions, end, mask, alphas, log_z = ctx.saved_tensors
        betas = _betas(emissions, transitions, end, mask)
        scale = grad_log_z.view(-1, 1, 1)
        norm = log_z.view(-1, 1, 1)
        outside = ~mask.unsqueeze(2)  # (batch, seq_len, 1)
        unary = (alphas + betas - norm).masked_fill(outside, -torch.inf).exp() * scale
        pairwise = (
            alphas[:, :-1].unsqueeze(3) + transitions
            + (emissions[:, 1:] + betas[:, 1:] - norm).masked_fill(outside[:, 1:], -torch.inf)
            .unsqueeze(2)
        ).exp() * scale.unsqueeze(3)
        last = (alphas[:, -1] + end - log_z.unsqueeze(1)).exp() * grad_log_z.unsqueeze(1)
        return unary, pairwise.sum(dim=(0, 1)), unary[:, 0].sum(0), last.sum(0), None


def log_partition(
    emissions: torch.Tensor, transitions: torch.Tensor, start: torch.Tensor, end: torch.Tensor,
    mask: torch.Tensor,
) -> torch.Tensor:
    """log Z (batch,): log-sum-exp of the scores of every label sequence of each sentence."""
    return _LogPartition.apply(emissions, transitions, start, end, mask)


def sequence_scores(
    emissions: torch.Tensor, transitions: torch.Tensor, start: torch.Tensor, end: torch.Tensor,
    mask: torch.Tensor, tags: torch.Tensor,
) -> torch.Tensor:
    """Score (batch,) of the given label sequences: emissions, transitions, start and end."""
    weights = mask.to(emissions.dtype)
    emitted = emissions.gather(2, tags.unsqueeze(2)).squeeze(2)
    moved = transitions[tags[:, :-1], tags[:, 1:]]
    last = tags.gather(1, (mask.sum(1, keepdim=True) - 1).clamp(min=0)).squeeze(1)
    return (
        (emitted * weights).sum(1) + (moved * weights[:, 1:]).sum(1) + start[tags[:, 0]] + end[last]
    )


def viterbi(
    emissions: torch.Tensor, transitions: torch.Tensor, start: torch.Tensor, end: torch.Tensor,
    mask: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Best label sequences (batch, seq_len), 0 at padding, and their scores (batch,)."""
    batch, length, num_labels = emissions.shape
    identity = torch.arange(num_labels, device=emissions.device).expand(batch, -1)
    score = start + emissions[:, 0]
    pointers = []
    for t in range(1, length):
        best, pointer = (score.unsqueeze(2) + transitions).max(dim=1)
        keep = mask[:, t : t + 1]
        score = torch.where(keep, best + emissions[:, t], score)
        pointers.append(torch.where(keep, pointer, identity))
    final, label = (score + end).max(dim=1)
    labels = [label]
    for pointer in reversed(pointers):
        label = pointer.gather(1, label.unsqueeze(1)).squeeze(1)
        labels.append(label)
    labels.reverse()
    return torch.stack(labels, dim=1) * mask, final
