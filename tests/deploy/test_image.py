"""The container image as users run it: read-only root, non-root, models and keys as mounts."""

from __future__ import annotations

import json
import shutil
import threading
import time
import uuid

import httpx
import pytest

from tests.deploy import podman
from tests.deploy.podman import APP_UID
from tests.deploy.podman import podman as run
from tests.live import free_port

pytestmark = pytest.mark.slow

SEED = {"features": [1500.50, 2, 0.75]}
GRACE = 10


def start(image: str, tmp_path, models, **env: str) -> tuple[str, str]:
    name = f"specserve-test-{uuid.uuid4().hex[:8]}"
    port = free_port()
    keys = podman.shared_dir(tmp_path / f"keys-{name}")
    settings = {"SPECSERVE_HOST": "127.0.0.1", "SPECSERVE_PORT": str(port), **env}
    run(
        "run", "--detach", "--name", name, "--network", "host", "--read-only",
        "--tmpfs", "/tmp", "--health-interval", "disable",
        "--volume", f"{models}:/models:ro", "--volume", f"{keys}:/var/lib/specserve",
        *[arg for k, v in settings.items() for arg in ("--env", f"{k}={v}")],
        image,
    )  # fmt: skip
    return name, f"http://127.0.0.1:{port}/v1"


@pytest.fixture(scope="module")
def container(image, trained_model_dir, tmp_path_factory):
    work = tmp_path_factory.mktemp("image")
    models = work / "models"
    podman.readable(shutil.copytree(trained_model_dir, models))
    name, base = start(
        image, work, models, SPECSERVE_GRACEFUL_TIMEOUT=str(GRACE),
        SPECSERVE_RATE_LIMIT="1000000/minute",
    )  # fmt: skip
    try:
        podman.wait_healthy(name)
        yield name, base, work / f"keys-{name}"
    finally:
        (work / f"service-{name}.log").write_text(podman.logs(name))
        podman.remove(name)


def test_image_declares_user_healthcheck_and_stop_signal(image):
    inspected = json.loads(run("image", "inspect", image).stdout)[0]
    config = inspected["Config"]
    assert config["User"] == f"{APP_UID}:{APP_UID}"
    assert inspected["Healthcheck"]["Test"] == ["CMD", "specserve-healthcheck"]
    assert config["StopSignal"] == "SIGTERM"
    probe = "for t in gcc cc make curl pip pip3 python3; do command -v $t; done; true"
    found = run("run", "--rm", "--network", "none", "--entrypoint", "sh", image, "-c",
                probe).stdout.split()  # fmt: skip
    assert [path.rsplit("/", 1)[1] for path in found] == ["python3"], found  # no build tools


def test_predicts_with_a_key_made_by_the_cli_in_the_container(container):
    name, base, keys = container
    key = run("exec", name, "specserve", "keys", "create", "--name", "image", "--quiet").stdout
    response = httpx.post(f"{base}/predict", json=SEED, headers={"X-API-Key": key.strip()})
    assert response.status_code == 200, response.text
    assert response.json()["model_version"] == "1.0.0"
    stored = keys / "api_keys.json"
    assert stored.stat().st_uid == APP_UID and stored.stat().st_mode & 0o777 == 0o600
    assert key.strip() not in stored.read_text()  # hashes only


def test_runs_as_non_root_on_a_read_only_root(container):
    name, _, _ = container
    assert run("exec", name, "id", "-u").stdout.strip() == str(APP_UID)
    write = run("exec", name, "touch", "/app/x", check=False)
    assert write.returncode != 0 and "Read-only file system" in write.stderr
    assert run("exec", name, "touch", "/tmp/x", check=False).returncode == 0


def test_healthcheck_fails_when_the_default_model_is_missing(image, tmp_path):
    empty = tmp_path / "no-models"
    empty.mkdir()
    podman.readable(empty)
    name, base = start(image, tmp_path, empty)
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and status != 503:
            try:
                status = httpx.get(f"{base}/health", timeout=2).status_code
            except httpx.HTTPError:
                time.sleep(0.3)
        assert status == 503
        assert run("healthcheck", "run", name, check=False).returncode == 1
    finally:
        podman.remove(name)


def test_sigterm_stops_gracefully_under_load_and_exits_0(container):
    name, base, _ = container
    key = run("exec", name, "specserve", "keys", "create", "--name", "stop", "--quiet").stdout
    results: list[int | str] = []
    stop = threading.Event()

    def traffic():
        headers = {"X-API-Key": key.strip()}
        while not stop.is_set():
            try:
                response = httpx.post(f"{base}/predict", json=SEED, headers=headers, timeout=10)
                results.append(response.status_code)
            except httpx.TransportError:  # stopped listening (or reset a queued, unread one)
                time.sleep(0.05)

    threads = [threading.Thread(target=traffic) for _ in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while results.count(200) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)  # traffic flows before the stop
    started = time.monotonic()
    run("stop", "--time", str(GRACE), name)
    elapsed = time.monotonic() - started
    stop.set()
    for thread in threads:
        thread.join(15)
    state = json.loads(run("inspect", name).stdout)[0]["State"]
    assert state["ExitCode"] == 0 and elapsed < GRACE, (state["ExitCode"], elapsed)
    assert results.count(200) >= 20
    assert set(results) == {200}, set(results)  # every answer given is a success
