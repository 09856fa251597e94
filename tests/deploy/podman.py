"""podman for the deployment tests: the image built from this tree, containers, pods."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_IMAGE = "localhost/specserve:test"
APP_UID = 10001  # the image's user (deploy/container/Containerfile)
# rootful podman without systemd: runc, cgroupfs, file events, ulimits it may set
os.environ.setdefault("CONTAINERS_CONF", str(ROOT / "deploy" / "podman" / "containers.conf"))


def available() -> bool:
    if shutil.which("podman") is None:
        return False
    return subprocess.run(["podman", "info"], capture_output=True, timeout=60).returncode == 0


def podman(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    done = subprocess.run(
        ["podman", *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"podman {' '.join(args[:3])} failed: {done.stderr[-2000:]}")
    return done


def build_image(tag: str = TEST_IMAGE) -> str:
    """`make image` from this tree (podman's layer cache makes a rebuild take seconds)."""
    done = subprocess.run(
        ["make", "--no-print-directory", "image", f"IMAGE={tag}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"make image failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    return tag


def shared_dir(path: Path) -> Path:
    """A directory the image's user may write (the key file's directory)."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        os.chown(path, APP_UID, APP_UID)
    else:
        path.chmod(0o777)
    return path


def give(path: Path) -> Path:
    """Hand a mounted file to the image's user."""
    if os.geteuid() == 0:
        os.chown(path, APP_UID, APP_UID)
    else:
        path.chmod(0o644)
    return path


def readable(path: Path) -> Path:
    """Let the image's user read a mounted tree (pytest's temporary directories are 0700)."""
    for item in [path, *path.rglob("*")]:
        item.chmod(0o755 if item.is_dir() else 0o644)
    return path


def wait_healthy(name: str, timeout: float = 60) -> None:
    """The image's own HEALTHCHECK, run on demand (no systemd timer here)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if podman("healthcheck", "run", name, check=False).returncode == 0:
            return
        state = podman("inspect", name, "--format", "{{.State.Status}}").stdout.strip()
        if state in ("exited", "stopped"):
            break
        time.sleep(0.3)
    logs = podman("logs", name, check=False)
    raise RuntimeError(f"{name} not healthy:\n{(logs.stdout + logs.stderr)[-3000:]}")


def remove(*names: str) -> None:
    for name in names:
        podman("rm", "--force", "--time", "0", name, check=False)


def logs(name: str) -> str:
    done = podman("logs", name, check=False)
    return done.stdout + done.stderr
