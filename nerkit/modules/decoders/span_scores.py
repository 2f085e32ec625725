"""Confidence of predicted entities: the probability that a span is an entity of its type.

A span ``[start, end)`` of type ``X`` is present when the labels at ``start .. end - 1`` spell it
in the model's tag scheme (``B-X I-X E-X``, ``S-X``, ...) and the label at ``end`` does not
extend it (in BIO, anything but ``I-X``). Decoders turn that event into a probability:

- ``crf``: its exact marginal under the CRF, from forward-backward (``crf_span_log_probs``).
- ``softmax`` / ``attention_lstm``: the product of per-position label probabilities
  (``positionwise_span_log_probs``); for ``attention_lstm`` these are the autoregressive
  model's probabilities given the predicted labels before each position.

Spans are passed as index tensors (``SpanQueries``) so that a batch is scored in a few tensor
operations, not one Python step per entity.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from nerkit.data.sentence import Span
from nerkit.data.tag_schemes import spans_to_tags, tags_to_spans
from nerkit.data.vocabulary import Vocabulary


@dataclass
class SpanQueries:
    """``Q`` spans over a batch as index tensors; ``P`` = their character positions in all.

    ``previous`` is the span's label before each position, -1 at the span's first position;
    ``followers[q, l]`` is True when label ``l`` at the span's end leaves the span intact.
    """

    rows: torch.Tensor  # (Q,) sentence of each span
    ends: torch.Tensor  # (Q,) exclusive end
    at_sentence_end: torch.Tensor  # (Q,) bool: the span ends the sentence
    last_labels: torch.Tensor  # (Q,) label at end - 1
    followers: torch.Tensor  # (Q, labels) bool
    span_of: torch.Tensor  # (P,) which span each position belongs to
    position_rows: torch.Tensor  # (P,)
    positions: torch.Tensor  # (P,)
    labels: torch.Tensor  # (P,) the span's label at each position
    previous: torch.Tensor  # (P,)

    def __len__(self) -> int:
        return int(self.rows.numel())

    def to(self, device: torch.device) -> SpanQueries:
        return SpanQueries(**{k: v.to(device) for k, v in vars(self).items()})


def span_queries(
    spans: Sequence[Sequence[Span]], lengths: Sequence[int], vocab: Vocabulary
) -> SpanQueries:
    """Index tensors for ``spans[row]`` of each sentence (of ``lengths[row]`` characters)."""
    rows: list[int] = []
    ends: list[int] = []
    at_end: list[bool] = []
    last: list[int] = []
    followers: list[list[bool]] = []
    span_of: list[int] = []
    position_rows: list[int] = []
    positions: list[int] = []
    labels: list[int] = []
    previous: list[int] = []
    for row, (row_spans, length) in enumerate(zip(spans, lengths)):
        for span in row_spans:
            width = span.end - span.start
            ids = _label_ids(tuple(vocab.labels), vocab.tag_scheme, span.label, width)
            query = len(rows)
            rows.append(row)
            ends.append(span.end)
            at_end.append(span.end >= length)
            last.append(ids[-1])
            followers.append(_followers(tuple(vocab.labels), vocab.tag_scheme, span.label,
                                        min(width, 3)))
            span_of.extend([query] * len(ids))
            position_rows.extend([row] * len(ids))
            positions.extend(range(span.start, span.end))
            labels.extend(ids)
            previous.extend([-1, *ids[:-1]])
    def long(values: list[int]) -> torch.Tensor:
        return torch.tensor(values, dtype=torch.long)

    return SpanQueries(
        rows=long(rows), ends=long(ends), at_sentence_end=torch.tensor(at_end, dtype=torch.bool),
        last_labels=long(last),
        followers=torch.tensor(followers, dtype=torch.bool).view(len(rows), vocab.num_labels),
        span_of=long(span_of), position_rows=long(position_rows), positions=long(positions),
        labels=long(labels), previous=long(previous),
    )


@functools.lru_cache(maxsize=4096)
def _label_ids(labels: tuple[str, ...], scheme: str, entity_type: str, length: int) -> list[int]:
    """Label ids spelling one entity of ``length`` characters in ``scheme``."""
    index = {label: i for i, label in enumerate(labels)}
    return [index[t] for t in spans_to_tags([Span(0, length, entity_type)], length, scheme)]


@functools.lru_cache(maxsize=1024)
def _followers(labels: tuple[str, ...], scheme: str, entity_type: str, length: int) -> list[bool]:
    """Which labels may follow the entity without changing how it is read."""
    tags = spans_to_tags([Span(0, length, entity_type)], length, scheme)
    whole = Span(0, length, entity_type)
    return [whole in tags_to_spans([*tags, label], scheme) for label in labels]


def _sum_per_span(values: torch.Tensor, queries: SpanQueries) -> torch.Tensor:
    total = values.new_zeros(len(queries))
    return total.index_add(0, queries.span_of, values)


def _follower_log_sum(scores: torch.Tensor, queries: SpanQueries) -> torch.Tensor:
    """log-sum-exp over the allowed followers of (Q, labels) scores; 0 where the span ends it."""
    allowed = scores.masked_fill(~queries.followers, -torch.inf).logsumexp(dim=1)
    return torch.where(queries.at_sentence_end, torch.zeros_like(allowed), allowed)


def positionwise_span_log_probs(log_probs: torch.Tensor, queries: SpanQueries) -> torch.Tensor:
    """log P(span) (Q,) from per-position label log-probs (batch, seq_len, labels)."""
    if not len(queries):
        return log_probs.new_zeros(0)
    inside = log_probs[queries.position_rows, queries.positions, queries.labels]
    following = log_probs[queries.rows, queries.ends.clamp(max=log_probs.size(1) - 1)]
    return _sum_per_span(inside, queries) + _follower_log_sum(following, queries)


def crf_span_log_probs(
    emissions: torch.Tensor, transitions: torch.Tensor, start: torch.Tensor, end: torch.Tensor,
    mask: torch.Tensor, queries: SpanQueries,
) -> torch.Tensor:
    """Exact log marginal probability (Q,) of each span under a linear-chain CRF.

    Shapes as in ``linear_chain``. Computed in float64 log space: log P = alpha at the span's
    first label + the scores inside the span + the log-sum over allowed continuations (with
    beta) - log Z.
    """
    if not len(queries):
        return emissions.new_zeros(0)
    emissions, transitions = emissions.double(), transitions.double()
    start, end = start.double(), end.double()
    alphas = _log_alphas(emissions, transitions, start, mask)
    betas = _log_betas(emissions, transitions, end, mask)
    last = (mask.sum(1) - 1).clamp(min=0)
    log_z = (alphas[torch.arange(mask.size(0)), last] + end).logsumexp(dim=1)
    rows, positions, labels = queries.position_rows, queries.positions, queries.labels
    first = queries.previous < 0
    moved = transitions[queries.previous.clamp(min=0), labels]
    stepped = moved + emissions[rows, positions, labels]
    inside = torch.where(first, alphas[rows, positions, labels], stepped)
    ends = queries.ends.clamp(max=mask.size(1) - 1)
    following = (transitions[queries.last_labels] + emissions[queries.rows, ends]
                 + betas[queries.rows, ends])
    tail = torch.where(queries.at_sentence_end, end[queries.last_labels],
                       _follower_log_sum(following, queries))
    return _sum_per_span(inside, queries) + tail - log_z[queries.rows]


def _log_alphas(
    emissions: torch.Tensor, transitions: torch.Tensor, start: torch.Tensor, mask: torch.Tensor
) -> torch.Tensor:
    """(batch, seq_len, labels): log-sum of every labelling of positions 0..t ending in label j."""
    alpha = start + emissions[:, 0]
    alphas = [alpha]
    for t in range(1, emissions.size(1)):
        alpha = (alpha.unsqueeze(2) + transitions).logsumexp(dim=1) + emissions[:, t]
        alphas.append(alpha)
    return torch.stack(alphas, dim=1)


def _log_betas(
    emissions: torch.Tensor, transitions: torch.Tensor, end: torch.Tensor, mask: torch.Tensor
) -> torch.Tensor:
    """(batch, seq_len, labels): log-sum of every continuation after t given label i at t.

    At and after each sentence's last position this is the end score.
    """
    beta = end.expand(emissions.size(0), -1)
    betas = [beta]
    for t in range(emissions.size(1) - 2, -1, -1):
        step = (transitions + (emissions[:, t + 1] + beta).unsqueeze(1)).logsumexp(dim=2)
        beta = torch.where(mask[:, t + 1 : t + 2], step, end)
        betas.append(beta)
    betas.reverse()
    return torch.stack(betas, dim=1)
