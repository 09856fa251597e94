"""`SPECSERVE_KEYS_URL` picks the PostgreSQL store; a bad one stops start-up without
echoing the URL (it may hold a password)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from specserve.auth.filestore import FileKeyStore
from specserve.auth.pgstore import PostgresKeyStore
from specserve.auth.store import open_store
from specserve.config import Settings


def test_the_key_file_is_the_default(tmp_path):
    store = open_store(Settings(keys_file=tmp_path / "k.json", keys_url=""))
    assert isinstance(store, FileKeyStore) and store.describe() == str(tmp_path / "k.json")


def test_a_postgresql_url_selects_the_shared_store():
    url = "postgresql://svc:hunter2@db.example.test:6543/keys"
    store = open_store(Settings(keys_url=url), watch=False)  # connects on first use only
    assert isinstance(store, PostgresKeyStore)
    assert store.describe() == "postgresql://svc@db.example.test:6543/keys"
    assert "hunter2" not in repr(Settings(keys_url=url))


@pytest.mark.parametrize("url", ["mysql://u:hunter2@h/db", "redis://hunter2@h", "hunter2"])
def test_a_bad_url_is_refused_without_echoing_it(url):
    with pytest.raises(ValidationError) as caught:
        Settings(keys_url=url)
    assert "SPECSERVE_KEYS_URL must be a postgresql://" in str(caught.value)
    assert "hunter2" not in str(caught.value)
