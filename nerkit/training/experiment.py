"""An experiment: one training run built from a config, which trains, evaluates and archives."""

from __future__ import annotations

import dataclasses
import logging
import random
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import torch

from nerkit.archive import ARCHIVE_NAME, archive_model
from nerkit.common.atomic import write_json_atomic
from nerkit.common.build import Lazy, build_and_fill, check_config
from nerkit.common.config import load_config
from nerkit.common.errors import ConfigurationError, did_you_mean
from nerkit.common.plugins import import_plugins
from nerkit.common.signatures import config_parameters
from nerkit.data.batching import DataLoaderConfig
from nerkit.data.cache import read_cached
from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.sentence import Sentence
from nerkit.data.vocabulary import Vocabulary, VocabularyConfig
from nerkit.models.model import Model
from nerkit.predictor import evaluate_sentences
from nerkit.training import distributed
from nerkit.training.checkpoints import LATEST
from nerkit.training.trainer import Trainer, steps_per_epoch

logger = logging.getLogger(__name__)


class Experiment:
    """Everything one training run needs; each top-level config key is one argument.

    ``Experiment.from_config`` builds it with ``build`` like any component; the vocabulary, the
    model and the trainer need the training data, so they stay ``Lazy`` until ``run`` reads it.

    Args:
        dataset_reader: Reads the training file (and the others, unless overridden).
        train_data_path: The training file.
        model: The model block (built on the vocabulary of the training data).
        trainer: The trainer block (built on the model, knowing the number of steps).
        validation_dataset_reader: Reads the validation and test files; default the training one.
        validation_data_path: Validated after every epoch; picks the best epoch.
        test_data_path: Scored after training when ``evaluate_on_test`` is on.
        vocabulary: How the vocabulary is counted from the training data.
        data_loader: Training batches.
        validation_data_loader: Validation batches; default twice the batch size, in order.
        random_seed: Seeds Python, NumPy and torch.
        evaluate_on_test: Score ``test_data_path`` with the best weights at the end.
    """

    def __init__(
        self,
        dataset_reader: DatasetReader,
        train_data_path: str,
        model: Lazy[Model],
        trainer: Lazy[Trainer],
        validation_dataset_reader: DatasetReader | None = None,
        validation_data_path: str | None = None,
        test_data_path: str | None = None,
        vocabulary: VocabularyConfig = VocabularyConfig(),  # noqa: B008 - frozen, shared safely
        data_loader: DataLoaderConfig = DataLoaderConfig(),  # noqa: B008
        validation_data_loader: DataLoaderConfig | None = None,
        random_seed: int = 13,
        evaluate_on_test: bool = False,
    ) -> None:
        self.dataset_reader = dataset_reader
        self.train_data_path = train_data_path
        self.model = model
        self.trainer = trainer
        self.validation_dataset_reader = validation_dataset_reader or dataset_reader
        self.validation_data_path = validation_data_path
        self.test_data_path = test_data_path
        self.vocabulary = vocabulary
        self.data_loader = data_loader
        self.validation_data_loader = validation_data_loader or data_loader.for_validation()
        self.random_seed = random_seed
        self.evaluate_on_test = evaluate_on_test
        self.config: dict[str, Any] = {}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Experiment:
        """Build from an evaluated config; ``config`` becomes the filled one as ``run`` goes.

        The whole config is checked first, Lazy sections included, so a typo in the model
        fails before any data is read.
        """
        fill_experiment(config)
        experiment, filled = build_and_fill(config, cls)
        experiment.config = complete_sections(filled)
        return experiment

    def run(
        self, serialization_dir: str | Path, *, force: bool = False, recover: bool = False,
        plugins: Iterable[str] = (),
    ) -> Model:
        """Read the data, build the rest, train, evaluate, archive; returns the trained model."""
        directory = Path(serialization_dir)
        distributed.init_from_environment()
        rank, world_size = distributed.rank_and_world_size()
        _check_directory(directory, force, recover, is_main=rank == 0)
        _seed_everything(self.random_seed)
        train_data = self._read("dataset_reader", self.train_data_path, "train_data_path")
        validation_data = None
        if self.validation_data_path:
            validation_data = self._read("validation_dataset_reader", self.validation_data_path,
                                         "validation_data_path")
        vocab_dir = directory / "vocabulary"
        if recover and vocab_dir.is_dir():
            vocab = Vocabulary.load(vocab_dir)
        else:
            vocab = self.vocabulary.build(train_data)
        model = self.model.construct(vocab=vocab, sentences=train_data)
        # Only now, with the data read and the model built, may --force delete the old run.
        _prepare_directory(directory, force, recover, is_main=rank == 0)
        distributed.barrier()
        per_epoch = steps_per_epoch([len(s) for s in train_data], self.data_loader,
                                    int(self.trainer.setting("grad_accumulation")), world_size)
        total_steps = self.trainer.setting("max_steps") or per_epoch * int(
            self.trainer.setting("num_epochs"))
        trainer = self.trainer.construct(model=model, serialization_dir=directory,
                                         num_training_steps=total_steps, steps_per_epoch=per_epoch)
        if rank == 0:
            write_json_atomic(directory / "config.json", self.config)
            vocab.save(vocab_dir)
        logger.info("model: %d trainable parameters",
                    sum(p.numel() for p in model.parameters() if p.requires_grad))
        metrics = trainer.train(train_data, validation_data, self.data_loader,
                                self.validation_data_loader, seed=self.random_seed,
                                recover=recover)
        if self.evaluate_on_test and self.test_data_path:
            test_data = self._read("validation_dataset_reader", self.test_data_path,
                                   "test_data_path")
            scores = evaluate_sentences(model, test_data)
            metrics.update({f"test_{k}": v for k, v in scores.items()})
        if rank == 0:
            write_json_atomic(directory / "metrics.json", metrics)
            archive_model(directory / ARCHIVE_NAME, model.cpu(), self.config, vocab, metrics,
                          list(plugins))
            logger.info("archived the best model to %s", directory / ARCHIVE_NAME)
        return model

    def _read(self, reader_key: str, path: str, key: str) -> list[Sentence]:
        """Read through the dataset cache (keyed by file content and the filled reader config)."""
        if not Path(path).exists():
            raise ConfigurationError(f"data file not found: {path}", (key,))
        reader = getattr(self, reader_key)
        sentences = read_cached(reader, self.config[reader_key], path)
        logger.info("%s: %d sentences from %s", key, len(sentences), path)
        return sentences


def check_top_level_keys(config: Mapping[str, Any]) -> None:
    """Unknown or missing top-level keys, named as such (before any block is looked at)."""
    parameters = config_parameters(Experiment)
    accepted = [p.name for p in parameters]
    for key in config:
        if key not in accepted:
            raise ConfigurationError(
                f"unknown top-level key {key!r}{did_you_mean(key, accepted)}; "
                f"accepted keys: {', '.join(accepted)}", (key,),
            )
    for parameter in parameters:
        if parameter.required and parameter.name not in config:
            raise ConfigurationError(f"missing required top-level key {parameter.name!r}",
                                     (parameter.name,))


def complete_sections(filled: dict[str, Any]) -> dict[str, Any]:
    """Write out the validation loader a left-out section stands for.

    ``validation_dataset_reader: null`` stays as it is: it means "the training reader", so an
    override of ``dataset_reader`` (``nerkit evaluate -o``) still reaches validation and tests.
    """
    if filled.get("validation_data_loader") is None:
        loader = DataLoaderConfig(**filled["data_loader"]).for_validation()
        filled["validation_data_loader"] = dataclasses.asdict(loader)
    return filled


def check_experiment(config: Mapping[str, Any]) -> None:
    """Fail fast, before any data is read, on unknown keys, wrong types and unknown names."""
    fill_experiment(config)


def fill_experiment(config: Mapping[str, Any]) -> dict[str, Any]:
    """The config with every section and default written out, from signatures alone.

    Constructs nothing (no weights, no network, no data); dimensions that flow between
    components are left out, as only a build knows them.
    """
    check_top_level_keys(config)
    return complete_sections(check_config(dict(config), Experiment))


def train_model(
    config: Mapping[str, Any],
    serialization_dir: str | Path,
    force: bool = False,
    recover: bool = False,
    include_packages: Iterable[str] = (),
) -> Model:
    """Train from an evaluated config dict; writes metrics, checkpoints and ``model.tar.gz``."""
    plugins = import_plugins(include_packages)
    experiment = Experiment.from_config(config)
    return experiment.run(serialization_dir, force=force, recover=recover, plugins=plugins)


def train_model_from_file(
    config_path: str | Path,
    serialization_dir: str | Path,
    ext_vars: Mapping[str, str] | None = None,
    tla_vars: Mapping[str, Any] | None = None,
    overrides: Iterable[str] | Mapping[str, Any] | None = None,
    force: bool = False,
    recover: bool = False,
    include_packages: Iterable[str] = (),
) -> Model:
    """Load a config file and train it; returns the trained model (best weights)."""
    import_plugins(include_packages)
    config = load_config(config_path, ext_vars=ext_vars, tla_vars=tla_vars, overrides=overrides)
    return train_model(config, serialization_dir, force=force, recover=recover,
                       include_packages=include_packages)


def _check_directory(directory: Path, force: bool, recover: bool, is_main: bool) -> None:
    """Refuse a conflicting request before anything is read or deleted (main process only:
    the others would see the directory it creates)."""
    if force and recover:
        raise ConfigurationError("use either --force or --recover, not both")
    if not is_main:
        return
    exists = directory.is_dir() and any(directory.iterdir())
    if recover and not (directory / "checkpoints" / LATEST).is_file():
        raise ConfigurationError(
            f"--recover: {directory} has nothing to resume (no checkpoints/{LATEST}); "
            "train without -r, or with -f to start over"
        )
    if exists and not (recover or force):
        raise ConfigurationError(
            f"serialization directory {directory} is not empty; "
            "use --recover to resume it or --force to overwrite it"
        )


def _prepare_directory(directory: Path, force: bool, recover: bool, is_main: bool) -> None:
    """Delete the old run for --force (called once data and config were read) and create it."""
    if not is_main:
        return
    if force and not recover and directory.is_dir() and any(directory.iterdir()):
        shutil.rmtree(directory)
    directory.mkdir(parents=True, exist_ok=True)


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
