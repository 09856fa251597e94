"""API key records and the rules every key store applies to them.

A key reads `ssk_<key id>_<secret>`: the prefix makes leaked keys easy to spot, the id finds
the record without scanning, and the secret (256 bits) is only ever stored as a SHA-256 hash
(the secret is random and long, so a slow password hash adds nothing). Comparison is
constant-time. `generation` counts rotations: tokens carry the generation they were issued
for, so a rotation past its grace period ends them like a revocation.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from specserve import spec
from specserve.ratelimit import quotas

PREFIX = "ssk"


def known_scopes() -> tuple[str, ...]:
    """The OAuth2 scheme's scopes in the contract."""
    return spec.load().scopes


def default_scopes() -> tuple[str, ...]:
    """What a key gets unless told otherwise: every scope but `admin`."""
    return tuple(s for s in known_scopes() if s != "admin")


KEY_RE = re.compile(r"^ssk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
MAX_MODELS = 100


class KeyStoreError(Exception):
    """A refused key-store operation; the message is one line, safe to print."""


class KeyStoreUnavailable(KeyStoreError):
    """The store cannot be read or written right now (database down, file locked)."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key(key_id: str) -> str:
    while True:
        secret = secrets.token_urlsafe(32)
        if len(secret) == 43:
            return f"{PREFIX}_{key_id}_{secret}"


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
    generation: int = 0
    models: list[str] | None = None
    """Models the key may use; None: every model."""
    quota: str | None = None
    """Rows per UTC day or month (`10000/day`), `none` (no quota, whatever the tier), or
    None: its tier's default (`SPECSERVE_QUOTA_TIERS`)."""
    extra: dict = field(default_factory=dict)

    def is_active(self, now: datetime | None = None) -> bool:
        if self.revoked:
            return False
        if not self.expires:  # most keys: no clock read on the request path
            return True
        expires = from_iso(self.expires)
        return expires is None or (now or now_utc()) < expires

    def in_grace(self, now: datetime | None = None) -> bool:
        """Whether the secret before the last rotation still works."""
        grace = from_iso(self.previous_expires)
        return bool(self.previous_hash) and grace is not None and (now or now_utc()) < grace

    def generation_of(self, key: str, now: datetime | None = None) -> int | None:
        """Constant-time check of a presented key: the generation of the secret it matches
        (the current one, or the previous one during its grace period), else None."""
        digest = hash_key(key)
        current = hmac.compare_digest(digest, self.hash)
        previous = hmac.compare_digest(digest, self.previous_hash or "")
        if current:
            return self.generation
        if previous and self.in_grace(now):
            return self.generation - 1
        return None

    def accepts_generation(self, generation: int, now: datetime | None = None) -> bool:
        """Whether a token issued for `generation` of this key is still good."""
        if generation == self.generation:
            return True
        return generation == self.generation - 1 and self.in_grace(now)

    def matches(self, key: str, now: datetime | None = None) -> bool:
        return self.generation_of(key, now) is not None


def check_scopes(scopes: list[str]) -> list[str]:
    known = known_scopes()
    unknown = sorted(set(scopes) - set(known))
    if unknown:
        raise KeyStoreError(f"unknown scopes: {', '.join(unknown)} (known: {' '.join(known)})")
    return list(scopes)


def check_models(models: list[str] | None) -> list[str] | None:
    if models is None:
        return None
    pattern = spec.load().model_name  # the contract's ModelName pattern
    bad = [m for m in models if not pattern.match(m)]
    if bad or not models or len(models) > MAX_MODELS:
        raise KeyStoreError(
            f"--models takes 1 to {MAX_MODELS} model names matching {pattern.pattern}"
        )
    return sorted(set(models))


def check_quota(quota: str | None) -> str | None:
    """The canonical text of a key's quota (`10000/day`, `none`), None: the tier's."""
    if quota is None:
        return None
    try:
        return quotas.normal(quota)
    except ValueError as exc:
        raise KeyStoreError(f"--quota: {exc}; or none") from None


def new_record(
    key_id: str,
    name: str,
    scopes: list[str],
    tier: str,
    expires_in: timedelta | None,
    models: list[str] | None,
    quota: str | None = None,
) -> tuple[KeyRecord, str]:
    """A record and its key; `scopes` and `models` as `check_scopes`/`check_models` return."""
    key = new_key(key_id)
    now = now_utc()
    record = KeyRecord(
        id=key_id,
        name=name,
        hash=hash_key(key),
        scopes=scopes,
        tier=tier,
        created=to_iso(now),
        expires=to_iso(now + expires_in) if expires_in else None,
        models=models,
        quota=quota,
    )
    return record, key


def revoked(record: KeyRecord | None, key_id: str) -> KeyRecord:
    if record is None:
        raise KeyStoreError(f"no key with id {key_id}")
    return replace(record, revoked=record.revoked or to_iso(now_utc()))


def rescoped(record: KeyRecord | None, key_id: str, scopes: list[str]) -> KeyRecord:
    """The key with `scopes` (checked): a narrowed key's tokens lose the scopes at once too."""
    if record is None or not record.is_active():
        raise KeyStoreError(f"no active key with id {key_id}")
    if not scopes:
        raise KeyStoreError("a key needs at least one scope (revoke it instead)")
    wanted = check_scopes(list(dict.fromkeys(scopes)))
    return replace(record, scopes=sorted(wanted, key=known_scopes().index))


def requota(record: KeyRecord | None, key_id: str, quota: str | None) -> KeyRecord:
    """The key with `quota` (checked; None: back to its tier's default), effective at once
    for the key and its tokens."""
    if record is None or not record.is_active():
        raise KeyStoreError(f"no active key with id {key_id}")
    return replace(record, quota=quota)


def rotated(record: KeyRecord | None, key_id: str, grace: timedelta) -> tuple[KeyRecord, str]:
    """A new secret and the next generation; the old secret (and its tokens) stay valid for
    `grace`, and a zero grace ends them at once."""
    if record is None or not record.is_active():
        raise KeyStoreError(f"no active key with id {key_id}")
    key = new_key(key_id)
    keep = grace.total_seconds() > 0
    record = replace(
        record,
        hash=hash_key(key),
        previous_hash=record.hash if keep else None,
        previous_expires=to_iso(now_utc() + grace) if keep else None,
        generation=record.generation + 1,
    )
    return record, key


def new_key_id(taken: object) -> str:
    key_id = secrets.token_hex(6)
    while key_id in taken:  # type: ignore[operator]
        key_id = secrets.token_hex(6)
    return key_id
