"""How the build talks to notebook kernels: over local sockets, and shut down idle.

Why. Two messages used to reach the terminal from every build:

- ipykernel warns "Kernel is running over TCP without encryption" whenever a kernel
  listens on TCP without CurveZMQ keys, which is jupyter_client's default transport.
  A build's kernels only ever talk to the process that started them on the same
  machine, so `IpcKernelManager` uses ZeroMQ's IPC transport: Unix sockets in a
  private temporary folder (mode 0700), which no other user can reach and which
  need no TCP port (so parallel kernels never race for one either).
- jupyter_client's graceful shutdown first interrupts the kernel (SIGINT), then
  asks it to stop. papermill shuts the kernel down as soon as the reply to its last
  `kernel_info` request arrives, but the kernel is still inside that request's
  handler, where SIGINT raises: it logs "ERROR | KeyboardInterrupt caught in
  kernel." (in about one run in three). A kernel is done with a request only when it
  publishes the `idle` status for it, after restoring its "ignore SIGINT" handler.
  `IdleShutdown.setup_kernel` therefore waits for that status before shutdown, so
  the interrupt finds an idle kernel, which ignores it.

`execute_notebook` is papermill's function with both fixes; `NotebookClient` is
nbclient's client with both, for running a notebook without papermill.

Known drawbacks. The waiting relies on the kernel publishing `idle` after each
request (the Jupyter messaging protocol requires it); a kernel that never does
costs `SETTLE_SECONDS` at shutdown. IPC needs a Unix socket path shorter than about
100 bytes, so the folder is made in the system's temporary folder.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from queue import Empty
from typing import Any

import nbclient
from jupyter_client.manager import AsyncKernelManager
from nbclient.util import ensure_async, run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from traitlets import default

#: Longest wait for a kernel to finish its last request before shutting it down.
SETTLE_SECONDS = 5.0
ENGINE = "analysis"


class IpcKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel listens on Unix sockets in a private folder."""

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"


class IdleShutdown:
    """Mixin for nbclient clients: IPC kernels, and shutdown only once idle."""

    km: Any
    kc: Any
    kernel_name: str
    config: Any

    async def _settle(self) -> None:
        """Ask the kernel for its info and wait until it reports idle for that request:
        the shell handles requests in order, so every earlier one is finished too."""
        if self.kc is None or self.km is None or not await ensure_async(self.km.is_alive()):
            return
        request = await ensure_async(self.kc.kernel_info())
        deadline = time.monotonic() + SETTLE_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = await ensure_async(self.kc.get_iopub_msg(timeout=left))
            except Empty:
                return
            if (
                message["parent_header"].get("msg_id") == request
                and message["msg_type"] == "status"
                and message["content"].get("execution_state") == "idle"
            ):
                return

    def _manage(self, folder: Path) -> None:
        if self.km is None:
            self.km = IpcKernelManager(
                kernel_name=self.kernel_name,
                config=self.config,
                connection_file=str(folder / "kernel.json"),
            )

    @contextmanager
    def setup_kernel(self, **kwargs: Any) -> Iterator[None]:
        """nbclient's kernel set-up (papermill's path), with an IPC kernel and an idle
        shutdown."""
        folder = Path(tempfile.mkdtemp(prefix="analysis-kernel-"))
        try:
            self._manage(folder)
            with super().setup_kernel(**kwargs):  # type: ignore[misc]
                try:
                    yield
                finally:
                    run_sync(self._settle)()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    @asynccontextmanager
    async def async_setup_kernel(self, **kwargs: Any) -> AsyncIterator[None]:
        """The same for nbclient's own `execute`, which sets the kernel up async."""
        folder = Path(tempfile.mkdtemp(prefix="analysis-kernel-"))
        try:
            self._manage(folder)
            async with super().async_setup_kernel(**kwargs):  # type: ignore[misc]
                try:
                    yield
                finally:
                    await self._settle()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


class NotebookClient(IdleShutdown, nbclient.NotebookClient):
    """nbclient's notebook client on an IPC kernel that is shut down idle."""


class _PapermillClient(IdleShutdown, PapermillNotebookClient):
    """papermill's notebook client on an IPC kernel that is shut down idle."""


class _Engine(NBClientEngine):
    """papermill's nbclient engine, with `_PapermillClient`."""

    @classmethod
    def execute_managed_notebook(  # type: ignore[override]
        cls,
        nb_man: Any,
        kernel_name: str,
        log_output: bool = False,
        stdout_file: Any = None,
        stderr_file: Any = None,
        start_timeout: int = 60,
        execution_timeout: float | None = None,
        **kwargs: Any,
    ) -> Any:
        for unused in ("input_path", "timeout", "startup_timeout"):
            kwargs.pop(unused, None)
        return _PapermillClient(
            nb_man,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            log=logger,
            **kwargs,
        ).execute()


papermill_engines.register(ENGINE, _Engine)


def execute_notebook(*args: Any, **kwargs: Any) -> Any:
    """`papermill.execute_notebook` on this module's engine."""
    import papermill

    return papermill.execute_notebook(*args, engine_name=ENGINE, **kwargs)
