"""``nerkit compare RUN_DIR...``: the paper's P/R/F1 table from training run directories."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from nerkit.common.atomic import write_text_atomic
from nerkit.reports.runs import SPLIT_PREFIXES, Run, group_runs, load_run
from nerkit.reports.tables import DEFAULT_TYPES, grouped_score_table, score_table

SEED_ONLY = re.compile(r"^seed\d+$")


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "compare",
        help="tabulate P/R/F1 (overall and per type) of several runs",
        description="One row per run directory, scores in percent. Reads metrics.json "
        "(best_validation_* or test_*), or the best metrics_epoch_N.json of an unfinished run.",
    )
    parser.add_argument("runs", nargs="+", metavar="RUN_DIR", help="serialization directories")
    parser.add_argument("--split", choices=sorted(SPLIT_PREFIXES), default="validation",
                        help="which scores to report (default: validation)")
    parser.add_argument("--format", choices=["md", "csv"], default="md", dest="fmt",
                        help="Markdown (default) or CSV")
    parser.add_argument("--output", "-o", type=Path, help="write the table here instead of stdout")
    add_naming_arguments(parser)
    parser.add_argument("--group", action="store_true",
                        help="one row per config: runs differing only in random_seed are "
                        "grouped, cells are mean ± std, with run count and training minutes")
    parser.add_argument("--ignore", action="append", default=[], metavar="KEY",
                        help="with --group: a dotted config key not compared (repeatable), e.g. "
                        "model.decoder.beam_size when only the archive's prediction search "
                        "differs and the scores come from greedy validation")
    parser.add_argument("--types", default=",".join(DEFAULT_TYPES),
                        help="comma-separated entity types with their own columns "
                        "(default: %(default)s)")
    parser.set_defaults(func=run_compare)
    return parser


def add_naming_arguments(parser: argparse.ArgumentParser) -> None:
    """``--name dir|model``, shared with ``nerkit plot``."""
    parser.add_argument("--name", choices=["dir", "model"], default="dir",
                        help="system name: the run directory's name (default) or the config's "
                        "embedder+encoder+decoder types")


def system_names(runs: list[Run], naming: str) -> list[str]:
    """Each run's name: its config's types, or its directory's (``bilstm_crf/seed13`` for a
    directory named only by its seed)."""
    if naming == "model":
        return [run.model_summary() for run in runs]
    return [f"{run.directory.resolve().parent.name}/{run.name}" if SEED_ONLY.match(run.name)
            else run.name for run in runs]


def run_compare(args: argparse.Namespace) -> int:
    runs = [load_run(directory) for directory in args.runs]
    types = [label.strip() for label in args.types.split(",") if label.strip()]
    if args.group:
        groups = group_runs(runs, ignore=args.ignore)
        if args.name == "model":
            groups = [(members[0].model_summary(), members) for _, members in groups]
        table = grouped_score_table(groups, args.split, types)
    else:
        table = score_table(runs, args.split, types, system_names(runs, args.name))
    text = table.render(args.fmt)
    if args.output is None:
        print(text, end="")
    else:
        write_text_atomic(args.output, text)
    return 0
