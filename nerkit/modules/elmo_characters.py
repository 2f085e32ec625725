"""ELMo character ids: each token becomes the ids of its UTF-8 bytes between word markers.

The ids follow AllenNLP's ``ELMoCharacterMapper`` so that weights trained by bilm-tf or by
``nerkit pretrain elmo`` see the same inputs: bytes are 0..255, then five markers
(beginning/end of sentence, beginning/end of word, padding), and every id is shifted by one so
that 0 can mean "no token here". For Chinese text a token is one character (3 UTF-8 bytes).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import torch

BEGINNING_OF_SENTENCE_BYTE = 256
END_OF_SENTENCE_BYTE = 257
BEGINNING_OF_WORD = 258
END_OF_WORD = 259
PADDING_BYTE = 260
NUM_BYTE_IDS = 261  # rows of a bilm-tf ``char_embed``; add one for the all-zero padding row

BOS_TOKEN = "<S>"
EOS_TOKEN = "</S>"


@lru_cache(maxsize=65536)
def token_char_ids(token: str, max_characters_per_token: int) -> tuple[int, ...]:
    """The shifted ids of ``token``: word markers around its bytes, cut to fit, then padding."""
    if token == BOS_TOKEN:
        body = [BEGINNING_OF_SENTENCE_BYTE]
    elif token == EOS_TOKEN:
        body = [END_OF_SENTENCE_BYTE]
    else:
        body = list(token.encode("utf-8", errors="replace")[: max_characters_per_token - 2])
    ids = [BEGINNING_OF_WORD, *body, END_OF_WORD]
    ids += [PADDING_BYTE] * (max_characters_per_token - len(ids))
    return tuple(i + 1 for i in ids)


def batch_char_ids(
    sentences: Sequence[Sequence[str]], max_characters_per_token: int
) -> torch.Tensor:
    """A ``(batch, longest, max_characters_per_token)`` LongTensor; padded tokens are all 0."""
    longest = max((len(tokens) for tokens in sentences), default=0)
    out = torch.zeros((len(sentences), longest, max_characters_per_token), dtype=torch.long)
    for row, tokens in enumerate(sentences):
        if tokens:
            ids = [token_char_ids(t, max_characters_per_token) for t in tokens]
            out[row, : len(tokens)] = torch.tensor(ids, dtype=torch.long)
    return out


def add_sentence_boundaries(
    char_ids: torch.Tensor, mask: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Put ``<S>`` before and ``</S>`` after each sentence's real tokens.

    Args:
        char_ids: ``(batch, seq_len, max_chars)``.
        mask: ``(batch, seq_len)`` bool, real tokens first.

    Returns:
        ``(batch, seq_len + 2, max_chars)`` ids and the matching ``(batch, seq_len + 2)`` mask.
    """
    batch, seq_len, width = char_ids.shape
    lengths = mask.long().sum(dim=1)
    out = char_ids.new_zeros((batch, seq_len + 2, width))
    out[:, 1:-1] = char_ids * mask.unsqueeze(-1)
    bos = torch.tensor(token_char_ids(BOS_TOKEN, width), device=char_ids.device)
    eos = torch.tensor(token_char_ids(EOS_TOKEN, width), device=char_ids.device)
    out[:, 0] = bos
    out[torch.arange(batch, device=char_ids.device), lengths + 1] = eos
    steps = torch.arange(seq_len + 2, device=mask.device).unsqueeze(0)
    new_mask = steps < (lengths + 2).unsqueeze(1)
    return out, new_mask
