"""`make breaking` and `make release`: the working contract against the last released one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from scripts.lifecycle import changelog, operations, strict, tool, versions
from scripts.lifecycle.findings import Group, group, level
from scripts.lifecycle.spec import Spec, load

Differ = Callable[[Spec, Spec], list[tool.Difference]]


@dataclass(frozen=True)
class Layout:
    spec: Path = Path("openapi/openapi.yaml")
    released: Path = Path("openapi/released")
    changelog: Path = Path("CHANGELOG.md")
    target: str = "release"  # the make target that releases this contract

    def snapshot(self, version: versions.Version) -> Path:
        return self.released / f"{versions.show(version)}.yaml"


def snapshots(layout: Layout) -> list[versions.Version]:
    found = [versions.parse(p.stem) for p in layout.released.glob("*.yaml")]
    return sorted(v for v in found if v is not None)


def changes(old: Spec, new: Spec, differ: Differ | None) -> list[Group]:
    found = operations.compare(old, new) + strict.compare(old, new)
    if differ is not None:
        found += tool.unexplained(differ(old, new), found)
    return group(found)


def listing(groups: list[Group], old: Path, new: Path) -> list[str]:
    files = {"old": str(old), "new": str(new)}
    lines = []
    for g in groups:
        side, at = g.pointer.split("#", 1)
        more = f" and {len(g.operations) - 3} more" if len(g.operations) > 3 else ""
        lines += [
            f"  {g.kind:<9} {g.what}",
            f"            at {files.get(side, side)}#{at}",
            f"            in {', '.join(g.operations[:3])}{more}",
        ]
    return lines


def base_path(spec: Spec) -> set[str]:
    return {urlparse(s.get("url", "")).path.rstrip("/") for s in spec.get("servers") or []}


def step(
    layout: Layout,
    last: versions.Version,
    old: Spec,
    new_file: Path,
    new: Spec,
    differ: Differ | None,
) -> list[str]:
    """Problems of `new` as the successor of release `last`: its version, its changelog."""
    version = versions.parse(new["info"]["version"])
    if version is None:
        return [f"{new_file}: info.version {new['info']['version']!r} is not MAJOR.MINOR.PATCH"]
    groups = changes(old, new, differ)
    why = versions.problem(last, version, level(groups))
    if why:
        return unreleased(layout, last, why, groups, new_file, new)
    return [] if version == last else named(layout, version, groups, last, new_file)


def unreleased(
    layout: Layout,
    last: versions.Version,
    why: str,
    groups: list[Group],
    new_file: Path,
    new: Spec,
) -> list[str]:
    advice = versions.show(versions.next_version(last, level(groups)))
    need = "a major" if level(groups) == "major" else "a minor"
    old_file = layout.snapshot(last)
    return [
        f"{new_file} against release {versions.show(last)} ({old_file}): {why}, and these "
        f"changes need {need} version:",
        *listing(groups, old_file, new_file),
        f"To release them: make {layout.target} VERSION={advice} (sets info.version and writes "
        f"{layout.changelog}; the base path stays {', '.join(sorted(base_path(new)))}). "
        f"Or undo them{opt_in_hint(groups)}.",
    ]


def opt_in_hint(groups: list[Group]) -> str:
    if not any(strict.NOT_OPT_IN in g.what for g in groups):
        return ""
    return (
        f", or declare `{strict.OPT_IN}` on a prediction property only a query parameter or a "
        "kind of model turns on (docs/versioning.md)"
    )


def named(
    layout: Layout,
    version: versions.Version,
    groups: list[Group],
    last: versions.Version,
    new_file: Path,
) -> list[str]:
    """Problems of the changelog section of `version`, which must name the breaking changes."""
    section = changelog.sections(read(layout.changelog)).get(versions.show(version))
    if section is None:
        return [
            f"{layout.changelog}: no section for {versions.show(version)}: make release "
            f"VERSION={versions.show(version)} writes it"
        ]
    missing = changelog.unnamed(section, groups)
    if not missing:
        return []
    return [
        f"{layout.changelog}: the {versions.show(version)} section's `### Breaking` does not "
        "name (in backticks) these breaking changes:",
        *listing(missing, layout.snapshot(last), new_file),
    ]


def read(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def check(layout: Layout, differ: Differ | None) -> list[str]:
    released = snapshots(layout)
    if not released:
        return [f"{layout.released}: no released contract (X.Y.Z.yaml) to compare with"]
    current = load(layout.spec)
    specs = {v: load(layout.snapshot(v)) for v in released[-2:]}
    last = released[-1]
    problems = strict.problems(current) + consistency(layout, released, specs, current)
    if len(released) > 1:
        before = released[-2]
        problems += step(layout, before, specs[before], layout.snapshot(last), specs[last], differ)
    return problems + step(layout, last, specs[last], layout.spec, current, differ)


def consistency(
    layout: Layout,
    released: list[versions.Version],
    specs: dict[versions.Version, Spec],
    current: Spec,
) -> list[str]:
    """Snapshots named by their version, a changelog section each, the same base path."""
    problems = [
        f"{layout.snapshot(v)}: info.version is {spec['info']['version']}"
        for v, spec in specs.items()
        if versions.parse(spec["info"]["version"]) != v
    ]
    noted = changelog.sections(read(layout.changelog))
    problems += [
        f"{layout.changelog}: no section for release {versions.show(v)}"
        for v in released
        if versions.show(v) not in noted
    ]
    was = base_path(specs[released[-1]])
    if base_path(current) != was:
        problems.append(
            f"{layout.spec}: the servers' base path changed from {sorted(was)}: a major version "
            "changes info.version, never the base path (/v2 is the Open Inference Protocol's)"
        )
    return problems
