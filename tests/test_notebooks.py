"""Chapters: committed notebooks match their source; each runs at the smoke budget (papermill);
marked cells reproduce under nbval-lax."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from fer_repro.data import available

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
# chapters that compute smoke-budget runs from the data (the others read records or nothing)
NEEDS_DATA = {"data": ("fer2013.npz", "ferplus_votes.csv", "ckplus48.npz", "kdef_subset3.npz"),
              "suwartono2025": ("fer2013.npz",), "leakage": ("fer2013.npz",),
              "resemotenet": ("fer2013.npz",), "amacnn": ("fer2013.npz",),
              "dlfer": ("fer2013.npz",), "dcrnet": ("ckplus48.npz", "kdef_subset3.npz", "fer2013.npz")}


def _cells(nb) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in nb.cells]


def test_every_notebook_is_in_the_toc():
    toc = (ROOT / "_toc.yml").read_text()
    for name in NOTEBOOKS:
        assert f"notebooks/{name}" in toc, f"notebooks/{name}.ipynb is not in _toc.yml"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_chapter_is_a_jupytext_pair_in_sync(name):
    """Each chapter is edited as notebooks/<name>.py (percent format: ruff and any editor read
    it) or as the notebook in JupyterLab; `jupytext --sync notebooks/*.py` keeps both equal."""
    import jupytext

    ipynb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", 4)
    assert ipynb.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent", \
        f"notebooks/{name}.ipynb is not paired: jupytext --set-formats ipynb,py:percent"
    py = ROOT / "notebooks" / f"{name}.py"
    assert py.exists(), f"notebooks/{name}.py is missing: jupytext --sync notebooks/{name}.ipynb"
    assert _cells(jupytext.read(py)) == _cells(ipynb), (
        f"notebooks/{name}.py and .ipynb differ: run `jupytext --sync notebooks/{name}.py` "
        "(the newer file wins)")


def test_parameters_cell_is_tagged_and_first_code_cell():
    for name in NOTEBOOKS:
        nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", 4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "parameters" in code[0].metadata.get("tags", []), name
        assert ("chapter.start(" in code[1].source or "open_paper(" in code[1].source), \
            f"{name}: the parameters are not validated first (fer_repro.chapter.start/open_paper)"
        assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.fixture(scope="module")
def scratch_results(tmp_path_factory):
    """A scratch copy of the run store, so smoke runs never touch results/."""
    d = tmp_path_factory.mktemp("results")
    shutil.copytree(ROOT / "results", d, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("checkpoints"))
    return d


def _skip_without_data(name: str) -> None:
    missing = [f for f in NEEDS_DATA.get(name, ()) if not available(f)]
    if missing:
        pytest.skip(f"{name} needs {missing} on the data search path")


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_chapter_runs_at_smoke_and_nbval(name, tmp_path, scratch_results):
    _skip_without_data(name)
    import papermill as pm

    env = {"FER_REPRO_RESULTS": str(scratch_results), "FER_REPRO_COMPUTE": ""}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        out = tmp_path / f"{name}.ipynb"
        pm.execute_notebook(str(ROOT / "notebooks" / f"{name}.ipynb"), str(out),
                            parameters={"budget": "smoke"}, cwd=str(ROOT / "notebooks"),
                            kernel_name="python3", progress_bar=False, execution_timeout=1200)
        nb = json.loads(out.read_text())
        errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors
        # nbval-lax: re-execute and compare the cells marked NBVAL_CHECK_OUTPUT
        r = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
             "--nbval-current-env", str(out)],
            cwd=tmp_path, env=dict(os.environ), capture_output=True, text=True, timeout=900, check=False,
        )
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_bad_parameters_fail_before_work(tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError, match="budget"):
        pm.execute_notebook(str(ROOT / "notebooks" / "claims_overview.ipynb"), str(tmp_path / "x.ipynb"),
                            parameters={"budget": "huge"}, cwd=str(ROOT / "notebooks"),
                            kernel_name="python3", progress_bar=False)
