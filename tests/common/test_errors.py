import pytest

from nerkit.common.errors import (
    ArchiveError,
    ConfigurationError,
    DataError,
    NerkitError,
    did_you_mean,
    format_path,
)


def test_configuration_error_names_the_path():
    error = ConfigurationError("unknown key 'hiden_dim'", ["model", "encoder", "hiden_dim"])
    assert str(error) == "model -> encoder -> hiden_dim: unknown key 'hiden_dim'"
    assert error.path == ["model", "encoder", "hiden_dim"]
    assert error.message == "unknown key 'hiden_dim'"


def test_configuration_error_without_path_is_the_message():
    error = ConfigurationError("config file not found: x.jsonnet")
    assert str(error) == "config file not found: x.jsonnet"
    assert error.path == []


def test_list_indices_appear_in_the_path():
    error = ConfigurationError("bad", ("model", "encoder", "encoders", 1, "hidden_dim"))
    assert str(error).startswith("model -> encoder -> encoders -> 1 -> hidden_dim: ")


@pytest.mark.parametrize(
    ("file", "line", "expected"),
    [
        ("train.bio", 12, "train.bio:12: bad tag"),
        ("train.bio", None, "train.bio: bad tag"),
        (None, None, "bad tag"),
    ],
)
def test_data_error_formats(file, line, expected):
    error = DataError("bad tag", file, line)
    assert str(error) == expected
    assert (error.file, error.line, error.message) == (file, line, "bad tag")


def test_every_error_is_a_nerkit_error():
    for error_class in (ConfigurationError, DataError, ArchiveError):
        assert issubclass(error_class, NerkitError)


def test_format_path_of_the_root():
    assert format_path([]) == "<root>"


def test_did_you_mean():
    suggestion = did_you_mean("hiden_dim", ["hidden_dim", "num_layers"])
    assert suggestion == " (did you mean 'hidden_dim'?)"
    assert did_you_mean("zzz", ["hidden_dim"]) == ""
    assert did_you_mean("x", []) == ""
