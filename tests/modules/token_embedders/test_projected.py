import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.data.sentence import Sentence
from nerkit.modules.token_embedders import ProjectedEmbedder, TokenEmbedder
from nerkit.testing.contracts import assert_token_embedder_contract, lengths_to_mask

CONFIG = {
    "type": "projected",
    "projection_dim": 3,
    "embedder": {"type": "window_features", "embedding_dim": 5, "num_buckets": 31},
}
SENTENCES = [list("北京欢迎你"), list("上海"), list("东京")]


def test_from_config(vocab):
    embedder = TokenEmbedder.from_config(CONFIG, vocab=vocab)
    assert isinstance(embedder, ProjectedEmbedder)
    assert embedder.get_output_dim() == 3
    assert embedder.featurize(SENTENCES).keys() == embedder.embedder.featurize(SENTENCES).keys()


def test_output_is_the_wrapped_output_mapped_linearly(vocab):
    embedder = TokenEmbedder.from_config(CONFIG, vocab=vocab)
    features, mask = embedder.featurize(SENTENCES), lengths_to_mask([5, 2, 2])
    inner = embedder.embedder(features, mask)
    expected = inner @ embedder.projection.weight.T + embedder.projection.bias
    torch.testing.assert_close(embedder(features, mask), expected)


def test_a_frozen_table_stays_frozen_and_the_projection_learns(vocab):
    config = {"type": "projected", "projection_dim": 2, "bias": False,
              "embedder": {"type": "embedding", "embedding_dim": 4, "trainable": False}}
    embedder = TokenEmbedder.from_config(config, vocab=vocab)
    assert embedder.projection.bias is None
    trainable = [name for name, p in embedder.named_parameters() if p.requires_grad]
    assert trainable == ["projection.weight"]
    assert_token_embedder_contract(embedder, SENTENCES)


def test_penalty_is_the_wrapped_embedders(vocab):
    config = {**CONFIG, "embedder": {**CONFIG["embedder"], "l2": 0.5}}
    sentences = [Sentence(chars) for chars in SENTENCES]
    embedder = TokenEmbedder.from_config(config, vocab=vocab, sentences=sentences)
    features, mask = embedder.featurize(SENTENCES), lengths_to_mask([5, 2, 2])
    assert embedder.penalty(features, mask) is not None
    torch.testing.assert_close(embedder.penalty(features, mask),
                               embedder.embedder.penalty(features, mask))


def test_contract(vocab):
    assert_token_embedder_contract(TokenEmbedder.from_config(CONFIG, vocab=vocab), SENTENCES)


def test_size_must_be_positive(vocab):
    with pytest.raises(ConfigurationError, match="projection_dim"):
        TokenEmbedder.from_config({**CONFIG, "projection_dim": 0}, vocab=vocab)


def test_trains_archives_and_reloads_around_a_bigram_table(tmp_path, fixtures_root):
    from nerkit.predictor import Predictor
    from nerkit.training.experiment import train_model_from_file

    embedder = {"type": "concat", "embedders": [
        {"type": "embedding", "embedding_dim": 6},
        {"type": "projected", "projection_dim": 3,
         "embedder": {"type": "bigram", "embedding_dim": 4, "trainable": False}}]}
    model = train_model_from_file(
        fixtures_root / "configs" / "tagger_crf.jsonnet", tmp_path / "run",
        tla_vars={"fixtures": str(fixtures_root), "num_epochs": 1},
        overrides={"model.embedder": embedder}, force=True,
    )
    predictor = Predictor.from_archive(tmp_path / "run" / "model.tar.gz")
    assert predictor.model.embedder.embedders[1].embedder.bigrams == \
        model.embedder.embedders[1].embedder.bigrams
    text = "武斌表示：自己认准的道路。"
    assert predictor.predict(text) == Predictor(model, predictor.reader).predict(text)
