"""Start-up with a contract the source tree does not fulfil: gunicorn stops before any worker
with one line naming what to define, exit status 2 (no traceback)."""

from __future__ import annotations

import shutil

import pytest
import yaml

from tests.procs import BIN, ROOT, clean_env, run
from tests.spec_changes import with_invoices

pytestmark = pytest.mark.slow


def source_tree(tmp_path, edit):
    """A copy of the service's source with `edit` applied to its contract; it comes first on
    the import path, so the master and its check read this tree."""
    tree = tmp_path / "tree"
    skip = shutil.ignore_patterns("__pycache__", "python-client", "typescript-client")
    for name in ("specserve", "handlers", "openapi", "generated"):
        shutil.copytree(ROOT / name, tree / name, ignore=skip)
    shutil.copy(ROOT / "gunicorn.conf.py", tree)
    spec = tree / "openapi" / "openapi.yaml"
    raw = yaml.safe_load(spec.read_text(encoding="utf-8"))
    edit(raw)
    spec.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return tree


def drop_metrics_scope(raw):
    metrics = raw["paths"]["/metrics"]["get"]
    metrics["security"] = [r for r in metrics["security"] if "OAuth2" not in r]


@pytest.mark.parametrize(
    ("edit", "line"),
    [
        (
            with_invoices,
            "specserve: operation getInvoices (GET /v1/invoices): no module handlers.invoices: "
            "define `async def get_invoices(...)` in handlers/invoices.py",
        ),
        (
            drop_metrics_scope,
            "specserve: operation getMetrics (GET /v1/metrics): no `OAuth2: [scope]` "
            "alternative, so any valid key may call it; name the scope it needs "
            "(or `x-any-scope: <why>`)",
        ),
    ],
)
def test_serving_a_contract_the_tree_does_not_fulfil_stops_with_one_line(tmp_path, edit, line):
    tree = source_tree(tmp_path, edit)
    env = {**clean_env(tmp_path, port="0"), "PYTHONPATH": str(tree)}
    done = run([str(BIN / "gunicorn"), "-c", str(tree / "gunicorn.conf.py")], env, cwd=tree)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [line]


def test_make_help_lists_every_documented_target():
    done = run(["make", "--no-print-directory", "help"], clean_env(ROOT))
    listed = {ln.split()[0] for ln in done.stdout.splitlines() if ln.strip()}
    makefiles = [ROOT / "Makefile", *sorted((ROOT / "mk").glob("*.mk"))]
    documented = {
        ln.split(":")[0]
        for path in makefiles
        for ln in path.read_text(encoding="utf-8").splitlines()
        if "## " in ln and ln[:1].isalpha() and ":" in ln.split("##")[0]
    }
    assert {"serve", "test", "generate", "help", "handler-stubs"} <= listed
    assert listed == documented
