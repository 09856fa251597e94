"""Hostile bodies (1 MiB, and as large as the default body limit admits) cost a live worker
little CPU and are priced by their size.

The throughput goal (an innocent client at >= 80 % of its quiet rate while four keys send
hostile bodies) is measured by `scripts/bench/hostile.py`: a ratio of rates is too noisy
for CI on a shared machine. Here, what is robust: the worker's own CPU time (from
/proc/<pid>/stat) per refused hostile body, against that of a valid one-row predict in the
same test, and the units the rate limiter charged.
"""

from __future__ import annotations

import os

import httpx
import pytest

from specserve.ratelimit.charge import ROW_BYTES
from tests.live import LiveService
from tests.unit.test_body_bounds import DEFAULT_BODY_LIMIT, HOSTILE, MIB, NAMED, hostile_bodies

pytestmark = pytest.mark.slow

SEED = [1500.5, 2, 0.75]
JSON = {"Content-Type": "application/json"}
ROUNDS = 20


@pytest.fixture(scope="module")
def service(workdir, trained_model_dir, keys_file, api_key, test_redis):
    env = {"SPECSERVE_REDIS_URL": test_redis}  # the default limit: 1,000,000 a minute
    with LiveService(workdir, trained_model_dir, keys_file, workers=1, env=env) as svc:
        yield svc


@pytest.fixture
def client(service, api_key):
    with httpx.Client(base_url=service.base_url, headers={"X-API-Key": api_key}) as c:
        yield c


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc/<pid>/stat (fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_cpu(service: LiveService, send) -> float:
    (pid,) = service.worker_pids()
    before = cpu_seconds(pid)
    send()
    return cpu_seconds(pid) - before


@pytest.mark.parametrize("size", [MIB, DEFAULT_BODY_LIMIT], ids=["1MiB", "default-limit"])
def test_a_hostile_body_costs_the_worker_about_a_predict(service, client, size):
    bodies = hostile_bodies(size)

    def predicts():
        for _ in range(ROUNDS * len(bodies)):
            assert client.post("/predict", json={"features": SEED}).status_code == 200

    def hostile():
        for _ in range(ROUNDS):
            for raw in bodies.values():
                assert client.post("/predict", content=raw, headers=JSON).status_code == 400

    predicts()  # warm
    valid, refused = worker_cpu(service, predicts), worker_cpu(service, hostile)
    print(f"{size} bytes: hostile {refused:.3f} s against {valid:.3f} s valid")
    # before the shape check: 90 to 560 ms a body, some 100 to 400 times a predict; a body
    # past the bounds is refused at its first chunks, whatever its size
    assert refused < 4 * valid + 0.1, f"hostile {refused:.2f} s against {valid:.2f} s valid"
    r = client.post("/predict", content=bodies["nested_lists"], headers=JSON)
    assert "more arrays than the schema allows" in r.json()["detail"]  # refused by its shape
    r = client.post("/predict", content=bodies["named_pairs"], headers=JSON)
    assert "more values than the schema allows" in r.json()["detail"]


@pytest.mark.parametrize("name", list(NAMED))
def test_a_valid_named_body_passes_the_shape_check(client, name):
    """Names and values full of `[{,"` and backslashes, up to the default body limit: never
    refused by shape (what the model makes of the names is another matter)."""
    operation_id, body = NAMED[name]
    path = "/predict" if operation_id == "predict" else "/batch_predict"
    r = client.post(path, json=body)
    assert r.status_code != 413 and "than the schema allows" not in r.text, r.text[:300]


def remaining(client: httpx.Client) -> int:
    r = client.post("/predict", json={"features": SEED})
    assert r.status_code == 200
    return int(r.headers["X-RateLimit-Remaining"])


def test_an_invalid_body_is_charged_by_its_size(client):
    raw = HOSTILE["numbers"]
    before = remaining(client)
    r = client.post("/batch_predict", content=raw, headers=JSON)
    assert r.status_code == 400 and r.json()["error"] == "validation_error"
    # the refused body's units, plus the one of the predict that reads the count
    assert before - remaining(client) == -(-len(raw) // ROW_BYTES) + 1 == 65
