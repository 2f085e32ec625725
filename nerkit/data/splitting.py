"""Deterministic dataset splits: shuffled by a seed, or in file order at article boundaries.

``split_by_article`` reproduces a paper's "80/20 in file order" split from one file: it cuts at
the article boundary whose instance count is nearest to each ratio, so no article is divided.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from nerkit.data.sentence import Sentence


def normalize_ratios(ratios: Sequence[float]) -> list[float]:
    """Ratios as fractions summing to one (``[8, 2]`` -> ``[0.8, 0.2]``)."""
    if len(ratios) < 2 or any(r <= 0 for r in ratios):
        raise ValueError(f"expected two or more positive ratios, got {list(ratios)}")
    total = float(sum(ratios))
    return [r / total for r in ratios]


def _cut_points(total: int, ratios: Sequence[float]) -> list[int]:
    fractions = normalize_ratios(ratios)
    cumulative, points = 0.0, []
    for fraction in fractions[:-1]:
        cumulative += fraction
        points.append(round(cumulative * total))
    return points


def split_random(
    sentences: Sequence[Sentence], ratios: Sequence[float], seed: int = 13
) -> list[list[Sentence]]:
    """Shuffle with ``random.Random(seed)``, cut by ``ratios``; each part keeps file order."""
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    bounds = [0, *_cut_points(len(order), ratios), len(order)]
    return [[sentences[i] for i in sorted(order[a:b])] for a, b in zip(bounds, bounds[1:])]


def split_by_article(
    sentences: Sequence[Sentence], ratios: Sequence[float], key: str = "article"
) -> list[list[Sentence]]:
    """Cut in file order at the boundaries of ``meta[key]`` nearest to the ratios.

    Raises:
        ValueError: A sentence has no ``meta[key]``, or there are fewer articles than parts.
    """
    boundaries = [0]
    for index, sentence in enumerate(sentences):
        if key not in sentence.meta:
            raise ValueError(
                f"sentence {index} has no meta[{key!r}]; read the file with a reader that marks "
                "articles (pfr1998, or conll with -DOCSTART- lines) or split by ratio"
            )
        if index and sentence.meta[key] != sentences[index - 1].meta[key]:
            boundaries.append(index)
    boundaries.append(len(sentences))
    if len(boundaries) - 1 < len(ratios):
        raise ValueError(f"{len(boundaries) - 1} articles cannot make {len(ratios)} parts")
    cuts: list[int] = []
    for target in _cut_points(len(sentences), ratios):
        free = [b for b in boundaries[1:-1] if b > (cuts[-1] if cuts else 0)]
        cuts.append(min(free, key=lambda b: (abs(b - target), b)))
    bounds = [0, *cuts, len(sentences)]
    return [list(sentences[a:b]) for a, b in zip(bounds, bounds[1:])]
