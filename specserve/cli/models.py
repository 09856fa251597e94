"""`specserve models`: add, list, check, pin and unpin model versions; roll one out.

specserve models add ARTIFACT --name N --version V [--feature-names a,b,c] [--description T]
                     [--input-example FILE.csv|FILE.json] [--inputs FILE.json]
                     [--allow-contract-change] [--allow-pickle] [--value-tolerance X]
                     [--task T] [--classes a,b,c]      (ONNX graphs that carry neither)
specserve models list
specserve models check NAME [--version V]
specserve models pin NAME VERSION
specserve models unpin NAME
specserve models shadow NAME VERSION [--sample P]   (undo: unshadow NAME)
specserve models canary NAME VERSION --weight P     (then: promote NAME, or abort NAME)

Exit status: 0 on success, 1 when something is refused (one line on stderr saying why),
2 on bad usage. Every command works on `SPECSERVE_MODEL_DIR` (or `--model-dir`); a running
service picks the changes up within `SPECSERVE_MODEL_POLL_SECONDS`.

A shadow or canary version must exist, differ from the serving version and keep its contract
(`specserve.serving.changes`): a shadow scores the very rows the serving version was given,
and a canary answers clients who wrote against the serving version. Like the pin, each is one
small file of the model's folder, written whole (a temporary file renamed over it).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from specserve.cli import model_sdk
from specserve.config import Settings
from specserve.serving.artifacts import TASKS, Limits


def _settings(args: argparse.Namespace) -> Settings:
    """The settings `specserve` checked at start-up (a fresh read when called on its own)."""
    settings = getattr(args, "settings", None)
    return settings if isinstance(settings, Settings) else Settings()


def _model_dir(args: argparse.Namespace) -> Path:
    return Path(args.model_dir) if args.model_dir else _settings(args).model_dir


def _refuse(message: str) -> int:
    print(f"refused: {message}", file=sys.stderr)
    return 1


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _classes(text: str) -> list[Any]:
    """Class labels: integers where every one is an integer (a graph's int64 labels), else
    strings."""
    names = _names(text)
    if names and all(n.lstrip("-").isdigit() for n in names):
        return [int(n) for n in names]
    return names


def _model_name(text: str) -> str:
    """A model name as the contract allows it: no `/`, no `..`, so never a path out of the
    model directory (an argparse type: bad usage, exit 2)."""
    from specserve.serving.registry import is_model_name

    if not is_model_name(text):
        raise argparse.ArgumentTypeError(
            f"{text[:80]!r}: lowercase letters, digits, '.', '_', '-', starting with a letter "
            "or digit (64 max)"
        )
    return text


def _version(text: str) -> str:
    """A version as the contract allows it (an argparse type: bad usage, exit 2)."""
    from specserve.serving.registry import is_version

    if not is_version(text):
        raise argparse.ArgumentTypeError(
            f"{text[:80]!r}: letters, digits, '.', '_', '+', '-', starting with a letter or "
            "digit (64 max)"
        )
    return text


def cmd_add(args: argparse.Namespace) -> int:
    """Publish one artifact, or refuse it in one line (never a traceback)."""
    from specserve.serving.artifacts import ModelRefused

    artifact = Path(args.artifact)
    problem = _unusable(artifact)
    if problem:
        return _refuse(problem)
    try:
        return _add(args, artifact)
    except ModelRefused as exc:
        return _refuse(str(exc))
    except OSError as exc:
        return _refuse(f"cannot write the version: {exc.strerror or exc} ({exc.filename})")
    except Exception as exc:  # a model that breaks in a way nobody foresaw: still one line
        return _refuse(f"{artifact.name}: {type(exc).__name__}: {str(exc)[:300]}")


def _unusable(artifact: Path) -> str | None:
    """Why a path is no artifact at all (absent, a folder, empty), or None."""
    if artifact.is_dir():
        return f"{artifact} is a folder: pass the model file (.skops, .onnx or .joblib)"
    if not artifact.is_file():
        return f"{artifact}: no such file"
    if artifact.stat().st_size == 0:
        return f"{artifact.name} is empty: save the model again"
    return None


def _add(args: argparse.Namespace, artifact: Path) -> int:
    from specserve.serving.artifacts import ModelRefused
    from specserve.serving.publish import add_estimator, add_onnx

    metadata: dict[str, Any] = {"description": args.description} if args.description else {}
    if args.task:
        metadata["task"] = args.task
    if args.classes:
        metadata["classes"] = args.classes
    if (args.task or args.classes) and artifact.suffix != ".onnx":
        raise ModelRefused("--task and --classes are for ONNX graphs (an estimator says both)")
    if artifact.suffix == ".onnx":
        if args.input_example or args.inputs:
            raise ModelRefused("--input-example and --inputs are for estimators, not ONNX graphs")
        path = add_onnx(
            _model_dir(args),
            args.name,
            args.version,
            artifact,
            metadata,
            args.feature_names,
            allow_contract_change=args.allow_contract_change,
        )
        print(f"Added {args.name} {args.version} (ONNX artifact) at {path}")
        return 0
    settings = _settings(args)
    estimator, source = _load_artifact(
        artifact, args.allow_pickle or settings.allow_pickle, Limits.from_settings(settings)
    )
    path, parity = add_estimator(
        _model_dir(args),
        args.name,
        args.version,
        estimator,
        metadata=metadata,
        feature_names=args.feature_names,
        artifact=source,
        value_tolerance=args.value_tolerance,
        example=_example(args.input_example),
        inputs=_inputs(args.inputs),
        allow_contract_change=args.allow_contract_change,
    )
    runtime = "onnx" if parity and parity["passed"] else "sklearn"
    print(f"Added {args.name} {args.version} at {path}; serves with {runtime}")
    print(f"  inputs: {_inputs_line(_read(path)[0].get('inputs') or [])}")
    print(f"  parity: {_parity_line(parity)}")
    return 0


def _example(path: str | None) -> list[dict[str, Any]] | None:
    from specserve.serving.artifacts import ModelRefused
    from specserve.serving.infer import read_example

    if path is None:
        return None
    try:
        return read_example(Path(path))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, ModelRefused):
            raise
        raise ModelRefused(f"--input-example {path}: {exc}") from None


def _inputs(path: str | None) -> list[dict[str, Any]] | None:
    import json

    from specserve.serving.artifacts import ModelRefused

    if path is None:
        return None
    try:
        found = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ModelRefused(f"--inputs {path}: {exc}") from None
    if isinstance(found, dict) and "inputs" in found:
        found = found["inputs"]
    if not isinstance(found, list):
        raise ModelRefused(f"--inputs {path}: a list of inputs (or an object with `inputs`)")
    return found


def _inputs_line(inputs: list[dict[str, Any]]) -> str:
    parts = []
    for spec in inputs:
        kind = spec["type"] + ("?" if spec.get("nullable") else "")
        if spec.get("categories") is not None:
            shown = ",".join(map(str, spec["categories"][:5]))
            more = ",..." if len(spec["categories"]) > 5 else ""
            kind += f" {{{shown}{more}}}" + (" open" if spec.get("open") else "")
        parts.append(f"{spec['name']} ({kind})")
    return ", ".join(parts)


def _load_artifact(
    path: Path, allow_pickle: bool, limits: Limits
) -> tuple[Any, tuple[str, bytes] | None]:
    """The estimator, and the artifact to store as is (None: store it as skops)."""
    from specserve.serving.artifacts import ModelRefused, load_estimator
    from specserve.serving.publish import skops_bytes

    fmt = {".skops": "skops", ".joblib": "joblib", ".pkl": "joblib"}.get(path.suffix)
    if fmt is None:
        raise ModelRefused(
            f"{path.name}: expected a .skops, .onnx, or (with --allow-pickle) .joblib"
        )
    allowed = allow_pickle
    try:
        estimator = load_estimator(path, fmt, allowed, limits)
    except ModelRefused as exc:
        raise ModelRefused(
            f"{path.name}: {exc}"
            + ("; or pass --allow-pickle" if fmt != "skops" and not allowed else "")
        ) from None
    except Exception as exc:
        raise ModelRefused(
            f"{path.name} does not load ({type(exc).__name__}: {str(exc)[:200]}): a truncated "
            "or damaged file, or a model of a library this service lacks; save it again, "
            "or export it to ONNX"
        ) from None
    if fmt == "skops":
        return estimator, ("skops", path.read_bytes())
    data = skops_bytes(estimator)  # stored as skops when it can be: no pickle at serve time
    return estimator, (("skops", data) if data is not None else ("joblib", path.read_bytes()))


def _parity_line(parity: dict[str, Any] | None) -> str:
    if not parity:
        return "not converted (serves with scikit-learn)"
    if not parity.get("passed"):
        return f"failed, serves with scikit-learn: {parity.get('reason')}"
    return (
        f"passed ({parity['strategy']}) on {parity['probe_rows']} probe rows, "
        f"{parity['label_mismatches']} label mismatches, max |diff| {_diff(parity['max_abs_diff'])}"
    )


def _diff(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2g}"


def cmd_list(args: argparse.Namespace) -> int:
    """Every version, each loaded as a worker would: a failed one is marked `failed` (with its
    reason below it) and never `newest`; the newest released version that loads is."""
    from specserve.serving.registry import list_versions, model_dirs, read_rollout

    settings = _settings(args)
    print(f"{'MODEL':24}  {'VERSION':12}  {'SERVES':7}  {'RUNTIME':8}  TASK")
    for model_dir in model_dirs(_model_dir(args)):
        versions = list_versions(model_dir)
        loaded = {v: _load(settings, model_dir, v, versions) for v in versions}
        serving = _would_serve(model_dir, versions, loaded)
        rollout = read_rollout(model_dir, versions, serving)
        for version in versions:
            model = loaded[version]
            md, parity = _read(model_dir / version)
            mark = "failed" if model.error else _mark(model_dir, version, serving, rollout)
            runtime = model.runtime if model.ready else _runtime_of(md, parity)
            task = model.task if model.ready else md.get("task", "?")
            print(f"{model_dir.name:24}  {version:12}  {mark:7}  {runtime:8}  {task}")
            if model.error:
                print(f"  {model.error}")
        for problem in rollout.problems:
            print(f"  {model_dir.name}: {problem}")
    return 0


def _load(settings: Settings, model_dir: Path, version: str, versions: list[str]) -> Any:
    from specserve.serving.registry import load_checked

    limits = Limits.from_settings(settings)
    return load_checked(model_dir, version, versions, settings.allow_pickle, limits)


def _would_serve(model_dir: Path, versions: list[str], loaded: dict[str, Any]) -> str | None:
    """The version a starting worker serves: the pin, else the newest released one that
    loads."""
    from specserve.serving.registry import is_prerelease, serving_version

    target, pin = serving_version(model_dir, versions)
    if target is None or target == pin or loaded[target].ready:
        return target
    good = [v for v in versions if loaded[v].ready and not is_prerelease(v)]
    return good[-1] if good else None


def _mark(model_dir: Path, version: str, serving: str | None, rollout: Any) -> str:
    """`pinned` or `newest` for the serving version; `shadow`, `canary` for those."""
    from specserve.serving.registry import read_pin

    if version != serving:
        if rollout.canary is not None and rollout.canary.version == version:
            return "canary"
        if rollout.shadow is not None and rollout.shadow.version == version:
            return "shadow"
        return ""
    return "pinned" if read_pin(model_dir) == version else "newest"


def _read(version_dir: Path) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """metadata.json and parity.json, read with the store checks (regular, capped, no link)."""
    from specserve.serving.registry import read_json

    try:
        md = read_json(version_dir, "metadata.json")
    except (OSError, ValueError):
        md = {}
    try:
        parity = read_json(version_dir, "parity.json")
    except (OSError, ValueError):
        parity = None
    return (md if isinstance(md, dict) else {}), (parity if isinstance(parity, dict) else None)


def _runtime_of(md: dict[str, Any], parity: dict[str, Any] | None) -> str:
    if md.get("format") == "onnx":
        return "onnx"
    if md.get("runtime") == "sklearn":
        return "sklearn"
    return "onnx" if parity and parity.get("passed") else "sklearn"


def load_named(args: argparse.Namespace) -> Any:
    """The version `args.name` (`args.version`, else the one that would serve) names, loaded
    as a worker would; `ModelRefused` says why there is none."""
    from specserve.serving.artifacts import ModelRefused
    from specserve.serving.registry import list_versions, load_checked, serving_version

    model_dir = _model_dir(args) / args.name
    versions = list_versions(model_dir)
    if not versions:
        raise ModelRefused(f"no model {args.name!r} in {model_dir.parent}")
    version = args.version or serving_version(model_dir, versions)[0]
    if version is None:
        raise ModelRefused(
            f"{args.name} has only pre-releases ({', '.join(versions)}): pass --version"
        )
    if version not in versions:
        raise ModelRefused(f"{args.name} has no version {version!r} (has: {', '.join(versions)})")
    settings = _settings(args)
    model = load_checked(
        model_dir, version, versions, settings.allow_pickle, Limits.from_settings(settings)
    )
    if not model.ready:
        raise ModelRefused(f"{args.name} {version} would not load: {model.error}")
    return model


def cmd_check(args: argparse.Namespace) -> int:
    from specserve.serving.artifacts import ModelRefused

    try:
        model = load_named(args)
    except ModelRefused as exc:
        return _refuse(str(exc))
    version = model.version
    facts = model.describe()
    print(f"{args.name} {version}: loads; runtime {model.runtime} ({_where(model)})")
    print(f"  task: {facts['task']}; inputs: {_inputs_line(facts.get('inputs') or [])}")
    if facts["classes"]:
        print(f"  classes: {facts['classes']}; probabilities: {model.runner.has_proba}")
    print(f"  parity: {_parity_line(model.parity)}")
    return 0


def _where(model: Any) -> str:
    return "on the event loop" if model.inline else "in the model threads"


def cmd_pin(args: argparse.Namespace) -> int:
    from specserve.serving.registry import PIN_FILE, is_real_dir, list_versions

    model_dir = _model_dir(args) / args.name
    if not is_real_dir(model_dir):
        return _refuse(f"no model {args.name!r} in {model_dir.parent}")
    versions = list_versions(model_dir)
    if args.version not in versions:
        known = ", ".join(versions) or "none"
        return _refuse(f"{args.name} has no version {args.version!r} (has: {known})")
    _write(model_dir, PIN_FILE, (args.version + "\n").encode())
    print(f"Pinned {args.name} to {args.version}: the unversioned routes serve it.")
    return 0


def cmd_unpin(args: argparse.Namespace) -> int:
    from specserve.serving.registry import PIN_FILE, is_real_dir

    pin = _model_dir(args) / args.name / PIN_FILE
    if not (is_real_dir(pin.parent) and pin.is_file()):
        return _refuse(f"{args.name} is not pinned")
    pin.unlink()
    print(f"Unpinned {args.name}: the newest version serves.")
    return 0


def _write(model_dir: Path, name: str, data: bytes) -> None:
    """Replace `model_dir/name` whole: a reader sees the old file or the new, never part."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=model_dir)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, model_dir / name)


def _candidate(args: argparse.Namespace, kind: str) -> tuple[Path, str | None]:
    """(the model's folder, why `args.version` cannot be its shadow or canary, or None)."""
    from specserve.serving.changes import differences
    from specserve.serving.registry import is_real_dir, list_versions, read_json, serving_version

    model_dir = _model_dir(args) / args.name
    if not is_real_dir(model_dir):
        return model_dir, f"no model {args.name!r} in {model_dir.parent}"
    versions = list_versions(model_dir)
    if args.version not in versions:
        known = ", ".join(versions) or "none"
        return model_dir, f"{args.name} has no version {args.version!r} (has: {known})"
    serving = serving_version(model_dir, versions)[0]
    if serving == args.version:
        return model_dir, f"{args.version} is the version {args.name} serves: nothing to {kind}"
    if serving is None:
        return model_dir, f"{args.name} has no serving version to compare {args.version} with"
    try:
        old = read_json(model_dir / serving, "metadata.json")
        new = read_json(model_dir / args.version, "metadata.json")
        changes = differences(old, new)
    except (OSError, ValueError) as exc:
        return model_dir, f"cannot compare {args.version} with {serving}: {exc}"
    if changes:
        return model_dir, (
            f"{args.version} changes the contract of {serving} ({'; '.join(changes)}): "
            f"publish it as the serving version instead, or call it by version"
        )
    return model_dir, None


def cmd_shadow(args: argparse.Namespace) -> int:
    from specserve.serving.rollout import SHADOW_FILE, Shadow, to_json

    model_dir, problem = _candidate(args, "shadow")
    if problem:
        return _refuse(problem)
    _write(model_dir, SHADOW_FILE, to_json(Shadow(args.version, args.sample), _now()))
    print(
        f"Shadowing {args.name} with {args.version} on {args.sample:.0%} of requests: "
        f"see its agreement in GET /v1/models/{args.name}."
    )
    return 0


def cmd_canary(args: argparse.Namespace) -> int:
    from specserve.serving.rollout import CANARY_FILE, Canary, to_json

    model_dir, problem = _candidate(args, "canary")
    if problem:
        return _refuse(problem)
    _write(model_dir, CANARY_FILE, to_json(Canary(args.version, args.weight), _now()))
    print(f"{args.version} serves {args.weight:g} % of the callers of {args.name}.")
    return 0


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _remove(args: argparse.Namespace, kind: str) -> bool:
    from specserve.serving.registry import is_real_dir

    path = _model_dir(args) / args.name / kind
    if not (is_real_dir(path.parent) and path.is_file()):
        return False
    path.unlink()
    return True


def cmd_unshadow(args: argparse.Namespace) -> int:
    if not _remove(args, "shadow"):
        return _refuse(f"{args.name} has no shadow version")
    print(f"{args.name} is no longer shadowed.")
    return 0


def cmd_abort(args: argparse.Namespace) -> int:
    if not _remove(args, "canary"):
        return _refuse(f"{args.name} has no canary")
    print(f"Canary of {args.name} ended: the serving version serves every caller.")
    return 0


def cmd_promote(args: argparse.Namespace) -> int:
    """Pin the canary version, then end the split (and the shadow of that same version)."""
    from specserve.serving.registry import (
        PIN_FILE,
        is_real_dir,
        list_versions,
        read_rollout,
        serving_version,
    )

    model_dir = _model_dir(args) / args.name
    if not is_real_dir(model_dir):
        return _refuse(f"no model {args.name!r} in {model_dir.parent}")
    versions = list_versions(model_dir)
    rollout = read_rollout(model_dir, versions, serving_version(model_dir, versions)[0])
    if rollout.canary is None:
        why = f" ({'; '.join(rollout.problems)})" if rollout.problems else ""
        return _refuse(f"{args.name} has no canary to promote{why}")
    version = rollout.canary.version
    _write(model_dir, PIN_FILE, (version + "\n").encode())
    _remove(args, "canary")
    if rollout.shadow is not None and rollout.shadow.version == version:
        _remove(args, "shadow")
    print(f"Promoted {args.name} {version}: pinned, it serves every caller.")
    return 0


def _sample(text: str) -> float:
    return _bounded(text, 1.0, "a share from 0 to 1")


def _weight(text: str) -> float:
    return _bounded(text, 100.0, "a percentage from 0 to 100")


def _bounded(text: str, top: float, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= top:
        raise argparse.ArgumentTypeError(f"{text[:40]!r}: {what}")
    return value


def _register_rollout(actions: Any, common: argparse.ArgumentParser) -> None:
    shadow = actions.add_parser(
        "shadow", parents=[common], help="score requests with VERSION too, off the request path"
    )
    shadow.add_argument("name", type=_model_name)
    shadow.add_argument("version", type=_version)
    shadow.add_argument("--sample", type=_sample, default=1.0, help="share of requests (0-1)")
    shadow.set_defaults(func=cmd_shadow)
    unshadow = actions.add_parser("unshadow", parents=[common], help="end the shadow")
    unshadow.add_argument("name", type=_model_name)
    unshadow.set_defaults(func=cmd_unshadow)
    canary = actions.add_parser(
        "canary", parents=[common], help="serve VERSION to a share of the callers"
    )
    canary.add_argument("name", type=_model_name)
    canary.add_argument("version", type=_version)
    canary.add_argument(
        "--weight", type=_weight, required=True, help="percentage of callers (0-100)"
    )
    canary.set_defaults(func=cmd_canary)
    for action, func, what in (
        ("promote", cmd_promote, "pin the canary version and end the split"),
        ("abort", cmd_abort, "end the split"),
    ):
        parser = actions.add_parser(action, parents=[common], help=what)
        parser.add_argument("name", type=_model_name)
        parser.set_defaults(func=func)


def register(sub: Any) -> None:
    """Add `models` and its subcommands to the `specserve` parser."""
    models = sub.add_parser("models", help="add, list, check, pin and roll out model versions")
    actions = models.add_subparsers(dest="action", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--model-dir", help="default: SPECSERVE_MODEL_DIR (models)")
    add = actions.add_parser("add", parents=[common], help="check, convert, gate, publish")
    add.add_argument("artifact", help="a .skops, .onnx, or (with --allow-pickle) .joblib file")
    add.add_argument("--name", required=True)
    add.add_argument("--version", required=True)
    add.add_argument("--feature-names", type=_names, default=None, help="a,b,c")
    add.add_argument("--description", default="")
    add.add_argument(
        "--input-example",
        metavar="FILE",
        help="rows the model was trained on (CSV with a header, or JSON rows): the inputs' "
        "names and types",
    )
    add.add_argument(
        "--inputs", metavar="FILE.json", help="the signature, written by hand (overrides)"
    )
    add.add_argument(
        "--allow-contract-change",
        action="store_true",
        help="publish even if the inputs, classes or task differ from the serving version's",
    )
    add.add_argument("--allow-pickle", action="store_true", help="load a joblib/pickle file")
    add.add_argument(
        "--classes",
        type=_classes,
        default=None,
        help="ONNX graphs without labels: the classes in output order, a,b,c",
    )
    add.add_argument("--task", choices=TASKS, default=None, help="ONNX graphs: what it does")
    add.add_argument(
        "--value-tolerance",
        type=float,
        default=None,
        help="regression parity gate: absolute tolerance (default: 1e-5 of the spread of "
        "the model's own predictions on the probe rows)",
    )
    add.set_defaults(func=cmd_add)
    actions.add_parser("list", parents=[common], help="every version").set_defaults(func=cmd_list)
    check = actions.add_parser("check", parents=[common], help="what would load, and how")
    check.add_argument("name", type=_model_name)
    check.add_argument("--version", type=_version)
    check.set_defaults(func=cmd_check)
    pin = actions.add_parser("pin", parents=[common], help="serve VERSION on unversioned routes")
    pin.add_argument("name", type=_model_name)
    pin.add_argument("version", type=_version)
    pin.set_defaults(func=cmd_pin)
    unpin = actions.add_parser("unpin", parents=[common], help="serve the newest version again")
    unpin.add_argument("name", type=_model_name)
    unpin.set_defaults(func=cmd_unpin)
    _register_rollout(actions, common)
    model_sdk.register(actions, common)
