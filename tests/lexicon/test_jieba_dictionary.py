from nerkit.lexicon.jieba_dictionary import JiebaDictionaryLexicon


def test_jieba_dictionary_has_frequencies_and_entity_tags():
    lexicon = JiebaDictionaryLexicon(max_word_length=4)
    assert len(lexicon) > 300_000
    tags = set(lexicon.tags)
    assert {"nr", "ns", "nt"} <= tags
    assert lexicon.frequencies[lexicon.index["北京"]] > 1000
    assert lexicon.tags[lexicon.index["北京"]] == "ns"
    assert max(len(w) for w in lexicon.words) <= 4
    assert lexicon.resource_name().startswith("jieba_dictionary-")
