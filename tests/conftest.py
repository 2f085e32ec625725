"""Shared pytest fixtures: fixture paths, registry isolation, a tiny BERT built once."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import catalogue
import pytest

from nerkit.common.plugins import import_plugins

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"

import_plugins()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--runintegration", action="store_true", help="run tests that need the network"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runintegration"):
        return
    skip = pytest.mark.skip(reason="needs --runintegration")
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def private_dataset_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test (session fixtures too) uses a throwaway dataset cache, never
    ``~/.cache/nerkit``."""
    directory = tmp_path_factory.mktemp("nerkit_cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NERKIT_CACHE", str(directory))
        yield directory


@pytest.fixture
def fixtures_root() -> Path:
    return FIXTURES


@pytest.fixture
def isolated_registry():
    """Snapshot catalogue's registry and restore it, so throwaway registrations cannot leak."""
    saved = copy.copy(catalogue.REGISTRY)
    yield
    catalogue.REGISTRY.clear()
    catalogue.REGISTRY.update(saved)


@pytest.fixture(scope="session")
def tiny_bert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random BERT (2 layers, hidden 16, 64 positions) built once per test session."""
    from nerkit.testing.tiny_transformer import build_tiny_bert

    return build_tiny_bert(tmp_path_factory.mktemp("tiny_bert"))


@pytest.fixture(scope="session")
def tagger_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """model.tar.gz of the fixture BiLSTM-CRF trained for one epoch (command and serving tests)."""
    import torch

    from nerkit.training.experiment import train_model_from_file

    directory = tmp_path_factory.mktemp("cli_tagger_crf")
    torch.manual_seed(0)
    train_model_from_file(FIXTURES / "configs" / "tagger_crf.jsonnet", directory,
                          tla_vars={"fixtures": str(FIXTURES), "num_epochs": 1}, force=True)
    return directory / "model.tar.gz"
