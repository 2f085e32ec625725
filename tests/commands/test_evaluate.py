import json

import pytest

from nerkit.archive import load_archive
from nerkit.commands import main
from nerkit.commands.evaluate import format_table
from nerkit.predictor import evaluate_sentences


def run(capsys, *argv):
    with pytest.raises(SystemExit) as caught:
        main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return caught.value.code, out, err


def test_prints_the_table_and_writes_json(capsys, tagger_archive, fixtures_root, tmp_path):
    data = fixtures_root / "data" / "tiny.bio"
    output = tmp_path / "metrics.json"
    code, out, _ = run(capsys, "evaluate", tagger_archive, data, "--output-file", output,
                       "--batch-size", 3)
    assert code == 0
    archive = load_archive(tagger_archive)
    lines = out.splitlines()
    assert lines[0].split() == ["type", "precision", "recall", "f1"]
    assert [line.split()[0] for line in lines[1:]] == [*archive.vocab.entity_types, "overall"]
    metrics = json.loads(output.read_text(encoding="utf-8"))
    expected = evaluate_sentences(archive.model, archive.reader.read(data))
    assert metrics == pytest.approx(expected)
    assert lines[-1].split()[1:] == [f"{100 * metrics[k]:.2f}" for k in ("precision", "recall",
                                                                         "f1")]


def test_missing_data_file_exits_1(capsys, tagger_archive, tmp_path):
    code, _, err = run(capsys, "evaluate", tagger_archive, tmp_path / "nope.bio")
    assert code == 1 and "nope.bio" in err and "file not found" in err


def test_format_table():
    metrics = {"precision": 0.5, "recall": 1.0, "f1": 2 / 3, "precision-PER": 0.5,
               "recall-PER": 1.0, "f1-PER": 2 / 3}
    table = format_table(metrics, ["LOC", "PER"])
    assert table.splitlines() == [
        "type     precision  recall     f1",
        "LOC           0.00    0.00   0.00",
        "PER          50.00  100.00  66.67",
        "overall      50.00  100.00  66.67",
    ]


def test_the_whole_file_is_evaluated_despite_max_sentences(capsys, tagger_archive, fixtures_root,
                                                           tmp_path, monkeypatch):
    import nerkit.commands.evaluate as evaluate

    def limited(path, device="cpu", **options):
        archive = load_archive(path, device, **options)
        archive.reader.max_sentences = 2  # a training config's quick-run limit
        return archive

    monkeypatch.setattr(evaluate, "load_archive", limited)
    data = fixtures_root / "data" / "tiny.bio"
    output = tmp_path / "metrics.json"
    code, _, _ = run(capsys, "evaluate", tagger_archive, data, "--output-file", output)
    assert code == 0
    archive = load_archive(tagger_archive)
    expected = evaluate_sentences(archive.model, archive.reader.read(data))
    assert len(archive.reader.read(data)) > 2
    assert json.loads(output.read_text(encoding="utf-8")) == pytest.approx(expected)
