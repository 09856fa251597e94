"""Many instances of the image in one pod, for real: Redis, PostgreSQL, two instances, nginx.

The pod has no network but its loopback (`--network none`): Redis, PostgreSQL (the key
store, `SPECSERVE_KEYS_URL`) and nginx, this machine's binaries, join its network namespace
with nsenter; the instances are containers of the image, and the test's client threads join
the namespace too. nginx runs the configuration block from docs/deployment.md, whose ports
the pod uses as is.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.conftest import requires
from tests.deploy import podman
from tests.deploy.netns import PodNet
from tests.deploy.podman import podman as run
from tests.integration.test_scaleout import nginx_config

pytestmark = pytest.mark.slow

SEED = {"features": [1500.50, 2, 0.75]}
LIMIT = 50
INSTANCES = {"a": 8001, "b": 8002}
NGINX = "http://127.0.0.1:8080/v1"
KEYS_URL = "postgresql://specserve@127.0.0.1:5432/postgres"


@dataclass
class Pod:
    name: str
    net: PodNet
    work: Path
    containers: dict[str, str] = field(default_factory=dict)

    def cli(self, instance: str, *args: str) -> str:
        return run("exec", self.containers[instance], "specserve", *args).stdout.strip()

    def key(self, *args: str) -> str:
        return self.cli("a", "keys", "create", "--name", uuid.uuid4().hex[:8], "--quiet", *args)

    def predict(self, key: str, base: str = NGINX) -> int | str:
        return self.net.call(predict, key, base)

    def counter(self, instance: str, scraper: str, prefix: str, has: str = "") -> float:
        """A Prometheus counter of one instance, scraped directly."""
        url = f"http://127.0.0.1:{INSTANCES[instance]}/v1/metrics"
        text = self.net.call(lambda: httpx.get(url, headers={"X-API-Key": scraper}).text)
        return sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith(prefix) and has in line
        )

    def served(self, instance: str, scraper: str) -> float:
        """Predictions this instance answered."""
        return self.counter(
            instance, scraper, "specserve_http_requests_total{", 'route="/v1/predict"'
        )


def predict(key: str, base: str = NGINX) -> int | str:
    """One prediction, from a thread inside the pod's network namespace. The timeout is
    nginx's own (proxy_read_timeout, 60 s): an instance that is starting accepts connections
    before its workers serve, and nginx waits for it."""
    try:
        response = httpx.post(f"{base}/predict", json=SEED, headers={"X-API-Key": key}, timeout=60)
        return response.status_code
    except httpx.HTTPError as exc:
        return type(exc).__name__


def binary(name: str) -> str | None:
    return shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if Path(p).exists()), None
    )


def postgres_bin() -> Path | None:
    """A directory holding both `initdb` and `postgres` (one PostgreSQL version)."""
    found = shutil.which("initdb")
    candidates = [Path(found).resolve().parent] if found else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    return next((d for d in candidates if (d / "postgres").exists()), None)


def start_postgres(enter: list[str], bindir: Path) -> tuple[subprocess.Popen, str]:
    """A throwaway cluster owned by `postgres`, listening on the pod's loopback only."""
    data = tempfile.mkdtemp(prefix="specserve-pod-pg-")
    shutil.chown(data, "postgres", "postgres")
    as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*as_postgres, str(bindir / "initdb"), "-D", f"{data}/data", "-A", "trust",
         "-U", "specserve", "--no-sync"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    process = subprocess.Popen(
        [*enter, *as_postgres, str(bindir / "postgres"), "-D", f"{data}/data",
         "-c", "listen_addresses=127.0.0.1", "-p", "5432", "-k", data, "-c", "fsync=off"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return process, data


def answers(port: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def start_instance(pod: Pod, image: str, instance: str, models: Path) -> None:
    env = {
        "SPECSERVE_HOST": "127.0.0.1",
        "SPECSERVE_PORT": str(INSTANCES[instance]),
        "SPECSERVE_WORKERS": "2",
        "SPECSERVE_REDIS_URL": "redis://127.0.0.1:6379/0",
        "SPECSERVE_TRUSTED_PROXIES": "127.0.0.1",
        "SPECSERVE_RATE_LIMIT": f"{LIMIT}/minute",
        "SPECSERVE_RATE_LIMIT_TIERS": "bulk=1000000/minute",
        "SPECSERVE_KEYS_URL": KEYS_URL,
    }
    name = f"{pod.name}-{instance}"
    run(
        "run", "--detach", "--pod", pod.name, "--name", name, "--read-only",
        "--tmpfs", "/tmp", "--health-interval", "disable",
        "--volume", f"{models}:/models:ro",
        *[arg for k, v in env.items() for arg in ("--env", f"{k}={v}")],
        image,
    )  # fmt: skip
    pod.containers[instance] = name


@pytest.fixture(scope="module")
def pod(image, trained_model_dir, tmp_path_factory):
    nginx, redis, pg = binary("nginx"), binary("redis-server"), postgres_bin()
    requires("nginx", nginx is not None)
    requires("redis-server", redis is not None)
    requires("PostgreSQL server binaries (initdb, postgres)", pg is not None)
    requires("root (PostgreSQL runs as the postgres user)", os.geteuid() == 0)
    work = tmp_path_factory.mktemp("pod")
    models = podman.readable(shutil.copytree(trained_model_dir, work / "models"))
    name = f"specserve-pod-{uuid.uuid4().hex[:8]}"
    run("pod", "create", "--name", name, "--network", "none")
    processes: list[subprocess.Popen] = []
    pod = pg_data = None
    try:
        run("pod", "start", name)
        infra = run("pod", "inspect", name, "--format", "{{.InfraContainerID}}").stdout.strip()
        pid = run("inspect", infra, "--format", "{{.State.Pid}}").stdout.strip()
        enter = ["nsenter", "-t", pid, "-n"]
        processes.append(subprocess.Popen(
            [*enter, redis, "--bind", "127.0.0.1", "--port", "6379", "--save", "",
             "--appendonly", "no", "--dir", str(work)],
            stdout=subprocess.DEVNULL,
        ))  # fmt: skip
        postgres, pg_data = start_postgres(enter, pg)
        processes.append(postgres)
        conf = nginx_config(work, 8080, list(INSTANCES.values()))
        processes.append(subprocess.Popen([*enter, nginx, "-c", str(conf), "-g", "daemon off;"]))
        pod = Pod(name, PodNet(int(pid)), work)
        assert pod.net.call(answers, 5432), "PostgreSQL did not start in the pod"
        for instance in INSTANCES:
            start_instance(pod, image, instance, models)
        for container in pod.containers.values():
            podman.wait_healthy(container)
        yield pod
    finally:
        for instance, container in pod.containers.items() if pod else []:
            (work / f"service-pod-{instance}.log").write_text(podman.logs(container))
        for process in processes:
            process.terminate()
            process.wait(10)
        if pod:
            pod.net.close()
        run("pod", "rm", "--force", "--time", "0", name, check=False)
        if pg_data:
            shutil.rmtree(pg_data, ignore_errors=True)


def test_limit_is_exact_across_both_instances(pod):
    key, scraper = pod.key(), pod.key("--scopes", "metrics:read")
    codes = pod.net.map(lambda _: predict(key), range(LIMIT + 30))
    # a Redis call slower than 250 ms fails open by design (counted): say so if it happened
    errors = {i: pod.counter(i, scraper, "specserve_rate_limiter_errors_total") for i in INSTANCES}
    assert codes.count(200) == LIMIT and codes.count(429) == 30, (sorted(map(str, codes)), errors)
    assert all(pod.served(i, scraper) > 0 for i in INSTANCES)  # nginx used both


def test_a_key_revoked_on_one_instance_is_refused_by_both_within_a_second(pod):
    """The CLI in instance a writes to PostgreSQL; both instances learn of it."""
    key = pod.key()
    direct = {i: f"http://127.0.0.1:{port}/v1" for i, port in INSTANCES.items()}
    assert {pod.predict(key, base) for base in direct.values()} == {200}
    pod.cli("a", "keys", "revoke", key.split("_")[1])
    revoked_at = time.monotonic()
    refused_after = {}
    while len(refused_after) < len(direct) and time.monotonic() - revoked_at < 5:
        for instance, base in direct.items():
            if instance not in refused_after and pod.predict(key, base) == 401:
                refused_after[instance] = time.monotonic() - revoked_at
        time.sleep(0.05)
    assert set(refused_after) == set(direct), refused_after
    assert max(refused_after.values()) <= 1.0, refused_after
    assert pod.predict(key) == 401  # through nginx as well
    print(f"revocation seen after: {refused_after}")


class Traffic:
    """Four client threads sending predictions through nginx, timing every answer."""

    def __init__(self, pod: Pod, key: str) -> None:
        self.pod, self.key = pod, key
        self.results: list[tuple[float, int | str]] = []
        self.slowest = 0.0
        self.stop = threading.Event()
        self.futures = [pod.net.submit(self._loop) for _ in range(4)]

    def _loop(self) -> None:
        while not self.stop.is_set():
            sent = time.monotonic()
            self.results.append((sent, predict(self.key)))
            self.slowest = max(self.slowest, time.monotonic() - sent)

    def failures(self, since: float) -> list[tuple[float, int | str]]:
        return [(t - since, r) for t, r in self.results if t >= since and r != 200]

    def close(self) -> None:
        self.stop.set()
        for future in self.futures:
            future.result(30)


def test_an_instance_killed_under_traffic_costs_no_request_and_comes_back(pod):
    key, scraper = pod.key("--tier", "bulk"), pod.key("--scopes", "metrics:read")
    traffic = Traffic(pod, key)
    try:
        time.sleep(1)
        run("kill", "--signal", "KILL", pod.containers["a"])
        killed = time.monotonic()
        time.sleep(3)
        before_restart = len(traffic.results)
        run("start", pod.containers["a"])
        podman.wait_healthy(pod.containers["a"])
        deadline = time.monotonic() + 30  # nginx retries a failed peer after fail_timeout (10 s)
        while pod.served("a", scraper) == 0 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert pod.served("a", scraper) > 0, "the restarted instance gets no traffic"
    finally:
        traffic.close()
    noticed = killed + 1.0  # nginx marks the peer down at its first failed connection
    lost = traffic.failures(killed)
    assert traffic.failures(noticed) == [], lost
    assert len(traffic.results) > before_restart + 20
    assert sum(1 for _, r in traffic.results if r == 200) > 100
    print(
        f"requests: {len(traffic.results)}, lost at the kill: {lost}, "
        f"slowest answer: {traffic.slowest:.2f} s"
    )
