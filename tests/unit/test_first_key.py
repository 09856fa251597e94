"""`specserve init` (run by `make serve`) shows the first key on a terminal only; when
stdout is collected (journald, container logs) the key goes to a 0600 file instead."""

from __future__ import annotations

import os
import pty
import re
import stat
import subprocess

import pytest

from specserve.auth.filestore import FileKeyStore
from tests.procs import BIN, ROOT, clean_env, run

pytestmark = pytest.mark.slow  # runs `specserve init`

KEY = re.compile(r"ssk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")


def init_env(tmp_path):
    return clean_env(tmp_path, jwt_secret_file=str(tmp_path / "jwt_secret"))


def test_without_a_terminal_the_first_key_goes_to_a_private_file(tmp_path):
    result = run([str(BIN / "specserve"), "init"], init_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert not KEY.search(result.stdout + result.stderr), "the key reached collected output"
    path = tmp_path / "first_api_key"
    assert str(path) in result.stdout, "the output says where the key is"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = path.read_text().strip()
    assert KEY.fullmatch(key)
    assert FileKeyStore(tmp_path / "keys.json").authenticate(key) is not None


def test_on_a_terminal_the_first_key_is_shown_and_no_file_is_written(tmp_path):
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [str(BIN / "specserve"), "init"],
        cwd=ROOT,
        env=init_env(tmp_path),
        stdout=follower,
        stderr=subprocess.PIPE,
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the terminal's other side closed
            break
        if not chunk:
            break
        output += chunk
    assert proc.wait(60) == 0, proc.stderr.read()
    os.close(leader)
    assert KEY.search(output.decode()), output
    assert not (tmp_path / "first_api_key").exists()
