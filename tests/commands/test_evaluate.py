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
    assert [line.split()[0] for line in lines[1:-1]] == [*archive.vocab.entity_types, "overall"]
    metrics = json.loads(output.read_text(encoding="utf-8"))
    errors = metrics.pop("errors")
    by_type = metrics.pop("errors_by_type")
    assert {kind: sum(c[kind] for c in by_type.values()) for kind in errors} == errors
    expected = evaluate_sentences(archive.model, archive.reader.read(data))
    assert metrics == pytest.approx(expected)
    assert lines[-2].split()[1:] == [f"{100 * metrics[k]:.2f}" for k in ("precision", "recall",
                                                                         "f1")]
    assert list(errors) == ["missed", "spurious", "boundary", "type", "boundary+type"]
    assert lines[-1].startswith(f"errors: {sum(errors.values()):,} (missed {errors['missed']}")


def test_errors_file_lists_each_wrong_entity(capsys, tagger_archive, fixtures_root, tmp_path):
    data = fixtures_root / "data" / "tiny.bio"
    code, _, _ = run(capsys, "evaluate", tagger_archive, data, "--errors", tmp_path / "e.jsonl",
                     "--output-file", tmp_path / "m.json")
    assert code == 0
    records = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text("utf-8").splitlines()]
    assert records, "the one-epoch fixture model makes mistakes"
    counts = json.loads((tmp_path / "m.json").read_text("utf-8"))["errors"]
    found = [error["kind"] for record in records for error in record["errors"]]
    assert {kind: found.count(kind) for kind in counts} == counts
    gold = {(s.meta["line"], e["start"], e["end"], e["type"])
            for s in load_archive(tagger_archive).reader.read(data) for e in s.entities()}
    for record in records:
        assert record["file"] == str(data) and record["errors"]
        for error in record["errors"]:
            for side in ("gold", "predicted"):
                entity = error[side]
                if entity is not None:
                    assert entity["text"] == record["text"][entity["start"]:entity["end"]]
            if error["gold"] is not None:
                assert (record["line"], error["gold"]["start"], error["gold"]["end"],
                        error["gold"]["type"]) in gold
            assert (error["gold"] is None) == (error["kind"] == "spurious")
            assert (error["predicted"] is None) == (error["kind"] == "missed")
    assert [r["line"] for r in records] == sorted(r["line"] for r in records)  # file order


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
    metrics = json.loads(output.read_text(encoding="utf-8"))
    metrics.pop("errors"), metrics.pop("errors_by_type")
    assert metrics == pytest.approx(expected)


def test_a_dictionary_of_the_gold_names_raises_recall(capsys, tagger_archive, fixtures_root,
                                                      tmp_path):
    data = fixtures_root / "data" / "tiny.bio"
    names: dict[str, str] = {}
    for sentence in load_archive(tagger_archive).reader.read(data):
        for entity in sentence.entities():
            names.setdefault(entity["text"], entity["type"])
    dictionary = tmp_path / "names.tsv"
    dictionary.write_text("".join(f"{w}\t{t}\n" for w, t in names.items()), encoding="utf-8")
    scores = {}
    for mode in (None, "fill", "force"):
        extra = [] if mode is None else ["--dictionary", dictionary, "--dictionary-mode", mode]
        code, _, _ = run(capsys, "evaluate", tagger_archive, data, "--output-file",
                         tmp_path / "m.json", *extra)
        assert code == 0
        scores[mode] = json.loads((tmp_path / "m.json").read_text("utf-8"))
    assert scores["force"]["recall"] > scores[None]["recall"]
    assert scores["force"]["f1"] > scores[None]["f1"]
    assert scores["fill"]["recall"] >= scores[None]["recall"]


def test_baseline_comparison(capsys, tagger_archive, fixtures_root, tmp_path):
    data = fixtures_root / "data" / "tiny.bio"
    code, out, _ = run(capsys, "evaluate", tagger_archive, data, "--baseline", tagger_archive,
                       "--bootstrap-samples", "50", "--output-file", tmp_path / "m.json")
    assert code == 0
    comparison = json.loads((tmp_path / "m.json").read_text("utf-8"))["baseline"]
    assert comparison["difference"] == 0 and comparison["p_value"] == 1.0
    assert comparison["samples"] == 50 and comparison["sentences"] == 11
    assert comparison["f1"] == pytest.approx(comparison["baseline_metrics"]["f1"])
    assert out.splitlines()[-1].startswith(f"vs {tagger_archive}: F1 ")
    assert "difference +0.00" in out and "p = 1.000" in out
    code, _, err = run(capsys, "evaluate", tagger_archive, data, "--baseline", tagger_archive,
                       "--bootstrap-samples", "0")
    assert code != 0 and "--bootstrap-samples must be positive" in err
    code, _, err = run(capsys, "evaluate", tagger_archive, data, "--baseline", tagger_archive,
                       "--bootstrap-samples", "50", "--baseline-override", "model.decoder.bogus=1")
    assert code != 0 and "decoder -> bogus: unknown key" in err  # applied to the baseline
