"""nerkit: declarative Chinese named entity recognition.

Every part of an experiment is a registered component built from a Jsonnet config; see
``nerkit list`` for the registered names and the README for a walk-through.
"""

from nerkit.version import VERSION

__version__ = VERSION
__all__ = ["VERSION", "__version__"]
