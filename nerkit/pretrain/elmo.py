"""``nerkit pretrain elmo``: a character-level biLM with the ``elmo`` embedder's architecture.

The forward LM predicts the next character and the backward LM the previous one, over
``<S> line </S>``, with a softmax over the corpus's characters (one softmax shared by both
directions unless untied). The result is written as ``options.json`` + ``weights.hdf5`` in the
AllenNLP layout, which the ``elmo`` embedder (and AllenNLP) load.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from nerkit.common.precision import check_amp
from nerkit.modules.elmo_bilm import ElmoBiLm
from nerkit.modules.elmo_characters import BOS_TOKEN, EOS_TOKEN, NUM_BYTE_IDS, batch_char_ids
from nerkit.modules.elmo_weights import save_bilm_weights
from nerkit.pretrain.corpus import (
    Line,
    bucketed_batches,
    by_frequency,
    char_counts,
    chunk_lines,
    split_held_out,
)
from nerkit.pretrain.loop import LoopSettings, steps_for, train_steps
from nerkit.pretrain.output import RunDirectory, write_json

logger = logging.getLogger(__name__)

UNKNOWN = "<UNK>"


@dataclass
class ElmoPretrainSettings:
    """Sizes and schedule of ``nerkit pretrain elmo``.

    Args:
        cell_dim: LSTM memory cell size.
        projection_dim: Projected LSTM state and token vector size (embedder output: twice it).
        n_layers: biLSTM layers.
        char_embed_dim: Byte embedding size of the character CNN.
        filters: CNN filters as [[width, count], ...] (JSON on the command line).
        n_highway: Highway layers after the CNN.
        max_characters_per_token: Byte slots per token, word markers included.
        cell_clip: Memory cell clipping.
        proj_clip: Projected state clipping.
        dropout: Dropout on LSTM inputs and on the top layer before the softmax.
        tie_softmax: One softmax shared by the forward and backward LMs (--no-tie-softmax: two).
        min_count: Characters rarer than this are <UNK> in the softmax.
        max_vocab: Largest softmax vocabulary (most frequent characters).
        max_length: Longer lines are cut into pieces of this many characters.
        batch_size: Lines per batch (bucketed by length).
        max_steps: Training steps.
        epochs: Train this many passes over the data instead of max_steps.
        learning_rate: Peak AdamW learning rate.
        warmup_steps: Linear warmup steps.
        grad_norm: Gradient norm clipping.
        held_out_fraction: Fraction of lines held out for perplexity.
        max_held_out_lines: At most this many held-out lines.
        checkpoint_every: Checkpoint every this many steps.
        max_minutes: Stop training after this many minutes even before max_steps (the small
            preset's time box; the learning rate schedule still spans max_steps).
        amp: bf16 = bfloat16 mixed precision on CPUs with AMX/AVX512-BF16 (else ignored).
    """

    cell_dim: int = 256
    projection_dim: int = 128
    n_layers: int = 2
    char_embed_dim: int = 16
    filters: list[list[int]] = field(default_factory=lambda: [[1, 32], [2, 64], [3, 128], [4, 128]])
    n_highway: int = 1
    max_characters_per_token: int = 8
    cell_clip: float = 3.0
    proj_clip: float = 3.0
    dropout: float = 0.1
    tie_softmax: bool = True
    min_count: int = 1
    max_vocab: int | None = None
    max_length: int = 100
    batch_size: int = 32
    max_steps: int = 1000
    epochs: int | None = None
    learning_rate: float = 2e-3
    warmup_steps: int = 50
    grad_norm: float = 1.0
    held_out_fraction: float = 0.01
    max_held_out_lines: int = 500
    checkpoint_every: int = 200
    max_minutes: float | None = 20.0
    amp: str | None = None

    def __post_init__(self) -> None:
        check_amp(self.amp, ("amp",))

    def options(self, vocab_size: int) -> dict[str, Any]:
        """This biLM's ``options.json`` (AllenNLP keys plus a few bilm-tf ones for reference)."""
        return {
            "bidirectional": True,
            "char_cnn": {
                "activation": "relu",
                "embedding": {"dim": self.char_embed_dim},
                "filters": self.filters,
                "max_characters_per_token": self.max_characters_per_token,
                "n_characters": NUM_BYTE_IDS + 1,
                "n_highway": self.n_highway,
            },
            "dropout": self.dropout,
            "lstm": {
                "cell_clip": self.cell_clip,
                "dim": self.cell_dim,
                "n_layers": self.n_layers,
                "proj_clip": self.proj_clip,
                "projection_dim": self.projection_dim,
                "use_skip_connections": True,
            },
            "n_tokens_vocab": vocab_size,
        }


PRESETS = {
    "small": ElmoPretrainSettings(),
    "base": ElmoPretrainSettings(
        cell_dim=2048, projection_dim=256, char_embed_dim=16, n_highway=2,
        filters=[[1, 64], [2, 128], [3, 256], [4, 256], [5, 512]], max_characters_per_token=16,
        batch_size=64, max_steps=100_000, learning_rate=1e-3, warmup_steps=1000,
        max_held_out_lines=2000, checkpoint_every=1000, max_minutes=None,
    ),
}


class BiLmLanguageModel(torch.nn.Module):
    """An ``ElmoBiLm`` with next- and previous-character softmaxes on its top layer."""

    def __init__(self, options: dict[str, Any], vocab_size: int, tie_softmax: bool, dropout: float):
        super().__init__()
        self.bilm = ElmoBiLm(options, dropout=dropout)
        projection = self.bilm.projection_dim
        count = 1 if tie_softmax else 2
        self.softmaxes = torch.nn.ModuleList(
            torch.nn.Linear(projection, vocab_size) for _ in range(count)
        )
        self.dropout = torch.nn.Dropout(dropout)

    def losses(
        self, char_ids: torch.Tensor, mask: torch.Tensor, targets: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, int]:
        """Summed forward and backward cross-entropies and the number of predictions in each."""
        top = self.dropout(self.bilm(char_ids, mask)[-1])
        split = self.bilm.projection_dim
        forward_logits = self.softmaxes[0](top[:, :-1, :split])
        backward_logits = self.softmaxes[-1](top[:, 1:, split:])
        backward_targets = targets[:, :-1].masked_fill(~mask[:, 1:], -100)

        def summed(logits: torch.Tensor, gold: torch.Tensor) -> torch.Tensor:
            return torch.nn.functional.cross_entropy(
                logits.reshape(-1, logits.size(-1)), gold.reshape(-1), reduction="sum"
            )

        forward = summed(forward_logits, targets[:, 1:])
        return forward, summed(backward_logits, backward_targets), int(mask[:, 1:].sum())


class LineEncoder:
    """Turns lines into biLM inputs (character ids with boundaries) and softmax targets."""

    def __init__(self, vocab: Sequence[str], max_characters_per_token: int) -> None:
        self.vocab = list(vocab)
        self.index = {token: i for i, token in enumerate(self.vocab)}
        self.unknown = self.index[UNKNOWN]
        self.max_characters_per_token = max_characters_per_token

    def __call__(self, lines: Sequence[Line]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        tokens = [[BOS_TOKEN, *line, EOS_TOKEN] for line in lines]
        char_ids = batch_char_ids(tokens, self.max_characters_per_token)
        mask = char_ids.ne(0).any(dim=-1)
        targets = torch.full(mask.shape, -100, dtype=torch.long)
        for row, line in enumerate(tokens):
            ids = [self.index.get(t, self.unknown) for t in line]
            targets[row, : len(ids)] = torch.tensor(ids)
        return char_ids, mask, targets


def softmax_vocabulary(lines: Sequence[Line], settings: ElmoPretrainSettings) -> list[str]:
    chars = by_frequency(char_counts(lines), settings.min_count, settings.max_vocab)
    return [BOS_TOKEN, EOS_TOKEN, UNKNOWN, *chars]


@torch.no_grad()
def evaluate(
    model: BiLmLanguageModel, encode: LineEncoder, lines: Sequence[Line], batch_size: int
) -> dict[str, float]:
    """Held-out character perplexity of each direction and of both together."""
    model.eval()
    forward_sum = backward_sum = 0.0
    count = 0
    for batch in bucketed_batches(lines, batch_size, seed=0):
        forward, backward, n = model.losses(*encode([lines[i] for i in batch]))
        forward_sum += float(forward)
        backward_sum += float(backward)
        count += n
    model.train()
    return {
        "held_out_forward_perplexity": math.exp(forward_sum / count),
        "held_out_backward_perplexity": math.exp(backward_sum / count),
        "held_out_perplexity": math.exp((forward_sum + backward_sum) / (2 * count)),
        "held_out_predictions": count,
    }


def pretrain_elmo(
    lines: Sequence[Line], run: RunDirectory, settings: ElmoPretrainSettings, seed: int,
    resume: bool = False,
) -> dict[str, Any]:
    """Train on ``lines``; write ``options.json``, ``weights.hdf5``, ``vocab.txt`` into the run."""
    train, held_out = split_held_out(
        chunk_lines(lines, settings.max_length), settings.held_out_fraction, seed,
        settings.max_held_out_lines,
    )
    vocab = softmax_vocabulary(train, settings)
    options = settings.options(len(vocab))
    torch.manual_seed(seed)
    model = BiLmLanguageModel(options, len(vocab), settings.tie_softmax, settings.dropout)
    encode = LineEncoder(vocab, settings.max_characters_per_token)

    def epoch_batches(epoch: int) -> list[list[Line]]:
        batches = bucketed_batches(train, settings.batch_size, seed + epoch)
        return [[train[i] for i in batch] for batch in batches]

    def loss_of(batch: list[Line], step: int) -> torch.Tensor:
        forward, backward, count = model.losses(*encode(batch))
        return (forward + backward) / (2 * count)

    batches_per_epoch = math.ceil(len(train) / settings.batch_size)
    loop = LoopSettings(
        max_steps=steps_for(settings.max_steps, settings.epochs, batches_per_epoch),
        learning_rate=settings.learning_rate, warmup_steps=settings.warmup_steps,
        grad_norm=settings.grad_norm, checkpoint_every=settings.checkpoint_every,
        max_minutes=settings.max_minutes,
    )
    def held_out_metrics() -> dict[str, float]:
        return evaluate(model, encode, held_out, settings.batch_size)

    result = train_steps(model, epoch_batches, loss_of, loop, run.checkpoint, resume, "elmo",
                         settings.amp, held_out_metrics)
    metrics = {
        "steps": result.steps, "epochs": round(result.steps / batches_per_epoch, 3),
        "final_training_perplexity": math.exp(result.final_loss),
        "training_seconds": result.seconds,
        "train_lines": len(train), "held_out_lines": len(held_out), "vocab_size": len(vocab),
        **held_out_metrics(), "history": result.history,
    }
    write_json(run.work / "options.json", options)
    save_bilm_weights(model.bilm, run.work / "weights.hdf5")
    (run.work / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    return metrics
