"""``nerkit serve``: a FastAPI app (micro-batched prediction, metadata, a demo page at ``/``)."""
