"""`python -m analysis lab`: JupyterLab on 127.0.0.1, in notebooks/, on the project's
kernel. The slow test starts the real server with a token on a free port, opens a
notebook through the contents API, and shuts the server down through its API."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from analysis import lab, paths


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_command_listens_on_localhost_in_notebooks_with_the_project_kernel() -> None:
    argv = lab.command(8899, token="t0k", browser=False)
    assert "--ServerApp.ip=127.0.0.1" in argv
    assert "--ServerApp.port=8899" in argv
    assert f"--ServerApp.root_dir={paths.NOTEBOOKS}" in argv
    assert f"--MappingKernelManager.default_kernel_name={lab.kernel_name()}" in argv
    assert "--IdentityProvider.token=t0k" in argv and "--no-browser" in argv
    assert lab.kernel_name() in {"analysis", "python3"}


@pytest.mark.slow
def test_server_opens_a_notebook_through_its_api(tmp_path: Path) -> None:
    token, port = secrets.token_hex(16), _free_port()
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
    }
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        lab.command(port, token=token, browser=False), env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"token {token}"}
    try:
        for _ in range(240):  # readiness, not a timing assertion
            try:
                if requests.get(f"{base}/api/status", headers=auth, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            time.sleep(0.5)
        assert requests.get(f"{base}/api/contents", timeout=5).status_code == 403
        opened = requests.get(f"{base}/api/contents/01_one_year.ipynb", headers=auth, timeout=10)
        assert opened.status_code == 200
        body = opened.json()
        assert body["type"] == "notebook" and body["name"] == "01_one_year.ipynb"
        tags = [c["metadata"].get("tags", []) for c in body["content"]["cells"]]
        assert any("parameters" in t for t in tags)
        specs = requests.get(f"{base}/api/kernelspecs", headers=auth, timeout=10).json()
        assert specs["default"] == lab.kernel_name()
        listing = requests.get(f"{base}/api/contents", headers=auth, timeout=10).json()
        assert {"01_one_year.ipynb", "05_war_toll.ipynb"} <= {i["name"] for i in listing["content"]}
        assert requests.post(f"{base}/api/shutdown", headers=auth, timeout=10).ok
        assert server.wait(timeout=60) == 0
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)
        log.close()
