"""HTTP adapters, one module per spec tag, one function per operationId.

Each handler is a plain function that names what it uses: `runtime` (bound when the app
resolves the operation), path and query parameters, `payload` (the JSON body, parsed and
validated once), `token_info` (the caller's credential) and `request_id`. It calls one
runtime function and shapes the response. No logic lives here.
"""
