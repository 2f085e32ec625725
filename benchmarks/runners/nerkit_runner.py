"""nerkit: train a shipped config on the benchmark files, then predict through the archive.

Training goes through ``nerkit.training.experiment.train_model`` with validation and
training-set metrics turned off, so the trainer's ``epoch_seconds`` are pure training time;
prediction goes through ``nerkit.predictor.Predictor.from_archive`` as a user would run it.
``--decoder-variant`` times prediction again with other decoders on the same trained encoder.
"""

from __future__ import annotations

import json
from pathlib import Path

from common import (
    Corpus,
    bio_size,
    emit,
    latency_ms,
    prediction_record,
    read_bio,
    runner_arguments,
    set_threads,
    timed,
    training_record,
)


def key_values(pairs: list[str]) -> dict:
    """``k=v`` strings; values parsed as JSON when they parse (numbers, null, objects)."""
    result = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        try:
            result[key] = json.loads(value)
        except json.JSONDecodeError:
            result[key] = value
    return result


def train(args, run_dir: Path) -> tuple[list[float], dict]:
    """Train on the benchmark files; returns epoch seconds and the filled config.

    The config's own batch size and optimizer are kept; validation and training-set metrics
    are turned off so epochs time the training step alone (as in the peers' loops).
    """
    from nerkit.common.config import apply_overrides, load_config
    from nerkit.training.experiment import train_model

    config = load_config(args.config, tla_vars=key_values(args.tla))
    config.update(train_data_path=args.train, validation_data_path=None, evaluate_on_test=False)
    config["trainer"].update(num_epochs=args.epochs, train_metrics=False)
    config = apply_overrides(config, key_values(args.override))
    train_model(config, run_dir, force=True)
    epochs = sorted(run_dir.glob("metrics_epoch_*.json"),
                    key=lambda p: int(p.stem.rsplit("_", 1)[1]))
    filled = json.loads((run_dir / "config.json").read_text())
    return [json.loads(p.read_text())["epoch_seconds"] for p in epochs], filled


def model_summary(model: dict) -> str:
    """``embedder+encoder+decoder`` types of a filled model config."""
    slots = (model.get(slot) for slot in ("embedder", "encoder", "decoder"))
    return "+".join(block["type"] for block in slots if isinstance(block, dict))


def predict_spans(predictor, corpus: Corpus, batch_size: int) -> list:
    texts = ["".join(chars) for chars in corpus.chars]
    results = predictor.predict_batch(texts, batch_size=batch_size)
    return [[(e["start"], e["end"], e["type"]) for e in r["entities"]] for r in results]


def variant_decoder(model, trained, block: dict, trained_block: dict):
    """A decoder built from ``block`` for ``model``; keeps ``trained``'s weights if same type."""
    from nerkit.common.build import build
    from nerkit.modules.decoders.decoder import Decoder

    same_type = block.get("type", trained_block.get("type")) == trained_block.get("type")
    config = {**trained_block, **block} if same_type else dict(block)
    config["input_dim"] = trained.get_input_dim()
    decoder = build(config, Decoder, context={"vocab": model.vocab})
    if same_type:
        decoder.load_state_dict(trained.state_dict())
    return decoder.eval()


def time_variants(args, predictor, dev: Corpus, trained_block: dict) -> dict:
    """Prediction time of each ``--decoder-variant`` (weights of a new decoder type are random)."""
    original = predictor.model.decoder
    timings = {}
    for name, block in key_values(args.decoder_variant).items():
        predictor.model.decoder = variant_decoder(predictor.model, original, block, trained_block)
        _, seconds = timed(lambda: predict_spans(predictor, dev, args.predict_batch_size))
        timings[name] = {"decoder": block, "predict_seconds": round(seconds, 3),
                         "predict_sentences_per_s": len(dev) / seconds}
    predictor.model.decoder = original
    return timings


def main() -> None:
    parser = runner_arguments(__doc__)
    parser.add_argument("--config", required=True, help="a training config (jsonnet)")
    parser.add_argument("--tla", action="append", default=[], help="extra --arg k=v")
    parser.add_argument("--override", action="append", default=[], help="extra -o k=v")
    parser.add_argument("--decoder-variant", action="append", default=[],
                        help="NAME=JSON decoder block to time prediction with")
    args = parser.parse_args()
    set_threads(args.threads)
    import torch

    from nerkit.predictor import Predictor
    from nerkit.version import VERSION

    torch.set_num_threads(args.threads)
    run_dir = Path(args.workdir) / "run"
    (epoch_seconds, filled), train_wall = timed(lambda: train(args, run_dir))
    predictor = Predictor.from_archive(run_dir / "model.tar.gz")
    # the training file is only counted: holding it as Python strings would add the harness's
    # memory (about 180 MB for all of MSRA) to nerkit's peak RSS
    train_corpus, dev = bio_size(args.train), read_bio(args.dev)
    predicted, seconds = timed(lambda: predict_spans(predictor, dev, args.predict_batch_size))
    one = lambda chars: predict_spans(predictor, Corpus([chars], [[]]), 1)  # noqa: E731
    record = {"system": f"nerkit {model_summary(filled['model'])}", "version": VERSION,
              "config": Path(args.config).name,
              "batch_size": (filled.get("data_loader") or {}).get("batch_size")}
    record.update(training_record(train_corpus, epoch_seconds))
    # the whole run, as the peers' fit() is timed: reading, feature index, epochs, archive
    record["train_seconds_epochs"] = record["train_seconds"]
    record["train_seconds"] = round(train_wall, 3)
    record.update(prediction_record(dev, predicted, seconds))
    record["latency_ms_batch1"] = latency_ms(one, dev.chars[: args.latency_sentences])
    if args.decoder_variant:
        record["decoder_variants"] = time_variants(args, predictor, dev, filled["model"]["decoder"])
    emit(record)


if __name__ == "__main__":
    main()
