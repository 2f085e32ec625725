"""Batches of sentences: length-bucketed (fast), random, or in file order; sharded for DDP."""

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
    """

    batch_size: int = 32
    sorting: str = "bucket"
    shuffle: bool = True
    num_workers: int = 0

    def __post_init__(self) -> None:
        if self.sorting not in SORTINGS:
            raise ConfigurationError(
                f"sorting must be one of {', '.join(SORTINGS)}, got {self.sorting!r}"
            )
        if self.batch_size < 1:
            raise ConfigurationError("batch_size must be at least 1")

    def for_validation(self) -> DataLoaderConfig:
        """The loader validation uses unless told otherwise: twice the batch, bucketed, in order."""
        return DataLoaderConfig(batch_size=self.batch_size * 2, sorting="bucket", shuffle=False)


def batch_indices(
    lengths: Sequence[int], batch_size: int, sorting: str, shuffle: bool, seed: int
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
    batches = [order[i: i + batch_size] for i in range(0, len(order), batch_size)]
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
        lengths, config.batch_size, config.sorting, config.shuffle and train, seed
    )
    batches = shard(batches, rank, world_size, equal=train)[start:]
    dataset = _Batches(sentences, batches, featurize)
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=None, shuffle=False, num_workers=config.num_workers
    )
    return iter(loader), len(batches)
