"""Text in, entities out: character offsets into the original text, batched and length-sorted."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import torch

from nerkit.archive import load_archive
from nerkit.common.errors import ConfigurationError
from nerkit.common.precision import amp_dtype, autocast
from nerkit.data.batching import length_sorted_batches
from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.sentence import Sentence, Span
from nerkit.data.tag_schemes import spans_to_tags
from nerkit.lexicon.entity_dictionary import EntityDictionary
from nerkit.metrics.span_f1 import scored_entities
from nerkit.models.model import Model, move_to_device

# Padded characters per prediction batch: 64 texts of 128 characters. MSRA dev's batches of
# 64 texts of up to 700 characters otherwise took about 120 MB more than a typical batch.
PREDICT_MAX_TOKENS = 64 * 128


class Predictor:
    """Runs a trained model on raw text through the reader's ``text_to_sentence``.

    Each result is ``{"text": ..., "entities": [{"start", "end", "type", "text"}]}`` with ``end``
    exclusive, offsets into the text as given. With ``scores`` each entity also has ``"score"``:
    the model's probability that the span is an entity of that type. A batch holds at most
    ``max_tokens`` padded characters (texts times the longest; ``None``: no limit), so a batch
    of very long texts does not set the process's peak memory. ``amp="bf16"`` predicts under
    bfloat16 autocast where the device has it (``nerkit.common.precision``). A ``dictionary``
    (``EntityDictionary``) merges a user's entity names into every result. ``n_best=K`` adds
    ``"n_best"``: the model's K most probable analyses, ``[{"entities", "probability"}]``, most
    probable first (decoders that have them: ``crf``).
    """

    def __init__(self, model: Model, reader: DatasetReader, scores: bool = False,
                 max_tokens: int | None = PREDICT_MAX_TOKENS, amp: str | None = None,
                 dictionary: EntityDictionary | None = None, n_best: int = 0) -> None:
        self.model = model.eval()
        self.reader = reader
        self.scores = scores
        self.dictionary = dictionary
        self.n_best = n_best
        self.max_tokens = max_tokens
        parameters = getattr(model, "parameters", None)  # None: a stand-in such as OnnxTagger
        self.device = next(parameters()).device if parameters else torch.device("cpu")
        self.amp_dtype = amp_dtype(amp, self.device)

    @classmethod
    def from_archive(cls, path: str | Path, device: str = "cpu", scores: bool = False,
                     max_tokens: int | None = PREDICT_MAX_TOKENS, amp: str | None = None,
                     dictionary: EntityDictionary | None = None, n_best: int = 0) -> Predictor:
        archive = load_archive(path, device=device)
        return cls(archive.model, archive.reader, scores=scores, max_tokens=max_tokens, amp=amp,
                   dictionary=dictionary, n_best=n_best)

    def predict(self, text: str) -> dict[str, Any]:
        return self.predict_batch([text])[0]

    def predict_batch(self, texts: Sequence[str], batch_size: int = 64,
                      n_best: int | None = None) -> list[dict[str, Any]]:
        """Predict many texts; batches are formed from length-sorted texts for speed.
        ``n_best`` overrides the predictor's for this call (0: no n-best list)."""
        k = self.n_best if n_best is None else n_best
        results: list[dict[str, Any] | None] = [None] * len(texts)
        lengths = [len(text) for text in texts]
        for indices in length_sorted_batches(lengths, batch_size, self.max_tokens):
            for index, result in zip(indices,
                                     self._predict_sorted([texts[i] for i in indices], k)):
                results[index] = result
        return [r for r in results if r is not None]

    def predict_stream(
        self, texts: Iterable[str], batch_size: int = 64
    ) -> Iterator[dict[str, Any]]:
        """Predict an iterable of texts lazily, a chunk of ``batch_size * 16`` at a time."""
        chunk: list[str] = []
        for text in texts:
            chunk.append(text)
            if len(chunk) == batch_size * 16:
                yield from self.predict_batch(chunk, batch_size)
                chunk = []
        if chunk:
            yield from self.predict_batch(chunk, batch_size)

    def _predict_sorted(self, texts: Sequence[str], n_best: int) -> list[dict[str, Any]]:
        sentences = [self.reader.text_to_sentence(t) for t in texts]
        nonempty = [s for s in sentences if len(s)]
        spans = iter(self._spans(nonempty) if nonempty else [])
        alternatives = iter(self._n_best(nonempty, n_best) if nonempty and n_best else [])
        results = []
        for text, sentence in zip(texts, sentences):
            predicted = next(spans) if len(sentence) else []
            entities = _entities([span for span, _ in predicted], sentence, text,
                                 [score for _, score in predicted])
            if self.dictionary is not None:
                entities = self.dictionary.apply(text, entities)
            result: dict[str, Any] = {"text": text, "entities": entities}
            if n_best:
                analyses = next(alternatives) if len(sentence) else [([], 1.0)]
                result["n_best"] = [
                    {"entities": _entities(found, sentence, text),
                     "probability": float(f"{p:.6g}")}  # 6 significant digits: they get tiny
                    for found, p in analyses
                ]
            results.append(result)
        return results

    def _n_best(
        self, sentences: Sequence[Sentence], k: int
    ) -> list[list[tuple[list[Span], float]]]:
        try:
            with autocast(self.device, self.amp_dtype):
                return self.model.predict_n_best(sentences, k)
        except NotImplementedError as error:
            raise ConfigurationError(f"n-best: {error}") from None

    def _spans(
        self, sentences: Sequence[Sentence]
    ) -> Sequence[Sequence[tuple[Span, float | None]]]:
        """(span, score) pairs per sentence; score None unless scores were asked for."""
        with autocast(self.device, self.amp_dtype):
            if self.scores:
                return self.model.predict_scored_spans(sentences)
            rows = self.model.predict_spans(sentences)
        return [[(span, None) for span in row] for row in rows]


def _entities(
    spans: Sequence[Span], sentence: Sentence, text: str,
    scores: Sequence[float | None] | None = None,
) -> list[dict[str, Any]]:
    """Entity dicts in offsets of ``text``, with each score rounded where one is given."""
    entities = []
    for index, span in enumerate(_to_text_offsets(spans, sentence, text)):
        entity: dict[str, Any] = {"start": span.start, "end": span.end, "type": span.label,
                                  "text": text[span.start:span.end]}
        score = scores[index] if scores is not None else None
        if score is not None:
            entity["score"] = round(score, 6)
        entities.append(entity)
    return entities


def _to_text_offsets(spans: Sequence[Any], sentence: Sentence, text: str) -> list[Any]:
    """Map spans over the sentence's positions to offsets in ``text``.

    Readers that keep one position per character (the default) need no mapping; a reader that
    drops characters (spaces, control characters) stores ``meta["offsets"]``: the text offset of
    the character at each position. An entity ends after its last character, so characters
    dropped after it are not part of it.
    """
    offsets = sentence.meta.get("offsets")
    if offsets is None:
        return list(spans)
    return [type(span)(offsets[span.start], offsets[span.end - 1] + 1, span.label)
            for span in spans]


def evaluate_sentences(
    model: Model, sentences: Sequence[Sentence], batch_size: int = 64,
    max_tokens: int | None = PREDICT_MAX_TOKENS, amp: str | None = None,
    on_batch: Callable[[list[Sentence], list[list[str]]], None] | None = None,
    dictionary: EntityDictionary | None = None,
) -> dict[str, float]:
    """Metrics of ``model`` on labelled sentences (length-sorted batches, inference mode;
    ``amp`` and ``dictionary`` as for ``Predictor``). ``on_batch`` sees each batch's sentences
    and predicted tags (for error analysis).

    Gold tags are compared as strings, so a gold entity of a type the model never saw counts
    as missed (``unknown_entity_types`` lists such types) instead of failing.
    """
    model.eval()
    model.get_metrics(reset=True)
    device = next(model.parameters()).device
    scheme = model.vocab.tag_scheme
    lengths = [len(sentence) for sentence in sentences]
    with torch.inference_mode(), autocast(device, amp_dtype(amp, device)):
        for indices in length_sorted_batches(lengths, batch_size, max_tokens):
            chunk = [sentences[i] for i in indices]
            batch = model.featurize([Sentence(s.chars, None, s.meta) for s in chunk])
            batch = move_to_device(batch, device)
            output = model(batch, decode=True)
            lengths = batch["mask"].sum(dim=1).tolist()
            predicted = model.label_sequences(output["predictions"], lengths)
            if dictionary is not None:
                predicted = [_with_dictionary(dictionary, s, tags, scheme)
                             for s, tags in zip(chunk, predicted)]
            model.update_metrics(predicted, [s.tags(scheme)[:n] for s, n in zip(chunk, lengths)])
            if on_batch is not None:
                on_batch(chunk, predicted)
    return model.get_metrics(reset=True)


def _with_dictionary(
    dictionary: EntityDictionary, sentence: Sentence, tags: list[str], scheme: str
) -> list[str]:
    """Predicted ``tags`` with the dictionary's entities merged in, as tags again."""
    if any(len(char) != 1 for char in sentence.chars):
        raise ConfigurationError("an entity dictionary needs one character per position; "
                                 f"{sentence.meta.get('file')}:{sentence.meta.get('line')} has "
                                 "longer tokens")
    text = sentence.text[:len(tags)]
    entities = [{"start": start, "end": end, "type": label}
                for start, end, label in sorted(scored_entities([tags], scheme)[0])]
    merged = dictionary.apply(text, entities)
    return spans_to_tags([Span(e["start"], e["end"], e["type"]) for e in merged], len(tags), scheme)


def unknown_entity_types(sentences: Iterable[Sentence], known: Iterable[str]) -> dict[str, int]:
    """Gold entity counts of the types not in ``known`` (a model cannot predict them)."""
    known = set(known)
    counts: dict[str, int] = {}
    for sentence in sentences:
        for span in sentence.spans or []:
            if span.label not in known:
                counts[span.label] = counts.get(span.label, 0) + 1
    return dict(sorted(counts.items()))
