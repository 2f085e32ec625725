"""The micro-batcher: concurrent requests share model calls; a full queue refuses at once."""

from __future__ import annotations

import asyncio
import threading

import pytest

from nerkit.serving.batcher import MicroBatcher, ServerBusy


def echo_predict(calls: list[list[str]], gate: threading.Event | None = None):
    def predict(texts):
        if gate is not None:
            gate.wait(5)
        calls.append(list(texts))
        return [{"text": t} for t in texts]
    return predict


def test_concurrent_requests_are_batched_and_answered_in_order():
    calls: list[list[str]] = []

    async def scenario():
        batcher = MicroBatcher(echo_predict(calls), max_batch_size=8, max_wait_ms=50)
        await batcher.start()
        results = await asyncio.gather(*(batcher.predict([f"t{i}", f"u{i}"]) for i in range(4)))
        await batcher.stop()
        return results

    results = asyncio.run(scenario())
    assert results == [[{"text": f"t{i}"}, {"text": f"u{i}"}] for i in range(4)]
    assert len(calls) == 1 and len(calls[0]) == 8  # one model call for all four requests


def test_batches_stop_at_max_batch_size():
    calls: list[list[str]] = []

    async def scenario():
        batcher = MicroBatcher(echo_predict(calls), max_batch_size=2, max_wait_ms=50)
        await batcher.start()
        await asyncio.gather(*(batcher.predict([str(i)]) for i in range(5)))
        await batcher.stop()

    asyncio.run(scenario())
    assert [len(c) for c in calls] == [2, 2, 1]


def test_a_full_queue_refuses_with_server_busy():
    gate = threading.Event()

    async def scenario():
        batcher = MicroBatcher(echo_predict([], gate), max_batch_size=1, max_wait_ms=0,
                               max_queue=2)
        await batcher.start()
        first = asyncio.ensure_future(batcher.predict(["running"]))
        await asyncio.sleep(0.05)  # the worker takes it and blocks in predict
        waiting = [asyncio.ensure_future(batcher.predict([str(i)])) for i in range(2)]
        await asyncio.sleep(0)
        with pytest.raises(ServerBusy):
            await batcher.predict(["one too many"])
        gate.set()
        results = await asyncio.gather(first, *waiting)
        await batcher.stop()
        return results

    assert [r[0]["text"] for r in asyncio.run(scenario())] == ["running", "0", "1"]


def test_a_failing_predictor_fails_its_requests_and_keeps_serving():
    attempts = []

    def flaky(texts):
        attempts.append(texts)
        if len(attempts) == 1:
            raise RuntimeError("boom")
        return [{"text": t} for t in texts]

    async def scenario():
        batcher = MicroBatcher(flaky, max_wait_ms=0)
        await batcher.start()
        with pytest.raises(RuntimeError, match="boom"):
            await batcher.predict(["a"])
        result = await batcher.predict(["b"])
        await batcher.stop()
        return result

    assert asyncio.run(scenario()) == [{"text": "b"}]


def test_requests_with_different_options_are_never_batched_together():
    calls: list[tuple[list[str], dict]] = []

    def predict(texts, **options):
        calls.append((list(texts), options))
        return [{"text": t, **options} for t in texts]

    async def scenario():
        batcher = MicroBatcher(predict, max_batch_size=16, max_wait_ms=50)
        await batcher.start()
        results = await asyncio.gather(
            batcher.predict(["a"]), batcher.predict(["b"], n_best=2), batcher.predict(["c"]),
            batcher.predict(["d"], n_best=2), batcher.predict(["e"], n_best=2))
        await batcher.stop()
        return results

    results = asyncio.run(scenario())
    assert results == [[{"text": "a"}], [{"text": "b", "n_best": 2}], [{"text": "c"}],
                       [{"text": "d", "n_best": 2}], [{"text": "e", "n_best": 2}]]
    assert calls == [(["a", "c"], {}), (["b", "d", "e"], {"n_best": 2})]
