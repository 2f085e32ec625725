"""A tiny trained archive shared by the evaluate and predict command tests."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="session")
def tagger_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """model.tar.gz of the fixture BiLSTM-CRF trained for one epoch."""
    from nerkit.training.experiment import train_model_from_file

    directory = tmp_path_factory.mktemp("cli_tagger_crf")
    torch.manual_seed(0)
    train_model_from_file(FIXTURES / "configs" / "tagger_crf.jsonnet", directory,
                          tla_vars={"fixtures": str(FIXTURES), "num_epochs": 1}, force=True)
    return directory / "model.tar.gz"
