"""Attention functions (score a query against keys). Registered names: see `nerkit list attentions`."""

from nerkit.modules.attention.attention import Attention

__all__ = ["Attention"]
