from __future__ import annotations

import json

import pytest

from nerkit.commands import main

TINY_FLAGS = {
    "word2vec": ["--dim", "6", "--epochs", "1"],
    "elmo": ["--cell-dim", "8", "--projection-dim", "4", "--filters", "[[1, 4], [2, 4]]",
             "--max-characters-per-token", "6", "--batch-size", "4", "--max-steps", "2",
             "--held-out-fraction", "0.2", "--no-tie-softmax"],
    "bert": ["--hidden-size", "16", "--num-layers", "1", "--num-heads", "2",
             "--intermediate-size", "32", "--max-length", "16", "--batch-size", "4",
             "--max-steps", "2", "--held-out-fraction", "0.2"],
}
OUTPUTS = {
    "word2vec": {"vectors.txt", "vectors.bin"},
    "elmo": {"options.json", "weights.hdf5", "vocab.txt"},
    "bert": {"config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json"},
}


def _run(argv):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    return exit_info.value.code


@pytest.mark.parametrize("model", ["word2vec", "elmo", "bert"])
def test_pretrain_writes_a_model(model, tmp_path, tiny_text, capsys):
    out = tmp_path / model
    argv = ["pretrain", model, str(tiny_text), "-o", str(out), "--seed", "3", "--threads", "1"]
    assert _run(argv + TINY_FLAGS[model]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("corpus: 12 lines, 187 characters, 125 distinct characters")
    files = {p.name for p in out.iterdir()}
    assert OUTPUTS[model] | {"pretrain_metrics.json", "settings.json"} <= files
    report = json.loads((out / "pretrain_metrics.json").read_text())
    assert report["corpus"] == {"lines": 12, "characters": 187, "distinct": 125}
    assert report["model"] == model and report["wall_seconds"] >= 0
    assert not (tmp_path / f"{model}.partial").exists()


def test_one_reader_per_input(tmp_path, tiny_text, fixtures_root, capsys):
    bio = fixtures_root / "data" / "tiny.bio"
    argv = ["pretrain", "word2vec", str(tiny_text), str(bio), "--reader", "text", "--reader",
            "conll", "-o", str(tmp_path / "out"), "--dim", "4", "--epochs", "1"]
    assert _run(argv) == 0
    assert capsys.readouterr().out.startswith("corpus: 23 lines, 471 characters")


def test_existing_output_is_refused_without_force(tmp_path, tiny_text, capsys):
    (tmp_path / "out").mkdir()
    argv = ["pretrain", "word2vec", str(tiny_text), "-o", str(tmp_path / "out"), "--dim", "4"]
    assert _run(argv) == 1
    assert "--force" in capsys.readouterr().err
    assert _run([*argv, "--force", "--epochs", "1"]) == 0
    assert (tmp_path / "out" / "vectors.txt").is_file()


def test_presets_and_flags(tiny_text):
    from nerkit.commands import build_parser
    from nerkit.commands.pretrain import settings_from_args
    from nerkit.pretrain.bert import PRESETS

    parser = build_parser()
    args = parser.parse_args(["pretrain", "bert", str(tiny_text), "-o", "x", "--preset", "base",
                              "--num-layers", "3"])
    settings = settings_from_args(args, PRESETS)
    assert settings.num_layers == 3 and settings.hidden_size == 768
    small = settings_from_args(parser.parse_args(["pretrain", "bert", "t", "-o", "x"]), PRESETS)
    assert small == PRESETS["small"]


def test_resume_continues_an_interrupted_run(tmp_path, tiny_text, interrupt_at_step):

    out = tmp_path / "elmo"
    argv = ["pretrain", "elmo", str(tiny_text), "-o", str(out), *TINY_FLAGS["elmo"],
            "--max-steps", "4", "--checkpoint-every", "2"]
    disarm = interrupt_at_step(3)
    with pytest.raises(KeyboardInterrupt):
        main(argv)
    assert not out.exists() and (tmp_path / "elmo.partial" / "checkpoint").is_dir()
    disarm()
    # the recorded settings win over flags given again on resume
    assert _run([*argv, "--resume", "--cell-dim", "32"]) == 0
    report = json.loads((out / "pretrain_metrics.json").read_text())
    assert report["metrics"]["steps"] == 4 and report["settings"]["cell_dim"] == 8


def test_null_clears_a_preset_setting(tiny_text):
    from nerkit.commands import build_parser
    from nerkit.commands.pretrain import settings_from_args
    from nerkit.pretrain.bert import PRESETS

    parser = build_parser()
    assert PRESETS["small"].amp == "bf16"
    args = parser.parse_args(["pretrain", "bert", "t", "-o", "x", "--amp", "null",
                              "--max-vocab", "300"])
    settings = settings_from_args(args, PRESETS)
    assert settings.amp is None and settings.max_vocab == 300
    with pytest.raises(SystemExit):
        parser.parse_args(["pretrain", "bert", "t", "-o", "x", "--max-vocab", "many"])
