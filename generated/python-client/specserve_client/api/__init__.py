# generated from openapi/openapi.yaml by `make generate` — do not edit
"""Contains methods for accessing the API"""
