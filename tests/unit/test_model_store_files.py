"""The model store's files: a FIFO, a link out of the store or an oversized file never blocks
a worker, leads it out of the store or makes it read without bound; versions sort by semver
precedence and a pre-release never serves the unversioned routes unless pinned."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from specserve.config import Settings
from specserve.serving.dataplane import DataPlane
from specserve.serving.registry import (
    JSON_MAX_BYTES,
    Registry,
    list_versions,
    read_pin,
    serving_version,
    version_key,
)

BOUND = 5.0  # seconds any store read may take here; a blocked read fails the test, never hangs


def bounded(fn: Callable[[], Any]) -> Any:
    """`fn()` in a daemon thread, failing the test if it does not return within BOUND."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(fn()), daemon=True)
    thread.start()
    thread.join(BOUND)
    assert not thread.is_alive(), f"blocked for more than {BOUND} s"
    return result[0]


@pytest.fixture
def fifo_factory() -> Iterator[Callable[[Path], Path]]:
    """Makes FIFOs; afterwards opens each for writing once, which frees a reader blocked on it
    (so even a failing test leaves no thread stuck)."""
    made: list[Path] = []

    def make(path: Path) -> Path:
        os.mkfifo(path)
        made.append(path)
        return path

    yield make
    for path in made:
        with contextlib.suppress(OSError):  # ENXIO: no reader blocked on it, nothing to free
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


@pytest.fixture
def store(trained_model_dir: Path, tmp_path: Path) -> Path:
    """A store holding fraud-detector 1.0.0, and a folder beside it (outside the store)."""
    root = tmp_path / "store"
    shutil.copytree(trained_model_dir, root)
    (tmp_path / "outside").mkdir()
    return root


def add_version(root: Path, version: str) -> Path:
    target = root / "fraud-detector" / version
    shutil.copytree(root / "fraud-detector" / "1.0.0", target)
    return target


def loaded(root: Path, name: str = "fraud-detector") -> Any:
    registry = Registry(root, name)
    bounded(registry.load)
    return registry


# -- FIFOs -------------------------------------------------------------------------------------


def test_a_fifo_pin_neither_blocks_a_poll_nor_pins(store, fifo_factory):
    fifo_factory(store / "fraud-detector" / "pinned")
    registry = loaded(store)
    assert bounded(registry.fingerprint) == registry.loaded_fingerprint
    assert registry.ready_model().version == "1.0.0" and registry.ready_model().pinned is None


def test_a_fifo_parity_file_refuses_its_version_at_once(store, fifo_factory):
    registry = loaded(store)
    version_dir = add_version(store, "1.1.0")
    (version_dir / "parity.json").unlink()
    fifo_factory(version_dir / "parity.json")
    bounded(registry.load)
    model = registry.ready_model()
    assert model.version == "1.0.0" and "1.1.0 failed to load" in (model.newer_error or "")
    refused = bounded(lambda: registry.version("fraud-detector", "1.1.0"))
    assert not refused.ready and "parity.json is not a regular file" in refused.error


def test_a_fifo_metadata_file_is_no_version(store, fifo_factory):
    version_dir = store / "fraud-detector" / "2.0.0"
    version_dir.mkdir()
    fifo_factory(version_dir / "metadata.json")
    assert bounded(lambda: list_versions(store / "fraud-detector")) == ["1.0.0"]
    assert loaded(store).ready_model().version == "1.0.0"


def test_a_fifo_artifact_refuses_its_version_at_once(store, fifo_factory):
    version_dir = add_version(store, "1.1.0")
    for artifact in ("model.onnx", "model.skops"):
        (version_dir / artifact).unlink()
        fifo_factory(version_dir / artifact)
    model = loaded(store).version("fraud-detector", "1.1.0")
    assert not model.ready and "not a regular file" in model.error


# -- links out of the store --------------------------------------------------------------------


def test_a_pin_linked_out_of_the_store_is_not_followed(store, tmp_path):
    add_version(store, "2.0.0")
    (tmp_path / "outside" / "pin").write_text("1.0.0\n")
    (store / "fraud-detector" / "pinned").symlink_to(tmp_path / "outside" / "pin")
    assert read_pin(store / "fraud-detector") is None
    assert loaded(store).ready_model().version == "2.0.0"


def test_store_files_linked_out_of_the_store_are_refused(store, tmp_path):
    registry = loaded(store)
    version_dir = add_version(store, "2.0.0")
    outside = tmp_path / "outside" / "parity.json"
    shutil.move(version_dir / "parity.json", outside)
    (version_dir / "parity.json").symlink_to(outside)
    bounded(registry.load)
    assert registry.ready_model().version == "1.0.0"  # the refused 2.0.0 never replaces it
    model = registry.version("fraud-detector", "2.0.0")
    assert not model.ready and "parity.json: a link (never followed)" in model.error


def test_an_artifact_linked_out_of_the_store_is_refused(store, tmp_path):
    version_dir = add_version(store, "2.0.0")
    for artifact in ("model.onnx", "model.skops"):
        shutil.move(version_dir / artifact, tmp_path / "outside" / artifact)
        (version_dir / artifact).symlink_to(tmp_path / "outside" / artifact)
    model = loaded(store).version("fraud-detector", "2.0.0")
    assert not model.ready and "a link (never followed)" in model.error


def test_version_and_model_folders_linked_out_of_the_store_are_not_served(store, tmp_path):
    shutil.copytree(store / "fraud-detector" / "1.0.0", tmp_path / "outside" / "9.0.0")
    (store / "fraud-detector" / "9.0.0").symlink_to(tmp_path / "outside" / "9.0.0")
    shutil.copytree(store / "fraud-detector", tmp_path / "outside" / "other")
    (store / "other").symlink_to(tmp_path / "outside" / "other")
    registry = loaded(store)
    assert registry.ready_model().version == "1.0.0"
    assert [m.name for m in registry.models()] == ["fraud-detector"]


# -- sizes -------------------------------------------------------------------------------------


def test_a_huge_pin_is_refused_unread(store):
    add_version(store, "2.0.0")
    pin = store / "fraud-detector" / "pinned"
    with pin.open("w") as fh:
        fh.write("1.0.0\n")
        fh.truncate(64 << 20)  # sparse: 64 MB of (mostly) zeros, no disk used
    tracemalloc.start()
    try:
        assert read_pin(store / "fraud-detector") is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20, f"reading the pin took {peak} bytes"
    assert loaded(store).ready_model().version == "2.0.0"


def test_an_oversized_metadata_file_refuses_its_version(store):
    registry = loaded(store)
    version_dir = add_version(store, "2.0.0")
    meta = json.loads((version_dir / "metadata.json").read_text())
    meta["description"] = "x" * JSON_MAX_BYTES
    (version_dir / "metadata.json").write_text(json.dumps(meta))
    bounded(registry.load)
    model = registry.version("fraud-detector", "2.0.0")
    assert not model.ready and "metadata.json is larger than" in model.error
    assert registry.ready_model().version == "1.0.0"


# -- one scan at a time ------------------------------------------------------------------------


def test_reloads_and_polls_while_a_scan_is_stuck_hold_one_thread(store):
    """A scan stuck in a read (held here by the data plane's own scan lock) must not gain a
    thread per admin reload or poll: they join it, and all finish once it does."""
    plane = DataPlane(Settings(model_dir=store, model_poll_seconds=0))

    async def storm() -> int:
        callers = [asyncio.ensure_future(plane.reload()) for _ in range(10)]
        callers += [asyncio.ensure_future(plane.poll()) for _ in range(10)]
        await asyncio.sleep(0.3)
        stuck = sum(t.name.startswith("asyncio_") for t in threading.enumerate())
        plane._load_lock.release()  # the read returns
        await asyncio.wait_for(asyncio.gather(*callers), BOUND)
        return stuck

    plane._load_lock.acquire()
    assert asyncio.run(storm()) == 1
    assert plane.registry.ready_model().version == "1.0.0"


# -- versions ----------------------------------------------------------------------------------


def test_versions_sort_by_semver_precedence_unparsable_oldest():
    versions = ["1.10.0", "2", "1.0.0", "v2", "1.0.0-rc.1", "1.0.0+b", "1.0.0-rc1", "1.2.0", "v10"]
    assert sorted(versions, key=version_key) == [
        "v2",
        "v10",
        "1.0.0-rc.1",
        "1.0.0-rc1",
        "1.0.0+b",
        "1.0.0",
        "1.2.0",
        "1.10.0",
        "2",
    ]


@pytest.mark.parametrize("newer", ["1.0.0-rc1", "1.0.0+b", "v2", "1.1.0-beta.2"])
def test_a_pre_release_build_or_unparsable_name_never_takes_over(store, newer):
    add_version(store, newer)
    assert loaded(store).ready_model().version == "1.0.0"


def test_a_pinned_pre_release_serves(store):
    add_version(store, "1.1.0-rc1")
    (store / "fraud-detector" / "pinned").write_text("1.1.0-rc1\n")
    assert loaded(store).ready_model().version == "1.1.0-rc1"


def test_only_pre_releases_serve_nothing_unpinned(tmp_path):
    (tmp_path / "m" / "1.0.0-rc1").mkdir(parents=True)
    (tmp_path / "m" / "1.0.0-rc1" / "metadata.json").write_text("{}")
    assert serving_version(tmp_path / "m", ["1.0.0-rc1"]) == (None, None)
