"""A Predictor whose model runs in onnxruntime: emissions from the graph, decoding in NumPy."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import torch

from nerkit.archive import ARCHIVE_NAME, Archive, load_archive
from nerkit.common.errors import ArchiveError
from nerkit.data.sentence import Sentence, Span
from nerkit.data.tag_schemes import tags_to_spans
from nerkit.export.onnx_export import EXPORT_INFO, export_onnx
from nerkit.export.viterbi import viterbi_numpy
from nerkit.models.tagger import n_best_analyses
from nerkit.modules.decoders.linear_chain import k_best, log_partition
from nerkit.modules.decoders.span_scores import (
    crf_span_log_probs,
    positionwise_span_log_probs,
    span_queries,
)
from nerkit.predictor import Predictor

if TYPE_CHECKING:
    from nerkit.models.tagger import Tagger
    from nerkit.modules.decoders.crf import CrfDecoder


class OnnxTagger:
    """Stands in for a ``Tagger`` inside ``Predictor``: same featurizer, onnxruntime graph.

    Args:
        archive: The source archive (featurizer, vocabulary and CRF scores).
        graph_path: The exported ONNX graph (emissions).
        threads: onnxruntime intra-op threads; default torch's thread count.
    """

    def __init__(
        self, archive: Archive, graph_path: str | Path, threads: int | None = None
    ) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or torch.get_num_threads()
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(graph_path), options, providers=["CPUExecutionProvider"]
        )
        # an export directory holds a tagger's archive (check_exportable admits no other model)
        self.model = cast("Tagger", archive.model)
        self.vocab = archive.vocab
        self.input_names = [i.name for i in self.session.get_inputs()]
        decoder = self.model.decoder
        self.crf: tuple[np.ndarray, ...] | None = None
        if hasattr(decoder, "crf_parameters"):
            crf = cast("CrfDecoder", decoder)  # the exportable decoder with CRF scores
            with torch.no_grad():
                self.crf = tuple(p.detach().double().numpy() for p in crf.crf_parameters())

    def eval(self) -> OnnxTagger:
        return self

    def emissions(self, sentences: Sequence[Sentence]) -> tuple[np.ndarray, np.ndarray]:
        """Label scores (batch, seq_len, labels) from the graph, and the mask."""
        batch = self.model.featurize(sentences)
        feeds = {"mask": batch["mask"].numpy()}
        feeds.update({name: value.numpy() for name, value in batch["features"].items()})
        (emissions,) = self.session.run(["emissions"], {k: feeds[k] for k in self.input_names})
        return emissions, feeds["mask"]

    def decode(self, emissions: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Best label ids (batch, seq_len): Viterbi for a CRF, argmax otherwise."""
        if self.crf is None:
            return emissions.argmax(axis=-1) * mask
        transitions, start, end = self.crf
        return viterbi_numpy(emissions.astype(np.float64), transitions, start, end, mask.sum(1))

    def predict_spans(self, sentences: Sequence[Sentence]) -> list[list[Span]]:
        emissions, mask = self.emissions(sentences)
        return self._spans(self.decode(emissions, mask), sentences)

    def predict_scored_spans(self, sentences: Sequence[Sentence]) -> list[list[tuple[Span, float]]]:
        """Entities with the same probabilities as the torch model (``span_scores``)."""
        emissions, mask = self.emissions(sentences)
        spans = self._spans(self.decode(emissions, mask), sentences)
        queries = span_queries(spans, [len(s) for s in sentences], self.vocab)
        scores = torch.from_numpy(emissions).double()
        if self.crf is None:
            log_probs = positionwise_span_log_probs(scores.log_softmax(-1), queries)
        else:
            transitions, start, end = (torch.from_numpy(p) for p in self.crf)
            log_probs = crf_span_log_probs(scores, transitions, start, end, torch.from_numpy(mask),
                                           queries)
        values = iter(log_probs.exp().tolist())
        return [[(span, next(values)) for span in row] for row in spans]

    def predict_n_best(
        self, sentences: Sequence[Sentence], k: int
    ) -> list[list[tuple[list[Span], float]]]:
        """Up to ``k`` analyses of each sentence with their CRF probabilities, as the torch
        model gives them (``Tagger.predict_n_best``)."""
        if self.crf is None:
            raise NotImplementedError(
                f"{type(self.model.decoder).__name__} gives no n-best list (crf does)")
        emissions, mask = self.emissions(sentences)
        scores = torch.from_numpy(emissions).double()
        transitions, start, end = (torch.from_numpy(p) for p in self.crf)
        mask_tensor = torch.from_numpy(mask).bool()
        labels, best = k_best(scores, transitions, start, end, mask_tensor, k)
        log_z = log_partition(scores, transitions, start, end, mask_tensor)
        return n_best_analyses(labels, best - log_z.unsqueeze(1), [len(s) for s in sentences],
                               self.vocab)

    def _spans(self, labels: np.ndarray, sentences: Sequence[Sentence]) -> list[list[Span]]:
        names = self.vocab.labels
        return [
            tags_to_spans([names[i] for i in row[: len(sentence)]], self.vocab.tag_scheme)
            for row, sentence in zip(labels.tolist(), sentences)
        ]


def load_onnx_predictor(path: str | Path, scores: bool = False) -> Predictor:
    """A Predictor on onnxruntime from an export directory, or from a ``model.tar.gz``.

    An archive is exported (float) into a temporary directory first.
    """
    path = Path(path)
    if path.is_dir():
        return _from_directory(path, scores)
    with tempfile.TemporaryDirectory(prefix="nerkit-onnx-") as staging:
        export_onnx(path, staging)
        return _from_directory(Path(staging), scores)


def _from_directory(directory: Path, scores: bool) -> Predictor:
    info_path = directory / EXPORT_INFO
    if not info_path.is_file():
        raise ArchiveError(f"{directory}: not an ONNX export directory (no {EXPORT_INFO}); "
                           "create one with `nerkit export ARCHIVE -o DIR`")
    info: dict[str, Any] = json.loads(info_path.read_text("utf-8"))
    archive = load_archive(directory / ARCHIVE_NAME)
    model = OnnxTagger(archive, directory / info["graph"])
    return Predictor(model, archive.reader, scores=scores)  # type: ignore[arg-type]
