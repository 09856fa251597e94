"""The image under test, built from this tree once per run."""

from __future__ import annotations

import pytest

from tests.conftest import requires
from tests.deploy import podman


@pytest.fixture(scope="session")
def image() -> str:
    requires("podman (apt-get install podman runc)", podman.available())
    return podman.build_image()
