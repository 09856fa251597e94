"""The one interface of every API key store, the in-memory index the hot path reads, and
the choice of store from the settings.

Two stores implement it: `FileKeyStore` (a JSON file, the embedded default) and
`PostgresKeyStore` (`SPECSERVE_KEYS_URL=postgresql://...`, shared by every instance). Both
keep every record in memory: `authenticate` is a dict lookup plus one SHA-256, never a
round trip. Writes go to the backing store; each instance learns of them in the background.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Protocol

from specserve.auth.records import KEY_RE, KeyRecord


class ApiKeyStore(Protocol):
    def records(self) -> list[KeyRecord]:
        """Every record, read from the backing store (raises when it is unreachable)."""

    def get(self, key_id: str) -> KeyRecord | None:
        """The record from memory."""

    def authenticate(self, key: str) -> KeyRecord | None:
        """The active record a presented key belongs to, or None."""

    def match(self, key: str) -> tuple[KeyRecord, int] | None:
        """The active record and the generation of the secret presented, or None."""

    def create(
        self,
        name: str,
        scopes: list[str] | None = None,
        tier: str = "default",
        expires_in: timedelta | None = None,
        models: list[str] | None = None,
    ) -> tuple[KeyRecord, str]: ...

    def revoke(self, key_id: str) -> KeyRecord: ...

    def rotate(self, key_id: str, grace: timedelta) -> tuple[KeyRecord, str]: ...

    def healthy(self) -> tuple[bool, str]:
        """(usable and in sync, one line for `/health` without secrets or paths)."""

    def describe(self) -> str:
        """Where the keys live, for operators (no credentials)."""

    def close(self) -> None: ...


class MemoryIndex:
    """Records by id, swapped whole on every reload (readers never see a half-done one)."""

    def __init__(self) -> None:
        self._records: dict[str, KeyRecord] = {}

    def refresh(self) -> None:
        """Bring memory up to date, if the store does that on the request path."""

    def get(self, key_id: str) -> KeyRecord | None:
        self.refresh()
        return self._records.get(key_id)

    def match(self, key: str) -> tuple[KeyRecord, int] | None:
        found = KEY_RE.match(key)
        if not found:
            return None
        record = self.get(found.group(1))
        if record is None or not record.is_active():
            return None
        generation = record.generation_of(key)  # reads the clock only within a grace period
        return None if generation is None else (record, generation)

    def authenticate(self, key: str) -> KeyRecord | None:
        found = self.match(key)
        return found[0] if found else None


def open_store(settings: Any, *, watch: bool = True) -> ApiKeyStore:
    """The store the settings name; `watch=False` (the CLI) starts no background sync."""
    url = settings.keys_url.get_secret_value() if settings.keys_url else None
    if url:
        from specserve.auth.pgstore import PostgresKeyStore

        return PostgresKeyStore(url, watch=watch)
    from specserve.auth.filestore import FileKeyStore

    return FileKeyStore(settings.keys_file)
