"""``nerkit serve`` as a Label Studio ML backend: /setup, and /predict with a tasks body."""

from __future__ import annotations

import httpx
import pytest

from nerkit.data.dataset_readers.label_studio import span_of
from nerkit.serving.label_studio import LabelingNames, model_version

CONFIG = """<View>
  <Labels name="ner" toName="doc">
    <Label value="PER"/><Label value="LOC"/><Label value="ORG"/>
  </Labels>
  <Text name="doc" value="$sentence"/>
</View>"""
TEXTS = ["武斌表示：自己认准的道路，就要走到底。", "绍棠先生",
         "卢嘉锡的题词是：发展高科技，节能创一流。"]


def label_studio_body(texts, key="sentence", config=CONFIG):
    """What Label Studio's api_connector posts to /predict."""
    return {"tasks": [{"id": 10 + i, "data": {key: text}, "annotations": [], "predictions": []}
                      for i, text in enumerate(texts)],
            "model_version": "", "project": "3.1700000000", "label_config": config,
            "params": {"login": None, "password": None, "context": None}}


def test_labeling_names_come_from_the_config():
    assert LabelingNames.from_config(CONFIG) == LabelingNames("ner", "doc", "sentence")
    assert LabelingNames.from_config(None) == LabelingNames("label", "text", "text")
    assert LabelingNames.from_config("<View><Text name='t' value='$t'/></View>") == \
        LabelingNames()
    with pytest.raises(ValueError, match="not valid XML"):
        LabelingNames.from_config("<View>")
    with pytest.raises(ValueError, match='task 2 has no text in data\\["sentence"\\]'):
        LabelingNames.from_config(CONFIG).text_of({"data": {"text": "x"}}, 2)
    assert model_version({"archive_sha256": "0123456789abcdef"}) == "nerkit-0123456789ab"


def test_setup_names_the_model_version(server_url):
    metadata = httpx.get(f"{server_url}/metadata").json()
    response = httpx.post(f"{server_url}/setup", json={"project": "3.17", "schema": CONFIG})
    assert response.status_code == 200
    assert response.json() == {"model_version": model_version(metadata)}


def test_predict_answers_each_task_in_label_studio_terms(server_url):
    plain = httpx.post(f"{server_url}/predict", json={"texts": TEXTS}).json()
    response = httpx.post(f"{server_url}/predict", json=label_studio_body(TEXTS))
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == len(TEXTS)
    version = httpx.post(f"{server_url}/setup", json={}).json()["model_version"]
    for text, expected, prediction in zip(TEXTS, plain, results):
        assert prediction["model_version"] == version
        items = prediction["result"]
        assert all(i["from_name"] == "ner" and i["to_name"] == "doc" and i["type"] == "labels"
                   for i in items)
        spans = [span_of(item["value"], text) for item in items]
        assert [(s.start, s.end, s.label) for s in spans] == \
            [(e["start"], e["end"], e["type"]) for e in expected["entities"]]
        if items:
            assert prediction["score"] == min(item["score"] for item in items)


@pytest.mark.parametrize(("body", "message"), [
    (label_studio_body(["a"], key="text"), 'task 0 has no text in data[\\"sentence\\"]'),
    (label_studio_body(["a"], config="<View"), "not valid XML"),
    ({"tasks": "x"}, "valid list"),
])
def test_a_bad_task_body_is_a_422_naming_the_problem(server_url, body, message):
    response = httpx.post(f"{server_url}/predict", json=body)
    assert response.status_code == 422
    assert message.replace("\\", "") in response.json()["error"]


def test_task_limits_apply(server_url):
    response = httpx.post(f"{server_url}/predict", json=label_studio_body(["长" * 5001]))
    assert response.status_code == 413 and "limit is 5000" in response.json()["error"]


def test_a_served_dictionary_shows_in_metadata_and_the_model_version(launch_server,
                                                                     tiny_archive, tmp_path):
    names = tmp_path / "names.tsv"
    names.write_text("绍棠\tPER\n", encoding="utf-8")
    url = launch_server(tiny_archive, "--dictionary", str(names), "--dictionary-mode", "force")
    metadata = httpx.get(f"{url}/metadata").json()
    assert metadata["dictionary"]["entries"] == 1 and metadata["dictionary"]["mode"] == "force"
    version = httpx.post(f"{url}/setup", json={}).json()["model_version"]
    assert version == model_version(metadata) and "-force-" in version
    result = httpx.post(f"{url}/predict", json={"text": "绍棠先生"}).json()
    assert {"start": 0, "end": 2, "type": "PER", "text": "绍棠", "source": "dictionary"} \
        in result["entities"]
