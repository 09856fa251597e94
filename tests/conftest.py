"""Shared fixtures: one trained default model per run, a live service per module."""

from __future__ import annotations

import contextlib
import multiprocessing.process
import os
import re
import shutil
import subprocess
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live import hermetic_environ

# Hermetic: no SPECSERVE_* setting from the developer's shell or the Makefile reaches a test
# (only the SPECSERVE_TEST_* variables tests read). Done before anything builds Settings.
_environ = hermetic_environ()
os.environ.clear()
os.environ.update(_environ)

from specserve.auth.filestore import FileKeyStore  # noqa: E402
from tests.live import LiveService, postgres_url, redis_url  # noqa: E402

# Writes reports/api_test_results.json and reports/integration_report.md at the end of a run.
pytest_plugins = ["tests.reporting"]


@pytest.fixture(scope="session")
def trained_model_dir(tmp_path_factory) -> Path:
    """The default model, trained once per run; copy it before changing it."""
    model_dir = tmp_path_factory.mktemp("models")
    # In process, not `tests.live.train_default_model` (a fresh interpreter): the fast tests
    # use this model and may start no process. Same script, same arguments, same model.
    from scripts.train_default_model import main as train

    assert train(["--model-dir", str(model_dir), "--version", "1.0.0"]) == 0
    return model_dir


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("svc")


@pytest.fixture(scope="module")
def model_dir(trained_model_dir, workdir) -> Path:
    target = workdir / "models"
    shutil.copytree(trained_model_dir, target)
    return target


@pytest.fixture(scope="module")
def keys_file(workdir) -> Path:
    return workdir / "api_keys.json"


@pytest.fixture(scope="module")
def api_key(keys_file) -> str:
    return FileKeyStore(keys_file).create("tests")[1]


@pytest.fixture(scope="session")
def test_redis() -> str:
    url = redis_url()
    requires("Redis (SPECSERVE_TEST_REDIS_URL)", url is not None)
    return url


@pytest.fixture(scope="session")
def test_postgres() -> str:
    url = postgres_url()
    requires("PostgreSQL (SPECSERVE_TEST_POSTGRES_URL)", url is not None)
    return url


def jwt_secret() -> str:
    import secrets

    return secrets.token_urlsafe(48)


@pytest.fixture(scope="module")
def service(workdir, model_dir, keys_file, api_key, test_redis):
    """The service as in production: 2 workers sharing Redis for rate limits (set high by
    LiveService), bearer tokens on, responses validated against the spec."""
    env = {
        "SPECSERVE_REDIS_URL": test_redis,
        "SPECSERVE_JWT_SECRET": jwt_secret(),
    }
    with LiveService(workdir, model_dir, keys_file, env=env) as svc:
        yield svc


def requires(component: str, available: bool):
    """Skip when a system component is missing, except in CI, where it must be there."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{component} is required in CI but is not available")
    pytest.skip(f"{component} is not available on this machine")


SECRET_PATTERNS = [
    re.compile(r"ssk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}"),  # API keys
    re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),  # JWTs
]


@pytest.fixture(scope="session", autouse=True)
def no_credentials_in_any_log(tmp_path_factory):
    """After the whole run: no service log written by any test holds a key or a token."""
    yield
    root = tmp_path_factory.getbasetemp()
    leaks = []
    for log in root.rglob("service-*.log"):
        text = log.read_text(errors="replace")
        for pattern in SECRET_PATTERNS:
            leaks += [f"{log.name}: {m[:16]}..." for m in pattern.findall(text)]
    assert not leaks, f"credentials found in service logs: {leaks[:5]}"


# Suites that start live processes (gunicorn, nginx, Chromium, wrk, generators under test).
LIVE_SUITES = ("integration", "contract", "sdk", "bench", "deploy")


def pytest_collection_modifyitems(config, items):
    """Mark every test of the live suites `slow`: `make test-fast` (-m "not slow") is the
    unit and in-process layer."""
    root = Path(__file__).parent
    for item in items:
        parts = Path(item.fspath).relative_to(root).parts
        if parts and parts[0] in LIVE_SUITES:
            item.add_marker(pytest.mark.slow)


# `make test-fast` (-m "not slow") promises no live processes: while a test that is not
# `slow` sets up, runs or tears down (its fixtures included, whatever their scope), every way
# of starting a process raises. Threads, asyncio and in-process test clients are unaffected.
FAST_TEST_STARTED_A_PROCESS = (
    "a fast test started a process: mark it slow (`@pytest.mark.slow` on the test, or "
    "`pytestmark = pytest.mark.slow` on a module that does it throughout)"
)


class ProcessStarted(RuntimeError):
    """What a test that is not `slow` gets when it (or one of its fixtures) starts a process."""


def _process_guards(attempts: list[str]) -> list[tuple[Any, str, Any]]:
    """(owner, attribute, replacement) for every way Python starts a process."""

    def refuse(what: str):
        def refused(*args: Any, **kwargs: Any) -> Any:
            stack = [f for f in traceback.extract_stack()[:-1] if f.filename != __file__]
            where = "".join(traceback.format_list(stack[-6:]))
            attempts.append(f"{what}, from\n{where}")
            raise ProcessStarted(f"{FAST_TEST_STARTED_A_PROCESS}: {what}")

        return refused

    def execute_child(popen: subprocess.Popen, args: Any, *rest: Any, **kwargs: Any) -> Any:
        refuse(f"subprocess {args!r}")()

    def start_process(process: multiprocessing.process.BaseProcess) -> Any:
        refuse(f"multiprocessing {process!r}")()

    import _posixsubprocess

    guards: list[tuple[Any, str, Any]] = [
        # subprocess.run/call/check_output/Popen, os.popen, asyncio's subprocesses
        (subprocess.Popen, "_execute_child", execute_child),
        # multiprocessing (every start method), concurrent.futures.ProcessPoolExecutor
        (multiprocessing.process.BaseProcess, "start", start_process),
        (_posixsubprocess, "fork_exec", refuse("_posixsubprocess.fork_exec")),
    ]
    # os.system, pty.fork, os.spawn* (fork + exec) and the direct calls
    for name in ("fork", "forkpty", "posix_spawn", "posix_spawnp", "system"):
        if hasattr(os, name):
            guards.append((os, name, refuse(f"os.{name}")))
    for name in dir(os):
        if name.startswith(("exec", "spawn")) and callable(getattr(os, name)):
            guards.append((os, name, refuse(f"os.{name}")))
    return guards


def pytest_sessionstart(session: pytest.Session) -> None:
    """scikit-learn asks joblib for the physical cores when a HistGradientBoosting model fits
    or predicts, and joblib runs `lscpu` the first time (then caches the answer): ask once
    here, before any test, so that no in-process test is charged with that probe."""
    import joblib

    joblib.cpu_count(only_physical_cores=True)


@contextlib.contextmanager
def no_processes(item: pytest.Item) -> Iterator[None]:
    """Fail the phase if a test that is not `slow` starts a process, even when the code that
    tried caught the error."""
    if item.get_closest_marker("slow") is not None:
        yield
        return
    attempts: list[str] = []
    guards = _process_guards(attempts)
    saved = [(owner, name, owner.__dict__[name]) for owner, name, _ in guards]
    for owner, name, replacement in guards:
        setattr(owner, name, replacement)
    try:
        yield
    except ProcessStarted:
        raise
    except BaseException:
        if attempts:
            pytest.fail(f"{FAST_TEST_STARTED_A_PROCESS}: {attempts[0]}", pytrace=False)
        raise
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)
    if attempts:
        pytest.fail(f"{FAST_TEST_STARTED_A_PROCESS}: {attempts[0]}", pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    with no_processes(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    with no_processes(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    with no_processes(item):
        return (yield)
