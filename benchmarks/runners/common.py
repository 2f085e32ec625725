"""Helpers shared by every benchmark runner; standard library only (runners use two venvs).

A runner is one subprocess measuring one system. It reads BIO column files, trains for a
number of epochs (timing each), predicts, and prints one JSON object as its last stdout line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Span = tuple[int, int, str]  # start, end (exclusive), label


@dataclass
class Corpus:
    """Sentences of a BIO file: characters and gold spans."""

    chars: list[list[str]] = field(default_factory=list)
    spans: list[list[Span]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.chars)

    @property
    def num_chars(self) -> int:
        return sum(len(c) for c in self.chars)


def read_bio(path: str) -> Corpus:
    """``CHAR<TAB>TAG`` lines, a blank line between sentences."""
    corpus = Corpus()
    chars: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\r\n")
            if line.strip():
                char, tag = line.rsplit("\t", 1) if "\t" in line else line.split()
                chars.append(char)
                tags.append(tag)
            elif chars:
                corpus.chars.append(chars)
                corpus.spans.append(bio_to_spans(tags))
                chars, tags = [], []
    if chars:
        corpus.chars.append(chars)
        corpus.spans.append(bio_to_spans(tags))
    return corpus


@dataclass
class CorpusSize:
    """How many sentences and characters a BIO file holds (what ``training_record`` needs)."""

    sentences: int = 0
    num_chars: int = 0

    def __len__(self) -> int:
        return self.sentences


def bio_size(path: str) -> CorpusSize:
    """Count a BIO file's sentences and characters without holding them in memory."""
    size = CorpusSize()
    in_sentence = False
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                size.num_chars += 1
                in_sentence = True
            elif in_sentence:
                size.sentences += 1
                in_sentence = False
    size.sentences += in_sentence
    return size


def bio_to_spans(tags: Sequence[str]) -> list[Span]:
    """Strict IOB2 entities: ``B-X`` starts one, ``I-X`` continues it; stray ``I-X`` are dropped."""
    spans: list[Span] = []
    start, label = -1, ""
    for position, tag in enumerate(list(tags) + ["O"]):
        if label and tag != f"I-{label}":
            spans.append((start, position, label))
            label = ""
        if tag.startswith("B-"):
            start, label = position, tag[2:]
    return spans


def spans_to_bio(spans: Sequence[Span], length: int) -> list[str]:
    tags = ["O"] * length
    for start, end, label in spans:
        tags[start] = f"B-{label}"
        for position in range(start + 1, end):
            tags[position] = f"I-{label}"
    return tags


def span_f1(gold: Sequence[Sequence[Span]], predicted: Sequence[Sequence[Span]]) -> dict:
    """Exact-match entity precision, recall and F1 (the same counting as seqeval strict)."""
    gold_set = {(i, *s) for i, spans in enumerate(gold) for s in spans}
    predicted_set = {(i, *s) for i, spans in enumerate(predicted) for s in spans}
    correct = len(gold_set & predicted_set)
    precision = correct / len(predicted_set) if predicted_set else 0.0
    recall = correct / len(gold_set) if gold_set else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def runner_arguments(description: str) -> argparse.ArgumentParser:
    """The arguments every runner takes (the harness passes the same values to all)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--train", required=True, help="BIO training file (already subset)")
    parser.add_argument("--dev", required=True, help="BIO development file (already subset)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--predict-batch-size", type=int, default=64)
    parser.add_argument("--latency-sentences", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workdir", required=True, help="scratch directory for this runner")
    return parser


def set_threads(threads: int) -> None:
    """Thread caps for BLAS/OpenMP; call before importing torch."""
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[name] = str(threads)


def timed(function: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def latency_ms(predict_one: Callable[[list[str]], object], sentences: Sequence[list[str]]) -> float:
    """Median milliseconds to predict one sentence alone (batch 1), after one warm-up call."""
    if not sentences:
        return float("nan")
    predict_one(sentences[0])
    times = []
    for chars in sentences:
        _, seconds = timed(lambda chars=chars: predict_one(chars))
        times.append(seconds * 1000)
    return statistics.median(times)


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size of this process, or of its largest finished child (Linux: KiB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def training_record(train: Corpus | CorpusSize, epoch_seconds: Sequence[float]) -> dict:
    """Throughput of the median epoch (the first one also pays warm-up costs)."""
    typical = statistics.median(epoch_seconds)
    return {
        "train_sentences": len(train),
        "train_chars": train.num_chars,
        "epochs": len(epoch_seconds),
        "epoch_seconds": [round(s, 3) for s in epoch_seconds],
        "epoch_seconds_median": round(typical, 3),
        "train_seconds": round(sum(epoch_seconds), 3),
        "train_sentences_per_s": len(train) / typical,
        "train_chars_per_s": train.num_chars / typical,
    }


def prediction_record(dev: Corpus, predicted: Sequence[Sequence[Span]], seconds: float) -> dict:
    record = {f"dev_{k}": v for k, v in span_f1(dev.spans, predicted).items()}
    record.update(
        dev_sentences=len(dev),
        predict_seconds=round(seconds, 3),
        predict_sentences_per_s=len(dev) / seconds,
        predict_chars_per_s=dev.num_chars / seconds,
    )
    return record


def emit(record: dict) -> None:
    """Print the runner's result as the last line of stdout, with the peak RSS (data-loader
    worker processes, if any, are reported apart)."""
    record["peak_rss_mb"] = round(peak_rss_mb(), 1)
    children = peak_rss_mb(resource.RUSAGE_CHILDREN)
    if children:
        record["peak_rss_mb_largest_child"] = round(children, 1)
    print(json.dumps(record), flush=True)
