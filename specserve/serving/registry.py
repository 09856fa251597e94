"""Model registry: `MODEL_DIR/<name>/<version>/` holds an artifact and its `metadata.json`.

Per model, one version serves the unversioned routes: the one named in `MODEL_DIR/<name>/
pinned` (`specserve models pin`), else the newest. It is loaded by every worker at start and
on every change on disk. Every other version is addressable too
(`/models/{name}/versions/{version}/...`): it loads on its first request and stays loaded, at
most `SPECSERVE_MODEL_VERSIONS_LOADED` of them per worker, the least recently used going
first. A model that fails to load is kept as `failed` and answers 503; it never stops the
service from starting, and a bad new version never replaces a serving one.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from pathlib import Path

from specserve import spec
from specserve.errors import ModelNotFound, ModelUnavailable
from specserve.serving.model import Model, load_version, stamp

log = logging.getLogger("specserve.serving.registry")


def is_model_name(text: str) -> bool:
    """Whether `text` matches the contract's ModelName pattern."""
    return spec.load().model_name.match(text) is not None


def is_version(text: str) -> bool:
    """Whether `text` matches the contract's ModelVersion pattern."""
    return spec.load().model_version.match(text) is not None


PIN_FILE = "pinned"


def version_key(version: str) -> tuple:
    parts = re.split(r"[.+-]", version)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def list_versions(model_dir: Path) -> list[str]:
    """Every version folder with a metadata.json (the last file a deploy writes), oldest first."""
    try:
        found = [
            p.name
            for p in model_dir.iterdir()
            if p.is_dir() and is_version(p.name) and (p / "metadata.json").exists()
        ]
    except OSError:
        return []
    return sorted(found, key=version_key)


def read_pin(model_dir: Path) -> str | None:
    try:
        pin = (model_dir / PIN_FILE).read_text().strip()
    except OSError:
        return None
    return pin if is_version(pin) else None


def serving_version(model_dir: Path, versions: list[str]) -> tuple[str | None, str | None]:
    """(the version the unversioned routes serve, the pin if any)."""
    pin = read_pin(model_dir)
    if pin is not None and pin in versions:
        return pin, pin
    return (versions[-1] if versions else None), pin


class Registry:
    def __init__(
        self,
        root: Path,
        default_model: str,
        allow_pickle: bool = False,
        versions_loaded: int = 4,
    ) -> None:
        self.root = Path(root)
        self.default_model = default_model
        self.allow_pickle = allow_pickle
        self.versions_loaded = versions_loaded
        self._models: dict[str, Model] = {}
        self._others: OrderedDict[tuple[str, str], Model] = OrderedDict()
        self._lock = threading.Lock()
        self._version_lock = threading.Lock()  # one version load at a time, never twice
        self.loaded_fingerprint: tuple = ()

    def fingerprint(self) -> tuple:
        """What is on disk: every version's metadata.json and every pin."""
        if not self.root.is_dir():
            return ()
        found: list[tuple[str, str, object]] = []
        for model_dir in sorted(self.root.iterdir()):
            if not (model_dir.is_dir() and is_model_name(model_dir.name)):
                continue
            found.append((model_dir.name, PIN_FILE, read_pin(model_dir)))
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
            for model_dir in sorted(self.root.iterdir()):
                if model_dir.is_dir() and is_model_name(model_dir.name):
                    model = self._load_one(model_dir)
                    if model is not None:
                        models[model.name] = model
        else:
            log.error("model directory missing", extra={"path": str(self.root)})
        with self._lock:
            self._models = models
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
            _pin_warning(current, pin, versions)
            return current
        model = load_version(model_dir, target, versions, self.allow_pickle)
        model.pinned = pin
        _pin_warning(model, pin, versions)
        if not model.ready and current is not None and current.ready:
            current.newer_error = f"version {model.version} failed to load"
            current.versions = model.versions
            log.error(
                "new model version refused; the previous one keeps serving",
                extra={"model": current.name, "serving": current.version, "refused": model.version},
            )
            return current
        return model

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
        model = load_version(model_dir, version, serving.versions, self.allow_pickle)
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
