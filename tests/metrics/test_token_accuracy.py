import pytest
import torch

from nerkit.common.build import build_and_fill
from nerkit.metrics import Metric, TokenAccuracyMetric

PREDICTED = [["B-PER", "I-PER", "O"], ["O", "B-LOC"]]
GOLD = [["B-PER", "O", "O"], ["B-LOC", "B-LOC"]]


def test_accuracy_by_hand():
    metric = TokenAccuracyMetric()
    metric(PREDICTED, GOLD)
    assert metric.get_metric() == {"accuracy": pytest.approx(3 / 5)}


def test_ignore_outside_counts_only_entity_characters():
    metric = TokenAccuracyMetric(ignore_outside=True)
    metric(PREDICTED, GOLD)
    assert metric.get_metric()["accuracy"] == pytest.approx(2 / 3)


def test_empty_is_zero_and_reset():
    metric = TokenAccuracyMetric()
    assert metric.get_metric() == {"accuracy": 0.0}
    metric([["O"]], [["O"]])
    assert metric.get_metric(reset=True) == {"accuracy": 1.0}
    assert metric.get_metric() == {"accuracy": 0.0}


def test_accumulates_over_batches():
    metric = TokenAccuracyMetric()
    metric(PREDICTED[:1], GOLD[:1])
    metric(PREDICTED[1:], GOLD[1:])
    assert metric.get_metric()["accuracy"] == pytest.approx(3 / 5)


def test_state_round_trip_and_sum():
    first, second, both = TokenAccuracyMetric(), TokenAccuracyMetric(), TokenAccuracyMetric()
    first(PREDICTED[:1], GOLD[:1])
    second(PREDICTED[1:], GOLD[1:])
    both(PREDICTED, GOLD)
    state = first.state_tensor() + second.state_tensor()
    assert state.dtype == torch.float64
    torch.testing.assert_close(state, torch.tensor([3.0, 5.0], dtype=torch.float64))
    merged = TokenAccuracyMetric()
    merged.load_state_tensor(state)
    assert merged.get_metric() == both.get_metric()


def test_built_from_config_with_defaults_written():
    metric, filled = build_and_fill({"type": "token_accuracy"}, Metric)
    assert isinstance(metric, TokenAccuracyMetric)
    assert filled == {"type": "token_accuracy", "ignore_outside": False}
