from __future__ import annotations

import copy

import pytest

from nerkit.common.build import Lazy, build, build_and_fill, check_config, fill
from nerkit.common.component import Component
from nerkit.common.errors import ConfigurationError
from nerkit.data.batching import DataLoaderConfig
from nerkit.data.vocabulary import Vocabulary
from nerkit.metrics import SpanF1Metric, TokenAccuracyMetric
from nerkit.models import Model, Tagger
from nerkit.modules.attention import Attention, BilinearAttention, DotProductAttention
from nerkit.modules.decoders import CrfDecoder, SoftmaxDecoder
from nerkit.modules.seq2seq_encoders import (
    CnnSeq2SeqEncoder,
    ComposeSeq2SeqEncoder,
    LstmSeq2SeqEncoder,
    Seq2SeqEncoder,
)

TAGGER = {
    "type": "tagger",
    "embedder": {"type": "embedding", "embedding_dim": 4},
    "encoder": {"type": "lstm", "hidden_dim": 3},
    "decoder": {"type": "crf"},
}


@pytest.fixture
def vocab() -> Vocabulary:
    return Vocabulary(list("abc"), ["PER", "LOC"], "BIO")


def with_changes(**blocks) -> dict:
    config = copy.deepcopy(TAGGER)
    config.update(blocks)
    return config


def build_model(config, vocab):
    return build_and_fill(config, Model, context={"vocab": vocab}, path=("model",))


def error_of(config, vocab) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as caught:
        build_model(config, vocab)
    return caught.value


# --- unknown, missing and mistyped keys ---------------------------------------------------


def test_typo_names_path_suggestion_and_accepted_keys(vocab):
    error = error_of(with_changes(encoder={"type": "lstm", "hiden_dim": 3}), vocab)
    message = str(error)
    assert message.startswith("model -> encoder -> hiden_dim: unknown key 'hiden_dim'")
    assert "(did you mean 'hidden_dim'?)" in message
    assert "accepted keys for LstmSeq2SeqEncoder: input_dim, hidden_dim, num_layers" in message
    assert error.path == ["model", "encoder", "hiden_dim"]


def test_typo_at_the_model_level(vocab):
    error = error_of(with_changes(dropuot=0.1), vocab)
    assert error.path == ["model", "dropuot"]
    assert "did you mean 'dropout'?" in str(error)
    assert "vocab" not in str(error).split("accepted keys")[1]  # context keys are not offered


def test_unknown_type_lists_registered_names(vocab):
    error = error_of(with_changes(encoder={"type": "lstn", "hidden_dim": 3}), vocab)
    message = str(error)
    assert error.path == ["model", "encoder", "type"]
    assert "'lstn' is not a registered seq2seq_encoders name (did you mean 'lstm'?)" in message
    for name in ("cnn", "compose", "gru", "lstm", "pass_through"):
        assert name in message.split("registered: ")[1]


def test_missing_type_without_default_lists_names(vocab):
    error = error_of(with_changes(encoder={"hidden_dim": 3}), vocab)
    assert error.path == ["model", "encoder"]
    assert 'missing "type"; registered seq2seq_encoders: ' in str(error)


def test_model_type_defaults_to_tagger(vocab):
    config = with_changes()
    del config["type"]
    model, filled = build_model(config, vocab)
    assert isinstance(model, Tagger) and filled["type"] == "tagger"


def test_a_bare_string_is_a_type(vocab):
    model, filled = build_model(with_changes(decoder="softmax"), vocab)
    assert isinstance(model.decoder, SoftmaxDecoder)
    assert filled["decoder"] == {"type": "softmax", "input_dim": 6, "label_smoothing": 0.0}


def test_missing_required_key(vocab):
    error = error_of(with_changes(encoder={"type": "lstm"}), vocab)
    assert error.path == ["model", "encoder", "hidden_dim"]
    assert "missing required key 'hidden_dim' for LstmSeq2SeqEncoder" in str(error)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3", "expected int, got '3'"), (3.5, "expected int, got 3.5"), (True, "expected int")],
)
def test_wrong_json_type(vocab, value, expected):
    error = error_of(with_changes(encoder={"type": "lstm", "hidden_dim": value}), vocab)
    assert error.path == ["model", "encoder", "hidden_dim"]
    assert expected in str(error)


def test_wrong_type_for_bool_and_str(vocab):
    error = error_of(with_changes(encoder={"type": "lstm", "hidden_dim": 3,
                                           "bidirectional": "yes"}), vocab)
    assert "expected bool, got 'yes'" in str(error)
    error = error_of(with_changes(encoder={"type": 3}), vocab)
    assert '"type" must be a string' in str(error)


def test_a_block_that_is_not_an_object(vocab):
    error = error_of(with_changes(encoder=[1, 2]), vocab)
    assert error.path == ["model", "encoder"]
    assert "expected a seq2seq_encoders block" in str(error)


def test_int_widens_to_float(vocab):
    model, filled = build_model(with_changes(dropout=1), vocab)
    assert isinstance(model.dropout.p, float) and model.dropout.p == 1.0
    assert isinstance(filled["dropout"], float)


def test_null_for_an_optional_component(vocab):
    model, filled = build_model(with_changes(encoder=None), vocab)
    assert model.encoder is None and filled["encoder"] is None
    assert model.decoder.get_input_dim() == 4


# --- dimensions flow -------------------------------------------------------------------------


def test_dimensions_flow_embedder_encoder_decoder(vocab):
    model, filled = build_model(with_changes(), vocab)
    assert isinstance(model.encoder, LstmSeq2SeqEncoder)
    assert isinstance(model.decoder, CrfDecoder)
    assert model.encoder.get_input_dim() == 4  # embedding_dim
    assert model.decoder.get_input_dim() == 6  # 2 directions x 3
    assert filled["encoder"]["input_dim"] == 4
    assert filled["decoder"]["input_dim"] == 6


def test_without_encoder_the_decoder_takes_the_embedder_dim(vocab):
    config = with_changes()
    del config["encoder"]
    model, filled = build_model(config, vocab)
    assert model.decoder.get_input_dim() == 4 and filled["decoder"]["input_dim"] == 4


def test_dimensions_flow_inside_compose(vocab):
    encoders = [{"type": "cnn", "hidden_dim": 5}, {"type": "lstm", "hidden_dim": 2}]
    model, filled = build_model(with_changes(encoder={"type": "compose", "encoders": encoders}),
                                vocab)
    assert isinstance(model.encoder, ComposeSeq2SeqEncoder)
    first, second = model.encoder.encoders
    assert isinstance(first, CnnSeq2SeqEncoder)
    assert (first.get_input_dim(), second.get_input_dim()) == (4, 5)
    assert [block["input_dim"] for block in filled["encoder"]["encoders"]] == [4, 5]
    assert model.decoder.get_input_dim() == 4 and filled["decoder"]["input_dim"] == 4


def test_explicit_matching_input_dim_is_accepted(vocab):
    model, _ = build_model(with_changes(encoder={"type": "lstm", "input_dim": 4,
                                                 "hidden_dim": 3}), vocab)
    assert model.encoder.get_input_dim() == 4


def test_explicit_wrong_input_dim_is_refused_with_the_path(vocab):
    error = error_of(with_changes(encoder={"type": "lstm", "input_dim": 7, "hidden_dim": 3}),
                     vocab)
    assert error.path == ["model", "encoder", "input_dim"]
    assert "input_dim is 7 but the upstream component outputs 4" in str(error)
    error = error_of(with_changes(decoder={"type": "crf", "input_dim": 4}), vocab)
    assert error.path == ["model", "decoder", "input_dim"]
    assert "outputs 6" in str(error)


def test_wrong_input_dim_inside_compose_names_the_index(vocab):
    encoders = [{"type": "cnn", "hidden_dim": 5}, {"type": "lstm", "input_dim": 4,
                                                   "hidden_dim": 2}]
    error = error_of(with_changes(encoder={"type": "compose", "encoders": encoders}), vocab)
    assert error.path == ["model", "encoder", "encoders", 1, "input_dim"]


def test_input_dim_from_the_caller_context():
    encoder = build({"type": "lstm", "hidden_dim": 2}, Seq2SeqEncoder, context={"input_dim": 3})
    assert encoder.get_input_dim() == 3


# --- context ----------------------------------------------------------------------------------


def test_vocab_is_injected_everywhere_it_is_named(vocab):
    model, filled = build_model(with_changes(), vocab)
    assert model.vocab is vocab and model.embedder.vocab is vocab and model.decoder.vocab is vocab
    assert "vocab" not in filled and "vocab" not in filled["embedder"]


def test_context_key_set_in_config_is_refused(vocab):
    config = with_changes(embedder={"type": "embedding", "embedding_dim": 4, "vocab": "x"})
    error = error_of(config, vocab)
    assert error.path == ["model", "embedder", "vocab"]
    assert "'vocab' is supplied by nerkit and cannot be set in the config" in str(error)


def test_context_key_is_refused_even_without_the_context(vocab):
    with pytest.raises(ConfigurationError, match="'archive_resources' is supplied by nerkit"):
        build({"type": "embedding", "embedding_dim": 4, "archive_resources": "/tmp"},
              "token_embedders", context={"vocab": vocab})


def test_dict_of_components_gets_context(vocab):
    metrics = {"f1": {"type": "span_f1"}, "acc": {"type": "token_accuracy",
                                                   "ignore_outside": True}}
    model, filled = build_model(with_changes(metrics=metrics), vocab)
    assert isinstance(model.metrics["f1"], SpanF1Metric)
    assert isinstance(model.metrics["acc"], TokenAccuracyMetric)
    assert model.metrics["acc"].ignore_outside
    assert filled["metrics"] == {"f1": {"type": "span_f1"},
                                 "acc": {"type": "token_accuracy", "ignore_outside": True}}


# --- qualified types --------------------------------------------------------------------------


def test_qualified_type(vocab):
    model, filled = build_model(with_changes(encoder={"type": "seq2seq_encoders:lstm",
                                                      "hidden_dim": 3}), vocab)
    assert isinstance(model.encoder, LstmSeq2SeqEncoder)
    assert filled["encoder"]["type"] == "seq2seq_encoders:lstm"
    assert model.decoder.get_input_dim() == 6


def test_qualified_type_with_unknown_kind(vocab):
    error = error_of(with_changes(encoder={"type": "seq2seq_encoder:lstm", "hidden_dim": 3}),
                     vocab)
    assert error.path == ["model", "encoder", "type"]
    assert "unknown kind 'seq2seq_encoder'" in str(error)
    assert "did you mean 'seq2seq_encoders'?" in str(error)


def test_qualified_type_with_unknown_name(vocab):
    error = error_of(with_changes(encoder={"type": "seq2seq_encoders:lsm", "hidden_dim": 3}),
                     vocab)
    assert "'lsm' is not a registered seq2seq_encoders name (did you mean 'lstm'?)" in str(error)


# --- Lazy -------------------------------------------------------------------------------------


class Scorer:
    """A parent that builds its attention once it knows the dimensions."""

    def __init__(self, attention: Lazy[Attention], dim: int = 3) -> None:
        self.attention = attention.construct(query_dim=dim, key_dim=dim + 1)


def test_lazy_is_constructed_by_the_parent():
    scorer, filled = build_and_fill({"attention": {"type": "bilinear", "bias": True}}, Scorer)
    assert isinstance(scorer.attention, BilinearAttention)
    assert tuple(scorer.attention.weight.shape) == (3, 4)
    assert scorer.attention.bias is not None
    assert filled == {"attention": {"type": "bilinear", "bias": True}, "dim": 3}


def test_lazy_from_a_bare_string_fills_defaults():
    scorer, filled = build_and_fill({"attention": "bilinear", "dim": 2}, Scorer)
    assert tuple(scorer.attention.weight.shape) == (2, 3)
    assert filled["attention"] == {"type": "bilinear", "bias": False}


def test_lazy_constructor_error_names_the_block():
    with pytest.raises(ConfigurationError) as caught:
        build({"attention": "dot_product"}, Scorer)
    assert caught.value.path == ["attention"]
    assert "needs query_dim == key_dim, got 3 and 4" in str(caught.value)


def test_lazy_explicit_value_must_match():
    with pytest.raises(ConfigurationError) as caught:
        build({"attention": {"type": "bilinear", "key_dim": 9}}, Scorer)
    assert caught.value.path == ["attention", "key_dim"]
    assert "key_dim is 9 but must be 4 here" in str(caught.value)


def test_lazy_explicit_matching_value_is_accepted():
    scorer = build({"attention": {"type": "bilinear", "query_dim": 3}}, Scorer)
    assert isinstance(scorer.attention, BilinearAttention)


def test_lazy_typo_fails_at_construct_with_path():
    with pytest.raises(ConfigurationError) as caught:
        build({"attention": {"type": "bilinear", "bais": True}}, Scorer)
    assert caught.value.path == ["attention", "bais"]
    assert "did you mean 'bias'?" in str(caught.value)


def test_lazy_inside_a_model_fills_and_rebuilds(vocab):
    decoder = {"type": "attention_lstm", "hidden_dim": 4, "label_embedding_dim": 2,
               "attention": {"type": "bilinear"}}
    model, filled = build_model(with_changes(decoder=decoder), vocab)
    assert isinstance(model.decoder.attention, BilinearAttention)
    assert filled["decoder"]["attention"] == {"type": "bilinear", "bias": False}
    assert filled["decoder"]["input_dim"] == 6
    rebuilt, refilled = build_model(filled, vocab)
    assert refilled == filled
    assert isinstance(rebuilt.decoder.attention, BilinearAttention)


def test_dot_product_lazy_with_equal_dims():
    class Square:
        def __init__(self, attention: Lazy[Attention]) -> None:
            self.attention = attention.construct(query_dim=2, key_dim=2)

    assert isinstance(build({"attention": "dot_product"}, Square).attention, DotProductAttention)


# --- filled config ------------------------------------------------------------------------


def parameter_shapes(model) -> dict[str, tuple[int, ...]]:
    return {name: tuple(p.shape) for name, p in model.named_parameters()}


def test_filled_config_writes_every_default(vocab):
    _, filled = build_model(with_changes(), vocab)
    assert filled["dropout"] == 0.0
    assert filled["embedder"] == {"type": "embedding", "embedding_dim": 4,
                                  "pretrained_file": None, "trainable": True}
    assert filled["encoder"] == {"type": "lstm", "input_dim": 4, "hidden_dim": 3,
                                 "num_layers": 1, "bidirectional": True, "dropout": 0.0}
    assert filled["decoder"] == {"type": "crf", "input_dim": 6, "constrain": True,
                                 "dropout": 0.0, "projection": True}
    assert filled["metrics"] is None


def test_rebuilding_from_the_filled_config_gives_the_same_model(vocab):
    encoders = [{"type": "cnn", "hidden_dim": 5}, {"type": "gru", "hidden_dim": 2}]
    model, filled = build_model(with_changes(encoder={"type": "compose", "encoders": encoders}),
                                vocab)
    rebuilt, refilled = build_model(copy.deepcopy(filled), vocab)
    assert refilled == filled
    assert repr(rebuilt) == repr(model)
    assert parameter_shapes(rebuilt) == parameter_shapes(model)


def test_fill_returns_only_the_filled_config(vocab):
    assert fill(TAGGER, Model, context={"vocab": vocab}) == build_model(TAGGER, vocab)[1]


def test_the_input_config_is_not_modified(vocab):
    config = with_changes()
    before = copy.deepcopy(config)
    build_model(config, vocab)
    assert config == before


# --- dry run ------------------------------------------------------------------------------


@pytest.fixture
def constructed(isolated_registry):
    """Register a decoder whose constructor records every call."""
    from nerkit.modules.decoders import Decoder

    calls = []

    @Decoder.register("recording")
    class RecordingDecoder(Decoder):
        def __init__(self, vocab: Vocabulary, input_dim: int, width: int = 1) -> None:
            calls.append(width)
            super().__init__(vocab, input_dim)

    return calls


def test_check_config_constructs_nothing(constructed):
    check_config(with_changes(decoder={"type": "recording", "width": 2}), Model, path=("model",))
    assert constructed == []


def test_check_config_needs_no_vocab_and_no_flowing_dims():
    decoder = {"type": "attention_lstm", "hidden_dim": 4, "attention": "bilinear"}
    filled = check_config(with_changes(decoder=decoder), Model, path=("model",))
    assert filled["decoder"]["attention"] == {"type": "bilinear", "bias": False}
    assert filled["decoder"]["hidden_dim"] == 4 and "input_dim" not in filled["decoder"]
    assert "vocab" not in filled["decoder"]


@pytest.mark.parametrize(
    ("change", "path", "fragment"),
    [
        ({"encoder": {"type": "lstm", "hiden_dim": 3}}, ["model", "encoder", "hiden_dim"],
         "did you mean 'hidden_dim'?"),
        ({"encoder": {"type": "lstn", "hidden_dim": 3}}, ["model", "encoder", "type"],
         "did you mean 'lstm'?"),
        ({"encoder": {"type": "lstm"}}, ["model", "encoder", "hidden_dim"],
         "missing required key 'hidden_dim'"),
        ({"dropout": "0.1"}, ["model", "dropout"], "expected float, got '0.1'"),
        ({"decoder": {"type": "attention_lstm", "attention": {"type": "bilinaer"}}},
         ["model", "decoder", "attention", "type"], "did you mean 'bilinear'?"),
        ({"decoder": {"type": "attention_lstm", "attention": {"type": "bilinear", "bais": 1}}},
         ["model", "decoder", "attention", "bais"], "did you mean 'bias'?"),
        ({"embedder": {"type": "embedding", "embedding_dim": 4, "vocab": 1}},
         ["model", "embedder", "vocab"], "supplied by nerkit"),
    ],
)
def test_check_config_catches_mistakes(change, path, fragment):
    with pytest.raises(ConfigurationError) as caught:
        check_config(with_changes(**change), Model, path=("model",))
    assert caught.value.path == path
    assert fragment in str(caught.value)


# --- constructor errors -------------------------------------------------------------------


def test_a_value_the_constructor_refuses_names_the_block(vocab):
    error = error_of(with_changes(encoder={"type": "lstm", "hidden_dim": 0}), vocab)
    assert error.path == ["model", "encoder"]
    assert error.message == "hidden_dim and num_layers must be positive"


@pytest.mark.parametrize("exception", [ValueError, TypeError, KeyError])
def test_a_bug_in_component_code_is_not_a_config_error(isolated_registry, vocab, exception):
    @Seq2SeqEncoder.register("buggy")
    class BuggyEncoder(Seq2SeqEncoder):
        def __init__(self, input_dim: int) -> None:
            raise exception("a bug")

    with pytest.raises(exception) as caught:
        build_model(with_changes(encoder="buggy"), vocab)
    assert not isinstance(caught.value, ConfigurationError)


def test_configuration_error_without_path_gets_the_block_path(isolated_registry, vocab):
    @Seq2SeqEncoder.register("picky")
    class PickyEncoder(Seq2SeqEncoder):
        def __init__(self, input_dim: int) -> None:
            raise ConfigurationError("picky refuses")

    error = error_of(with_changes(encoder="picky"), vocab)
    assert error.path == ["model", "encoder"] and error.message == "picky refuses"


def test_plain_callables_are_built_by_their_signature():
    def make(size: int, scale: float = 1.0, name: str = "x") -> tuple:
        return size, scale, name

    built, filled = build_and_fill({"size": 2, "scale": 3}, make)
    assert built == (2, 3.0, "x")
    assert filled == {"size": 2, "scale": 3.0, "name": "x"}
    with pytest.raises(ConfigurationError, match="expected a config block"):
        build(5, make)


class Widget(Component):
    registry_name = "callbacks"


def test_sibling_values_do_not_leak_into_children(isolated_registry):
    @Widget.register("dial")
    class Dial(Widget):
        def __init__(self, size: int = 1) -> None:
            self.size = size

    def panel(size: int, dial: Widget) -> tuple:
        return size, dial

    (size, dial), filled = build_and_fill({"size": 5, "dial": {"type": "dial", "size": 2}}, panel)
    assert (size, dial.size) == (5, 2)
    assert filled["dial"] == {"type": "dial", "size": 2}


def test_built_siblings_are_offered_to_later_children(isolated_registry):
    @Widget.register("dial")
    class Dial(Widget):
        pass

    @Widget.register("gauge")
    class Gauge(Widget):
        def __init__(self, dial: Widget, scale: int = 1) -> None:
            self.dial = dial

    def panel(dial: Widget, gauge: Widget) -> tuple:
        return dial, gauge

    (dial, gauge), filled = build_and_fill({"dial": "dial", "gauge": "gauge"}, panel)
    assert gauge.dial is dial
    assert filled["gauge"] == {"type": "gauge", "scale": 1}


def test_null_for_a_required_int_is_a_config_error():
    from nerkit.common.build import build
    from nerkit.common.errors import ConfigurationError
    from nerkit.modules.seq2seq_encoders import Seq2SeqEncoder

    with pytest.raises(ConfigurationError, match="hidden_dim: expected int, got null"):
        build({"type": "lstm", "input_dim": 3, "hidden_dim": None}, Seq2SeqEncoder)


# --- the written rules: declared flow, **kwargs, dataclass blocks, signature-only fill ------


def test_dimensions_flow_only_through_declared_members(isolated_registry):
    @Seq2SeqEncoder.register("pair")
    class PairEncoder(Seq2SeqEncoder):
        """Declares its flow in data order, whatever the parameter order."""

        dimension_flow = ("first", "second")

        def __init__(self, second: Seq2SeqEncoder, first: Seq2SeqEncoder,
                     side: Seq2SeqEncoder | None = None) -> None:
            super().__init__()
            self.first, self.second, self.side = first, second, side

    pair = build(
        {"type": "pair", "first": {"type": "lstm", "hidden_dim": 3},
         "second": {"type": "lstm", "hidden_dim": 2},
         "side": {"type": "lstm", "input_dim": 7, "hidden_dim": 2}},
        Seq2SeqEncoder, context={"input_dim": 5},
    )
    assert (pair.first.get_input_dim(), pair.second.get_input_dim()) == (5, 6)
    assert pair.side.get_input_dim() == 7  # not a flow member: takes nothing from upstream


def test_a_flow_member_without_output_dim_is_a_bug_not_swallowed(isolated_registry):
    @Seq2SeqEncoder.register("dimless")
    class DimlessEncoder(Seq2SeqEncoder):
        def __init__(self, input_dim: int) -> None:
            super().__init__()

        def get_output_dim(self) -> int:
            raise NotImplementedError

    with pytest.raises(NotImplementedError):
        build({"type": "compose", "encoders": ["dimless", {"type": "lstm", "hidden_dim": 2}]},
              Seq2SeqEncoder, context={"input_dim": 4})


def test_unresolvable_annotation_fails_at_registration(isolated_registry):
    with pytest.raises(ConfigurationError, match="cannot resolve the annotations.*NoSuchType"):
        @Widget.register("broken")
        class Broken(Widget):
            def __init__(self, size: NoSuchType) -> None:  # type: ignore[name-defined]  # noqa: F821
                pass


def test_kwargs_reach_the_base_parameters(isolated_registry):
    class Base(Widget):
        def __init__(self, shared: int = 1, flag: bool = False) -> None:
            self.shared, self.flag = shared, flag

    @Widget.register("child")
    class Child(Base):
        def __init__(self, own: str = "x", **kwargs) -> None:
            super().__init__(**kwargs)
            self.own = own

    child, filled = build_and_fill({"type": "child", "shared": 3}, Widget)
    assert (child.own, child.shared, child.flag) == ("x", 3, False)
    assert filled == {"type": "child", "own": "x", "shared": 3, "flag": False}
    with pytest.raises(ConfigurationError, match="unknown key 'shard'.*did you mean 'shared'"):
        build({"type": "child", "shard": 3}, Widget)


def test_a_dataclass_parameter_is_built_from_its_block_and_default():
    def run(loader: DataLoaderConfig = DataLoaderConfig(),  # noqa: B008 - frozen
            other: DataLoaderConfig | None = None):
        return loader, other

    (loader, other), filled = build_and_fill({"other": {"batch_size": 2}}, run)
    assert loader == DataLoaderConfig() and other == DataLoaderConfig(batch_size=2)
    assert filled["loader"] == {"batch_size": 32, "sorting": "bucket", "shuffle": True,
                                "num_workers": 0, "max_tokens": None}
    assert filled["other"]["batch_size"] == 2 and filled["other"]["shuffle"] is True
    with pytest.raises(ConfigurationError) as caught:
        build({"other": {"sorting": "sideways"}}, run)
    assert caught.value.path == ["other"] and "sorting must be one of" in caught.value.message


def test_check_config_returns_every_default_without_flowing_dims():
    filled = check_config(TAGGER, Model)
    assert filled["encoder"] == {"type": "lstm", "hidden_dim": 3, "num_layers": 1,
                                 "bidirectional": True, "dropout": 0.0}
    assert "input_dim" not in filled["decoder"] and filled["decoder"]["constrain"] is True
    assert filled["dropout"] == 0.0 and "vocab" not in filled


def test_lazy_setting_reads_the_block_or_the_default():
    assert Lazy("bilinear", Attention, {}, (), {}).setting("bias") is False
    assert Lazy({"type": "bilinear", "bias": True}, Attention, {}, (), {}).setting("bias") is True


def test_a_lazy_slot_named_like_a_context_value_is_config(vocab):
    def experiment(model: Lazy[Model], vocab: Vocabulary) -> Model:
        return model.construct(vocab=vocab)

    model = build({"model": TAGGER}, experiment, context={"vocab": vocab, "model": "ignored"})
    assert isinstance(model, Tagger)


class Opaque:
    """A plain class: not a component, not a dataclass, not in ANNOTATION_KINDS."""

    def __init__(self, size: int = 1) -> None:
        self.size = size


def test_a_block_for_a_class_build_cannot_make_is_a_bug_not_a_raw_dict():
    def holder(part: Opaque | None = None) -> Opaque | None:
        return part

    with pytest.raises(TypeError, match="build does not know how to make"):
        build({"part": {"size": 2}}, holder)


# --- shared instances ----------------------------------------------------------------------


def test_equal_blocks_of_a_shared_kind_build_one_object(fixtures_root):
    """Lexicons set ``shared_instances``: one word list read by two embedders is built once."""
    path = str(fixtures_root / "lexicon" / "tiny_lexicon.txt")
    features = {"type": "lexicon_features", "lexicon": {"type": "word_list", "path": path}}
    other = {"type": "lexicon_features",
             "lexicon": {"type": "word_list", "path": path, "max_word_length": 2}}
    concat = {"type": "concat", "embedders": [features, features, other]}
    first, second, third = build(concat, "token_embedders").embedders
    assert first.lexicon is second.lexicon
    assert third.lexicon is not first.lexicon  # a different block
    again = build(concat, "token_embedders").embedders[0]
    assert again.lexicon is not first.lexicon  # shared within one build only
