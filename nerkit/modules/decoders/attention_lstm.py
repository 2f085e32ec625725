"""``attention_lstm``: the paper's decoder, an LSTM that attends over the encoder states per step.

For encoder states h_1..h_n, step i keeps the decoder state s_{i-1} and the previous label
y_{i-1} (y_0 is a dedicated start label)::

    a_i = softmax_t(score(s_{i-1}, h_t))            over the sentence's real positions
    c_i = sum_t a_{i,t} h_t
    s_i = LSTMCell([E(y_{i-1}); c_i; h_i], s_{i-1})
    p(y_i) = softmax(W [s_i; c_i; h_i] + b)

``h_i`` (the aligned encoder state) is left out of both lines when ``aligned_input`` is off.

Implementation: what does not depend on the decoder state is computed once per sentence: the
aligned state's and the label's gate inputs (with the biases), the aligned state's output term
and the attention's keys. A step then reads the keys and the encoder states once (shared by
every beam of a sentence) and multiplies only per-row vectors by the weights. Teacher forcing
knows every previous label in advance, so its recurrence runs alone (``attention_recurrence``)
and the output layer is applied to all steps at once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import torch

from nerkit.common.build import Lazy
from nerkit.common.errors import ConfigurationError
from nerkit.data.vocabulary import Vocabulary
from nerkit.modules.attention.attention import Attention
from nerkit.modules.decoders.attention_recurrence import teacher_forced_recurrence
from nerkit.modules.decoders.beam_search import (
    LabelConstraints,
    beam_search,
    greedy_search,
    log_softmax,
)
from nerkit.modules.decoders.decoder import Decoder
from nerkit.modules.decoders.span_scores import SpanQueries, positionwise_span_log_probs

INITIAL_STATES = ("encoder", "zeros")


@dataclass
class _DecoderState:
    """Per-batch tensors of one decoding run; ``rows`` = sentences x ``beam``."""

    beam: int
    encoded: torch.Tensor  # (batch, seq_len, D): the encoder states
    aligned: tuple[torch.Tensor, ...] | None  # per position (batch, 4H + labels): W_h h_i
    keys: torch.Tensor  # (batch, seq_len, ...): linear keys, else the prepared keys
    linear: bool  # score = s . keys_t (the attention's ``linear_keys``)
    padding: torch.Tensor  # (batch, 1, seq_len) True at padding
    score_bias: torch.Tensor  # (batch, 1, seq_len) 0, or the lowest float at padding
    label_gates: torch.Tensor  # (labels + 1, 4H): E(y) through the LSTM input weights + biases
    step_weights: tuple[torch.Tensor, ...]  # transposed: W_c, W_hh, W_os, W_oc
    hidden: torch.Tensor  # (rows, H)
    cell: torch.Tensor  # (rows, H)

    def reorder(self, rows: torch.Tensor) -> None:
        """Row ``r`` continues the hypothesis held by row ``rows[r]``."""
        self.hidden = self.hidden.index_select(0, rows)
        self.cell = self.cell.index_select(0, rows)


Method = TypeVar("Method", bound=Callable[..., Any])


def _in_float32(method: Method) -> Method:
    """Run a decoder entry point in float32, also under mixed precision: the fused steps and the
    hand-written backward pass combine the encoder states with float32 weights in place."""

    @functools.wraps(method)
    def run(self: Any, encoded: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
        with torch.autocast(encoded.device.type, enabled=False):
            return method(self, encoded.float(), *args, **kwargs)

    return run  # type: ignore[return-value]


@Decoder.register("attention_lstm")
class AttentionLstmDecoder(Decoder):
    """An attention LSTM decoder predicting one label per character, left to right (DESIGN §5).

    Training uses teacher forcing (the gold previous label), optionally mixed with the model's
    own previous prediction (scheduled sampling). The loss is the token cross-entropy summed over
    real positions and divided by the number of sentences. Decoding is batched greedy search
    (``beam_size`` 1) or batched beam search, optionally restricted to the tag scheme's valid
    sequences.

    Args:
        vocab: Injected; labels and tag scheme.
        input_dim: Encoder state size; flows from the encoder when left out.
        hidden_dim: Size of the decoder LSTM.
        label_embedding_dim: Size of the previous-label embedding ``E(y)``.
        attention: Scores ``s_{i-1}`` against each ``h_t``; built with ``query_dim=hidden_dim``
            and ``key_dim=input_dim``. Default ``bilinear`` (Luong's general score): cheap per
            step once its keys are prepared; ``additive`` (Bahdanau) costs a tanh over every
            position at every step.
        aligned_input: Feed ``h_i`` to the LSTM and the output layer; off is the paper's literal
            formula, where position i must be found by attention alone.
        scheduled_sampling: Probability, per sentence and step in training, of feeding the
            model's own previous prediction instead of the gold label.
        beam_size: 1 decodes greedily; more runs beam search with that many hypotheses.
        validation_beam_size: The beam while the trainer validates after each epoch (null:
            ``beam_size``). 1 selects epochs by greedy search, which costs the trainer less time
            per epoch, while the archive predicts with ``beam_size``.
        constrain: Decode only sequences the tag scheme allows (valid first label,
            transitions and last label); the old key ``constrained`` still works.
        initial_state: ``encoder``: ``s_0`` and the LSTM cell start from ``tanh`` of a learned
            projection of the mean of the encoder states; ``zeros``: both start at zero.
        dropout: Dropout on ``s_i`` before the output layer.

    Registered as `decoders: attention_lstm`.
    """

    deprecated_keys = {"constrained": "constrain"}

    def __init__(
        self,
        vocab: Vocabulary,
        input_dim: int,
        hidden_dim: int = 128,
        label_embedding_dim: int = 32,
        attention: Lazy[Attention] = Lazy.of(Attention, "bilinear"),  # noqa: B008 - a block
        aligned_input: bool = True,
        scheduled_sampling: float = 0.0,
        beam_size: int = 1,
        validation_beam_size: int | None = None,
        constrain: bool = True,
        initial_state: str = "encoder",
        dropout: float = 0.0,
    ) -> None:
        super().__init__(vocab, input_dim)
        _check_arguments(hidden_dim, label_embedding_dim, scheduled_sampling, beam_size)
        if validation_beam_size is not None and validation_beam_size < 1:
            raise ConfigurationError(
                f"validation_beam_size must be at least 1, got {validation_beam_size}"
            )
        if initial_state not in INITIAL_STATES:
            raise ConfigurationError(
                f"initial_state must be encoder or zeros, got {initial_state!r}"
            )
        self.hidden_dim = hidden_dim
        self.aligned_input = aligned_input
        self.scheduled_sampling = scheduled_sampling
        self.beam_size = beam_size
        self.validation_beam_size = validation_beam_size
        self.validating = False  # set by the trainer's validation (nerkit.models.model.validating)
        self.start_label = self.num_labels  # the extra embedding row
        self.attention = _construct_attention(attention, hidden_dim, input_dim)
        self.label_embedding = torch.nn.Embedding(self.num_labels + 1, label_embedding_dim)
        aligned = input_dim if aligned_input else 0
        self.cell = torch.nn.LSTMCell(label_embedding_dim + input_dim + aligned, hidden_dim)
        self.output = torch.nn.Linear(hidden_dim + input_dim + aligned, self.num_labels)
        self.initial_projection = (
            torch.nn.Linear(input_dim, 2 * hidden_dim) if initial_state == "encoder" else None
        )
        self.dropout = torch.nn.Dropout(dropout)
        self.constraints = LabelConstraints.from_vocab(vocab) if constrain else None

    def loss(self, encoded: torch.Tensor, mask: torch.Tensor, tags: torch.Tensor) -> torch.Tensor:
        logits = self.teacher_forced_logits(encoded, mask, tags)
        losses = torch.nn.functional.cross_entropy(logits[mask], tags[mask], reduction="sum")
        return losses / mask.size(0)

    def decode(self, encoded: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.search(encoded, mask)[0]

    @_in_float32
    def search(
        self, encoded: torch.Tensor, mask: torch.Tensor, beam_size: int | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Best tags (batch, seq_len), 0 at padding, and their summed log-probs (batch,).

        ``beam_size`` overrides the configured one; 1 is greedy search.
        """
        beam = self.beam_size if beam_size is None else beam_size
        if beam_size is None and self.validating and self.validation_beam_size is not None:
            beam = self.validation_beam_size
        state = self._start(encoded, mask, beam)

        def step(previous: torch.Tensor, position: int) -> torch.Tensor:
            return self._step(state, previous, position)

        if beam == 1:
            return greedy_search(step, mask, self.start_label, self.constraints)
        return beam_search(
            step, state.reorder, mask, self.start_label, self.num_labels, beam, self.constraints
        )

    def sequence_log_probs(
        self, encoded: torch.Tensor, mask: torch.Tensor, tags: torch.Tensor
    ) -> torch.Tensor:
        """log p(tags) per sentence (batch,), summed over real positions (teacher forcing)."""
        log_probs = torch.log_softmax(self.teacher_forced_logits(encoded, mask, tags), dim=-1)
        chosen = log_probs.gather(2, tags.unsqueeze(2)).squeeze(2)
        return chosen.masked_fill(~mask, 0.0).sum(1)

    def span_log_probs(
        self, encoded: torch.Tensor, mask: torch.Tensor, predictions: torch.Tensor,
        queries: SpanQueries,
    ) -> torch.Tensor:
        """Span probability from the decoder's label probabilities given the predicted prefix."""
        logits = self.teacher_forced_logits(encoded, mask, predictions)
        return positionwise_span_log_probs(torch.log_softmax(logits.float(), dim=-1), queries)

    @_in_float32
    def teacher_forced_logits(
        self, encoded: torch.Tensor, mask: torch.Tensor, tags: torch.Tensor
    ) -> torch.Tensor:
        """Label logits (batch, seq_len, labels) fed the gold previous labels.

        In training mode, with probability ``scheduled_sampling`` per sentence and step, the
        model's own previous prediction is fed instead.
        """
        sampling = self.scheduled_sampling if self.training else 0.0
        keys = self.attention.linear_keys(encoded) if sampling == 0.0 else None
        if keys is None:
            return self._stepwise_logits(encoded, mask, tags, sampling)
        return self._forced_logits(encoded, mask, tags, keys)

    def _forced_logits(
        self, encoded: torch.Tensor, mask: torch.Tensor, tags: torch.Tensor, keys: torch.Tensor
    ) -> torch.Tensor:
        """Teacher forcing with every previous label known: the recurrence runs alone.

        Everything that does not depend on the decoder state is computed for all steps at
        once: the label and aligned gate inputs before the loop, the output layer after it.
        """
        hidden, cell = self._initial_state(encoded, mask)
        weights = self._split_weights()
        previous = torch.cat([torch.full_like(tags[:, :1], self.start_label), tags[:, :-1]], 1)
        inputs = self._label_gates(weights)[previous.t()]  # time-major (seq_len, batch, 4H)
        if self.aligned_input:
            inputs = inputs + encoded.transpose(0, 1) @ weights["aligned_gates"].t()
        score_bias = _padding_bias(~mask.unsqueeze(1), encoded.dtype)
        joint_weight = torch.cat([weights["context_gates"], self.cell.weight_hh], dim=1)
        states, contexts = teacher_forced_recurrence(
            inputs, encoded, keys, score_bias, joint_weight, hidden, cell
        )
        states = self.dropout(states)  # time-major: the same random draws as step by step
        aligned = [encoded.transpose(0, 1)] if self.aligned_input else []
        return self.output(torch.cat([states, contexts, *aligned], dim=-1)).transpose(0, 1)

    def _stepwise_logits(
        self, encoded: torch.Tensor, mask: torch.Tensor, tags: torch.Tensor, sampling: float
    ) -> torch.Tensor:
        """Teacher forcing one step at a time: scheduled sampling, or a non-linear score."""
        state = self._start(encoded, mask, beam=1)
        previous = torch.full_like(tags[:, 0], self.start_label)
        steps = []
        for position in range(tags.size(1)):
            logits = self._step(state, previous, position)
            steps.append(logits)
            previous = tags[:, position]
            if sampling > 0.0:
                sampled = torch.rand(previous.shape, device=previous.device) < sampling
                previous = torch.where(sampled, logits.detach().argmax(-1), previous)
        return torch.stack(steps, dim=1)

    def _start(self, encoded: torch.Tensor, mask: torch.Tensor, beam: int) -> _DecoderState:
        """Per-sentence inputs of the steps; initial states repeated ``beam`` times per sentence."""
        hidden, cell = self._initial_state(encoded, mask)
        weights = self._split_weights()
        aligned = None
        if self.aligned_input:
            aligned_weight = torch.cat([weights["aligned_gates"], weights["aligned_out"]])
            aligned = (encoded @ aligned_weight.t()).unbind(1)  # one backward node, not one each
        keys = self.attention.linear_keys(encoded)
        padding = ~mask.unsqueeze(1)
        return _DecoderState(
            beam=beam,
            encoded=encoded,
            aligned=aligned,
            keys=keys if keys is not None else self.attention.prepare_keys(encoded),
            linear=keys is not None,
            padding=padding,
            score_bias=_padding_bias(padding, encoded.dtype),
            label_gates=self._label_gates(weights),
            step_weights=(
                weights["context_gates"].t(), self.cell.weight_hh.t(),
                self.output.weight[:, : self.hidden_dim].t(), weights["context_out"].t(),
            ),
            hidden=hidden.repeat_interleave(beam, dim=0),
            cell=cell.repeat_interleave(beam, dim=0),
        )

    def _label_gates(self, weights: dict[str, torch.Tensor]) -> torch.Tensor:
        """(labels + 1, 4H): each previous label's gate input, with the LSTM's biases."""
        biases = self.cell.bias_ih + self.cell.bias_hh
        return torch.addmm(biases, self.label_embedding.weight, weights["label_gates"].t())

    def _split_weights(self) -> dict[str, torch.Tensor]:
        """Column blocks of the LSTM input weights and the output layer, by input piece."""
        labels, context = self.label_embedding.embedding_dim, self.input_dim
        cell, output = self.cell.weight_ih, self.output.weight
        hidden = self.hidden_dim  # output[:, :hidden] multiplies s_i, in every step
        return {
            "label_gates": cell[:, :labels],
            "context_gates": cell[:, labels : labels + context],
            "aligned_gates": cell[:, labels + context :],
            "context_out": output[:, hidden : hidden + context],
            "aligned_out": output[:, hidden + context :],
        }

    def _initial_state(
        self, encoded: torch.Tensor, mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        if self.initial_projection is None:
            zeros = encoded.new_zeros(encoded.size(0), self.hidden_dim)
            return zeros, zeros
        weights = mask.unsqueeze(1).to(encoded.dtype)  # (batch, 1, seq_len)
        mean = torch.bmm(weights, encoded).squeeze(1) / weights.sum(2).clamp(min=1.0)
        hidden, cell = torch.tanh(self.initial_projection(mean)).chunk(2, dim=-1)
        return hidden, cell

    def _step(self, state: _DecoderState, previous: torch.Tensor, position: int) -> torch.Tensor:
        """Advance every row one position; label logits (rows, labels)."""
        batch, beam = state.encoded.size(0), state.beam
        queries = state.hidden.view(batch, beam, -1)
        if state.linear:  # the padding's bias added in the same product
            scores = torch.baddbmm(state.score_bias, queries, state.keys.transpose(1, 2))
        else:
            scores = self.attention.prepared_scores(queries, state.keys)
            scores = scores.masked_fill(state.padding, torch.finfo(scores.dtype).min)
        context = torch.bmm(log_softmax(scores).exp(), state.encoded).flatten(0, 1)
        context_gates, hidden_gates, state_out, context_out = state.step_weights
        hidden_dim = self.hidden_dim
        gates = torch.addmm(state.label_gates.index_select(0, previous), context, context_gates)
        gates = gates.addmm_(state.hidden, hidden_gates)
        if state.aligned is not None:
            aligned = state.aligned[position].unsqueeze(1)
            gates.view(batch, beam, -1).add_(aligned[..., : 4 * hidden_dim])
        state.hidden, state.cell = _lstm_update(gates, state.cell)
        hidden = self.dropout(state.hidden) if self.training else state.hidden
        logits = torch.addmm(self.output.bias, hidden, state_out).addmm_(context, context_out)
        if state.aligned is not None:
            logits.view(batch, beam, -1).add_(aligned[..., 4 * hidden_dim :])
        return logits


def _padding_bias(padding: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """0 at real positions, the lowest float at padding: added to scores, masks the softmax."""
    return torch.zeros_like(padding, dtype=dtype).masked_fill(padding, torch.finfo(dtype).min)


def _lstm_update(gates: torch.Tensor, cell: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """One LSTM update from pre-activations in PyTorch's (input, forget, cell, output) order."""
    activated = torch.sigmoid(gates)
    input_gate, forget_gate, _, output_gate = activated.chunk(4, dim=1)
    candidate = torch.tanh(gates.chunk(4, dim=1)[2])
    cell = torch.addcmul(forget_gate * cell, input_gate, candidate)
    return output_gate * torch.tanh(cell), cell


def _construct_attention(
    attention: Lazy[Attention] | str, query_dim: int, key_dim: int
) -> Attention:
    if isinstance(attention, Lazy):
        return attention.construct(query_dim=query_dim, key_dim=key_dim)
    return Attention.from_config(attention, query_dim=query_dim, key_dim=key_dim)


def _check_arguments(
    hidden_dim: int, label_embedding_dim: int, scheduled_sampling: float, beam_size: int
) -> None:
    if hidden_dim <= 0 or label_embedding_dim <= 0:
        raise ConfigurationError("hidden_dim and label_embedding_dim must be positive")
    if not 0.0 <= scheduled_sampling <= 1.0:
        raise ConfigurationError(f"scheduled_sampling must be in [0, 1], got {scheduled_sampling}")
    if beam_size < 1:
        raise ConfigurationError(f"beam_size must be at least 1, got {beam_size}")
