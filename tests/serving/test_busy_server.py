"""A full request queue answers 503 over HTTP, and the waiting requests still succeed."""

from __future__ import annotations

import threading
import time

from fastapi.testclient import TestClient

from nerkit.serving.app import ServeSettings, create_app


class BlockingPredictor:
    """Echoes texts, but only once ``gate`` is set: the first batch holds the worker."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.entered = threading.Event()

    def predict_batch(self, texts):
        self.entered.set()
        self.gate.wait(10)
        return [{"text": t, "entities": []} for t in texts]


def test_requests_beyond_the_queue_get_503_with_retry_after():
    predictor = BlockingPredictor()
    settings = ServeSettings(max_batch_size=1, max_wait_ms=0, max_queue=1)
    statuses: dict[str, int] = {}

    with TestClient(create_app(predictor, {}, settings)) as client:
        def post(text: str) -> None:
            statuses[text] = client.post("/predict", json={"text": text}).status_code

        running = threading.Thread(target=post, args=("running",))
        running.start()
        assert predictor.entered.wait(10)  # the worker has taken it and waits on the gate
        waiting = threading.Thread(target=post, args=("waiting",))
        waiting.start()
        time.sleep(0.5)  # now the one queue slot is taken
        refused = client.post("/predict", json={"text": "refused"})
        predictor.gate.set()
        running.join(10)
        waiting.join(10)

    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "1"
    assert "server busy" in refused.json()["error"]
    assert statuses == {"running": 200, "waiting": 200}
