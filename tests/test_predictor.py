from pathlib import Path

import pytest
import torch

from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.sentence import Sentence, Span
from nerkit.predictor import Predictor, evaluate_sentences

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TEXTS = [
    "武斌表示：自己认准的道路，就要走到底。",
    "绍棠先生",
    "卢嘉锡的题词是：发展高科技，节能创一流。",
    "张",
]


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory) -> Path:
    """One tiny BiLSTM-CRF trained for an epoch on the fixture data, shared by the module."""
    from nerkit.training.experiment import train_model_from_file

    directory = tmp_path_factory.mktemp("tagger_crf")
    torch.manual_seed(0)
    train_model_from_file(FIXTURES / "configs" / "tagger_crf.jsonnet", directory,
                          tla_vars={"fixtures": str(FIXTURES), "num_epochs": 1}, force=True)
    return directory / "model.tar.gz"


@pytest.fixture(scope="module")
def predictor(archive_path) -> Predictor:
    return Predictor.from_archive(archive_path)


def assert_offsets_index_the_text(result):
    text = result["text"]
    for entity in result["entities"]:
        assert set(entity) == {"start", "end", "type", "text"}
        assert 0 <= entity["start"] < entity["end"] <= len(text)
        assert entity["text"] == text[entity["start"]:entity["end"]]


def test_predict_offsets_are_into_the_text(predictor):
    result = predictor.predict(TEXTS[0])
    assert result["text"] == TEXTS[0]
    assert_offsets_index_the_text(result)
    types = set(predictor.model.vocab.entity_types)
    assert all(entity["type"] in types for entity in result["entities"])


def test_text_with_spaces_and_unknown_characters(predictor):
    text = "  武斌  表示 ☃ Hello 世界 "
    result = predictor.predict(text)
    assert result["text"] == text
    assert_offsets_index_the_text(result)


def test_batch_order_is_kept_with_mixed_lengths(predictor):
    texts = [TEXTS[2], "", TEXTS[3], TEXTS[0], TEXTS[1], TEXTS[3]]
    results = predictor.predict_batch(texts, batch_size=2)
    assert [r["text"] for r in results] == texts
    for text, result in zip(texts, results):
        assert result == predictor.predict(text)  # same answer alone as in a batch
        assert_offsets_index_the_text(result)


def test_empty_string(predictor):
    assert predictor.predict("") == {"text": "", "entities": []}
    assert predictor.predict_batch(["", ""]) == [{"text": "", "entities": []}] * 2
    assert predictor.predict_batch([]) == []


def test_predict_stream_is_lazy_and_ordered(predictor):
    texts = iter(TEXTS * 3)
    results = predictor.predict_stream(texts, batch_size=1)
    first = next(results)
    assert first["text"] == TEXTS[0]
    assert [r["text"] for r in results] == (TEXTS * 3)[1:]


def test_a_long_line_is_labelled_at_every_character(predictor, monkeypatch):
    text = ("武斌表示：自己认准的道路，就要走到底。" * 110)[:2000]
    model = predictor.model
    lengths = []
    original = model.label_sequences

    def recording(predictions, sentence_lengths):
        rows = original(predictions, sentence_lengths)
        lengths.extend(len(row) for row in rows)
        assert predictions.shape[-1] >= max(sentence_lengths)
        return rows

    monkeypatch.setattr(model, "label_sequences", recording)
    result = predictor.predict(text)
    assert lengths == [2000]
    assert_offsets_index_the_text(result)


def test_evaluate_sentences_returns_f1_keys(archive_path):
    from nerkit.archive import load_archive

    archive = load_archive(archive_path)
    sentences = archive.reader.read(FIXTURES / "data" / "tiny.bio")
    metrics = evaluate_sentences(archive.model, sentences, batch_size=3)
    assert {"precision", "recall", "f1", "accuracy"} <= set(metrics)
    for label in archive.vocab.entity_types:
        assert f"f1-{label}" in metrics
    assert all(0.0 <= value <= 1.0 for value in metrics.values())
    assert evaluate_sentences(archive.model, sentences, batch_size=64) == metrics


class FixedModel:
    """Stands in for a model: the same spans for every sentence."""

    def __init__(self, spans):
        self.spans = spans

    def eval(self):
        return self

    def predict_spans(self, sentences):
        return [list(self.spans) for _ in sentences]


class SpaceDroppingReader(DatasetReader):
    """Drops spaces and records each kept character's offset, as a normalising reader would."""

    def text_to_sentence(self, text: str) -> Sentence:
        offsets = [i for i, c in enumerate(text) if c != " "]
        return Sentence([text[i] for i in offsets], None, {"offsets": offsets})


def test_spans_map_one_to_one_without_offsets():
    predictor = Predictor(FixedModel([Span(1, 3, "PER")]), DatasetReader())
    result = predictor.predict("我张三说")
    assert result["entities"] == [{"start": 1, "end": 3, "type": "PER", "text": "张三"}]


def test_reader_offsets_map_back_to_the_text():
    spans = [Span(0, 2, "PER"), Span(2, 4, "LOC")]
    predictor = Predictor(FixedModel(spans), SpaceDroppingReader())
    result = predictor.predict("张 三 北京 ")
    assert [(e["start"], e["end"], e["text"]) for e in result["entities"]] == [
        (0, 3, "张 三"), (4, 6, "北京")]


def test_token_cap_changes_batches_not_results(archive_path):
    texts = TEXTS * 5 + [TEXTS[0] * 6]
    uncapped = Predictor.from_archive(archive_path, max_tokens=None)
    capped = Predictor.from_archive(archive_path, max_tokens=40)
    shapes = []
    capped.model.embedder.register_forward_hook(lambda m, args, out: shapes.append(args[1].shape))
    assert capped.predict_batch(texts, batch_size=8) == uncapped.predict_batch(texts, batch_size=8)
    assert all(rows == 1 or rows * length <= 40 for rows, length in shapes)
    assert max(length for _, length in shapes) == len(TEXTS[0]) * 6


def test_bf16_predicts_under_autocast_where_the_cpu_has_it(archive_path, monkeypatch):
    from nerkit.common import precision

    monkeypatch.setattr(precision, "cpu_has_native_bf16", lambda: True)
    predictor = Predictor.from_archive(archive_path, amp="bf16")
    seen = []
    real = predictor.model.predict_spans

    def spy(sentences):
        seen.append(torch.is_autocast_enabled("cpu"))
        return real(sentences)

    monkeypatch.setattr(predictor.model, "predict_spans", spy)
    results = predictor.predict_batch(TEXTS)
    assert seen == [True] and [r["text"] for r in results] == TEXTS
    for result in results:
        assert_offsets_index_the_text(result)
    gold = Sentence(list("武斌表示"), [Span(0, 2, "PER")])
    assert set(evaluate_sentences(predictor.model, [gold], amp="bf16")) >= {"f1", "precision"}
    monkeypatch.setattr(precision, "cpu_has_native_bf16", lambda: False)
    assert Predictor.from_archive(archive_path, amp="bf16").amp_dtype is None  # ignored here


def test_n_best_lists_the_crf_analyses_most_probable_first(archive_path):
    plain = Predictor.from_archive(archive_path).predict_batch(TEXTS)
    results = Predictor.from_archive(archive_path, n_best=3).predict_batch([*TEXTS, ""])
    for expected, result in zip(plain, results):
        analyses = result["n_best"]
        assert 1 <= len(analyses) <= 3
        assert analyses[0]["entities"] == expected["entities"] == result["entities"]
        probabilities = [a["probability"] for a in analyses]
        assert probabilities == sorted(probabilities, reverse=True)
        assert 0 < sum(probabilities) <= 1.0 + 1e-6
        for analysis in analyses:
            assert_offsets_index_the_text({"text": result["text"], **analysis})
        assert len({str(a["entities"]) for a in analyses}) == len(analyses)
    assert results[-1]["n_best"] == [{"entities": [], "probability": 1.0}]


def test_n_best_needs_a_decoder_that_has_it(archive_path):
    from nerkit.archive import load_archive
    from nerkit.common.errors import ConfigurationError
    from nerkit.modules.decoders import SoftmaxDecoder

    archive = load_archive(archive_path)
    model = archive.model
    model.decoder = SoftmaxDecoder(model.vocab, model.decoder.get_input_dim())
    with pytest.raises(ConfigurationError, match="n-best: SoftmaxDecoder gives no n-best"):
        Predictor(model, archive.reader, n_best=2).predict(TEXTS[0])
