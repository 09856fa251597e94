"""The Kubernetes Deployment (deploy/kubernetes/base), run by `podman kube play`.

podman runs each replica as a pod with `--network none`; what it cannot do here is adapted
in a copy: no containerPort without a bridge, hostPath volumes for the claim and Secrets,
Redis at the pod's loopback (refused: the limiter fails open, /health says degraded).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from scripts.k8s_validate import render
from specserve.auth.filestore import FileKeyStore
from tests.deploy import podman
from tests.deploy.podman import APP_UID, ROOT
from tests.deploy.podman import podman as run

pytestmark = pytest.mark.slow

BASE = ROOT / "deploy" / "kubernetes" / "base"


def adapt(deployment: dict, image: str, paths: dict[str, Path]) -> dict:
    pod = deployment["spec"]["template"]["spec"]
    for container in pod["containers"]:
        container["image"] = image
        container.pop("ports")
        for probe in ("readinessProbe", "startupProbe", "livenessProbe"):
            for kind in ("httpGet", "tcpSocket"):
                if kind in container[probe]:
                    container[probe][kind]["port"] = 8000  # no named port without ports
    for volume in pod["volumes"]:
        if volume["name"] in paths:
            volume.pop("secret", None)
            volume.pop("persistentVolumeClaim", None)
            volume["hostPath"] = {"path": str(paths[volume["name"]]), "type": "Directory"}
    return deployment


def health(container: str) -> tuple[int, dict]:
    probe = (
        "import json, urllib.request, urllib.error\n"
        "try:\n r = urllib.request.urlopen('http://127.0.0.1:8000/v1/health', timeout=5)\n"
        "except urllib.error.HTTPError as e:\n r = e\n"
        "print(r.status, r.read().decode())"
    )
    done = run("exec", container, "python", "-c", probe, check=False)
    if done.returncode != 0:
        return 0, {}
    status, body = done.stdout.split(" ", 1)
    return int(status), json.loads(body)


@pytest.fixture
def played(image, trained_model_dir, tmp_path):
    objects = render(BASE, set())
    deployment = next(o for o in objects if o["kind"] == "Deployment")
    settings = next(o for o in objects if o["kind"] == "ConfigMap")
    settings["data"]["SPECSERVE_REDIS_URL"] = "redis://127.0.0.1:6379/0"
    keys = podman.shared_dir(tmp_path / "keys")
    _, key = FileKeyStore(keys / "api_keys.json").create("kube-play")
    podman.give(keys / "api_keys.json")
    jwt = podman.shared_dir(tmp_path / "jwt")
    (jwt / "jwt_secret").write_text("kP4x9Qw2Lr7vTz1Nb8Yc3Hd6Jf0Ms5Ua_Ge-Ri")
    podman.give(jwt / "jwt_secret")
    models = podman.readable(Path(trained_model_dir))
    paths = {"models": models, "keys": keys, "jwt": jwt}
    manifest, configmap = tmp_path / "deployment.yaml", tmp_path / "configmap.yaml"
    manifest.write_text(yaml.safe_dump(adapt(deployment, image, paths)))
    configmap.write_text(yaml.safe_dump(settings))
    run("kube", "play", "--network", "none", "--configmap", str(configmap), str(manifest))
    try:
        yield deployment, key
    finally:
        for n in range(deployment["spec"]["replicas"]):
            name = f"specserve-pod-{n}-specserve"
            (tmp_path / f"service-kube-{n}.log").write_text(podman.logs(name))
        run("kube", "down", str(manifest), check=False)


def test_the_deployment_runs_its_replicas_non_root_read_only_and_ready(played):
    deployment, _ = played
    replicas = deployment["spec"]["replicas"]
    names = [f"specserve-pod-{n}-specserve" for n in range(replicas)]
    assert replicas >= 2
    for name in names:
        deadline = time.monotonic() + 90
        status, body = health(name)
        while status != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
            status, body = health(name)
        # Redis refused: the limiter fails open, the replica stays ready (200, degraded)
        assert (status, body.get("status")) == (200, "degraded"), (status, body)
        assert body["checks"]["rate_limiter"]["status"] == "fail"
        assert run("exec", name, "id", "-u").stdout.strip() == str(APP_UID)
        write = run("exec", name, "touch", "/app/x", check=False)
        assert "Read-only file system" in write.stderr
        config = json.loads(run("inspect", name).stdout)[0]
        assert config["HostConfig"]["Memory"] == 1024**3  # the manifest's memory limit
        env = dict(item.split("=", 1) for item in config["Config"]["Env"])
        assert env["SPECSERVE_WORKERS"] == "2"  # from the ConfigMap
