"""What every chapter does first, in one call.

:func:`start` validates a page's papermill parameters and sets the book's figure style;
:func:`open_paper` does that and everything a paper chapter repeats: read (or, with
``compute="auto"``, make) the chapter's runs, turn them into evidence, judge every claim of the
ledger, and glue the citation and the budget. The returned :class:`PaperChapter` then shows the
verdict summary a reader sees first, the claims ledger and the checks of the paper against itself.

A chapter reads::

    ch = open_paper("amacnn", budget=budget, compute=compute, seed=seed)
    ch.verdict_summary()
"""

from __future__ import annotations

import html
import importlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from . import tables
from .claims import ledger, report
from .claims.base import CheckResult, Claim, ExperimentEvidence, Judgement
from .params import BUDGET_MEANING, check_params

#: what a table cell says where the run it needs is not recorded at this budget
PENDING = "pending (no recorded run at this budget)"

#: the glue-key prefix of each paper chapter (``<prefix>_citation``, ``<prefix>_budget``)
PREFIX = {"suwartono2025": "suw", "amacnn": "ama", "resemotenet": "res", "dcrnet": "dcr",
          "dlfer": "dlf"}

#: the summary box a reader sees first (inline: the page needs no extra stylesheet)
SUMMARY_CSS = (
    "<style>.fer-verdict-summary{border-left:4px solid #0969da;background:#f6f8fa;"
    "padding:.6em 1em;margin:.5em 0 1em;border-radius:4px}"
    ".fer-verdict-summary p{margin:.3em 0}.fer-verdict-summary ol{margin:.3em 0 .3em 1.2em}"
    ".fer-vs-table{margin:0}.fer-vs-table th{font-weight:normal;text-align:left;padding:2px 10px 2px 0;"
    "vertical-align:top}.fer-vs-table td{padding:2px 0;line-height:1.9}"
    ".fer-vs-budget{font-size:.9em;color:#57606a}</style>"
)


def start(budget: str, compute: str, seed: int, **more: Any) -> None:
    """Validate the page's parameters before any work (a bad value raises ``ValueError`` naming
    it) and set the book's figure style."""
    from . import viz

    check_params(budget=budget, compute=compute, seed=seed, **more)
    viz.use_book_style()


def rerun_html(name: str) -> str:
    """The box that tells a reader how to re-execute the page ``notebooks/<name>.ipynb``."""
    nb = f"notebooks/{html.escape(name)}.ipynb"
    return (
        '<div class="admonition tip"><p class="admonition-title">Re-run this page</p><p>'
        "Download the notebook with the download button at the top of the page (or take "
        f"<code>{nb}</code> from the repository) and run <code>papermill {nb} out.ipynb -p budget "
        "cpu</code> with <code>budget</code> set to <code>smoke</code>, <code>cpu</code> or "
        '<code>full</code>; see <a href="../book/rerun.html">Re-running the book</a>.</p></div>')


def rerun_box(name: str) -> None:
    """Display :func:`rerun_html` (a page's re-run box)."""
    from IPython.display import HTML, display

    display(HTML(rerun_html(name)))


def _glue(key: str, value: str) -> None:
    from myst_nb import glue

    glue(key, value, display=False)


def _glue_markdown(key: str, markdown: str) -> None:
    from IPython.display import Markdown
    from myst_nb import glue

    glue(key, Markdown(markdown), display=False)


@dataclass
class PaperChapter:
    """A paper chapter's runs, evidence and judged ledger (see :func:`open_paper`)."""

    key: str
    budget: str
    seed: int
    recs: dict[str, Any]
    evidence: dict[str, ExperimentEvidence]
    judgements: list[Judgement]
    results: dict[str, CheckResult]
    frame: pd.DataFrame = field(repr=False)
    checks: pd.DataFrame = field(repr=False)

    @cached_property
    def claims(self) -> dict[str, Claim]:
        return {c.id: c for c in ledger(self.key).CLAIMS}

    @cached_property
    def by_id(self) -> dict[str, Judgement]:
        return {j.claim.id: j for j in self.judgements}

    @cached_property
    def by_target(self) -> dict[str, Claim]:
        """The experiment claims by their evidence target (``"<paper>/<name>"``)."""
        return {c.target: c for c in ledger(self.key).CLAIMS if c.method == "experiment"}

    def verdict(self, target: str) -> str:
        """The verdict of the experiment claim whose evidence is `target`."""
        return self.by_id[self.by_target[target].id].verdict

    def reading_verdict(self, target: str, reading: str) -> str:
        """The verdict the experiment claim whose evidence is `target` gets from the evidence of
        one of its readings (`reading`, a target) alone, by the same rule and seed term."""
        from dataclasses import replace

        from .claims.base import judge
        from .experiments.seeds import seed_term

        claim = replace(self.by_target[target], judge=f"experiment:{reading}", readings=())
        return judge(claim, self.results, self.evidence, seed_term()).verdict

    def ev(self, name: str, d: int = 3) -> str:
        """An evidence entry as 'estimate (95% CI low to high; budget b)', or :data:`PENDING`."""
        e = self.evidence.get(f"{self.key}/{name}")
        if e is None:
            return PENDING
        return tables.fmt_estimate(e.estimate, e.ci_low, e.ci_high, d, ci="95% CI",
                                   note=f"budget {e.budget}")

    # ------------------------------------------------------------------ what the page shows

    def summary_html(self) -> str:
        """The verdict summary (class ``fer-verdict-summary``): the claims by what their
        verdicts rest on, with counts per verdict, and the findings that matter most."""
        from .claims.base import BASES

        rows = [f"<tr><th scope='row'>{html.escape(label)}</th><td>{badges}</td></tr>"
                for b, label in BASES.items()
                if (badges := report.basis_badges(self.frame, b))]
        from .experiments import findings

        statements = findings.statements(self.key, self.frame, self.budget, self.seed)
        items = "".join(f"<li>{html.escape(s)}</li>" for s in statements)
        return (
            f'{SUMMARY_CSS}<div class="fer-verdict-summary">'
            f"<p class='fer-vs-title'><strong>Verdicts on the paper's {len(self.frame)} "
            "checkable claims</strong>, by what each rests on:</p>"
            f"<table class='fer-vs-table'><tbody>{''.join(rows)}</tbody></table>"
            f"<p class='fer-vs-title'><strong>What matters most</strong></p><ol>{items}</ol>"
            f"<p class='fer-vs-budget'>Measurements at budget <code>{html.escape(self.budget)}"
            f"</code> ({html.escape(BUDGET_MEANING[self.budget])}); the ledger at the end of "
            "the page gives every claim with its verdict and reason.</p></div>"
        )

    def verdict_summary(self) -> None:
        """Display :meth:`summary_html` (the first thing on the page)."""
        from IPython.display import HTML, display

        display(HTML(self.summary_html()))

    def rerun_box(self) -> None:
        """Display the chapter's re-run box (below its verdict summary)."""
        rerun_box(self.key)

    def ledger(self) -> None:
        """Display the claims ledger: the verdicts that need attention open, every claim in a
        collapsed, filterable table (verdict next to the claim id)."""
        from IPython.display import HTML, display

        display(HTML(report.claims_table_html(self.frame, collapsed=True)))

    def self_checks(self) -> None:
        """Display the checks of the paper against itself: the failing ones open, the passing
        ones collapsed."""
        from IPython.display import HTML, display

        display(HTML(report.checks_table_html(self.checks, consistent=False)))
        display(HTML(report.checks_table_html(self.checks, consistent=True, collapsed=True)))


def open_paper(key: str, budget: str, compute: str, seed: int,
               aside: tuple[str, ...] = ()) -> PaperChapter:
    """Everything a paper chapter does before its prose: :func:`start`; the chapter's records
    (``fer_repro.experiments.<key>.records``, computing missing runs when ``compute="auto"``);
    their evidence; the judged ledger and checks; the citation and budget glued as
    ``<prefix>_citation`` and ``<prefix>_budget``. Records named in `aside` are kept in
    ``recs`` but not turned into ledger evidence (a chapter's side experiments)."""
    start(budget, compute, seed)
    exp = importlib.import_module(f"fer_repro.experiments.{key}")
    recs = exp.records(budget, seed, mode=compute)
    evidence = exp.evidence(budget, seed, {k: v for k, v in recs.items() if k not in aside})
    judgements, results = report.judge_paper(key, evidence)
    ch = PaperChapter(key, budget, seed, recs, evidence, judgements, results,
                      report.ledger_frame(key, judgements), report.checks_frame(results))
    prefix = PREFIX[key]
    _glue(f"{prefix}_citation", ledger(key).PAPER.citation)
    # the same with the DOI (arXiv, code) as links: {glue:md}`<prefix>_citation_md`
    _glue_markdown(f"{prefix}_citation_md", ledger(key).PAPER.citation_markdown)
    _glue(f"{prefix}_budget", f"{budget} ({BUDGET_MEANING[budget]})")
    return ch


def landing_html(frame: pd.DataFrame, budget: str, seed: int) -> str:
    """The landing page's summary (class ``fer-verdict-summary``): every paper's verdicts by what
    they rest on, linked to its chapter, and each paper's most important finding. `frame` is every
    paper's judged ledger (:func:`fer_repro.claims.report.all_claims`)."""
    from .claims import PAPERS
    from .experiments import findings

    href = {k: f"{k}.html" for k in PAPERS}
    items = "".join(
        f'<li><a href="{href[k]}">{html.escape(report.SHORT[k])}</a>: '
        f"{html.escape(findings.statements(k, frame, budget, seed)[0])}</li>" for k in PAPERS)
    return (
        f'{SUMMARY_CSS}<div class="fer-verdict-summary">'
        f"<p><strong>What the audit found.</strong> {html.escape(report.basis_sentence(frame))}. "
        "Each paper's verdicts, by what they rest on:</p>"
        f"{report.papers_table_html(frame, href)}"
        f"<p><strong>The finding that matters most in each paper</strong></p><ol>{items}</ol>"
        f"<p class='fer-vs-budget'>Measurements at budget <code>{html.escape(budget)}</code> "
        f"({html.escape(BUDGET_MEANING[budget])}). The verdict overview gives three findings per "
        "paper and every claim.</p></div>"
    )


def glue_context_facts(prefix: str, ctx: pd.DataFrame) -> None:
    """Glue the FER2013 context a claimed accuracy is read against, from a context table (rows
    by point, with ``accuracy``, ``low``, ``high``, ``source``): the FER+ majority's agreement with
    the FER2013 labels (``<prefix>_ferplus``), human accuracy (``<prefix>_human``) and the leakage
    chapter's augment-then-split CNN against its honest twin (``<prefix>_leak``)."""
    from .data import reference as ref
    from .tables import fmt_estimate

    fer = "FER+ majority agrees with the FER2013 label (PrivateTest)"
    _glue(f"{prefix}_ferplus", fmt_estimate(ctx.loc[fer, "accuracy"], ctx.loc[fer, "low"],
                                            ctx.loc[fer, "high"], 1, percent=True, ci="95% CI")
          if fer in ctx.index else "not recorded (the data chapter's audit record is missing)")
    m, sd = ref.FER2013_HUMAN_ACCURACY
    _glue(f"{prefix}_human", f"{m:.0%} +- {sd:.0%}")
    lk = {a: f"leakage chapter, {t}: CNN"
          for a, t in (("leaky", "augment, then split"), ("honest", "split, then augment"))}
    if all(v in ctx.index for v in lk.values()):
        _glue(f"{prefix}_leak", f"{ctx.loc[lk['leaky'], 'accuracy']:.3f} against "
              f"{ctx.loc[lk['honest'], 'accuracy']:.3f} "
              f"({ctx.loc[lk['leaky'], 'source'].split(',')[0]})")
    else:
        _glue(f"{prefix}_leak", "pending (the leakage chapter has no recorded run at this budget)")
