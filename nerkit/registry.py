"""One catalogue registry per component kind.

Installed packages contribute through entry-point groups named ``nerkit_<kind>``
(for example ``nerkit_seq2seq_encoders``) with no import needed.
"""

from __future__ import annotations

import catalogue


class registry:  # noqa: N801 - a namespace, named like thinc's and spaCy's
    """Every nerkit registry; attribute ``x`` has entry-point group ``nerkit_x``."""

    dataset_readers = catalogue.create("nerkit", "dataset_readers", entry_points=True)
    token_embedders = catalogue.create("nerkit", "token_embedders", entry_points=True)
    seq2seq_encoders = catalogue.create("nerkit", "seq2seq_encoders", entry_points=True)
    attentions = catalogue.create("nerkit", "attentions", entry_points=True)
    decoders = catalogue.create("nerkit", "decoders", entry_points=True)
    models = catalogue.create("nerkit", "models", entry_points=True)
    metrics = catalogue.create("nerkit", "metrics", entry_points=True)
    optimizers = catalogue.create("nerkit", "optimizers", entry_points=True)
    lr_schedulers = catalogue.create("nerkit", "lr_schedulers", entry_points=True)
    callbacks = catalogue.create("nerkit", "callbacks", entry_points=True)
    lexicons = catalogue.create("nerkit", "lexicons", entry_points=True)


KINDS: tuple[str, ...] = (
    "dataset_readers",
    "token_embedders",
    "seq2seq_encoders",
    "attentions",
    "decoders",
    "models",
    "metrics",
    "optimizers",
    "lr_schedulers",
    "callbacks",
    "lexicons",
)


def get_registry(kind: str) -> catalogue.Registry:
    """Return the registry for ``kind``, or raise ConfigurationError listing the kinds."""
    from nerkit.common.errors import ConfigurationError, did_you_mean

    if kind not in KINDS:
        raise ConfigurationError(
            f"unknown component kind {kind!r}{did_you_mean(kind, KINDS)}; kinds: {', '.join(KINDS)}"
        )
    return getattr(registry, kind)
