"""``nerkit export`` and ``nerkit predict --runtime onnx --scores`` from the command line."""

import json

import pytest

from nerkit.commands import main

TEXTS = ["武斌表示：自己认准的道路，就要走到底。", "绍棠先生骨灰安葬地", "张"]


def run(capsys, *argv):
    with pytest.raises(SystemExit) as caught:
        main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return caught.value.code, out, err


def predictions(capsys, *argv):
    code, out, err = run(capsys, "predict", *argv)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_export_then_predict_with_onnx_gives_torch_entities_and_scores(
    capsys, tagger_archive, tmp_path
):
    source = tmp_path / "input.txt"
    source.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "export", tagger_archive, "-o", tmp_path / "onnx")
    assert code == 0 and "model.onnx" in err
    info = json.loads((tmp_path / "onnx" / "onnx.json").read_text())
    assert info["graph"] == "model.onnx" and info["decoder"] == "crf"
    with_torch = predictions(capsys, tagger_archive, source, "--scores")
    with_onnx = predictions(capsys, tmp_path / "onnx", source, "--scores", "--runtime", "onnx")
    assert [r["text"] for r in with_onnx] == TEXTS
    for expected, got in zip(with_torch, with_onnx):
        assert [e["score"] for e in got["entities"]] == pytest.approx(
            [e["score"] for e in expected["entities"]], abs=1e-4)
        assert [{k: e[k] for k in ("start", "end", "type", "text")} for e in got["entities"]] == [
            {k: e[k] for k in ("start", "end", "type", "text")} for e in expected["entities"]]
        assert all(set(e) == {"start", "end", "type", "text", "score"} for e in got["entities"])


def test_onnx_runtime_on_a_plain_directory_is_one_clear_error(capsys, tmp_path):
    source = tmp_path / "input.txt"
    source.write_text("张\n", encoding="utf-8")
    code, _, err = run(capsys, "predict", tmp_path, source, "--runtime", "onnx")
    assert code == 1
    assert err.strip().splitlines() == [
        f"error: {tmp_path}: not an ONNX export directory (no onnx.json); create one with "
        "`nerkit export ARCHIVE -o DIR`"]
