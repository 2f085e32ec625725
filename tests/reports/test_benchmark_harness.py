"""The benchmark harness's pure parts (benchmarks/ is not a package: imported by path)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path[:0] = [str(BENCHMARKS), str(BENCHMARKS / "runners")]

from common import bio_size, bio_to_spans, read_bio, span_f1, spans_to_bio  # noqa: E402
from report import check_targets, markdown  # noqa: E402
from reproduce import config_parameters  # noqa: E402


def test_strict_bio_spans_round_trip():
    tags = ["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "B-ORG", "I-ORG"]
    spans = bio_to_spans(tags)
    assert spans == [(0, 2, "PER"), (4, 5, "ORG"), (5, 7, "ORG")]
    assert spans_to_bio(spans, len(tags)) == ["B-PER", "I-PER", "O", "O", "B-ORG", "B-ORG", "I-ORG"]


def test_span_f1_counts_exact_matches():
    gold = [[(0, 2, "PER")], [(1, 3, "LOC"), (4, 5, "ORG")]]
    predicted = [[(0, 2, "PER")], [(1, 2, "LOC")]]
    scores = span_f1(gold, predicted)
    assert scores["precision"] == pytest.approx(0.5)
    assert scores["recall"] == pytest.approx(1 / 3)
    assert scores["f1"] == pytest.approx(0.4)


def test_read_bio(fixtures_root):
    corpus = read_bio(str(fixtures_root / "data" / "tiny.bio"))
    assert len(corpus) > 0
    assert len(corpus.chars) == len(corpus.spans)


def test_bio_size_counts_what_read_bio_reads(fixtures_root, tmp_path):
    path = fixtures_root / "data" / "tiny.bio"
    corpus, size = read_bio(str(path)), bio_size(str(path))
    assert (len(size), size.num_chars) == (len(corpus), corpus.num_chars)
    no_final_blank = tmp_path / "two.bio"
    no_final_blank.write_text("a\tO\n\n\nb\tB-PER\nc\tI-PER", encoding="utf-8")
    assert (len(bio_size(str(no_final_blank))), bio_size(str(no_final_blank)).num_chars) == (2, 3)


def test_targets_and_markdown():
    records = [
        {"name": "bilstm_crf-nerkit", "system": "nerkit", "train_sentences_per_s": 900.0,
         "predict_sentences_per_s": 2000.0, "peak_rss_mb": 500.0, "dev_f1": 0.8},
        {"name": "bilstm_crf-flair", "system": "flair", "train_sentences_per_s": 200.0,
         "predict_sentences_per_s": 800.0, "peak_rss_mb": 2000.0, "dev_f1": 0.6},
        {"name": "crf-nerkit", "system": "nerkit", "dev_f1": 0.7, "train_seconds": 9.0},
        {"name": "crf-sklearn-crfsuite", "system": "sklearn-crfsuite", "dev_f1": 0.0,
         "train_seconds": 20.0},
        {"name": "attention_lstm-nerkit", "error": "not installed"},
    ]
    checks = {(c["system"], c["measure"]): c for c in check_targets(records)}
    assert checks[("bilstm_crf", "training sentences/s")]["ratio"] == pytest.approx(4.5)
    assert checks[("bilstm_crf", "prediction sentences/s (batch 64)")]["met"] is False
    assert checks[("bilstm_crf", "peak RSS")]["met"] is True
    assert checks[("bilstm_crf", "dev F1 after the same epochs")]["met"] is True
    for measure in ("dev F1", "training time"):  # crfsuite learned nothing: no comparison holds
        check = checks[("crf", measure)]
        assert check["met"] is None and check["invalid"] == "peer did not learn (dev F1 0)"
    payload = {"machine": {"date_utc": "today", "cpu": "cpu", "cores": 2, "platform": "linux",
                           "python": "3.11"},
               "settings": {"data": "msra", "sentences": {}, "epochs": 3, "attention_epochs": 1,
                            "threads": 2},
               "records": records, "targets": list(checks.values())}
    text = markdown(payload)
    assert "| attention_lstm-nerkit | not run: not installed |" in text
    assert "| bilstm_crf | training sentences/s | 900 | 200 (bilstm_crf-flair) | 4.50 |" in text
    assert "invalid: peer did not learn (dev F1 0) |" in text


def test_config_parameters(tmp_path):
    config = tmp_path / "c.jsonnet"
    config.write_text("// comment (a, b)\nlocal x = import 'x';\n"
                      "function(dataset='msra', data_dir='../d', vectors=null,\n"
                      "         num_epochs=20)\n  {}\n")
    assert config_parameters(config) == {"dataset", "data_dir", "vectors", "num_epochs"}


def test_reproduce_dry_run_passes_pretrained_paths(tmp_path, capsys):
    from reproduce import main

    assert main(["msra", "cpu-small", "--dry-run", "--output", str(tmp_path),
                 "--systems", "word2vec_seq2seq_att,bilstm_crf"]) == 0
    out = capsys.readouterr().out
    assert "pretrain word2vec" in out
    assert f"--arg vectors={tmp_path}/pretrained/word2vec/vectors.txt" in out
    assert "-o dataset_reader.max_sentences=10000" in out
    assert f"plot {tmp_path}/runs/word2vec_seq2seq_att {tmp_path}/runs/bilstm_crf" in out


def test_seed_runs_collect_and_readme_tables(tmp_path, monkeypatch):
    import json

    from results_tables import BEGIN, END, tables
    from seed_runs import collect

    for seed, f1 in ((13, 0.90), (14, 0.92)):
        run = tmp_path / "runs" / f"seed{seed}"
        (run / "checkpoints").mkdir(parents=True)
        (run / "checkpoints" / "weights.safetensors").write_text("not copied")
        (run / "config.json").write_text(json.dumps({"model": "m", "random_seed": seed}))
        (run / "metrics_epoch_0.json").write_text(json.dumps({"epoch": 0, "validation_f1": f1}))
        command = ["python", "-m", "nerkit", "train", "c.jsonnet", "-o", f"random_seed={seed}",
                   "--recover"]
        collect(run, tmp_path / "results" / "msra" / "bilstm_crf" / f"seed{seed}", command, 1)
    copied = tmp_path / "results" / "msra" / "bilstm_crf" / "seed13"
    assert sorted(p.name for p in copied.iterdir()) == [
        "command.json", "config.json", "metrics_epoch_0.json"]
    record = json.loads((copied / "command.json").read_text())
    assert record["command"] == "OMP_NUM_THREADS=1 nerkit train c.jsonnet -o random_seed=13"
    assert record["finished"] is False

    text = tables(tmp_path / "results")
    assert "### MSRA (dev)" in text
    assert "| bilstm_crf | 2 | - | - | - | 91.00 ± 1.41 |" in text
    assert "2 still training" in text and "random_seed=SEED" in text

    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{BEGIN}\nold\n{END}\nafter\n")
    import results_tables

    monkeypatch.setattr(sys, "argv", ["results_tables.py", "--results",
                                      str(tmp_path / "results"), "--readme", str(readme)])
    assert results_tables.main() == 0
    rewritten = readme.read_text()
    assert rewritten.startswith("intro\n" + BEGIN + "\n### MSRA (dev)")
    assert rewritten.endswith(END + "\nafter\n") and "old" not in rewritten


def test_bert_softmax_pairs_nerkit_with_a_plain_transformers_loop(tmp_path):
    from bench import parse_args
    from systems import jobs_for

    args = parse_args(["--systems", "bert_softmax", "--bert-lr", "0.001"])
    args.bert_dir = tmp_path / "bert"
    nerkit, loop = jobs_for(args, tmp_path / "train.bio", tmp_path / "dev.bio", Path("py"), {})
    assert (nerkit.name, loop.name) == ("bert_softmax-nerkit", "bert_softmax-transformers")
    assert f"bert={tmp_path / 'bert'}" in nerkit.command and "bert_lr=0.001" in nerkit.command
    assert loop.command[1].endswith("hf_loop_runner.py") and "--bert-lr" in loop.command
    args.no_peers = True
    assert jobs_for(args, tmp_path / "t", tmp_path / "d", Path("py"), {})[1].skipped


def test_transformers_loop_runner_trains_and_reports(fixtures_root, tiny_bert_dir, tmp_path):
    import json
    import subprocess

    data = str(fixtures_root / "data" / "tiny.bio")
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "runners" / "hf_loop_runner.py"), "--train", data,
         "--dev", data, "--epochs", "2", "--threads", "1", "--latency-sentences", "2",
         "--bert", str(tiny_bert_dir), "--workdir", str(tmp_path)],
        capture_output=True, text=True, check=True,
    )
    record = json.loads(result.stdout.strip().splitlines()[-1])
    assert record["epochs"] == 2 and record["train_sentences_per_s"] > 0
    assert 0 <= record["dev_f1"] <= 1 and record["dev_sentences"] == len(read_bio(data))
