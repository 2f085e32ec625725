"""``nerkit train CONFIG -s DIR``: build everything from the config, train, archive."""

from __future__ import annotations

import argparse
import logging
import random
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import torch

from nerkit.archive import ARCHIVE_NAME, archive_model
from nerkit.commands.common import add_config_arguments, config_from_arguments
from nerkit.common.atomic import write_json_atomic
from nerkit.common.build import build, build_and_fill, check_config
from nerkit.common.config import load_config
from nerkit.common.errors import ConfigurationError, did_you_mean
from nerkit.common.plugins import import_plugins
from nerkit.data.batching import DataLoaderConfig
from nerkit.data.cache import read_cached
from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.sentence import Sentence
from nerkit.data.vocabulary import Vocabulary, build_vocabulary
from nerkit.models.model import Model
from nerkit.predictor import evaluate_sentences
from nerkit.training import distributed
from nerkit.training.checkpoints import LATEST
from nerkit.training.trainer import Trainer, steps_per_epoch

logger = logging.getLogger(__name__)


# The top-level keys of an experiment config: the section's builder or JSON type.
EXPERIMENT_KEYS: dict[str, Any] = {
    "dataset_reader": DatasetReader,
    "train_data_path": str,
    "model": Model,
    "trainer": Trainer,
    "validation_dataset_reader": DatasetReader,
    "validation_data_path": str,
    "test_data_path": str,
    "vocabulary": build_vocabulary,
    "data_loader": DataLoaderConfig,
    "validation_data_loader": DataLoaderConfig,
    "random_seed": int,
    "evaluate_on_test": bool,
}
REQUIRED_KEYS = ("dataset_reader", "train_data_path", "model", "trainer")


def check_experiment(config: Mapping[str, Any]) -> None:
    """Fail fast, before any data is read, on unknown keys, wrong types and unknown names."""
    accepted = list(EXPERIMENT_KEYS)
    for key in config:
        if key not in EXPERIMENT_KEYS:
            raise ConfigurationError(
                f"unknown top-level key {key!r}{did_you_mean(key, accepted)}; "
                f"accepted keys: {', '.join(accepted)}", (key,),
            )
    for key in REQUIRED_KEYS:
        if key not in config:
            raise ConfigurationError(f"missing required top-level key {key!r}", (key,))
    for key, value in config.items():
        kind = EXPERIMENT_KEYS[key]
        if value is None:
            continue
        if kind in (str, int, bool):
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise ConfigurationError(f"expected {kind.__name__}, got {value!r}", (key,))
        else:
            check_config(value, kind, path=(key,))


def fill_experiment(config: Mapping[str, Any]) -> dict[str, Any]:
    """The config with every default written out, built on a placeholder vocabulary (no data)."""
    import tempfile

    scheme = (config.get("vocabulary") or {}).get("tag_scheme", "BIO")
    vocab = Vocabulary([], ["X"], scheme)
    model, model_filled = build_and_fill(config["model"], Model, context={"vocab": vocab},
                                         path=("model",))
    with tempfile.TemporaryDirectory() as directory:
        _, trainer_filled = build_and_fill(
            config["trainer"], Trainer, path=("trainer",),
            context={"model": model, "serialization_dir": Path(directory),
                     "num_training_steps": 1, "steps_per_epoch": 1},
        )
    _, loader_filled = build_and_fill(config.get("data_loader") or {}, DataLoaderConfig,
                                      path=("data_loader",))
    _, reader_filled = build_and_fill(config["dataset_reader"], DatasetReader,
                                      path=("dataset_reader",))
    return {**config, "dataset_reader": reader_filled, "model": model_filled,
            "trainer": trainer_filled, "data_loader": loader_filled}


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


def train_model(
    config: dict[str, Any],
    serialization_dir: str | Path,
    force: bool = False,
    recover: bool = False,
    include_packages: Iterable[str] = (),
) -> Model:
    """Train from an evaluated config dict; writes metrics, checkpoints and ``model.tar.gz``."""
    plugins = import_plugins(include_packages)
    check_experiment(config)
    directory = Path(serialization_dir)
    distributed.init_from_environment()
    rank, world_size = distributed.rank_and_world_size()
    _check_directory(directory, force, recover, is_main=rank == 0)
    seed = int(config.get("random_seed", 13))
    _seed_everything(seed)

    reader, reader_filled = build_and_fill(config["dataset_reader"], DatasetReader,
                                           path=("dataset_reader",))
    validation_reader, validation_filled = reader, reader_filled
    if config.get("validation_dataset_reader"):
        validation_reader, validation_filled = build_and_fill(
            config["validation_dataset_reader"], DatasetReader, path=("validation_dataset_reader",)
        )
    train_data = _read(reader, reader_filled, config["train_data_path"], "train_data_path")
    validation_data = None
    if config.get("validation_data_path"):
        validation_data = _read(validation_reader, validation_filled,
                                config["validation_data_path"], "validation_data_path")
    vocab_dir = directory / "vocabulary"
    if recover and vocab_dir.is_dir():
        vocab = Vocabulary.load(vocab_dir)
    else:
        vocab = build(config.get("vocabulary") or {}, build_vocabulary,
                      context={"sentences": train_data}, path=("vocabulary",))
    model, model_filled = build_and_fill(
        config["model"], Model, context={"vocab": vocab, "sentences": train_data}, path=("model",)
    )
    loader, loader_filled = build_and_fill(config.get("data_loader") or {}, DataLoaderConfig,
                                           path=("data_loader",))
    validation_loader = None
    if config.get("validation_data_loader"):
        validation_loader = build(config["validation_data_loader"], DataLoaderConfig,
                                  path=("validation_data_loader",))
    # Only now, with the data read and the model built, may --force delete the old run.
    _prepare_directory(directory, force, recover, is_main=rank == 0)
    distributed.barrier()
    trainer_config = config["trainer"]
    per_epoch = steps_per_epoch(len(train_data), loader.batch_size,
                                int(trainer_config.get("grad_accumulation", 1)), world_size)
    total_steps = trainer_config.get("max_steps") or per_epoch * int(
        trainer_config.get("num_epochs", 20))
    trainer, trainer_filled = build_and_fill(
        trainer_config, Trainer, path=("trainer",),
        context={"model": model, "serialization_dir": directory,
                 "num_training_steps": total_steps, "steps_per_epoch": per_epoch},
    )
    filled = {**config, "dataset_reader": reader_filled, "model": model_filled,
              "trainer": trainer_filled, "data_loader": loader_filled}
    if rank == 0:
        write_json_atomic(directory / "config.json", filled)
        vocab.save(vocab_dir)
    logger.info("model: %d trainable parameters",
                sum(p.numel() for p in model.parameters() if p.requires_grad))
    metrics = trainer.train(train_data, validation_data, loader, validation_loader,
                            seed=seed, recover=recover)
    if config.get("evaluate_on_test") and config.get("test_data_path"):
        test_data = _read(validation_reader, validation_filled, config["test_data_path"],
                          "test_data_path")
        metrics.update({f"test_{k}": v for k, v in evaluate_sentences(model, test_data).items()})
    if rank == 0:
        write_json_atomic(directory / "metrics.json", metrics)
        archive_model(directory / ARCHIVE_NAME, model.cpu(), filled, vocab, metrics, plugins)
        logger.info("archived the best model to %s", directory / ARCHIVE_NAME)
    return model


def _read(
    reader: DatasetReader, reader_config: dict[str, Any], path: str, key: str
) -> list[Sentence]:
    """Read through the dataset cache (keyed by file content and the filled reader config)."""
    if not Path(path).is_file():
        raise ConfigurationError(f"data file not found: {path}", (key,))
    sentences = read_cached(reader, reader_config, path)
    logger.info("%s: %d sentences from %s", key, len(sentences), path)
    return sentences


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


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "train", help="train a model from an experiment config",
        description="Train a model from a Jsonnet experiment config and archive it.",
    )
    add_config_arguments(parser)
    parser.add_argument("-s", "--serialization-dir", required=True,
                        help="directory for checkpoints, metrics and model.tar.gz")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-r", "--recover", action="store_true",
                       help="resume from the last complete checkpoint in the directory")
    group.add_argument("-f", "--force", action="store_true",
                       help="delete the serialization directory first")
    parser.add_argument("--dry-run", action="store_true",
                        help="check the config and stop before reading data")
    parser.set_defaults(func=_run)
    return parser


def _run(args: argparse.Namespace) -> int:
    import_plugins(args.include_package)
    config = config_from_arguments(args)
    if args.dry_run:
        check_experiment(config)
        print("config OK")
        return 0
    train_model(config, args.serialization_dir, force=args.force, recover=args.recover,
                include_packages=args.include_package)
    return 0
