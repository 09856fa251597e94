"""pytest plugin: writes reports/api_test_results.json and reports/integration_report.md.

Per suite (the folder under tests/: unit, integration, contract, ...) it counts passed,
failed and skipped tests and sums their durations; the contract tests hand over their
schemathesis summaries (per check and per operation) with `record_schemathesis`. Both files
are written at the end of every run from what the run itself observed.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from tests.live import ROOT

REPORT_DIR = ROOT / "reports"
_suites: dict[str, dict[str, float]] = defaultdict(
    lambda: {"passed": 0, "failed": 0, "skipped": 0, "duration_s": 0.0}
)
_failed_tests: list[str] = []
_schemathesis: dict[str, dict] = {}
_started = [time.time()]


def record_schemathesis(name: str, summary: dict) -> None:
    _schemathesis[name] = summary


def _suite_of(nodeid: str) -> str:
    parts = Path(nodeid.split("::", 1)[0]).parts
    return parts[1] if len(parts) > 2 and parts[0] == "tests" else "other"


def pytest_sessionstart(session) -> None:
    _started[0] = time.time()


def pytest_runtest_logreport(report) -> None:
    suite = _suites[_suite_of(report.nodeid)]
    suite["duration_s"] += report.duration
    if report.when == "call" or (report.when == "setup" and not report.passed):
        outcome = "skipped" if report.skipped else ("passed" if report.passed else "failed")
        suite[outcome] += 1
        if outcome == "failed":
            _failed_tests.append(report.nodeid)
    elif report.when == "teardown" and report.failed:
        suite["failed"] += 1
        _failed_tests.append(report.nodeid + " (teardown)")


def pytest_sessionfinish(session, exitstatus) -> None:
    if not _suites:
        return
    results = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_s": round(time.time() - _started[0], 2),
        "exit_status": int(exitstatus),
        "suites": {
            name: {**counts, "duration_s": round(counts["duration_s"], 2)}
            for name, counts in sorted(_suites.items())
        },
        "failed_tests": _failed_tests,
        "schemathesis": _schemathesis,
    }
    REPORT_DIR.mkdir(exist_ok=True)
    (REPORT_DIR / "api_test_results.json").write_text(json.dumps(results, indent=2) + "\n")
    (REPORT_DIR / "integration_report.md").write_text(markdown(results))


def markdown(results: dict) -> str:
    total_failed = sum(s["failed"] for s in results["suites"].values())
    lines = [
        "# specserve test report",
        "",
        f"Generated {results['generated_at']} in {results['duration_s']} s; "
        f"{'all green' if total_failed == 0 else f'{total_failed} failed'}.",
        "",
        "| Suite | Passed | Failed | Skipped | Duration (s) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, s in results["suites"].items():
        lines.append(
            f"| {name} | {s['passed']} | {s['failed']} | {s['skipped']} | {s['duration_s']} |"
        )
    if results["failed_tests"]:
        lines += ["", "Failed tests:", ""] + [f"- `{t}`" for t in results["failed_tests"]]
    for name, run in results["schemathesis"].items():
        lines += _schemathesis_markdown(name, run)
    return "\n".join(lines) + "\n"


def _schemathesis_markdown(name: str, run: dict) -> list[str]:
    cases = run.get("test_cases", {})
    links = run.get("stateful_links", {})
    lines = [
        "",
        f"## Schemathesis: {name}",
        "",
        f"Seed {run['seed']}, up to {run['max_examples']} examples per operation, "
        f"{cases.get('generated', '?')} test cases in {run['duration_s']} s, "
        f"exit code {run['exit_code']}, {len(run['failures'])} distinct failures.",
        f"Phases: {', '.join(f'{k} {v}' for k, v in run['phases'].items())}. "
        f"Stateful: {len(links.get('followed', []))} of {links.get('total', 0)} spec links "
        "followed.",
        "",
        "| Check | Passed | Failed | Skipped |",
        "|---|---:|---:|---:|",
    ]
    for check, c in run["checks"].items():
        lines.append(
            f"| {check} | {c.get('success', 0)} | {c.get('failure', 0)} | {c.get('skip', 0)} |"
        )
    lines += ["", "| Operation | Test cases | Failed checks |", "|---|---:|---:|"]
    for op, checks in run["operations"].items():
        cases_seen = max((sum(c.values()) for c in checks.values()), default=0)
        failed = sum(c.get("failure", 0) for c in checks.values())
        lines.append(f"| `{op}` | {cases_seen} | {failed} |")
    if run["failures"]:
        lines += ["", "### Failures", ""]
        for f in run["failures"][:50]:
            first = f["message"].splitlines()[0] if f["message"] else ""
            lines.append(f"- `{f['operation']}` · {f['check']} ({f['phase']}): {first}")
    return lines
