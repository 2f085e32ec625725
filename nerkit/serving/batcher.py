"""Micro-batching: concurrent requests share one model call, run off the event loop.

Requests wait in a bounded queue. The worker takes the first waiting request, gathers more for
up to ``max_wait_ms`` or until ``max_batch_size`` texts, runs the predictor on all of them in
one worker thread, and hands each request its own results. A full queue is refused at once
(``ServerBusy``), so overload gives fast 503s instead of growing memory and latency.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

Results = list[dict[str, Any]]


class ServerBusy(Exception):
    """The request queue is full."""


class MicroBatcher:
    """Collects texts from concurrent callers into batches for ``predict``.

    Args:
        predict: Texts -> one result per text, in order (called in a worker thread).
        max_batch_size: Texts per model call (a single larger request still runs whole).
        max_wait_ms: How long the first request of a batch waits for company.
        max_queue: Requests allowed to wait; more are refused with ``ServerBusy``.
    """

    def __init__(
        self, predict: Callable[[Sequence[str]], Results], max_batch_size: int = 32,
        max_wait_ms: float = 5.0, max_queue: int = 256,
    ) -> None:
        if max_batch_size < 1 or max_queue < 1 or max_wait_ms < 0:
            raise ValueError("max_batch_size and max_queue must be positive, max_wait_ms >= 0")
        self._predict = predict
        self.max_batch_size = max_batch_size
        self.max_wait = max_wait_ms / 1000.0
        self.max_queue = max_queue
        self._queue: asyncio.Queue[tuple[Sequence[str], asyncio.Future[Results]]] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._executor: ThreadPoolExecutor | None = None

    async def start(self) -> None:
        """Start the worker on the running event loop."""
        self._queue = asyncio.Queue(maxsize=self.max_queue)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nerkit-predict")
        self._worker = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        if self._executor is not None:
            self._executor.shutdown(wait=True)

    async def predict(self, texts: Sequence[str]) -> Results:
        """Results for ``texts``, predicted together with other waiting requests."""
        if self._queue is None:
            raise RuntimeError("MicroBatcher.start() was not awaited")
        future: asyncio.Future[Results] = asyncio.get_running_loop().create_future()
        try:
            self._queue.put_nowait((texts, future))
        except asyncio.QueueFull:
            raise ServerBusy(f"{self.max_queue} requests are already waiting") from None
        return await future

    async def _run(self) -> None:
        assert self._queue is not None
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            size = len(batch[0][0])
            deadline = loop.time() + self.max_wait
            while size < self.max_batch_size:
                try:
                    item = self._queue.get_nowait()
                except asyncio.QueueEmpty:
                    remaining = deadline - loop.time()
                    if remaining <= 0:
                        break
                    try:
                        item = await asyncio.wait_for(self._queue.get(), remaining)
                    except asyncio.TimeoutError:
                        break
                batch.append(item)
                size += len(item[0])
            await self._answer(batch, loop)

    async def _answer(
        self, batch: list[tuple[Sequence[str], asyncio.Future[Results]]],
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        """Predict every text of ``batch`` in one call and resolve each request's future."""
        texts = [text for request, _ in batch for text in request]
        try:
            results = await loop.run_in_executor(self._executor, self._predict, texts)
        except Exception as error:  # the callers' requests fail, the worker lives on
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        start = 0
        for request, future in batch:
            if not future.done():  # a caller that went away has a cancelled future
                future.set_result(results[start: start + len(request)])
            start += len(request)
