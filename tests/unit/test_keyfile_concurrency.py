"""Concurrent writers of the key file: every create survives, a revoked key stays revoked."""

from __future__ import annotations

import multiprocessing as mp

import pytest

from specserve.auth.filestore import FileKeyStore

pytestmark = pytest.mark.slow  # forks writer processes

PROCESSES, CREATES = 4, 15


def _creator(path, barrier, out, name):
    store = FileKeyStore(path)
    barrier.wait()
    out.put([store.create(f"{name}-{i}")[1] for i in range(CREATES)])


def _revoker(path, barrier, ids):
    store = FileKeyStore(path)
    barrier.wait()
    for key_id in ids:
        store.revoke(key_id)


def test_parallel_creates_and_revokes_lose_nothing(tmp_path):
    path = tmp_path / "keys.json"
    store = FileKeyStore(path)
    doomed = [store.create(f"doomed-{i}")[0].id for i in range(2 * CREATES)]
    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(PROCESSES + 2), ctx.Queue()
    procs = [ctx.Process(target=_creator, args=(path, barrier, out, f"c{n}")) for n in range(4)]
    procs += [ctx.Process(target=_revoker, args=(path, barrier, doomed[i::2])) for i in range(2)]
    for proc in procs:
        proc.start()
    created = [key for _ in range(PROCESSES) for key in out.get(timeout=60)]
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    reader = FileKeyStore(path)
    assert len(created) == PROCESSES * CREATES
    assert all(reader.authenticate(key) is not None for key in created)
    records = {r.id: r for r in reader.records()}
    assert len(records) == len(created) + len(doomed)
    assert all(records[key_id].revoked for key_id in doomed)
