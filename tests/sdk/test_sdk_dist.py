"""`make sdk-dist`: the wheel, the sdist and the npm tarball install into fresh environments
and run their README's example, unchanged, against a live service; generated/ stays clean."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.conftest import requires

ROOT = Path(__file__).resolve().parents[2]
NODE_TOOLS = ROOT / "sdk-templates" / "node_modules"
pytestmark = pytest.mark.slow


def run(cmd: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    out = subprocess.run(
        cmd, cwd=cwd, env=env or dict(os.environ), capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, f"{cmd}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out.stdout


def first_block(readme: Path, language: str) -> str:
    return re.findall(rf"```{language}\n(.*?)```", readme.read_text(), flags=re.S)[0]


def generated_state() -> str:
    return run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all", "generated"])


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    requires("make and npm", shutil.which("make") is not None and shutil.which("npm") is not None)
    out = tmp_path_factory.mktemp("sdk-dist")
    before = generated_state()
    run(["make", "--no-print-directory", "-s", f"SDK_DIST={out}", "sdk-dist"])
    assert generated_state() == before, "sdk-dist left files in generated/"
    return out


@pytest.fixture(scope="module")
def example_env(token_service, api_key) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    return {**env, "SPECSERVE_BASE_URL": token_service.base_url, "SPECSERVE_API_KEY": api_key}


@pytest.mark.parametrize("kind", ["whl", "tar.gz"])
def test_python_package_installs_into_a_fresh_venv_and_runs_the_readme(
    dist, example_env, tmp_path, kind
):
    (package,) = dist.glob(f"specserve_client-*.{kind}")
    run([sys.executable, "-m", "venv", str(tmp_path / "venv")])
    python = tmp_path / "venv" / "bin" / "python"
    constraints = str(ROOT / "constraints.txt")
    run([str(python), "-m", "pip", "install", "-q", "-c", constraints, str(package)])
    example = first_block(ROOT / "generated" / "python-client" / "README.md", "python")
    out = run([str(python), "-c", example], cwd=tmp_path, env=example_env)
    assert "1.0.0" in out and "healthy" in out and "fraud-detector" in out
    installed = run(
        [str(python), "-c", "import specserve_client; print(specserve_client.__file__)"]
    )
    assert str(tmp_path) in installed and (Path(installed.strip()).parent / "py.typed").exists()


def test_npm_tarball_has_compiled_code_and_types_and_runs_the_readme(dist, example_env, tmp_path):
    node = shutil.which("node")
    requires("Node.js", node is not None)
    (tarball,) = dist.glob("specserve-client-*.tgz")
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    assert {"package/dist/index.js", "package/dist/index.d.ts", "package/README.md"} <= set(names)
    assert not [n for n in names if n.startswith("package/src/")]
    app = tmp_path / "app"
    app.mkdir()
    (app / "package.json").write_text('{"name": "app", "private": true, "type": "module"}')
    run(["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", str(tarball)], cwd=app)
    installed = app / "node_modules" / "specserve-client"
    assert installed.is_dir() and not installed.is_symlink()
    example = first_block(ROOT / "generated" / "typescript-client" / "README.md", "ts")
    (app / "example.ts").write_text(example)
    options = {
        "target": "ES2022",
        "module": "ESNext",
        "moduleResolution": "bundler",
        "strict": True,
        "lib": ["ES2022", "DOM"],
        "types": ["node"],
        "typeRoots": [str(NODE_TOOLS / "@types")],
        "outDir": "out",
    }
    (app / "tsconfig.json").write_text(
        json.dumps({"compilerOptions": options, "files": ["example.ts"]})
    )
    run([str(NODE_TOOLS / ".bin" / "tsc"), "-p", "tsconfig.json"], cwd=app)
    out = run([node, "out/example.js"], cwd=app, env=example_env)
    assert "1.0.0" in out and "healthy" in out and "fraud-detector" in out
