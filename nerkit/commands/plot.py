"""``nerkit plot RUN_DIR... -o f1.png``: development F1 against epoch (the paper's Figure 3)."""

from __future__ import annotations

import argparse
from pathlib import Path

from nerkit.commands.compare import add_naming_arguments, system_names
from nerkit.reports.runs import load_run


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "plot",
        help="draw a per-epoch metric of several runs (needs matplotlib)",
        description="One line per run directory, read from its metrics_epoch_N.json files.",
    )
    parser.add_argument("runs", nargs="+", metavar="RUN_DIR", help="serialization directories")
    parser.add_argument("--output", "-o", type=Path, required=True,
                        help="image file; the extension picks the format (png, pdf, svg)")
    parser.add_argument("--metric", default="validation_f1",
                        help="per-epoch key to draw (default: %(default)s)")
    parser.add_argument("--title", help="figure title")
    parser.add_argument("--x", choices=("epoch", "minutes"), default="epoch", dest="x_axis",
                        help="x axis: epoch (default) or training minutes (summed "
                        "epoch_seconds), to compare runs at equal time")
    add_naming_arguments(parser)
    parser.set_defaults(func=run_plot)
    return parser


def run_plot(args: argparse.Namespace) -> int:
    from nerkit.reports.figures import plot_epoch_curves

    runs = [load_run(directory) for directory in args.runs]
    names = system_names(runs, args.name)
    output = plot_epoch_curves(runs, args.output, args.metric, names, args.title, args.x_axis)
    print(f"wrote {output}")
    return 0
