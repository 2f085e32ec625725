"""Models. Registered names: tagger."""

from nerkit.models.model import Model
from nerkit.models.tagger import Tagger

__all__ = ["Model", "Tagger"]
