"""API keys: the records, the stores and the names the rest of the service imports.

`KeyStore` is the JSON-file store (the embedded default); `open_store(settings)` picks the
PostgreSQL store when `SPECSERVE_KEYS_URL` is set. See `records`, `store`, `filestore`,
`pgstore`.
"""

from specserve.auth.filestore import FileKeyStore
from specserve.auth.records import (
    DEFAULT_SCOPES,
    KEY_RE,
    PREFIX,
    SCOPES,
    KeyRecord,
    KeyStoreError,
    KeyStoreUnavailable,
    hash_key,
    new_key,
)
from specserve.auth.store import ApiKeyStore, open_store

KeyStore = FileKeyStore

__all__ = [
    "DEFAULT_SCOPES",
    "KEY_RE",
    "PREFIX",
    "SCOPES",
    "ApiKeyStore",
    "FileKeyStore",
    "KeyRecord",
    "KeyStore",
    "KeyStoreError",
    "KeyStoreUnavailable",
    "hash_key",
    "new_key",
    "open_store",
]
