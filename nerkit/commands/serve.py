"""``nerkit serve ARCHIVE``: an HTTP endpoint and a demo page for a trained model."""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from nerkit.commands.common import (
    add_amp_argument,
    add_dictionary_arguments,
    add_plugin_arguments,
    dictionary_from_arguments,
)
from nerkit.common.errors import ConfigurationError
from nerkit.common.extras import require_extra
from nerkit.common.plugins import import_plugins
from nerkit.export.runtimes import RUNTIMES

logger = logging.getLogger(__name__)

# oneDNN (torch's CPU LSTM kernels) caches a compiled primitive per input shape, 1,024 by
# default; request shapes vary without end, so a server's memory would grow with each new one.
# Set before the first model call; a value in the environment wins.
PRIMITIVE_CACHE = ("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "8")


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "serve", help="serve a model over HTTP, with a demo page",
        description="POST /predict {\"text\": ...} or {\"texts\": [...]} -> entities with "
        "character offsets and scores (?format=displacy for displaCy); GET /health, "
        "GET /metadata, GET /docs; the demo page at /.",
    )
    parser.add_argument("archive", help="model.tar.gz (or an export directory with --runtime "
                        "onnx)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="interface to listen on (0.0.0.0 for every interface)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--runtime", choices=RUNTIMES, default="torch",
                        help="onnx: onnxruntime on an export directory, or on the archive "
                        "exported at start-up")
    parser.add_argument("--device", default="cpu", help="torch runtime: cpu, cuda or cuda:N")
    add_amp_argument(parser)
    add_dictionary_arguments(parser)
    parser.add_argument("--max-length", type=int, default=5000,
                        help="longest text accepted, in characters (413 beyond)")
    parser.add_argument("--max-texts", type=int, default=64,
                        help="most texts in one request (413 beyond)")
    parser.add_argument("--max-batch-size", type=int, default=32,
                        help="texts per model call when requests are batched together")
    parser.add_argument("--max-wait-ms", type=float, default=5.0,
                        help="how long a request waits for others to share its batch")
    parser.add_argument("--max-queue", type=int, default=256,
                        help="requests allowed to wait; more get 503")
    parser.add_argument("--max-n-best", type=int, default=20,
                        help="largest \"n_best\" a request may ask for (422 beyond)")
    add_plugin_arguments(parser)
    parser.set_defaults(func=_run)
    return parser


def _run(args: argparse.Namespace) -> int:
    require_extra("serve", "fastapi", "uvicorn")
    for option in ("max_length", "max_texts", "max_batch_size", "max_queue", "max_n_best"):
        if getattr(args, option) < 1:
            raise ConfigurationError(f"--{option.replace('_', '-')} must be at least 1")
    if args.max_wait_ms < 0:
        raise ConfigurationError("--max-wait-ms must not be negative")
    os.environ.setdefault(*PRIMITIVE_CACHE)
    import_plugins(args.include_package)
    import uvicorn

    from nerkit.export.onnx_export import file_sha256
    from nerkit.export.runtimes import load_predictor
    from nerkit.serving.app import ServeSettings, create_app
    from nerkit.serving.metadata import gives_n_best, model_metadata

    dictionary = dictionary_from_arguments(args)  # a bad file fails before the model loads
    predictor = load_predictor(args.archive, args.runtime, device=args.device, scores=True,
                               amp=args.amp)
    vocab = predictor.model.vocab
    metadata = model_metadata(args.archive, args.runtime, list(vocab.labels), vocab.tag_scheme)
    metadata["n_best"] = gives_n_best(predictor)
    predictor.dictionary = dictionary
    if dictionary is not None:
        metadata["dictionary"] = {"file": Path(args.dictionary).name,
                                  "entries": len(dictionary),
                                  "mode": args.dictionary_mode,
                                  "sha256": file_sha256(Path(args.dictionary))}
    settings = ServeSettings(args.max_length, args.max_texts, args.max_batch_size,
                             args.max_wait_ms, args.max_queue, args.max_n_best)
    app = create_app(predictor, metadata, settings)
    logger.info("serving %s (%s) at http://%s:%d/", args.archive, args.runtime, args.host,
                args.port)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0
