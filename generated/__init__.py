# generated from openapi/openapi.yaml by `make generate` — do not edit
"""Code generated from the contract (the runtime uses generated.models)."""
