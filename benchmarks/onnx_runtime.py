"""torch vs ONNX (float and int8) on a dev set: identical predictions, F1, throughput.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/onnx_runtime.py ARCHIVE \
        [--data ../shared/data/msra/dev.bio] [--batch-one-sentences 1000] [--threads 1] \
        [--output results/onnx.json]

- Identical: the share of sentences whose predicted entities (spans and types) are the same
  as torch's, float ONNX and int8 ONNX.
- F1: exact-match span F1 against the gold entities, per runtime.
- Throughput: sentences/s through ``Predictor.predict_batch`` on raw text (featurizing and
  decoding included), at batch 64 over the whole file and at batch 1 over its first
  ``--batch-one-sentences`` sentences; the better of ``--repeats`` runs.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from nerkit.archive import load_archive
from nerkit.data.sentence import Sentence
from nerkit.export.onnx_export import export_onnx
from nerkit.export.onnx_predictor import load_onnx_predictor
from nerkit.predictor import Predictor


def spans_by_sentence(model: Any, sentences: Sequence[Sentence], batch_size: int = 64) -> list:
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    found: list = [None] * len(sentences)
    for start in range(0, len(order), batch_size):
        indices = order[start: start + batch_size]
        for index, spans in zip(indices, model.predict_spans([sentences[i] for i in indices])):
            found[index] = set(spans)
    return found


def span_f1(predicted: list[set], sentences: Sequence[Sentence]) -> float:
    correct = sum(len(p & set(s.spans or [])) for p, s in zip(predicted, sentences))
    guessed = sum(len(p) for p in predicted)
    gold = sum(len(s.spans or []) for s in sentences)
    precision, recall = correct / max(1, guessed), correct / max(1, gold)
    return 2 * precision * recall / max(1e-12, precision + recall)


def throughput(predictor: Predictor, texts: list[str], batch_size: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        predictor.predict_batch(texts, batch_size=batch_size)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive")
    parser.add_argument("--data", default="../shared/data/msra/dev.bio")
    parser.add_argument("--batch-one-sentences", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--output")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    archive = load_archive(args.archive)
    archive.reader.max_sentences = None
    sentences = [s for s in archive.reader.read(args.data) if len(s)]
    texts = [s.text for s in sentences]
    with tempfile.TemporaryDirectory() as scratch:
        export_onnx(args.archive, Path(scratch) / "float")
        export_onnx(args.archive, Path(scratch) / "int8", quantize="int8")
        predictors = {
            "torch": Predictor(archive.model, archive.reader),
            "onnx": load_onnx_predictor(Path(scratch) / "float"),
            "onnx-int8": load_onnx_predictor(Path(scratch) / "int8"),
        }
    reference = spans_by_sentence(archive.model, sentences)
    report: dict[str, Any] = {"archive": args.archive, "data": args.data,
                              "sentences": len(sentences), "threads": args.threads}
    for name, predictor in predictors.items():
        predicted = spans_by_sentence(predictor.model, sentences)
        identical = sum(p == r for p, r in zip(predicted, reference)) / len(sentences)
        report[name] = {
            "identical_to_torch": identical,
            "f1": span_f1(predicted, sentences),
            "sentences_per_s_batch_64": throughput(predictor, texts, 64, args.repeats),
            "sentences_per_s_batch_1": throughput(
                predictor, texts[: args.batch_one_sentences], 1, args.repeats),
        }
        row = report[name]
        print(f"{name:10s} identical {100 * row['identical_to_torch']:.2f}%  F1 "
              f"{100 * row['f1']:.2f}  batch 64: {row['sentences_per_s_batch_64']:.0f}/s  "
              f"batch 1: {row['sentences_per_s_batch_1']:.0f}/s", flush=True)
    if args.output:
        Path(args.output).write_text(json.dumps(report, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
