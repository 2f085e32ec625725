import json

import pytest

from nerkit.commands import main
from nerkit.commands.predict import read_texts
from nerkit.common.errors import DataError

TEXTS = ["武斌表示：自己认准的道路，就要走到底。", "绍棠先生骨灰安葬地", "张"]


def run(capsys, *argv):
    with pytest.raises(SystemExit) as caught:
        main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return caught.value.code, out, err


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_predictions_for(results, texts):
    assert [r["text"] for r in results] == texts
    for result in results:
        for entity in result["entities"]:
            assert set(entity) == {"start", "end", "type", "text"}
            assert entity["text"] == result["text"][entity["start"]:entity["end"]]


def test_plain_text_input(capsys, tagger_archive, tmp_path):
    source = tmp_path / "input.txt"
    source.write_text("\n".join([TEXTS[0], "", TEXTS[1], "   ", TEXTS[2]]) + "\n",
                      encoding="utf-8")
    output = tmp_path / "out.jsonl"
    code, out, err = run(capsys, "predict", tagger_archive, source, "--output-file", output,
                         "--batch-size", 2)
    assert code == 0 and out == "" and f"wrote {output}" in err
    results = read_jsonl(output)
    assert_predictions_for(results, [TEXTS[0], "", TEXTS[1], "   ", TEXTS[2]])
    assert any(result["entities"] for result in results)  # a trained model finds something


def test_jsonl_input_to_standard_output(capsys, tagger_archive, tmp_path):
    source = tmp_path / "input.jsonl"
    source.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                              for i, t in enumerate(TEXTS)), encoding="utf-8")
    code, out, _ = run(capsys, "predict", tagger_archive, source)
    assert code == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert_predictions_for(results, TEXTS)
    assert "\\u" not in out  # Chinese is written as is


def test_malformed_jsonl_exits_1_naming_the_line(capsys, tagger_archive, tmp_path):
    source = tmp_path / "input.jsonl"
    source.write_text('{"text": "张三"}\n{"txt": "李四"}\n', encoding="utf-8")
    code, _, err = run(capsys, "predict", tagger_archive, source, "--output-file",
                       tmp_path / "out.jsonl")
    assert code == 1
    assert f"{source}:2: expected a JSON object with a \"text\" field" in err


def test_read_texts(tmp_path):
    source = tmp_path / "mixed.txt"
    source.write_text('\ufeff张三\r\n\n{"text": " 李四 "}\n  王五  \n', encoding="utf-8")
    assert list(read_texts(str(source))) == ["张三", "", " 李四 ", "  王五  "]


def test_read_texts_refuses_a_non_string_text(tmp_path):
    source = tmp_path / "bad.jsonl"
    source.write_text('{"text": 3}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.jsonl:1: \"text\" must be a string"):
        list(read_texts(str(source)))


def test_text_format_keeps_braces_as_text(tmp_path):
    from nerkit.commands.predict import read_texts

    path = tmp_path / "in.txt"
    path.write_text('{不是JSON}\n{"text": "北京"}\n', encoding="utf-8")
    assert list(read_texts(str(path), "text")) == ["{不是JSON}", '{"text": "北京"}']
    path.write_text('{"text": "北京"}\n', encoding="utf-8")
    assert list(read_texts(str(path), "auto")) == ["北京"]


def test_amp_is_refused_with_the_onnx_runtime(capsys, tagger_archive, tmp_path):
    source = tmp_path / "input.txt"
    source.write_text(TEXTS[0] + "\n", encoding="utf-8")
    code, _, err = run(capsys, "predict", tagger_archive, source, "--runtime", "onnx",
                       "--amp", "bf16")
    assert code != 0 and "--amp applies to the torch runtime" in err


def test_amp_predicts_the_same_texts(capsys, tagger_archive, tmp_path):
    source = tmp_path / "input.txt"
    source.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "predict", tagger_archive, source, "--amp", "bf16")
    assert code == 0
    assert_predictions_for([json.loads(line) for line in out.splitlines()], TEXTS)


def test_label_studio_pre_annotations_read_back_as_the_predictions(capsys, tagger_archive,
                                                                   tmp_path):
    from nerkit.data.dataset_readers import LabelStudioDatasetReader

    source = tmp_path / "input.txt"
    source.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    code, plain, _ = run(capsys, "predict", tagger_archive, source, "--scores")
    assert code == 0
    tasks_path = tmp_path / "tasks.json"
    code, _, _ = run(capsys, "predict", tagger_archive, source, "--scores",
                     "--output-format", "label-studio", "--output-file", tasks_path)
    assert code == 0
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    assert [t["data"]["text"] for t in tasks] == TEXTS
    assert all(t["predictions"][0]["model_version"] == str(tagger_archive) for t in tasks)
    expected = [[(e["start"], e["end"], e["type"]) for e in json.loads(line)["entities"]]
                for line in plain.splitlines()]
    read = LabelStudioDatasetReader(from_predictions=True).read(tasks_path)
    assert [[tuple(span) for span in s.spans] for s in read] == expected
    code, doccano, _ = run(capsys, "predict", tagger_archive, source,
                           "--output-format", "doccano")
    assert [json.loads(line)["label"] for line in doccano.splitlines()] == \
        [[list(span) for span in spans] for spans in expected]


def test_brat_pre_annotations_read_back_as_the_predictions(capsys, tagger_archive, tmp_path):
    from nerkit.data.dataset_readers import BratDatasetReader

    source = tmp_path / "input.txt"
    source.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    code, plain, _ = run(capsys, "predict", tagger_archive, source, "--scores")
    code, _, err = run(capsys, "predict", tagger_archive, source, "--scores",
                       "--output-format", "brat", "--output-file", tmp_path / "out" / "doc")
    assert code == 0 and "doc.ann" in err
    assert (tmp_path / "out" / "doc.txt").read_text(encoding="utf-8") == source.read_text("utf-8")
    assert "AnnotatorNotes T1\tscore " in (tmp_path / "out" / "doc.ann").read_text("utf-8")
    expected = [[(e["start"], e["end"], e["type"]) for e in json.loads(line)["entities"]]
                for line in plain.splitlines()]
    read = BratDatasetReader().read(tmp_path / "out" / "doc.ann")
    assert [[tuple(span) for span in s.spans] for s in read] == expected
    code, _, err = run(capsys, "predict", tagger_archive, source, "--output-format", "brat")
    assert code != 0 and "give --output-file NAME" in err


def test_a_brat_collection_is_pre_annotated_document_by_document(capsys, tagger_archive,
                                                                  tmp_path):
    from nerkit import Predictor
    from nerkit.data.dataset_readers import BratDatasetReader

    collection = tmp_path / "collection"
    (collection / "sub").mkdir(parents=True)
    (collection / "a.txt").write_bytes("\r\n".join(TEXTS).encode("utf-8") + b"\r\n")
    (collection / "sub" / "b.txt").write_bytes(("\n\n" + TEXTS[0]).encode("utf-8"))
    (collection / "a.ann").write_text("T1\tPER 0 2\t武斌\n", encoding="utf-8")  # human work
    output = tmp_path / "pre"
    code, _, err = run(capsys, "predict", tagger_archive, collection, "--output-format", "brat",
                       "--output-file", output)
    assert code == 0 and "wrote 2 documents" in err
    assert (output / "a.txt").read_bytes() == (collection / "a.txt").read_bytes()
    assert (collection / "a.ann").read_text(encoding="utf-8") == "T1\tPER 0 2\t武斌\n"
    predicted = Predictor.from_archive(tagger_archive).predict_batch(TEXTS)
    expected = [[(e["start"], e["end"], e["type"]) for e in r["entities"]] for r in predicted]
    read = BratDatasetReader().read(output)  # a.txt, then sub/b.txt
    assert [[tuple(span) for span in s.spans] for s in read] == expected + expected[:1]
    code, _, err = run(capsys, "predict", tagger_archive, collection, "--output-format", "brat",
                       "--output-file", collection / "out")
    assert code != 0 and "outside the collection" in err
    code, _, err = run(capsys, "predict", tagger_archive, collection)
    assert code != 0 and "a brat collection is pre-annotated with --output-format brat" in err


def test_dictionary_fill_and_force(capsys, tagger_archive, tmp_path):
    source = tmp_path / "input.txt"
    source.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    names = tmp_path / "names.tsv"
    names.write_text("自己\tTHING\n走到底\tTHING\n", encoding="utf-8")
    code, plain, _ = run(capsys, "predict", tagger_archive, source)
    base = [json.loads(line)["entities"] for line in plain.splitlines()]
    for mode in ("fill", "force"):
        code, out, _ = run(capsys, "predict", tagger_archive, source, "--dictionary", names,
                           "--dictionary-mode", mode)
        assert code == 0
        results = [json.loads(line) for line in out.splitlines()]
        assert_predictions_for(
            [{**r, "entities": [{k: v for k, v in e.items() if k != "source"}
                                for e in r["entities"]]} for r in results], TEXTS)
        first = results[0]["entities"]
        from_dictionary = [e for e in first if e.get("source") == "dictionary"]
        model_made = [e for e in first if "source" not in e]
        if mode == "force":
            assert [e["text"] for e in from_dictionary] == ["自己", "走到底"]
            assert all(e in base[0] for e in model_made)
        else:
            assert model_made == base[0]  # the model's entities are never changed
            assert all(not (d["start"] < e["end"] and e["start"] < d["end"])
                       for d in from_dictionary for e in model_made)
        assert [r["entities"] for r in results[1:]] == base[1:]  # no names there
    names.write_text("自己\n", encoding="utf-8")
    code, _, err = run(capsys, "predict", tagger_archive, source, "--dictionary", names)
    assert code != 0 and f"{names}:1:" in err and "WORD<TAB>TYPE" in err


def test_n_best_option(capsys, tagger_archive, tmp_path):
    source = tmp_path / "input.txt"
    source.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "predict", tagger_archive, source, "--n-best", "2")
    assert code == 0
    for result in map(json.loads, out.splitlines()):
        assert 1 <= len(result["n_best"]) <= 2
        assert result["n_best"][0]["entities"] == result["entities"]
    code, _, err = run(capsys, "predict", tagger_archive, source, "--n-best", "-1")
    assert code != 0 and "--n-best must be positive" in err
    code, _, err = run(capsys, "predict", tagger_archive, source, "--n-best", "2",
                       "--output-format", "doccano")
    assert code != 0 and "nerkit's output format only" in err
