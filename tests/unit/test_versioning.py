"""One version: info.version drives the SDKs; MAJOR.MINOR.PATCH only, which PEP 440 and npm
semver sort alike (docs/versioning.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from packaging.version import Version

from scripts.lifecycle import versions

INFO_VERSION = yaml.safe_load(Path("openapi/openapi.yaml").read_text())["info"]["version"]


def test_the_python_sdk_takes_info_version():
    setup = Path("generated/python-client/setup.py").read_text()
    assert re.search(r'version="([^"]+)"', setup)[1] == INFO_VERSION


def test_info_version_is_major_minor_patch():
    assert versions.parse(INFO_VERSION) is not None


@pytest.mark.parametrize("text", ["1.2.0-1", "1.2.0.post1", "1.2", "v1.2.0", "01.2.0", "1.2.0+sdk"])
def test_suffixes_are_refused(text):
    assert versions.parse(text) is None


def test_why_no_suffix_pep_440_puts_1_2_0_dash_1_after_1_2_0_where_npm_puts_it_before():
    assert Version("1.2.0-1") > Version("1.2.0")  # a post-release; npm: a pre-release
    assert Version("1.2.1") > Version("1.2.0") and Version("1.10.0") > Version("1.9.9")


@pytest.mark.parametrize(
    ("last", "new", "level", "ok"),
    [
        ("1.0.0", "2.0.0", "major", True),
        ("1.0.0", "1.1.0", "major", False),
        ("1.0.0", "1.1.0", "minor", True),
        ("1.0.0", "1.0.1", "minor", False),
        ("1.0.0", "1.0.1", "patch", True),
        ("1.0.0", "1.0.0", "patch", True),
        ("1.0.0", "1.0.0", "minor", False),
        ("1.2.0", "1.1.9", "patch", False),
        ("1.0.0", "2.0.0", "patch", True),
    ],
)
def test_the_bump_a_change_needs(last, new, level, ok):
    assert (versions.problem(versions.parse(last), versions.parse(new), level) is None) is ok


def test_the_suggested_next_version():
    assert versions.show(versions.next_version((1, 4, 2), "major")) == "2.0.0"
    assert versions.show(versions.next_version((1, 4, 2), "minor")) == "1.5.0"
    assert versions.show(versions.next_version((1, 4, 2), "patch")) == "1.4.3"
