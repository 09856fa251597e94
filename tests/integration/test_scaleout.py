"""The production pattern, for real: nginx in front of two instances sharing Redis."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from specserve.auth.filestore import FileKeyStore
from tests.conftest import requires
from tests.live import LiveService, free_port

DOCS = Path(__file__).resolve().parents[2] / "docs"
SEED = {"features": [1500.50, 2, 0.75]}


def nginx_config(workdir: Path, port: int, upstreams: list[int]) -> Path:
    """The server block from docs/deployment.md, with this test's ports."""
    block = re.search(r"```nginx\n(.*?)```", (DOCS / "deployment.md").read_text(), re.S)[1]
    block = block.replace("127.0.0.1:8080", f"127.0.0.1:{port}")
    block = block.replace("127.0.0.1:8001", f"127.0.0.1:{upstreams[0]}")
    block = block.replace("127.0.0.1:8002", f"127.0.0.1:{upstreams[1]}")
    temp = workdir / "nginx"
    temp.mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\npid {temp}/nginx.pid;\nerror_log {temp}/error.log;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"  access_log off;\n  client_body_temp_path {temp}/body;\n"
        f"  proxy_temp_path {temp}/proxy;\n  fastcgi_temp_path {temp}/fastcgi;\n"
        f"  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n"
        f"{block}\n}}\n"
    )
    return conf


@pytest.fixture
def nginx_bin():
    path = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
    )
    requires("nginx", path is not None)
    return path


def test_nginx_two_instances_shared_exact_limit(tmp_path, trained_model_dir, test_redis, nginx_bin):
    limit = 50
    keys = FileKeyStore(tmp_path / "keys.json")
    _, key = keys.create("through-nginx")
    _, scraper = keys.create("scraper", ["metrics:read"])
    env = {
        "SPECSERVE_REDIS_URL": test_redis,
        "SPECSERVE_RATE_LIMIT": f"{limit}/minute",
        "SPECSERVE_RATE_LIMIT_KEY_PREFIX": f"lb-{uuid.uuid4().hex[:8]}",
        "SPECSERVE_TRUSTED_PROXIES": "127.0.0.1",
    }
    a = LiveService(tmp_path, trained_model_dir, keys.path, env=env).start()
    b = LiveService(tmp_path, trained_model_dir, keys.path, env=env).start()
    port = free_port()
    conf = nginx_config(tmp_path, port, [a.port, b.port])
    lb = subprocess.Popen(
        [nginx_bin, "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}/v1"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)

        def post(_):
            return httpx.post(
                f"{base}/predict",
                json=SEED,
                timeout=20,
                headers={"X-API-Key": key, "X-Forwarded-For": "203.0.113.5"},
            )

        with ThreadPoolExecutor(max_workers=32) as pool:
            results = list(pool.map(post, range(limit + 50)))
        codes = [r.status_code for r in results]
        assert codes.count(200) == limit and codes.count(429) == 50, codes
        for r in results:
            if r.status_code == 429:
                assert int(r.headers["retry-after"]) >= 1
                assert r.headers["x-ratelimit-remaining"] == "0"
        served = []
        for svc in (a, b):
            text = httpx.get(f"{svc.base_url}/metrics", headers={"X-API-Key": scraper}).text
            served.append(
                sum(
                    float(line.rsplit(" ", 1)[1])
                    for line in text.splitlines()
                    if line.startswith("specserve_http_requests_total{")
                    and 'route="/v1/predict"' in line
                )
            )
        assert all(n > 0 for n in served), served  # nginx spread the load over both
        # the instances took the client's address from the trusted proxy's X-Forwarded-For
        assert '"client":"203.0.113.5"' in a.logs() + b.logs()
    finally:
        lb.terminate()
        lb.wait(10)
        a.stop()
        b.stop()
