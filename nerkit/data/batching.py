"""Batches of sentences: length-bucketed (fast), random, or in file order; sharded for DDP.

``max_tokens`` caps a batch's padded size (sentences times the longest), so the few batches of
very long sentences do not set a process's peak memory: on MSRA one batch of 32 sentences of
up to 663 characters needed about 300 MB more than a typical batch.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from nerkit.common.errors import ConfigurationError
from nerkit.data.sentence import Sentence

SORTINGS = ("bucket", "random", "none")


@dataclass(frozen=True)
class DataLoaderConfig:
    """How sentences are grouped into batches.

    Args:
        batch_size: Sentences per batch.
        sorting: ``bucket`` groups sentences of similar length (about 2x faster for RNNs and
            CRFs), ``random`` shuffles freely, ``none`` keeps file order.
        shuffle: Shuffle batches each epoch (training only; the order depends on seed + epoch
            alone, so a resumed run sees the same batches).
        num_workers: Worker processes featurizing batches (0 = in the training process).
        max_tokens: Cut a batch into smaller ones where its sentences times its longest
            sentence exceed this (``null``: no limit). A sentence longer than this is a batch
            of its own.
    """

    batch_size: int = 32
    sorting: str = "bucket"
    shuffle: bool = True
    num_workers: int = 0
    max_tokens: int | None = None

    def __post_init__(self) -> None:
        if self.sorting not in SORTINGS:
            raise ConfigurationError(
                f"sorting must be one of {', '.join(SORTINGS)}, got {self.sorting!r}"
            )
        if self.batch_size < 1:
            raise ConfigurationError("batch_size must be at least 1")
        if self.max_tokens is not None and self.max_tokens < 1:
            raise ConfigurationError("max_tokens must be at least 1 or null")

    def for_validation(self) -> DataLoaderConfig:
        """The loader validation uses unless told otherwise: twice the batch, bucketed, in order."""
        return DataLoaderConfig(batch_size=self.batch_size * 2, sorting="bucket", shuffle=False,
                                max_tokens=self.max_tokens)


def cap_tokens(batch: Sequence[int], lengths: Sequence[int], max_tokens: int | None
               ) -> list[list[int]]:
    """``batch`` cut, in order, into pieces of at most ``max_tokens`` padded positions
    (sentences times the longest); a sentence longer than that is a piece of its own."""
    if max_tokens is None:
        return [list(batch)]
    pieces: list[list[int]] = []
    piece: list[int] = []
    longest = 0
    for index in batch:
        widest = max(longest, lengths[index])
        if piece and widest * (len(piece) + 1) > max_tokens:
            pieces.append(piece)
            piece, widest = [], lengths[index]
        piece.append(index)
        longest = widest
    if piece:
        pieces.append(piece)
    return pieces


def length_sorted_batches(
    lengths: Sequence[int], batch_size: int, max_tokens: int | None = None
) -> list[list[int]]:
    """Indices from shortest to longest in batches of at most ``batch_size`` sentences and
    ``max_tokens`` padded positions (prediction and evaluation)."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    return [piece for start in range(0, len(order), batch_size)
            for piece in cap_tokens(order[start: start + batch_size], lengths, max_tokens)]


def batch_indices(
    lengths: Sequence[int], batch_size: int, sorting: str, shuffle: bool, seed: int,
    max_tokens: int | None = None,
) -> list[list[int]]:
    """Index lists, one per batch, for one epoch; deterministic in ``seed``."""
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    if sorting == "bucket":
        if shuffle:
            rng.shuffle(order)  # ties between equal lengths are broken differently each epoch
        order.sort(key=lambda i: lengths[i])
    elif sorting == "random" and shuffle:
        rng.shuffle(order)
    batches = [piece for i in range(0, len(order), batch_size)
               for piece in cap_tokens(order[i: i + batch_size], lengths, max_tokens)]
    if shuffle:
        rng.shuffle(batches)
    return batches


def shard(
    batches: list[list[int]], rank: int, world_size: int, equal: bool = True
) -> list[list[int]]:
    """This rank's share. With ``equal`` (training: DDP needs the same number of steps on every
    rank) the first batches repeat to fill the last round; without it, each batch is used once."""
    if world_size == 1:
        return batches
    if not equal:
        return batches[rank::world_size]
    per_rank = -(-len(batches) // world_size)
    padded = batches + batches[: per_rank * world_size - len(batches)]
    return padded[rank::world_size]


class _Batches(torch.utils.data.Dataset):
    def __init__(self, sentences: Sequence[Sentence], batches: list[list[int]],
                 featurize: Callable[[Sequence[Sentence]], Any]) -> None:
        self.sentences = sentences
        self.batches = batches
        self.featurize = featurize

    def __len__(self) -> int:
        return len(self.batches)

    def __getitem__(self, index: int) -> Any:
        return self.featurize([self.sentences[i] for i in self.batches[index]])


def iterate_batches(
    sentences: Sequence[Sentence], featurize: Callable[[Sequence[Sentence]], Any],
    config: DataLoaderConfig, seed: int = 0, train: bool = True, rank: int = 0,
    world_size: int = 1, start: int = 0,
) -> tuple[Iterator[Any], int]:
    """An iterator over featurized batches and its length; ``start`` skips the epoch's first
    batches (a run resumed within an epoch sees exactly the batches it had not trained on)."""
    lengths = [len(s) for s in sentences]
    batches = batch_indices(
        lengths, config.batch_size, config.sorting, config.shuffle and train, seed,
        config.max_tokens,
    )
    batches = shard(batches, rank, world_size, equal=train)[start:]
    dataset = _Batches(sentences, batches, featurize)
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=None, shuffle=False, num_workers=config.num_workers
    )
    return iter(loader), len(batches)
