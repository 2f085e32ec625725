import json

import pytest

from nerkit.commands import main


def run(capsys, *argv):
    with pytest.raises(SystemExit) as caught:
        main(list(argv))
    out, err = capsys.readouterr()
    return caught.value.code, out, err


@pytest.fixture
def config_args(fixtures_root):
    return [str(fixtures_root / "configs" / "tagger_crf.jsonnet"), "--arg",
            f"fixtures={fixtures_root}"]


def test_prints_the_filled_config(capsys, config_args):
    code, out, _ = run(capsys, "print-config", *config_args)
    assert code == 0
    config = json.loads(out)
    model = config["model"]
    assert model["encoder"] == {"type": "lstm", "hidden_dim": 6, "num_layers": 1,
                                "bidirectional": True, "dropout": 0.0}  # input_dim flows at build
    assert model["decoder"] == {"type": "crf", "constrain": True, "dropout": 0.0,
                                "projection": True}
    assert model["embedder"]["trainable"] is True and model["dropout"] == 0.0
    assert config["trainer"]["num_epochs"] == 2
    assert config["trainer"]["optimizer"]["lr"] == 0.01
    assert {"patience", "grad_norm", "validation_metric"} <= set(config["trainer"])
    assert config["data_loader"]["batch_size"] == 4 and "sorting" in config["data_loader"]
    assert config["dataset_reader"]["type"] == "conll"
    assert config["validation_dataset_reader"] is None  # null: the training reader
    assert config["validation_data_loader"] == {"batch_size": 8, "sorting": "bucket",
                                                "shuffle": False, "num_workers": 0,
                                                "max_tokens": None}
    assert config["vocabulary"]["tag_scheme"] == "BIOES" and config["vocabulary"]["min_count"] == 1
    assert config["random_seed"] == 1 and config["evaluate_on_test"] is False
    assert config["test_data_path"] is None


def test_arguments_and_overrides_reach_the_config(capsys, config_args):
    code, out, _ = run(capsys, "print-config", *config_args, "--arg", "num_epochs=5",
                       "--arg", "decoder=softmax", "-o", "model.encoder.hidden_dim=3")
    assert code == 0
    model = json.loads(out)["model"]
    assert model["decoder"] == {"type": "softmax", "label_smoothing": 0.0}
    assert model["encoder"]["hidden_dim"] == 3
    assert json.loads(out)["trainer"]["num_epochs"] == 5


def test_unfilled_prints_the_evaluated_config(capsys, config_args):
    code, out, _ = run(capsys, "print-config", *config_args, "--unfilled")
    assert code == 0
    model = json.loads(out)["model"]
    assert model["encoder"] == {"type": "lstm", "hidden_dim": 6}


def test_a_typo_exits_1_with_the_path(capsys, config_args):
    code, out, err = run(capsys, "print-config", *config_args, "-o", "model.dropuot=0.1")
    assert code == 1 and out == ""
    assert err.startswith("error: model -> dropuot: unknown key 'dropuot'")
    assert "did you mean 'dropout'?" in err


def test_a_missing_config_file_exits_1(capsys, tmp_path):
    code, _, err = run(capsys, "print-config", str(tmp_path / "nope.jsonnet"))
    assert code == 1 and "config file not found" in err
