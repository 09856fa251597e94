"""Key file store: hashes only, atomic 0600 file, revocation, expiry, rotation grace and
generations, keys limited to models, a corrupt file."""

from __future__ import annotations

import json
import os
import stat
from datetime import timedelta

import pytest

from specserve import spec
from specserve.auth.filestore import FileKeyStore
from specserve.auth.records import KEY_RE, KeyStoreError
from specserve.cli import main


@pytest.fixture
def store(tmp_path):
    return FileKeyStore(tmp_path / "var" / "keys.json")


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
    reader = FileKeyStore(store.path)
    record = reader.authenticate(key)
    assert record is not None
    store.revoke(record.id)
    assert reader.authenticate(key) is None


def test_expired_key_is_refused(store):
    _, key = store.create("temp", expires_in=timedelta(seconds=-1))
    assert store.authenticate(key) is None
    _, live = store.create("later", expires_in=timedelta(hours=1))
    assert store.authenticate(live) is not None  # an expiry still ahead reads the clock too


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


def test_corrupt_file_keeps_known_keys_reports_unhealthy_and_is_never_overwritten(store):
    _, key = store.create("alice")
    assert store.authenticate(key) and store.healthy() == (True, "key file: 1 keys")
    store.path.write_text("{not json")
    assert store.authenticate(key) is not None  # the keys read before keep serving
    ok, detail = store.healthy()
    assert not ok and "unreadable (JSONDecodeError)" in detail and str(store.path) not in detail
    with pytest.raises(KeyStoreError, match="cannot read key file"):
        store.create("bob")
    with pytest.raises(KeyStoreError):
        store.records()
    assert store.path.read_text() == "{not json"
    fresh = FileKeyStore(store.path)  # a worker starting on the corrupt file: no key, no crash
    assert fresh.authenticate(key) is None and not fresh.healthy()[0]


def test_rotation_counts_generations_and_names_the_secret_presented(store):
    record, old = store.create("alice")
    assert store.match(old) == (store.get(record.id), 0)
    _, new = store.rotate(record.id, timedelta(hours=1))
    rotated = store.get(record.id)
    assert rotated.generation == 1
    assert store.match(new)[1] == 1 and store.match(old)[1] == 0
    assert rotated.accepts_generation(0) and rotated.accepts_generation(1)
    store.rotate(record.id, timedelta(0))
    latest = store.get(record.id)
    assert latest.generation == 2
    assert not latest.accepts_generation(1) and not latest.accepts_generation(0)


def test_keys_limited_to_models(store):
    record, key = store.create("scoped", models=["fraud-detector", "churn", "churn"])
    assert store.authenticate(key).models == ["churn", "fraud-detector"]
    assert store.create("all")[0].models is None
    for bad in (["Bad Name"], [], ["../x"]):
        with pytest.raises(KeyStoreError, match="--models"):
            store.create("x", models=bad)


def test_writers_lock_file_is_private(store):
    store.create("alice")
    assert stat.S_IMODE(os.stat(store.lock_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert not list(store.path.parent.glob(".keys-*.tmp"))


def test_a_keys_scopes_change_in_place_and_are_checked(store):
    record, key = store.create("ops", ["predict"])
    assert store.set_scopes(record.id, add=["models:read"]).scopes == ["predict", "models:read"]
    assert FileKeyStore(store.path).authenticate(key).scopes == ["predict", "models:read"]
    assert store.set_scopes(record.id, remove=["predict"]).scopes == ["models:read"]
    every = list(spec.load().scopes)
    assert store.set_scopes(record.id, scopes=every[::-1]).scopes == every  # the spec's order
    with pytest.raises(KeyStoreError, match="unknown scopes: root"):
        store.set_scopes(record.id, add=["root"])
    with pytest.raises(KeyStoreError, match="at least one scope"):
        store.set_scopes(record.id, remove=every)
    store.revoke(record.id)
    with pytest.raises(KeyStoreError, match="no active key"):
        store.set_scopes(record.id, add=["predict"])


def test_the_keys_command_changes_scopes(store, monkeypatch, capsys):
    record, _ = store.create("cli", ["predict"])
    monkeypatch.setenv("SPECSERVE_KEYS_FILE", str(store.path))
    assert main(["keys", "scopes", record.id, "--add", "metrics:read"]) == 0
    assert capsys.readouterr().out == (
        f"Key {record.id} (cli) now has the scopes: predict metrics:read.\n"
    )
    assert main(["keys", "scopes", record.id, "--set", "nope"]) == 2
    assert "unknown scopes: nope" in capsys.readouterr().err
    assert FileKeyStore(store.path).get(record.id).scopes == ["predict", "metrics:read"]
