"""Probe: does label consistency over nearby sentences recover missed repeated names on dev?

    python results/errors/consistency_probe.py ARCHIVE DEV

Every entity string (2+ characters) the model predicted within WINDOW sentences of a sentence
is tagged wherever it occurs unlabelled in that sentence (longest first, with the type it got
most often; MIN_VOTES: how often it must have been predicted). Prints dev F1, P, R for each
setting. A probe of a post-processing that was not adopted (README, "Where the errors are").
"""

from __future__ import annotations

import re
import sys

from nerkit.archive import load_archive
from nerkit.predictor import Predictor

Entity = tuple[int, int, str]


def score(predicted: list[set[Entity]], gold: list[set[Entity]]) -> tuple[float, ...]:
    correct = sum(len(p & g) for p, g in zip(predicted, gold))
    precision = correct / sum(map(len, predicted))
    recall = correct / sum(map(len, gold))
    f1 = 2 * precision * recall / (precision + recall)
    return tuple(round(100 * x, 2) for x in (f1, precision, recall))


def consistent(texts: list[str], predicted: list[set[Entity]], window: int, min_votes: int,
               min_length: int = 2) -> list[set[Entity]]:
    result = []
    for i, text in enumerate(texts):
        votes: dict[str, dict[str, int]] = {}
        for j in range(max(0, i - window), min(len(texts), i + window + 1)):
            for start, end, label in predicted[j]:
                name = texts[j][start:end]
                if len(name) >= min_length:
                    by_type = votes.setdefault(name, {})
                    by_type[label] = by_type.get(label, 0) + 1
        entities = set(predicted[i])
        taken = [False] * len(text)
        for start, end, _ in entities:
            taken[start:end] = [True] * (end - start)
        for name in sorted(votes, key=len, reverse=True):
            label, count = max(votes[name].items(), key=lambda item: item[1])
            if count < min_votes:
                continue
            for match in re.finditer(re.escape(name), text):
                start, end = match.span()
                if not any(taken[start:end]):
                    entities.add((start, end, label))
                    taken[start:end] = [True] * (end - start)
        result.append(entities)
    return result


def main() -> None:
    archive = load_archive(sys.argv[1])
    sentences = archive.reader.read(sys.argv[2])
    texts = ["".join(s.chars) for s in sentences]
    results = Predictor(archive.model, archive.reader).predict_batch(texts, batch_size=64)
    predicted = [{(e["start"], e["end"], e["type"]) for e in r["entities"]} for r in results]
    gold = [{(s.start, s.end, s.label) for s in sentence.spans} for sentence in sentences]
    print("window min_votes F1 P R")
    print("none", "-", *score(predicted, gold))
    for window in (10, 20, 50):
        for min_votes in (1, 2):
            print(window, min_votes, *score(consistent(texts, predicted, window, min_votes), gold))


if __name__ == "__main__":
    main()
