"""The nerkit version, read by setup.cfg and written into every archive's meta.json."""

VERSION = "0.1.0"
