"""A new version's contract against the version that serves now (`specserve models add`).

A client of the unversioned routes (`/models/{name}/predict`) sees a new version the moment
it serves. What would break such a client is refused unless `--allow-contract-change`:
- an input added or removed, or the inputs reordered (a positional client sends them in
  order);
- an input's type changed (except integer to number, which accepts more), made not
  nullable, given a closed category set, or its closed set narrowed;
- the task, the classes, or what `prediction` means (classes that were numbers becoming
  strings) changed.
Anything else (a wider category set, a new description, other metrics) publishes as usual.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specserve.serving.artifacts import ModelRefused
from specserve.serving.signature import Signature, SignatureInvalid


def serving_metadata(model_dir: Path) -> dict[str, Any] | None:
    """metadata.json of the version the unversioned routes serve now, if any: the pin, else
    the newest released version, passing over one whose metadata.json is unreadable or
    whose inputs do not hold (it does not load: the version before it serves)."""
    from specserve.serving.registry import is_prerelease, list_versions, read_json, serving_version

    versions = list_versions(model_dir) if model_dir.is_dir() else []
    current = serving_version(model_dir, versions)[0] if versions else None
    if current is None:
        return None
    released = [v for v in reversed(versions) if not is_prerelease(v) and v != current]
    for version in (current, *released):
        try:
            md = read_json(model_dir / version, "metadata.json")
            if isinstance(md, dict):
                Signature.from_metadata(md, md.get("n_features"))
                return md
        except (OSError, ValueError, TypeError):
            continue
    return None


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What a client of the old version would notice in the new one, one line each."""
    found: list[str] = []
    try:
        before = Signature.from_metadata(old, old.get("n_features"))
    except SignatureInvalid:
        return []  # the old version's signature does not hold: nothing to keep
    after = Signature.from_metadata(new, new.get("n_features"))
    old_inputs = {i.name: i for i in before.inputs}
    new_inputs = {i.name: i for i in after.inputs}
    for name in old_inputs.keys() - new_inputs.keys():
        found.append(f"input {name!r} removed")
    for name in new_inputs.keys() - old_inputs.keys():
        found.append(f"input {name!r} added")
    shared = [n for n in before.names if n in new_inputs]
    if [n for n in after.names if n in old_inputs] != shared:
        found.append(f"inputs reordered: {list(before.names)} -> {list(after.names)}")
    for name in shared:
        found.extend(_input_changes(old_inputs[name], new_inputs[name]))
    if old.get("task") != new.get("task"):
        found.append(f"task {old.get('task')} -> {new.get('task')}")
    old_classes, new_classes = old.get("classes") or [], new.get("classes") or []
    if old_classes != new_classes:
        found.append(f"classes {old_classes[:10]} -> {new_classes[:10]}")
        if _strings(old_classes) != _strings(new_classes):
            kinds = ("numbers", "strings")
            found.append(
                f"labels were {kinds[_strings(old_classes)]}, now {kinds[_strings(new_classes)]}: "
                "`prediction` changes meaning"
            )
    return found


def _strings(classes: list[Any]) -> bool:
    return any(isinstance(c, str) for c in classes)


def _input_changes(old: Any, new: Any) -> list[str]:
    found = []
    if old.type != new.type and (old.type, new.type) != ("integer", "number"):
        found.append(f"input {old.name!r}: type {old.type} -> {new.type}")
    if old.nullable and not new.nullable:
        found.append(f"input {old.name!r}: can no longer be null")
    before, after = old.closed, new.closed
    if after is not None and before is None:
        found.append(f"input {old.name!r}: now limited to {sorted(map(str, after))[:10]}")
    elif after is not None and before is not None and not before <= after:
        gone = sorted(map(str, before - after))
        found.append(f"input {old.name!r}: categories removed {gone[:10]}")
    return found


def refuse_contract_change(model_dir: Path, facts: dict[str, Any]) -> None:
    """Refuse a version whose contract differs from the serving one's (see the docstring)."""
    old = serving_metadata(model_dir)
    if old is None:
        return
    found = differences(old, facts)
    if found:
        raise ModelRefused(
            f"the new version changes what clients of {model_dir.name} see ("
            + "; ".join(found)
            + "); publish it with --allow-contract-change if that is meant"
        )
