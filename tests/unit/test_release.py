"""`make release` and `make breaking` on a copy of the layout (contract, released snapshots,
CHANGELOG.md), in process: the version a change needs, the changelog that must name it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from scripts.lifecycle import changelog, gate, release, tool
from scripts.lifecycle.spec import load
from tests.spec_changes import BASELINE, CASES, FIRST, FIXTURES, case_specs, dump

RENAME, OPT_IN = CASES[0], next(c for c in CASES if c["name"].endswith("declared opt-in"))


@pytest.fixture
def layout(tmp_path) -> gate.Layout:
    here = gate.Layout(tmp_path / "openapi.yaml", tmp_path / "released", tmp_path / "CHANGELOG.md")
    here.released.mkdir()
    shutil.copy(BASELINE, here.released / "1.0.0.yaml")
    shutil.copy(BASELINE, here.spec)  # the working contract: the release, unchanged
    here.changelog.write_text(FIRST)
    return here


def change(layout: gate.Layout, case) -> None:
    layout.spec.write_text(dump(case_specs(case)[1]))


def test_an_unreleased_breaking_change_fails_naming_it_and_the_fix(layout):
    change(layout, RENAME)
    report = "\n".join(gate.check(layout, differ=None))
    assert "info.version is still 1.0.0" in report
    assert "response property `processing_time_ms` removed" in report
    assert "#/components/schemas/PredictionResponse/properties/processing_time_ms" in report
    assert "POST /predict" in report
    assert "make release VERSION=2.0.0" in report
    assert "`latency_ms` added, not opt-in" in report and "declare `x-opt-in`" in report


def test_an_addition_needs_a_minor_version(layout):
    change(layout, OPT_IN)
    assert "make release VERSION=1.1.0" in "\n".join(gate.check(layout, differ=None))
    assert "patch version" in release.release(layout, "1.0.1", None, "2027-01-01")[0]
    assert release.release(layout, "1.1.0", None, "2027-01-01") == []
    assert gate.check(layout, differ=None) == []


def test_a_release_sets_the_version_writes_the_changelog_and_the_snapshot(layout):
    change(layout, RENAME)
    assert "keeps major version 1" in release.release(layout, "1.1.0", None, "2027-01-01")[0]
    assert release.release(layout, "2.0.0", None, "2027-01-01") == []
    assert load(layout.spec)["info"]["version"] == "2.0.0"
    assert (layout.released / "2.0.0.yaml").read_text() == layout.spec.read_text()
    log = layout.changelog.read_text()
    assert log.index("## [2.0.0] - 2027-01-01") < log.index("## [1.0.0]")
    breaking = log.split("### Breaking", 1)[1].split("##", 1)[0]
    assert "`processing_time_ms`" in breaking and "`latency_ms`" in breaking
    assert gate.check(layout, differ=None) == []


def test_the_changelog_must_name_every_breaking_change(layout):
    change(layout, RENAME)
    assert release.release(layout, "2.0.0", None, "2027-01-01") == []
    log = layout.changelog.read_text()
    kept = [line for line in log.splitlines() if "`latency_ms`" not in line]
    layout.changelog.write_text("\n".join(kept) + "\n")
    report = "\n".join(gate.check(layout, differ=None))
    assert "does not name" in report and "`latency_ms`" in report
    assert "processing_time_ms" not in report


def test_a_bumped_version_needs_its_changelog_section(layout):
    change(layout, RENAME)
    layout.spec.write_text(release.set_version(layout.spec.read_text(), "2.0.0"))
    assert "no section for 2.0.0" in "\n".join(gate.check(layout, differ=None))
    layout.changelog.write_text(
        FIRST.replace(
            "# Changelog\n",
            "# Changelog\n\n## [2.0.0]\n\n"
            "### Breaking\n\n- `processing_time_ms` is now "
            "`latency_ms`.\n",
        )
    )
    assert gate.check(layout, differ=None) == []


def test_every_release_has_a_changelog_section(layout):
    layout.changelog.write_text("# Changelog\n")
    assert gate.check(layout, differ=None) == [f"{layout.changelog}: no section for release 1.0.0"]


def test_an_sdk_only_release_is_a_patch_that_says_so(layout):
    assert release.release(layout, "1.0.1", None, "2027-01-01") == []
    assert "No change to the contract" in layout.changelog.read_text()
    assert gate.check(layout, differ=None) == []


def test_the_base_path_never_changes_with_a_major_version(layout):
    spec = load(layout.spec)
    spec["servers"][0]["url"] = spec["servers"][0]["url"].replace("/v1", "/v2")
    layout.spec.write_text(dump(spec))
    assert any("never the base path" in p for p in gate.check(layout, differ=None))


def test_setting_the_version_keeps_the_rest_of_the_file():
    text = Path("openapi/openapi.yaml").read_text()
    bumped = release.set_version(text, "3.1.4")
    assert yaml.safe_load(bumped)["info"]["version"] == "3.1.4"
    assert [a for a, b in zip(text.splitlines(), bumped.splitlines(), strict=True) if a != b] == [
        "  version: " + yaml.safe_load(text)["info"]["version"]
    ]


def test_openapi_diff_verdicts_the_rules_explain_follow_the_rules():
    """openapi-diff calls any wider prediction response breaking, opt-in or not (its output,
    recorded); where the rules see the change, theirs is the verdict."""
    differences = tool.parse((FIXTURES / "openapi-diff-opt-in.txt").read_text())
    assert {d.code for d in differences} == {"response.body.scope.add"}
    assert {d.type for d in differences} == {"breaking"}
    old, new = case_specs(OPT_IN)
    assert gate.changes(old, new, lambda *_: differences)[0].kind == "added"
    unexplained = tool.unexplained(differences, [])
    assert unexplained and {f.kind for f in unexplained} == {"breaking"}
    assert unexplained[0].pointer.startswith("new#/paths/~1predict/post/responses/200/content/")


def test_a_new_section_goes_above_the_last_one_with_one_blank_line():
    section = changelog.render("1.1.0", "2027-01-01", [])
    assert changelog.insert(FIRST, section) == FIRST.replace(
        "## [1.0.0]", section.rstrip("\n") + "\n\n## [1.0.0]"
    )
    assert changelog.insert("", section) == section


def test_the_fix_names_the_contract_s_own_release_target_and_base_path(tmp_path):
    """The Open Inference Protocol's contract is released by `make release-v2` and lives at
    `/v2`: an unreleased change there says so, not `make release` and `/v1`."""
    v2 = Path("openapi/released/inference-v2")
    last = max(v2.glob("*.yaml"), key=lambda p: tuple(map(int, p.stem.split("."))))
    here = gate.Layout(
        tmp_path / "v2.yaml", tmp_path / "released", tmp_path / "CHANGELOG.md", "release-v2"
    )
    here.released.mkdir()
    shutil.copy(last, here.released / last.name)
    spec = yaml.safe_load(last.read_text())
    spec["paths"]["/health/live"]["get"]["responses"]["200"].setdefault("headers", {})["X-New"] = {
        "schema": {"type": "string"}
    }
    here.spec.write_text(yaml.safe_dump(spec, sort_keys=False))
    here.changelog.write_text((v2 / "CHANGELOG.md").read_text())
    report = "\n".join(gate.check(here, differ=None))
    assert "response header `X-New` added" in report
    assert "make release-v2 VERSION=" in report and "the base path stays /v2" in report
