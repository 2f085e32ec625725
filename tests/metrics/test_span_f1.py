import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
from seqeval.scheme import IOB2, IOBES

from nerkit.common.build import build
from nerkit.data.tag_schemes import labels_for, tags_to_spans
from nerkit.data.vocabulary import Vocabulary
from nerkit.metrics import Metric, SpanF1Metric

TYPES = ["LOC", "PER"]
SEQEVAL_SCHEMES = {"BIO": IOB2, "BIOES": IOBES}


def metric_for(scheme: str) -> SpanF1Metric:
    return SpanF1Metric(Vocabulary([], TYPES, scheme))


def scores(scheme, predicted, gold) -> dict[str, float]:
    metric = metric_for(scheme)
    metric(predicted, gold)
    return metric.get_metric()


def seqeval_scores(scheme, predicted, gold) -> dict[str, float]:
    options = {"mode": "strict", "scheme": SEQEVAL_SCHEMES[scheme], "zero_division": 0}
    result = {
        "precision": precision_score(gold, predicted, **options),
        "recall": recall_score(gold, predicted, **options),
        "f1": f1_score(gold, predicted, **options),
    }
    report = classification_report(gold, predicted, output_dict=True, **options)
    for label in TYPES:
        row = report.get(label, {"precision": 0.0, "recall": 0.0, "f1-score": 0.0})
        result.update({f"precision-{label}": row["precision"], f"recall-{label}": row["recall"],
                       f"f1-{label}": row["f1-score"]})
    return result


def assert_scores_equal(actual, expected):
    assert set(expected) <= set(actual)
    for key, value in expected.items():
        assert actual[key] == pytest.approx(value), key


# --- BIO / BIOES against seqeval ----------------------------------------------------------

BIO_GOLD = [["B-PER", "I-PER", "O", "B-LOC"], ["O", "B-LOC", "I-LOC", "I-LOC", "O"]]
BIO_CASES = [
    BIO_GOLD,  # perfect
    [["B-PER", "O", "O", "B-LOC"], ["O", "B-LOC", "I-LOC", "I-LOC", "O"]],  # short span
    [["I-PER", "I-PER", "O", "B-LOC"], ["O", "B-LOC", "I-LOC", "I-LOC", "O"]],  # starts with I
    [["B-PER", "I-LOC", "O", "B-PER"], ["O", "B-LOC", "I-LOC", "I-PER", "O"]],  # type changes
    [["O", "O", "O", "O"], ["O", "O", "O", "O", "O"]],  # nothing predicted
]


@pytest.mark.parametrize("predicted", BIO_CASES)
def test_bio_hand_cases_match_seqeval(predicted):
    assert_scores_equal(scores("BIO", predicted, BIO_GOLD),
                        seqeval_scores("BIO", predicted, BIO_GOLD))


def test_bio_numbers_by_hand():
    predicted = [["B-PER", "O", "O", "B-LOC"], ["O", "B-LOC", "I-LOC", "I-LOC", "O"]]
    result = scores("BIO", predicted, BIO_GOLD)
    assert result["precision"] == pytest.approx(2 / 3)
    assert result["recall"] == pytest.approx(2 / 3)
    assert result["f1-LOC"] == 1.0 and result["f1-PER"] == 0.0


BIOES_GOLD = [["B-PER", "E-PER", "O", "S-LOC"], ["B-LOC", "I-LOC", "E-LOC", "S-PER"]]
BIOES_CASES = [
    BIOES_GOLD,
    [["B-PER", "I-PER", "O", "S-LOC"], ["B-LOC", "I-LOC", "E-LOC", "S-PER"]],  # dangling I
    [["B-PER", "E-LOC", "O", "B-LOC"], ["B-LOC", "E-LOC", "E-LOC", "S-PER"]],  # broken runs
    [["S-PER", "S-PER", "O", "S-LOC"], ["I-LOC", "I-LOC", "E-LOC", "S-PER"]],
]


@pytest.mark.parametrize("predicted", BIOES_CASES)
def test_bioes_hand_cases_match_seqeval(predicted):
    assert_scores_equal(scores("BIOES", predicted, BIOES_GOLD),
                        seqeval_scores("BIOES", predicted, BIOES_GOLD))


def tag_rows(scheme):
    tag = st.sampled_from(labels_for(TYPES, scheme))
    return st.lists(st.lists(tag, min_size=1, max_size=8), min_size=1, max_size=4)


@st.composite
def prediction_and_gold(draw, scheme):
    gold = draw(tag_rows(scheme))
    tag = st.sampled_from(labels_for(TYPES, scheme))
    predicted = [draw(st.lists(tag, min_size=len(row), max_size=len(row))) for row in gold]
    return predicted, gold


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # seqeval averaging empty reports
@pytest.mark.parametrize("scheme", ["BIO", "BIOES"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_random_sequences_match_seqeval(scheme, data):
    predicted, gold = data.draw(prediction_and_gold(scheme))
    assert_scores_equal(scores(scheme, predicted, gold), seqeval_scores(scheme, predicted, gold))


# --- BMES and BIEO -------------------------------------------------------------------------


def entities(scheme, tags) -> set[tuple[int, int, str]]:
    """Spans the metric counts for one sentence, read through a perfect-match score."""
    metric = metric_for(scheme)
    return {(e[1], e[2], e[3]) for e in metric._entities([tags])}


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["S-PER"], {(0, 1, "PER")}),  # single-character entity
        (["B-PER", "E-PER", "S-LOC"], {(0, 2, "PER"), (2, 3, "LOC")}),
        (["B-PER", "M-PER", "M-PER", "E-PER"], {(0, 4, "PER")}),
        (["B-PER", "M-PER"], set()),  # dangling M at the end
        (["B-PER"], set()),  # B without E
        (["M-PER", "E-PER"], set()),  # M without B
        (["E-PER", "O"], set()),  # lone E
        (["B-PER", "M-LOC", "E-PER"], set()),  # type changes inside
        (["B-PER", "E-LOC"], set()),
    ],
)
def test_bmes_edge_cases(tags, expected):
    assert entities("BMES", tags) == expected


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["B-PER"], {(0, 1, "PER")}),  # single-character entity is a lone B
        (["B-PER", "B-LOC", "O", "B-PER"], {(0, 1, "PER"), (1, 2, "LOC"), (3, 4, "PER")}),
        (["B-PER", "E-PER"], {(0, 2, "PER")}),
        (["B-PER", "I-PER", "I-PER", "E-PER"], {(0, 4, "PER")}),
        (["B-PER", "I-PER"], set()),  # dangling I
        (["B-PER", "I-PER", "O"], set()),
        (["I-PER", "E-PER"], set()),  # I without B
        (["E-PER"], set()),  # lone E
        (["B-PER", "I-LOC", "E-LOC"], {(0, 1, "PER")}),  # type changes: B stands alone
        (["B-PER", "E-LOC"], {(0, 1, "PER")}),
        (["B-PER", "I-PER", "E-LOC"], set()),
    ],
)
def test_bieo_edge_cases(tags, expected):
    assert entities("BIEO", tags) == expected


@pytest.mark.parametrize("scheme", ["BMES", "BIEO"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_bmes_bieo_follow_the_tag_scheme_reading_rule(scheme, data):
    rows = data.draw(tag_rows(scheme))
    for tags in rows:
        expected = {(s.start, s.end, s.label) for s in tags_to_spans(tags, scheme)}
        assert entities(scheme, tags) == expected


@pytest.mark.parametrize("scheme", ["BMES", "BIEO"])
def test_bmes_bieo_scores(scheme):
    gold = [["B-PER", "E-PER", "O"]]
    single = "S-LOC" if scheme == "BMES" else "B-LOC"
    result = scores(scheme, [["B-PER", "E-PER", single]], gold)
    assert result["precision"] == 0.5 and result["recall"] == 1.0
    assert result["f1"] == pytest.approx(2 / 3)
    assert result["precision-LOC"] == 0.0 and result["f1-PER"] == 1.0


# --- keys, reset, state ----------------------------------------------------------------------


def test_keys_overall_and_per_type():
    result = metric_for("BIO").get_metric()
    assert set(result) == {f"{m}{s}" for m in ("precision", "recall", "f1")
                           for s in ("", "-LOC", "-PER")}
    assert all(value == 0.0 for value in result.values())


def test_type_outside_the_vocabulary_gets_keys():
    result = scores("BIO", [["B-ORG", "I-ORG"]], [["B-ORG", "I-ORG"]])
    assert result["f1-ORG"] == 1.0 and result["f1"] == 1.0


def test_get_metric_with_reset_starts_over():
    metric = metric_for("BIO")
    metric([["B-PER"]], [["B-PER"]])
    assert metric.get_metric(reset=True)["f1"] == 1.0
    assert metric.get_metric()["f1"] == 0.0


def test_accumulates_over_batches():
    metric = metric_for("BIO")
    metric([["B-PER"]], [["B-PER"]])
    metric([["O"]], [["B-LOC"]])
    assert metric.get_metric()["recall"] == 0.5 and metric.get_metric()["precision"] == 1.0


def test_state_tensor_round_trip():
    metric = metric_for("BIOES")
    metric(BIOES_CASES[2], BIOES_GOLD)
    state = metric.state_tensor()
    assert state.dtype == torch.float64 and state.dim() == 1
    other = metric_for("BIOES")
    other.load_state_tensor(state)
    assert other.get_metric() == metric.get_metric()
    state.zero_()  # the tensor handed out is a copy
    assert other.get_metric() == metric.get_metric()


def test_summed_states_equal_one_metric_fed_both_halves():
    predicted, gold = BIO_CASES[3], BIO_GOLD
    first, second, both = metric_for("BIO"), metric_for("BIO"), metric_for("BIO")
    first(predicted[:1], gold[:1])
    second(predicted[1:], gold[1:])
    both(predicted, gold)
    merged = metric_for("BIO")
    merged.load_state_tensor(first.state_tensor() + second.state_tensor())
    assert merged.get_metric() == both.get_metric()


def test_built_from_config_with_vocab():
    vocab = Vocabulary([], TYPES, "BIEO")
    metric = build({"type": "span_f1"}, Metric, context={"vocab": vocab})
    assert isinstance(metric, SpanF1Metric) and metric.scheme == "BIEO"


@pytest.mark.parametrize("scheme", ["BIO", "BIOES", "BMES", "BIEO"])
def test_empty_sentences_and_batches(scheme):
    metric = metric_for(scheme)
    metric([[], ["O"]], [[], ["O"]])
    metric([], [])
    assert metric.get_metric()["f1"] == 0.0
    assert metric.state_tensor().sum().item() == 0.0
