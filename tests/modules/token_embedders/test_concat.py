import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.token_embedders import ConcatEmbedder, Embedding, TokenEmbedder
from nerkit.testing.contracts import assert_token_embedder_contract, lengths_to_mask

CONFIG = {
    "type": "concat",
    "embedders": [
        {"type": "embedding", "embedding_dim": 3},
        {"type": "window_features", "embedding_dim": 2, "num_buckets": 31},
    ],
}
SENTENCES = [list("北京欢迎你"), list("上海"), list("东京")]


def test_from_config(vocab):
    embedder = TokenEmbedder.from_config(CONFIG, vocab=vocab)
    assert isinstance(embedder, ConcatEmbedder)
    assert embedder.get_output_dim() == 5
    assert set(embedder.featurize(SENTENCES)) == {"0.token_ids", "1.window_feature_ids"}


def test_output_is_the_concatenation(vocab):
    embedder = TokenEmbedder.from_config(CONFIG, vocab=vocab)
    mask = lengths_to_mask([len(s) for s in SENTENCES])
    output = embedder(embedder.featurize(SENTENCES), mask)
    parts = [e(e.featurize(SENTENCES), mask) for e in embedder.embedders]
    torch.testing.assert_close(output, torch.cat(parts, dim=-1))


def test_same_kind_twice_keeps_features_apart(vocab):
    embedder = ConcatEmbedder([Embedding(vocab, 2), Embedding(vocab, 4)])
    assert set(embedder.featurize(SENTENCES)) == {"0.token_ids", "1.token_ids"}
    assert_token_embedder_contract(embedder, SENTENCES)


def test_contract(vocab):
    assert_token_embedder_contract(TokenEmbedder.from_config(CONFIG, vocab=vocab), SENTENCES)


def test_with_a_transformer(vocab, tiny_bert_dir):
    config = {"type": "concat", "embedders": [
        {"type": "pretrained_transformer", "model_name": str(tiny_bert_dir)},
        {"type": "embedding", "embedding_dim": 4},
    ]}
    embedder = TokenEmbedder.from_config(config, vocab=vocab)
    assert embedder.get_output_dim() == 20
    assert_token_embedder_contract(embedder, SENTENCES)


def test_empty_list_is_refused(vocab):
    with pytest.raises(ConfigurationError, match="at least one embedder"):
        TokenEmbedder.from_config({"type": "concat", "embedders": []}, vocab=vocab)
