"""Attention functions (score a query against keys).

Registered names: additive, bilinear, cosine, dot_product, scaled_dot_product.
"""

from nerkit.modules.attention.additive import AdditiveAttention
from nerkit.modules.attention.attention import Attention
from nerkit.modules.attention.bilinear import BilinearAttention
from nerkit.modules.attention.cosine import CosineAttention
from nerkit.modules.attention.dot_product import DotProductAttention
from nerkit.modules.attention.scaled_dot_product import ScaledDotProductAttention

__all__ = [
    "AdditiveAttention",
    "Attention",
    "BilinearAttention",
    "CosineAttention",
    "DotProductAttention",
    "ScaledDotProductAttention",
]
