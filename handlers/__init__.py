"""HTTP adapters, one module per spec tag, one function per operationId.

Each handler is a plain function that names what it uses: `data_plane` (or, for health and
tokens, `app_state`; bound when the app resolves the operation), path and query parameters,
`payload` (the JSON body, parsed and validated once), `allowed_models` (the caller's models,
None: all) and `request_id`. It makes one call and shapes the response. No logic lives here:
authorization and rate limiting happen before a handler runs
(`specserve.http.authorization`).
"""
