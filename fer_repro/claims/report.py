"""Ledger tables for the book: verdicts with badges, consistency checks, a filterable claims table."""

from __future__ import annotations

import html
import json
import uuid
from collections.abc import Mapping, Sequence

import pandas as pd

from . import PAPERS, ledger
from .base import (
    BASES,
    NEGATIVE,
    VERDICTS,
    CheckResult,
    ExperimentEvidence,
    Judgement,
    SeedTerm,
    judge,
    reading_word,
    relation_conflicts,
    run_checks,
)

#: how the book names each paper in tables and links (its chapter title)
SHORT = {"suwartono2025": "Suwartono et al. 2025", "amacnn": "AMACNN (Ali and Jabaar)",
         "resemotenet": "ResEmoteNet (Roy et al. 2024)", "dcrnet": "DCRNet (Abdeldayem et al. 2025)",
         "dlfer": "DLFER (Hussan 2025)"}

BADGE_COLOURS = {
    "consistent": "#2da44e",
    "plausible": "#2da44e",
    "reproduced": "#1a7f37",
    "inconsistent": "#bc4c00",
    "implausible": "#8250df",
    "not reproduced (ours lower)": "#cf222e",
    "differs (ours higher)": "#bf3989",
    "differs (ours lower)": "#bf3989",
    "inconclusive": "#6639ba",
    "ambiguous": "#57606a",
    "not testable here": "#6e7781",
    "pending": "#9a6700",
}


def judge_paper(
    key: str, experiments: Mapping[str, ExperimentEvidence] | None = None,
    seed: SeedTerm | None = None,
) -> tuple[list[Judgement], dict[str, CheckResult]]:
    """Run a paper's checks and judge every claim in its ledger; `seed` defaults to the seed
    term measured from the recorded seed runs (:func:`fer_repro.experiments.seeds.seed_term`)."""
    if seed is None:
        from ..experiments.seeds import seed_term

        seed = seed_term()
    mod = ledger(key)
    results = run_checks(mod.CHECKS)
    return [judge(c, results, experiments, seed) for c in mod.CLAIMS], results


def seed_term_sentence() -> str:
    """Which training-seed standard deviation the experiment verdicts use, and its source."""
    from ..experiments.seeds import seed_term

    s = seed_term()
    return f"training-seed SD {s.sd:.4f}, {s.source}"


def conflicts(key: str, judgements: Sequence[Judgement]) -> list[str]:
    """The paper's declared relations (``RELATIONS`` of its ledger) that the verdicts break."""
    return relation_conflicts(judgements, getattr(ledger(key), "RELATIONS", []))


def readings_text(j: Judgement) -> str:
    """The readings a verdict considered, one per line (empty when there were none)."""
    return "\n".join(f"{reading_word(r)} if read as: {r.reading}"
                     + (f" ({r.detail})" if r.detail else "") for r in j.readings)


def ledger_frame(key: str, judgements: Sequence[Judgement]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "paper": key,
                "id": j.claim.id,
                "claim": j.claim.text,
                "reported": j.claim.reported,
                "where": j.claim.where,
                "kind": j.claim.kind,
                "verdict": j.verdict,
                "basis": BASES[j.basis],
                "evidence": j.evidence,
                "reason": j.reason,
                "readings": readings_text(j),
            }
            for j in judgements
        ]
    )


def checks_frame(results: Mapping[str, CheckResult]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "check": r.name,
                "consistent": r.consistent,
                "paper says": r.paper_value,
                "recomputed": r.recomputed,
                "rule": r.rule,
                "finding": r.detail,
                "if failed": r.failure,
                "readings": "; ".join(f"{reading_word(x)} if read as: {x.reading}"
                                      for x in r.readings),
            }
            for r in results.values()
        ]
    )


def verdict_counts(frame: pd.DataFrame) -> pd.Series:
    return frame["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)


def basis_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Claims per basis (rows, in :data:`BASES` order) and verdict (columns): how many claims an
    experiment tested, how many rest on the paper's own numbers, and so on."""
    order = [BASES[b] for b in BASES]
    cols = [v for v in VERDICTS if v in set(frame["verdict"])]
    tab = pd.crosstab(frame["basis"], frame["verdict"]).reindex(index=order, columns=cols,
                                                                 fill_value=0)
    tab["all"] = tab.sum(axis=1)
    tab.index.name, tab.columns.name = "what the verdict rests on", None
    return tab


def basis_sentence(frame: pd.DataFrame) -> str:
    """'N claims rest on an experiment of this book, M on the paper's own numbers, ...'."""
    n = frame["basis"].value_counts()
    parts = [f"{int(n.get(label, 0))} on {label}" for b, label in BASES.items() if b != "none"]
    return (f"Of {len(frame)} claims, " + ", ".join(parts)
            + f"; {int(n.get(BASES['none'], 0))} have {BASES['none']} (not testable here or "
            "pending)")


def badge(verdict: str) -> str:
    colour = BADGE_COLOURS.get(verdict, "#444")
    return (
        f'<span class="fer-badge" style="background:{colour};color:#fff;border-radius:8px;'
        f'padding:1px 7px;font-size:11px;white-space:nowrap">{html.escape(verdict)}</span>'
    )


_FILTER_JS = """
(function(){
  const root = document.getElementById('%(id)s');
  const sels = Array.from(root.querySelectorAll('select[data-col]'));
  const rows = Array.from(root.querySelectorAll('tbody tr'));
  const count = root.querySelector('.fer-count');
  function apply(){
    let shown = 0;
    rows.forEach(r => {
      const ok = sels.every(s => !s.value || r.getAttribute('data-' + s.dataset.col) === s.value);
      r.style.display = ok ? '' : 'none'; if (ok) shown++;
    });
    count.textContent = shown + ' of ' + rows.length + ' claims shown';
  }
  sels.forEach(s => s.addEventListener('change', apply));
  apply();
})();
"""


#: the ledger's columns in the order a reader scans them: the verdict next to the claim id
CLAIM_COLUMNS = ("paper", "id", "verdict", "claim", "reported", "where", "kind", "basis", "reason")
#: verdicts listed first: those that say something is wrong or unsettled
ATTENTION = ("inconsistent", "implausible", "not reproduced (ours lower)",
             "differs (ours higher)", "differs (ours lower)", "ambiguous", "inconclusive")
_TABLE_CSS = (
    "<style>.fer-ledger{overflow-x:auto;max-width:100%;margin:.5em 0}"
    ".fer-ledger table{border-collapse:collapse;font-size:12.5px;line-height:1.35}"
    ".fer-ledger td,.fer-ledger th{border-bottom:1px solid #ddd;padding:4px 8px;"
    "vertical-align:top;text-align:left;overflow-wrap:normal;word-break:normal;hyphens:auto}"
    ".fer-ledger th{background:#f6f8fa;white-space:nowrap}"
    ".fer-ledger td.c-claim,.fer-ledger td.c-reason,.fer-ledger td.c-finding,"
    ".fer-ledger td.c-rule,.fer-ledger td.c-readings{min-width:16em}"
    ".fer-ledger td.c-reported,.fer-ledger td.c-where,.fer-ledger td.c-basis,"
    ".fer-ledger td.c-paper-says,.fer-ledger td.c-recomputed{min-width:7em}"
    ".fer-ledger td.c-id,.fer-ledger td.c-check,.fer-ledger td.c-verdict{white-space:nowrap}"
    ".fer-ledger td.c-id,.fer-ledger td.c-check{font-family:monospace}"
    ".fer-ledger .fer-readings{color:#57606a;margin-top:.3em}"
    ".fer-ledger details>summary{cursor:pointer;font-weight:600;margin:.4em 0}"
    ".fer-ledger select{max-width:100%}</style>"
)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _cell(col: str, value: object, readings: object = None) -> str:
    text = _text(value)
    inner = badge(text) if col == "verdict" else html.escape(text).replace("\n", "<br>")
    if _text(readings):  # the readings a verdict considered, under its reason
        inner += ('<div class="fer-readings">Readings considered:<br>'
                  + html.escape(_text(readings)).replace("\n", "<br>") + "</div>")
    return f'<td class="c-{col.replace(" ", "-")}">{inner}</td>'


def attention_first(frame: pd.DataFrame) -> pd.DataFrame:
    """The claims with a verdict in :data:`ATTENTION` first (in that order), then the rest, each
    group in ledger order."""
    rank = frame["verdict"].map({v: i for i, v in enumerate(ATTENTION)}).fillna(len(ATTENTION))
    return frame.assign(_r=rank).sort_values("_r", kind="stable").drop(columns="_r")


def claims_table_html(frame: pd.DataFrame, filters: Sequence[str] = ("kind", "verdict"),
                      collapsed: bool = False) -> str:
    """An HTML table of claims with verdict badges and client-side filters (no kernel needed).
    The verdicts that need attention come first; `collapsed` puts the table in a closed
    ``<details>`` whose summary says how many claims it holds and how many need attention."""
    uid = "fer-claims-" + uuid.uuid5(uuid.NAMESPACE_URL, frame.to_json()).hex[:10]
    frame = attention_first(frame)
    selects = []
    for col in filters:
        opts = "".join(
            f'<option value="{html.escape(str(v))}">{html.escape(str(v))} ({n})</option>'
            for v, n in frame[col].value_counts().sort_index().items()
        )
        selects.append(
            f'<label style="margin-right:12px">{col} <select data-col="{col}" aria-label="filter by {col}">'
            f'<option value="">all</option>{opts}</select></label>'
        )
    # the paper and the basis only where the table mixes them (the overview): a chapter's
    # summary already counts its claims by basis
    cols = [c for c in CLAIM_COLUMNS
            if c in frame.columns and (c not in ("paper", "basis") or c in filters)]
    head = "".join(f"<th>{'claim id' if c == 'id' else c}</th>" for c in cols)
    body = []
    for _, r in frame.iterrows():
        attrs = " ".join(f'data-{c}="{html.escape(str(r[c]))}"' for c in filters)
        cells = "".join(_cell(c, r[c], r.get("readings") if c == "reason" else None)
                        for c in cols)
        body.append(f"<tr {attrs}>{cells}</tr>")
    table = (f'{"".join(selects)}<span class="fer-count" style="font-size:12px;color:#555">'
             f"</span><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    if collapsed:
        n_att = int(frame["verdict"].isin(ATTENTION).sum())
        table = (f"<details><summary>All {len(frame)} claims with their verdicts and reasons "
                 f"({n_att} that need attention listed first)</summary>{table}</details>")
    return (f'{_TABLE_CSS}<div class="fer-claims fer-ledger" id="{uid}">{table}'
            f"<script>{_FILTER_JS % {'id': uid}}</script></div>")


def basis_badges(frame: pd.DataFrame, basis: str) -> str:
    """Badges with counts for the verdicts of `frame`'s claims that rest on `basis` (a key of
    :data:`BASES`); empty when none do."""
    sub = frame[frame["basis"] == BASES[basis]]["verdict"].value_counts()
    return " ".join(f"{badge(v)}&nbsp;{int(sub[v])}" for v in VERDICTS if sub.get(v, 0))


#: short column headers for what a verdict rests on (a table of papers must fit a phone)
BASIS_HEADERS = {"paper": "the paper's own numbers", "plausibility": "plausibility",
                 "experiment": "an experiment", "none": "nothing that decides it"}


def papers_table_html(frame: pd.DataFrame, href: Mapping[str, str]) -> str:
    """Papers (rows, linked to their chapters by `href`) by what the verdicts rest on (columns):
    each cell the verdicts given on that basis, with counts (`frame` as from
    :func:`all_claims`)."""
    head = "".join(f"<th>{html.escape(BASIS_HEADERS[b])}</th>" for b in BASES)
    body = []
    for key in PAPERS:
        sub = frame[frame["paper"] == key]
        title = html.escape(SHORT[key])
        cells = "".join(f'<td class="c-basis">{basis_badges(sub, b) or "none"}</td>' for b in BASES)
        body.append(f'<tr><td class="c-paper"><a href="{html.escape(href[key])}">{title}</a> '
                    f"({len(sub)} claims)</td>{cells}</tr>")
    return (f'{_TABLE_CSS}<div class="fer-ledger fer-papers"><table><thead><tr><th>paper</th>'
            f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def all_claims(
    experiments: Mapping[str, ExperimentEvidence] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every paper's judged ledger and check results, concatenated (for the overview page)."""
    claims, checks = [], []
    for key in PAPERS:
        js, res = judge_paper(key, experiments)
        claims.append(ledger_frame(key, js))
        cf = checks_frame(res)
        cf.insert(0, "paper", key)
        checks.append(cf)
    return pd.concat(claims, ignore_index=True), pd.concat(checks, ignore_index=True)


def to_json(frame: pd.DataFrame) -> str:
    return json.dumps(frame.to_dict(orient="records"))


def reproducibility_summary(
    key: str, frame: pd.DataFrame, checks: pd.DataFrame, done: str = "", results: str = ""
) -> str:
    """The chapter's opening summary in the ML Reproducibility Challenge form (Markdown).

    Scope, easy and difficult come from the ledger's SUMMARY (prose without numbers); what was
    done and the results are computed here from the ledger, the checks and the chapter's runs
    (`done` and `results` add chapter-specific sentences)."""
    mod = ledger(key)
    text = getattr(mod, "SUMMARY", {})
    counts = verdict_counts(frame)
    key_checks = [c for c in getattr(mod, "KEY_CHECKS", []) if c in set(checks["check"])]
    by_verdict = ", ".join(f"{int(n)} {v}" for v, n in counts.items() if n)
    lines = [
        "**Scope.** " + text.get("scope", "The paper's checkable claims, listed below."),
        "",
        f"**What was done.** We extracted {len(frame)} checkable claims, ran {len(checks)} "
        f"consistency checks of the paper against itself and the data"
        + (f"; {done}." if done else "."),
        "",
        f"**Results.** {basis_sentence(frame)}. Verdicts: {by_verdict}. "
        f"{failed_checks_sentence(checks, frame)}. "
        + (results + " " if results else ""),
    ]
    if key_checks:
        intro = ("The most important findings (a check's own result as first read, then the "
                 "ledger's verdict on the claims it decides, which weighs every reading):")
        lines += ["", intro, ""]
        lines += [key_finding(c, checks, frame) for c in key_checks]
    lines += ["", "**What was easy.** " + text.get("easy", "-"), "",
              "**What was difficult.** " + text.get("difficult", "-")]
    return "\n".join(lines)


def failed_check_outcomes(checks: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """What became of each check that fails as first read, by the ledger's verdicts on the claims
    it decides: columns ``check``, ``outcome`` (``stands``: at least one claim judged negative,
    no reading saved it; ``open``: every claim it decides is judged otherwise, e.g. *ambiguous*
    because another reading lets the paper hold; ``none``: it decides no claim by itself) and
    ``verdicts`` (sorted, "; "-joined). Checks and claims are matched within a paper when both
    frames carry a ``paper`` column (the overview's)."""
    by_paper = "paper" in checks.columns and "paper" in frame.columns
    rows = []
    for _, row in checks[~checks["consistent"].astype(bool)].iterrows():
        sel = frame["evidence"] == f"check:{row['check']}"
        if by_paper:
            sel &= frame["paper"] == row["paper"]
        verdicts = set(frame.loc[sel, "verdict"])
        outcome = "none" if not verdicts else "stands" if verdicts & NEGATIVE else "open"
        rows.append({"check": row["check"], "outcome": outcome,
                     "verdicts": "; ".join(sorted(verdicts))})
    return pd.DataFrame(rows, columns=["check", "outcome", "verdicts"])


def failed_checks_sentence(checks: pd.DataFrame, frame: pd.DataFrame) -> str:
    """'F of N checks fail as first read: S decide a claim judged negative under every reading
    and O only claims another reading keeps open (verdict: ambiguous)' (no full stop): a first-read
    failure is not a verdict, so the count says what the ledger made of it."""
    o = failed_check_outcomes(checks, frame)
    text = f"{len(o)} of {len(checks)} checks fail as first read"
    if o.empty:
        return text
    n = o["outcome"].value_counts()
    open_verdicts = sorted({v for vs in o.loc[o["outcome"] == "open", "verdicts"]
                            for v in vs.split("; ")})
    def decide(k: int) -> str:
        return f"{k} decide{'s' if k == 1 else ''}"

    parts = [f"{decide(int(n.get('stands', 0)))} a claim judged negative under every reading",
             f"{decide(int(n.get('open', 0)))} only claims that another reading keeps open"
             + (f" (verdict: {', '.join(open_verdicts)})" if open_verdicts else "")]
    if n.get("none", 0):
        parts.append(f"{decide(int(n['none']))} no claim by itself")
    return text + ": " + ", ".join(parts[:-1]) + " and " + parts[-1]


def key_finding(check: str, checks: pd.DataFrame, frame: pd.DataFrame) -> str:
    """One bullet of a chapter's most important findings: the check as first read and, when it
    fails, the ledger's verdict on the claims it decides with the readings that verdict weighed
    (a failing check whose claims another reading saves must not read as a failure)."""
    row = checks[checks["check"] == check].iloc[0]
    finding = row["finding"] or row["rule"]
    if row["consistent"]:
        return f"- `{check}` holds: {finding}"
    decided = frame[frame["evidence"] == f"check:{check}"]
    groups: dict[str, list[str]] = {}
    for cid, v in zip(decided["id"], decided["verdict"]):
        groups.setdefault(v, []).append(cid)
    verdicts = "; ".join(f"{', '.join(ids)} *{v}*" for v, ids in groups.items())
    line = f"- `{check}` fails as first read ({row['if failed']})"
    if verdicts:
        line += f"; ledger verdict: {verdicts}"
    if any(v not in NEGATIVE for v in groups) and row["readings"]:
        line += f" (readings weighed: {row['readings']})"
    return line + f": {finding}"


def checks_table_html(checks: pd.DataFrame, consistent: bool, collapsed: bool = False) -> str:
    """The failing (with what a failure means and the readings considered) or the passing checks
    as an HTML table; `collapsed` puts it in a closed ``<details>``."""
    rows = checks[checks["consistent"] == consistent]
    cols = [c for c in checks.columns
            if c != "consistent" and not (consistent and c in ("if failed", "readings"))]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join(f"<tr>{''.join(_cell(c, r[c]) for c in cols)}</tr>" for _, r in rows.iterrows())
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if collapsed:
        what = "pass" if consistent else "fail as first read"
        table = f"<details><summary>The {len(rows)} checks that {what}</summary>{table}</details>"
    return f'{_TABLE_CSS}<div class="fer-checks fer-ledger">{table}</div>'
