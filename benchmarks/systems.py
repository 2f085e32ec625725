"""The benchmark's jobs: each nerkit config and the peer it is measured against."""

from __future__ import annotations

import argparse
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RUNNERS = HERE / "runners"
CONFIGS = ROOT / "training_configs"

# The paper's decoder on random character embeddings (word2vec_seq2seq_att without vectors):
# prediction is timed greedy, with a beam of 4 and with a softmax head on the same encoder.
ATTENTION_CONFIG = "word2vec_seq2seq_att.jsonnet"
ATTENTION_VARIANTS = {"greedy": {}, "beam4": {"beam_size": 4}, "softmax": {"type": "softmax"}}


@dataclass
class Job:
    """One runner subprocess, or the reason it cannot run (``skipped``)."""

    name: str
    system: str
    side: str  # "nerkit" or "peer"
    command: list[str] = field(default_factory=list)
    skipped: dict | None = None
    archive_of: str | None = None  # the job whose archive this one reads (``--archive``)


def shared_arguments(args: argparse.Namespace, train: Path, dev: Path, epochs: int) -> list[str]:
    return ["--train", str(train), "--dev", str(dev), "--epochs", str(epochs),
            "--latency-sentences", str(args.latency_sentences), "--threads", str(args.threads)]


def nerkit_job(args, system: str, config: str, train: Path, dev: Path, epochs: int,
               extra: list[str] = (), name: str = "nerkit") -> Job:
    job = Job(f"{system}-{name}", system, "nerkit")
    path = CONFIGS / config
    if not path.is_file():
        job.skipped = {"error": f"config {path.relative_to(ROOT)} not found"}
        return job
    job.command = [args.python, str(RUNNERS / "nerkit_runner.py"), "--config", str(path),
                   *shared_arguments(args, train, dev, epochs), *extra]
    return job


def benchmark_job(args, system: str, train: Path, dev: Path) -> Job:
    """``nerkit benchmark`` (batch 64) on the archive ``{system}-nerkit`` trained."""
    job = Job(f"{system}-benchmark", system, "nerkit", archive_of=f"{system}-nerkit")
    job.command = [args.python, str(RUNNERS / "archive_benchmark_runner.py"),
                   *shared_arguments(args, train, dev, 0)]
    return job


def peer_job(args, system: str, peer: str, runner: str, python: Path, peers: dict,
             train: Path, dev: Path, extra: list[str] = ()) -> Job:
    job = Job(f"{system}-{peer}", system, "peer")
    if args.no_peers:
        job.skipped = {"error": "skipped (--no-peers)"}
    elif peers.get(peer) != "ok":
        job.skipped = {"error": f"{peer} not installed: {peers.get(peer, 'unknown')}"}
    else:
        job.command = [str(python), str(RUNNERS / runner),
                       *shared_arguments(args, train, dev, args.epochs), *extra]
    return job


def jobs_for(args: argparse.Namespace, train: Path, dev: Path, peer_python: Path,
             peers: dict) -> list[Job]:
    """Jobs of the systems named in ``--systems``, nerkit first, then its peer."""
    wanted = [name.strip() for name in args.systems.split(",") if name.strip()]
    jobs: list[Job] = []
    for system in wanted:
        if system == "bilstm_crf":
            # flair's tagger reads characters only: compare the same inputs, epochs decide
            jobs.append(nerkit_job(args, system, "bilstm_crf.jsonnet", train, dev, args.epochs,
                                   ["--tla", "bigrams=false", "--tla", "max_minutes=null"]))
            jobs.append(benchmark_job(args, system, train, dev))
            jobs.append(peer_job(args, system, "flair", "flair_runner.py", peer_python, peers,
                                 train, dev, ["--batch-size", "32"]))
        elif system == "crf":
            jobs.append(nerkit_job(args, system, "crf.jsonnet", train, dev, args.crf_epochs))
            jobs.append(benchmark_job(args, system, train, dev))
            jobs.append(peer_job(args, system, "sklearn-crfsuite", "crfsuite_runner.py",
                                 peer_python, peers, train, dev,
                                 ["--crf-iterations", str(args.crf_iterations)]))
        elif system == "attention_lstm":
            jobs += attention_jobs(args, train, dev)
        elif system == "bert_softmax":
            jobs += bert_jobs(args, args.bert_train or train, dev)
        else:
            raise SystemExit(f"unknown system {system!r}; expected bilstm_crf, crf, "
                             "attention_lstm, bert_softmax")
    return jobs


def attention_jobs(args: argparse.Namespace, train: Path, dev: Path) -> list[Job]:
    """The paper's decoder against a softmax head on the same encoder: trained and timed
    behind the BiLSTM (prediction variants on one trained encoder; training throughput
    against the same config trained with a softmax head), and decoding behind a random BERT."""
    extra = []
    for name, block in ATTENTION_VARIANTS.items():
        extra += ["--decoder-variant", f"{name}={json.dumps(block)}"]
    attention = nerkit_job(args, "attention_lstm", ATTENTION_CONFIG, train, dev,
                           args.attention_epochs, extra)
    softmax_head = json.dumps(ATTENTION_VARIANTS["softmax"])
    softmax = nerkit_job(args, "attention_lstm", ATTENTION_CONFIG, train, dev,
                         args.attention_epochs, ["--override", f"model.decoder={softmax_head}"],
                         name="softmax")
    bert = Job("attention_lstm-bert", "attention_lstm", "nerkit")
    bert.command = [args.python, str(RUNNERS / "bert_decoder_runner.py"),
                    *shared_arguments(args, train, dev, 0),
                    "--sentences", str(args.bert_decoder_sentences),
                    "--bert-shape", json.dumps(BERT_SHAPE)]
    return [attention, softmax, bert]


def bert_jobs(args: argparse.Namespace, train: Path, dev: Path) -> list[Job]:
    """Fine-tuning speed: ``bert_softmax`` against a plain Hugging Face loop, both on the same
    random local BERT (``BERT_SHAPE``, built by ``build_bert``) with the same learning rates."""
    bert = str(args.bert_dir)
    nerkit = nerkit_job(args, "bert_softmax", "bert_softmax.jsonnet", train, dev,
                        args.bert_epochs,
                        ["--tla", f"bert={bert}", "--tla", f"bert_lr={args.bert_lr}"])
    loop = Job("bert_softmax-transformers", "bert_softmax", "peer")
    if args.no_peers:
        loop.skipped = {"error": "skipped (--no-peers)"}
    else:
        loop.command = [args.python, str(RUNNERS / "hf_loop_runner.py"),
                        *shared_arguments(args, train, dev, args.bert_epochs),
                        "--bert", bert, "--bert-lr", str(args.bert_lr)]
    return [nerkit, loop]


# The fine-tuning comparison: a 4-layer, 256-wide BERT (random weights, no download).
BERT_SHAPE = {"hidden_size": 256, "num_layers": 4, "num_heads": 4, "intermediate_size": 1024,
              "max_position_embeddings": 512}


def build_bert(python: str, train: Path, directory: Path) -> Path:
    """Write a random ``BERT_SHAPE`` BERT whose vocabulary is the training file's characters."""
    script = (
        "import json, sys\n"
        "from nerkit.testing.tiny_transformer import build_tiny_bert\n"
        "chars = sorted({l.split()[0] for l in open(sys.argv[1], encoding='utf-8') if l.strip()})\n"
        "build_tiny_bert(sys.argv[2], chars, **json.loads(sys.argv[3]))\n"
    )
    subprocess.run([python, "-c", script, str(train), str(directory), json.dumps(BERT_SHAPE)],
                   check=True, cwd=ROOT)
    return directory
