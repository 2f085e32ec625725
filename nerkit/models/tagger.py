"""``tagger``: embedder -> optional encoder -> decoder; the one model every paper system uses."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch

from nerkit.common.errors import ConfigurationError
from nerkit.data.sentence import Sentence, Span
from nerkit.data.tag_schemes import InvalidTagSequence, tags_to_spans, validate_tags
from nerkit.data.vocabulary import Vocabulary
from nerkit.metrics.metric import Metric
from nerkit.models.model import Batch, Model, move_to_device
from nerkit.modules.decoders.decoder import Decoder
from nerkit.modules.decoders.softmax import SoftmaxDecoder
from nerkit.modules.decoders.span_scores import span_queries
from nerkit.modules.seq2seq_encoders.seq2seq_encoder import Seq2SeqEncoder
from nerkit.modules.token_embedders.token_embedder import TokenEmbedder


@Model.register("tagger")
class Tagger(Model):
    """Sequence labeller assembled from slots; dimensions flow embedder -> encoder -> decoder.

    Args:
        vocab: Injected.
        embedder: Character vectors (``embedding``, ``pretrained_transformer``, ``elmo``, ...).
        encoder: Optional contextual encoder (``lstm``, ``cnn``, ``transformer``, ...).
        decoder: Label layer and loss (``softmax``, ``crf``, ``attention_lstm``); default softmax.
        dropout: Dropout on the embedder output and on the encoder output.
        metrics: Named metrics; default ``span_f1`` and ``token_accuracy``.

    Registered as `models: tagger`.
    """

    dimension_flow = ("embedder", "encoder", "decoder")

    def __init__(
        self,
        vocab: Vocabulary,
        embedder: TokenEmbedder,
        encoder: Seq2SeqEncoder | None = None,
        decoder: Decoder | None = None,
        dropout: float = 0.0,
        metrics: dict[str, Metric] | None = None,
    ) -> None:
        super().__init__(vocab, metrics)
        self.embedder = embedder
        self.encoder = encoder
        upstream = encoder.get_output_dim() if encoder is not None else embedder.get_output_dim()
        if encoder is not None and encoder.get_input_dim() != embedder.get_output_dim():
            raise ConfigurationError(
                f"encoder input_dim {encoder.get_input_dim()} != embedder output "
                f"{embedder.get_output_dim()}"
            )
        if decoder is None:
            decoder = SoftmaxDecoder(vocab, upstream)
        if decoder.get_input_dim() != upstream:
            raise ConfigurationError(
                f"decoder input_dim {decoder.get_input_dim()} != upstream {upstream}"
            )
        self.decoder = decoder
        self.dropout = torch.nn.Dropout(dropout)

    def featurize(self, sentences: Sequence[Sentence]) -> Batch:
        chars = [s.chars for s in sentences]
        lengths = torch.tensor([len(c) for c in chars], dtype=torch.long)
        longest = int(lengths.max()) if len(chars) else 0
        mask = torch.arange(longest).unsqueeze(0) < lengths.unsqueeze(1)
        batch: Batch = {"features": self.embedder.featurize(chars), "mask": mask}
        if all(s.spans is not None for s in sentences):
            index = self.vocab.label_index
            tags = torch.zeros(len(chars), longest, dtype=torch.long)
            for row, sentence in enumerate(sentences):
                ids = [index(t) for t in sentence.tags(self.vocab.tag_scheme)]
                tags[row, : len(ids)] = torch.as_tensor(ids, dtype=torch.long)
            batch["tags"] = tags
        return batch

    def encode(self, batch: Batch) -> torch.Tensor:
        """Encoder states (batch, seq_len, dim) for a featurized batch."""
        mask = batch["mask"]
        embedded = self.dropout(self.embedder(batch["features"], mask))
        if self.encoder is not None:
            embedded = self.dropout(self.encoder(embedded, mask))
        return embedded

    def forward(self, batch: Batch, decode: bool = False) -> dict[str, Any]:
        mask = batch["mask"]
        encoded = self.encode(batch)
        output: dict[str, Any] = {}
        if "tags" in batch:
            output["loss"] = self.decoder.loss(encoded, mask, batch["tags"])
            penalty = self.embedder.penalty(batch["features"], mask) if self.training else None
            if penalty is not None:
                output["loss"] = output["loss"] + penalty
        if decode:
            output["predictions"] = self.decoder.decode(encoded, mask)
        return output

    def predict_scored_spans(self, sentences: Sequence[Sentence]) -> list[list[tuple[Span, float]]]:
        """Predicted entities, each with the decoder's probability that it is an entity."""
        batch = move_to_device(self.featurize(sentences), next(self.parameters()).device)
        lengths = [len(s) for s in sentences]
        with torch.inference_mode():
            encoded = self.encode(batch)
            predictions = self.decoder.decode(encoded, batch["mask"])
            scheme = self.vocab.tag_scheme
            spans = [tags_to_spans(t, scheme) for t in self.label_sequences(predictions, lengths)]
            queries = span_queries(spans, lengths, self.vocab).to(encoded.device)
            log_probs = self.decoder.span_log_probs(encoded, batch["mask"], predictions, queries)
        scores = iter(log_probs.exp().tolist())
        return [[(span, next(scores)) for span in row] for row in spans]

    def predict_n_best(
        self, sentences: Sequence[Sentence], k: int
    ) -> list[list[tuple[list[Span], float]]]:
        """Up to ``k`` analyses of each sentence from the decoder's n-best list, most probable
        first. Label sequences the tag scheme forbids are left out: a constrained CRF gives
        them probability zero, and they have no single reading as entities."""
        batch = move_to_device(self.featurize(sentences), next(self.parameters()).device)
        with torch.inference_mode():
            labels, log_probs = self.decoder.n_best(self.encode(batch), batch["mask"], k)
        return n_best_analyses(labels, log_probs, [len(s) for s in sentences], self.vocab)


def n_best_analyses(
    labels: torch.Tensor, log_probs: torch.Tensor, lengths: Sequence[int], vocab: Vocabulary
) -> list[list[tuple[list[Span], float]]]:
    """(entities, probability) per sentence from an n-best list: label ids (batch, k, seq_len)
    and log probabilities (batch, k). Missing (``-inf``) and scheme-forbidden sequences are
    left out."""
    names, scheme = vocab.labels, vocab.tag_scheme
    analyses = []
    for row, row_log_probs, length in zip(labels.tolist(), log_probs.tolist(), lengths):
        sequences = [[names[i] for i in ids[:length]] for ids in row]
        analyses.append([(tags_to_spans(tags, scheme), math.exp(log_prob))
                         for tags, log_prob in zip(sequences, row_log_probs)
                         if log_prob > float("-inf") and _valid(tags, scheme)])
    return analyses


def _valid(tags: list[str], scheme: str) -> bool:
    try:
        validate_tags(tags, scheme)
    except InvalidTagSequence:
        return False
    return True

