"""``nerkit serve`` as a subprocess on loopback: responses, 4xx errors, a bounded load test."""

from __future__ import annotations

import statistics
import threading
import time

import httpx
import pytest

from nerkit import Predictor

TEXTS = ["武斌表示：自己认准的道路，就要走到底。", "绍棠先生", "", "  武斌  表示 ☃ Hello 世界 ",
         "卢嘉锡的题词是：发展高科技，节能创一流。"]


def test_predict_one_text_matches_the_predictor(server_url, tiny_archive):
    expected = Predictor.from_archive(tiny_archive, scores=True).predict(TEXTS[0])
    response = httpx.post(f"{server_url}/predict", json={"text": TEXTS[0]})
    assert response.status_code == 200
    body = response.json()
    assert body == expected
    assert body["entities"], "the fixture model should find something here"
    for entity in body["entities"]:
        assert set(entity) == {"start", "end", "type", "text", "score"}
        assert body["text"][entity["start"]:entity["end"]] == entity["text"]
        assert 0.0 <= entity["score"] <= 1.0


def test_predict_many_texts_keeps_order_and_offsets(server_url, tiny_archive):
    expected = Predictor.from_archive(tiny_archive, scores=True).predict_batch(TEXTS)
    response = httpx.post(f"{server_url}/predict", json={"texts": TEXTS})
    assert response.status_code == 200
    assert response.json() == expected


def test_displacy_format(server_url):
    plain = httpx.post(f"{server_url}/predict", json={"text": TEXTS[4]}).json()
    response = httpx.post(f"{server_url}/predict?format=displacy", json={"texts": [TEXTS[4]]})
    assert response.status_code == 200
    [doc] = response.json()
    assert doc["text"] == TEXTS[4]
    assert doc["ents"] == [{"start": e["start"], "end": e["end"], "label": e["type"]}
                           for e in plain["entities"]]


def test_json_without_content_type_is_accepted(server_url):
    response = httpx.post(f"{server_url}/predict", content='{"text": "绍棠先生"}')
    assert response.status_code == 200 and response.json()["text"] == "绍棠先生"


@pytest.mark.parametrize(("body", "status", "message"), [
    (b"not json", 422, "Invalid JSON"),
    (b'{"text": 5}', 422, "valid string"),
    (b'{"texts": ["a", 3]}', 422, "valid string"),
    (b"{}", 422, "exactly one of"),
    (b'{"text": "a", "texts": ["b"]}', 422, "exactly one of"),
    (b'["a"]', 422, "object"),
    (b'{"text": "a", "extra": 1}', 422, "Extra inputs"),
    ('{"text": "' + "长" * 5001 + '"}', 413, "limit is 5000"),
    ('{"texts": [' + ",".join(['"a"'] * 65) + "]}", 413, "limit is 64"),
    (b"\xff\xfe", 422, "Invalid JSON"),
    (b" " * 2_000_000, 413, "bytes; the limit is"),
])
def test_bad_requests_get_4xx_with_a_json_error(server_url, body, status, message):
    response = httpx.post(f"{server_url}/predict", content=body)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_n_best_per_request_matches_the_predictor(server_url, tiny_archive):
    expected = Predictor.from_archive(tiny_archive, scores=True).predict_batch(TEXTS, n_best=3)
    response = httpx.post(f"{server_url}/predict", json={"texts": TEXTS, "n_best": 3})
    assert response.status_code == 200
    assert response.json() == expected
    assert all(1 <= len(r["n_best"]) <= 3 for r in expected)
    plain = httpx.post(f"{server_url}/predict", json={"text": TEXTS[0]}).json()
    assert "n_best" not in plain


@pytest.mark.parametrize(("body", "query", "message"), [
    ({"text": "a", "n_best": 21}, "", "the limit is 20"),
    ({"text": "a", "n_best": 0}, "", "greater than or equal to 1"),
    ({"text": "a", "n_best": "3"}, "", "valid integer"),
    ({"text": "a", "n_best": 2}, "?format=displacy", "nerkit's format only"),
])
def test_bad_n_best_is_a_422(server_url, body, query, message):
    response = httpx.post(f"{server_url}/predict{query}", json=body)
    assert response.status_code == 422
    assert message in response.json()["error"]


def test_unknown_format_is_a_422(server_url):
    response = httpx.post(f"{server_url}/predict?format=xml", json={"text": "a"})
    assert response.status_code == 422 and "displacy" in response.json()["error"]


def test_health_metadata_docs_and_demo_page(server_url, tiny_archive):
    assert httpx.get(f"{server_url}/health").json() == {"status": "ok"}
    metadata = httpx.get(f"{server_url}/metadata").json()
    assert metadata["tag_scheme"] == "BIOES"
    assert metadata["labels"][0] == "O" and "B-PER" in metadata["labels"]
    assert metadata["config"]["decoder"] == "crf" and metadata["config"]["encoder"] == "lstm"
    assert len(metadata["archive_sha256"]) == 64
    assert metadata["nerkit_version"] and metadata["runtime"] == "torch"
    assert metadata["n_best"] is True  # a CRF model; the demo page shows its analyses control
    assert httpx.get(f"{server_url}/docs").status_code == 200
    page = httpx.get(f"{server_url}/")
    assert page.status_code == 200 and "predict-button" in page.text
    assert httpx.get(f"{server_url}/static/app.js").status_code == 200


def test_bounded_load_has_no_errors(server_url, capsys):
    """8 concurrent clients x 250 requests over loopback; every answer must be a 200."""
    clients, requests_each = 8, 250
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        with httpx.Client(base_url=server_url, timeout=30.0) as http:
            for number in range(requests_each):
                text = TEXTS[(index + number) % len(TEXTS)]
                started = time.perf_counter()
                try:
                    response = http.post("/predict", json={"text": text})
                    ok = response.status_code == 200 and response.json()["text"] == text
                    error = "" if ok else f"{response.status_code} {response.text[:200]}"
                except httpx.HTTPError as exception:
                    error = repr(exception)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if error:
                        failures.append(error)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    wall = time.perf_counter() - started
    assert not any(thread.is_alive() for thread in threads), "load test did not finish"
    assert failures == []
    assert len(latencies) == clients * requests_each
    cuts = statistics.quantiles(latencies, n=100)
    with capsys.disabled():
        print(f"\nload test: {len(latencies)} requests, {clients} clients, "
              f"p50 {1000 * cuts[49]:.1f} ms, p99 {1000 * cuts[98]:.1f} ms, "
              f"{len(latencies) / wall:.0f} req/s")


def test_onnx_runtime_server_answers_like_the_torch_one(server_url, tiny_archive,
                                                        launch_server):
    url = launch_server(tiny_archive, "--runtime", "onnx")
    got = httpx.post(f"{url}/predict", json={"texts": TEXTS}).json()
    assert httpx.get(f"{url}/metadata").json()["runtime"] == "onnx"
    expected = httpx.post(f"{server_url}/predict", json={"texts": TEXTS}).json()
    for mine, theirs in zip(got, expected):
        assert [(e["start"], e["end"], e["type"]) for e in mine["entities"]] == [
            (e["start"], e["end"], e["type"]) for e in theirs["entities"]]
        assert [e["score"] for e in mine["entities"]] == pytest.approx(
            [e["score"] for e in theirs["entities"]], abs=1e-4)
