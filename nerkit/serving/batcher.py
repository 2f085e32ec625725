"""Micro-batching: concurrent requests share one model call, run off the event loop.

Requests wait in a bounded queue. The worker takes the first waiting request, gathers more for
up to ``max_wait_ms`` or until ``max_batch_size`` texts, runs the predictor on all of them in
one worker thread, and hands each request its own results. Requests with different options
(e.g. an n-best size) are never batched together: one that differs from the batch being
gathered waits, and the oldest waiting request starts the next batch. A full queue is refused
at once (``ServerBusy``), so overload gives fast 503s instead of growing memory and latency.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

Results = list[dict[str, Any]]
Options = tuple[tuple[str, Any], ...]  # keyword arguments of ``predict``, sorted: hashable
Waiting = tuple[Sequence[str], Options, "asyncio.Future[Results]"]


class ServerBusy(Exception):
    """The request queue is full."""


class MicroBatcher:
    """Collects texts from concurrent callers into batches for ``predict``.

    Args:
        predict: Texts (and a request's keyword options) -> one result per text, in order
            (called in a worker thread).
        max_batch_size: Texts per model call (a single larger request still runs whole).
        max_wait_ms: How long the first request of a batch waits for company.
        max_queue: Requests allowed to wait; more are refused with ``ServerBusy``.
    """

    def __init__(
        self, predict: Callable[..., Results], max_batch_size: int = 32,
        max_wait_ms: float = 5.0, max_queue: int = 256,
    ) -> None:
        if max_batch_size < 1 or max_queue < 1 or max_wait_ms < 0:
            raise ValueError("max_batch_size and max_queue must be positive, max_wait_ms >= 0")
        self._predict = predict
        self.max_batch_size = max_batch_size
        self.max_wait = max_wait_ms / 1000.0
        self.max_queue = max_queue
        self._queue: asyncio.Queue[Waiting] | None = None
        self._held: deque[Waiting] = deque()  # taken from the queue for a later batch
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

    async def predict(self, texts: Sequence[str], **options: Any) -> Results:
        """Results for ``texts``, predicted together with other waiting requests that have the
        same ``options`` (passed on to ``predict``)."""
        if self._queue is None:
            raise RuntimeError("MicroBatcher.start() was not awaited")
        future: asyncio.Future[Results] = asyncio.get_running_loop().create_future()
        try:
            self._queue.put_nowait((texts, tuple(sorted(options.items())), future))
        except asyncio.QueueFull:
            raise ServerBusy(f"{self.max_queue} requests are already waiting") from None
        return await future

    async def _run(self) -> None:
        assert self._queue is not None
        loop = asyncio.get_running_loop()
        while True:
            first = self._held.popleft() if self._held else await self._queue.get()
            batch, size = [first], len(first[0])
            later: deque[Waiting] = deque()
            for item in self._held:  # older requests with the same options join first
                if item[1] == first[1] and size < self.max_batch_size:
                    batch.append(item)
                    size += len(item[0])
                else:
                    later.append(item)
            self._held = later
            deadline = loop.time() + self.max_wait
            while size < self.max_batch_size and len(self._held) < self.max_queue:
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
                if item[1] != first[1]:
                    self._held.append(item)
                    continue
                batch.append(item)
                size += len(item[0])
            await self._answer(batch, loop)

    async def _answer(self, batch: list[Waiting], loop: asyncio.AbstractEventLoop) -> None:
        """Predict every text of ``batch`` in one call and resolve each request's future."""
        texts = [text for request, _, _ in batch for text in request]
        call = functools.partial(self._predict, texts, **dict(batch[0][1]))
        try:
            results = await loop.run_in_executor(self._executor, call)
        except Exception as error:  # the callers' requests fail, the worker lives on
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        start = 0
        for request, _, future in batch:
            if not future.done():  # a caller that went away has a cancelled future
                future.set_result(results[start: start + len(request)])
            start += len(request)
