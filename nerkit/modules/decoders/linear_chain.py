"""Batched linear-chain CRF math: log-partition (forward-backward gradient), gold scores, Viterbi.

Shapes: emissions (batch, seq_len, num_labels); transitions (num_labels, num_labels) where
``transitions[i, j]`` scores label ``j`` following label ``i``; start and end (num_labels,); mask
(batch, seq_len) booleans, a prefix of each row (every sentence has at least one position).

The log-partition's gradient is the label marginals (and, for transitions, the pairwise
marginals), computed by one backward (beta) recursion in ``backward``: no autograd graph of
``seq_len`` small steps is recorded.

The fast recursions multiply exponentiated, rescaled scores (one matrix product per step).
That is exact up to rounding unless some path's weight underflows float64 while it still
matters; ``_underflow_bound`` detects that per sentence from the step norms, and those sentences
are recomputed by ``log_space_log_partition`` (log-sum-exp per step, autograd for marginals).
Scores may be ``-inf`` (forbidden); they are raised to ``-FLOOR`` so no ``inf - inf`` arises.
"""

from __future__ import annotations

from typing import Any

import torch

# -inf scores (forbidden) count as -FLOOR: exp() of any gap to it is 0 in float64, sums stay
# finite (no inf - inf) when a whole row is forbidden, and every finite float32 score is above it.
FLOOR = 1e300
# Nats a path's relative weight may fall below the retained mass before the fast recursion
# could have dropped something that matters (exp underflows float64 at about -708).
SAFE_UNDERFLOW_NATS = 600.0


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
) -> tuple[torch.Tensor, torch.Tensor]:
    """Scaled backward vectors (batch, seq_len, labels), ``exp_end`` at and after each end, and
    the norm (batch, seq_len - 1) each step ``t`` (from ``t + 1``) was divided by."""
    steps = factors.unbind(1)
    keeps = mask.unsqueeze(2).unbind(1)
    transposed = exp_transitions.t()
    beta = exp_end.expand(factors.size(0), -1)
    betas, norms = [beta], []
    for t in range(factors.size(1) - 2, -1, -1):
        step = (steps[t + 1] * beta) @ transposed
        norm = step.sum(1, keepdim=True)
        beta = torch.where(keeps[t + 1], step / norm, exp_end)
        betas.append(beta)
        norms.append(norm)
    betas.reverse()
    norms.reverse()
    empty = factors.new_zeros(factors.size(0), 0)
    return torch.stack(betas, dim=1), torch.cat(norms, dim=1) if norms else empty


def _underflow_bound(
    log_norms: torch.Tensor, log_growth: torch.Tensor, log_total: torch.Tensor,
    mask: torch.Tensor,
) -> torch.Tensor:
    """Per sentence, how many nats below the final mass a dropped path could be, at worst.

    Step ``t`` of a scaled recursion drops only terms below float64's smallest normal number
    (all factors are at most 1), i.e. below ``1 / min(norm_t, 1)`` in the units of the vectors
    after step ``t``. At each later step a dropped path grows by at most ``growth_s`` (the
    largest factor of that step) while the kept mass grows by ``norm_s``; ``log_total`` closes
    the chain. Far below -708 nats is negligible; near it, the fast result cannot be trusted.
    """
    excess = (log_growth - log_norms).masked_fill(~mask, 0.0)
    later = excess.flip(1).cumsum(1).flip(1) - excess
    per_step = (later - log_norms.clamp(max=0.0)).masked_fill(~mask, float("-inf"))
    return per_step.amax(1) - log_total  # NaN where a norm was 0: compare as unsafe


def log_space_log_partition(
    emissions: torch.Tensor, transitions: torch.Tensor, start: torch.Tensor, end: torch.Tensor,
    mask: torch.Tensor,
) -> torch.Tensor:
    """log Z (batch,) by the textbook log-space forward algorithm: slower, never underflows.

    Differentiable by autograd (the gradient is the marginals). Used where the scaled recursion
    could lose precision, and as the reference the fast path is tested against.
    """
    score = start + emissions[:, 0]
    for t in range(1, emissions.size(1)):
        step = torch.logsumexp(score.unsqueeze(2) + transitions, dim=1) + emissions[:, t]
        score = torch.where(mask[:, t : t + 1], step, score)
    return torch.logsumexp(score + end, dim=1)


def _step_growth(emissions: torch.Tensor, transitions: torch.Tensor) -> torch.Tensor:
    """log of the largest factor ``exp(T(i, j) + e_t(j))`` of each step in scaled units
    (batch, seq_len), from scores already shifted to a maximum of 0."""
    return (emissions + transitions.amax(0)).amax(2)


class _LogPartition(torch.autograd.Function):
    """log Z per sentence; the backward pass returns marginals (forward-backward algorithm).

    Both recursions run in float64 on exponentiated scores, each emission row shifted to a
    maximum of 0 and each step rescaled to sum to 1 (Rabiner's scaling): one matrix product per
    step instead of a log-sum-exp. Sentences whose result could have lost mass to underflow
    (``_underflow_bound``) are recomputed in log space, in both passes.
    """

    @staticmethod
    def forward(
        ctx: Any, emissions: torch.Tensor, transitions: torch.Tensor, start: torch.Tensor,
        end: torch.Tensor, mask: torch.Tensor,
    ) -> torch.Tensor:
        inputs = [x.double().clamp(min=-FLOOR) for x in (emissions, transitions, start, end)]
        log_emitted, emit_shift = _shifted(inputs[0])
        log_transitions, trans_shift = _shifted(inputs[1].flatten())
        log_transitions = log_transitions.view_as(transitions)
        log_start, start_shift = _shifted(inputs[2])
        log_end, end_shift = _shifted(inputs[3])
        emitted, exp_transitions = log_emitted.exp(), log_transitions.exp()
        exp_start, exp_end = log_start.exp(), log_end.exp()
        alphas, norms = _forward_pass(emitted, exp_transitions, exp_start)
        lengths = mask.sum(1)
        last_index = (lengths - 1).clamp(min=0).view(-1, 1, 1).expand(-1, 1, alphas.size(2))
        last = alphas.gather(1, last_index).squeeze(1)
        total = (last * exp_end).sum(1)
        log_norms = norms.log()
        scales = (log_norms + emit_shift.squeeze(2)).masked_fill(~mask, 0.0).sum(1)
        log_z = scales + (lengths - 1) * trans_shift + start_shift + end_shift + total.log()
        growth = _step_growth(log_emitted, log_transitions)
        growth[:, 0] = (log_emitted[:, 0] + log_start).amax(1)
        unsafe = ~(_underflow_bound(log_norms, growth, total.log(), mask) < SAFE_UNDERFLOW_NATS)
        if unsafe.any():
            log_z = log_z.clone()
            rows = unsafe.nonzero().squeeze(1)
            log_z[rows] = log_space_log_partition(inputs[0][rows], inputs[1], inputs[2],
                                                  inputs[3], mask[rows])
        ctx.save_for_backward(*inputs, emitted, exp_transitions, exp_start, exp_end, mask,
                              alphas, norms, last, total, growth, unsafe)
        ctx.dtypes = (emissions.dtype, transitions.dtype)
        return log_z.to(emissions.dtype)

    @staticmethod
    def backward(ctx: Any, grad_log_z: torch.Tensor) -> tuple[torch.Tensor | None, ...]:
        (emissions, transitions, start, end, emitted, exp_transitions, exp_start, exp_end, mask,
         alphas, norms, last, total, growth, unsafe) = ctx.saved_tensors
        grad = grad_log_z.double()
        betas, back_norms = _backward_pass(emitted, exp_transitions, exp_end, mask)
        # Read from the end, backward step t grows by position t + 1's factor; a dropped
        # path finally meets the start and first emission (growth[:, 0]).
        first = (exp_start * emitted[:, 0] * betas[:, 0]).sum(1)
        back_bound = _underflow_bound(
            back_norms.log().flip(1), growth[:, 1:].flip(1), first.log() - growth[:, 0],
            mask[:, 1:].flip(1),
        ) if back_norms.size(1) else torch.full_like(first, float("-inf"))
        unsafe = unsafe | ~(back_bound < SAFE_UNDERFLOW_NATS)
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
        if unsafe.any():
            rows = unsafe.nonzero().squeeze(1)
            unary[rows] = 0.0
            incoming[rows] = 0.0
            previous[rows] = 0.0
        moved = (previous.reshape(-1, labels).t() @ incoming.reshape(-1, labels)) * exp_transitions
        ended = (last * exp_end / total.unsqueeze(1) * grad.unsqueeze(1)).masked_fill(
            unsafe.unsqueeze(1), 0.0)
        grads = [unary, moved, unary[:, 0].sum(0), ended.sum(0)]
        if unsafe.any():
            _add_log_space_gradients(grads, rows, emissions, transitions, start, end, mask, grad)
        emissions_dtype, parameter_dtype = ctx.dtypes
        return (grads[0].to(emissions_dtype), *(g.to(parameter_dtype) for g in grads[1:]), None)


def _shifted(scores: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``scores - shift`` and ``shift`` (the maximum over the last dimension)."""
    shift = scores.amax(dim=-1, keepdim=True)
    return scores - shift, shift


def _add_log_space_gradients(
    grads: list[torch.Tensor], rows: torch.Tensor, emissions: torch.Tensor,
    transitions: torch.Tensor, start: torch.Tensor, end: torch.Tensor, mask: torch.Tensor,
    grad: torch.Tensor,
) -> None:
    """Add the marginals of sentences ``rows`` from the log-space recursion (autograd)."""
    with torch.enable_grad():
        inputs = [emissions[rows].detach().requires_grad_(), transitions.detach().requires_grad_(),
                  start.detach().requires_grad_(), end.detach().requires_grad_()]
        log_z = log_space_log_partition(inputs[0], inputs[1], inputs[2], inputs[3], mask[rows])
        found = torch.autograd.grad((log_z * grad[rows]).sum(), inputs)
    grads[0][rows] = found[0].masked_fill(~mask[rows].unsqueeze(2), 0.0)
    for index in (1, 2, 3):
        grads[index] = grads[index] + found[index]


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


def k_best(
    emissions: torch.Tensor, transitions: torch.Tensor, start: torch.Tensor, end: torch.Tensor,
    mask: torch.Tensor, k: int,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The ``k`` best label sequences (batch, k, seq_len), best first, 0 at padding, and their
    scores (batch, k): Viterbi keeping the ``k`` best scores ending in each label. A sentence
    with fewer than ``k`` label sequences fills the rest with score ``-inf``."""
    batch, length, num_labels = emissions.shape
    score = emissions.new_full((batch, num_labels, k), float("-inf"))
    score[:, :, 0] = start + emissions[:, 0]
    # a (label, rank) pair is the flat index label * k + rank; padding points at itself
    identity = torch.arange(num_labels * k, device=emissions.device).view(1, num_labels, k)
    pointers = []
    for t in range(1, length):
        candidates = score.unsqueeze(3) + transitions.view(1, num_labels, 1, num_labels)
        best, pointer = candidates.reshape(batch, num_labels * k, num_labels).topk(k, dim=1)
        keep = mask[:, t].view(batch, 1, 1)
        score = torch.where(keep, best.transpose(1, 2) + emissions[:, t].unsqueeze(2), score)
        pointers.append(torch.where(keep, pointer.transpose(1, 2), identity))
    final, flat = (score + end.view(1, num_labels, 1)).reshape(batch, num_labels * k).topk(k, dim=1)
    labels = [torch.div(flat, k, rounding_mode="floor")]
    for pointer in reversed(pointers):
        flat = pointer.reshape(batch, num_labels * k).gather(1, flat)
        labels.append(torch.div(flat, k, rounding_mode="floor"))
    labels.reverse()
    return torch.stack(labels, dim=2) * mask.unsqueeze(1), final
