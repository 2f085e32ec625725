"""nerkit: declarative Chinese named entity recognition.

Every part of an experiment is a registered component built from a Jsonnet config; see
``nerkit list`` for the registered names and the README for a walk-through.
``from nerkit import Predictor`` gives the text-in, entities-out API, ``EntityDictionary`` a
user's entity names merged into it (both imported on first use, so ``import nerkit`` stays
light).
"""

from typing import Any

from nerkit.version import VERSION

__version__ = VERSION
__all__ = ["VERSION", "EntityDictionary", "Predictor", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Predictor":
        from nerkit.predictor import Predictor

        return Predictor
    if name == "EntityDictionary":
        from nerkit.lexicon.entity_dictionary import EntityDictionary

        return EntityDictionary
    raise AttributeError(f"module 'nerkit' has no attribute {name!r}")
