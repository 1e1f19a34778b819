"""Source of notebooks/claims_overview.ipynb (every claim of every paper).

Edit here, then run `python tools/notebooks/claims_overview.py`; tests/test_notebooks.py checks that the
committed notebooks match this source.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tools.nbbuild import code, md, write

write(str(ROOT / "notebooks" / "claims_overview.ipynb"), [
    md("""
# All claims, all papers

Every claim of the five papers, with its computed verdict. Filter by paper, kind and verdict; the
counts below are computed from the ledgers in `fer_repro/claims/`.
"""),
    code("""
budget = "cpu"  # smoke | cpu | full
compute = "auto"  # auto | never | force
seed = 0
""", tags=["parameters"]),
    code("""
from fer_repro.params import check_params

check_params(budget=budget, compute=compute, seed=seed)

import pandas as pd
from IPython.display import HTML, display
from myst_nb import glue

from fer_repro.claims import report

from fer_repro.experiments import all_evidence

frame, checks = report.all_claims(all_evidence(budget, seed))
glue("all_n_claims", str(len(frame)), display=False)
glue("all_n_checks", str(len(checks)), display=False)
glue("all_n_failed", str(int((~checks["consistent"]).sum())), display=False)
""", tags=["hide-input"]),
    md("""
The five ledgers hold {glue}`all_n_claims` claims; {glue}`all_n_checks` consistency checks run, of
which {glue}`all_n_failed` find a contradiction or an implausible figure.
"""),
    code("""
tab = pd.crosstab(frame["paper"], frame["verdict"]).reindex(columns=list(report.VERDICTS), fill_value=0)
tab["total"] = tab.sum(axis=1)
tab  # NBVAL_CHECK_OUTPUT
"""),
    code("""
display(HTML(report.claims_table_html(frame, filters=("paper", "kind", "verdict"))))
""", tags=["hide-input"]),
])
