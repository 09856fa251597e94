"""specserve: a spec-first REST API for ML model inference."""

__version__ = "0.1.0"
