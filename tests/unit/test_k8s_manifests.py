"""The manifest gate (make k8s-validate): the shipped manifests pass, and it bites."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import requires

pytestmark = pytest.mark.slow  # runs scripts/k8s_validate.py

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy" / "kubernetes"


def validate(folder: Path) -> subprocess.CompletedProcess:
    installed = importlib.util.find_spec("kubernetes_validate") is not None
    requires("kubernetes-validate (make deploy-deps)", installed)
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "k8s_validate.py"), str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def copy(tmp_path) -> Path:
    return Path(shutil.copytree(MANIFESTS, tmp_path / "kubernetes"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_shipped_manifests_pass_for_kubernetes_1_30():
    done = validate(MANIFESTS)
    assert done.returncode == 0, done.stderr
    assert "overlays/dev: Deployment/specserve" in done.stdout  # the overlay was rendered


def test_an_unknown_field_fails(copy):
    edit(copy / "base" / "deployment.yaml", "revisionHistoryLimit", "revisionHistoryLimt")
    done = validate(copy)
    assert done.returncode == 1 and "'revisionHistoryLimt' was unexpected" in done.stderr


def test_a_typo_in_an_overlay_patch_fails(copy):
    edit(copy / "overlays" / "dev" / "deployment-patch.yaml", "sizeLimit", "sizeLimmit")
    done = validate(copy)
    assert done.returncode == 1 and "sizeLimmit" in done.stderr


def test_an_unknown_api_version_fails(copy):
    edit(copy / "base" / "pdb.yaml", "policy/v1", "policy/v1beta1")
    done = validate(copy)
    assert done.returncode == 1 and "Couldn't find schema" in done.stderr


def test_an_overlay_missing_a_secret_the_pods_need_fails(copy):
    edit(copy / "overlays" / "dev" / "kustomization.yaml", "- name: specserve-jwt", "- name: jwt")
    done = validate(copy)
    assert done.returncode == 1 and "needs Secret/specserve-jwt" in done.stderr
