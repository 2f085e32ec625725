import argparse
import subprocess
import sys
import time

import pytest

from nerkit.commands import build_parser, main
from nerkit.version import VERSION

VERBS = {"train", "evaluate", "predict", "list", "print-config"}


def run(capsys, *argv):
    with pytest.raises(SystemExit) as caught:
        main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return caught.value.code, out, err


def test_every_verb_is_registered():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert VERBS <= set(subparsers.choices)


def test_no_verb_prints_help_and_exits_2(capsys):
    code, out, _ = run(capsys)
    assert code == 2 and "usage: nerkit" in out


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"nerkit {VERSION}"


def test_dry_run_accepts_a_good_config(capsys, fixtures_root, tmp_path):
    serialization_dir = tmp_path / "run"
    code, out, _ = run(capsys, "train", fixtures_root / "configs" / "tagger_crf.jsonnet",
                       "--arg", f"fixtures={fixtures_root}", "-s", serialization_dir, "--dry-run")
    assert code == 0 and "config OK" in out
    assert not serialization_dir.exists()


def test_dry_run_typo_in_a_process(fixtures_root, tmp_path):
    """``python -m nerkit train --dry-run`` on a typo: exit 1, path and suggestion on stderr."""
    command = [sys.executable, "-m", "nerkit", "train",
               str(fixtures_root / "configs" / "tagger_crf.jsonnet"),
               "--arg", f"fixtures={fixtures_root}", "-s", str(tmp_path / "run"), "--dry-run",
               "-o", "model.encoder.hiden_dim=3"]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - started
    print(f"dry-run typo check took {elapsed:.2f} s (process start, imports included)")
    assert completed.returncode == 1, completed.stderr
    assert completed.stdout == ""
    assert "model -> encoder -> hiden_dim" in completed.stderr
    assert "did you mean 'hidden_dim'?" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(
    ("override", "fragments"),
    [
        ("trainer.optimizer.type=adma", ["trainer -> optimizer -> type", "did you mean 'adam'?"]),
        ("evaluate_on_tset=true", ["evaluate_on_tset: unknown top-level key",
                                   "did you mean 'evaluate_on_test'?"]),
        ("trainer.num_epochs=\"2\"", ["trainer -> num_epochs: expected int, got '2'"]),
    ],
)
def test_dry_run_catches_mistakes(capsys, fixtures_root, tmp_path, override, fragments):
    code, _, err = run(capsys, "train", fixtures_root / "configs" / "tagger_crf.jsonnet",
                       "--arg", f"fixtures={fixtures_root}", "-s", tmp_path / "run", "--dry-run",
                       "-o", override)
    assert code == 1
    for fragment in fragments:
        assert fragment in err


def test_malformed_arg_exits_1(capsys, fixtures_root, tmp_path):
    code, _, err = run(capsys, "train", fixtures_root / "configs" / "tagger_crf.jsonnet",
                       "--arg", "fixtures", "-s", tmp_path / "run", "--dry-run")
    assert code == 1 and "--arg expects KEY=VALUE, got 'fixtures'" in err


def test_a_bug_inside_a_library_call_points_at_nerkit(capsys, monkeypatch, fixtures_root):
    """The one error line names nerkit's line that called the failing library function."""
    import nerkit.commands.data_stats as data_stats

    monkeypatch.setattr(data_stats, "dataset_stats", lambda *a, **k: {"x": object()})
    code, _, err = run(capsys, "data-stats", fixtures_root / "data" / "tiny.bio", "--json")
    assert code == 1 and "unexpected TypeError" in err
    assert "nerkit/commands/data_stats.py:" in err
