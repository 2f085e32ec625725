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
    assert out.count("pretrain word2vec ") == 2  # characters and bigrams, once each


def test_reproduce_resumes_only_from_a_checkpoint(tmp_path):
    from reproduce import parse_args, train_command

    args = parse_args(["msra", "cpu-small", "--output", str(tmp_path), "--systems", "crf"])
    run_dir = tmp_path / "runs" / "crf"
    assert "--recover" not in train_command(args, "crf", run_dir)
    (run_dir / "checkpoints").mkdir(parents=True)
    (run_dir / "config.json").write_text("{}")
    command = train_command(args, "crf", run_dir)
    assert "--force" in command and "--recover" not in command
    (run_dir / "checkpoints" / "latest.json").write_text("{}")
    assert "--recover" in train_command(args, "crf", run_dir)
    (run_dir / "model.tar.gz").write_bytes(b"")
    assert train_command(args, "crf", run_dir) is None


def test_reproduce_wall_time_adds_up_over_invocations(tmp_path):
    import json

    from reproduce import record_wall_time

    record_wall_time(tmp_path, "train crf", 10.0)
    record_wall_time(tmp_path, "train crf", 5.5)
    record_wall_time(tmp_path, "pretrain elmo", 4.5)
    record = json.loads((tmp_path / "wall_time.json").read_text())
    assert record == {"seconds": {"train crf": 15.5, "pretrain elmo": 4.5}, "total_seconds": 20.0}


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
        command = ["python", "-m", "nerkit", "train", "c.jsonnet", "-s", f"runs/seed{seed}",
                   "-o", f"random_seed={seed}", "--recover"]
        collect(run, tmp_path / "results" / "msra" / "bilstm_crf" / f"seed{seed}", command, 1)
    copied = tmp_path / "results" / "msra" / "bilstm_crf" / "seed13"
    assert sorted(p.name for p in copied.iterdir()) == [
        "command.json", "config.json", "metrics_epoch_0.json"]
    record = json.loads((copied / "command.json").read_text())
    assert record["command"] == \
        "OMP_NUM_THREADS=1 nerkit train c.jsonnet -s runs/seed13 -o random_seed=13"
    assert record["finished"] is False

    text = tables(tmp_path / "results")
    assert "### MSRA (dev)" in text
    assert "| bilstm_crf | 2 | - | - | - | 91.00 ± 1.41 |" in text
    assert "2 still training" in text and "random_seed=SEED" in text
    record["stopped"] = "its machine was lost"
    (copied / "command.json").write_text(json.dumps(record))
    text = tables(tmp_path / "results")
    assert "(1 still training: best epoch so far; 1 stopped early, its machine was lost" in text
    assert "-s runs/seedSEED" in text

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
    args.bert_train = tmp_path / "bert_train.bio"  # --bert-train-sentences: both sides' subset
    for job in jobs_for(args, tmp_path / "train.bio", tmp_path / "dev.bio", Path("py"), {}):
        assert job.command[job.command.index("--train") + 1] == str(args.bert_train)
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


def issue14_records() -> list[dict]:
    """One run's records for every #14 row (fake numbers: the checks are the subject)."""
    def variants(softmax: float, greedy: float, beam4: float) -> dict:
        return {name: {"decoder": {}, "predict_seconds": seconds,
                       "predict_sentences_per_s": 100 / seconds}
                for name, seconds in (("softmax", softmax), ("greedy", greedy),
                                      ("beam4", beam4))}

    return [
        {"name": "bilstm_crf-benchmark", "predict_chars_per_s": 160_000.0, "peak_rss_mb": 420.0},
        {"name": "crf-nerkit", "dev_f1": 0.6},
        {"name": "crf-benchmark", "predict_chars_per_s": 300_000.0},
        {"name": "crf-sklearn-crfsuite", "dev_f1": 0.6, "predict_chars_per_s": 325_000.0},
        {"name": "attention_lstm-nerkit", "train_sentences_per_s": 300.0,
         "decoder_variants": variants(1.0, 2.5, 5.0)},
        {"name": "attention_lstm-softmax", "train_sentences_per_s": 900.0, "dev_f1": 0.0},
        {"name": "attention_lstm-bert", "decoder_variants": variants(10.0, 12.0, 19.0)},
    ]


def test_issue14_rows_are_checked_in_one_run():
    checks = {(c["system"], c["measure"]): c for c in check_targets(issue14_records())}
    chars = "prediction characters/s (nerkit benchmark, batch 64)"
    absolute = checks[("bilstm_crf", chars)]
    assert (absolute["met"], absolute["baseline"], absolute["baseline_name"]) == (
        True, 150_000, "absolute bound")
    assert absolute["ratio"] == pytest.approx(160 / 150)
    assert absolute["target"] == ">= 150,000 characters/s"
    rss = checks[("bilstm_crf", "peak RSS of a predicting process (nerkit benchmark)")]
    assert rss["met"] is False and rss["target"] == "<= 400 MB"
    crf = checks[("crf", chars)]
    assert crf["met"] is False and crf["ratio"] == pytest.approx(300 / 325)
    assert crf["baseline_name"] == "crf-sklearn-crfsuite"
    # the softmax head is our own code on the same encoder: it need not learn to be timed
    training = checks[("attention_lstm", "training sentences/s vs softmax head, same BiLSTM "
                                         "encoder")]
    assert training["met"] is False and training["ratio"] == pytest.approx(1 / 3)
    assert "invalid" not in training
    decoding = {measure: c for (_, measure), c in checks.items() if "prediction time" in measure}
    assert [c["met"] for c in decoding.values()] == [True, False, True, False]
    assert decoding["beam4 prediction time vs softmax head (random BERT 4x256)"]["ratio"] == \
        pytest.approx(1.9)
    assert decoding["greedy prediction time vs softmax head (BiLSTM)"]["target"] == "<= 3x"


def test_every_target_has_a_row_even_when_nothing_ran():
    from targets import DECODER_TARGETS, TARGETS

    checks = check_targets([{"name": "crf-nerkit", "error": "exit 1"}])
    assert len(checks) == len(TARGETS) + len(DECODER_TARGETS)
    assert all(c["met"] is None and c["ratio"] is None for c in checks)


def test_markdown_shows_absolute_bounds_and_decoder_rows():
    records = issue14_records()
    text = markdown({"machine": {"date_utc": "today", "cpu": "cpu", "cores": 2,
                                 "platform": "linux", "python": "3.11"},
                     "settings": {"data": "msra", "sentences": {}, "epochs": 3,
                                  "attention_epochs": 1, "threads": 2},
                     "records": records, "targets": check_targets(records)})
    assert ("| bilstm_crf | prediction characters/s (nerkit benchmark, batch 64) | 160,000 | "
            "150,000 (absolute bound) | 1.07 | >= 150,000 characters/s | yes |") in text
    assert ("| attention_lstm | beam4 prediction time vs softmax head (random BERT 4x256) | 19 | "
            "10 (softmax head, same random BERT 4x256) | 1.90 | <= 1.8x | **no** |") in text
    assert "| attention_lstm-bert [greedy] | decoder {} |" in text


def test_issue14_jobs_follow_their_systems(tmp_path):
    from bench import needs_archive, parse_args
    from systems import jobs_for

    args = parse_args(["--systems", "bilstm_crf,crf,attention_lstm", "--threads", "3",
                       "--bert-decoder-sentences", "50"])
    peers = {"flair": "ok", "sklearn-crfsuite": "ok"}
    jobs = jobs_for(args, tmp_path / "train.bio", tmp_path / "dev.bio", Path("py"), peers)
    assert [j.name for j in jobs] == [
        "bilstm_crf-nerkit", "bilstm_crf-benchmark", "bilstm_crf-flair", "crf-nerkit",
        "crf-benchmark", "crf-sklearn-crfsuite", "attention_lstm-nerkit",
        "attention_lstm-softmax", "attention_lstm-bert"]
    by_name = {j.name: j for j in jobs}
    softmax = by_name["attention_lstm-softmax"].command
    assert softmax[softmax.index("--override") + 1] == 'model.decoder={"type": "softmax"}'
    bert = by_name["attention_lstm-bert"].command
    assert bert[bert.index("--sentences") + 1] == "50" and "--bert-shape" in bert

    benchmark = by_name["crf-benchmark"]
    assert benchmark.archive_of == "crf-nerkit"
    assert benchmark.command[benchmark.command.index("--threads") + 1] == "3"
    needs_archive(benchmark, tmp_path / "missing.tar.gz")
    assert benchmark.skipped == {"error": "no archive: crf-nerkit did not finish"}
    archive = tmp_path / "model.tar.gz"
    archive.write_bytes(b"")
    needs_archive(by_name["bilstm_crf-benchmark"], archive)
    assert by_name["bilstm_crf-benchmark"].command[-2:] == ["--archive", str(archive)]


def run_runner(name: str, *argv) -> dict:
    import json
    import subprocess

    result = subprocess.run([sys.executable, str(BENCHMARKS / "runners" / name), *map(str, argv)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_archive_benchmark_runner_reports_characters_per_second(fixtures_root, tagger_archive,
                                                                tmp_path):
    data = fixtures_root / "data" / "tiny.bio"
    record = run_runner("archive_benchmark_runner.py", "--archive", tagger_archive,
                        "--train", data, "--dev", data, "--threads", "1",
                        "--predict-batch-size", "4", "--workdir", tmp_path)
    corpus = read_bio(str(data))
    assert (record["dev_sentences"], record["dev_chars"]) == (len(corpus), corpus.num_chars)
    # characters, not sentences: the fixture's sentences are several characters long
    assert record["predict_chars_per_s"] > 2 * record["predict_sentences_per_s"] > 0
    assert record["peak_rss_mb"] > 0
    assert "batch 4" in record["system"] and (tmp_path / "benchmark.json").is_file()


def test_bert_decoder_runner_times_each_head(fixtures_root, tmp_path):
    import json

    data = fixtures_root / "data" / "tiny.bio"
    shape = {"hidden_size": 16, "num_layers": 1, "num_heads": 2, "intermediate_size": 32,
             "max_position_embeddings": 128}
    record = run_runner("bert_decoder_runner.py", "--train", data, "--dev", data,
                        "--threads", "1", "--sentences", "5", "--repeats", "1",
                        "--bert-shape", json.dumps(shape), "--workdir", tmp_path)
    assert record["dev_sentences"] == 5 and record["system"] == "random BERT 1x16 + decoder"
    variants = record["decoder_variants"]
    assert set(variants) == {"softmax", "greedy", "beam4"}
    assert variants["beam4"]["decoder"] == {"type": "attention_lstm", "beam_size": 4}
    assert all(v["predict_seconds"] > 0 for v in variants.values())


def test_several_datasets_are_checked_and_reported_apart():
    from bench import parse_args

    args = parse_args(["--dataset", "msra,pd1998,msra", "--full"])
    assert args.dataset == ["msra", "pd1998"] and set(args.data) == {"msra", "pd1998"}
    with pytest.raises(SystemExit):
        parse_args(["--dataset", "msra,weibo"])
    with pytest.raises(SystemExit):
        parse_args(["--dataset", "msra,pd1998", "--data", "somewhere"])
    records = [
        {"name": "crf-nerkit", "dataset": "msra", "dev_f1": 0.82, "train_seconds": 100.0},
        {"name": "crf-sklearn-crfsuite", "dataset": "msra", "dev_f1": 0.81, "train_seconds": 150.0},
        {"name": "crf-nerkit", "dataset": "pd1998", "dev_f1": 0.89, "train_seconds": 90.0},
        {"name": "crf-sklearn-crfsuite", "dataset": "pd1998", "dev_f1": 0.90,
         "train_seconds": 80.0},
    ]
    checks = {(c["dataset"], c["measure"]): c for c in check_targets(records)
              if c["system"] == "crf" and c["measure"] in ("dev F1", "training time")}
    assert checks[("msra", "dev F1")]["met"] and checks[("msra", "training time")]["met"]
    assert checks[("pd1998", "dev F1")]["met"] is False
    assert checks[("pd1998", "training time")]["ratio"] == pytest.approx(90 / 80)
    payload = {"machine": {"date_utc": "today", "cpu": "cpu", "cores": 2, "platform": "linux",
                           "python": "3.11"},
               "settings": {"data": "both", "sentences": {}, "epochs": 1, "attention_epochs": 1,
                            "threads": 1},
               "records": records, "targets": check_targets(records)}
    text = markdown(payload)
    for heading in ("## Systems: msra", "## Systems: pd1998", "## Targets: msra",
                    "## Targets: pd1998"):
        assert heading in text
    pd_targets = text[text.index("## Targets: pd1998"):]
    row = "| crf | dev F1 | 0.89 | 0.9 (crf-sklearn-crfsuite) | 0.99 | >= 1x | **no** |"
    assert row in pd_targets


def test_results_tables_name_the_lexicon_of_each_run():
    from results_tables import lexicons

    jieba = {"type": "jieba_dictionary", "min_frequency": 0}
    config = {"model": {"embedder": {"type": "concat", "embedders": [
        {"type": "embedding", "embedding_dim": 100},
        {"type": "softlexicon", "lexicon": jieba},
        {"type": "lexicon_features", "lexicon": jieba}]}}}
    assert lexicons(config) == ["jieba's dictionary (softlexicon, lexicon_features)"]
    folds = {"type": "softlexicon", "lexicon": {"type": "word_list", "path": "/x/pd_train.txt",
                                                 "cross_fold": 10}}
    assert lexicons({"model": {"embedder": folds}}) == [
        "word list pd_train.txt, cross-fold matching in 10 folds (softlexicon)"]
    assert lexicons({"model": {"embedder": {"type": "embedding"}}}) == []
