"""Lexicons: word lists with frequencies and tags, matched in text for lexicon-enhanced tagging.

Registered names (kind ``lexicons``): jieba_dictionary, word_list.
"""

from nerkit.lexicon.jieba_dictionary import JiebaDictionaryLexicon
from nerkit.lexicon.lexicon import Lexicon
from nerkit.lexicon.matcher import LexiconMatcher, Matches
from nerkit.lexicon.word_list import WordListLexicon

__all__ = ["JiebaDictionaryLexicon", "Lexicon", "LexiconMatcher", "Matches", "WordListLexicon"]
