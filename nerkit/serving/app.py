"""The FastAPI app: ``POST /predict``, ``GET /health``, ``GET /metadata``, the demo page at ``/``,
and ``POST /setup`` with Label Studio's ``{"tasks": ...}`` bodies to ``/predict`` (an ML backend,
``nerkit/serving/label_studio.py``).

Every error a client can cause is a 4xx with a JSON body ``{"error": ..., "detail": ...}``:
invalid JSON or types (422), an ``n_best`` the model cannot give (422: its decoder has no
n-best list, or more than ``max_n_best``), a text over ``max_length`` characters or more than
``max_texts`` texts (413), a full request queue (503, with ``Retry-After``).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from nerkit.common.errors import ConfigurationError
from nerkit.predictor import Predictor
from nerkit.serving.batcher import MicroBatcher, ServerBusy
from nerkit.serving.label_studio import LabelingNames, LabelStudioRequest, model_version
from nerkit.serving.label_studio import predictions as label_studio_predictions
from nerkit.version import VERSION


@dataclass
class ServeSettings:
    """Limits and batching of one server (the ``nerkit serve`` options)."""

    max_length: int = 5000
    max_texts: int = 64
    max_batch_size: int = 32
    max_wait_ms: float = 5.0
    max_queue: int = 256
    max_n_best: int = 20


class PredictRequest(BaseModel):
    """Exactly one of ``text`` (one result back) or ``texts`` (a list of results back);
    ``n_best``: add each text's K most probable analyses (``"n_best"``, as ``predict --n-best``)."""

    model_config = ConfigDict(extra="forbid")
    text: StrictStr | None = None
    texts: list[StrictStr] | None = None
    n_best: StrictInt | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _one_of_text_or_texts(self) -> PredictRequest:
        if (self.text is None) == (self.texts is None):
            raise ValueError('send exactly one of "text" (a string) or "texts" (a list)')
        return self


# the body is parsed by hand (JSON whatever the Content-Type), so /docs is told its schema
_REQUEST_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": PredictRequest.model_json_schema()}}}}


async def _parse(
    request: Request, settings: ServeSettings
) -> PredictRequest | LabelStudioRequest:
    """The request body as JSON, whatever its Content-Type (``curl -d`` sends a form type):
    nerkit's ``text``/``texts``, or Label Studio's ``tasks``.

    A body larger than the limits allow (4 bytes a character plus JSON overhead, and Label
    Studio's task fields and labeling config) is refused from its Content-Length before it is
    read.
    """
    most = settings.max_texts * (4 * settings.max_length + 1024) + 65536
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > most:
        raise RequestTooLarge(f"a body of {declared} bytes; the limit is {most}")
    body = await request.body()
    try:
        if b'"tasks"' in body and isinstance(value := _json_or_none(body), dict) \
                and "tasks" in value:
            return LabelStudioRequest.model_validate(value)
        return PredictRequest.model_validate_json(body)
    except ValidationError as error:
        raise RequestValidationError(error.errors()) from None


def _json_or_none(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


class RequestTooLarge(Exception):
    """A text or a list over the server's limits (413)."""


def create_app(
    predictor: Predictor, metadata: dict[str, Any], settings: ServeSettings | None = None
) -> FastAPI:
    """The app for ``predictor``; ``metadata`` is what ``GET /metadata`` returns."""
    settings = settings or ServeSettings()
    batcher = MicroBatcher(predictor.predict_batch, settings.max_batch_size,
                           settings.max_wait_ms, settings.max_queue)
    limits = {"max_length": settings.max_length, "max_texts": settings.max_texts,
              "max_n_best": settings.max_n_best}
    version = model_version(metadata)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await batcher.start()
        yield
        await batcher.stop()

    app = FastAPI(title="nerkit", version=VERSION, lifespan=lifespan,
                  description="Chinese named entity recognition with a nerkit model.")
    _add_error_handlers(app)
    static = resources.files("nerkit.serving") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/", include_in_schema=False)
    async def demo_page() -> FileResponse:
        return FileResponse(str(static / "index.html"))

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metadata")
    async def model_metadata() -> dict[str, Any]:
        return {**metadata, "limits": limits}

    @app.post("/setup")
    async def setup() -> dict[str, str]:
        """Label Studio's handshake when the server is connected as a project's model."""
        return {"model_version": version}

    @app.post("/predict", openapi_extra=_REQUEST_BODY)
    async def predict(
        raw: Request,
        format: Literal["nerkit", "displacy"] = Query("nerkit"),  # noqa: A002 - the query key
    ) -> Any:
        """Entities with character offsets (end exclusive) and scores; displaCy's manual format
        with ``?format=displacy``; Label Studio predictions for a ``{"tasks": ...}`` body."""
        request = await _parse(raw, settings)
        if isinstance(request, LabelStudioRequest):
            return await label_studio_predict(request)
        texts = [request.text] if request.text is not None else request.texts or []
        _check_limits(texts, settings)
        options = {} if request.n_best is None else {"n_best": request.n_best}
        if options:
            _check_n_best(request.n_best, format, settings)
        try:
            results = await batcher.predict(texts, **options) if texts else []
        except ConfigurationError as error:  # the model's decoder has no n-best list
            raise RequestValidationError([{"loc": ("body", "n_best"), "msg": str(error)}]) \
                from None
        if format == "displacy":
            results = [to_displacy(r) for r in results]
        return results[0] if request.text is not None else results

    async def label_studio_predict(request: LabelStudioRequest) -> dict[str, Any]:
        try:
            names = LabelingNames.from_config(request.label_config)
            texts = [names.text_of(task, i) for i, task in enumerate(request.tasks)]
        except ValueError as error:
            raise RequestValidationError([{"loc": ("body", "tasks"), "msg": str(error)}]) from None
        _check_limits(texts, settings)
        results = await batcher.predict(texts) if texts else []
        return label_studio_predictions(results, names, version)

    return app


def _check_limits(texts: Sequence[str], settings: ServeSettings) -> None:
    if len(texts) > settings.max_texts:
        raise RequestTooLarge(f"{len(texts)} texts in one request; the limit is "
                              f"{settings.max_texts}")
    for index, text in enumerate(texts):
        if len(text) > settings.max_length:
            raise RequestTooLarge(f"text {index} has {len(text)} characters; the limit is "
                                  f"{settings.max_length} (--max-length)")


def _check_n_best(n_best: int | None, format: str, settings: ServeSettings) -> None:  # noqa: A002
    problem = None
    if n_best is not None and n_best > settings.max_n_best:
        problem = f"n_best is {n_best}; the limit is {settings.max_n_best} (--max-n-best)"
    elif format != "nerkit":
        problem = f"n_best is returned in nerkit's format only, not {format}'s"
    if problem:
        raise RequestValidationError([{"loc": ("body", "n_best"), "msg": problem}])


def to_displacy(result: dict[str, Any]) -> dict[str, Any]:
    """A result in spaCy displaCy's manual format: ``{"text", "ents": [{start, end, label}]}``."""
    return {
        "text": result["text"],
        "ents": [{"start": e["start"], "end": e["end"], "label": e["type"]}
                 for e in result["entities"]],
        "title": None,
    }


def _add_error_handlers(app: FastAPI) -> None:
    def error(status: int, message: str, detail: Any = None, **headers: str) -> JSONResponse:
        return JSONResponse({"error": message, "detail": jsonable_encoder(detail)}, status,
                            headers=headers or None)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"location": list(e.get("loc", ())), "message": e.get("msg", "")}
                  for e in exc.errors()]
        return error(422, "invalid request: " + "; ".join(e["message"] for e in errors), errors)

    @app.exception_handler(RequestTooLarge)
    async def too_large(request: Request, exc: RequestTooLarge) -> JSONResponse:
        return error(413, str(exc))

    @app.exception_handler(ServerBusy)
    async def busy(request: Request, exc: ServerBusy) -> JSONResponse:
        return error(503, f"server busy: {exc}; retry shortly", **{"Retry-After": "1"})
