"""API keys in PostgreSQL (`SPECSERVE_KEYS_URL=postgresql://...`), shared by every instance.

Each process keeps every record in memory (the hot path never queries). A background thread
holds one connection that LISTENs for the writers' NOTIFY and, twice a second,
reads the version counter: a create, revoke or rotate anywhere reaches every instance in
milliseconds, and within a second if a notification is lost. With the database down, the
keys known keep working, writes fail with `KeyStoreUnavailable`, and `healthy()` is False
until the thread reconnects and catches up; with a staleness bound (`max_staleness`), once
the last sync is older than it, `stale()` is True and keys are refused (503) instead, so a
key revoked meanwhile cannot keep working. Writes go through a small connection pool,
opened on first use (a serving worker never writes, so it holds just the one connection).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool

from specserve.auth import pgschema as q
from specserve.auth import records as rec
from specserve.auth.records import KeyRecord, KeyStoreUnavailable
from specserve.auth.store import ApiKeyStore

log = logging.getLogger("specserve.keys")

CONNECT: dict[str, Any] = {
    "autocommit": True,
    "connect_timeout": 3,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 3,
    "keepalives_count": 3,
    "tcp_user_timeout": 10_000,  # ms: a query to a vanished host fails instead of hanging
}
POLL_SECONDS = 0.5  # longest wait between version checks (notifications come sooner)
RETRY_SECONDS = 1.0
POOL_TIMEOUT = 3.0
T = TypeVar("T")


class PostgresKeyStore(ApiKeyStore):
    def __init__(
        self,
        url: str,
        *,
        watch: bool = True,
        poll: float = POLL_SECONDS,
        max_staleness: float | None = None,
    ) -> None:
        super().__init__()
        self._url = url
        self._poll = poll
        self._max_staleness = max_staleness
        self._version: int | None = None  # of the data in memory; None: nothing read yet
        self._channel: str | None = None
        self._ok_at: float | None = None
        self._error: str | None = "not connected yet"
        self._pool: ConnectionPool | None = None
        self._pool_lock = threading.Lock()
        self._swap_lock = threading.Lock()  # writers of `_records` (readers need none)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if watch:
            conn = self._try_listen()  # keys known before the first request, if it answers
            self._thread = threading.Thread(
                target=self._watch, args=(conn,), name="specserve-keys", daemon=True
            )
            self._thread.start()

    # -- the watcher -------------------------------------------------------------
    def _prepare(self, conn: Any) -> str:
        q.create_schema(conn)
        schema = conn.execute("SELECT current_schema()").fetchone()[0]
        return f"specserve_keys.{schema}"

    def _try_listen(self) -> Any | None:
        try:
            return self._listen()
        except psycopg.Error as exc:
            self._mark_down(exc)
            return None

    def _listen(self) -> Any:
        conn = psycopg.connect(self._url, **CONNECT)
        try:
            self._channel = self._prepare(conn)
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
            self._sync(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _watch(self, conn: Any | None) -> None:
        while not self._stop.is_set():
            try:
                if conn is None:
                    conn = self._listen()
                for _ in conn.notifies(timeout=self._poll, stop_after=1):
                    pass
                self._sync(conn)
            except Exception as exc:  # the thread must outlive any failure
                if not isinstance(exc, psycopg.Error):
                    log.exception("PostgreSQL key store sync failed")
                self._mark_down(exc)
                if conn is not None:
                    conn.close()
                conn = None
                self._stop.wait(RETRY_SECONDS)
        if conn is not None:
            conn.close()

    def _sync(self, conn: Any) -> None:
        """Bring memory up to the database's version (only the rows written since)."""
        version = conn.execute(q.SELECT_VERSION).fetchone()[0]
        full = self._version is None or version < self._version
        if full or version > self._version:
            query, args = (q.SELECT_ALL, None) if full else (q.SELECT_SINCE, (self._version,))
            fresh = {r.id: r for r, _ in map(q.to_record, conn.execute(query, args))}
            self._merge(fresh, replace=full)
        self._version = version
        if self._error is not None:
            log.info("PostgreSQL key store in sync: %d keys", len(self._records))
        self._error, self._ok_at = None, time.monotonic()

    def _merge(self, fresh: dict[str, KeyRecord], replace: bool = False) -> None:
        with self._swap_lock:
            self._records = fresh if replace else {**self._records, **fresh}

    def _mark_down(self, exc: Exception) -> None:
        if self._error is None or self._error == "not connected yet":
            log.warning(
                "PostgreSQL key store unreachable (%s); serving the %d keys known",
                _one_line(exc),
                len(self._records),
            )
        self._error = type(exc).__name__

    # -- reading -----------------------------------------------------------------
    def records(self) -> list[KeyRecord]:
        rows = self._run(lambda conn: conn.execute(q.SELECT_ALL).fetchall())
        return [record for record, _ in map(q.to_record, rows)]

    def healthy(self) -> tuple[bool, str]:
        known = len(self._records)
        stale = self._ok_at is None or time.monotonic() - self._ok_at > 3 * self._poll + 2
        if self._thread is not None and (self._error or stale):
            why = self._error or "no answer"
            serving = "refusing API keys (503)" if self.stale() else f"serving {known} keys known"
            return False, f"PostgreSQL key store unreachable ({why}); {serving}"
        return True, f"PostgreSQL key store: {known} keys, in sync"

    def stale(self) -> bool:
        """Past the staleness bound since the watcher's last sync (or before its first): a
        revocation made since may not be in memory. One clock read: it is on the hot path."""
        if self._max_staleness is None or self._thread is None:
            return False
        ok_at = self._ok_at
        return ok_at is None or time.monotonic() - ok_at > self._max_staleness

    def describe(self) -> str:
        info = conninfo_to_dict(self._url)
        user = f"{info['user']}@" if info.get("user") else ""
        where = f"{info.get('host') or 'localhost'}:{info.get('port') or 5432}"
        return f"postgresql://{user}{where}/{info.get('dbname') or ''}"

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self._poll + 5)
        if self._pool is not None:
            self._pool.close()

    # -- writing -----------------------------------------------------------------
    def _open_pool(self) -> ConnectionPool:
        with self._pool_lock:
            if self._pool is None:
                with psycopg.connect(self._url, **CONNECT) as conn:  # fails fast when refused
                    self._channel = self._prepare(conn)
                pool = ConnectionPool(
                    self._url,
                    min_size=1,
                    max_size=2,
                    kwargs=CONNECT,
                    open=False,
                    timeout=POOL_TIMEOUT,
                    check=ConnectionPool.check_connection,
                    name="specserve-keys",
                )
                try:
                    pool.open(wait=True, timeout=POOL_TIMEOUT)
                except BaseException:
                    pool.close()
                    raise
                self._pool = pool
            return self._pool

    def _run(self, work: Callable[[Any], Any]) -> Any:
        try:
            with self._open_pool().connection() as conn:
                return work(conn)
        except psycopg.Error as exc:
            raise KeyStoreUnavailable(
                f"the PostgreSQL key store at {self.describe()} is unreachable ({_one_line(exc)})"
            ) from None

    def _update(
        self, key_id: str | None, change: Callable[[str, KeyRecord | None], tuple[KeyRecord, T]]
    ) -> T:
        """One transaction: bump the version, lock the row, apply `change`, store its record,
        notify."""

        def work(conn: Any) -> tuple[KeyRecord, T]:
            with conn.transaction():
                version = conn.execute(q.BUMP_VERSION).fetchone()[0]
                target = rec.new_key_id(()) if key_id is None else key_id
                current = self._locked(conn, target)
                while key_id is None and current is not None:  # a new id: one no row has
                    target = rec.new_key_id(())
                    current = self._locked(conn, target)
                record, result = change(target, current)
                conn.execute(q.UPSERT, q.to_row(record, version))
                conn.execute("SELECT pg_notify(%s, %s)", (self._channel, str(version)))
            return record, result

        record, result = self._run(work)
        self._merge({record.id: record})
        return result

    @staticmethod
    def _locked(conn: Any, key_id: str) -> KeyRecord | None:
        row = conn.execute(q.SELECT_ONE + " FOR UPDATE", (key_id,)).fetchone()
        return q.to_record(row)[0] if row else None


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__
