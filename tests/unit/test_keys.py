"""Key store: hashes only, atomic 0600 file, revocation, expiry, rotation grace."""

from __future__ import annotations

import json
import os
import stat
from datetime import timedelta

import pytest

from specserve.auth.keys import KEY_RE, KeyStore, KeyStoreError


@pytest.fixture
def store(tmp_path):
    return KeyStore(tmp_path / "var" / "keys.json")


def test_create_stores_only_a_hash_with_mode_0600(store):
    record, key = store.create("alice", ["predict"])
    assert KEY_RE.match(key)
    raw = store.path.read_text()
    assert key not in raw and key.split("_", 2)[2] not in raw
    assert json.loads(raw)["keys"][0]["id"] == record.id
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert store.authenticate(key).id == record.id


def test_wrong_unknown_and_malformed_keys_fail(store):
    _, key = store.create("alice")
    assert store.authenticate(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert store.authenticate("ssk_000000000000_" + "A" * 43) is None
    assert store.authenticate("not-a-key") is None
    assert store.authenticate("") is None


def test_revocation_is_seen_by_another_reader_without_restart(store):
    _, key = store.create("alice")
    reader = KeyStore(store.path)
    record = reader.authenticate(key)
    assert record is not None
    store.revoke(record.id)
    assert reader.authenticate(key) is None


def test_expired_key_is_refused(store):
    _, key = store.create("temp", expires_in=timedelta(seconds=-1))
    assert store.authenticate(key) is None


def test_rotation_keeps_old_secret_for_the_grace_period(store):
    record, old = store.create("alice")
    _, new = store.rotate(record.id, timedelta(hours=1))
    assert store.authenticate(new) and store.authenticate(old)
    _, newer = store.rotate(record.id, timedelta(0))
    assert store.authenticate(newer)
    assert store.authenticate(new) is None and store.authenticate(old) is None


def test_unknown_scope_is_refused(store):
    with pytest.raises(KeyStoreError, match="unknown scopes"):
        store.create("x", ["predict", "root"])


def test_corrupt_file_is_an_error_not_a_crash(store):
    store.path.parent.mkdir(parents=True)
    store.path.write_text("{not json")
    with pytest.raises(KeyStoreError):
        store.authenticate("ssk_000000000000_" + "A" * 43)
