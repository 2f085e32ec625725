"""Metrics. Registered names: span_f1, token_accuracy."""

from nerkit.metrics.metric import Metric
from nerkit.metrics.span_f1 import SpanF1Metric
from nerkit.metrics.token_accuracy import TokenAccuracyMetric

__all__ = ["Metric", "SpanF1Metric", "TokenAccuracyMetric"]
