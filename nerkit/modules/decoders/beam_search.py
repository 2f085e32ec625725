"""Batched greedy and beam search over label sequences for step-by-step (autoregressive) decoders.

A decoder supplies ``step(previous, position) -> logits``: label logits (rows, num_labels) for
``position`` given each row's previous label (``rows`` = sentences x beams). Sentences end at
their mask's length; positions after the end keep every hypothesis unchanged and output 0.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from nerkit.data.tag_schemes import allowed_transitions
from nerkit.data.vocabulary import Vocabulary

StepFunction = Callable[[torch.Tensor, int], torch.Tensor]


def log_softmax(scores: torch.Tensor) -> torch.Tensor:
    """``torch.log_softmax`` over the last dimension, fast for a few labels on CPU.

    PyTorch's CPU kernel costs about 0.4 us per row when that dimension is not a multiple of
    its vector width (16 floats), several times ``scores - logsumexp(scores)`` for a batch of
    beams over ten labels.
    """
    if scores.size(-1) % 16 == 0:
        return torch.log_softmax(scores, dim=-1)
    return scores - scores.logsumexp(dim=-1, keepdim=True)


class LabelConstraints(torch.nn.Module):
    """Penalties (0 allowed, -inf forbidden) on the next label given the previous one.

    Buffers: ``transition`` (num_labels + 1, num_labels), whose last row is the sentence start,
    and ``end`` (num_labels,) for the last real position of a sentence.
    """

    transition: torch.Tensor
    end: torch.Tensor

    def __init__(self, start: list[bool], end: list[bool], transitions: list[list[bool]]) -> None:
        super().__init__()

        def penalty(allowed: list[bool] | list[list[bool]]) -> torch.Tensor:
            blocked = ~torch.tensor(allowed, dtype=torch.bool)
            return torch.zeros(blocked.shape).masked_fill(blocked, -torch.inf)

        transition = torch.cat([penalty(transitions), penalty(start).unsqueeze(0)])
        self.register_buffer("transition", transition, persistent=False)
        self.register_buffer("end", penalty(end), persistent=False)

    @classmethod
    def from_vocab(cls, vocab: Vocabulary) -> LabelConstraints:
        """The transitions allowed by the vocabulary's tag scheme."""
        return cls(*allowed_transitions(vocab.labels, vocab.tag_scheme))

    def end_penalties(self, mask: torch.Tensor) -> torch.Tensor:
        """(batch, seq_len, num_labels): the ``end`` penalty at each sentence's last position."""
        positions = torch.arange(mask.size(1), device=mask.device)
        last = positions == (mask.sum(1, keepdim=True) - 1)
        return torch.where(last.unsqueeze(2), self.end, 0.0)


def greedy_search(
    step: StepFunction, mask: torch.Tensor, start_label: int,
    constraints: LabelConstraints | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Most probable label at each position in turn: tags (batch, seq_len), log-probs (batch,)."""
    previous = torch.full((mask.size(0),), start_label, dtype=torch.long, device=mask.device)
    end_penalties = constraints.end_penalties(mask) if constraints is not None else None
    labels, steps = [], []
    for position in range(mask.size(1)):
        logits = step(previous, position)
        allowed = logits
        if constraints is not None and end_penalties is not None:
            penalties = constraints.transition.index_select(0, previous)
            allowed = logits + penalties.add_(end_penalties[:, position])
        previous = allowed.argmax(dim=-1)
        labels.append(previous)
        steps.append(logits)
    tags = torch.stack(labels, dim=1)
    log_probs = log_softmax(torch.stack(steps, dim=1))
    scores = log_probs.gather(2, tags.unsqueeze(2)).squeeze(2).masked_fill(~mask, 0.0).sum(1)
    return tags * mask, scores


def beam_search(
    step: StepFunction, reorder: Callable[[torch.Tensor], None], mask: torch.Tensor,
    start_label: int, num_labels: int, beam_size: int,
    constraints: LabelConstraints | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Beam search; rows are sentence-major (``sentence * beam_size + beam``).

    ``reorder(rows)`` must re-index the decoder's state so row ``r`` continues hypothesis
    ``rows[r]``. Returns the best tags (batch, seq_len) and their summed log-probs (batch,).
    """
    batch, length = mask.shape
    device = mask.device
    previous = torch.full((batch * beam_size,), start_label, dtype=torch.long, device=device)
    scores = torch.full((batch, beam_size), -torch.inf, device=device)
    scores[:, 0] = 0.0  # the beams start identical: expand only the first
    end_penalties = constraints.end_penalties(mask) if constraints is not None else None
    offsets = torch.arange(batch, device=device).unsqueeze(1) * beam_size
    finished = _finished_log_probs(num_labels, device)
    origins, labels = [], []
    for position in range(length):
        log_probs = log_softmax(step(previous, position))
        if constraints is not None and end_penalties is not None:
            log_probs = log_probs + constraints.transition.index_select(0, previous)
            log_probs = log_probs.view(batch, beam_size, -1) + end_penalties[:, position, None]
        active = mask[:, position, None, None]
        log_probs = torch.where(active, log_probs.view(batch, beam_size, -1), finished)
        candidates = (scores.unsqueeze(2) + log_probs).view(batch, -1)
        scores, index = candidates.topk(beam_size, dim=1)
        origin, label = index // num_labels, index % num_labels
        reorder((origin + offsets).view(-1))
        previous = label.view(-1)
        origins.append(origin)
        labels.append(label)
    best_scores, best = scores.max(dim=1)
    return _backtrace(origins, labels, best) * mask, best_scores


def _finished_log_probs(num_labels: int, device: torch.device) -> torch.Tensor:
    """Log-probs after a sentence's end: each hypothesis continues with label 0 at no cost."""
    frozen = torch.full((num_labels,), -torch.inf, device=device)
    frozen[0] = 0.0
    return frozen


def _backtrace(
    origins: list[torch.Tensor], labels: list[torch.Tensor], best: torch.Tensor
) -> torch.Tensor:
    """Follow the beam pointers back from ``best`` (batch,): tags (batch, seq_len)."""
    beam = best.unsqueeze(1)
    tags = []
    for origin, label in zip(reversed(origins), reversed(labels)):
        tags.append(label.gather(1, beam))
        beam = origin.gather(1, beam)
    tags.reverse()
    return torch.cat(tags, dim=1)
