import pytest

from nerkit.common.component import Component
from nerkit.common.errors import ConfigurationError
from nerkit.modules.decoders import CrfDecoder, Decoder
from nerkit.modules.seq2seq_encoders import Seq2SeqEncoder
from nerkit.registry import get_registry


class Widget(Component):
    """A throwaway base on the callbacks registry (entries are rolled back by isolated_registry)."""

    registry_name = "callbacks"


@pytest.fixture
def widgets(isolated_registry):
    @Widget.register("knob")
    class KnobWidget(Widget):
        """A knob."""

        def __init__(self, turns: int = 1) -> None:
            self.turns = turns

    return KnobWidget


def test_register_and_look_up(widgets):
    assert Widget.by_name("knob") is widgets
    assert "knob" in Widget.list_available()
    assert get_registry("callbacks").get("knob") is widgets


def test_registration_is_rolled_back_by_the_fixture(widgets):
    assert "knob" in Widget.list_available()


def test_registration_did_not_leak():
    assert "knob" not in Widget.list_available()


def test_duplicate_name_is_refused(widgets):
    with pytest.raises(ConfigurationError, match="'knob' is already registered to .*KnobWidget"):

        @Widget.register("knob")
        class OtherWidget(Widget):
            pass

    assert Widget.by_name("knob") is widgets


def test_registering_the_same_class_twice_is_harmless(widgets):
    assert Widget.register("knob")(widgets) is widgets


def test_exist_ok_replaces(widgets):
    @Widget.register("knob", exist_ok=True)
    class Replacement(Widget):
        pass

    assert Widget.by_name("knob") is Replacement


def test_by_name_lists_choices_and_suggests(widgets):
    with pytest.raises(ConfigurationError) as caught:
        Widget.by_name("knbo")
    message = str(caught.value)
    assert "'knbo' is not a registered callbacks name" in message
    assert "did you mean 'knob'?" in message
    assert "registered: " in message and "knob" in message
    assert "--include-package" in message


def test_list_available_is_sorted_and_per_base():
    encoders = Seq2SeqEncoder.list_available()
    assert encoders == sorted(encoders)
    assert {"lstm", "gru", "cnn", "compose", "pass_through", "transformer"} <= set(encoders)
    assert "crf" in Decoder.list_available() and "crf" not in encoders


def test_from_config_builds_with_context(widgets):
    built = Widget.from_config({"type": "knob", "turns": 3})
    assert isinstance(built, widgets) and built.turns == 3
    assert Widget.from_config("knob").turns == 1


def test_from_config_injects_vocab():
    from nerkit.data.vocabulary import Vocabulary

    vocab = Vocabulary(list("ab"), ["PER"], "BIO")
    decoder = Decoder.from_config({"type": "crf"}, vocab=vocab, input_dim=4)
    assert isinstance(decoder, CrfDecoder)
    assert decoder.vocab is vocab and decoder.get_input_dim() == 4
