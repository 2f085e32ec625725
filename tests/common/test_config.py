import json
import textwrap

import pytest

from nerkit.common.config import (
    LIBRARY_DIR,
    apply_overrides,
    library_paths,
    load_config,
    parse_assignments,
)
from nerkit.common.errors import ConfigurationError


def write(tmp_path, text, name="config.jsonnet"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def function_config(tmp_path):
    return write(tmp_path, """
        function(name='msra', epochs=3, lazy=false, scale=1.5) {
          name: name, epochs: epochs, lazy: lazy, scale: scale,
          trainer: { num_epochs: epochs, optimizer: { type: 'adam', lr: 0.001 } },
          encoders: [{ type: 'cnn', hidden_dim: 4 }, { type: 'lstm', hidden_dim: 2 }],
        }
    """)


def test_defaults_of_a_config_function(function_config):
    config = load_config(function_config)
    assert config["name"] == "msra" and config["epochs"] == 3 and config["lazy"] is False


def test_tla_strings_numbers_and_bools(function_config):
    config = load_config(function_config,
                         tla_vars={"name": "pd1998", "epochs": "7", "lazy": "true", "scale": 2})
    assert config["name"] == "pd1998"
    assert config["epochs"] == 7 and config["trainer"]["num_epochs"] == 7
    assert config["lazy"] is True
    assert config["scale"] == 2


def test_tla_string_that_looks_like_a_word_stays_a_string(function_config):
    assert load_config(function_config, tla_vars={"name": "null_set"})["name"] == "null_set"
    assert load_config(function_config, tla_vars={"name": "a b"})["name"] == "a b"


def test_tla_json_values(function_config):
    config = load_config(function_config, tla_vars={"name": '["x", 1]', "scale": 0.5})
    assert config["name"] == ["x", 1] and config["scale"] == 0.5


def test_ext_vars(tmp_path):
    path = write(tmp_path, "{ train: std.extVar('TRAIN'), n: std.parseInt(std.extVar('N')) }")
    assert load_config(path, ext_vars={"TRAIN": "a.bio", "N": "4"}) == {"train": "a.bio", "n": 4}


def test_missing_ext_var_is_a_configuration_error(tmp_path):
    path = write(tmp_path, "{ train: std.extVar('TRAIN') }")
    with pytest.raises(ConfigurationError, match="jsonnet error: .*TRAIN"):
        load_config(path)


def test_process_environment_is_not_forwarded(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAIN", "from-env")
    path = write(tmp_path, "{ train: std.extVar('TRAIN') }")
    with pytest.raises(ConfigurationError):
        load_config(path)


def test_library_import_of_training_configs_common(tmp_path):
    assert library_paths() == [str(LIBRARY_DIR)]
    path = write(tmp_path, """
        local data = import 'data.libsonnet';
        local trainer = import 'trainer.libsonnet';
        data.dataset('msra', data_dir='/data') + { trainer: trainer.trainer(lr=0.01) }
    """)
    config = load_config(path)
    assert config["dataset_reader"] == {"type": "conll", "tag_scheme": "BIO"}
    assert config["train_data_path"] == "/data/msra/train.bio"
    assert config["trainer"]["optimizer"] == {"type": "adam", "lr": 0.01}


def test_import_relative_to_the_config(tmp_path):
    write(tmp_path, "{ x: 1 }", name="local.libsonnet")
    path = write(tmp_path, "(import 'local.libsonnet') + { y: 2 }")
    assert load_config(path) == {"x": 1, "y": 2}


def test_plain_json(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"a": {"b": 1}}), encoding="utf-8")
    assert load_config(path, overrides=["a.b=2"]) == {"a": {"b": 2}}


def test_overrides_dotted_list_index_and_json_values(function_config):
    config = load_config(function_config, overrides=[
        "trainer.num_epochs=1",
        "trainer.optimizer.lr=5e-5",
        "encoders.1.hidden_dim=8",
        'trainer.optimizer={"type": "sgd", "lr": 0.1}',
        "name=plain text",
        "lazy=true",
        "trainer.new_key=null",
    ])
    assert config["trainer"]["num_epochs"] == 1
    assert config["encoders"][1] == {"type": "lstm", "hidden_dim": 8}
    assert config["trainer"]["optimizer"] == {"type": "sgd", "lr": 0.1}
    assert config["name"] == "plain text" and config["lazy"] is True
    assert config["trainer"]["new_key"] is None


def test_override_order_is_kept(function_config):
    config = load_config(function_config,
                         overrides=["trainer.optimizer={}", "trainer.optimizer.lr=1"])
    assert config["trainer"]["optimizer"] == {"lr": 1}


def test_override_mapping_and_no_mutation():
    config = {"a": {"b": [1, 2]}}
    result = apply_overrides(config, {"a.b.0": 9, "a.c": "x"})
    assert result == {"a": {"b": [9, 2], "c": "x"}}
    assert config == {"a": {"b": [1, 2]}}


def test_override_missing_parent_suggests(function_config):
    with pytest.raises(ConfigurationError) as caught:
        load_config(function_config, overrides=["trainre.num_epochs=1"])
    message = str(caught.value)
    assert caught.value.path == ["trainre"]
    assert "override path does not exist (did you mean 'trainer'?)" in message
    assert "keys here: " in message and "encoders" in message


def test_override_bad_list_index(function_config):
    with pytest.raises(ConfigurationError, match="expected a list index below 2, got '5'"):
        load_config(function_config, overrides=["encoders.5.hidden_dim=1"])
    with pytest.raises(ConfigurationError, match="got 'x'"):
        load_config(function_config, overrides=["encoders.x=1"])


def test_override_inside_a_scalar(function_config):
    with pytest.raises(ConfigurationError, match="inside a non-object value"):
        load_config(function_config, overrides=["epochs.x=1"])
    with pytest.raises(ConfigurationError, match="inside a non-object value"):
        load_config(function_config, overrides=["epochs.x.y=1"])


def test_malformed_assignment():
    with pytest.raises(ConfigurationError, match="--arg expects KEY=VALUE, got 'dataset'"):
        parse_assignments(["dataset"], "--arg")
    assert parse_assignments(["a=b=c", " k =v"], "-e") == {"a": "b=c", "k": "v"}


def test_jsonnet_syntax_error(tmp_path):
    path = write(tmp_path, "{ a: 1,, }")
    with pytest.raises(ConfigurationError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: jsonnet error: ")
    assert caught.value.path == []


def test_jsonnet_assertion_message_is_kept(tmp_path):
    path = write(tmp_path, """
        local data = import 'data.libsonnet';
        data.dataset('nope')
    """)
    with pytest.raises(ConfigurationError, match="dataset must be one of"):
        load_config(path)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigurationError, match="config file not found: .*missing.jsonnet"):
        load_config(tmp_path / "missing.jsonnet")


def test_config_must_be_an_object(tmp_path):
    with pytest.raises(ConfigurationError, match="must evaluate to a JSON object"):
        load_config(write(tmp_path, "[1, 2]"))


def test_unknown_top_level_argument(function_config):
    with pytest.raises(ConfigurationError, match="jsonnet error: .*datset"):
        load_config(function_config, tla_vars={"datset": "msra"})
