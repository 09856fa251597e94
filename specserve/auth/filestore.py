"""The embedded key store: one JSON file of key hashes, mode 0600.

Readers (every worker) re-read the file when its inode, size or mtime change: one `stat`
per lookup, so `keys revoke` takes effect without a restart. A file that cannot be parsed
never breaks requests: the records read before keep serving and `healthy()` says so.

Writers serialise on an advisory lock (`flock` on the sibling `<file>.lock`) around the
whole read-modify-write, and replace the file atomically (temp file, fsync, rename, fsync of
the folder), so concurrent `keys create`/`revoke` never lose an update and readers never
see a half-written file.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TypeVar

from specserve.auth import records as rec
from specserve.auth.records import KeyRecord, KeyStoreError, KeyStoreUnavailable
from specserve.auth.store import ApiKeyStore

log = logging.getLogger("specserve.keys")
LOCK_TIMEOUT = 10.0
T = TypeVar("T")


class FileKeyStore(ApiKeyStore):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._stamp: tuple[int, int, int] | None = None
        self._error: str | None = None
        self._reload_lock = threading.Lock()

    # -- reading ---------------------------------------------------------------
    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def refresh(self) -> None:
        """Reload if the file changed since the last read (cheap: one stat)."""
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return
        with self._reload_lock:
            try:
                self._records = self._read() if stamp else {}
                self._error = None
            except KeyStoreError as exc:
                if self._error is None:
                    log.error("%s; serving the %d keys read before", exc, len(self._records))
                self._error = f"key file unreadable ({str(exc).rsplit(': ', 1)[-1]})"
            self._stamp = stamp

    def _read(self) -> dict[str, KeyRecord]:
        try:
            data = json.loads(self.path.read_text())
            return {r["id"]: KeyRecord(**r) for r in data.get("keys", [])}
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            raise KeyStoreError(f"cannot read key file {self.path}: {type(exc).__name__}") from exc

    def records(self) -> list[KeyRecord]:
        records = self._read() if self.path.exists() else {}
        return sorted(records.values(), key=lambda r: (r.created or "", r.id))

    def healthy(self) -> tuple[bool, str]:
        self.refresh()
        if self._error:
            return False, f"{self._error}; serving the {len(self._records)} keys read before"
        return True, f"key file: {len(self._records)} keys"

    def describe(self) -> str:
        return str(self.path)

    def close(self) -> None:
        pass

    # -- writing ---------------------------------------------------------------
    @contextmanager
    def _writer(self) -> Iterator[None]:
        """Hold the writers' lock (another process's read-modify-write waits for ours)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = time.monotonic() + LOCK_TIMEOUT
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise KeyStoreUnavailable(
                            f"key file {self.path} is locked by another writer"
                        ) from None
                    time.sleep(0.005)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _update(
        self, key_id: str | None, change: Callable[[str, KeyRecord | None], tuple[KeyRecord, T]]
    ) -> T:
        """Under the writers' lock: read the file, apply `change`, replace the file."""
        with self._writer():
            records = self._read() if self.path.exists() else {}
            if key_id is None:
                key_id = rec.new_key_id(records)
            record, result = change(key_id, records.get(key_id))
            records[key_id] = record
            self._write(records)
        return result

    def _write(self, records: dict[str, KeyRecord]) -> None:
        payload = {"version": 1, "keys": [asdict(r) for r in records.values()]}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".keys-", suffix=".tmp")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w") as fh:
                json.dump(payload, fh, indent=2, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        self._stamp = None
