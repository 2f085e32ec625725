"""A user's own package registers a component, trains with --include-package, and reloads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

PACKAGE = '''
import torch
from nerkit.modules.seq2seq_encoders.seq2seq_encoder import Seq2SeqEncoder


@Seq2SeqEncoder.register("toy_gru")
class ToyGruSeq2SeqEncoder(Seq2SeqEncoder):
    """A unidirectional GRU from a user package."""

    def __init__(self, input_dim: int, hidden_dim: int = 5) -> None:
        super().__init__()
        self.input_dim, self.hidden_dim = input_dim, hidden_dim
        self.gru = torch.nn.GRU(input_dim, hidden_dim, batch_first=True)

    def get_input_dim(self) -> int:
        return self.input_dim

    def get_output_dim(self) -> int:
        return self.hidden_dim

    def forward(self, inputs, mask):
        return self.gru(inputs)[0] * mask.unsqueeze(-1)
'''


def _write_package(root: Path) -> None:
    package = root / "my_ner_ext"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "encoders.py").write_text(PACKAGE)


def _run(args: list[str], cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_user_plugin_trains_and_reloads_in_a_fresh_process(fixtures_root, tmp_path):
    _write_package(tmp_path / "src")
    run_dir = tmp_path / "run"
    trained = _run(
        ["-m", "nerkit", "train", str(fixtures_root / "configs" / "tagger_crf.jsonnet"),
         "-s", str(run_dir), "--arg", f"fixtures={fixtures_root}", "--arg", "num_epochs=1",
         "-o", 'model.encoder={"type": "toy_gru", "hidden_dim": 4}',
         "--include-package", "my_ner_ext"],
        tmp_path, tmp_path / "src",
    )
    assert trained.returncode == 0, trained.stderr[-2000:]
    with tarfile.open(run_dir / "model.tar.gz") as tar:
        meta = json.load(tar.extractfile("meta.json"))
    assert meta["plugins"] == ["my_ner_ext"]

    # A fresh interpreter that never imported the package: the archive brings it back.
    loaded = _run(
        ["-c", "from nerkit.archive import load_archive; import sys; "
               f"a = load_archive({str(run_dir / 'model.tar.gz')!r}); "
               "print(type(a.model.encoder).__name__)"],
        tmp_path, tmp_path / "src",
    )
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert loaded.stdout.strip() == "ToyGruSeq2SeqEncoder"


def test_missing_plugin_is_a_clear_error(fixtures_root, tmp_path):
    result = _run(
        ["-m", "nerkit", "train", str(fixtures_root / "configs" / "tagger_crf.jsonnet"),
         "-s", str(tmp_path / "run"), "--arg", f"fixtures={fixtures_root}",
         "--include-package", "not_installed_anywhere"],
        tmp_path, tmp_path,
    )
    assert result.returncode == 1
    assert "cannot import plugin package 'not_installed_anywhere'" in result.stderr


def test_nerkit_plugins_file_is_read(tmp_path):
    _write_package(tmp_path)
    (tmp_path / ".nerkit_plugins").write_text("# my components\nmy_ner_ext\n")
    listed = _run(["-m", "nerkit", "list", "seq2seq_encoders"], tmp_path, tmp_path)
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert "toy_gru" in listed.stdout and "A unidirectional GRU" in listed.stdout
