"""Source of notebooks/claims_overview.ipynb (every claim of every paper).

Edit here, then run `python tools/notebooks/claims_overview.py`; tests/test_notebooks.py checks that the
committed notebooks match this source.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tools.nbbuild import code, md, params_cell, write

write(str(ROOT / "notebooks" / "claims_overview.ipynb"), [
    md("""
# The verdicts: all claims, all papers

Every claim of the five papers, with its computed verdict; then the three findings per paper that
matter most, and what they mean for any FER2013 number you read. The counts are computed from the
ledgers in `fer_repro/claims/` and the recorded runs (budget {glue}`all_budget`).
"""),
    params_cell(),
    code("""
from fer_repro.params import check_params

check_params(budget=budget, compute=compute, seed=seed)

import pandas as pd
from IPython.display import HTML, Markdown, display
from myst_nb import glue

from fer_repro.claims import report

from fer_repro.experiments import all_evidence, findings
from fer_repro.params import BUDGET_MEANING

frame, checks = report.all_claims(all_evidence(budget, seed))
glue("all_budget", f"{budget} ({BUDGET_MEANING[budget]})", display=False)
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
    md("""
## Three findings per paper

Each finding is stated in plain words; below it, the evidence as computed for this page: the
verdict and reason of each ledger claim it rests on, and what our recorded runs measured.
"""),
    code("""
from fer_repro.claims import ledger

text = []
for key in findings.FINDINGS:
    text.append(f"### {ledger(key).PAPER.title}\\n\\n" + findings.render(key, frame, checks, budget, seed))
display(Markdown("\\n\\n".join(text)))
"""),
    code("""
facts = findings.fer2013_facts(budget, seed)
for k, v in facts.items():
    glue(f"all_fact_{k}", v, display=False)
"""),
    md("""
## What to take away about FER2013 numbers

- **The labels cap what a model can honestly score.** Humans agree with FER2013's labels about
  {glue}`all_fact_human` of the time, and the ten-annotator FER+ relabelling agrees with the
  PrivateTest labels on {glue}`all_fact_ferplus` of images. The best published single models
  reach about {glue}`all_fact_best_published` on the official test set; a number far above that
  needs an explanation before it is believed.
- **Leakage produces such numbers easily.** In our own experiment {glue}`all_fact_leak`. A paper
  that does not say when it augmented, how it split, or which split chose its epochs cannot be
  read as a held-out result.
- **Compare models under one protocol.** Scored on the same PrivateTest images with the same
  rules, the best model of this book is {glue}`all_fact_best`; the leaderboard page shows every
  pairwise comparison with its correction for multiple testing.
- **Ask for the protocol first.** Which images trained the model, which chose its epochs, and
  which were touched only once: without those three answers an accuracy cannot be compared with
  anything.

## Every claim

Filter by paper, kind and verdict.
"""),
    code("""
display(HTML(report.claims_table_html(frame, filters=("paper", "kind", "verdict"))))
""", tags=["hide-input"]),
])
