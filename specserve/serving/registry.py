"""Model registry: `MODEL_DIR/<name>/<version>/` holds an artifact and its `metadata.json`.

Per model, one version serves the unversioned routes: the one named in `MODEL_DIR/<name>/
pinned` (`specserve models pin`), else the newest by semver precedence that is not a
pre-release (`version_key`). It is loaded by every worker at start and on every change on
disk. Every other version is addressable too (`/models/{name}/versions/{version}/...`): it
loads on its first request and stays loaded, at most `SPECSERVE_MODEL_VERSIONS_LOADED` of
them per worker, the least recently used going first. The versions a model's rollout names
(its `shadow` and `canary` files: `specserve.serving.rollout`) are loaded at each scan too
and held apart from that limit, so a shadow or canary version is never evicted while it
stands. A model that fails to load is kept as `failed` and answers 503; it never stops the
service from starting, and a bad new version never replaces a serving one.

Whoever can write the store can still not make a worker block or read without bound: the
files read here (`pinned`, `shadow`, `canary`, `metadata.json`, `parity.json`) are read only
as regular files within a size cap, opened non-blocking (a FIFO fails at once instead of
holding a thread) and reached without following a link (a link cannot lead out of the store,
or to a huge file), and a version whose artifacts are not regular files reached so is refused
before it loads.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import stat
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import semver

from specserve import spec
from specserve.errors import ModelNotFound, ModelUnavailable
from specserve.serving.artifacts import Limits, artifact_path
from specserve.serving.model import Model, load_version, stamp
from specserve.serving.rollout import CANARY_FILE, NONE, ROLLOUT_MAX_BYTES, SHADOW_FILE, Rollout
from specserve.serving.rollout import parse as parse_rollout

log = logging.getLogger("specserve.serving.registry")


def is_model_name(text: str) -> bool:
    """Whether `text` matches the contract's ModelName pattern."""
    return spec.load().model_name.match(text) is not None


def is_version(text: str) -> bool:
    """Whether `text` matches the contract's ModelVersion pattern."""
    return spec.load().model_version.match(text) is not None


PIN_FILE = "pinned"
PIN_MAX_BYTES = 1024  # a version name is at most 64 characters
JSON_MAX_BYTES = 1 << 20  # metadata.json, parity.json: a few kB in practice
JSON_FILES = ("metadata.json", "parity.json")


# -- reading the store: regular files only, never through a link -------------------------------


def open_beneath(root: Path, *parts: str) -> int:
    """A descriptor for `root/parts...`, walked one component at a time without following a
    link, so a link anywhere below `root` (to a file outside the store, or a huge one) is
    refused; the last component is opened non-blocking, so a FIFO never blocks the thread.
    The caller closes it. OSError when refused (ELOOP for a link) or absent."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
            flags |= os.O_NONBLOCK | os.O_NOCTTY if last else os.O_DIRECTORY
            parent, fd = fd, -1
            try:
                fd = os.open(part, flags, dir_fd=parent)
            finally:
                os.close(parent)
    except OSError as exc:
        if fd >= 0:
            os.close(fd)
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise OSError(exc.errno, f"{'/'.join(parts)}: a link (never followed)") from None
        raise
    return fd


def check_regular(fd: int, what: str, limit: int | None) -> os.stat_result:
    """Refuse anything but a regular file (a FIFO, a device, a folder), or one over `limit`."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, f"{what} is not a regular file")
    if limit is not None and info.st_size > limit:
        raise OSError(errno.EFBIG, f"{what} is larger than {limit} bytes")
    return info


def read_store_file(root: Path, *parts: str, limit: int) -> bytes:
    """A file of the model store: a regular file of at most `limit` bytes, reached without
    following a link (`open_beneath`). Never blocks, never reads more than `limit` + 1 bytes
    (a file growing meanwhile is refused too)."""
    what = "/".join(parts)
    fd = open_beneath(root, *parts)
    with os.fdopen(fd, "rb") as fh:
        check_regular(fd, what, limit)
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"{what} is larger than {limit} bytes")
    return data


def read_json(version_dir: Path, name: str) -> Any:
    """`metadata.json` or `parity.json` of a version, read with `read_store_file`'s checks
    (the store is the version folder's grandparent)."""
    model_dir = version_dir.parent
    data = read_store_file(
        model_dir.parent, model_dir.name, version_dir.name, name, limit=JSON_MAX_BYTES
    )
    return json.loads(data)


def is_real_dir(path: Path) -> bool:
    """A folder, not a link to one: the store never leads out of itself."""
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def model_dirs(root: Path) -> list[Path]:
    """Every model folder of the store (real folders with a valid model name), by name."""
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return []
    return [p for p in entries if is_model_name(p.name) and is_real_dir(p)]


# -- versions ----------------------------------------------------------------------------------


def version_key(version: str) -> tuple[Any, ...]:
    """Sort key, oldest first: semver 2.0.0 precedence (`1.0.0-rc.1` < `1.0.0`; a missing
    minor or patch is 0, so `2` is `2.0.0`). Names semver cannot parse (`v2`) sort before every
    one it can, among themselves with runs of digits compared as numbers. Equal precedence
    (build metadata is ignored by semver): a name with `+build` sorts before the plain one,
    then by name, so `1.0.0+b` never takes over from `1.0.0`."""
    try:
        parsed = semver.Version.parse(version, optional_minor_and_patch=True)
    except ValueError:
        parts = re.findall(r"\d+|[^\d.+-]+", version)  # `v10`: `v`, 10 (newer than `v9`)
        return (0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts))
    return (1, parsed, parsed.build is None, version)


def is_prerelease(version: str) -> bool:
    """A semver pre-release (`1.0.0-rc1`): serves the unversioned routes only when pinned."""
    try:
        return semver.Version.parse(version, optional_minor_and_patch=True).prerelease is not None
    except ValueError:
        return False


def list_versions(model_dir: Path) -> list[str]:
    """Every version folder with a metadata.json (the last file a deploy writes), oldest first.
    Links are not versions (a version never lives outside the store)."""
    try:
        entries = list(model_dir.iterdir())
    except OSError:
        return []
    found = [
        p.name
        for p in entries
        if is_version(p.name) and is_real_dir(p) and _is_regular(p / "metadata.json")
    ]
    return sorted(found, key=version_key)


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def read_pin(model_dir: Path) -> str | None:
    """The pinned version, if `pinned` is a small regular file naming a valid version."""
    try:
        raw = read_store_file(model_dir.parent, model_dir.name, PIN_FILE, limit=PIN_MAX_BYTES)
        pin = raw.decode().strip()
    except (OSError, UnicodeDecodeError):
        return None
    return pin if is_version(pin) else None


def read_rollout_file(model_dir: Path, kind: str) -> bytes | None:
    """The raw `shadow` or `canary` file (None when absent); OSError when it is no small
    regular file reached without a link."""
    try:
        return read_store_file(model_dir.parent, model_dir.name, kind, limit=ROLLOUT_MAX_BYTES)
    except FileNotFoundError:
        return None


def read_rollout(model_dir: Path, versions: list[str], serving: str | None) -> Rollout:
    """The model's shadow and canary as they stand; a file that is unreadable, invalid, names
    a version the store lacks or the serving version itself is ignored, with why."""
    found: dict[str, Any] = {}
    problems: list[str] = []
    for kind in (SHADOW_FILE, CANARY_FILE):
        try:
            raw = read_rollout_file(model_dir, kind)
            if raw is None:
                continue
            entry = parse_rollout(raw, kind)
        except OSError as exc:
            problems.append(f"{kind} ignored: {exc.strerror or exc}")
            continue
        except ValueError as exc:
            problems.append(f"{exc} (ignored)")
            continue
        if entry.version not in versions:
            problems.append(f"{kind} ignored: no version {entry.version}")
        elif entry.version == serving:
            problems.append(f"{kind} ignored: version {entry.version} is the serving version")
        else:
            found[kind] = entry
    if not found and not problems:
        return NONE
    return Rollout(found.get(SHADOW_FILE), found.get(CANARY_FILE), tuple(problems))


def serving_version(model_dir: Path, versions: list[str]) -> tuple[str | None, str | None]:
    """(the version the unversioned routes serve, the pin if any): the pin, else the newest
    version that is not a pre-release (None when there is none)."""
    pin = read_pin(model_dir)
    if pin is not None and pin in versions:
        return pin, pin
    released = [v for v in versions if not is_prerelease(v)]
    return (released[-1] if released else None), pin


def load_checked(
    model_dir: Path,
    version: str,
    versions: list[str],
    allow_pickle: bool,
    limits: Limits | None = None,
) -> Model:
    """`load_version`, once the files it reads pass the store checks: `metadata.json` and
    `parity.json` regular files within `JSON_MAX_BYTES`, the artifacts regular files, none
    reached through a link. A refusal is recorded on the model, like any load failure."""
    version_dir = model_dir / version
    try:
        _check_files(version_dir)
    except (OSError, ValueError) as exc:
        error = f"refused: {exc.strerror if isinstance(exc, OSError) else exc}"
        kind = "artifact unreadable" if isinstance(exc, OSError) else "metadata invalid"
        log.error(
            "model failed to load",
            extra={"model": model_dir.name, "version": version, "reason": error},
        )
        return Model(
            name=model_dir.name,
            version=version,
            versions=versions,
            path=version_dir,
            error=error,
            error_class=kind,
            stamp=stamp(version_dir),
        )
    return load_version(model_dir, version, versions, allow_pickle, limits)


def _check_files(version_dir: Path) -> None:
    """Raise OSError for a store file that is not a regular file reached without a link."""
    metadata = read_json(version_dir, "metadata.json")
    if not isinstance(metadata, dict):
        raise ValueError("metadata.json is not an object")
    names = {"model.onnx", *JSON_FILES[1:]}
    names.add(artifact_path(version_dir, metadata, str(metadata.get("format", "skops"))).name)
    root, model, version = version_dir.parent.parent, version_dir.parent.name, version_dir.name
    for name in sorted(names):
        limit = JSON_MAX_BYTES if name in JSON_FILES else None
        try:
            fd = open_beneath(root, model, version, name)
        except FileNotFoundError:
            continue  # absent: load_version says what it needed
        try:
            check_regular(fd, name, limit)
        finally:
            os.close(fd)


class Registry:
    def __init__(
        self,
        root: Path,
        default_model: str,
        allow_pickle: bool = False,
        versions_loaded: int = 4,
        limits: Limits | None = None,
    ) -> None:
        self.root = Path(root)
        self.default_model = default_model
        self.allow_pickle = allow_pickle
        self.limits = limits  # what a version may cost (None: the settings' defaults)
        self.versions_loaded = versions_loaded
        self._models: dict[str, Model] = {}
        self._others: OrderedDict[tuple[str, str], Model] = OrderedDict()
        self._rollouts: dict[str, Rollout] = {}
        self._held: dict[tuple[str, str], Model] = {}  # shadow and canary versions
        self._lock = threading.Lock()
        self._version_lock = threading.Lock()  # one version load at a time, never twice
        self.loaded_fingerprint: tuple = ()

    def fingerprint(self) -> tuple:
        """What is on disk: every version's metadata.json, every pin, shadow and canary."""
        found: list[tuple[str, str, object]] = []
        for model_dir in model_dirs(self.root):
            found.append((model_dir.name, PIN_FILE, read_pin(model_dir)))
            for kind in (SHADOW_FILE, CANARY_FILE):
                try:
                    found.append((model_dir.name, kind, read_rollout_file(model_dir, kind)))
                except OSError as exc:
                    found.append((model_dir.name, kind, exc.errno))
            for version in list_versions(model_dir):
                found.append((model_dir.name, version, stamp(model_dir / version)))
        return tuple(found)

    def load(self) -> dict[str, Model]:
        """Scan the model directory and swap in the result atomically.

        A model whose serving version is already loaded is kept as is. If a new version
        fails to load while an older one serves, the older one keeps serving (and health
        reports the failure): a bad deploy never takes a model down.
        """
        fingerprint = self.fingerprint()
        models: dict[str, Model] = {}
        if self.root.is_dir():
            for model_dir in model_dirs(self.root):
                model = self._load_one(model_dir)
                if model is not None:
                    models[model.name] = model
        else:
            log.error("model directory missing", extra={"path": str(self.root)})
        rollouts, held = self._rollout(models)
        with self._lock:
            self._models = models
            self._rollouts, self._held = rollouts, held
            self._others = OrderedDict((key, m) for key, m in self._others.items() if _unchanged(m))
            self.loaded_fingerprint = fingerprint
        return models

    def _load_one(self, model_dir: Path) -> Model | None:
        current = self._models.get(model_dir.name)
        versions = list_versions(model_dir)
        target, pin = serving_version(model_dir, versions)
        if target is None:
            return None
        if (
            current is not None
            and current.ready
            and current.version == target
            and stamp(model_dir / target) == current.stamp
        ):
            current.versions, current.newer_error, current.pinned = versions, None, pin
            current.newer_reason = None
            _pin_warning(current, pin, versions)
            return current
        model = load_checked(model_dir, target, versions, self.allow_pickle, self.limits)
        model.pinned = pin
        _pin_warning(model, pin, versions)
        if not model.ready and current is None and pin != target:
            model = self._older(model_dir, model, versions)
        if not model.ready and current is not None and current.ready:
            current.newer_error = f"version {model.version} failed to load ({model.error_class})"
            current.newer_reason = f"version {model.version} failed to load: {model.error}"
            current.versions = model.versions
            log.error(
                "new model version refused; the previous one keeps serving",
                extra={"model": current.name, "serving": current.version, "refused": model.version},
            )
            return current
        return model

    def _rollout(
        self, models: dict[str, Model]
    ) -> tuple[dict[str, Rollout], dict[tuple[str, str], Model]]:
        """Each model's rollout, and its shadow and canary versions loaded (kept from the
        last scan when unchanged on disk)."""
        rollouts: dict[str, Rollout] = {}
        held: dict[tuple[str, str], Model] = {}
        for name, serving in models.items():
            model_dir = self.root / name
            rollout = read_rollout(model_dir, serving.versions, serving.version)
            for problem in rollout.problems:
                log.warning("rollout file ignored", extra={"model": name, "reason": problem})
            rollouts[name] = rollout
            for entry in (rollout.shadow, rollout.canary):
                if entry is None or (name, entry.version) in held:
                    continue
                key = (name, entry.version)
                model = self._held.get(key) or self._others.get(key)
                if model is None or not _unchanged(model):
                    model = load_checked(
                        model_dir, entry.version, serving.versions, self.allow_pickle, self.limits
                    )
                model.pinned = serving.pinned
                held[key] = model
        return rollouts, held

    def rollout(self, name: str) -> Rollout:
        """The model's shadow and canary as the last scan read them."""
        return self._rollouts.get(name, NONE)

    def held(self, name: str, version: str) -> Model | None:
        """A shadow or canary version, loaded at the last scan (no disk access)."""
        return self._held.get((name, version))

    def _older(self, model_dir: Path, failed: Model, versions: list[str]) -> Model:
        """At start (nothing serves yet), when the newest version fails: the newest older
        released version that loads serves instead, `failed` reported beside it."""
        older = [v for v in versions if version_key(v) < version_key(failed.version)]
        for version in reversed([v for v in older if not is_prerelease(v)]):
            model = load_checked(model_dir, version, versions, self.allow_pickle, self.limits)
            if model.ready:
                model.pinned = failed.pinned
                model.newer_error = (
                    f"version {failed.version} failed to load ({failed.error_class})"
                )
                model.newer_reason = f"version {failed.version} failed to load: {failed.error}"
                return model
        return failed

    def models(self) -> list[Model]:
        return list(self._models.values())

    def get(self, name: str | None = None) -> Model:
        name = name or self.default_model
        model = self._models.get(name)
        if model is None:
            if name == self.default_model:
                raise ModelUnavailable(f"Model '{name}' is not available.")
            raise ModelNotFound(f"Model '{name[:64]}' does not exist.")
        return model

    def ready_model(self, name: str | None = None) -> Model:
        model = self.get(name)
        if not model.ready:
            raise ModelUnavailable(f"Model '{model.name}' is not available.")
        return model

    def cached_version(self, name: str, version: str) -> Model | None:
        """The version if this worker holds it already (no disk access)."""
        serving = self._models.get(name)
        if serving is not None and serving.version == version:
            return serving
        held = self._held.get((name, version))
        if held is not None:
            return held
        model = self._others.get((name, version))
        if model is not None:
            with self._lock:
                if (name, version) in self._others:
                    self._others.move_to_end((name, version))
        return model

    def version(self, name: str, version: str) -> Model:
        """One addressable version, loading it on first use (blocking: call in a thread)."""
        with self._version_lock:
            return self._load_version(name, version)

    def _load_version(self, name: str, version: str) -> Model:
        model = self.cached_version(name, version)
        if model is not None:
            return model
        serving = self.get(name)  # 404 for an unknown model
        model_dir = self.root / serving.name
        if not is_version(version) or version not in list_versions(model_dir):
            raise ModelNotFound(f"Model '{serving.name}' has no version '{version[:64]}'.")
        model = load_checked(model_dir, version, serving.versions, self.allow_pickle, self.limits)
        model.pinned = serving.pinned
        with self._lock:
            self._others[(name, version)] = model
            while len(self._others) > self.versions_loaded:
                self._others.popitem(last=False)
        return model


def _unchanged(model: Model) -> bool:
    return stamp(model.path) == model.stamp


def _pin_warning(model: Model, pin: str | None, versions: list[str]) -> None:
    if pin is not None and pin not in versions and model.newer_error is None:
        model.newer_error = f"pinned version {pin} not found"
