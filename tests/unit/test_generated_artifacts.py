"""What `make generate` committed: headers on every file, a usable Postman collection."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from scripts.postprocess_generated import header_line

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "openapi" / "openapi.yaml").read_text())


def tracked(*dirs: str) -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", *dirs],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [ROOT / line for line in out.stdout.splitlines()]


# each contract's reference page (/v1/docs, /v2/docs) and the contract it is made from
PAGES = {"api.html": "openapi/openapi.yaml", "inference-v2.html": "openapi/inference-v2.yaml"}
HAND_WRITTEN = re.compile(r"\A(?:#|//|<!--) hand-written: copied from (sdk-templates/\S+) by")


@pytest.mark.slow  # runs `git ls-files`
def test_every_generated_file_says_so_where_its_format_allows():
    files = tracked("generated")
    assert len(files) > 50
    for path in files:
        line = header_line(path, "openapi/openapi.yaml")
        if line is None:
            assert path.suffix == ".json", f"{path} has no header rule"
            continue
        text = path.read_text()
        copied = HAND_WRITTEN.match(text)
        if copied:  # hand-written SDK code says so, and where to edit it
            assert (ROOT / copied.group(1)).is_file(), f"{path}: no source {copied.group(1)}"
            continue
        assert text.startswith(line), f"{path} lacks the generated header"
    for page, spec in PAGES.items():
        html = (ROOT / "docs" / page).read_text()
        assert f"generated from {spec} by `make generate` — do not edit" in html[:200], page


@pytest.mark.parametrize("page", PAGES)
def test_docs_page_names_no_remote_resource_it_would_load(page):
    html = (ROOT / "docs" / page).read_text()
    for remote in ("cdn.redoc.ly", "cdn.redocly.com", 'href="https://redocly.com/redoc/"'):
        assert remote not in html


def test_postman_collection_declares_its_variables_and_asserts_every_request():
    collection = json.loads((ROOT / "docs" / "postman-collection.json").read_text())
    auth = collection["auth"]
    assert auth["type"] == "bearer"
    assert auth["bearer"] == [{"key": "token", "value": "{{bearerToken}}", "type": "string"}]
    assert {"key": "value", "value": "{{apiKey}}", "type": "string"} in auth["apikey"]
    declared = {v["key"] for v in collection["variable"]}
    used = set(re.findall(r"{{(\w+)}}", json.dumps(collection)))
    assert used <= declared, f"undeclared variables: {used - declared}"
    assert [e["listen"] for e in collection["event"]] == ["prerequest"]
    requests = {item["name"]: item for folder in collection["item"] for item in folder["item"]}
    public = {
        op["summary"]
        for item in SPEC["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and op.get("security") == []
    }
    assert public == {"API reference"}  # `/health` takes credentials optionally (`- {}`)
    for name, item in requests.items():
        request = item["request"]
        if name in public:
            assert request["auth"] == {"type": "noauth"}, name
        elif name != "Issue an access token":
            assert "auth" not in request, f"{name} should inherit the collection's auth"
        test = "\n".join(item["event"][0]["script"]["exec"])
        assert "pm.response.to.have.status(" in test, name
    token = requests["Issue an access token"]
    assert token["request"]["auth"]["type"] == "apikey"
    assert "collectionVariables.set('bearerToken'" in "\n".join(token["event"][0]["script"]["exec"])
    assert len(requests) == sum(
        1 for item in SPEC["paths"].values() for op in item.values() if isinstance(op, dict)
    )
