"""`python -m analysis lab`: JupyterLab in `notebooks/`, on the project's kernel.

The server listens on 127.0.0.1 only (never on every interface) and opens new
notebooks on the kernel `analysis`, which `make env` installs into `.venv` so it
runs the project's own Python with its pinned packages. Where that kernel is
missing (an environment made without `make env`), the `python3` kernel of the
current interpreter is used and the user is told how to install the right one.
"""

from __future__ import annotations

import os
import subprocess
import sys

from jupyter_client.kernelspec import KernelSpecManager

from analysis import paths

KERNEL = "analysis"


def kernel_name() -> str:
    """`analysis` when that kernel is installed in this environment, else `python3`."""
    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def command(port: int, *, token: str | None = None, browser: bool = True) -> list[str]:
    """The JupyterLab command line; `token=None` keeps Jupyter's own random token."""
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={paths.NOTEBOOKS}",
        f"--MappingKernelManager.default_kernel_name={kernel_name()}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers often run as root
        argv.append("--ServerApp.allow_root=True")
    if token is not None:
        argv.append(f"--IdentityProvider.token={token}")
    if not browser:
        argv.append("--no-browser")
    return argv


def main(port: int = 8888) -> int:
    """Start JupyterLab on 127.0.0.1:`port` and wait until it is stopped."""
    if kernel_name() != KERNEL:
        print(
            f"kernel {KERNEL!r} is not installed; using 'python3' of {sys.executable}. "
            "Run `make env` to install it.",
            file=sys.stderr,
        )
    try:
        return subprocess.call(command(port))
    except KeyboardInterrupt:
        return 0
