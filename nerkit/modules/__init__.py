"""Neural building blocks, registered families: embedders, encoders, attention, decoders."""
