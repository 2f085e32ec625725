"""Per-request n-best in the app: such requests are batched apart from plain ones, and a model
without an n-best list answers 422, not 500."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from nerkit.common.errors import ConfigurationError
from nerkit.serving.app import ServeSettings, create_app
from nerkit.serving.metadata import gives_n_best


class RecordingPredictor:
    """Echoes texts and records each call's texts and n-best size."""

    def __init__(self, has_n_best: bool = True) -> None:
        self.calls: list[tuple[list[str], int | None]] = []
        self.has_n_best = has_n_best
        self.lock = threading.Lock()

    def predict_batch(self, texts, n_best=None):
        if n_best and not self.has_n_best:
            raise ConfigurationError("n-best: AttentionLstmDecoder gives no n-best list")
        with self.lock:
            self.calls.append((list(texts), n_best))
        result = {"entities": []}
        return [{"text": t, **result, **({"n_best": [result]} if n_best else {})}
                for t in texts]


def test_n_best_requests_are_batched_apart_from_plain_ones():
    predictor = RecordingPredictor()
    settings = ServeSettings(max_batch_size=64, max_wait_ms=200)
    bodies = [{"text": "a"}, {"text": "b", "n_best": 2}, {"text": "c"}, {"text": "d", "n_best": 2},
              {"text": "e", "n_best": 3}]
    answers: dict[str, dict] = {}
    with TestClient(create_app(predictor, {}, settings)) as client:
        def post(body: dict) -> None:
            answers[body["text"]] = client.post("/predict", json=body).json()

        threads = [threading.Thread(target=post, args=(body,)) for body in bodies]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)

    assert sorted(answers) == ["a", "b", "c", "d", "e"]
    assert {text for text, answer in answers.items() if "n_best" in answer} == {"b", "d", "e"}
    for texts, n_best in predictor.calls:  # each call has one n-best size for all its texts
        expected = {body.get("n_best") for body in bodies if body["text"] in texts}
        assert expected == {n_best}
    assert sum(len(texts) for texts, _ in predictor.calls) == 5


def test_a_model_without_n_best_answers_422():
    with TestClient(create_app(RecordingPredictor(has_n_best=False), {})) as client:
        response = client.post("/predict", json={"text": "a", "n_best": 2})
        assert response.status_code == 422
        assert "gives no n-best list" in response.json()["error"]
        assert client.post("/predict", json={"text": "a"}).status_code == 200


def test_metadata_says_whether_the_model_gives_n_best_lists():
    assert gives_n_best(RecordingPredictor(has_n_best=True))
    assert not gives_n_best(RecordingPredictor(has_n_best=False))
