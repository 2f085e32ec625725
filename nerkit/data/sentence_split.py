"""Cut a Sentence after sentence-final punctuation (。！？ by default), never inside an entity.

Closing quotes and brackets right after the punctuation stay with the sentence they close
(``他说：“好。”`` is one piece). Each piece keeps the original meta plus ``offset``: its first
character's position in the original sentence.
"""

from __future__ import annotations

from nerkit.data.sentence import Sentence, Span

SENTENCE_ENDS = "。！？"
CLOSERS = "”’」』）)》】\"'"


def split_sentence(sentence: Sentence, enders: str = SENTENCE_ENDS) -> list[Sentence]:
    """The pieces of ``sentence``; a sentence without an end mark inside comes back whole."""
    cuts = _cut_points(sentence, enders)
    if not cuts:
        return [sentence]
    pieces = []
    bounds = [0, *cuts, len(sentence)]
    for start, end in zip(bounds, bounds[1:]):
        spans = None
        if sentence.spans is not None:
            spans = [
                Span(s - start, e - start, t) for s, e, t in sentence.spans if start <= s < end
            ]
        meta = {**sentence.meta, "offset": sentence.meta.get("offset", 0) + start}
        pieces.append(Sentence(sentence.chars[start:end], spans, meta))
    return pieces


def _cut_points(sentence: Sentence, enders: str) -> list[int]:
    inside = [False] * (len(sentence) + 1)
    for start, end, _ in sentence.spans or []:
        for position in range(start + 1, end):
            inside[position] = True
    cuts = []
    chars = sentence.chars
    i = 0
    while i < len(chars):
        if chars[i] in enders:
            j = i + 1
            while j < len(chars) and (chars[j] in CLOSERS or chars[j] in enders):
                j += 1
            if j < len(chars) and not inside[j]:
                cuts.append(j)
            i = j
        else:
            i += 1
    return cuts
