# hand-written: copied from sdk-templates/python/lib/__init__.py by `make generate`; edit it there, not here
"""The hand-written part of the SDK: `make generate` copies sdk-templates/python/lib/ here, and
the generator never writes to this folder (as openai-python keeps `src/openai/lib/`)."""
