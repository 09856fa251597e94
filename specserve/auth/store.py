"""The one interface of every API key store, the in-memory index the hot path reads, and
the choice of store from the settings.

Two stores implement it: `FileKeyStore` (a JSON file, the embedded default) and
`PostgresKeyStore` (`SPECSERVE_KEYS_URL=postgresql://...`, shared by every instance). Both
keep every record in memory: `authenticate` is a dict lookup plus one SHA-256, never a
round trip. Writes go to the backing store; each instance learns of them in the background.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from specserve.auth import records as rec
from specserve.auth.records import KEY_RE, KeyRecord

T = TypeVar("T")


class MemoryIndex:
    """Records by id, swapped whole on every reload (readers never see a half-done one)."""

    def __init__(self) -> None:
        self._records: dict[str, KeyRecord] = {}

    def refresh(self) -> None:
        """Bring memory up to date, if the store does that on the request path."""

    def get(self, key_id: str) -> KeyRecord | None:
        """The record from memory."""
        self.refresh()
        return self._records.get(key_id)

    def match(self, key: str) -> tuple[KeyRecord, int] | None:
        """The active record and the generation of the secret presented, or None."""
        found = KEY_RE.match(key)
        if not found:
            return None
        record = self.get(found.group(1))
        if record is None or not record.is_active():
            return None
        generation = record.generation_of(key)  # reads the clock only within a grace period
        return None if generation is None else (record, generation)

    def authenticate(self, key: str) -> KeyRecord | None:
        """The active record a presented key belongs to, or None."""
        found = self.match(key)
        return found[0] if found else None


class ApiKeyStore(MemoryIndex, ABC):
    """Reads from memory (`MemoryIndex`). Writes are checked and built here; each store
    applies them in `_update` (the file store under its writers' lock, PostgreSQL in one
    transaction)."""

    # -- writing -----------------------------------------------------------------
    def create(
        self,
        name: str,
        scopes: list[str] | None = None,
        tier: str = "default",
        expires_in: timedelta | None = None,
        models: list[str] | None = None,
        quota: str | None = None,
    ) -> tuple[KeyRecord, str]:
        """A record and its key (shown once); bad scopes, models or quota fail before any
        I/O."""
        scopes = rec.check_scopes(list(scopes or rec.default_scopes()))
        models = rec.check_models(models)
        quota = rec.check_quota(quota)

        def build(key_id: str, _: KeyRecord | None) -> tuple[KeyRecord, tuple[KeyRecord, str]]:
            record, key = rec.new_record(key_id, name, scopes, tier, expires_in, models, quota)
            return record, (record, key)

        return self._update(None, build)

    def revoke(self, key_id: str) -> KeyRecord:
        def change(_: str, current: KeyRecord | None) -> tuple[KeyRecord, KeyRecord]:
            record = rec.revoked(current, key_id)
            return record, record

        return self._update(key_id, change)

    def set_scopes(
        self,
        key_id: str,
        *,
        scopes: list[str] | None = None,
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
    ) -> KeyRecord:
        """The key's scopes replaced (`scopes`), or widened and narrowed (`add`, `remove`);
        effective at once for the key and the tokens issued for it."""
        rec.check_scopes([*(scopes or []), *add, *remove])

        def change(_: str, current: KeyRecord | None) -> tuple[KeyRecord, KeyRecord]:
            base = scopes if scopes is not None else (current.scopes if current else [])
            wanted = [s for s in [*base, *add] if s not in remove]
            record = rec.rescoped(current, key_id, wanted)
            return record, record

        return self._update(key_id, change)

    def set_quota(self, key_id: str, quota: str | None) -> KeyRecord:
        """The key's own quota (`10000/day`, `none`), or None: its tier's default."""
        quota = rec.check_quota(quota)

        def change(_: str, current: KeyRecord | None) -> tuple[KeyRecord, KeyRecord]:
            record = rec.requota(current, key_id, quota)
            return record, record

        return self._update(key_id, change)

    def rotate(self, key_id: str, grace: timedelta) -> tuple[KeyRecord, str]:
        """A new secret; the old one (and its tokens) keep working for `grace`."""

        def change(_: str, current: KeyRecord | None) -> tuple[KeyRecord, tuple[KeyRecord, str]]:
            record, key = rec.rotated(current, key_id, grace)
            return record, (record, key)

        return self._update(key_id, change)

    @abstractmethod
    def _update(
        self, key_id: str | None, change: Callable[[str, KeyRecord | None], tuple[KeyRecord, T]]
    ) -> T:
        """Atomically: `change(key_id, its record or None)` (`key_id=None`: an id no record
        has), store the record it returns, and return the rest."""

    # -- the backing store -------------------------------------------------------
    @abstractmethod
    def records(self) -> list[KeyRecord]:
        """Every record, read from the backing store (raises when it is unreachable)."""

    @abstractmethod
    def healthy(self) -> tuple[bool, str]:
        """(usable and in sync, one line for `/health` without secrets or paths)."""

    @abstractmethod
    def describe(self) -> str:
        """Where the keys live, for operators (no credentials)."""

    @abstractmethod
    def close(self) -> None: ...

    def stale(self) -> bool:
        """Whether the copy in memory is too old to trust a key (then 503, not a guess).
        The key file is read on each request, so only a store synced in the background
        (PostgreSQL, with `SPECSERVE_KEYS_MAX_STALENESS`) can be stale."""
        return False


def open_store(settings: Any, *, watch: bool = True) -> ApiKeyStore:
    """The store the settings name; `watch=False` (the CLI) starts no background sync."""
    url = settings.keys_url.get_secret_value() if settings.keys_url else None
    if url:
        from specserve.auth.pgstore import PostgresKeyStore

        return PostgresKeyStore(url, watch=watch, max_staleness=settings.keys_max_staleness)
    from specserve.auth.filestore import FileKeyStore

    return FileKeyStore(settings.keys_file)
