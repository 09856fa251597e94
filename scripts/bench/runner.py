"""What `make bench` runs, in what order, and the figures it derives.

Every configuration is a real gunicorn started with `gunicorn.conf.py` (API keys, validation,
metrics, access log on; response validation off, as in production) on a free loopback port.
All of them are up for the whole run, and each round measures every scenario once, the
configurations in a rotated order, so drift over the run shows up as spread between rounds
rather than as a difference between configurations. Each measured wrk run is preceded by a
warm-up run of the same scenario; ratios are taken within a round (paired), then the median.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import ModuleType

from scripts.bench import inference, predlog, profile, reference, report, rollout, typed
from scripts.bench.load import run_wrk, wrk_version
from scripts.bench.redis_server import RedisServer
from scripts.bench.service import ROOT, Server, bench_redis_url

BATCH_ROWS = 100
NAMED_CONNS = (1, 32)  # connections at which the named form and V2 are measured (full mode)
PREDLOG_CONNS = (8, 32)  # connections at which the prediction log is measured (full mode)
# where wrk sends each kind of body (under /v1 unless absolute: `Server.url`)
ENDPOINT_PATHS = {"batch": "/batch_predict", "v2-infer": inference.V2_WRK_PATH}
WRK_MISSING = "wrk is not installed: `apt-get install -y wrk` (Debian/Ubuntu) or see wrk's README"


@dataclass
class Config:
    name: str
    env: dict[str, str] = field(default_factory=dict)
    app: str | None = None
    role: str = "product"  # product | floor | variant | reference
    note: str = ""
    prediction_log: bool = False  # the file sink in the run's work directory, every request


@dataclass
class Plan:
    configs: list[Config]
    scenarios: dict[str, list[tuple[str, int]]]  # config name -> [(endpoint, connections)]
    duration: int
    warmup: int
    rounds: int
    inprocess_calls: int


def product(flavour: str, batching: bool) -> Config:
    return Config(
        f"{flavour}/batching-{'on' if batching else 'off'}",
        {"SPECSERVE_MICROBATCH": str(batching).lower()},
    )


def make_plan(args: argparse.Namespace) -> Plan:
    if args.quick:
        default = report.default_config()
        flavour, batching = default.split("/batching-")
        configs = [
            product(flavour, batching == "on"),
            Config("floor/bare", app="scripts.bench.floor:bare_app()", role="floor"),
            predlog_config(default),
        ]
        scenarios = {
            default: [
                ("predict", 1),
                ("predict", 8),
                ("predict-named", 8),
                ("v2-infer", 8),
                ("batch", 8),
            ],
            "floor/bare": [("predict", 8)],
            f"{default}/prediction-log": [("predict", 8)],
        }
        return _with_reference(Plan(configs, scenarios, 1, 0, 1, 50), [("predict", 8)])
    conns = [1, 8, 32, 64]
    configs = [product("async", b) for b in (True, False)]
    configs += [
        Config(
            "floor/stack",
            {"SPECSERVE_MICROBATCH": "false"},
            "scripts.bench.floor:stack_app()",
            "floor",
            "full product stack, constant answer instead of the model",
        ),
        Config(
            "floor/bare",
            app="scripts.bench.floor:bare_app()",
            role="floor",
            note="gunicorn + uvicorn + Connexion AsyncApp, 1-route fixture spec, no auth",
        ),
        Config(
            "async/batching-off/no-access-log",
            {"SPECSERVE_MICROBATCH": "false", "SPECSERVE_LOG_LEVEL": "WARNING"},
            role="variant",
            note="access log off (log level WARNING)",
        ),
        Config(
            "async/batching-off/connexion-validator",
            {"SPECSERVE_MICROBATCH": "false"},
            "scripts.bench.floor:default_validator_app()",
            "variant",
            "Connexion's per-request Draft4 body validator instead of the compiled one",
        ),
        Config(
            "async/batching-on/wait-1ms",
            {"SPECSERVE_MICROBATCH": "true", "SPECSERVE_MICROBATCH_MAX_WAIT_MS": "1"},
            role="variant",
            note="micro-batching with SPECSERVE_MICROBATCH_MAX_WAIT_MS=1",
        ),
    ]
    scenarios: dict[str, list[tuple[str, int]]] = {}
    for c in configs:
        if c.role == "product":
            scenarios[c.name] = [("predict", n) for n in conns] + [("batch", 8)]
        elif c.role == "floor":
            scenarios[c.name] = [("predict", n) for n in conns]
    # the named form of the same rows (`{"transaction_amount": ...}`), default configuration
    scenarios[report.default_config()] += [("predict-named", n) for n in NAMED_CONNS]
    # the same rows as one-row Open Inference Protocol infers (`/v2`, one [1, 3] FP32 tensor)
    scenarios[report.default_config()] += [("v2-infer", n) for n in NAMED_CONNS]
    scenarios["async/batching-off/no-access-log"] = [("predict", 32)]
    scenarios["async/batching-off/connexion-validator"] = [("predict", 32), ("batch", 8)]
    scenarios["async/batching-on/wait-1ms"] = [("predict", 32), ("predict", 64)]
    default = report.default_config()
    configs.append(
        Config(
            f"{default}/no-rate-limit",
            {**_product_env(default), "SPECSERVE_RATE_LIMIT_ENABLED": "false"},
            role="variant",
            note="rate limiting off: the limiter's share, by difference",
        )
    )
    scenarios[f"{default}/no-rate-limit"] = [("predict", 32), ("predict", 64), ("batch", 8)]
    configs.append(predlog_config(default))
    scenarios[f"{default}/prediction-log"] = [("predict", n) for n in PREDLOG_CONNS]
    plan = Plan(configs, scenarios, args.duration, args.warmup, args.rounds, 2000)
    return _with_reference(_only(plan, args.only), [("predict", 32), ("predict", 64), ("batch", 8)])


def _only(plan: Plan, names: str | None) -> Plan:
    """`--only a,b`: just those configurations (a head-to-head or one change, in minutes).
    An in-process part's name alone (`--only typed`, `v2`, `predlog`, `rollout`) is
    `part_only`: no service, no wrk."""
    if not names:
        return plan
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = sorted(set(wanted) - {c.name for c in plan.configs})
    if unknown:
        known = ", ".join(c.name for c in plan.configs)
        raise SystemExit(f"--only: unknown configuration {', '.join(unknown)} (known: {known})")
    plan.configs = [c for c in plan.configs if c.name in wanted]
    plan.scenarios = {k: v for k, v in plan.scenarios.items() if k in wanted}
    return plan


def predlog_config(default: str) -> Config:
    return Config(
        f"{default}/prediction-log",
        _product_env(default),
        role="variant",
        note="prediction log on: the file sink (SPECSERVE_PREDICTION_LOG=file:<dir>), "
        "every request",
        prediction_log=True,
    )


def _product_env(name: str) -> dict[str, str]:
    flavour, batching = name.split("/batching-")
    return product(flavour, batching == "on").env


def _with_reference(plan: Plan, scenarios: list[tuple[str, int]]) -> Plan:
    """The head-to-head: BENCH_REF_CMD / BENCH_REF_URL load a reference service alike."""
    if reference.configured():
        note = f"`{os.environ['BENCH_REF_CMD']}` at {os.environ['BENCH_REF_URL']}"
        plan.configs.append(Config(reference.NAME, role="reference", note=note))
        plan.scenarios[reference.NAME] = scenarios
    return plan


def write_bodies(workdir: Path, names: list[str]) -> dict[str, Path]:
    """wrk's bodies; `predict-named` holds the rows of `predict`, keyed by `names`;
    `v2-infer` the same rows as one-row V2 infers."""
    predict = workdir / "predict.jsonl"
    named = workdir / "predict-named.jsonl"
    v2 = workdir / "v2-infer.jsonl"
    batch = workdir / "batch.jsonl"
    rows = [[round(20.0 + 97.3 * i, 2), i % 6, round((i * 37 % 100) / 100, 2)] for i in range(64)]
    predict.write_text("".join(json.dumps({"features": r}) + "\n" for r in rows))
    named.write_text(
        "".join(json.dumps({"features": dict(zip(names, r, strict=True))}) + "\n" for r in rows)
    )
    v2.write_text("".join(inference.infer_body([r]).decode() + "\n" for r in rows))
    batch.write_text(
        "".join(
            json.dumps({"requests": [{"features": rows[(j + k) % 64]} for k in range(BATCH_ROWS)]})
            + "\n"
            for j in range(8)
        )
    )
    return {"predict": predict, "predict-named": named, "v2-infer": v2, "batch": batch}


def input_names(model_dir: Path) -> list[str]:
    """The default model's input names, as its serving version publishes them."""
    from specserve.serving.registry import Registry

    registry = Registry(model_dir, "fraud-detector")
    registry.load()
    return [str(n) for n in registry.ready_model().describe()["feature_names"]]


def machine() -> dict:
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    versions = {}
    for dist in (
        "connexion",
        "starlette",
        "uvicorn",
        "gunicorn",
        "uvloop",
        "httptools",
        "scikit-learn",
        "numpy",
        "orjson",
        "jsonschema-rs",
        "prometheus-client",
    ):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "wrk": wrk_version() if shutil.which("wrk") else None,
        "versions": versions,
        "loadavg_start": os.getloadavg(),
    }


def inprocess(model_dir: Path, workdir: Path, calls: int, module: str = "inprocess") -> dict:
    """`scripts.bench.<module> MODEL_DIR CALLS` in a fresh interpreter, metrics written to
    their multiprocess files as under gunicorn; its last line of output, as JSON."""
    prom = workdir / f"prom-{module}"
    prom.mkdir(exist_ok=True)
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(prom)}
    out = subprocess.run(
        [sys.executable, "-m", f"scripts.bench.{module}", str(model_dir), str(calls)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def scrape(server: Server, api_key: str) -> dict:
    """Batch-size figures and the thread-pool check of a live configuration."""
    out: dict = {}
    try:
        with urllib.request.urlopen(f"{server.base_url}/health", timeout=5) as r:
            out["threads_check"] = json.loads(r.read()).get("checks", {}).get("threads")
    except OSError:  # the bare floor has neither /health nor /metrics
        return out
    req = urllib.request.Request(f"{server.base_url}/metrics", headers={"X-API-Key": api_key})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            text = r.read().decode()
    except OSError:
        return out
    total = {"sum": 0.0, "count": 0.0}
    for line in text.splitlines():
        for part in total:
            if line.startswith(f"specserve_microbatch_size_rows_{part}{{"):
                total[part] += float(line.rsplit(" ", 1)[1])
    if total["count"]:
        out["microbatch_calls"] = total["count"]
        out["microbatch_mean_rows"] = round(total["sum"] / total["count"], 2)
    return out


def own_redis() -> RedisServer | None:
    """The production configuration keeps limits in Redis: the bench starts a redis-server of
    its own, so its CPU per request is counted. Without the binary: a Redis that answers
    (its CPU not counted), else the in-process store (one worker)."""
    try:
        return RedisServer().start()
    except RuntimeError as exc:
        print(f"{exc}; redis-server CPU is not counted in this run", file=sys.stderr)
        return None


def build_servers(plan: Plan, workdir: Path, base_env: dict) -> dict:
    servers = {}
    for c in plan.configs:
        if c.role == "reference":
            cmd, url = reference.configured()
            servers[c.name] = reference.ReferenceServer(cmd, url, workdir / "reference.log")
        else:
            env = {**base_env, **c.env}
            if c.prediction_log:  # removed with the work directory at the end of the run
                predictions = workdir / f"predictions-{c.name.replace('/', '-')}"
                env["SPECSERVE_PREDICTION_LOG"] = f"file:{predictions}"
            servers[c.name] = Server(c.name, workdir, env, c.app)
    return servers


def store_info(redis: RedisServer | None) -> str:
    if redis is not None:
        return "redis (its own redis-server; its CPU counted)"
    return "redis (shared; its CPU not counted)" if bench_redis_url() else "in-process (one worker)"


def run(args: argparse.Namespace) -> dict:
    plan = make_plan(args)
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="specserve-bench-"))
    redis = own_redis()
    try:
        from specserve.auth.filestore import FileKeyStore

        api_key = FileKeyStore(workdir / "api_keys.json").create("bench")[1]
        bodies = write_bodies(workdir, input_names(Path(args.model_dir)))
        info = machine()
        info["rate_limit_store"] = store_info(redis)
        refs = inprocess(args.model_dir, workdir, plan.inprocess_calls)
        typed_refs = inprocess(args.model_dir, workdir, plan.inprocess_calls, "typed")
        v2_refs = inprocess(args.model_dir, workdir, plan.inprocess_calls, "inference")
        predlog_refs = inprocess(args.model_dir, workdir, plan.inprocess_calls, "predlog")
        rollout_refs = inprocess(args.model_dir, workdir, plan.inprocess_calls, "rollout")
        base_env = {
            "SPECSERVE_MODEL_DIR": str(Path(args.model_dir).resolve()),
            "SPECSERVE_KEYS_FILE": str(workdir / "api_keys.json"),
            "SPECSERVE_VALIDATE_RESPONSES": "false",
        }
        if redis is not None:
            base_env["SPECSERVE_REDIS_URL"] = redis.url
        servers = build_servers(plan, workdir, base_env)
        ctx = Context(plan, bodies, api_key, started, redis.cpu_seconds if redis else None)
        runs, scraped, processes, profiled = [], {}, {}, None
        try:
            for server in servers.values():
                server.start()
                processes[server.name] = {"ready_s": server.ready_seconds}
                processes[server.name]["rss_mb_idle"] = server.rss_mb()
            for rnd in range(plan.rounds):
                shift = rnd % len(plan.configs)
                for config in plan.configs[shift:] + plan.configs[:shift]:
                    for endpoint, conns in plan.scenarios.get(config.name, []):
                        runs.append(
                            measure(servers[config.name], config, endpoint, conns, rnd, ctx)
                        )
                        _progress(runs[-1])
            for name, server in servers.items():
                processes[name]["rss_mb_loaded"] = server.rss_mb()
            scraped = {name: scrape(s, api_key) for name, s in servers.items()}
            if args.profile and report.default_config() in servers:
                default = servers[report.default_config()]
                profiled = profile.under_load(default, ctx, args.profile, args.out)
            elif args.profile:
                print("--profile: the default configuration is not in --only", file=sys.stderr)
        except Exception:
            for s in servers.values():
                print(f"--- {s.name} log tail ---\n{s.tail()}", file=sys.stderr)
            raise
        finally:
            for server in servers.values():
                server.stop()
    finally:
        if redis is not None:
            redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    info["loadavg_end"] = os.getloadavg()
    return report.summarise(
        {
            "generated": datetime.now(UTC).isoformat(timespec="seconds"),
            "mode": "quick" if args.quick else "full",
            "machine": info,
            "plan": {
                "duration_s": plan.duration,
                "warmup_s": plan.warmup,
                "rounds": plan.rounds,
                "batch_rows": BATCH_ROWS,
                "configs": [c.__dict__ for c in plan.configs],
                "wall_seconds": round(time.monotonic() - started, 1),
            },
            "inprocess_us": refs,
            "typed": typed_refs,
            "v2": v2_refs,
            "predlog": predlog_refs,
            "rollout": rollout_refs,
            "server_state": scraped,
            "processes": processes,
            "profile": profiled,
            "runs": runs,
        }
    )


@dataclass
class Context:
    plan: Plan
    bodies: dict[str, Path]
    api_key: str
    started: float
    store_cpu: object = None  # () -> CPU seconds of the bench's redis-server


def measure(server, config, endpoint, conns, rnd, ctx: Context) -> dict:
    path = ENDPOINT_PATHS.get(endpoint, "/predict")
    body, plan = ctx.bodies[endpoint], ctx.plan
    key, store = ctx.api_key, ctx.store_cpu
    if config.role == "reference":
        key, store = os.environ.get("BENCH_REF_API_KEY", key), None
    if plan.warmup:
        run_wrk(server, path, body, conns, plan.warmup, key, sample_split=False)
    result = run_wrk(server, path, body, conns, plan.duration, key, store_cpu=store)
    rows = BATCH_ROWS if endpoint == "batch" else 1
    return {
        "config": config.name,
        "endpoint": endpoint,
        "connections": conns,
        "round": rnd,
        "at_s": round(time.monotonic() - ctx.started, 1),
        "rows_per_s": result["rps"] * rows,
        **result,
    }


def _progress(run: dict) -> None:
    print(
        f"[{run['at_s']:7.1f}s] r{run['round']} {run['config']:<40} {run['endpoint']:<7} "
        f"c={run['connections']:<3} {run['rps']:8.0f} req/s  p99 {run['p99_ms']:7.2f} ms  "
        f"cpu {run['server_cpu_ms_per_req']:.3f} (all-in {run['allin_cpu_ms_per_req']:.3f}) "
        f"ms/req  err {run['errors']}",
        flush=True,
    )


def ensure_model(model_dir: Path) -> None:
    if not (model_dir / "fraud-detector").is_dir():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "train_default_model.py"),
                "--model-dir",
                str(model_dir),
            ],
            check=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="seconds-long smoke of the tooling")
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    parser.add_argument(
        "--model-dir", type=Path, default=Path(os.environ.get("SPECSERVE_MODEL_DIR", "models"))
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=4, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of warm-up per run")
    parser.add_argument(
        "--only",
        metavar="NAMES",
        help="comma-separated configurations to run (default: all); the reference service "
        "(BENCH_REF_CMD) is added whenever it is configured. `--only typed`: only the named, "
        "typed features part, `--only v2`: only the Open Inference Protocol part, "
        "`--only predlog`: only the prediction log's cost, `--only rollout`: only a shadow "
        "version's cost, each in process, no wrk (writes bench_<part>.{json,md})",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="SECONDS",
        help="after the rounds, sample one worker of the default configuration with py-spy "
        "for SECONDS under wrk at 32 connections; top frames go into the report",
    )
    args = parser.parse_args(argv)
    parts = {
        typed.ONLY: (typed, "typed"),
        inference.ONLY: (inference, "v2"),
        predlog.ONLY: (predlog, "predlog"),
        rollout.ONLY: (rollout, "rollout"),
    }
    if args.only and args.only.strip() in parts:
        return part_only(args, *parts[args.only.strip()])
    if shutil.which("wrk") is None:
        print(WRK_MISSING, file=sys.stderr)
        return 2
    ensure_model(args.model_dir)
    result = run(args)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.out / "bench.md").write_text(report.markdown(result))
    report.plot(result, args.out / "bench.png")
    print(f"wrote {args.out}/bench.json, bench.md, bench.png")
    return 0


def part_only(args: argparse.Namespace, part: ModuleType, key: str) -> int:
    """`--only typed` (the named, typed features part), `--only v2` (the Open Inference
    Protocol part), `--only predlog` (the prediction log) or `--only rollout` (a shadow
    version) alone, in process (no wrk, about 30 s; seconds with --quick); writes
    bench_<key>.{json,md} beside the full reports."""
    ensure_model(args.model_dir)
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix=f"specserve-bench-{key}-"))
    module = part.__name__.rsplit(".", 1)[1]
    try:
        info = machine()
        figures = inprocess(args.model_dir, workdir, 200 if args.quick else 2000, module)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    info["loadavg_end"] = os.getloadavg()
    result = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": f"{key}-quick" if args.quick else key,
        "machine": info,
        "wall_seconds": round(time.monotonic() - started, 1),
        key: figures,
        "goals": part.goals(figures),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"bench_{key}.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.out / f"bench_{key}.md").write_text(report.part_markdown(part, key, result))
    print(f"wrote {args.out}/bench_{key}.json, bench_{key}.md")
    return 0
