"""``crf``: a linear-chain conditional random field over per-character label scores."""

from __future__ import annotations

import torch

from nerkit.common.errors import ConfigurationError
from nerkit.data.tag_schemes import allowed_transitions
from nerkit.data.vocabulary import Vocabulary
from nerkit.modules.decoders.decoder import Decoder
from nerkit.modules.decoders.linear_chain import (
    k_best,
    log_partition,
    sequence_scores,
    viterbi,
)
from nerkit.modules.decoders.span_scores import SpanQueries, crf_span_log_probs

# Added to the score of a transition the tag scheme forbids: large enough that no sequence using
# one can win or carry probability mass, finite so that sums never produce NaN.
FORBIDDEN = -10000.0


def constraint_penalties(vocab: Vocabulary) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``FORBIDDEN``/0 penalties (start, end, transitions) for the vocabulary's tag scheme."""
    start, end, transitions = allowed_transitions(vocab.labels, vocab.tag_scheme)

    def penalty(allowed: list[bool] | list[list[bool]]) -> torch.Tensor:
        return (~torch.tensor(allowed, dtype=torch.bool)).float() * FORBIDDEN

    return penalty(start), penalty(end), penalty(transitions)


@Decoder.register("crf")
class CrfDecoder(Decoder):
    """A linear projection to label scores (emissions) and a linear-chain CRF on top.

    The CRF learns transition scores between labels and start/end scores. The loss is the
    negative log-likelihood of the gold sequence, averaged over sentences; its gradient comes from
    one forward-backward pass (label marginals) rather than an autograd graph over time steps.
    Decoding is batched Viterbi.

    Args:
        vocab: Injected; its labels and tag scheme define the constraints.
        input_dim: Flows from the encoder (or embedder) when left out.
        constrain: Forbid the transitions (and the first and last labels) the tag scheme does not
            allow, e.g. ``O`` -> ``I-PER`` in BIO, in training and decoding.
        dropout: Dropout on the encoder states before the projection.
        projection: False when the input already is one score per label (``window_features``
            with ``embedding_dim: null``): the classical CRF, with no factored weights.

    Registered as `decoders: crf`.
    """

    # buffers (the tag scheme's 0/-inf penalties, zeros without constrain): see __init__
    start_penalty: torch.Tensor
    end_penalty: torch.Tensor
    transition_penalty: torch.Tensor

    def __init__(
        self, vocab: Vocabulary, input_dim: int, constrain: bool = True, dropout: float = 0.0,
        projection: bool = True,
    ) -> None:
        super().__init__(vocab, input_dim)
        labels = self.num_labels
        if not projection and input_dim != labels:
            raise ConfigurationError(
                f"projection: false needs one input score per label: input_dim is {input_dim}, "
                f"the vocabulary has {labels} labels"
            )
        self.constrain = constrain
        self.dropout = torch.nn.Dropout(dropout)
        self.projection = torch.nn.Linear(input_dim, labels) if projection else torch.nn.Identity()
        self.transitions = torch.nn.Parameter(torch.zeros(labels, labels))
        self.start = torch.nn.Parameter(torch.zeros(labels))
        self.end = torch.nn.Parameter(torch.zeros(labels))
        penalties = constraint_penalties(vocab) if constrain else (
            torch.zeros(labels), torch.zeros(labels), torch.zeros(labels, labels)
        )
        for name, value in zip(("start_penalty", "end_penalty", "transition_penalty"), penalties):
            self.register_buffer(name, value, persistent=False)

    def crf_parameters(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Transition, start and end scores with the scheme's penalties added."""
        return (
            self.transitions + self.transition_penalty,
            self.start + self.start_penalty,
            self.end + self.end_penalty,
        )

    def emissions(self, encoded: torch.Tensor) -> torch.Tensor:
        """Label scores (batch, seq_len, num_labels) in float32 (also under mixed precision)."""
        return self.projection(self.dropout(encoded)).float()

    def loss(self, encoded: torch.Tensor, mask: torch.Tensor, tags: torch.Tensor) -> torch.Tensor:
        emissions = self.emissions(encoded)
        transitions, start, end = self.crf_parameters()
        with torch.autocast(emissions.device.type, enabled=False):
            log_z = log_partition(emissions, transitions, start, end, mask)
            gold = sequence_scores(emissions, transitions, start, end, mask, tags)
        return (log_z - gold).masked_fill(~mask[:, 0], 0.0).mean()  # empty sentences cost 0

    def decode(self, encoded: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        emissions = self.emissions(encoded)
        transitions, start, end = self.crf_parameters()
        with torch.autocast(emissions.device.type, enabled=False):
            return viterbi(emissions, transitions, start, end, mask)[0]

    def n_best(
        self, encoded: torch.Tensor, mask: torch.Tensor, k: int
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The ``k`` best sequences by k-best Viterbi, with their exact probabilities under the
        CRF (score minus the log-partition)."""
        emissions = self.emissions(encoded)
        transitions, start, end = self.crf_parameters()
        with torch.autocast(emissions.device.type, enabled=False):
            labels, scores = k_best(emissions, transitions, start, end, mask, k)
            log_z = log_partition(emissions, transitions, start, end, mask)
        return labels, scores - log_z.unsqueeze(1)

    def span_log_probs(
        self, encoded: torch.Tensor, mask: torch.Tensor, predictions: torch.Tensor,
        queries: SpanQueries,
    ) -> torch.Tensor:
        """The exact marginal probability of each span under the CRF (forward-backward)."""
        emissions = self.emissions(encoded)
        transitions, start, end = self.crf_parameters()
        with torch.autocast(emissions.device.type, enabled=False):
            return crf_span_log_probs(emissions, transitions, start, end, mask, queries)
