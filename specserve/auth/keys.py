"""API key store: a JSON file of key hashes, written atomically with mode 0600.

A key reads `ssk_<key id>_<secret>`: the prefix makes leaked keys easy to spot, the id finds
the record without scanning, and the secret (256 bits) is only ever stored as a SHA-256 hash
(the secret is random and long, so a slow password hash adds nothing). Comparison is
constant-time. Every worker re-reads the file when it changes, so `keys revoke` takes effect
without a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from specserve import spec

PREFIX = "ssk"
SCOPES = spec.load().scopes  # the OAuth2 scheme's scopes in the contract
DEFAULT_SCOPES = tuple(s for s in SCOPES if s != "admin")
KEY_RE = re.compile(r"^ssk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat(timespec="seconds").replace("+00:00", "Z") if dt else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class KeyRecord:
    id: str
    name: str
    hash: str
    scopes: list[str]
    tier: str = "default"
    created: str | None = None
    expires: str | None = None
    revoked: str | None = None
    previous_hash: str | None = None
    previous_expires: str | None = None
    extra: dict = field(default_factory=dict)

    def is_active(self, now: datetime | None = None) -> bool:
        now = now or _now()
        if self.revoked:
            return False
        expires = _parse(self.expires)
        return expires is None or now < expires

    def matches(self, key: str, now: datetime | None = None) -> bool:
        """Constant-time check of a presented key against this record (and a rotated one)."""
        now = now or _now()
        digest = hash_key(key)
        ok = hmac.compare_digest(digest, self.hash)
        if self.previous_hash:
            grace = _parse(self.previous_expires)
            prev_ok = hmac.compare_digest(digest, self.previous_hash)
            ok = ok or (prev_ok and grace is not None and now < grace)
        return ok


class KeyStoreError(Exception):
    pass


class KeyStore:
    """Reads and writes the key file; reloads it when it changes on disk."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._records: dict[str, KeyRecord] = {}
        self._stamp: tuple[int, int, int] | None = None
        self._lock = threading.Lock()

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
        with self._lock:
            self._records = self._read() if stamp else {}
            self._stamp = stamp

    def _read(self) -> dict[str, KeyRecord]:
        try:
            data = json.loads(self.path.read_text())
            return {r["id"]: KeyRecord(**r) for r in data.get("keys", [])}
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise KeyStoreError(f"cannot read key file {self.path}: {type(exc).__name__}") from exc

    def records(self) -> list[KeyRecord]:
        self.refresh()
        return sorted(self._records.values(), key=lambda r: (r.created or "", r.id))

    def get(self, key_id: str) -> KeyRecord | None:
        self.refresh()
        return self._records.get(key_id)

    def authenticate(self, key: str) -> KeyRecord | None:
        """The active record a presented key belongs to, or None."""
        match = KEY_RE.match(key)
        if not match:
            return None
        record = self.get(match.group(1))
        now = _now()
        if record is None or not record.is_active(now) or not record.matches(key, now):
            return None
        return record

    # -- writing ---------------------------------------------------------------
    def _write(self, records: dict[str, KeyRecord]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
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
        self._stamp = None

    def _load_for_update(self) -> dict[str, KeyRecord]:
        return self._read() if self.path.exists() else {}

    def create(
        self,
        name: str,
        scopes: list[str] | None = None,
        tier: str = "default",
        expires_in: timedelta | None = None,
    ) -> tuple[KeyRecord, str]:
        scopes = list(scopes or DEFAULT_SCOPES)
        unknown = sorted(set(scopes) - set(SCOPES))
        if unknown:
            raise KeyStoreError(f"unknown scopes: {', '.join(unknown)} (known: {' '.join(SCOPES)})")
        records = self._load_for_update()
        key_id = secrets.token_hex(6)
        while key_id in records:
            key_id = secrets.token_hex(6)
        key = new_key(key_id)
        now = _now()
        record = KeyRecord(
            id=key_id,
            name=name,
            hash=hash_key(key),
            scopes=scopes,
            tier=tier,
            created=_iso(now),
            expires=_iso(now + expires_in) if expires_in else None,
        )
        records[key_id] = record
        self._write(records)
        return record, key

    def revoke(self, key_id: str) -> KeyRecord:
        records = self._load_for_update()
        record = records.get(key_id)
        if record is None:
            raise KeyStoreError(f"no key with id {key_id}")
        record.revoked = record.revoked or _iso(_now())
        self._write(records)
        return record

    def rotate(self, key_id: str, grace: timedelta) -> tuple[KeyRecord, str]:
        records = self._load_for_update()
        record = records.get(key_id)
        if record is None or not record.is_active():
            raise KeyStoreError(f"no active key with id {key_id}")
        key = new_key(key_id)
        record.previous_hash = record.hash if grace.total_seconds() > 0 else None
        record.previous_expires = _iso(_now() + grace) if grace.total_seconds() > 0 else None
        record.hash = hash_key(key)
        self._write(records)
        return record, key


def new_key(key_id: str) -> str:
    while True:
        secret = secrets.token_urlsafe(32)
        if len(secret) == 43:
            return f"{PREFIX}_{key_id}_{secret}"
