"""Vocabulary: the character index, the label index and the tag scheme, saved as plain text."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from nerkit.data.sentence import Sentence
from nerkit.data.tag_schemes import check_scheme, labels_for

PADDING = "[PAD]"
UNKNOWN = "[UNK]"


class Vocabulary:
    """Characters (index 0 is padding, 1 unknown), labels (index 0 is ``O``) and the tag scheme.

    Labels are every tag of the scheme over the entity types seen, so a scheme's ``S-`` tags exist
    even when the training data has no single-character entity.

    Args:
        tokens: Known characters, in index order, without the padding and unknown entries.
        entity_types: Entity types (``PER``, ``LOC``, ...).
        tag_scheme: ``BIO``, ``BIOES``, ``BMES`` or ``BIEO``.
    """

    def __init__(self, tokens: Sequence[str], entity_types: Sequence[str], tag_scheme: str) -> None:
        self.tag_scheme = check_scheme(tag_scheme)
        self.entity_types = sorted(set(entity_types))
        self.tokens = [PADDING, UNKNOWN] + [t for t in tokens if t not in (PADDING, UNKNOWN)]
        self._token_index = {t: i for i, t in enumerate(self.tokens)}
        self.labels = labels_for(self.entity_types, self.tag_scheme)
        self._label_index = {label: i for i, label in enumerate(self.labels)}

    @classmethod
    def from_sentences(
        cls,
        sentences: Iterable[Sentence],
        tag_scheme: str = "BIO",
        min_count: int = 1,
        max_size: int | None = None,
        extra_tokens: Iterable[str] = (),
    ) -> Vocabulary:
        """Count characters and entity types; keep characters seen ``min_count`` times or more."""
        counts: Counter[str] = Counter()
        types: set[str] = set()
        for sentence in sentences:
            counts.update(sentence.chars)
            types.update(span.label for span in sentence.spans or [])
        kept = [t for t, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if c >= min_count]
        if max_size is not None:
            kept = kept[:max_size]
        known = set(kept)
        kept.extend(t for t in dict.fromkeys(extra_tokens) if t not in known)
        return cls(kept, sorted(types), tag_scheme)

    @property
    def padding_index(self) -> int:
        return 0

    @property
    def unknown_index(self) -> int:
        return 1

    def token_index(self, token: str) -> int:
        return self._token_index.get(token, 1)

    def label_index(self, label: str) -> int:
        try:
            return self._label_index[label]
        except KeyError:
            raise KeyError(
                f"label {label!r} is not in the vocabulary (labels: {', '.join(self.labels)})"
            ) from None

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def num_labels(self) -> int:
        return len(self.labels)

    def save(self, directory: str | Path) -> None:
        """Write ``tokens.txt``, ``labels.txt`` and ``vocabulary.json`` into ``directory``."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "tokens.txt").write_text("\n".join(self.tokens[2:]) + "\n", encoding="utf-8")
        (directory / "labels.txt").write_text("\n".join(self.labels) + "\n", encoding="utf-8")
        meta = {"tag_scheme": self.tag_scheme, "entity_types": self.entity_types}
        (directory / "vocabulary.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> Vocabulary:
        directory = Path(directory)
        meta = json.loads((directory / "vocabulary.json").read_text(encoding="utf-8"))
        text = (directory / "tokens.txt").read_text(encoding="utf-8")
        tokens = text.split("\n")[:-1] if text else []
        vocab = cls(tokens, meta["entity_types"], meta["tag_scheme"])
        saved_labels = (directory / "labels.txt").read_text(encoding="utf-8").split()
        if saved_labels != vocab.labels:
            raise ValueError(f"{directory}: labels.txt does not match the tag scheme and types")
        return vocab
