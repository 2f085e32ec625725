"""Calibration of entity scores: expected calibration error (ECE) of predicted entities.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/calibration.py ARCHIVE [ARCHIVE ...] \
        [--data ../shared/data/msra/dev.bio] [--bins 10] [--output results/calibration.json]

Every predicted entity is a prediction "this span is an entity of this type" with confidence
``score``; it is correct when the gold data has exactly that span and type. ECE over ``bins``
equal-width confidence bins is ``sum_b (n_b / N) |accuracy_b - mean confidence_b|``. A table per
model shows the bins (reliability diagram as numbers).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import torch

from nerkit.archive import load_archive


def scored_predictions(archive_path: str, data: str, batch_size: int) -> list[tuple[float, bool]]:
    """(score, correct) for every entity the model predicts on ``data``."""
    archive = load_archive(archive_path)
    archive.reader.max_sentences = None
    sentences = [s for s in archive.reader.read(data) if len(s)]
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    pairs = []
    for start in range(0, len(order), batch_size):
        batch = [sentences[i] for i in order[start: start + batch_size]]
        for sentence, predicted in zip(batch, archive.model.predict_scored_spans(batch)):
            gold = set(sentence.spans or [])
            pairs.extend((score, span in gold) for span, score in predicted)
    return pairs


def calibration(pairs: list[tuple[float, bool]], bins: int) -> dict[str, Any]:
    """ECE, maximum calibration error and per-bin counts, accuracy and confidence."""
    table = []
    ece = mce = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [(s, c) for s, c in pairs if low <= s < high or (b == bins - 1 and s == 1.0)]
        if not members:
            continue
        accuracy = sum(c for _, c in members) / len(members)
        confidence = sum(s for s, _ in members) / len(members)
        gap = abs(accuracy - confidence)
        ece += len(members) / len(pairs) * gap
        mce = max(mce, gap)
        table.append({"bin": f"{low:.1f}-{high:.1f}", "count": len(members),
                      "accuracy": accuracy, "confidence": confidence})
    return {
        "entities": len(pairs),
        "precision": sum(c for _, c in pairs) / max(1, len(pairs)),
        "mean_confidence": sum(s for s, _ in pairs) / max(1, len(pairs)),
        "ece": ece, "mce": mce, "bins": table,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archives", nargs="+")
    parser.add_argument("--data", default="../shared/data/msra/dev.bio")
    parser.add_argument("--bins", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--output", help="write all figures as JSON here")
    args = parser.parse_args()
    torch.set_num_threads(1)
    report = {}
    for path in args.archives:
        started = time.perf_counter()
        decoder = load_archive(path).config["model"]["decoder"]["type"]
        result = calibration(scored_predictions(path, args.data, args.batch_size), args.bins)
        result["decoder"] = decoder
        result["seconds"] = time.perf_counter() - started
        report[path] = result
        print(f"\n{path} ({decoder}): {result['entities']} entities, precision "
              f"{result['precision']:.3f}, mean score {result['mean_confidence']:.3f}, "
              f"ECE {result['ece']:.4f}, MCE {result['mce']:.4f}")
        print("| bin | entities | accuracy | mean score |\n|---|---:|---:|---:|")
        for row in result["bins"]:
            print(f"| {row['bin']} | {row['count']} | {row['accuracy']:.3f} | "
                  f"{row['confidence']:.3f} |")
    if args.output:
        Path(args.output).write_text(json.dumps(report, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
