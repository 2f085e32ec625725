import time
import zlib

import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.data.sentence import Sentence
from nerkit.modules.token_embedders import TokenEmbedder, WindowFeaturesEmbedder
from nerkit.modules.token_embedders.window_features import MULTIPLIER, PRIME
from nerkit.testing.contracts import assert_token_embedder_contract


def bucket(template, texts, num_buckets):
    """The documented hash: template number then each character's crc32, polynomially mixed."""
    value = template + 1
    for text in texts:
        value = (value * MULTIPLIER + zlib.crc32(text.encode("utf-8")) % PRIME) % PRIME
    return value % num_buckets + 1


def test_from_config(vocab):
    embedder = TokenEmbedder.from_config(
        {"type": "window_features", "embedding_dim": 8, "num_buckets": 64}, vocab=vocab
    )
    assert isinstance(embedder, WindowFeaturesEmbedder)
    assert embedder.get_output_dim() == 8
    assert len(embedder.templates) == 10
    assert embedder.bag.weight.shape == (65, 8)


def test_feature_ids_by_hand(vocab):
    embedder = WindowFeaturesEmbedder(vocab, 4, num_buckets=1000)
    ids = embedder.featurize([list("北京"), list("你")])["window_feature_ids"]
    assert ids.shape == (2, 2, 10)
    # position 0 of 北京: c[-2] c[-1] c[0] c[1] c[2], then the bigrams
    expected = [
        bucket(0, ["<s>"], 1000), bucket(1, ["<s>"], 1000), bucket(2, ["北"], 1000),
        bucket(3, ["京"], 1000), bucket(4, ["</s>"], 1000), bucket(5, ["<s>", "<s>"], 1000),
        bucket(6, ["<s>", "北"], 1000), bucket(7, ["北", "京"], 1000),
        bucket(8, ["京", "</s>"], 1000), bucket(9, ["<s>", "京"], 1000),
    ]
    assert ids[0, 0].tolist() == expected
    assert ids[1, 0, 2] == bucket(2, ["你"], 1000)
    assert ids[1, 1].tolist() == [0] * 10  # padding


def test_unknown_characters_share_features(vocab):
    features = WindowFeaturesEmbedder(vocab, 4).featurize([list("东北"), list("西北")])
    ids = features["window_feature_ids"]
    assert torch.equal(ids[0], ids[1])  # 东 and 西 are both [UNK]
    assert ids[0, 0, 2] == bucket(2, ["[UNK]"], 262_144)


def test_forward_sums_the_feature_vectors(vocab):
    embedder = WindowFeaturesEmbedder(vocab, 2, num_buckets=50, templates=[[0], [-1, 0]])
    features = embedder.featurize([list("北京")])
    ids = features["window_feature_ids"][0]
    output = embedder(features, torch.ones(1, 2, dtype=torch.bool))[0]
    table = embedder.bag.weight
    torch.testing.assert_close(output, table[ids[:, 0]] + table[ids[:, 1]])


def test_contract(vocab):
    sentences = [list("北京欢迎你"), list("上海"), list("东京")]
    assert_token_embedder_contract(WindowFeaturesEmbedder(vocab, 4, num_buckets=97), sentences)


def test_sparse_gradients_train_with_sgd(vocab):
    embedder = WindowFeaturesEmbedder(vocab, 4, num_buckets=97, sparse=True)
    assert_token_embedder_contract(embedder, [list("北京欢迎你"), list("上海")])
    assert embedder.bag.weight.grad.is_sparse
    before = embedder.bag.weight.detach().clone()
    torch.optim.SGD(embedder.parameters(), lr=0.1, momentum=0.9).step()
    assert not torch.equal(before, embedder.bag.weight)


def test_featurize_is_fast(vocab):
    sentences = [list("北京欢迎你上海东京") * 5] * 500  # 22,500 characters
    start = time.perf_counter()
    WindowFeaturesEmbedder(vocab, 4).featurize(sentences)
    assert time.perf_counter() - start < 5.0  # ~0.1 s on one core; generous for shared CI


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"embedding_dim": 0}, "must be positive"),
        ({"templates": [[0], []]}, "non-empty offset lists"),
        ({"window": 3}, "unknown key 'window'"),
    ],
)
def test_bad_options(vocab, options, message):
    with pytest.raises(ConfigurationError, match=message):
        TokenEmbedder.from_config({"type": "window_features", **options}, vocab=vocab)


def test_feature_dropout_drops_occurrences_in_training_only(vocab):
    embedder = WindowFeaturesEmbedder(vocab, embedding_dim=3, num_buckets=64, feature_dropout=0.5)
    features = embedder.featurize([list("北京欢迎你上海")])
    mask = torch.ones(1, 7, dtype=torch.bool)
    embedder.eval()
    full = embedder(features, mask)
    torch.testing.assert_close(embedder(features, mask), full)
    embedder.train()
    torch.manual_seed(0)
    dropped = embedder(features, mask)
    torch.manual_seed(0)
    ids = features["window_feature_ids"]
    kept = ids * (torch.rand(ids.shape) >= 0.5)
    assert 0 < int((kept > 0).sum()) < int((ids > 0).sum())
    expected = embedder.bag(kept.reshape(-1, ids.size(-1))).reshape(1, 7, 3)
    torch.testing.assert_close(dropped, expected)
    assert not torch.allclose(dropped, full)


def test_feature_dropout_must_be_a_probability(vocab):
    with pytest.raises(ValueError, match="feature_dropout"):
        WindowFeaturesEmbedder(vocab, feature_dropout=1.0)


TRAINING = [Sentence(list("北京欢迎你")), Sentence(list("上海"))]


def test_exact_features_get_one_row_each(vocab):
    embedder = WindowFeaturesEmbedder(vocab, 4, num_buckets=None, sentences=TRAINING)
    # 7 positions x 10 templates, all distinct except repeated boundary features
    seen = embedder.featurize([s.chars for s in TRAINING])["window_feature_ids"]
    assert len(embedder.feature_keys) == len(torch.unique(seen[seen > 0]))
    assert embedder.bag.weight.shape == (len(embedder.feature_keys) + 1, 4)
    assert int(seen[0].min()) > 0  # every training feature is found
    new = embedder.featurize([list("上京")])["window_feature_ids"][0]
    # c[0]=上 at position 0 was seen in training; the bigram 上京 was not
    assert new[0, 2] == seen[1, 0, 2]
    assert new[0, 7] == 0


def test_exact_features_need_the_training_sentences(vocab):
    with pytest.raises(ConfigurationError, match="training sentences"):
        WindowFeaturesEmbedder(vocab, 4, num_buckets=None)


def test_exact_feature_keys_round_trip_through_resources(vocab, tmp_path):
    embedder = WindowFeaturesEmbedder(vocab, 4, num_buckets=None, sentences=TRAINING)
    embedder.save_resources(tmp_path)
    loaded = WindowFeaturesEmbedder(vocab, 4, num_buckets=None, archive_resources=tmp_path)
    assert torch.equal(loaded.feature_keys, embedder.feature_keys)
    chars = [list("欢迎上海"), list("京")]
    assert torch.equal(loaded.featurize(chars)["window_feature_ids"],
                       embedder.featurize(chars)["window_feature_ids"])


def test_label_scores_start_at_zero(vocab):
    embedder = WindowFeaturesEmbedder(vocab, None, num_buckets=32)
    assert embedder.get_output_dim() == vocab.num_labels
    assert embedder.bag.weight.abs().sum() == 0


def test_training_sum_equals_the_embedding_bag(vocab):
    """Training sums rows by a sparse product; values and gradients are the bag's."""
    embedder = WindowFeaturesEmbedder(vocab, 3, num_buckets=40)
    features = embedder.featurize([list("北京欢迎你"), list("上海")])
    mask = features["window_feature_ids"][..., 0] > 0
    embedder.train()
    output = embedder(features, mask)
    output.pow(2).sum().backward()
    fast_grad = embedder.bag.weight.grad.clone()
    embedder.zero_grad()
    ids = features["window_feature_ids"]
    bagged = embedder.bag(ids.reshape(-1, ids.size(-1))).reshape(output.shape)
    torch.testing.assert_close(output, bagged)
    bagged.pow(2).sum().backward()
    torch.testing.assert_close(fast_grad, embedder.bag.weight.grad)


def test_exact_label_score_crf_trains_archives_and_reloads(tmp_path, fixtures_root):
    from nerkit.predictor import Predictor
    from nerkit.training.experiment import train_model_from_file

    model = train_model_from_file(
        fixtures_root / "configs" / "tagger_crf.jsonnet", tmp_path / "run",
        tla_vars={"fixtures": str(fixtures_root), "num_epochs": 1},
        overrides={"model.embedder": {"type": "window_features", "embedding_dim": None,
                                      "num_buckets": None},
                   "model.encoder": None, "model.decoder": {"type": "crf", "projection": False}},
        force=True,
    )
    predictor = Predictor.from_archive(tmp_path / "run" / "model.tar.gz")
    assert torch.equal(predictor.model.embedder.feature_keys, model.embedder.feature_keys)
    text = "武斌表示：自己认准的道路。"
    assert predictor.predict(text) == Predictor(model, predictor.reader).predict(text)


L2_TRAINING = [Sentence(list(t)) for t in ["北京欢迎你", "上海", "北京上海", "你好北京", "京"]]


def dense_l2_gradient(embedder, l2):
    """The gradient of ``l2 * ||W||^2`` over every row but padding: the dense reference."""
    weight = embedder.bag.weight.detach().clone().requires_grad_(True)
    (l2 * weight[1:].pow(2).sum()).backward()
    return weight.grad


@pytest.mark.parametrize("num_buckets", [None, 16])
@pytest.mark.parametrize("sparse", [False, True])
def test_l2_penalty_summed_over_sentences_equals_the_dense_gradient(vocab, num_buckets, sparse):
    """Summed over the training sentences (one at a time), the lazy penalty's gradient is the
    dense ``l2 * ||W||^2``'s on every row the training data reaches."""
    l2 = 0.7
    embedder = WindowFeaturesEmbedder(vocab, 3, num_buckets=num_buckets, sparse=sparse, l2=l2,
                                      sentences=L2_TRAINING)
    torch.nn.init.normal_(embedder.bag.weight)
    for sentence in L2_TRAINING:
        features = embedder.featurize([sentence.chars])
        embedder.penalty(features, features["window_feature_ids"][..., 0] > 0).backward()
    grad = embedder.bag.weight.grad
    grad = grad.to_dense() if grad.is_sparse else grad
    reached = embedder.sentence_counts.new_zeros(embedder.bag.num_embeddings, dtype=torch.bool)
    all_ids = embedder.featurize([s.chars for s in L2_TRAINING])["window_feature_ids"]
    reached[all_ids[all_ids > 0]] = True
    if num_buckets is None:
        assert reached[1:].all()  # exact features: every row is a training feature
    torch.testing.assert_close(grad[reached], dense_l2_gradient(embedder, l2)[reached])
    assert grad[~reached].abs().sum() == 0


def test_l2_penalty_of_a_batch_is_its_sentences_mean(vocab):
    """A batch's penalty is the mean of its sentences' (the CRF's loss is a mean too): on the
    whole training set at once it is ``l2 * ||W||^2 / N``."""
    embedder = WindowFeaturesEmbedder(vocab, 3, num_buckets=None, l2=0.5, sentences=L2_TRAINING)
    torch.nn.init.normal_(embedder.bag.weight)
    features = embedder.featurize([s.chars for s in L2_TRAINING])
    penalty = embedder.penalty(features, features["window_feature_ids"][..., 0] > 0)
    expected = 0.5 * embedder.bag.weight[1:].pow(2).sum() / len(L2_TRAINING)
    torch.testing.assert_close(penalty, expected)


def test_l2_penalty_needs_the_training_sentences(vocab):
    assert WindowFeaturesEmbedder(vocab, 3, num_buckets=16).penalty({}, None) is None
    embedder = WindowFeaturesEmbedder(vocab, 3, num_buckets=16, l2=0.1)
    features = embedder.featurize([list("北京")])
    with pytest.raises(ConfigurationError, match="l2 needs the training sentences"):
        embedder.penalty(features, features["window_feature_ids"][..., 0] > 0)
    with pytest.raises(ConfigurationError, match="l2 must be non-negative"):
        WindowFeaturesEmbedder(vocab, 3, l2=-1.0)


def test_tagger_adds_the_penalty_in_training_only(vocab):
    from nerkit.models.tagger import Tagger
    from nerkit.modules.decoders import CrfDecoder

    embedder = WindowFeaturesEmbedder(vocab, None, num_buckets=None, l2=2.0,
                                      sentences=L2_TRAINING)
    torch.nn.init.normal_(embedder.bag.weight)
    model = Tagger(vocab, embedder, decoder=CrfDecoder(vocab, vocab.num_labels, projection=False))
    batch = model.featurize([Sentence(s.chars, spans=[]) for s in L2_TRAINING[:2]])
    model.train()
    trained = model(batch)["loss"]
    model.eval()
    evaluated = model(batch)["loss"]
    penalty = embedder.penalty(batch["features"], batch["mask"])
    torch.testing.assert_close(trained, evaluated + penalty)


def test_two_exact_feature_sets_share_an_archive(vocab, tmp_path):
    """Two exact window_features with other templates (a concat of both) keep their own keys."""
    wide = WindowFeaturesEmbedder(vocab, 4, num_buckets=None, sentences=TRAINING)
    narrow = WindowFeaturesEmbedder(vocab, 4, num_buckets=None, templates=[[0], [0, 1]],
                                    sentences=TRAINING)
    wide.save_resources(tmp_path)
    narrow.save_resources(tmp_path)
    assert len(list(tmp_path.glob("window_features-*.safetensors"))) == 2
    loaded = WindowFeaturesEmbedder(vocab, 4, num_buckets=None, templates=[[0], [0, 1]],
                                    archive_resources=tmp_path)
    assert torch.equal(loaded.feature_keys, narrow.feature_keys)
    loaded = WindowFeaturesEmbedder(vocab, 4, num_buckets=None, archive_resources=tmp_path)
    assert torch.equal(loaded.feature_keys, wide.feature_keys)


def test_archives_with_the_old_fixed_name_still_load(vocab, tmp_path):
    import safetensors.torch

    from nerkit.modules.token_embedders.window_features import LEGACY_RESOURCE_NAME

    keys = torch.tensor([3, 5, 9])
    safetensors.torch.save_file({"feature_keys": keys}, str(tmp_path / LEGACY_RESOURCE_NAME))
    loaded = WindowFeaturesEmbedder(vocab, 4, num_buckets=None, archive_resources=tmp_path)
    assert torch.equal(loaded.feature_keys, keys)
