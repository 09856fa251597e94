"""`make evidence` (scripts/evidence.py): every file the seed's evidence package lists is
there, a copy of the real file MANIFEST.md names; a missing report stops it with one line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.reporting import markdown

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed" / "protocol-21.md"
SEED_TREE = [
    "api/main.py", "api/auth.py", "api/rate_limiting.py", "api/documentation.py",
    "specs/api-spec.yaml", "specs/postman-collection.json",
    "client-sdk/python/ml_api_client.py", "client-sdk/python/setup.py",
    "client-sdk/python/README.md", "client-sdk/typescript/src/client.ts",
    "client-sdk/typescript/package.json", "client-sdk/typescript/README.md",
    "docs/api-documentation.html", "docs/authentication-guide.md",
    "docs/integration-examples.md", "reports/api_test_results.json",
    "reports/integration_report.md",
]  # fmt: skip


def seed_tree() -> list[str]:
    """The files the seed's "Evidence Package Structure" names (its tree, parsed), when the
    seed document is at hand; else the list above, copied from it."""
    if not SEED.exists():
        return SEED_TREE
    block = SEED.read_text().split("### Evidence Package Structure", 1)[1].split("```")[1]
    files, stack = [], []
    for line in block.splitlines()[2:]:
        match = re.match(r"^([│ ]*)[├└]── (.+)$", line)
        if not match:
            continue
        depth, name = len(match[1]) // 4, match[2].strip()
        stack[depth:] = [name.rstrip("/")]
        if not name.endswith("/"):
            files.append("/".join(stack))
    return files


def evidence(out: Path, reports: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "scripts/evidence.py", "--out", str(out), "--reports", str(reports)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_every_seed_file_is_there_as_a_copy_of_its_real_file(tmp_path):
    assert sorted(seed_tree()) == sorted(SEED_TREE)
    reports = tmp_path / "reports"
    reports.mkdir()
    results = {"generated_at": "now", "duration_s": 1, "exit_status": 0, "suites": {},
               "failed_tests": [], "schemathesis": {}}  # fmt: skip
    (reports / "api_test_results.json").write_text(json.dumps(results))
    (reports / "integration_report.md").write_text(markdown(results))
    out = tmp_path / "evidence"
    done = evidence(out, reports)
    assert done.returncode == 0, done.stderr
    manifest = (out / "MANIFEST.md").read_text()
    for seed in SEED_TREE:
        assert (out / seed).is_file(), seed
        row = re.search(rf"\| `{re.escape(seed)}` \| `([^`]+)` \|", manifest)
        assert row, f"MANIFEST.md does not map {seed}"
        real = Path(row[1]) if Path(row[1]).is_absolute() else ROOT / row[1]
        assert (out / seed).read_bytes() == real.read_bytes(), seed


def test_a_missing_report_stops_with_one_line(tmp_path):
    done = evidence(tmp_path / "evidence", tmp_path / "no-reports")
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "run `make test` first" in done.stderr
