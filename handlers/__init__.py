"""HTTP adapters, one module per spec tag, one function per operationId.

Each handler takes what Connexion extracted (path parameters; the validated body sits in the
request state), calls one runtime function, and shapes the response. No logic lives here.
"""
