"""ONNX export of taggers and the onnxruntime predictor (``nerkit export``, ``--runtime onnx``)."""
