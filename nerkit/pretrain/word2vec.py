"""``nerkit pretrain word2vec``: character, bigram or word vectors with gensim (skip-gram or CBOW).

Writes ``vectors.txt`` (word2vec text format) and ``vectors.bin`` (binary), which the
``embedding`` (characters), ``bigram`` (``--unit bigram``) and ``softlexicon`` (``--unit word``)
embedders read through ``pretrained_file``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm

from nerkit.common.errors import ConfigurationError
from nerkit.data.ngrams import character_bigrams
from nerkit.pretrain.corpus import Line
from nerkit.pretrain.output import RunDirectory

logger = logging.getLogger(__name__)


@dataclass
class Word2VecPretrainSettings:
    """Settings of ``nerkit pretrain word2vec``.

    Args:
        dim: Vector size.
        sg: Skip-gram (--no-sg: CBOW).
        window: Context characters on each side.
        epochs: Passes over the corpus.
        min_count: Characters rarer than this get no vector.
        negative: Negative samples per prediction.
        workers: gensim worker threads.
        unit: What a vector is for: ``char`` (characters), ``bigram`` (``c[i] c[i+1]``, the
            last character with ``</s>``, as the ``bigram`` embedder reads them) or ``word``
            (text segmented with jieba, or a People's Daily file's own words with --reader
            pfr1998; the lines then arrive as words).
    """

    dim: int = 100
    sg: bool = True
    window: int = 5
    epochs: int = 5
    min_count: int = 1
    negative: int = 5
    workers: int = 1
    unit: str = "char"


UNITS: dict[str, Callable[[Line], list[str]]] = {
    "char": list, "bigram": character_bigrams, "word": list,
}

PRESETS = {
    "small": Word2VecPretrainSettings(),
    "base": Word2VecPretrainSettings(dim=300, epochs=10, workers=4),
}


def _progress_callback(epochs: int) -> Any:
    from gensim.models.callbacks import CallbackAny2Vec

    class EpochProgress(CallbackAny2Vec):
        def __init__(self) -> None:
            self.bar = tqdm(total=epochs, desc="word2vec", unit="epoch")

        def on_epoch_end(self, model: Any) -> None:
            self.bar.update(1)

        def on_train_end(self, model: Any) -> None:
            self.bar.close()

    return EpochProgress()


def pretrain_word2vec(
    lines: Sequence[Line], run: RunDirectory, settings: Word2VecPretrainSettings, seed: int,
    resume: bool = False,
) -> dict[str, Any]:
    """Train character, bigram or word vectors on ``lines``; write ``vectors.txt`` and ``.bin``."""
    if settings.unit not in UNITS:
        raise ConfigurationError(f"--unit must be one of {', '.join(UNITS)}, got {settings.unit!r}")
    try:
        from gensim.models import Word2Vec
    except ImportError as error:
        raise ConfigurationError(
            "pretrain word2vec needs gensim: pip install 'nerkit[word2vec]'"
        ) from error
    if resume:
        logger.info("word2vec runs are short and keep no checkpoints; starting over")
    logging.getLogger("gensim").setLevel(logging.WARNING)  # the tqdm bar reports progress
    model = Word2Vec(
        sentences=[UNITS[settings.unit](line) for line in lines], vector_size=settings.dim,
        sg=int(settings.sg), window=settings.window, epochs=settings.epochs,
        min_count=settings.min_count, negative=settings.negative, workers=settings.workers,
        seed=seed, compute_loss=True,
        callbacks=[_progress_callback(settings.epochs)],
    )
    model.wv.save_word2vec_format(str(run.work / "vectors.txt"), binary=False)
    model.wv.save_word2vec_format(str(run.work / "vectors.bin"), binary=True)
    probes = [c for c in ("中", "京", "张", "省") if c in model.wv] or model.wv.index_to_key[:4]
    return {
        "vocab_size": len(model.wv),
        "dim": settings.dim,
        "final_training_loss": float(model.get_latest_training_loss()),
        "nearest_neighbours": {
            c: [n for n, _ in model.wv.most_similar(c, topn=5)] for c in probes
        },
    }
