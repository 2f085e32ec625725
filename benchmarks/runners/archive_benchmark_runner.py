"""``nerkit benchmark`` on an archive another runner trained, in a process that only predicts.

Runs the command in this process (as a user would from the shell) at ``--predict-batch-size``
on the development file, then reports its characters/s and sentences/s, and this process's
peak RSS: the memory of a predicting process, training excluded.
"""

from __future__ import annotations

import json
from pathlib import Path

from common import emit, runner_arguments, set_threads


def benchmark_record(result: dict, batch_size: int) -> dict:
    """The bench's keys from a ``nerkit benchmark`` JSON record (one batch size)."""
    batch = result["batches"][str(batch_size)]
    return {"system": f"nerkit benchmark ({result['runtime']}, batch {batch_size})",
            "dev_sentences": result["sentences"], "dev_chars": result["characters"],
            "predict_seconds": batch["seconds"],
            "predict_sentences_per_s": batch["sentences_per_s"],
            "predict_chars_per_s": batch["characters_per_s"],
            "predict_latency_ms_p50": batch["latency_ms_p50"],
            "predict_latency_ms_p99": batch["latency_ms_p99"]}


def main() -> None:
    parser = runner_arguments(__doc__)
    parser.add_argument("--archive", required=True, help="model.tar.gz to benchmark")
    args = parser.parse_args()
    set_threads(args.threads)
    from nerkit.commands import main as nerkit_main

    output = Path(args.workdir) / "benchmark.json"
    try:
        nerkit_main(["benchmark", args.archive, args.dev, "--batch-sizes",
                     str(args.predict_batch_size), "--threads", str(args.threads),
                     "--output-file", str(output)])
    except SystemExit as finished:
        if finished.code:
            raise
    emit(benchmark_record(json.loads(output.read_text()), args.predict_batch_size))


if __name__ == "__main__":
    main()
