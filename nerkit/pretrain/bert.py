"""``nerkit pretrain bert``: a character-level masked LM (transformers' BertForMaskedLM).

The vocabulary is ``[PAD] [UNK] [CLS] [SEP] [MASK]`` and the corpus's characters by frequency;
consecutive lines are packed into sequences ``[CLS] line [SEP] line [SEP] ...``; 15% of the
characters are chosen, 80% of those become ``[MASK]``, 10% a random character, 10% stay. The
output directory (``save_pretrained``, safetensors, with the tokenizer files) is what the
``pretrained_transformer`` embedder loads by path.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.common.precision import check_amp
from nerkit.data.word2vec_file import read_word2vec
from nerkit.pretrain.corpus import Line, by_frequency, char_counts, chunk_lines, split_held_out
from nerkit.pretrain.loop import LoopSettings, steps_for, train_steps
from nerkit.pretrain.output import RunDirectory

logger = logging.getLogger(__name__)

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


@dataclass
class BertPretrainSettings:
    """Sizes and schedule of ``nerkit pretrain bert``.

    Args:
        hidden_size: Transformer width.
        num_layers: Transformer layers.
        num_heads: Attention heads.
        intermediate_size: Feed-forward size.
        max_length: Sequence length in tokens (also the model's max_position_embeddings).
        dropout: Hidden and attention dropout.
        min_count: Characters rarer than this are [UNK].
        max_vocab: Most characters in the vocabulary.
        mask_probability: Fraction of characters chosen for prediction.
        batch_size: Sequences per batch.
        max_steps: Training steps.
        epochs: Train this many passes over the data instead of max_steps.
        learning_rate: Peak AdamW learning rate.
        warmup_steps: Linear warmup steps.
        weight_decay: AdamW weight decay.
        grad_norm: Gradient norm clipping.
        held_out_fraction: Fraction of lines held out for the MLM loss and accuracy.
        max_held_out_lines: At most this many held-out lines.
        checkpoint_every: Checkpoint every this many steps.
        max_minutes: Stop training after this many minutes even before max_steps (the small
            preset's time box; the learning rate schedule still spans max_steps).
        amp: bf16 = bfloat16 mixed precision on CPUs with AMX/AVX512-BF16 (else ignored).
        init_from: Continue pretraining this model directory (its vocabulary and sizes are kept).
        init_vectors: A word2vec file (``nerkit pretrain word2vec --dim HIDDEN_SIZE``) whose
            character vectors start the character embeddings (rescaled to BERT's initial
            spread), so the masked LM does not have to learn what characters are alike.
    """

    hidden_size: int = 256
    num_layers: int = 2
    num_heads: int = 4
    intermediate_size: int = 1024
    max_length: int = 128
    dropout: float = 0.1
    min_count: int = 1
    max_vocab: int | None = None
    mask_probability: float = 0.15
    batch_size: int = 32
    max_steps: int = 1500
    epochs: int | None = None
    learning_rate: float = 1e-3
    warmup_steps: int = 50
    weight_decay: float = 0.01
    grad_norm: float = 1.0
    held_out_fraction: float = 0.01
    max_held_out_lines: int = 500
    checkpoint_every: int = 200
    max_minutes: float | None = 20.0
    amp: str | None = None
    init_from: str | None = None
    init_vectors: str | None = None

    def __post_init__(self) -> None:
        check_amp(self.amp, ("amp",))
        if self.num_heads < 1 or self.hidden_size % self.num_heads:
            raise ConfigurationError(
                f"--hidden-size {self.hidden_size} must be a multiple of --num-heads "
                f"{self.num_heads}"
            )


PRESETS = {
    # bf16 where the CPU has it natively (ignored elsewhere): a 1.56x faster step on AMX.
    "small": BertPretrainSettings(amp="bf16"),
    "base": BertPretrainSettings(
        hidden_size=768, num_layers=12, num_heads=12, intermediate_size=3072, max_length=512,
        batch_size=64, max_steps=100_000, learning_rate=1e-4, warmup_steps=10_000,
        max_held_out_lines=2000, checkpoint_every=1000, max_minutes=None,
    ),
}


def build_model_and_tokenizer(
    lines: Sequence[Line], settings: BertPretrainSettings, directory: Path
) -> tuple[Any, Any]:
    """A fresh BertForMaskedLM with a character vocabulary, or the ``init_from`` model."""
    from transformers import AutoTokenizer, BertConfig, BertForMaskedLM, BertTokenizer

    if settings.init_from:
        logger.info("continuing from %s; its vocabulary and sizes are kept", settings.init_from)
        return (BertForMaskedLM.from_pretrained(settings.init_from),
                AutoTokenizer.from_pretrained(settings.init_from))
    chars = by_frequency(char_counts(lines), settings.min_count, settings.max_vocab)
    vocab_file = directory / "vocab.txt"
    vocab_file.write_text("\n".join([*SPECIAL_TOKENS, *chars]) + "\n", encoding="utf-8")
    tokenizer = BertTokenizer(
        vocab=str(vocab_file), do_lower_case=False, strip_accents=False,
        model_max_length=settings.max_length,
    )
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=settings.hidden_size,
        num_hidden_layers=settings.num_layers, num_attention_heads=settings.num_heads,
        intermediate_size=settings.intermediate_size, max_position_embeddings=settings.max_length,
        hidden_dropout_prob=settings.dropout, attention_probs_dropout_prob=settings.dropout,
        pad_token_id=tokenizer.pad_token_id,
    )
    model = BertForMaskedLM(config)
    if settings.init_vectors:
        initialise_embeddings(model, tokenizer, settings.init_vectors)
    return model, tokenizer


def initialise_embeddings(model: Any, tokenizer: Any, path: str) -> int:
    """Copy the word2vec vectors of vocabulary characters into the input (and tied output)
    embeddings, scaled to the model's initial standard deviation; returns how many."""
    vectors = read_word2vec(path)
    table = model.get_input_embeddings().weight
    if vectors.dim != table.size(1):
        raise ConfigurationError(
            f"--init-vectors {path} has {vectors.dim}-dim vectors; --hidden-size is "
            f"{table.size(1)}: make them with nerkit pretrain word2vec --dim {table.size(1)}"
        )
    found = [(index, vectors.vectors[token]) for token, index in tokenizer.get_vocab().items()
             if token in vectors.vectors and token not in SPECIAL_TOKENS]
    if found:
        rows = torch.from_numpy(np.stack([vector for _, vector in found]))
        scale = model.config.initializer_range / float(rows.std())
        with torch.no_grad():
            table[torch.tensor([index for index, _ in found])] = rows * scale
    logger.info("%s: vectors for %d of %d characters", path, len(found), table.size(0))
    return len(found)


def pack_sequences(lines: Sequence[Line], tokenizer: Any, max_length: int) -> list[list[int]]:
    """``[CLS] a [SEP] b [SEP] ...`` sequences of consecutive lines, at most ``max_length`` ids."""
    vocab = tokenizer.get_vocab()
    unknown, cls, sep = tokenizer.unk_token_id, tokenizer.cls_token_id, tokenizer.sep_token_id
    sequences: list[list[int]] = []
    current = [cls]
    for line in chunk_lines(lines, max_length - 2):
        ids = [vocab.get(c, unknown) for c in line]
        if len(current) + len(ids) + 1 > max_length:
            sequences.append(current)
            current = [cls]
        current.extend([*ids, sep])
    if len(current) > 1:
        sequences.append(current)
    return sequences


class Masker:
    """Chooses and corrupts positions for the masked LM, reproducibly from a seed."""

    def __init__(self, tokenizer: Any, probability: float) -> None:
        self.special = torch.tensor(sorted(set(tokenizer.all_special_ids)))
        self.mask_id = tokenizer.mask_token_id
        self.pad_id = tokenizer.pad_token_id
        self.vocab_size = len(tokenizer)
        self.probability = probability

    def __call__(self, sequences: Sequence[list[int]], seed: int) -> dict[str, torch.Tensor]:
        generator = torch.Generator().manual_seed(seed)
        longest = max(len(s) for s in sequences)
        ids = torch.full((len(sequences), longest), self.pad_id, dtype=torch.long)
        for row, sequence in enumerate(sequences):
            ids[row, : len(sequence)] = torch.tensor(sequence)
        regular = ~torch.isin(ids, self.special)
        chosen = (torch.rand(ids.shape, generator=generator) < self.probability) & regular
        if not chosen.any():
            chosen = regular & (regular.cumsum(dim=1) == 1)
        roll = torch.rand(ids.shape, generator=generator)
        inputs = ids.masked_fill(chosen & (roll < 0.8), self.mask_id)
        swap = chosen & (roll >= 0.8) & (roll < 0.9)
        random_ids = torch.randint(self.vocab_size, ids.shape, generator=generator)
        inputs = torch.where(swap & ~torch.isin(random_ids, self.special), random_ids, inputs)
        return {
            "input_ids": inputs,
            "attention_mask": ids.ne(self.pad_id).long(),
            "labels": ids.masked_fill(~chosen, -100),
        }


def masked_lm_loss(model: Any, batch: dict[str, torch.Tensor]) -> tuple[torch.Tensor, int]:
    """Mean cross-entropy over the chosen positions and how many were right.

    The prediction head runs on the chosen positions only (15% of the tokens), not on all.
    """
    hidden = model.bert(
        input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]
    ).last_hidden_state
    chosen = batch["labels"].ne(-100)
    logits = model.cls(hidden[chosen])
    gold = batch["labels"][chosen]
    loss = torch.nn.functional.cross_entropy(logits, gold)
    return loss, int((logits.argmax(dim=-1) == gold).sum())


@torch.no_grad()
def evaluate(model: Any, masker: Masker, sequences: list[list[int]], batch_size: int) -> dict:
    """Held-out MLM loss (per masked character) and accuracy, with fixed masks."""
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    for start in range(0, len(sequences), batch_size):
        batch = masker(sequences[start : start + batch_size], seed=start)
        loss, right = masked_lm_loss(model, batch)
        n = int(batch["labels"].ne(-100).sum())
        total_loss += float(loss) * n
        correct += right
        count += n
    model.train()
    return {
        "held_out_mlm_loss": total_loss / count,
        "held_out_mlm_perplexity": math.exp(total_loss / count),
        "held_out_mlm_accuracy": correct / count,
        "held_out_masked_characters": count,
    }


def pretrain_bert(
    lines: Sequence[Line], run: RunDirectory, settings: BertPretrainSettings, seed: int,
    resume: bool = False,
) -> dict[str, Any]:
    """Train on ``lines``; save the model (safetensors) and tokenizer files into the run."""
    train, held_out = split_held_out(
        lines, settings.held_out_fraction, seed, settings.max_held_out_lines
    )
    torch.manual_seed(seed)
    model, tokenizer = build_model_and_tokenizer(train, settings, run.work)
    max_length = min(settings.max_length, model.config.max_position_embeddings)
    sequences = pack_sequences(train, tokenizer, max_length)
    masker = Masker(tokenizer, settings.mask_probability)

    def epoch_batches(epoch: int) -> list[list[list[int]]]:
        order = list(range(len(sequences)))
        random.Random(seed + epoch).shuffle(order)
        size = settings.batch_size
        return [[sequences[i] for i in order[s : s + size]] for s in range(0, len(order), size)]

    def loss_of(batch: list[list[int]], step: int) -> torch.Tensor:
        return masked_lm_loss(model, masker(batch, seed=seed * 1_000_003 + step))[0]

    batches_per_epoch = math.ceil(len(sequences) / settings.batch_size)
    loop = LoopSettings(
        max_steps=steps_for(settings.max_steps, settings.epochs, batches_per_epoch),
        learning_rate=settings.learning_rate, warmup_steps=settings.warmup_steps,
        weight_decay=settings.weight_decay, grad_norm=settings.grad_norm,
        checkpoint_every=settings.checkpoint_every, max_minutes=settings.max_minutes,
    )
    held_out_sequences = pack_sequences(held_out, tokenizer, max_length)

    def held_out_metrics() -> dict[str, float]:
        return evaluate(model, masker, held_out_sequences, settings.batch_size)

    result = train_steps(model, epoch_batches, loss_of, loop, run.checkpoint, resume, "bert",
                         settings.amp, held_out_metrics)
    metrics = {
        "steps": result.steps, "epochs": round(result.steps / batches_per_epoch, 3),
        "final_training_mlm_loss": result.final_loss, "training_seconds": result.seconds,
        "train_sequences": len(sequences), "held_out_lines": len(held_out),
        "vocab_size": len(tokenizer), **held_out_metrics(), "history": result.history,
    }
    model.save_pretrained(run.work)
    tokenizer.save_pretrained(run.work)
    write_vocab(tokenizer, run.work / "vocab.txt")
    return metrics


def write_vocab(tokenizer: Any, path: Path) -> None:
    """``vocab.txt`` (one token per line, in id order), which BertTokenizer reads."""
    tokens = sorted(tokenizer.get_vocab().items(), key=lambda item: item[1])
    path.write_text("".join(f"{token}\n" for token, _ in tokens), encoding="utf-8")
