"""``nerkit serve`` as a Label Studio ML backend: pre-annotations as annotators open tasks.

Label Studio (Settings > Model > Connect model, URL of the server) calls ``GET /health``,
``POST /setup`` and ``POST /predict`` with ``{"tasks": [...], "label_config": "<View>...",
"model_version", "project", "params"}``, and takes back ``{"results": [...]}``: one prediction
per task, in order. The labeling config names the text (``<Text name="text" value="$text"/>``)
and the labels control (``<Labels name="label" toName="text">``); the results use those names.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from nerkit.data.annotation_formats import (
    LABEL_STUDIO_FROM_NAME,
    LABEL_STUDIO_TO_NAME,
    label_studio_prediction,
)


class LabelStudioRequest(BaseModel):
    """The body of Label Studio's ``/predict`` call (other keys it sends are ignored)."""

    model_config = ConfigDict(extra="ignore")
    tasks: list[dict[str, Any]]
    label_config: str | None = None


@dataclass(frozen=True)
class LabelingNames:
    """Where the text is and what the results are called, read from a labeling config."""

    from_name: str = LABEL_STUDIO_FROM_NAME
    to_name: str = LABEL_STUDIO_TO_NAME
    data_key: str = "text"

    @classmethod
    def from_config(cls, label_config: str | None) -> LabelingNames:
        """The first ``<Labels>`` control and the ``<Text>`` object it points at; the named
        entity template's names when the config is absent or has none.

        Raises:
            ValueError: The config is not XML.
        """
        if not label_config:
            return cls()
        try:
            root = ElementTree.fromstring(label_config)
        except ElementTree.ParseError as error:
            raise ValueError(f"label_config is not valid XML ({error})") from None
        labels = next((e for e in root.iter() if e.tag in ("Labels", "HyperTextLabels")), None)
        if labels is None:
            return cls()
        to_name = labels.get("toName", LABEL_STUDIO_TO_NAME)
        text = next((e for e in root.iter() if e.get("name") == to_name), None)
        value = text.get("value", "$text") if text is not None else "$text"
        return cls(labels.get("name", LABEL_STUDIO_FROM_NAME), to_name, value.lstrip("$"))

    def text_of(self, task: dict[str, Any], index: int) -> str:
        """The task's text (``ValueError`` naming the task when it has none)."""
        data = task.get("data")
        text = data.get(self.data_key) if isinstance(data, dict) else None
        if not isinstance(text, str):
            raise ValueError(f'task {index} has no text in data["{self.data_key}"]')
        return text


def model_version(metadata: dict[str, Any]) -> str:
    """A name that changes exactly when the served predictions can (Label Studio keeps
    predictions per model version): the archive's digest, and the dictionary's if any."""
    version = f"nerkit-{str(metadata.get('archive_sha256', ''))[:12]}"
    dictionary = metadata.get("dictionary")
    if dictionary:
        version += f"-{dictionary['mode']}-{str(dictionary['sha256'])[:8]}"
    return version


def predictions(
    results: list[dict[str, Any]], names: LabelingNames, version: str
) -> dict[str, Any]:
    """The ``/predict`` answer for Label Studio: one prediction per task, in order."""
    return {"results": [label_studio_prediction(result, version, names.from_name, names.to_name)
                        for result in results]}
