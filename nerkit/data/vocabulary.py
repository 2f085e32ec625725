"""Vocabulary: the character index, the label index and the tag scheme, saved as JSON."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from nerkit.common.atomic import write_json_atomic
from nerkit.common.errors import ConfigurationError
from nerkit.data.normalization import normalize
from nerkit.data.sentence import Sentence
from nerkit.data.tag_schemes import check_scheme, labels_for
from nerkit.data.word2vec_file import read_word2vec

PADDING = "[PAD]"
UNKNOWN = "[UNK]"
VOCABULARY_FILE = "vocabulary.json"
# 2: tokens and labels inside vocabulary.json (1: tokens.txt and labels.txt, one per line).
FORMAT = 2


class Vocabulary:
    """Characters (index 0 is padding, 1 unknown), labels (index 0 is ``O``) and the tag scheme.

    Labels are every tag of the scheme over the entity types seen, so a scheme's ``S-`` tags exist
    even when the training data has no single-character entity. A character not in the vocabulary
    (rare in training, or unseen) maps to the unknown index 1.

    Args:
        tokens: Known characters, in index order, without the padding and unknown entries.
        entity_types: Entity types (``PER``, ``LOC``, ...).
        tag_scheme: ``BIO``, ``BIOES``, ``BMES`` or ``BIEO``.
        normalize_digits: ``token_index`` maps every digit to ``0`` first (tokens are stored
            normalised).
        normalize_width: ``token_index`` maps full-width ASCII variants to ASCII first.
    """

    def __init__(
        self,
        tokens: Sequence[str],
        entity_types: Sequence[str],
        tag_scheme: str,
        normalize_digits: bool = False,
        normalize_width: bool = False,
    ) -> None:
        self.normalize_digits = normalize_digits
        self.normalize_width = normalize_width
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
        normalize_digits: bool = False,
        normalize_width: bool = False,
    ) -> Vocabulary:
        """Count characters and entity types; keep characters seen ``min_count`` times or more.

        ``max_size`` keeps the most frequent (ties in character order); ``extra_tokens`` (e.g.
        the characters of a pretrained vector file) are added after them, beyond ``max_size``.
        With normalisation on, characters are counted (and extra tokens added) normalised.
        """
        options = {"digits": normalize_digits, "width": normalize_width}
        counts: Counter[str] = Counter()
        types: set[str] = set()
        for sentence in sentences:
            counts.update(sentence.chars)
            types.update(span.label for span in sentence.spans or [])
        if normalize_digits or normalize_width:
            normalized: Counter[str] = Counter()
            for token, count in counts.items():
                normalized[normalize(token, **options)] += count
            counts = normalized
        kept = [t for t, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if c >= min_count]
        if max_size is not None:
            kept = kept[:max_size]
        known = set(kept)
        extra = (normalize(t, **options) for t in extra_tokens)
        kept.extend(t for t in dict.fromkeys(extra) if t not in known)
        return cls(kept, sorted(types), tag_scheme, normalize_digits, normalize_width)

    @property
    def padding_index(self) -> int:
        return 0

    @property
    def unknown_index(self) -> int:
        return 1

    def token_index(self, token: str) -> int:
        """The index of ``token`` (normalised as configured); 1 when unknown."""
        if self.normalize_digits or self.normalize_width:
            token = normalize(token, width=self.normalize_width, digits=self.normalize_digits)
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
        """Write ``vocabulary.json`` (atomically) into ``directory``.

        Tokens are a JSON list with non-ASCII escaped, so any character survives: newline, tab,
        space, U+2028, emoji and even a lone surrogate.
        """
        directory = Path(directory)
        data = {
            "format": FORMAT,
            "tag_scheme": self.tag_scheme,
            "entity_types": self.entity_types,
            "normalize_digits": self.normalize_digits,
            "normalize_width": self.normalize_width,
            "labels": self.labels,
            "tokens": self.tokens[2:],
        }
        write_json_atomic(directory / VOCABULARY_FILE, data, ensure_ascii=True)

    @classmethod
    def load(cls, directory: str | Path) -> Vocabulary:
        """Read a saved vocabulary (also the older ``tokens.txt`` + ``labels.txt`` layout)."""
        directory = Path(directory)
        meta = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        if "tokens" in meta:
            tokens, saved_labels = meta["tokens"], meta["labels"]
        else:
            text = (directory / "tokens.txt").read_text(encoding="utf-8")
            tokens = text.split("\n")[:-1] if text else []
            saved_labels = (directory / "labels.txt").read_text(encoding="utf-8").split()
        vocab = cls(
            tokens, meta["entity_types"], meta["tag_scheme"],
            normalize_digits=meta.get("normalize_digits", False),
            normalize_width=meta.get("normalize_width", False),
        )
        if saved_labels != vocab.labels:
            raise ValueError(f"{directory}: saved labels do not match the tag scheme and types")
        return vocab


@dataclass(frozen=True)
class VocabularyConfig:
    """An experiment's ``vocabulary`` block: how the vocabulary is counted from training data.

    Args:
        tag_scheme: The model's tag scheme (``BIO``, ``BIOES``, ``BMES``, ``BIEO``).
        min_count: Characters seen fewer times map to the unknown index.
        max_size: Keep at most this many training characters (the most frequent).
        pretrained_file: A word2vec text or binary file whose single-character keys are added
            (beyond ``max_size``), so dev and test characters keep their pretrained vectors.
        normalize_digits: Map every digit to ``0`` (saved; ``token_index`` applies it).
        normalize_width: Map full-width ASCII variants to ASCII (saved; applied likewise).
    """

    tag_scheme: str = "BIO"
    min_count: int = 1
    max_size: int | None = None
    pretrained_file: str | None = None
    normalize_digits: bool = False
    normalize_width: bool = False

    def __post_init__(self) -> None:
        check_scheme(self.tag_scheme)
        if self.min_count < 1:
            raise ConfigurationError(f"min_count must be at least 1, got {self.min_count}")
        if self.max_size is not None and self.max_size < 1:
            raise ConfigurationError(f"max_size must be positive or null, got {self.max_size}")

    def build(self, sentences: Iterable[Sentence]) -> Vocabulary:
        """The vocabulary of ``sentences`` (the training data) under these settings."""
        extra: list[str] = []
        if self.pretrained_file is not None:
            vectors = read_word2vec(self.pretrained_file).vectors
            extra = [key for key in vectors if len(key) == 1]
        return Vocabulary.from_sentences(
            sentences, tag_scheme=self.tag_scheme, min_count=self.min_count,
            max_size=self.max_size, extra_tokens=extra, normalize_digits=self.normalize_digits,
            normalize_width=self.normalize_width,
        )


def build_vocabulary(
    sentences: Iterable[Sentence],
    tag_scheme: str = "BIO",
    min_count: int = 1,
    max_size: int | None = None,
    pretrained_file: str | None = None,
    normalize_digits: bool = False,
    normalize_width: bool = False,
) -> Vocabulary:
    """The vocabulary of training sentences (arguments as in ``VocabularyConfig``)."""
    return VocabularyConfig(tag_scheme, min_count, max_size, pretrained_file, normalize_digits,
                            normalize_width).build(sentences)
