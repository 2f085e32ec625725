from nerkit.lexicon.char_sets import memberships, word_sets
from nerkit.lexicon.matcher import LexiconMatcher

WORDS = ["北京", "北京大学", "大学", "大学生", "学生", "京", "生"]


def test_bmes_sets_of_a_hand_made_sentence():
    matcher = LexiconMatcher(WORDS)
    sets = word_sets(matcher.match("北京大学生"), 5, WORDS)
    assert sets[0] == {"B": {"北京", "北京大学"}, "M": set(), "E": set(), "S": set()}
    assert sets[1] == {"B": set(), "M": {"北京大学"}, "E": {"北京"}, "S": {"京"}}
    assert sets[2] == {"B": {"大学", "大学生"}, "M": {"北京大学"}, "E": set(), "S": set()}
    assert sets[3] == {"B": {"学生"}, "M": {"大学生"}, "E": {"北京大学", "大学"}, "S": set()}
    assert sets[4] == {"B": set(), "M": set(), "E": {"大学生", "学生"}, "S": {"生"}}


def test_a_long_word_is_in_the_middle_set_of_every_inner_character():
    words = ["撒哈拉沙漠"]
    sets = word_sets(LexiconMatcher(words).match("在撒哈拉沙漠"), 6, words)
    assert [sorted(name for name, found in s.items() if found) for s in sets] == [
        [], ["B"], ["M"], ["M"], ["M"], ["E"]]


def test_memberships_number_rows_by_sentence():
    matcher = LexiconMatcher(WORDS)
    found = memberships([matcher.match("上海"), matcher.match("京")])
    assert found.row.tolist() == [1] and found.position.tolist() == [0]
    assert found.set.tolist() == [3] and found.word.tolist() == [WORDS.index("京")]
