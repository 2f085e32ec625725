"""Neural building blocks, each kind a registered family: embedders, encoders, attention, decoders."""
