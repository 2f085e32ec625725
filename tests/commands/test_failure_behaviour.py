"""Issue #10's table: one row per reported failure and per deliverable, through the real CLI.

Each row reproduces what a user saw (a lost file, a misaligned output, a traceback, a NaN) and
asserts what nerkit does now. Rows run ``nerkit`` in-process (``main``) for speed; the trainer's
own rows (non-finite loss, signals, timed checkpoints) live with the trainer's tests.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
import torch

from nerkit.commands import main
from nerkit.common.atomic import write_text_atomic

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
CONFIG = FIXTURES / "configs" / "tagger_crf.jsonnet"
ODD_CHARACTERS = ["\n", "\t", " ", "\u3000", "\u2028", "😀", "\ud800"]


def nerkit(capsys, *argv):
    """Run the CLI in-process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as caught:
        main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return caught.value.code, out, err


def assert_one_error_line(code, err, *fragments):
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert code == 1 and len(lines) == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]


def train_args(directory, *extra):
    return ["train", CONFIG, "--arg", f"fixtures={FIXTURES}", "-s", directory, *extra]


# 1. predict drops blank and whitespace-only lines -------------------------------------------
def row_predict_keeps_blank_lines_aligned(capsys, tmp_path, tagger_archive):
    texts = ["武斌表示：自己认准的道路", "", "绍棠先生骨灰安葬地", "   ", "张"]
    source = tmp_path / "in.txt"
    source.write_text("\n".join(texts) + "\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    code, _, _ = nerkit(capsys, "predict", tagger_archive, source, "--output-file", output)
    results = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert code == 0 and [r["text"] for r in results] == texts
    assert results[1]["entities"] == []


# 2. a newline (or any odd character) in the training text breaks loading ----------------------
def row_any_character_survives_the_archive(capsys, tmp_path, tagger_archive):
    from nerkit.archive import archive_model, load_archive
    from nerkit.common.build import build
    from nerkit.data.vocabulary import Vocabulary
    from nerkit.models.model import Model

    original = load_archive(tagger_archive)
    vocab = Vocabulary([*ODD_CHARACTERS, *original.vocab.tokens[2:]],
                       original.vocab.entity_types, original.vocab.tag_scheme)
    model = build(original.config["model"], Model, context={"vocab": vocab})
    archive = archive_model(tmp_path / "odd.tar.gz", model, original.config, vocab)
    source = tmp_path / "in.jsonl"
    text = "北京\n\t \u3000\u2028😀\ud800"
    source.write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
    code, out, err = nerkit(capsys, "predict", archive, source)
    assert code == 0, err
    assert json.loads(out)["text"] == text
    assert load_archive(archive).vocab.tokens == vocab.tokens


# 3. train -f deletes the previous run before the data is read ---------------------------------
def row_force_keeps_the_old_run_when_the_data_is_bad(capsys, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "model.tar.gz").write_bytes(b"the previous model")
    empty = tmp_path / "empty.bio"
    empty.write_text("", encoding="utf-8")
    for train_path in (empty, tmp_path / "mistyped.bio"):
        code, _, err = nerkit(capsys, *train_args(run, "-f", "-o",
                                                  f"train_data_path={train_path}"))
        assert_one_error_line(code, err, str(train_path))
        assert (run / "model.tar.gz").read_bytes() == b"the previous model"


# 4. evaluate on an entity type the model never saw --------------------------------------------
def row_unknown_gold_types_count_as_missed(capsys, tmp_path, tagger_archive, caplog):
    data = tmp_path / "time.bio"
    data.write_text("今\tB-TIME\n天\tI-TIME\n北\tB-LOC\n京\tI-LOC\n", encoding="utf-8")
    output = tmp_path / "metrics.json"
    with caplog.at_level(logging.WARNING):
        code, out, err = nerkit(capsys, "evaluate", tagger_archive, data, "--output-file", output)
    assert code == 0, err
    assert "TIME (1)" in caplog.text and "scored as missed" in caplog.text
    metrics = json.loads(output.read_text(encoding="utf-8"))
    assert metrics["recall-TIME"] == 0.0 and metrics["recall"] <= 0.5
    assert "TIME" in out


# 5. outputs are not atomic ----------------------------------------------------------------------
def row_failed_predict_leaves_the_old_output(capsys, tmp_path, tagger_archive):
    source = tmp_path / "in.jsonl"
    good = json.dumps({"text": "北京"}, ensure_ascii=False)
    source.write_text("\n".join([good] * 1100 + ["{broken"]) + "\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    output.write_text("earlier results\n", encoding="utf-8")
    code, _, err = nerkit(capsys, "predict", tagger_archive, source, "--output-file", output,
                          "--input-format", "jsonl")
    assert_one_error_line(code, err, f"{source}:1101")
    assert output.read_text(encoding="utf-8") == "earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


# 6. a truncated model.tar.gz ------------------------------------------------------------------
def row_truncated_archive_names_the_file(capsys, tmp_path, tagger_archive):
    cut = tmp_path / "model.tar.gz"
    cut.write_bytes(tagger_archive.read_bytes()[: tagger_archive.stat().st_size // 2])
    data = FIXTURES / "data" / "tiny.bio"
    code, _, err = nerkit(capsys, "evaluate", cut, data)
    assert_one_error_line(code, err, str(cut), "truncated")


# 7. operating-system errors -------------------------------------------------------------------
def row_os_errors_are_one_line(capsys, tmp_path, tagger_archive):
    code, _, err = nerkit(capsys, "predict", tagger_archive, tmp_path / "nowhere.txt")
    assert_one_error_line(code, err, "nowhere.txt", "not found")
    source = tmp_path / "in.txt"
    source.write_text("北京\n", encoding="utf-8")
    nested = tmp_path / "new" / "folder" / "out.jsonl"  # a missing output folder is created
    code, _, _ = nerkit(capsys, "predict", tagger_archive, source, "--output-file", nested)
    assert code == 0 and nested.is_file()
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    code, _, err = nerkit(capsys, *train_args(blocker / "run"))  # cannot create the folder
    assert_one_error_line(code, err, str(blocker))


# 8. data-stats wording and empty files ------------------------------------------------------------
def row_data_stats_on_empty_and_all_bad_files(capsys, tmp_path):
    empty = tmp_path / "empty.bio"
    empty.write_text("", encoding="utf-8")
    code, out, _ = nerkit(capsys, "data-stats", empty, "--json")
    assert code == 0 and json.loads(out)["sentences"] == 0
    bad = tmp_path / "bad.bio"
    bad.write_text("北\tX-LOC\n\n京\tQ\n", encoding="utf-8")
    code, out, _ = nerkit(capsys, "data-stats", bad, "--json")
    stats = json.loads(out)
    assert code == 0 and stats["sentences"] == 0 and stats["problems"] == 2
    assert stats["problem_examples"][0].startswith(f"{bad}:1:")


# 9. train -r on a folder with no checkpoint ------------------------------------------------------
def row_recover_without_a_checkpoint_is_an_error(capsys, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = nerkit(capsys, *train_args(run, "-r"))
    assert_one_error_line(code, err, "nothing to resume", "checkpoints/latest.json")
    assert sorted(p.name for p in run.iterdir()) == ["notes.txt"]


# 10. the CRF's log-partition overflows --------------------------------------------------------
def row_crf_log_partition_stays_finite():
    from nerkit.modules.decoders.linear_chain import log_partition, log_space_log_partition

    generator = torch.Generator().manual_seed(0)
    emissions = torch.randn(3, 20, 5, generator=generator, dtype=torch.float64) * 10000
    transitions = torch.randn(5, 5, generator=generator, dtype=torch.float64) * 10000
    transitions[0, 1:3] = float("-inf")
    ends = torch.zeros(5, dtype=torch.float64)
    mask = torch.ones(3, 20, dtype=torch.bool)
    log_z = log_partition(emissions.requires_grad_(), transitions, ends, ends, mask)
    log_z.sum().backward()
    assert torch.isfinite(log_z).all() and torch.isfinite(emissions.grad).all()
    expected = log_space_log_partition(emissions.detach(), transitions, ends, ends, mask)
    assert torch.allclose(log_z, expected)


# 11. a U+3000 row in a space-separated .bio ----------------------------------------------------
def row_ideographic_space_in_space_separated_rows(capsys, tmp_path):
    data = tmp_path / "spaced.bio"
    data.write_text("北 B-LOC\n京 I-LOC\n\u3000 O\n", encoding="utf-8")
    code, out, _ = nerkit(capsys, "data-stats", data, "--json")
    stats = json.loads(out)
    assert code == 0 and stats["problems"] == 0 and stats["characters"] == 3


# Deliverable: one error path; --debug and NERKIT_DEBUG=1 show the traceback ----------------------
def row_a_bug_is_one_line_unless_debugging(capsys, tmp_path, monkeypatch):
    import nerkit.commands.data_stats as data_stats

    def broken(*args, **kwargs):
        raise TypeError("a bug inside a component")

    monkeypatch.setattr(data_stats, "dataset_stats", broken)
    data = FIXTURES / "data" / "tiny.bio"
    code, _, err = nerkit(capsys, "data-stats", data)
    assert_one_error_line(code, err, "unexpected TypeError: a bug inside a component",
                          "--debug")
    with pytest.raises(TypeError):
        main(["--debug", "data-stats", str(data)])
    with pytest.raises(TypeError):
        main(["data-stats", str(data), "--debug"])
    monkeypatch.setenv("NERKIT_DEBUG", "1")
    with pytest.raises(TypeError):
        main(["data-stats", str(data)])


# Deliverable: every file nerkit writes is written to a temporary name and renamed --------------
def row_atomic_writes_leave_no_partial_file(tmp_path):
    from nerkit.common.atomic import atomic_open

    target = tmp_path / "metrics.json"
    write_text_atomic(target, "old")
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write("half of the new content")
        raise RuntimeError("failed half-way")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.json"]


def row_conversions_write_atomically(capsys, tmp_path):
    output = tmp_path / "out.bio"
    output.write_text("earlier", encoding="utf-8")
    bad = tmp_path / "bad.bio"
    bad.write_text("北\tB-LOC\n\n京\tQ\n", encoding="utf-8")
    code, _, err = nerkit(capsys, "convert", bad, output)
    assert_one_error_line(code, err, f"{bad}:3")
    assert output.read_text(encoding="utf-8") == "earlier"


# Deliverable: evaluate --reader / --reader-arg / -o --------------------------------------------
def row_evaluate_with_another_reader(capsys, tmp_path, tagger_archive):
    data = FIXTURES / "data" / "sighan2006_sample.txt"
    code, _, err = nerkit(capsys, "evaluate", tagger_archive, data)
    assert code == 1 and "error: " in err  # the archive's CoNLL reader cannot read it
    output = tmp_path / "metrics.json"
    code, _, err = nerkit(capsys, "evaluate", tagger_archive, data, "--reader", "sighan2006",
                          "--output-file", output)
    assert code == 0, err
    assert "recall-ORG" in json.loads(output.read_text(encoding="utf-8"))
    code, _, err = nerkit(capsys, "evaluate", tagger_archive, data,
                          "-o", "dataset_reader.type=sighan2006")
    assert_one_error_line(code, err, "dataset_reader -> tag_scheme: unknown key")
    code, _, err = nerkit(capsys, "evaluate", tagger_archive, data,
                          "-o", 'dataset_reader={"type": "sighan2006"}')
    assert code == 0, err
    spaced = tmp_path / "spaced.bio"
    spaced.write_text("北 B-LOC\n京 I-LOC\n", encoding="utf-8")
    code, _, err = nerkit(capsys, "evaluate", tagger_archive, spaced, "--reader-arg",
                          "tag_scheme=BIO")
    assert code == 0, err


# Deliverable: the dataset cache -------------------------------------------------------------------
def row_damaged_cache_entry_is_read_again(tmp_path, caplog):
    from nerkit.data.cache import read_cached
    from nerkit.data.dataset_readers import ConllDatasetReader

    data = FIXTURES / "data" / "tiny.bio"
    first = read_cached(ConllDatasetReader(), {}, data, tmp_path)
    (entry,) = (tmp_path / "datasets").iterdir()
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    with caplog.at_level(logging.WARNING):
        again = read_cached(ConllDatasetReader(), {}, data, tmp_path)
    assert len(again) == len(first) and "damaged" in caplog.text


def row_tests_use_a_private_cache():
    assert Path(os.environ["NERKIT_CACHE"]).resolve() != (Path.home() / ".cache" / "nerkit")


# Deliverable: the README says what each command does on bad input --------------------------------
def row_readme_documents_failure_behaviour():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Failure behaviour", 1)[1].split("\n## ", 1)[0]
    for fragment in ("-f", "-r", "--debug", "predict", "evaluate", "data-stats"):
        assert fragment in section


ROWS = {name: function for name, function in globals().items() if name.startswith("row_")}


@pytest.mark.parametrize("row", sorted(ROWS))
def test_failure_behaviour(row, request):
    """Run one row, handing it the fixtures it names."""
    function = ROWS[row]
    names = function.__code__.co_varnames[: function.__code__.co_argcount]
    function(**{name: request.getfixturevalue(name) for name in names})
