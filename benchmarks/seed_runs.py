"""Train one shipped config with several seeds and keep its small results under ``results/``.

    python benchmarks/seed_runs.py bilstm_crf --dataset msra --seeds 13 14 15 \
        --arg vectors=runs/pretrained/char/vectors.bin

Each seed trains into ``RUNS_DIR/<dataset>/<system>[-<tag>]/seed<N>`` (outside the repository;
weights stay there). A run that was interrupted resumes with ``-r``; a finished one is not
trained again. After each seed (and with ``--collect-only``, for runs still in progress), the
run's ``config.json``, ``metrics*.json`` and a ``command.json`` (the exact command, threads,
machine, date) are copied to ``results/<dataset>/<system>[-<tag>]/seed<N>/``, from which
``benchmarks/results_tables.py`` regenerates the README's results tables.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL_FILES = ("config.json", "metrics.json")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("system", help="a config in training_configs/ (without .jsonnet)")
    parser.add_argument("--dataset", default="msra", help="msra or pd1998 (default: msra)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[13, 14, 15])
    parser.add_argument("--tag", help="suffix naming this variant (e.g. 'random-init')")
    parser.add_argument("--arg", action="append", default=[], help="config argument k=v")
    parser.add_argument("-o", "--override", action="append", default=[], help="override k=v")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", 2)))
    parser.add_argument("--runs-dir", type=Path, default=Path.home() / "nerkit-runs")
    parser.add_argument("--results", type=Path, default=ROOT / "results")
    parser.add_argument("--collect-only", action="store_true",
                        help="copy what the runs have so far; train nothing")
    args = parser.parse_args()
    name = args.system + (f"-{args.tag}" if args.tag else "")
    for seed in args.seeds:
        run_dir = args.runs_dir / args.dataset / name / f"seed{seed}"
        command = train_command(args, run_dir, seed)
        if not args.collect_only and not (run_dir / "model.tar.gz").is_file():
            env = {**os.environ, "OMP_NUM_THREADS": str(args.threads)}
            print("+", shlex.join(command), flush=True)
            done = subprocess.run(command, cwd=ROOT, env=env)
            if done.returncode != 0:
                collect(run_dir, args.results / args.dataset / name / f"seed{seed}", command,
                        args.threads)
                return done.returncode
        collect(run_dir, args.results / args.dataset / name / f"seed{seed}", command,
                args.threads)
    return 0


def train_command(args: argparse.Namespace, run_dir: Path, seed: int) -> list[str]:
    command = [sys.executable, "-m", "nerkit", "train",
               f"training_configs/{args.system}.jsonnet", "-s", str(run_dir),
               "--arg", f"dataset={args.dataset}", "-o", f"random_seed={seed}",
               "-o", "trainer.train_metrics=false"]
    for value in args.arg:
        command += ["--arg", value]
    for value in args.override:
        command += ["-o", value]
    if (run_dir / "checkpoints" / "latest.json").is_file():
        command.append("--recover")
    elif run_dir.exists():
        command.append("--force")  # a run that died before its first checkpoint
    return command


def collect(run_dir: Path, target: Path, command: list[str], threads: int) -> None:
    """Copy the run's small files (never weights) and how it was made into ``target``."""
    if not run_dir.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    for path in [*(run_dir / f for f in SMALL_FILES), *run_dir.glob("metrics_epoch_*.json")]:
        if path.is_file():
            shutil.copy2(path, target / path.name)
    shown = ["nerkit", *[c for c in command[3:] if c not in ("--recover", "--force")]]
    record = {
        "command": f"OMP_NUM_THREADS={threads} " + shlex.join(shown),
        "threads": threads,
        "finished": (run_dir / "model.tar.gz").is_file(),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "collected": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    (target / "command.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
