"""``nerkit evaluate ARCHIVE DATA``: P/R/F1 overall and per type, printed and written as JSON."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

from nerkit.archive import load_archive
from nerkit.commands.common import add_plugin_arguments
from nerkit.common.plugins import import_plugins
from nerkit.predictor import evaluate_sentences

logger = logging.getLogger(__name__)


def format_table(metrics: dict[str, Any], types: list[str]) -> str:
    """A plain-text table: one row per entity type and an overall row."""
    rows = [("type", "precision", "recall", "f1")]
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
        description="Evaluate a model.tar.gz on a labelled file read with the archive's reader.",
    )
    parser.add_argument("archive", help="path to model.tar.gz")
    parser.add_argument("data", help="labelled data file")
    parser.add_argument("--output-file", help="write the metrics as JSON here")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    add_plugin_arguments(parser)
    parser.set_defaults(func=_run)
    return parser


def _run(args: argparse.Namespace) -> int:
    import_plugins(args.include_package)
    archive = load_archive(args.archive, device=args.device)
    if archive.reader.max_sentences is not None:
        logger.info("reading all of %s: the training reader's max_sentences=%d does not apply",
                    args.data, archive.reader.max_sentences)
        archive.reader.max_sentences = None
    sentences = archive.reader.read(args.data)
    metrics = evaluate_sentences(archive.model, sentences, batch_size=args.batch_size)
    print(format_table(metrics, archive.vocab.entity_types))
    if args.output_file:
        Path(args.output_file).write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    return 0
