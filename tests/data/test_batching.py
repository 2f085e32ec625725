"""Batching: bucketed, random or file order; deterministic per seed; shards for DDP."""

from __future__ import annotations

import pytest

from nerkit.common.errors import ConfigurationError
from nerkit.data.batching import (
    DataLoaderConfig,
    batch_indices,
    cap_tokens,
    iterate_batches,
    length_sorted_batches,
    shard,
)
from nerkit.data.sentence import Sentence

LENGTHS = [5, 1, 9, 3, 7, 2, 8, 4, 6]


def flatten(batches):
    return [index for batch in batches for index in batch]


@pytest.mark.parametrize("sorting", ["bucket", "random", "none"])
@pytest.mark.parametrize("shuffle", [False, True])
def test_every_sentence_once_in_batches_of_the_size(sorting, shuffle):
    batches = batch_indices(LENGTHS, 4, sorting, shuffle, seed=3)
    assert sorted(flatten(batches)) == list(range(len(LENGTHS)))
    assert sorted(len(b) for b in batches) == [1, 4, 4]


def test_bucket_groups_similar_lengths():
    batches = batch_indices(LENGTHS, 3, "bucket", False, seed=0)
    assert [[LENGTHS[i] for i in batch] for batch in batches] == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    shuffled = batch_indices(LENGTHS, 3, "bucket", True, seed=0)
    assert sorted(sorted(LENGTHS[i] for i in b) for b in shuffled) == [[1, 2, 3], [4, 5, 6],
                                                                        [7, 8, 9]]


def test_none_keeps_file_order():
    assert flatten(batch_indices(LENGTHS, 4, "none", False, seed=0)) == list(range(9))


def test_order_depends_on_the_seed_alone():
    first = batch_indices(LENGTHS, 2, "random", True, seed=7)
    assert batch_indices(LENGTHS, 2, "random", True, seed=7) == first
    assert any(batch_indices(LENGTHS, 2, "random", True, seed=s) != first for s in range(8, 12))


def test_equal_shards_repeat_the_first_batches():
    batches = [[0], [1], [2], [3], [4]]
    shards = [shard(batches, rank, 2) for rank in (0, 1)]
    assert shards == [[[0], [2], [4]], [[1], [3], [0]]]
    assert [shard(batches, rank, 2, equal=False) for rank in (0, 1)] == [[[0], [2], [4]],
                                                                        [[1], [3]]]
    assert shard(batches, 0, 1) is batches


def test_iterate_batches_featurizes_each_batch():
    sentences = [Sentence(list("x" * n)) for n in LENGTHS]
    config = DataLoaderConfig(batch_size=4, sorting="none", shuffle=True)
    iterator, count = iterate_batches(sentences, lambda batch: [len(s) for s in batch], config,
                                      train=False)
    assert count == 3 and list(iterator) == [LENGTHS[:4], LENGTHS[4:8], LENGTHS[8:]]


def test_validation_loader_defaults():
    assert DataLoaderConfig(batch_size=5, sorting="random").for_validation() == DataLoaderConfig(
        batch_size=10, sorting="bucket", shuffle=False)


def test_token_cap_cuts_batches_in_order():
    # padded size = pieces' sentences x their longest; a sentence over the cap stands alone
    assert cap_tokens([1, 5, 3, 8, 0], LENGTHS, 12) == [[1, 5, 3], [8, 0]]
    assert cap_tokens([2, 4, 6], LENGTHS, 12) == [[2], [4], [6]]
    assert cap_tokens([2, 4, 6], LENGTHS, None) == [[2, 4, 6]]


@pytest.mark.parametrize("sorting", ["bucket", "random", "none"])
def test_capped_batches_keep_every_sentence_once(sorting):
    batches = batch_indices(LENGTHS, 4, sorting, True, seed=5, max_tokens=14)
    assert sorted(flatten(batches)) == list(range(len(LENGTHS)))
    assert all(len(b) == 1 or len(b) * max(LENGTHS[i] for i in b) <= 14 for b in batches)
    assert len(batches) > 3


def test_length_sorted_batches_for_prediction():
    batches = length_sorted_batches(LENGTHS, 3, max_tokens=16)
    assert [[LENGTHS[i] for i in b] for b in batches] == [[1, 2, 3], [4, 5], [6], [7, 8], [9]]
    assert length_sorted_batches(LENGTHS, 3) == batch_indices(LENGTHS, 3, "bucket", False, 0)


def test_validation_keeps_the_token_cap():
    assert DataLoaderConfig(max_tokens=500).for_validation().max_tokens == 500


@pytest.mark.parametrize(("options", "fragment"), [({"sorting": "sorted"}, "sorting must be"),
                                                   ({"batch_size": 0}, "at least 1"),
                                                   ({"max_tokens": 0}, "max_tokens")])
def test_bad_settings_are_config_errors(options, fragment):
    with pytest.raises(ConfigurationError, match=fragment):
        DataLoaderConfig(**options)
