"""Notebook kernels run quietly: IPC transport (no warning about unencrypted TCP) and
shutdown once idle (no KeyboardInterrupt from the interrupt sent before shutdown,
which used to hit about one run in three)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from analysis.pipeline import kernel
from analysis.pipeline.runner import kernel_name

pytestmark = pytest.mark.slow
RUNS = 6


@pytest.fixture
def own_tempdir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary folder of this test's own as `tempfile`'s default: another
    pytest-xdist worker may run kernels in the system's at the same time. It is made
    in the system's (not under tmp_path) since an IPC socket path is limited to about
    100 characters."""
    with tempfile.TemporaryDirectory(prefix="kernel-test-") as scratch:
        monkeypatch.setattr(tempfile, "tempdir", scratch)
        yield Path(scratch)


def test_kernels_use_ipc_and_shut_down_without_a_word(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], own_tempdir: Path
) -> None:
    source = tmp_path / "in.ipynb"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("from ipykernel.kernelapp import IPKernelApp"),
        nbformat.v4.new_code_cell("print(IPKernelApp.instance().transport)"),
    ]
    nbformat.write(notebook, source)
    for i in range(RUNS):
        kernel.execute_notebook(
            str(source),
            str(tmp_path / f"out-{i}.ipynb"),
            kernel_name=kernel_name(),
            progress_bar=False,
            log_output=False,
        )
    said = capfd.readouterr()
    executed = nbformat.read(tmp_path / f"out-{RUNS - 1}.ipynb", as_version=4)
    assert executed.cells[1].outputs[0]["text"].strip() == "ipc"
    assert "without encryption" not in said.err + said.out
    assert "KeyboardInterrupt" not in said.err + said.out
    assert not list(own_tempdir.iterdir())  # each kernel's folder was removed


def test_notebooks_clean_runs_on_the_same_quiet_client(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from analysis.pipeline import notebooks_clean

    path = tmp_path / "nb.ipynb"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("from ipykernel.kernelapp import IPKernelApp"),
        nbformat.v4.new_code_cell("print(IPKernelApp.instance().transport)"),
    ]
    nbformat.write(notebook, path)
    for _ in range(3):
        assert notebooks_clean.execute(path).cells[1].outputs[0]["text"] == "ipc\n"
    said = capfd.readouterr()
    assert "without encryption" not in said.err and "KeyboardInterrupt" not in said.err
