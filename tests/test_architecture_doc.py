"""The worked example of docs/architecture.md registers, builds in a tagger, and trains."""

from __future__ import annotations

import re
from pathlib import Path

import torch

from nerkit.common.build import build
from nerkit.data.dataset_readers.conll import ConllDatasetReader
from nerkit.data.vocabulary import Vocabulary
from nerkit.models.model import Model
from nerkit.testing.contracts import assert_seq2seq_encoder_contract
from nerkit.testing.model_test_case import ModelTestCase

DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def test_the_worked_example_works(isolated_registry, fixtures_root):
    code = re.search(r"```python\n(.*?)```", DOC.read_text("utf-8"), re.S).group(1)
    namespace: dict = {"__name__": "nerkit_doc_example"}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    assert_seq2seq_encoder_contract(namespace["FeedforwardSeq2SeqEncoder"](4, 3))
    sentences = ConllDatasetReader().read(fixtures_root / "data" / "tiny.bio")[:4]
    vocab = Vocabulary.from_sentences(sentences, "BIO")
    model = build({"type": "tagger", "embedder": {"type": "embedding", "embedding_dim": 8},
                   "encoder": {"type": "feedforward", "hidden_dim": 64}, "decoder": "crf"},
                  Model, context={"vocab": vocab})
    assert model.encoder.get_input_dim() == 8 and model.decoder.get_input_dim() == 64
    loss = model(model.featurize(sentences))["loss"]
    loss.backward()
    assert torch.isfinite(loss) and model.encoder.linear.weight.grad is not None
    ModelTestCase.assert_batch_consistent(model, sentences)
