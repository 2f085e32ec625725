"""``nerkit serve`` argument errors are one line each (the server itself: tests/serving)."""

import pytest

from nerkit.commands import main


def run(capsys, *argv):
    with pytest.raises(SystemExit) as caught:
        main([str(a) for a in argv])
    return caught.value.code, capsys.readouterr().err


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--max-queue", "0", "--max-queue must be at least 1"),
    ("--max-length", "-5", "--max-length must be at least 1"),
    ("--max-wait-ms", "-1", "--max-wait-ms must not be negative"),
])
def test_bad_limits_are_refused_before_loading(capsys, tmp_path, option, value, message):
    code, err = run(capsys, "serve", tmp_path / "missing.tar.gz", option, value)
    assert code == 1 and err.strip() == f"error: {message}"


def test_missing_archive(capsys, tmp_path):
    code, err = run(capsys, "serve", tmp_path / "missing.tar.gz")
    assert code == 1 and err.strip() == f"error: archive not found: {tmp_path / 'missing.tar.gz'}"
