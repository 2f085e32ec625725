"""Figures about a read dataset: sizes, entities per type, lengths, scheme, problems."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from nerkit.data.sentence import Sentence

PERCENTILES = (50, 90, 95, 99, 100)


def percentile(sorted_values: Sequence[int], q: float) -> int:
    """The nearest-rank ``q``-th percentile of already sorted values (0 when empty)."""
    if not sorted_values:
        return 0
    rank = max(1, -(-len(sorted_values) * q // 100))
    return sorted_values[int(rank) - 1]


def dataset_stats(
    sentences: Sequence[Sentence], tag_scheme: str | None = None,
    problems: Sequence[tuple[str, int, str]] = (),
    repaired: Sequence[tuple[str, int, str]] = (),
) -> dict[str, Any]:
    """A JSON-ready summary of ``sentences``, of the problems the reader skipped and of the
    sentences it read leniently (``repaired``)."""
    lengths = sorted(len(s) for s in sentences)
    types: Counter[str] = Counter()
    entity_lengths: list[int] = []
    for sentence in sentences:
        for span in sentence.spans or []:
            types[span.label] += 1
            entity_lengths.append(span.end - span.start)
    entity_lengths.sort()
    return {
        "sentences": len(sentences),
        "characters": sum(lengths),
        "distinct_characters": len({c for s in sentences for c in s.chars}),
        "entities": sum(types.values()),
        "entities_per_type": dict(sorted(types.items())),
        "sentences_with_entities": sum(1 for s in sentences if s.spans),
        "sentence_length": {f"p{q}": percentile(lengths, q) for q in PERCENTILES},
        "sentences_over_510": sum(1 for n in lengths if n > 510),
        "entity_length": {f"p{q}": percentile(entity_lengths, q) for q in PERCENTILES},
        "tag_scheme": tag_scheme,
        "problems": len(problems),
        "problem_examples": [f"{f}:{line}: {message}" for f, line, message in problems[:10]],
        "repaired": len(repaired),
    }


def format_stats(stats: dict[str, Any]) -> str:
    """``stats`` as aligned text lines."""
    lines = [
        f"sentences            {stats['sentences']:,}",
        f"characters           {stats['characters']:,}",
        f"distinct characters  {stats['distinct_characters']:,}",
        f"entities             {stats['entities']:,}",
    ]
    lines += [f"  {label:<18} {count:,}" for label, count in stats["entities_per_type"].items()]
    lines.append(f"sentences w/ entity  {stats['sentences_with_entities']:,}")
    for name in ("sentence_length", "entity_length"):
        figures = "  ".join(f"{k}={v}" for k, v in stats[name].items())
        lines.append(f"{name.replace('_', ' '):<20} {figures}")
    lines.append(f"sentences over 510   {stats['sentences_over_510']:,}")
    lines.append(f"tag scheme           {stats['tag_scheme'] or 'n/a (the format has spans)'}")
    if stats["repaired"]:
        lines.append(f"read leniently       {stats['repaired']:,} sentences")
    lines.append(f"problems             {stats['problems']:,}")
    lines += [f"  {example}" for example in stats["problem_examples"]]
    return "\n".join(lines)
