"""The README's Open Inference Protocol section, every block as written and in order,
against a live service: the curl lines (JSON, both input forms, an error) and the
`tritonclient.http` example (binary tensors). The README's address, `make serve`'s
127.0.0.1:8000, becomes the live service's; every output it shows in a comment is what the
command printed (`...` stands for what is left out)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.integration.test_readme_models import FENCE, README, matches, printed, run, shell_steps
from tests.live import LiveService

SECTION = ("## Open Inference Protocol (V2)", "## Authentication, scopes, rate limits")
ADDRESS = "127.0.0.1:8000"  # `make serve`'s, as the README writes it


def section() -> list[tuple[str, str]]:
    """(language, code) of every fenced block of the section, in order."""
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTION[0])
    return FENCE.findall(text[start : text.index(SECTION[1], start)])


@pytest.fixture(scope="module")
def live(workdir, model_dir, keys_file, api_key):
    with LiveService(workdir, model_dir, keys_file, workers=1) as svc:
        yield svc


@pytest.fixture(scope="module")
def address(live) -> str:
    return urlparse(live.base_url).netloc


@pytest.fixture(scope="module")
def env(live, address, api_key) -> dict[str, str]:
    return {
        **os.environ,
        "SPECSERVE_BASE_URL": live.base_url,
        "SPECSERVE_V2_URL": f"http://{address}/v2",
        "SPECSERVE_API_KEY": api_key,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }


def test_the_section_shows_curl_and_tritonclient():
    blocks = section()
    assert [lang for lang, _ in blocks].count("sh") >= 3, blocks
    python = [code for lang, code in blocks if lang == "python"]
    assert len(python) == 1 and "from tritonclient.http import" in python[0]
    assert 'headers={"X-API-Key"' not in python[0] and "headers=headers" in python[0]
    assert "/v2/docs" in README.read_text(encoding="utf-8")


def test_the_section_runs_as_written(env, address, tmp_path):
    for lang, code in section():
        code = code.replace(ADDRESS, address)
        if lang == "python":
            output = run([sys.executable, "-c", code], tmp_path, env)
            shown = printed(code, "python")
            assert matches(shown, output), f"{code}\nprinted:\n{output}\nthe README shows:\n{shown}"
            continue
        for step in shell_steps(code):
            output = run(["bash", "-euo", "pipefail", "-c", step.command], tmp_path, env)
            assert matches(step.expected, output), (
                f"{step.command}\nprinted:\n{output}\nthe README shows:\n"
                + "\n".join(step.expected)
            )
