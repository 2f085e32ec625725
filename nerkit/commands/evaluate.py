"""``nerkit evaluate ARCHIVE DATA``: P/R/F1 overall and per type, printed and written as JSON,
with the wrong entities by kind and, against a ``--baseline`` archive, a significance test."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from nerkit.archive import Archive, load_archive
from nerkit.commands.common import (
    add_amp_argument,
    add_dictionary_arguments,
    add_plugin_arguments,
    dictionary_from_arguments,
)
from nerkit.commands.reader_args import parse_reader_args, reader_from_args
from nerkit.common.atomic import atomic_open, write_json_atomic
from nerkit.common.build import build
from nerkit.common.errors import ConfigurationError, DataError
from nerkit.common.plugins import import_plugins
from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.sentence import Sentence
from nerkit.metrics.significance import paired_bootstrap
from nerkit.metrics.span_errors import ErrorCollector, error_record
from nerkit.predictor import evaluate_sentences, unknown_entity_types

logger = logging.getLogger(__name__)


def format_table(metrics: dict[str, Any], types: list[str]) -> str:
    """A plain-text table: one row per entity type and an overall row."""
    rows: list[tuple[str, ...]] = [("type", "precision", "recall", "f1")]
    for label in types:
        rows.append((label, *(f"{100 * metrics.get(f'{m}-{label}', 0.0):.2f}"
                              for m in ("precision", "recall", "f1"))))
    rows.append(("overall", *(f"{100 * metrics.get(m, 0.0):.2f}"
                              for m in ("precision", "recall", "f1"))))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                  for i, (cell, w) in enumerate(zip(row, widths)))
        for row in rows
    )


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "evaluate", help="score an archived model on labelled data",
        description="Evaluate a model.tar.gz on a labelled file, read with the archive's reader "
        "unless --reader names another. Gold entities of types the model does not know count "
        "as missed (a warning names them).",
    )
    parser.add_argument("archive", help="path to model.tar.gz")
    parser.add_argument("data", help="labelled data file")
    parser.add_argument("--output-file", help="write the metrics as JSON here")
    parser.add_argument("--baseline", metavar="ARCHIVE",
                        help="also score this archive on the same sentences and test whether "
                        "the first is better (paired bootstrap over sentences)")
    parser.add_argument("--baseline-override", action="append", default=[],
                        metavar="DOTTED.KEY=VALUE",
                        help="override a value of the baseline archive's config (as -o does "
                        "for ARCHIVE), e.g. model.decoder.beam_size=4")
    parser.add_argument("--bootstrap-samples", type=int, default=1000, metavar="N",
                        help="resamples of the paired bootstrap (default 1000)")
    parser.add_argument("--errors", metavar="FILE",
                        help="write every sentence with a wrong entity here as JSONL: its "
                        "file and line, text, and each error (missed, spurious, boundary, type, "
                        "boundary+type) with the gold and predicted entity")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    add_amp_argument(parser)
    add_dictionary_arguments(parser)
    parser.add_argument(
        "--reader", metavar="NAME", default=None,
        help="read DATA with this dataset reader instead of the archive's (e.g. sighan2006); "
        "its options come from --reader-arg",
    )
    parser.add_argument(
        "--reader-arg", action="append", default=[], metavar="KEY=VALUE",
        help="a reader option; without --reader it changes the archive's reader",
    )
    parser.add_argument(
        "-o", "--override", action="append", default=[], metavar="DOTTED.KEY=VALUE",
        help="override a value of the archived config, e.g. dataset_reader.tag_scheme=BIOES",
    )
    add_plugin_arguments(parser)
    parser.set_defaults(func=_run)
    return parser


def _run(args: argparse.Namespace) -> int:
    import_plugins(args.include_package)
    if not Path(args.data).exists():
        raise DataError("data file not found", args.data)
    if args.bootstrap_samples < 1:
        raise ConfigurationError(f"--bootstrap-samples must be positive, got "
                                 f"{args.bootstrap_samples}")
    dictionary = dictionary_from_arguments(args)  # a bad file fails before the model loads
    archive = load_archive(args.archive, device=args.device, overrides=args.override)
    sentences = _read_sentences(args, archive)
    unknown = unknown_entity_types(sentences, archive.vocab.entity_types)
    if unknown:
        listed = ", ".join(f"{label} ({count})" for label, count in unknown.items())
        logger.warning("%s: the model does not know the entity types %s; their gold entities "
                       "are scored as missed", args.data, listed)
    errors = ErrorCollector(archive.vocab.tag_scheme)
    metrics: dict[str, Any] = evaluate_sentences(
        archive.model, sentences, batch_size=args.batch_size, amp=args.amp, on_batch=errors,
        dictionary=dictionary)
    metrics["errors"] = errors.counts()
    metrics["errors_by_type"] = errors.counts_by_type()
    print(format_table(metrics, [*archive.vocab.entity_types, *unknown]))
    print(format_errors(metrics["errors"]))
    if args.errors:
        _write_errors(args.errors, sentences, errors)
    if args.baseline:
        metrics["baseline"] = _against_baseline(args, sentences, errors.tally_table(sentences))
        print(format_comparison(metrics["baseline"]))
    if args.output_file:
        write_json_atomic(args.output_file, metrics)
    return 0


def _read_sentences(args: argparse.Namespace, archive: Archive) -> list[Sentence]:
    reader = _reader(archive, args.reader, args.reader_arg)
    if getattr(reader, "max_sentences", None) is not None:
        logger.info("reading all of %s: the training reader's max_sentences=%d does not apply",
                    args.data, reader.max_sentences)
        reader.max_sentences = None
    sentences = reader.read(args.data)
    if not sentences:
        raise DataError("no sentences to evaluate", args.data)
    return sentences


def _write_errors(path: str, sentences: list[Sentence], errors: ErrorCollector) -> None:
    """One JSON line per sentence with a wrong entity, in file order."""
    with atomic_open(path, errors="backslashreplace") as output:  # lone surrogates escaped
        for sentence in sentences:
            found = errors.of(sentence)
            if found:
                output.write(json.dumps(error_record(sentence, found), ensure_ascii=False) + "\n")


def _against_baseline(
    args: argparse.Namespace, sentences: list[Sentence], counts: np.ndarray
) -> dict[str, Any]:
    """The baseline archive scored on the same sentences, and the paired bootstrap of the two
    F1s (the baseline's own dictionary and precision: none; its overrides:
    ``--baseline-override``)."""
    baseline = load_archive(args.baseline, device=args.device,
                            overrides=args.baseline_override)
    baseline_errors = ErrorCollector(baseline.vocab.tag_scheme)
    baseline_metrics = evaluate_sentences(baseline.model, sentences, batch_size=args.batch_size,
                                          on_batch=baseline_errors)
    result = paired_bootstrap(counts, baseline_errors.tally_table(sentences),
                              samples=args.bootstrap_samples)
    return {"archive": str(args.baseline), **result,
            "baseline_metrics": {k: v for k, v in baseline_metrics.items() if "-" not in k}}


def format_comparison(result: dict[str, Any]) -> str:
    """The paired bootstrap in one line, F1 in percent."""
    low, high = (100 * x for x in result["ci95"])
    return (f"vs {result['archive']}: F1 {100 * result['f1']:.2f} against "
            f"{100 * result['baseline_f1']:.2f}, difference {100 * result['difference']:+.2f} "
            f"(95% interval {low:+.2f} to {high:+.2f}), p = {result['p_value']:.3f} that it is "
            f"not better (paired bootstrap, {result['sentences']:,} sentences, "
            f"{result['samples']:,} samples)")


def format_errors(counts: dict[str, int]) -> str:
    """One line: how many entities were wrong, and how."""
    total = sum(counts.values())
    parts = ", ".join(f"{kind} {count:,}" for kind, count in counts.items())
    return f"errors: {total:,} ({parts})"


def _reader(archive: Archive, name: str | None, pairs: list[str]) -> DatasetReader:
    """The archive's reader, or ``name`` built from ``pairs``; ``pairs`` alone adjust the
    archive's reader config."""
    if name is not None:
        return reader_from_args(name, pairs)[0]
    if not pairs:
        return archive.reader
    base = archive.config.get("validation_dataset_reader") or archive.config["dataset_reader"]
    return build({**base, **parse_reader_args(pairs)}, DatasetReader, path=("dataset_reader",))
