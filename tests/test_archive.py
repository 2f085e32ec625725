"""Archives round-trip offline, and crafted archives are refused before anything is extracted."""

from __future__ import annotations

import io
import pickle
import tarfile
from pathlib import Path

import pytest

from nerkit.archive import ARCHIVE_NAME, extract_archive, load_archive
from nerkit.common.errors import ArchiveError
from nerkit.training.experiment import train_model_from_file


@pytest.fixture(scope="module")
def trained_archive(tmp_path_factory) -> Path:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    directory = tmp_path_factory.mktemp("archive") / "run"
    train_model_from_file(
        fixtures / "configs" / "tagger_crf.jsonnet", directory,
        tla_vars={"fixtures": str(fixtures), "num_epochs": 1},
    )
    return directory / ARCHIVE_NAME


def _members(path: Path) -> list[str]:
    with tarfile.open(path) as tar:
        return tar.getnames()


def test_archive_layout_has_no_pickle(trained_archive):
    names = _members(trained_archive)
    for required in ("config.json", "meta.json", "weights.safetensors",
                     "vocabulary/vocabulary.json"):
        assert required in names
    assert not any(n.endswith((".th", ".pt", ".pkl", ".bin")) for n in names)


def test_load_archive_restores_model_and_meta(trained_archive):
    archive = load_archive(trained_archive)
    assert archive.meta["nerkit_version"]
    assert "best_epoch" in archive.meta["metrics"]
    assert archive.vocab.tag_scheme == "BIOES"
    assert archive.config["model"]["encoder"]["input_dim"] == 8  # filled config


def _craft(tmp_path: Path, source: Path, add: callable) -> Path:
    """Copy ``source`` and let ``add(tar)`` append one hostile member."""
    crafted = tmp_path / "crafted.tar.gz"
    with tarfile.open(source) as original, tarfile.open(crafted, "w:gz") as tar:
        for member in original.getmembers():
            tar.addfile(member, original.extractfile(member) if member.isfile() else None)
        add(tar)
    return crafted


def _file_member(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def test_pickle_member_is_refused(tmp_path, trained_archive):
    payload = pickle.dumps({"weights": [1, 2, 3]})
    crafted = _craft(tmp_path, trained_archive, lambda t: _file_member(t, "weights.th", payload))
    with pytest.raises(ArchiveError, match="unexpected member 'weights.th'"):
        load_archive(crafted)


def test_path_traversal_is_refused_and_nothing_escapes(tmp_path, trained_archive):
    crafted = _craft(tmp_path, trained_archive,
                     lambda t: _file_member(t, "../escaped.json", b"{}"))
    target = tmp_path / "extract"
    target.mkdir()
    with pytest.raises(ArchiveError, match="leaves the archive"):
        extract_archive(crafted, target)
    assert not (tmp_path / "escaped.json").exists()
    assert list(target.iterdir()) == []


def test_absolute_member_is_refused(tmp_path, trained_archive):
    crafted = _craft(tmp_path, trained_archive,
                     lambda t: _file_member(t, "/tmp/nerkit-absolute.json", b"{}"))
    with pytest.raises(ArchiveError, match="leaves the archive"):
        load_archive(crafted)
    assert not Path("/tmp/nerkit-absolute.json").exists()


def test_symlink_member_is_refused(tmp_path, trained_archive):
    def add_link(tar: tarfile.TarFile) -> None:
        info = tarfile.TarInfo("resources/link")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tar.addfile(info)

    crafted = _craft(tmp_path, trained_archive, add_link)
    with pytest.raises(ArchiveError, match="links and devices"):
        load_archive(crafted)


def test_not_an_archive(tmp_path):
    bogus = tmp_path / "model.tar.gz"
    bogus.write_bytes(b"not a tar file")
    with pytest.raises(ArchiveError, match="not a readable model archive"):
        load_archive(bogus)
