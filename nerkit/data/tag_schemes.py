"""Tag schemes BIO (IOB2), BIOES, BMES and the paper's BIEO: spans <-> tags, transitions.

BIEO (the paper's scheme): ``B`` begins an entity, ``I`` continues it, ``E`` ends it, ``O`` is
outside; a one-character entity is a lone ``B``.

Reading a predicted (possibly invalid) sequence follows one rule for every scheme: map each tag
to IOBES by looking at its right neighbour (BIO ``B`` with no continuation is ``S``, a final
``I`` is ``E``; BMES ``M`` is ``I``; BIEO lone ``B`` is ``S``) and then keep only well-formed
``B I* E`` / ``S`` runs of one type. For BIO and BIOES this is exactly seqeval's strict mode
(IOB2 / IOBES); the span metric applies the same rule.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from nerkit.common.errors import ConfigurationError
from nerkit.data.span import Span

SCHEMES: tuple[str, ...] = ("BIO", "BIOES", "BMES", "BIEO")
_PREFIXES = {"BIO": "BI", "BIOES": "BIES", "BMES": "BMES", "BIEO": "BIE"}


class InvalidTagSequence(ValueError):
    """A tag sequence that breaks its scheme, with the position of the first offending tag."""

    def __init__(self, position: int, message: str) -> None:
        self.position = position
        super().__init__(message)


def check_scheme(scheme: str) -> str:
    """Return the canonical scheme name or raise ConfigurationError listing the schemes."""
    upper = scheme.upper()
    aliases = {"IOB2": "BIO", "IOBES": "BIOES", "BILOU": "BIOES"}
    upper = aliases.get(upper, upper)
    if upper not in SCHEMES:
        raise ConfigurationError(
            f"unknown tag scheme {scheme!r}; choose one of {', '.join(SCHEMES)}"
        )
    return upper


def split_tag(tag: str) -> tuple[str, str | None]:
    """``"B-PER"`` -> ``("B", "PER")``; ``"O"`` -> ``("O", None)``."""
    if tag == "O":
        return "O", None
    prefix, sep, label = tag.partition("-")
    if not sep or not label or len(prefix) != 1:
        raise ValueError(f"malformed tag {tag!r}: expected O or PREFIX-TYPE such as B-PER")
    return prefix, label


def labels_for(entity_types: Sequence[str], scheme: str) -> list[str]:
    """Every tag of ``scheme`` over ``entity_types``: ``O`` first, then by type."""
    prefixes = _PREFIXES[check_scheme(scheme)]
    return ["O"] + [f"{p}-{t}" for t in sorted(entity_types) for p in prefixes]


def spans_to_tags(spans: Sequence[Span], length: int, scheme: str) -> list[str]:
    """Write spans as tags of ``scheme``; spans must not overlap."""
    scheme = check_scheme(scheme)
    tags = ["O"] * length
    for start, end, label in spans:
        if not 0 <= start < end <= length:
            raise ValueError(f"span ({start}, {end}) outside a sentence of length {length}")
        if any(t != "O" for t in tags[start:end]):
            raise ValueError(f"span ({start}, {end}, {label}) overlaps another span")
        single = end - start == 1
        if scheme == "BIO":
            inner = ["I"] * (end - start - 1)
            pieces = ["B", *inner]
        elif scheme in ("BIOES", "BMES"):
            middle = "I" if scheme == "BIOES" else "M"
            pieces = ["S"] if single else ["B", *([middle] * (end - start - 2)), "E"]
        else:  # BIEO
            pieces = ["B"] if single else ["B", *(["I"] * (end - start - 2)), "E"]
        for offset, prefix in enumerate(pieces):
            tags[start + offset] = f"{prefix}-{label}"
    return tags


def to_iobes(tags: Sequence[str], scheme: str) -> list[str]:
    """Map each tag to IOBES by its right neighbour (the module's reading rule)."""
    scheme = check_scheme(scheme)
    parsed = [split_tag(t) for t in tags]
    result = []
    for i, (prefix, label) in enumerate(parsed):
        if prefix == "O":
            result.append("O")
            continue
        next_prefix, next_label = parsed[i + 1] if i + 1 < len(parsed) else ("O", None)
        continues = next_label == label
        if scheme == "BIO":
            goes_on = continues and next_prefix == "I"
            mapped = {"B": "B" if goes_on else "S", "I": "I" if goes_on else "E"}.get(prefix, "?")
        elif scheme == "BIEO":
            goes_on = continues and next_prefix in ("I", "E")
            mapped = {"B": "B" if goes_on else "S", "I": "I", "E": "E"}.get(prefix, "?")
        elif scheme == "BMES":
            mapped = {"B": "B", "M": "I", "E": "E", "S": "S"}.get(prefix, "?")
        else:
            mapped = prefix if prefix in "BIES" else "?"
        result.append(f"{mapped}-{label}")
    return result


def tags_to_spans(tags: Sequence[str], scheme: str) -> list[Span]:
    """Spans of a predicted sequence under the module's reading rule (invalid runs dropped)."""
    spans: list[Span] = []
    start: int | None = None
    current: str | None = None
    for i, tag in enumerate(to_iobes(tags, scheme)):
        prefix, label = split_tag(tag)
        if prefix == "S":
            spans.append(Span(i, i + 1, label or ""))
            start = current = None
        elif prefix == "B":
            start, current = i, label
        elif prefix == "I" and start is not None and label == current:
            continue
        elif prefix == "E" and start is not None and label == current:
            spans.append(Span(start, i + 1, label or ""))
            start = current = None
        else:
            start = current = None
    return spans


def validate_tags(tags: Sequence[str], scheme: str) -> None:
    """Raise InvalidTagSequence at the first tag that breaks ``scheme`` (strict reading)."""
    scheme = check_scheme(scheme)
    previous = _START
    for i, tag in enumerate(tags):
        message = _step_error(scheme, previous, tag)
        if message is not None:
            raise InvalidTagSequence(i, message)
        previous = tag
    if previous != _START and not _allowed_by_prefix(scheme)[1](split_tag(previous)[0]):
        raise InvalidTagSequence(
            len(tags) - 1, f"{scheme}: the sentence cannot end with {previous!r}"
        )


def lenient_tags_to_spans(tags: Sequence[str]) -> list[Span]:
    """Chunks of gold tags read leniently (conlleval's rule), for any scheme.

    An entity opens at ``B``/``S``, or at ``I``/``M``/``E`` when none of that type is open; it
    runs over ``I``/``M``/``E`` of its type and closes after ``E``/``S`` or before anything
    else. Every non-``O`` tag ends up in exactly one span. For a sequence ``validate_tags``
    accepts this equals ``tags_to_spans`` (and is faster). Tags must be well formed.
    """
    spans: list[Span] = []
    start, label = -1, ""
    for i, tag in enumerate(tags):
        prefix, current = tag[0], tag[2:]
        if not (start >= 0 and prefix in "IME" and current == label):
            if start >= 0:
                spans.append(Span(start, i, label))
                start = -1
            if prefix != "O":
                start, label = i, current
        if prefix in "ES":
            spans.append(Span(start, i + 1, label))
            start = -1
    if start >= 0:
        spans.append(Span(start, len(tags), label))
    return spans


def check_tag(tag: str, scheme: str) -> str | None:
    """Why ``tag`` is not a tag of ``scheme`` (malformed, unknown prefix), or None."""
    return _tag_error(check_scheme(scheme), tag)


@functools.lru_cache(maxsize=65536)
def _tag_error(scheme: str, tag: str) -> str | None:
    try:
        prefix, _ = split_tag(tag)
    except ValueError as error:
        return str(error)
    allowed_prefixes = _PREFIXES[scheme]
    if prefix != "O" and prefix not in allowed_prefixes:
        return f"tag {tag!r} has prefix {prefix!r}, not one of {scheme}'s {allowed_prefixes}+O"
    return None


_START = "<s>"


@functools.lru_cache(maxsize=65536)
def _step_error(scheme: str, previous: str, tag: str) -> str | None:
    """Why ``tag`` cannot follow ``previous`` (``_START`` at the sentence start), or None."""
    message = _tag_error(scheme, tag)
    if message is not None:
        return message
    prefix, label = split_tag(tag)
    start_ok, _, transition_ok = _allowed_by_prefix(scheme)
    if previous == _START:
        ok = start_ok(prefix)
    else:
        ok = transition_ok(*split_tag(previous), prefix, label)
    if ok:
        return None
    before = "the sentence start" if previous == _START else repr(previous)
    return f"{scheme}: {tag!r} cannot follow {before}"


@functools.cache
def _allowed_by_prefix(scheme: str) -> tuple[
    Callable[[str], bool], Callable[[str], bool],
    Callable[[str, str | None, str, str | None], bool],
]:
    """Three predicates (start, end, transition) over prefixes and labels for ``scheme``."""
    if scheme == "BIO":
        begins, inside, closes = {"O", "B"}, {"I"}, {"O", "B", "I"}
        open_after = {"B", "I"}
    elif scheme == "BIEO":
        begins, inside, closes = {"O", "B"}, {"I", "E"}, {"O", "B", "E"}
        open_after = {"B", "I"}
    else:
        middle = "I" if scheme == "BIOES" else "M"
        begins, inside, closes = {"O", "B", "S"}, {middle, "E"}, {"O", "E", "S"}
        open_after = {"B", middle}

    def start_ok(prefix: str) -> bool:
        return prefix in begins

    def end_ok(prefix: str) -> bool:
        return prefix in closes

    def transition_ok(p_prev: str, l_prev: str | None, p_next: str, l_next: str | None) -> bool:
        if p_next in inside:
            return p_prev in open_after and l_prev == l_next
        if scheme in ("BIOES", "BMES", "BIEO") and p_prev in open_after and p_prev != "B":
            return False  # an entity in the middle must be closed with E
        if scheme in ("BIOES", "BMES") and p_prev == "B":
            return False
        return p_next in begins

    return start_ok, end_ok, transition_ok


def allowed_transitions(
    labels: Sequence[str], scheme: str
) -> tuple[list[bool], list[bool], list[list[bool]]]:
    """Which labels may start, end, and follow each other under ``scheme``.

    Returns:
        ``(start[j], end[i], transitions[i][j])`` as booleans over ``labels`` indices.
    """
    scheme = check_scheme(scheme)
    start_ok, end_ok, transition_ok = _allowed_by_prefix(scheme)
    parsed = [split_tag(label) for label in labels]
    start = [start_ok(p) for p, _ in parsed]
    end = [end_ok(p) for p, _ in parsed]
    transitions = [[transition_ok(pi, li, pj, lj) for pj, lj in parsed] for pi, li in parsed]
    return start, end, transitions


def detect_scheme(tags: Sequence[Sequence[str]]) -> str:
    """Guess the scheme of gold tag sequences from the prefixes used."""
    prefixes = {t[0] for sentence in tags for t in sentence if t != "O"}
    if "M" in prefixes:
        return "BMES"
    if "S" in prefixes:
        return "BIOES"
    if "E" in prefixes:
        lone_b = any(
            s[i].startswith("B-") and (i + 1 == len(s) or s[i + 1][:1] not in ("I", "E"))
            for s in tags for i in range(len(s))
        )
        return "BIEO" if lone_b else "BIOES"
    return "BIO"
