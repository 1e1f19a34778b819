"""Source of notebooks/<paper>.ipynb and notebooks/claims_overview.ipynb.

Edit here, then run `python tools/notebooks/papers.py`; tests/test_notebooks.py checks that the
committed notebooks match this source.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tools.nbbuild import code, md, write

# suwartono2025 and resemotenet have their own sources (tools/notebooks/<key>.py): they run experiments.
TITLES = {
 "amacnn": "AMACNN: multi-scale attention CNN (Ali and Jabaar)",
 "dcrnet": "DCRNet (Abdeldayem et al. 2025)",
 "dlfer": "DLFER: cascaded EfficientNet-B3 (Hussan 2025)",
}
for key, title in TITLES.items():
    cells = [
    md(f"""
# {title}

This chapter audits the paper's claims. Below: the claims ledger (every checkable statement, where
the paper makes it, and how this book judges it) and the paper checked against itself. Verdicts are
computed from the checks and from recorded experiments; a claim whose experiment has not been
recorded yet is *pending*.

The paper: {{glue:text}}`{key}_citation`.
"""),
    code("""
# Parameters (papermill): see README, "Re-executing a chapter".
budget = "cpu"  # smoke | cpu | full
compute = "auto"  # auto | never | force
seed = 0
""", tags=["parameters"]),
    code(f"""
from fer_repro.params import check_params

check_params(budget=budget, compute=compute, seed=seed)

from IPython.display import HTML, Markdown, display
from myst_nb import glue

from fer_repro.claims import ledger, report

KEY = "{key}"
paper = ledger(KEY).PAPER
judgements, results = report.judge_paper(KEY)
frame = report.ledger_frame(KEY, judgements)
checks = report.checks_frame(results)
counts = report.verdict_counts(frame)
glue(f"{{KEY}}_citation", paper.citation, display=False)
glue(f"{{KEY}}_n_claims", str(len(frame)), display=False)
glue(f"{{KEY}}_n_checks", str(len(checks)), display=False)
glue(f"{{KEY}}_n_failed", str(int((~checks["consistent"]).sum())), display=False)
for v, n in counts.items():
    glue(f"{{KEY}}_n_{{v.replace(' ', '_')}}", str(int(n)), display=False)
""", tags=["hide-input"]),
    md("## Reproducibility summary"),
    code("""
display(Markdown(report.reproducibility_summary(KEY, frame, checks, done=(
    "no model of this paper has been trained yet; claims judged by experiments are pending"))))
""", tags=["hide-input"]),
    md(f"""
## The claims ledger

The ledger lists {{glue}}`{key}_n_claims` claims. So far {{glue}}`{key}_n_reproduced` are
reproduced, {{glue}}`{key}_n_not_reproduced` not reproduced, {{glue}}`{key}_n_inconsistent`
inconsistent, {{glue}}`{key}_n_implausible` implausible, {{glue}}`{key}_n_not_testable_here` not
testable here and {{glue}}`{key}_n_pending` pending. Filter by kind or verdict:
"""),
    code("""
counts.to_frame("claims").T  # NBVAL_CHECK_OUTPUT
""", tags=["hide-input"]),
    code("""
display(HTML(report.claims_table_html(frame)))
""", tags=["hide-input"]),
    md(f"""
## The paper against itself

{{glue}}`{key}_n_checks` executable checks compare the paper's numbers with its own other
numbers, its formulas and the known facts of the data sets; {{glue}}`{key}_n_failed` fail. Each row
gives the paper's number, the recomputed one and the rule used.
"""),
    code("""
display(HTML(report.checks_table_html(checks, consistent=False)))
""", tags=["hide-input"]),
    md("The checks that pass:"),
    code("""
display(HTML(report.checks_table_html(checks, consistent=True)))
""", tags=["hide-input"]),
    ]
    write(str(ROOT / "notebooks" / f"{key}.ipynb"), cells)

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

frame, checks = report.all_claims()
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
