import pytest
import torch
from transformers import AutoModel, AutoTokenizer

from nerkit.common.build import Lazy, build
from nerkit.common.errors import ConfigurationError, DeprecatedConfigKey
from nerkit.modules.scalar_mix import ScalarMix
from nerkit.modules.token_embedders import PretrainedTransformerEmbedder, TokenEmbedder
from nerkit.modules.token_embedders.pretrained_transformer import resource_directory
from nerkit.modules.token_embedders.sub_tokens import most_central_window, window_starts
from nerkit.testing.contracts import assert_token_embedder_contract, lengths_to_mask

MIXED = list("2008年北京奥运会在Beijing举行")


def embed(embedder, sentences):
    with torch.no_grad():
        return embedder(embedder.featurize(sentences), lengths_to_mask([len(s) for s in sentences]))


def reference_states(model_dir, words):
    """Last hidden states straight from transformers, each word tokenized as its own word."""
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    encoded = tokenizer(words, is_split_into_words=True, return_tensors="pt")
    with torch.no_grad():
        states = model(**encoded).last_hidden_state[0]
    return states, encoded.word_ids()


@pytest.fixture
def frozen(tiny_bert_dir):
    return PretrainedTransformerEmbedder(str(tiny_bert_dir), trainable=False)


def test_from_config(tiny_bert_dir):
    embedder = TokenEmbedder.from_config(
        {"type": "pretrained_transformer", "model_name": str(tiny_bert_dir)}
    )
    assert isinstance(embedder, PretrainedTransformerEmbedder)
    assert embedder.get_output_dim() == 16
    assert embedder.featurizer.window_size == 62  # 64 positions less [CLS] and [SEP]


def test_mixed_sentence_gets_one_vector_per_character(frozen, tiny_bert_dir):
    output = embed(frozen, [MIXED])
    assert output.shape == (1, len(MIXED), 16)
    states, word_ids = reference_states(tiny_bert_dir, MIXED)
    assert word_ids[1:-1] == list(range(len(MIXED)))  # one sub-token per character here
    torch.testing.assert_close(output[0], states[1:-1])


def test_sub_token_modes(tiny_bert_dir):
    words = ["在", "beijing", "举"]  # "beijing" is be ##ij ##ing
    states, word_ids = reference_states(tiny_bert_dir, words)
    positions = [i for i, w in enumerate(word_ids) if w == 1]
    assert len(positions) == 3
    for mode, expected in [("first", states[positions[0]]), ("mean", states[positions].mean(0))]:
        embedder = PretrainedTransformerEmbedder(str(tiny_bert_dir), sub_token_mode=mode).eval()
        output = embed(embedder, [words])
        torch.testing.assert_close(output[0, 1], expected)
        torch.testing.assert_close(output[0, 2], states[positions[-1] + 1])


def test_dropped_characters_get_the_unknown_token(frozen):
    features = frozen.featurize([list("北 京")])
    tokenizer = frozen.tokenizer
    assert features["input_ids"][0, 2] == tokenizer.unk_token_id
    assert embed(frozen, [list("北 京")]).shape == (1, 3, 16)


def test_window_positions_by_hand():
    assert window_starts(4, 4, 2) == [0]
    assert window_starts(5, 4, 4) == [0, 1]
    assert window_starts(10, 4, 2) == [0, 2, 4, 6]
    assert most_central_window(10, 4, [0, 2, 4, 6]).tolist() == [0, 0, 0, 1, 1, 2, 2, 3, 3, 3]


def test_long_input_is_windowed_and_stitched(frozen):
    torch.manual_seed(0)
    alphabet = list("北京奥运会在举行年月日中国人民上海")
    chars = [alphabet[i] for i in torch.randint(len(alphabet), (200,)).tolist()]
    features = frozen.featurize([chars])
    assert features["input_ids"].shape == (6, 64)  # windows start at 0, 31, 62, 93, 124, 138
    output = embed(frozen, [chars])[0]
    size = 62
    starts = [0, 31, 62, 93, 124, 138]
    alone = {s: embed(frozen, [chars[s : s + size]])[0] for s in starts}
    for i in range(200):
        start = max(starts, key=lambda s: min(i - s, s + size - 1 - i))
        if 15 <= i < 185:
            assert min(i - start, start + size - 1 - i) >= 15  # well inside its window
        torch.testing.assert_close(output[i], alone[start][i - start], atol=1e-5, rtol=0)


def test_multi_piece_characters_across_windows(tiny_bert_dir):
    embedder = PretrainedTransformerEmbedder(
        str(tiny_bert_dir), sub_token_mode="mean", max_length=6, window_stride=3
    ).eval()
    words = ["在", "beijing", "举", "行", "beijing", "2008", "年"] * 3  # 39 sub-tokens
    features = embedder.featurize([words, ["北"]])
    assert features["input_ids"].shape[1] == 6  # windows of 4 sub-tokens plus [CLS] and [SEP]
    assert features["sub_token_mask"][0].sum(dim=1).tolist() == [1, 3, 1, 1, 3, 2, 1] * 3
    output = embed(embedder, [words, ["北"]])
    assert output.shape == (2, 21, 16) and torch.isfinite(output).all()
    assert output[1, 1:].abs().sum() == 0


@pytest.mark.parametrize(
    "options",
    [{}, {"trainable": False, "scalar_mix": Lazy.of(ScalarMix)}, {"sub_token_mode": "mean"}],
)
def test_contract(tiny_bert_dir, options):
    embedder = PretrainedTransformerEmbedder(str(tiny_bert_dir), **options)
    assert_token_embedder_contract(embedder, [MIXED, list("北京"), ["在", "beijing", "举"]])


def test_frozen_model_has_no_gradients_and_no_dropout(frozen):
    frozen.train()
    assert not frozen.transformer.training
    assert not any(p.requires_grad for p in frozen.parameters())
    assert not embed(frozen, [MIXED]).requires_grad


def test_scalar_mix_of_all_layers(tiny_bert_dir):
    embedder = PretrainedTransformerEmbedder(str(tiny_bert_dir), scalar_mix=Lazy.of(ScalarMix))
    assert embedder.mix.scalars.shape == (3,)  # embeddings and 2 layers
    with torch.no_grad():
        embedder.mix.scalars.copy_(torch.tensor([-1e4, -1e4, 0.0]))  # all weight on the last
    last = PretrainedTransformerEmbedder(str(tiny_bert_dir)).eval()
    torch.testing.assert_close(embed(embedder.eval(), [MIXED]), embed(last, [MIXED]))


def test_save_resources_and_rebuild_offline(frozen, tmp_path):
    frozen.save_resources(tmp_path)
    saved = resource_directory(tmp_path, frozen.model_name)
    assert saved.parent == tmp_path / "transformer"
    assert (saved / "config.json").is_file() and (saved / "tokenizer_config.json").is_file()
    assert not list(saved.glob("*.safetensors"))
    rebuilt = PretrainedTransformerEmbedder(
        frozen.model_name, trainable=False, archive_resources=tmp_path
    )
    rebuilt.load_state_dict(frozen.state_dict())
    torch.testing.assert_close(embed(rebuilt, [MIXED]), embed(frozen, [MIXED]))


def test_resource_directory_naming(tmp_path):
    expected = tmp_path / "transformer" / "data_bert-base"
    assert resource_directory(tmp_path, "/data/bert-base") == expected
    assert resource_directory(tmp_path, "bert-base-chinese").name == "bert-base-chinese"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"sub_token_mode": "last"}, "sub_token_mode must be first or mean"),
        ({"max_length": 65}, "exceeds the model's limit of 64"),
        ({"max_length": 2}, "leaves no room"),
        ({"window_stride": 63}, "window_stride must be in 1..62"),
    ],
)
def test_bad_options(tiny_bert_dir, options, message):
    config = {"type": "pretrained_transformer", "model_name": str(tiny_bert_dir), **options}
    with pytest.raises(ConfigurationError, match=message):
        TokenEmbedder.from_config(config)


def test_missing_model_is_a_configuration_error(tmp_path):
    with pytest.raises(ConfigurationError, match="cannot load transformer"):
        PretrainedTransformerEmbedder(str(tmp_path / "nowhere"))


def test_old_keys_still_work_with_a_warning(tiny_bert_dir):
    old = {"type": "pretrained_transformer", "model_name": str(tiny_bert_dir),
           "train_parameters": False, "last_layer_only": False}
    with pytest.warns(DeprecatedConfigKey, match="'train_parameters' is deprecated"):
        embedder = build(old, TokenEmbedder)
    assert embedder.trainable is False and embedder.mix.scalars.shape == (3,)
    with pytest.warns(DeprecatedConfigKey):
        top = build({**old, "last_layer_only": True}, TokenEmbedder)
    assert top.mix is None
