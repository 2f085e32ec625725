"""``nerkit export ARCHIVE -o DIR --format onnx [--quantize int8]``: a model for onnxruntime."""

from __future__ import annotations

import argparse
import sys

from nerkit.commands.common import add_plugin_arguments
from nerkit.common.extras import require_extra
from nerkit.common.plugins import import_plugins


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export", help="export an archived tagger to ONNX",
        description="Write DIR with model.onnx (embedder, encoder and label projection), the "
        "source archive and onnx.json; use it with `predict --runtime onnx` or "
        "`serve --runtime onnx`. Covers embedding, window_features, char_cnn and concat "
        "embedders, lstm/gru/cnn/transformer encoders, softmax and crf decoders.",
    )
    parser.add_argument("archive", help="path to model.tar.gz")
    parser.add_argument("-o", "--output-dir", required=True, help="directory to write")
    parser.add_argument("--format", choices=["onnx"], default="onnx")
    parser.add_argument("--quantize", choices=["int8"],
                        help="dynamic int8 quantization of the weights")
    add_plugin_arguments(parser)
    parser.set_defaults(func=_run)
    return parser


def _run(args: argparse.Namespace) -> int:
    require_extra("onnx", "onnx", "onnxruntime")
    import_plugins(args.include_package)
    from nerkit.export.onnx_export import export_onnx

    path = export_onnx(args.archive, args.output_dir, quantize=args.quantize)
    print(f"wrote {path}", file=sys.stderr)
    return 0
