"""Runs the schemathesis CLI against a live service and reads its event log.

One run covers every operation with every check, in every phase (examples, coverage,
fuzzing, stateful). The NDJSON event log gives each check's verdict on each test case; this
module folds them into per-operation and per-check counts for the tests and the report.
Credentials travel in the environment (schemathesis.toml reads them), never on the command
line, and are scrubbed from any output we keep.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

from tests.live import ROOT

BIN = Path(sys.executable).parent
CONFIG = Path(__file__).with_name("schemathesis.toml")
SPEC = ROOT / "openapi" / "openapi.yaml"  # the service's own API, at `/v1`
V2_SPEC = ROOT / "openapi" / "inference-v2.yaml"  # the Open Inference Protocol, at `/v2`
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
DEFAULT_EXAMPLES = 100
MAX_BODY_BYTES = 4 * 1024 * 1024  # the contract service's SPECSERVE_MAX_BODY_BYTES (its default)
RUN_LABEL = "(whole run)"
SECRET_PATTERNS = [
    re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*"),  # JWTs
    re.compile(r"ssk_[0-9a-f]{12}_[\w-]{43}"),  # API keys
]


@dataclass
class Credentials:
    api_key: str
    key_id: str
    bearer_token: str

    def env(self, base_url: str) -> dict[str, str]:
        return {
            "CONTRACT_BASE_URL": base_url,
            # the service's own API, which the hooks ask about its models whatever the spec
            "CONTRACT_V1_URL": spec_base_url(base_url, SPEC),
            "CONTRACT_API_KEY": self.api_key,
            "CONTRACT_KEY_ID": self.key_id,
            "CONTRACT_MAX_BODY_BYTES": str(MAX_BODY_BYTES),
            "CONTRACT_BEARER_TOKEN": self.bearer_token,
        }


@dataclass
class ContractRun:
    spec: Path
    exit_code: int
    seed: int
    examples: int
    duration: float
    output: str
    report: dict
    # operation label → check name → {"success": n, "failure": n, "skip": n}
    operations: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)
    links_total: int = 0  # the spec's links (schemathesis's "transitions")
    links_followed: set[str] = field(default_factory=set)  # explicit links the stateful phase used

    def checks(self) -> dict[str, dict[str, int]]:
        totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for per_check in self.operations.values():
            for check, counts in per_check.items():
                for status, n in counts.items():
                    totals[check][status] += n
        return {name: dict(counts) for name, counts in sorted(totals.items())}

    def failures_of(self, *, operation: str | None = None, check: str | None = None) -> list:
        return [
            f
            for f in self.failures
            if (operation is None or f["operation"] == operation)
            and (check is None or f["check"] == check)
        ]

    def summary(self) -> dict:
        """What the report keeps: counts per check and per operation, and each failure."""
        return {
            "spec": str(self.spec.relative_to(ROOT)),
            "exit_code": self.exit_code,
            "seed": self.seed,
            "max_examples": self.examples,
            "duration_s": round(self.duration, 2),
            "test_cases": self.report.get("test_cases", {}),
            "phases": {k: v["status"] for k, v in self.report.get("phases", {}).items()},
            "stateful_links": {"total": self.links_total, "followed": sorted(self.links_followed)},
            "checks": self.checks(),
            "operations": self.operations,
            "failures": self.failures,
        }


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    for pattern in SECRET_PATTERNS:
        text = pattern.sub("[redacted]", text)
    return text


def examples_from_env() -> int:
    return int(os.environ.get("CONTRACT_EXAMPLES") or DEFAULT_EXAMPLES)


def seed_from_env() -> int | None:
    value = os.environ.get("CONTRACT_SEED")
    return int(value) if value else None


def run_schemathesis(
    base_url: str,
    credentials: Credentials,
    workdir: Path,
    *,
    spec: Path = SPEC,
    examples: int | None = None,
    seed: int | None = None,
) -> ContractRun:
    """One run of `spec` against `base_url` (the URL its paths are relative to)."""
    examples = examples or examples_from_env()
    timeout = max(900, 6 * examples)  # a hung run fails instead of blocking the suite
    seed = seed if seed is not None else seed_from_env()
    events = workdir / "schemathesis-events.ndjson"
    report = workdir / "schemathesis-report.json"
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(CONFIG),
        "run",
        str(spec),
        "--url",
        base_url,
        "--max-examples",
        str(examples),
        "--report",
        "ndjson,json",
        "--report-ndjson-path",
        str(events),
        "--report-json-path",
        str(report),
        "--no-color",
        *(["--seed", str(seed)] if seed is not None else []),
    ]
    env = {
        **os.environ,
        **credentials.env(base_url),
        "PYTHONPATH": str(ROOT),
        "COLUMNS": "120",
    }
    started = time.monotonic()
    proc = subprocess.run(
        command, cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout
    )
    duration = time.monotonic() - started
    secrets = [credentials.api_key, credentials.bearer_token]
    output = redact(proc.stdout + proc.stderr, secrets)
    data = json.loads(report.read_text()) if report.exists() else {}
    run = ContractRun(
        spec=spec,
        exit_code=proc.returncode,
        seed=data.get("seed", seed),
        examples=examples,
        duration=duration,
        output=output,
        report=data,
    )
    if events.exists():
        _fold_events(run, events, secrets, spec_operations(spec))
    return run


def spec_base_url(service_url: str, spec: Path) -> str:
    """Where `spec` is mounted on the service at `service_url`: the service's origin and the
    path of the spec's own server URL (`/v1`, `/v2`)."""
    origin = urlsplit(service_url)
    mount = urlsplit(yaml.safe_load(spec.read_text())["servers"][0]["url"]).path
    return urlunsplit((origin.scheme, origin.netloc, mount.rstrip("/"), "", ""))


def spec_operations(spec: Path = SPEC) -> set[str]:
    """`METHOD /path` of every operation in the spec."""
    paths = yaml.safe_load(spec.read_text())["paths"]
    return {f"{m.upper()} {p}" for p, item in paths.items() for m in item if m in METHODS}


def _label(method: str, path: str, declared: set[str]) -> str:
    label = f"{method} {path}"
    # `unsupported_method` probes every path with methods the spec does not declare
    return label if label in declared else f"{path} (methods outside the spec)"


def _fold_events(run: ContractRun, events: Path, secrets: list[str], declared: set[str]) -> None:
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    seen_failures: set[tuple[str, str, str]] = set()
    with events.open() as stream:
        for line in stream:
            event = json.loads(line)
            if "ScenarioFinished" in event:
                _fold_scenario(
                    event["ScenarioFinished"], counts, run, seen_failures, secrets, declared
                )
            elif "EngineFinished" in event:
                _fold_run_failures(event["EngineFinished"], run, secrets)
            elif "LoadingFinished" in event:
                transitions = event["LoadingFinished"].get("statistic", {}).get("transitions", {})
                run.links_total = int(transitions.get("total", 0))
    run.operations = {
        op: {check: dict(c) for check, c in sorted(per.items())}
        for op, per in sorted(counts.items())
    }


def _fold_scenario(scenario, counts, run, seen_failures, secrets, declared) -> None:
    recorder = scenario.get("recorder") or {}
    cases = recorder.get("cases") or {}
    for entry in cases.values():
        transition = entry.get("transition")
        if transition and not transition.get("is_inferred") and entry.get("is_transition_applied"):
            run.links_followed.add(transition["id"])
    for case_id, checks in (recorder.get("checks") or {}).items():
        case = (cases.get(case_id) or {}).get("value") or {}
        operation = _label(case.get("method", "?"), case.get("path", "?"), declared)
        for check in checks:
            counts[operation][check["name"]][check["status"]] += 1
            if check["status"] == "failure":
                interaction = (recorder.get("interactions") or {}).get(case_id) or {}
                kind, message = _failure_message(check, interaction)
                key = (operation, check["name"], kind)  # one entry per kind of failure
                if key not in seen_failures:
                    seen_failures.add(key)
                    run.failures.append(
                        {
                            "operation": operation,
                            "check": check["name"],
                            "phase": scenario.get("phase", "?"),
                            "message": redact(message, secrets)[:2000],
                        }
                    )


def _failure_message(check: dict, interaction: dict) -> tuple[str, str]:
    """(what failed, the same with the first request that showed it)."""
    failure = (check.get("failure_info") or {}).get("failure") or {}
    request = interaction.get("request") or {}
    status = (interaction.get("response") or {}).get("status_code", "no response")
    sent = f"{request.get('method', '?')} {request.get('uri', '?')} -> {status}" if request else ""
    kind = "\n".join(p for p in (failure.get("title"), failure.get("message")) if p)
    return kind, "\n".join(p for p in (kind, sent) if p)


def _fold_run_failures(engine: dict, run: ContractRun, secrets: list[str]) -> None:
    """Failures of whole-run checks (`after_run`, e.g. `every_operation_succeeds`)."""
    for failure in engine.get("failures") or []:
        name = re.search(r"`(\w+)`", failure.get("title", ""))
        run.failures.append(
            {
                "operation": failure.get("operation") or RUN_LABEL,
                "check": name[1] if name else failure.get("type", "?"),
                "phase": "after run",
                "message": redact(failure.get("message", ""), secrets)[:2000],
            }
        )
