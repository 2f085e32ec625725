from nerkit.common.resource_names import find_resource, resource_name


def test_names_digest_what_decides_the_content():
    name = resource_name("bigram_vocabulary", ".json", {"min_count": 1, "file": "北京.txt"})
    assert name.startswith("bigram_vocabulary-") and name.endswith(".json")
    assert len(name) == len("bigram_vocabulary-") + 12 + len(".json")
    assert name == resource_name("bigram_vocabulary", ".json", {"file": "北京.txt", "min_count": 1})
    assert name != resource_name("bigram_vocabulary", ".json", {"min_count": 2, "file": "北京.txt"})


def test_find_resource_falls_back_to_the_legacy_name(tmp_path):
    assert find_resource(tmp_path, "new-0123.json", "old.json") == tmp_path / "old.json"
    (tmp_path / "new-0123.json").write_text("[]")
    assert find_resource(tmp_path, "new-0123.json", "old.json") == tmp_path / "new-0123.json"
