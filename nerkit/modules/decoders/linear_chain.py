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


def _scaled_exp(scores: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``exp(scores - shift)`` and ``shift`` (the maximum over the last dimension)."""
    shift = scores.amax(dim=-1, keepdim=True)
    return (scores - shift).exp(), shift


def _forward_pass(
    factors: torch.Tensor, exp_transitions: torch.Tensor, exp_start: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Scaled forward vectors (batch, seq_len, labels), each summing to 1, and their scales."""
    steps = factors.unbind(1)
    alpha = exp_start * steps[0]
    norm = alpha.sum(1, keepdim=True)
    alpha = alpha / norm
    alphas, norms = [alpha], [norm]
    for factor in steps[1:]:
        alpha = (alpha @ exp_transitions) * factor
        norm = alpha.sum(1, keepdim=True)
        alpha = alpha / norm
        alphas.append(alpha)
        norms.append(norm)
    return torch.stack(alphas, dim=1), torch.cat(norms, dim=1)


def _backward_pass(
    factors: torch.Tensor, exp_transitions: torch.Tensor, exp_end: torch.Tensor,
    mask: torch.Tensor,
) -> torch.Tensor:
    """Scaled backward vectors (batch, seq_len, labels); ``exp_end`` at and after each end."""
    steps = factors.unbind(1)
    keeps = mask.unsqueeze(2).unbind(1)
    transposed = exp_transitions.t()
    beta = exp_end.expand(factors.size(0), -1)
    betas = [beta]
    for t in range(factors.size(1) - 2, -1, -1):
        step = (steps[t + 1] * beta) @ transposed
        step = step / step.sum(1, keepdim=True)
        beta = torch.where(keeps[t + 1], step, exp_end)
        betas.append(beta)
    betas.reverse()
    return torch.stack(betas, dim=1)


class _LogPartition(torch.autograd.Function):
    """log Z per sentence; the backward pass returns marginals (forward-backward algorithm).

    Both recursions run in float64 on exponentiated scores, each step rescaled to sum to 1
    (Rabiner's scaling): exact up to rounding for score gaps below ~700 nats, and one matrix
    product per step instead of a log-sum-exp.
    """

    @staticmethod
    def forward(  # type: ignore[override]
        ctx: Any, emissions: torch.Tensor, transitions: torch.Tensor, start: torch.Tensor,
        end: torch.Tensor, mask: torch.Tensor,
    ) -> torch.Tensor:
        emitted, emit_shift = _scaled_exp(emissions.double())
        exp_transitions, trans_shift = _scaled_exp(transitions.double().flatten())
        exp_start, start_shift = _scaled_exp(start.double())
        exp_end, end_shift = _scaled_exp(end.double())
        exp_transitions = exp_transitions.view_as(transitions)
        alphas, norms = _forward_pass(emitted, exp_transitions, exp_start)
        lengths = mask.sum(1)
        last_index = (lengths - 1).clamp(min=0).view(-1, 1, 1).expand(-1, 1, alphas.size(2))
        last = alphas.gather(1, last_index).squeeze(1)
        total = (last * exp_end).sum(1)
        scales = (norms.log() + emit_shift.squeeze(2)).masked_fill(~mask, 0.0).sum(1)
        log_z = scales + (lengths - 1) * trans_shift + start_shift + end_shift + total.log()
        ctx.save_for_backward(emitted, exp_transitions, exp_end, mask, alphas, norms, last, total)
        ctx.dtypes = (emissions.dtype, transitions.dtype)
        return log_z.to(emissions.dtype)

    @staticmethod
    def backward(ctx: Any, grad_log_z: torch.Tensor) -> tuple[torch.Tensor | None, ...]:  # type: ignore[override]
        emitted, exp_transitions, exp_end, mask, alphas, norms, last, total = ctx.saved_tensors
        grad = grad_log_z.double()
        betas = _backward_pass(emitted, exp_transitions, exp_end, mask)
        outside = ~mask.unsqueeze(2)
        products = alphas * betas
        overlap = products.sum(2, keepdim=True)
        unary = (products / overlap).masked_fill(outside, 0.0) * grad.view(-1, 1, 1)
        # pairwise marginal P_t(i, j) = a_{t-1}(i) E(i, j) x_t(j) b_t(j) / (c_t n_t), summed as a
        # matrix product over (sentence, position).
        incoming = emitted[:, 1:] * betas[:, 1:] / (norms[:, 1:].unsqueeze(2) * overlap[:, 1:])
        incoming = incoming.masked_fill(outside[:, 1:], 0.0) * grad.view(-1, 1, 1)
        previous = alphas[:, :-1].masked_fill(outside[:, 1:], 0.0)
        labels = alphas.size(2)
        moved = previous.reshape(-1, labels).t() @ incoming.reshape(-1, labels)
        ended = last * exp_end / total.unsqueeze(1) * grad.unsqueeze(1)
        emissions_dtype, parameter_dtype = ctx.dtypes
        return (
            unary.to(emissions_dtype),
            (moved * exp_transitions).to(parameter_dtype),
            unary[:, 0].sum(0).to(parameter_dtype),
            ended.sum(0).to(parameter_dtype),
            None,
        )


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
