"""``pfr1998``: the People's Daily 1998 POS-tagged corpus (PKU "PFR"), read as character NER.

The corpus as it ships: GBK, CRLF, one paragraph per line starting with an id token
``19980101-01-001-001/m``, ``word/POS`` tokens separated by two spaces, bracketed compounds
``[中央/n  人民/n  广播/vn  电台/n]nt``, person names split as ``江/nr  泽民/nr``, a blank line
between articles.

The entity mapping (``entity_map``, POS tag -> entity type) defaults to the literature's:
``nr`` -> PER, ``ns`` -> LOC, ``nt`` -> ORG. Adjacent tokens with a tag in ``merge_adjacent``
(default ``nr``) form one entity, so ``江/nr  泽民/nr`` is one PER; a run of ``nr`` tokens that
lists several people (``江/nr  泽民/nr  李/nr  鹏/nr``) is split into names unless
``split_name_lists`` is off. A bracketed compound whose
tag is mapped (``[...]nt``, ``[...]ns``) is one entity of that type and the tokens inside it are
then not separate entities; a compound whose tag is not mapped (``[...]nz``) is read token by
token. More tags can be mapped, e.g. ``{"nr": "PER", "ns": "LOC", "nt": "ORG", "t": "TIME"}``
(add ``"t"`` to ``merge_adjacent`` to make ``一九九八年/t  新年/t`` one TIME).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.normalization import to_half_width
from nerkit.data.sentence import Sentence, Span
from nerkit.data.text_file import iter_lines

DEFAULT_ENTITY_MAP = {"nr": "PER", "ns": "LOC", "nt": "ORG"}
DEFAULT_MERGE = ("nr",)
_PARAGRAPH_ID = re.compile(r"^(\d{8}-\d{2}-\d{3})-\d{3}/m$")
_TAG = re.compile(r"^[A-Za-z]+$")
_CLOSE = re.compile(r"^(.+/[A-Za-z]+)\]([A-Za-z]+)$")

# A parsed token: (word, POS tag, bracket group number or None).
Token = tuple[str, str, "int | None"]


class PfrFormatError(ValueError):
    """A malformed token; the reader reports it with the file and line."""


@DatasetReader.register("pfr1998")
class Pfr1998DatasetReader(DatasetReader):
    """People's Daily 1998 ``word/POS`` paragraphs as character-level entity spans.

    Each paragraph is one instance with ``meta["id"]`` (``19980101-01-001-001``) and
    ``meta["article"]`` (the article's index in the file: a blank line or a new article id starts
    one), so splits can keep articles whole.

    Args:
        entity_map: POS tag -> entity type, for tokens and bracketed compounds (default
            ``{"nr": "PER", "ns": "LOC", "nt": "ORG"}``).
        merge_adjacent: POS tags whose adjacent tokens form one entity (default ``["nr"]``).
        split_name_lists: Split a run of ``nr`` tokens that lists several people (headlines
            such as ``江/nr  泽民/nr  李/nr  鹏/nr``) into one PER per surname + given name: a
            one-character token starts a new name after two name tokens, or after one
            two-character token when a given name follows it. ``false`` merges every run
            (the plain literature rule).
        encoding: A Python codec name, or ``"auto"`` for UTF-8 else GB18030/GBK.
        normalize_width: Map full-width digits, letters and punctuation to ASCII (one character
            each, so offsets hold); ``text_to_sentence`` applies the same mapping.
        **kwargs: DatasetReader's ``max_sentences``, ``skip_invalid`` and ``split_sentences``
            (a malformed paragraph is skipped whole; by default one paragraph is one instance).

    Registered as `dataset_readers: pfr1998`.
    """

    def __init__(
        self,
        entity_map: dict[str, str] | None = None,
        merge_adjacent: list[str] | None = None,
        split_name_lists: bool = True,
        encoding: str = "auto",
        normalize_width: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.entity_map = dict(DEFAULT_ENTITY_MAP if entity_map is None else entity_map)
        self.merge_adjacent = set(DEFAULT_MERGE if merge_adjacent is None else merge_adjacent)
        self.split_name_lists = split_name_lists
        self.encoding = encoding
        self.normalize_width = normalize_width

    def _read(self, path: Path) -> Iterator[Sentence]:
        article = -1
        previous_key: str | None = None
        blank = True
        for number, line in iter_lines(path, self.encoding, self.problem):
            tokens = line.replace("\r", "").split()
            if not tokens:
                blank = True
                continue
            match = _PARAGRAPH_ID.match(tokens[0])
            key = match.group(1) if match else None
            if blank or (key is not None and key != previous_key):
                article += 1
            blank, previous_key = False, key
            try:
                chars, spans = self.paragraph(tokens[1:] if match else tokens)
            except PfrFormatError as error:
                self.problem(str(error), path, number)
                continue
            if chars:
                paragraph_id = tokens[0].rpartition("/")[0] if match else None
                meta = {"file": str(path), "line": number, "id": paragraph_id, "article": article}
                yield Sentence(chars, spans, meta)

    def paragraph(self, tokens: list[str]) -> tuple[list[str], list[Span]]:
        """Characters and entity spans of one paragraph's ``word/POS`` tokens (id removed)."""
        text = ""
        spans: list[Span] = []
        group_spans: dict[int, list] = {}
        previous: tuple[str, int | None] | None = None  # (tag, group) of the last plain entity
        parts: list[int] = []  # lengths of the tokens merged into the last plain entity
        parsed, group_tags = _parse(tokens)
        for index, (word, tag, group) in enumerate(parsed):
            start, text = len(text), text + word
            if group is not None and group_tags[group] in self.entity_map:
                group_label = self.entity_map[group_tags[group]]
                bounds = group_spans.setdefault(group, [start, start, group_label])
                bounds[1] = len(text)
                previous = None
                continue
            label = self.entity_map.get(tag)
            if label is None:
                previous = None
                continue
            following = parsed[index + 1] if index + 1 < len(parsed) else None
            if previous == (tag, group) and tag in self.merge_adjacent and not (
                self.split_name_lists and tag == "nr" and _new_name(parts, word, following)
            ):
                spans[-1] = Span(spans[-1].start, len(text), label)
                parts.append(len(word))
            else:
                spans.append(Span(start, len(text), label))
                parts = [len(word)]
            previous = (tag, group)
        spans.extend(Span(s, e, label) for s, e, label in group_spans.values())
        if self.normalize_width:
            text = to_half_width(text)
        return list(text), sorted(spans)

    def text_to_sentence(self, text: str) -> Sentence:
        """An unlabelled Sentence, normalised like the training data."""
        chars = to_half_width(text) if self.normalize_width else text
        return Sentence(list(chars), None, {"text": text})


def _new_name(parts: list[int], word: str, following: Token | None) -> bool:
    """Whether a one-character ``nr`` token starts a new name after the ``nr`` tokens ``parts``:
    after a surname + given name (李/nr  鹏/nr | 乔/nr  石/nr), or after a lone two-character
    name when a given name follows (若愚/nr | 肖/nr  荻/nr)."""
    if len(word) != 1:
        return False
    completes = following is not None and following[1] == "nr"
    return len(parts) >= 2 or (parts[0] >= 2 and completes)


def _parse(tokens: list[str]) -> tuple[list[Token], list[str]]:
    """Tokens with their bracket group, and each group's tag; PfrFormatError when malformed."""
    parsed: list[Token] = []
    group_tags: list[str] = []
    group: int | None = None
    for token in tokens:
        if token.startswith("[") and len(token) > 1 and token[1] != "/":
            if group is not None:
                raise PfrFormatError(f"nested '[' in token {token!r} (expected ']TAG' first)")
            group = len(group_tags)
            group_tags.append("")
            token = token[1:]
        closing = _CLOSE.match(token)
        if closing:
            if group is None:
                raise PfrFormatError(f"{token!r} closes a bracket that was never opened")
            token, group_tags[group] = closing.group(1), closing.group(2)
        word, _, tag = token.rpartition("/")
        if not word or not _TAG.match(tag):
            raise PfrFormatError(f"expected a word/POS token such as 中国/ns, got {token!r}")
        parsed.append((word, tag, group))
        if closing:
            group = None
    if group is not None:
        raise PfrFormatError("a '[' compound is not closed with ']TAG' before the line ends")
    return parsed, group_tags
