"""The README's Models walkthrough ("From a notebook to a prediction"), every snippet as
written and in order, in one fresh working directory, against a live service: the notebook
trains and saves the loan model, `models add` publishes it into the store the service
watches, the curl lines, both generic SDKs and the model's own SDK call it. Every output the
README shows in a comment is what the command printed (`...` stands for what differs from
run to run: request ids, timings, absolute paths)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import requires
from tests.live import ROOT, LiveService

README = ROOT / "README.md"
SECTION = ("### From a notebook to a prediction", "### What a prediction holds")
FENCE = re.compile(r"^```(python|sh|ts)\n(.*?)^```", re.M | re.S)
TS_SDK = ROOT / "generated" / "typescript-client"
NODE_MODULES = ROOT / "sdk-templates" / "node_modules"
TSC = NODE_MODULES / ".bin" / "tsc"
TSC_STRICT = ["--strict", "--target", "ES2022", "--module", "ESNext"]
TSC_STRICT += ["--moduleResolution", "bundler", "--types", "node"]
OUTPUT = {
    "python": re.compile(r"^\s*print\(.*\)  # (.*)$"),
    "ts": re.compile(r"^\s*console\.log\(.*\); // (.*)$"),
}
CONTINUED = re.compile(r"^#  \S")
MODEL = "loan"


@dataclass
class Step:
    """One shell command of a `sh` block and the output the README shows for it."""

    command: str
    expected: list[str]


def walkthrough() -> list[tuple[str, str]]:
    """(language, code) of every fenced block of the walkthrough, in order."""
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTION[0])
    return FENCE.findall(text[start : text.index(SECTION[1], start)])


def shell_steps(code: str) -> list[Step]:
    """Commands (a line and its `\\` continuations) and the `# ` lines right after each; a
    line of `#`, two spaces and text continues the output line above it (a long JSON line
    wrapped), where `#` and three spaces is an output line that starts with two."""
    steps: list[Step] = []
    lines = iter(code.splitlines())
    for line in lines:
        if not line.strip():
            continue
        if line.startswith("#"):
            shown = steps[-1].expected
            if CONTINUED.match(line) and shown:
                shown[-1] += line[3:]
            else:
                shown.append(line[2:])
            continue
        command = [line]
        while command[-1].endswith("\\"):
            command.append(next(lines))
        steps.append(Step("\n".join(command), []))
    return steps


def printed(code: str, lang: str) -> list[str]:
    """The output a Python or TypeScript snippet shows beside its print calls, in order."""
    return [m[1] for line in code.splitlines() if (m := OUTPUT[lang].match(line))]


def matches(expected: list[str], output: str) -> bool:
    """Line for line, `...` standing for any text within a line."""
    lines = output.strip("\n").splitlines()
    if len(lines) != len(expected):
        return False
    for shown, line in zip(expected, lines, strict=True):
        pattern = ".*?".join(map(re.escape, shown.split("...")))
        if not re.fullmatch(pattern, line):
            return False
    return True


@pytest.fixture(scope="module")
def live(workdir, model_dir, keys_file, api_key):
    """One worker polling the store often: a version `models add` writes serves at once."""
    env = {"SPECSERVE_MODEL_POLL_SECONDS": "0.2"}
    with LiveService(workdir, model_dir, keys_file, workers=1, env=env) as svc:
        yield svc


@pytest.fixture(scope="module")
def folder(tmp_path_factory, model_dir) -> Path:
    """The reader's checkout: `.venv` and `models/` (the service's store) as in the repo,
    the TypeScript SDK installed as a package."""
    here = tmp_path_factory.mktemp("readme")
    (here / ".venv").symlink_to(ROOT / ".venv")
    (here / "models").symlink_to(model_dir)
    (here / "node_modules" / "@types").mkdir(parents=True)
    (here / "node_modules" / "specserve-client").symlink_to(TS_SDK)
    (here / "node_modules" / "@types" / "node").symlink_to(NODE_MODULES / "@types" / "node")
    (here / "package.json").write_text('{"type": "module"}\n')
    return here


@pytest.fixture(scope="module")
def env(live, api_key) -> dict[str, str]:
    return {
        **os.environ,
        "SPECSERVE_BASE_URL": live.base_url,
        "SPECSERVE_API_KEY": api_key,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }


def run(command: list[str], folder: Path, env: dict[str, str]) -> str:
    out = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, f"{command}\nstdout:\n{out.stdout}\nstderr:\n{out.stderr}"
    return out.stdout


def wait_until_served(live: LiveService, api_key: str, timeout: float = 30) -> None:
    url = f"{live.base_url}/models/{MODEL}/openapi.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if httpx.get(url, headers={"X-API-Key": api_key}, timeout=5).status_code == 200:
            return
        time.sleep(0.1)
    raise AssertionError(f"{MODEL} did not serve within {timeout} s:\n{live.logs()[-3000:]}")


def run_shell(code: str, folder: Path, env: dict[str, str], live, api_key) -> None:
    steps = shell_steps(code)
    assert steps, "a shell block without a command"
    for step in steps:
        output = run(["bash", "-euo", "pipefail", "-c", step.command], folder, env)
        if step.expected:
            assert matches(step.expected, output), (
                f"{step.command}\nprinted:\n{output}\nthe README shows:\n"
                + "\n".join(step.expected)
            )
        if " models add " in step.command:
            wait_until_served(live, api_key)


def run_python(code: str, folder: Path, env: dict[str, str]) -> None:
    path = re.match(r"# PYTHONPATH=(\S+)\n", code)
    extra = {"PYTHONPATH": str(folder / path[1])} if path else {}
    output = run([sys.executable, "-c", code], folder, {**env, **extra})
    shown = printed(code, "python")
    assert matches(shown, output), f"{code}\nprinted:\n{output}\nthe README shows:\n{shown}"


def run_typescript(code: str, folder: Path, env: dict[str, str]) -> None:
    """Type-checked strictly against the built SDK's declarations, then run by Node."""
    requires("the TypeScript compiler (make node-deps)", TSC.exists())
    requires("the built TypeScript SDK (make sdk-deps)", (TS_SDK / "dist" / "index.js").exists())
    requires("Node.js", shutil.which("node") is not None)
    source = folder / "snippet.ts"
    source.write_text(code, encoding="utf-8")
    run([str(TSC), *TSC_STRICT, "--outDir", "out", source.name], folder, env)
    output = run([shutil.which("node") or "node", "out/snippet.js"], folder, env)
    shown = printed(code, "ts")
    assert matches(shown, output), f"{code}\nprinted:\n{output}\nthe README shows:\n{shown}"


def test_the_models_walkthrough_runs_as_written(folder, env, live, api_key):
    blocks = walkthrough()
    kinds = [lang for lang, _ in blocks]
    assert kinds.count("sh") >= 2 and "python" in kinds and "ts" in kinds, kinds
    for lang, code in blocks:
        if lang == "sh":
            run_shell(code, folder, env, live, api_key)
        elif lang == "python":
            run_python(code, folder, env)
        else:
            run_typescript(code, folder, env)
    metadata = json.loads((folder / "models" / MODEL / "1" / "metadata.json").read_text())
    assert metadata["layout"] == "frame"
    assert [i["name"] for i in metadata["inputs"]] == ["income", "debt", "age", "city"]
