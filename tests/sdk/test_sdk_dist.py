"""`make sdk-dist`: the wheel, the sdist and the npm tarball install into fresh environments
and run their README's examples, unchanged, against a live service; generated/ stays clean."""

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
    readme = (ROOT / "generated" / "python-client" / "README.md").read_text()
    examples = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert len(examples) >= 3  # the quick start, predictions, the low-level functions
    outputs = [run([str(python), "-c", code], cwd=tmp_path, env=example_env) for code in examples]
    assert "1.0.0" in outputs[0] and "healthy" in outputs[0] and "fraud-detector" in outputs[0]
    installed = run(
        [str(python), "-c", "import specserve_client; print(specserve_client.__file__)"]
    )
    assert str(tmp_path) in installed and (Path(installed.strip()).parent / "py.typed").exists()


TS_README = ROOT / "generated" / "typescript-client" / "README.md"
CONTINUES = "<!-- continues -->"  # the docs harness's marker (tests/snippets.py)


def readme_blocks(readme: Path) -> list[tuple[str, str]]:
    """(language, code) of every fenced block, in order; a `ts` block right after the
    CONTINUES marker is joined to the `ts` block before it (it runs as one program)."""
    blocks: list[tuple[str, str]] = []
    pattern = rf"({re.escape(CONTINUES)}\n)?```(\w+)\n(.*?)```"
    for match in re.finditer(pattern, readme.read_text(), flags=re.S):
        continues, language, code = match.groups()
        if continues:
            index = max(i for i, (lang, _) in enumerate(blocks) if lang == language)
            blocks[index] = (language, blocks[index][1] + code)
        else:
            blocks.append((language, code))
    return blocks


def tsc_project(app: Path, files: list[str], module: str, **extra: object) -> None:
    """`tsc --strict` in `app` as its module system: nodenext for ESM, node16 CommonJS."""
    options = {
        "target": "ES2022",
        "module": module,
        "moduleResolution": module,
        "strict": True,
        "lib": ["ES2022", "DOM"],
        "types": ["node"],
        "typeRoots": [str(NODE_TOOLS / "@types")],
        "outDir": "out",
        **extra,
    }
    (app / "tsconfig.json").write_text(json.dumps({"compilerOptions": options, "files": files}))
    run([str(NODE_TOOLS / ".bin" / "tsc"), "-p", "tsconfig.json"], cwd=app)


def npm_project(app: Path, module_type: str | None) -> Path:
    """A fresh `npm init -y` project (CommonJS), or one set to `"type": "module"`."""
    app.mkdir()
    run(["npm", "init", "-y"], cwd=app)
    if module_type:
        run(["npm", "pkg", "set", f"type={module_type}"], cwd=app)
    return app


@pytest.fixture(scope="module")
def cjs_app(tmp_path_factory) -> Path:
    """A fresh CommonJS project where the README's install block, run as written, built the
    tarball (`make sdk-dist` in this repository) into vendor/ and installed it."""
    requires("make, npm and Node.js", all(shutil.which(t) for t in ("make", "npm", "node")))
    app = npm_project(tmp_path_factory.mktemp("npm") / "cjs", None)
    install = [code for language, code in readme_blocks(TS_README) if language == "sh"]
    assert len(install) == 1
    env = {**os.environ, "SPECSERVE_REPO": str(ROOT), "MAKEFLAGS": ""}
    run(["bash", "-euo", "pipefail", "-c", install[0]], cwd=app, env=env)
    return app


def test_npm_tarball_ships_esm_and_commonjs_builds_with_types(cjs_app):
    (tarball,) = (cjs_app / "vendor").glob("specserve-client-*.tgz")
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
        package = json.load(archive.extractfile("package/package.json"))
    assert {"package/dist/index.js", "package/dist/index.d.ts", "package/README.md"} <= names
    assert {"package/dist/cjs/index.js", "package/dist/cjs/index.d.ts"} <= names
    assert "package/dist/cjs/package.json" in names
    assert not [n for n in names if n.startswith("package/src/")]
    conditions = package["exports"]["."]
    assert list(conditions) == ["import", "require", "types", "default"]
    assert package["engines"]["node"] == ">=20.3"
    installed = cjs_app / "node_modules" / "specserve-client"
    assert installed.is_dir() and not installed.is_symlink()
    project = json.loads((cjs_app / "package.json").read_text())
    assert project.get("type", "commonjs") == "commonjs"


def test_npm_tarball_in_a_fresh_commonjs_project_requires_and_runs_the_readme(cjs_app, example_env):
    """The README's `require` block as written, type-checked (`checkJs --strict`) and run; a
    TypeScript file compiled to CommonJS gets the types through the `require` condition."""
    node = shutil.which("node")
    (cjs_block,) = [code for language, code in readme_blocks(TS_README) if language == "js"]
    (cjs_app / "example.js").write_text(cjs_block)
    (cjs_app / "typed.ts").write_text(
        "import { SpecserveClient, type Prediction } from 'specserve-client';\n"
        "const result: Promise<Prediction> = new SpecserveClient().predict([1500.5, 2, 0.75], "
        "{ model: 'fraud-detector', version: '1.0.0' });\n"
        "result.then((p) => console.log('typed', p.model_version, p.requestId !== null));\n"
    )
    tsc_project(cjs_app, ["example.js", "typed.ts"], "node16", allowJs=True, checkJs=True)
    out = run([node, "example.js"], cwd=cjs_app, env=example_env)
    assert "1.0.0" in out
    assert run([node, "out/typed.js"], cwd=cjs_app, env=example_env).strip() == "typed 1.0.0 true"
    dual = "import('specserve-client').then((esm) => console.log(esm.SpecserveClient.name))"
    assert run([node, "-e", dual], cwd=cjs_app, env=example_env).strip() == "SpecserveClient"


def test_npm_tarball_in_a_fresh_esm_project_runs_every_ts_block_of_the_readme(
    cjs_app, example_env, tmp_path
):
    """Every `ts` block of the SDK README (continuations joined), as written, under
    `tsc --strict` in a `"type": "module"` project, run against the live service."""
    node = shutil.which("node")
    app = npm_project(tmp_path / "esm", "module")
    (tarball,) = (cjs_app / "vendor").glob("specserve-client-*.tgz")
    run(["npm", "install", "--no-audit", "--no-fund", str(tarball)], cwd=app)
    blocks = [code for language, code in readme_blocks(TS_README) if language == "ts"]
    assert len(blocks) >= 4
    files = []
    for i, code in enumerate(blocks):
        (app / f"block{i}.ts").write_text(code)
        files.append(f"block{i}.ts")
    tsc_project(app, files, "nodenext")
    outputs = [
        run([node, f"out/block{i}.js"], cwd=app, env=example_env) for i in range(len(blocks))
    ]
    quick = outputs[0]
    assert "1.0.0" in quick and "healthy" in quick and "fraud-detector" in quick
    assert "POST /v1/predict 200 request_id=" in "".join(outputs)
    assert "422 feature_count_mismatch" in "".join(outputs)
    assert example_env["SPECSERVE_API_KEY"] not in "".join(outputs)
