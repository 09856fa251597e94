"""Validate the Kubernetes manifests under a folder against one Kubernetes version.

Every kustomization is rendered (resources, patches, images, namespace, secret generators:
the subset of kustomize the manifests use) and each object is checked with
`kubernetes-validate --strict` semantics: unknown fields fail, and so does an object whose
kind/apiVersion has no schema (the CLI only warns). Overlays must be complete: every
ConfigMap, Secret and PersistentVolumeClaim a pod refers to is part of the output. Any YAML
file no kustomization uses is validated on its own (examples/).

    python scripts/k8s_validate.py --kubernetes-version 1.30.0 deploy/kubernetes
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import kubernetes_validate
import yaml

KUSTOMIZATION = "kustomization.yaml"


def load(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def merge(base, patch):
    """A strategic-merge patch as kustomize applies it to these manifests: maps merge, null
    deletes a key, lists of named items merge by name, other lists are replaced."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for key, value in patch.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = merge(out[key], value) if key in out else value
        return out
    named = isinstance(base, list) and isinstance(patch, list)
    if named and all(isinstance(i, dict) and "name" in i for i in base + patch):
        out = list(base)
        index = {item["name"]: n for n, item in enumerate(out)}
        for item in patch:
            if item["name"] in index:
                out[index[item["name"]]] = merge(out[index[item["name"]]], item)
            else:
                out.append(item)
        return out
    return patch


def containers(obj: dict) -> list[dict]:
    spec = obj.get("spec", {}).get("template", {}).get("spec", {})
    return spec.get("initContainers", []) + spec.get("containers", [])


def render(folder: Path, used: set[Path]) -> list[dict]:
    """The objects `kubectl apply -k folder` would send."""
    path = folder / KUSTOMIZATION
    used.add(path.resolve())
    spec = yaml.safe_load(path.read_text())
    objects: list[dict] = []
    for entry in spec.get("resources", []):
        target = (folder / entry).resolve()
        if target.is_dir():
            objects += render(target, used)
        else:
            used.add(target)
            objects += load(target)
    for generator in spec.get("secretGenerator", []):
        keys = [f.split("=", 1)[0] for f in generator.get("files", [])]
        meta = {"name": generator["name"]}
        objects.append({"apiVersion": "v1", "kind": "Secret", "metadata": meta,
                        "data": dict.fromkeys(keys, "")})  # fmt: skip
    for entry in spec.get("patches", []):
        patch_file = (folder / entry["path"]).resolve()
        used.add(patch_file)
        for patch in load(patch_file):
            match = [o for o in objects if (o["kind"], o["metadata"]["name"])
                     == (patch["kind"], patch["metadata"]["name"])]  # fmt: skip
            if not match:
                raise SystemExit(f"{patch_file}: patches nothing")
            objects[objects.index(match[0])] = merge(match[0], patch)
    for image in spec.get("images", []):
        for obj in objects:
            for container in containers(obj):
                if container["image"].split(":")[0] == image["name"]:
                    container["image"] = f"{image['newName']}:{image['newTag']}"
    if "namespace" in spec:
        for obj in objects:
            if obj["kind"] != "Namespace":
                obj["metadata"]["namespace"] = spec["namespace"]
    return objects


def references(obj: dict) -> set[tuple[str, str]]:
    """ConfigMaps, Secrets and claims the object's pods need (optional ones aside)."""
    pod = obj.get("spec", {}).get("template", {}).get("spec", {})
    refs = set()
    for volume in pod.get("volumes", []):
        if "secret" in volume and not volume["secret"].get("optional"):
            refs.add(("Secret", volume["secret"]["secretName"]))
        if "persistentVolumeClaim" in volume:
            refs.add(("PersistentVolumeClaim", volume["persistentVolumeClaim"]["claimName"]))
    for container in containers(obj):
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                refs.add(("ConfigMap", source["configMapRef"]["name"]))
    return refs


def check(objects: list[dict], where: str, version: str) -> list[str]:
    errors = []
    for obj in objects:
        name = f"{where}: {obj.get('kind')}/{obj.get('metadata', {}).get('name')}"
        try:
            kubernetes_validate.validate(obj, version, strict=True)
            print(f"ok    {name}")
        except kubernetes_validate.ValidationError as exc:
            errors.append(f"{name}: {'.'.join(map(str, exc.path))}: {exc.message}")
        except (
            kubernetes_validate.SchemaNotFoundError,
            kubernetes_validate.InvalidSchemaError,
        ) as exc:  # noqa: E501
            errors.append(f"{name}: {exc.message}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubernetes-version", default="1.30.0")
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    used: set[Path] = set()
    errors: list[str] = []
    for kustomization in sorted(args.folder.rglob(KUSTOMIZATION)):
        folder = kustomization.parent
        objects = render(folder, used)
        errors += check(objects, str(folder), args.kubernetes_version)
        if folder.parent.name == "overlays":
            have = {(o["kind"], o["metadata"]["name"]) for o in objects}
            for obj in objects:
                for kind, name in sorted(references(obj) - have):
                    errors.append(f"{folder}: {obj['kind']}/{obj['metadata']['name']} "
                                  f"needs {kind}/{name}, which the overlay lacks")  # fmt: skip
    for path in sorted(args.folder.rglob("*.yaml")):
        if path.resolve() not in used:
            errors += check(load(path), str(path), args.kubernetes_version)
    for error in errors:
        print(f"ERROR {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
