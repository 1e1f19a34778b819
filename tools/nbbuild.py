"""Write a notebook from a compact cell list (developer helper; notebooks are committed as .ipynb).

Usage: from tools.nbbuild import md, code, write; write(path, [md("..."), code("...", tags=[...])])
Markdown cells may write {glue}`key`; it is turned into {glue:text}`key`. Code cells without tags
get "hide-input".
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import nbformat


def md(src: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(src.strip("\n"))


def code(src: str, tags: list[str] | None = None) -> nbformat.NotebookNode:
    c = nbformat.v4.new_code_cell(src.strip("\n"))
    if tags:
        c.metadata["tags"] = tags
    return c


RERUN = """
```{{admonition}} Re-run this page
:class: tip
Download the notebook with the download button at the top of the page (or take
`notebooks/{name}.ipynb` from the repository) and run
`papermill notebooks/{name}.ipynb out.ipynb -p budget cpu` with `budget` set to `smoke`, `cpu` or
`full`; see {{doc}}`/book/rerun`.
```
"""


def write(path: str, cells: list[nbformat.NotebookNode]) -> None:
    # every chapter opens with its title, then how to download and re-execute it
    cells = [cells[0], md(RERUN.format(name=Path(path).stem)), *cells[1:]]
    nb = nbformat.v4.new_notebook()
    for i, c in enumerate(cells):
        # stable cell ids: regenerating an unchanged source leaves the notebook unchanged
        c.id = hashlib.sha1(f"{Path(path).stem}:{i}:{c.source}".encode()).hexdigest()[:8]
        if c.cell_type == "markdown":
            # {glue:text} pastes a glued string without the quotes that {glue} shows
            c.source = c.source.replace("{glue}`", "{glue:text}`")
        elif not c.metadata.get("tags"):
            c.metadata["tags"] = ["hide-input"]  # the book shows results; code is one click away
    nb.cells = cells
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.validate(nb)
    out = os.environ.get("NB_OUT")  # the tests write to a scratch folder to compare
    nbformat.write(nb, str(Path(out) / Path(path).name) if out else path)


#: the parameters cell every chapter starts with (papermill injects values after it)
PARAMS = '''
# Parameters (papermill): see README, "Re-executing a chapter".
budget = "cpu"  # smoke | cpu | full
compute = "auto"  # auto: compute missing runs (the book reads records only); never; force
seed = 0
'''


def params_cell() -> nbformat.NotebookNode:
    return code(PARAMS, tags=["parameters"])


def checks_cells() -> list[nbformat.NotebookNode]:
    """A paper chapter's closing cells: the checks of the paper against itself (needs `HTML`,
    `display`, `report` and `checks` in the kernel)."""
    return [
        md("""
## The paper against itself

Each failing check gives the paper's number, the recomputed one and the rule used.
"""),
        code("""
display(HTML(report.checks_table_html(checks, consistent=False)))
"""),
        md("The checks that pass:"),
        code("""
display(HTML(report.checks_table_html(checks, consistent=True)))
"""),
    ]
