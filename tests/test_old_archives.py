"""Archives written before a refactor still load and predict exactly as the code that wrote them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from nerkit.predictor import Predictor

ARCHIVES = Path(__file__).resolve().parents[1] / "fixtures" / "archives"


@pytest.mark.parametrize("name", ["pre_refactor_bilstm_crf"])
def test_old_archive_predicts_as_when_written(name: str, fixtures_root: Path) -> None:
    expected = json.loads((ARCHIVES / f"{name}.predictions.json").read_text("utf-8"))
    predictor = Predictor.from_archive(ARCHIVES / f"{name}.tar.gz")
    assert predictor.predict_batch(expected["texts"]) == expected["predictions"]
    sentences = predictor.reader.read(fixtures_root / "data" / "tiny.bio")
    with torch.inference_mode():
        output = predictor.model(predictor.model.featurize(sentences), decode=True)
    assert output["predictions"].tolist() == expected["gold_file_tag_ids"]
    assert float(output["loss"]) == pytest.approx(expected["gold_file_loss"], abs=1e-5)
