# hand-written: `make generate` copies this file into generated/python-client/specserve_client/lib/
"""The hand-written part of the SDK: `make generate` copies sdk-templates/python/lib/ here, and
the generator never writes to this folder (as openai-python keeps `src/openai/lib/`)."""
