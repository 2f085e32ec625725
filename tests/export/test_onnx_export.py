"""ONNX export: onnxruntime gives the torch model's emissions, labels, entities and scores."""

from pathlib import Path

import numpy as np
import pytest
import torch

from nerkit.archive import load_archive
from nerkit.commands.train import train_model_from_file
from nerkit.common.errors import ConfigurationError
from nerkit.data.sentence import Sentence
from nerkit.export.onnx_export import _SummedBag, check_exportable, export_onnx
from nerkit.export.onnx_predictor import load_onnx_predictor
from nerkit.export.viterbi import viterbi_numpy
from nerkit.modules.decoders.linear_chain import viterbi
from nerkit.predictor import Predictor

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TEXTS = ["武斌表示：自己认准的道路，就要走到底。", "绍棠先生",
         "卢嘉锡的题词是：发展高科技，节能创一流。", "张", "", "  武斌  表示 ☃ Hello 世界 "]
WINDOW = {"type": "window_features", "embedding_dim": 8, "num_buckets": 500}
MODELS = {
    "embedding-lstm-crf": {},
    "window_features-crf": {"model.embedder": WINDOW, "model.encoder": None},
    "char_cnn-gru-softmax": {
        "model.embedder": {"type": "char_cnn", "embedding_dim": 6, "num_filters": 4},
        "model.encoder": {"type": "gru", "hidden_dim": 5}, "model.decoder": {"type": "softmax"},
    },
    "concat-cnn-crf": {
        "model.embedder": {"type": "concat", "embedders": [
            {"type": "embedding", "embedding_dim": 4},
            {"type": "projected", "projection_dim": 2,
             "embedder": {"type": "bigram", "embedding_dim": 3}},
            WINDOW]},
        "model.encoder": {"type": "cnn", "hidden_dim": 6, "num_layers": 2},
    },
    "embedding-transformer-softmax": {
        "model.encoder": {"type": "transformer", "hidden_dim": 8, "num_heads": 2,
                          "num_layers": 1, "dropout": 0.0},
        "model.decoder": {"type": "softmax"},
    },
}


def train_tiny(directory: Path, overrides: dict) -> Path:
    torch.manual_seed(0)
    train_model_from_file(FIXTURES / "configs" / "tagger_crf.jsonnet", directory,
                          tla_vars={"fixtures": str(FIXTURES), "num_epochs": 1},
                          overrides=overrides, force=True)
    return directory / "model.tar.gz"


@pytest.fixture(scope="module", params=list(MODELS))
def exported(request, tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp(request.param)
    archive = train_tiny(root / "run", MODELS[request.param])
    export_onnx(archive, root / "onnx")
    return archive, root / "onnx"


def test_onnx_emissions_equal_torch(exported):
    archive_path, directory = exported
    onnx_model = load_onnx_predictor(directory).model
    torch_model = load_archive(archive_path).model
    sentences = [Sentence(list(t)) for t in TEXTS if t]
    emissions, mask = onnx_model.emissions(sentences)
    batch = torch_model.featurize(sentences)
    with torch.no_grad():
        expected = torch_model.decoder.projection(torch_model.encode(batch)).numpy()
    real = mask.astype(bool)
    np.testing.assert_allclose(emissions[real], expected[real], atol=1e-5)


def test_onnx_predictions_and_scores_equal_torch(exported):
    archive_path, directory = exported
    torch_results = Predictor.from_archive(archive_path, scores=True).predict_batch(TEXTS)
    onnx_results = load_onnx_predictor(directory, scores=True).predict_batch(TEXTS)
    for expected, got in zip(torch_results, onnx_results):
        assert [(e["start"], e["end"], e["type"]) for e in got["entities"]] == [
            (e["start"], e["end"], e["type"]) for e in expected["entities"]]
        assert [e["score"] for e in got["entities"]] == pytest.approx(
            [e["score"] for e in expected["entities"]], abs=1e-4)


def test_onnx_n_best_equals_torch(exported):
    archive_path, directory = exported
    torch_predictor = Predictor.from_archive(archive_path)
    onnx_predictor = load_onnx_predictor(directory)
    if not hasattr(torch_predictor.model.decoder, "crf_parameters"):  # a softmax head
        with pytest.raises(ConfigurationError, match="gives no n-best list"):
            onnx_predictor.predict_batch(TEXTS, n_best=3)
        return
    expected = torch_predictor.predict_batch(TEXTS, n_best=3)
    got = onnx_predictor.predict_batch(TEXTS, n_best=3)
    for want, have in zip(expected, got):
        assert [a["entities"] for a in have["n_best"]] == [a["entities"] for a in want["n_best"]]
        assert [a["probability"] for a in have["n_best"]] == pytest.approx(
            [a["probability"] for a in want["n_best"]], abs=1e-4)


def test_archive_is_exported_on_the_fly(tmp_path):
    archive_path = train_tiny(tmp_path / "run", {})
    assert load_onnx_predictor(archive_path).predict_batch(TEXTS) == Predictor.from_archive(
        archive_path).predict_batch(TEXTS)


def test_numpy_viterbi_equals_torch_viterbi():
    torch.manual_seed(3)
    emissions, transitions = torch.randn(4, 7, 5).double(), torch.randn(5, 5).double()
    start, end = torch.randn(5).double(), torch.randn(5).double()
    lengths = torch.tensor([7, 1, 4, 6])
    mask = torch.arange(7).unsqueeze(0) < lengths.unsqueeze(1)
    expected = viterbi(emissions, transitions, start, end, mask)[0].numpy()
    got = viterbi_numpy(emissions.numpy(), transitions.numpy(), start.numpy(), end.numpy(),
                        lengths.numpy())
    np.testing.assert_array_equal(got, expected)


def test_int8_quantization_writes_a_working_graph(tmp_path):
    archive = train_tiny(tmp_path / "run", {})
    path = export_onnx(archive, tmp_path / "int8", quantize="int8")
    assert path.name == "model.int8.onnx" and not (tmp_path / "int8" / "model.onnx").exists()
    results = load_onnx_predictor(tmp_path / "int8").predict_batch(TEXTS)
    assert [r["text"] for r in results] == TEXTS


def test_unsupported_decoder_is_refused_with_its_config_path(tmp_path):
    archive = train_tiny(tmp_path / "run", {"model.decoder": {"type": "attention_lstm",
                                                              "hidden_dim": 4}})
    with pytest.raises(ConfigurationError, match=r"model -> decoder -> type: decoder "
                                                 r"'attention_lstm' is not exportable"):
        export_onnx(archive, tmp_path / "onnx")


def test_an_unsupported_embedder_inside_a_wrapper_is_refused_with_its_path():
    wrapped = {"type": "projected", "projection_dim": 2, "embedder": {"type": "elmo"}}
    config = {"model": {"embedder": {"type": "concat", "embedders": [
        {"type": "embedding"}, wrapped]}}}
    with pytest.raises(ConfigurationError, match=r"model -> embedder -> embedders -> 1 -> "
                                                 r"embedder -> type: embedder 'elmo'"):
        check_exportable(config)


@pytest.mark.parametrize("padding_idx", [0, None])
def test_summed_bag_sums_like_the_embedding_bag(padding_idx):
    """The export's stand-in for EmbeddingBag; without a padding index every id counts."""
    torch.manual_seed(0)
    bag = torch.nn.EmbeddingBag(10, 3, mode="sum", padding_idx=padding_idx)
    ids = torch.tensor([[0, 3, 5], [2, 0, 0], [7, 7, 1]])
    torch.testing.assert_close(_SummedBag(bag)(ids), bag(ids))
