"""The claims ledger: what a paper says, where it says it, and how the book judges it.

A paper's ledger is a module in this package (one per paper) that defines

* ``PAPER``: a :class:`Paper`;
* ``CLAIMS``: a list of :class:`Claim` (built in reading order, e.g. with :class:`ReadingOrder`);
* ``CHECKS``: a dict from check name to a zero-argument callable returning a
  :class:`CheckResult` (the paper audited against itself).

Verdicts are never typed: :func:`judge` computes them from check results and
recorded experiments.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Literal

Kind = Literal["performance", "protocol", "statistics", "efficiency", "data", "method"]
KINDS: tuple[str, ...] = ("performance", "protocol", "statistics", "efficiency", "data", "method")

Verdict = Literal[
    "reproduced",
    "not reproduced",
    "inconsistent",
    "implausible",
    "not testable here",
    "pending",
]
VERDICTS: tuple[str, ...] = (
    "reproduced",
    "not reproduced",
    "inconsistent",
    "implausible",
    "not testable here",
    "pending",
)


@dataclass(frozen=True)
class Paper:
    key: str  # short key, e.g. "suwartono2025"
    title: str
    citation: str
    text_file: str  # file name in ../shared/papers


@dataclass(frozen=True)
class Claim:
    """One checkable statement of a paper.

    ``judge`` says how the claim is judged, as ``"<method>:<target>"``:

    * ``"check:<name>"``: a consistency check in the paper's ``CHECKS``;
    * ``"experiment:<name>"``: a recorded experiment of this book (pending until it exists);
    * ``"untestable:<reason>"``: cannot be tested here, with the reason.
    """

    id: str  # unique within the paper, e.g. "SUW-07"
    text: str  # the claim in one line
    reported: str  # the value as printed in the paper, e.g. "0.6170" or "79.79%"
    where: str  # e.g. "Abstract", "Sec. 3.2", "Table 2", "Eq. (4)"
    kind: Kind
    judge: str
    value: float | None = None  # numeric value in `unit`, when there is one
    unit: str = ""  # e.g. "accuracy (fraction)", "%", "M parameters", "GFLOPs", "ms"
    tolerance: float | None = None  # for experiment claims: absolute tolerance in `unit`
    note: str = ""
    # "point": the paper's value should lie in our CI; "lower": the paper says the quantity
    # exceeds `value` (e.g. "reduced macro recall by over 10%", or a direction: "> 0")
    bound: Literal["point", "lower"] = "point"

    @property
    def method(self) -> str:
        return self.judge.split(":", 1)[0]

    @property
    def target(self) -> str:
        return self.judge.split(":", 1)[1] if ":" in self.judge else ""


def claim_id(prefix: str, number: int, width: int = 2) -> str:
    """The id of the ``number``-th claim (from 1) of a ledger: ``claim_id("DCR", 7) == "DCR-07"``."""
    if number < 1:
        raise ValueError(f"claim numbers start at 1, got {number}")
    return f"{prefix}-{number:0{width}d}"


class ReadingOrder:
    """Collects a paper's claims in reading order and numbers them ``PREFIX-01``, ``PREFIX-02``, ...

    A ledger adds its claims in the order they appear in the paper; the ids follow from that
    order (see :func:`claim_id`), so a claim inserted later never means renumbering by hand::

        order = ReadingOrder("DCR")
        order.add("DCRNet reaches 65.80% on AffectNet.", "65.80%", "Abstract", "performance",
                  "untestable:AffectNet is not available here", 0.658, "fraction")
        CLAIMS = order.claims  # [Claim(id="DCR-01", ...)]

    ``add`` takes the fields of :class:`Claim` other than ``id``, in the same order;
    ``tolerance``, ``note`` and ``bound`` are keyword-only.
    """

    def __init__(self, prefix: str, width: int = 2) -> None:
        if not prefix or "-" in prefix:
            raise ValueError(f"claim-id prefix must be non-empty and contain no '-', got {prefix!r}")
        self.prefix = prefix
        self.width = width
        self._claims: list[Claim] = []

    def __len__(self) -> int:
        return len(self._claims)

    def next_id(self) -> str:
        """The id the next added claim will get."""
        return claim_id(self.prefix, len(self._claims) + 1, self.width)

    def add(
        self,
        text: str,
        reported: str,
        where: str,
        kind: str,
        judge: str,
        value: float | None = None,
        unit: str = "",
        *,
        tolerance: float | None = None,
        note: str = "",
        bound: str = "point",
    ) -> Claim:
        """Append the next claim, numbered after those already added, and return it."""
        claim = Claim(
            id=self.next_id(),
            text=text,
            reported=reported,
            where=where,
            kind=kind,  # type: ignore[arg-type]  # validate_ledger checks it against KINDS
            judge=judge,
            value=value,
            unit=unit,
            tolerance=tolerance,
            note=note,
            bound=bound,  # type: ignore[arg-type]  # validate_ledger checks it
        )
        self._claims.append(claim)
        return claim

    @property
    def claims(self) -> list[Claim]:
        """The claims added so far, in reading order (a new list)."""
        return list(self._claims)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one consistency check: the paper's number, ours, and the rule."""

    name: str
    paper_value: str
    recomputed: str
    rule: str
    consistent: bool
    # "inconsistent" (the paper contradicts itself or arithmetic) or "implausible"
    # (it contradicts the data or a well-established bound) when the check fails.
    failure: Literal["inconsistent", "implausible"] = "inconsistent"
    detail: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class ExperimentEvidence:
    """What a recorded experiment measured for a claim (filled in by the chapters)."""

    name: str
    estimate: float  # in the claim's unit
    ci_low: float
    ci_high: float
    budget: str  # "smoke", "cpu" or "full"
    record: str = ""  # run-store key or path
    detail: str = ""
    # True when the run followed the paper's protocol in full (epochs, folds, data). A run under a
    # smaller budget that falls short of the paper cannot refute it: such claims stay pending.
    complete: bool = True


@dataclass(frozen=True)
class Judgement:
    claim: Claim
    verdict: Verdict
    evidence: str
    reason: str
    check: CheckResult | None = None
    experiment: ExperimentEvidence | None = None
    extra: dict[str, object] = field(default_factory=dict)


VALID_METHODS = ("check", "experiment", "untestable")


def run_checks(checks: Mapping[str, Callable[[], CheckResult]]) -> dict[str, CheckResult]:
    """Run every check; a check that raises is reported as not runnable, not swallowed silently."""
    out: dict[str, CheckResult] = {}
    for name, fn in checks.items():
        res = fn()
        if res.name != name:
            raise ValueError(f"check {name!r} returned a result named {res.name!r}")
        out[name] = res
    return out


def judge(
    claim: Claim,
    checks: Mapping[str, CheckResult],
    experiments: Mapping[str, ExperimentEvidence] | None = None,
) -> Judgement:
    """Compute the verdict of one claim from check results and experiment evidence."""
    experiments = experiments or {}
    method, target = claim.method, claim.target
    if method == "untestable":
        return Judgement(claim, "not testable here", "", target)
    if method == "check":
        res = checks.get(target)
        if res is None:
            return Judgement(claim, "pending", f"check:{target}", "check not run")
        if res.consistent:
            return Judgement(claim, "reproduced", f"check:{target}", res.rule, check=res)
        return Judgement(claim, res.failure, f"check:{target}", res.rule, check=res)
    if method == "experiment":
        ev = experiments.get(target)
        if ev is None:
            return Judgement(claim, "pending", f"experiment:{target}", "no recorded run yet")
        if claim.value is None:
            raise ValueError(f"{claim.id}: an experiment claim needs a numeric value")
        if claim.bound == "lower":
            return _judge_lower(claim, ev, target)
        tol = claim.tolerance if claim.tolerance is not None else 0.0
        lo, hi = ev.ci_low - tol, ev.ci_high + tol
        ok = lo <= claim.value <= hi
        reason = (
            f"paper {claim.value:g} vs measured {ev.estimate:.4g} "
            f"(95% CI {ev.ci_low:.4g}-{ev.ci_high:.4g}, tolerance {tol:g}, budget {ev.budget})"
        )
        if not ok and not ev.complete and claim.value > hi:
            return Judgement(
                claim, "pending", f"experiment:{target}",
                reason + "; below the paper under a reduced budget, which cannot refute the "
                "claim: needs the paper's full protocol", experiment=ev,
            )
        return Judgement(
            claim, "reproduced" if ok else "not reproduced", f"experiment:{target}", reason,
            experiment=ev,
        )
    raise ValueError(f"{claim.id}: unknown judging method {claim.judge!r}")


def _judge_lower(claim: Claim, ev: ExperimentEvidence, target: str) -> Judgement:
    """A claim that a quantity exceeds ``claim.value``: reproduced when our whole 95% CI lies
    above it; otherwise not reproduced, or pending when a reduced budget may explain the gap."""
    assert claim.value is not None
    reason = (f"paper: above {claim.value:g}; measured {ev.estimate:.4g} "
              f"(95% CI {ev.ci_low:.4g}-{ev.ci_high:.4g}, budget {ev.budget})")
    if ev.ci_low > claim.value:
        return Judgement(claim, "reproduced", f"experiment:{target}",
                         reason + ": the whole interval lies above", experiment=ev)
    if not ev.complete:
        return Judgement(claim, "pending", f"experiment:{target}",
                         reason + ": not shown under a reduced budget, which cannot refute the "
                         "claim: needs the paper's full protocol", experiment=ev)
    return Judgement(claim, "not reproduced", f"experiment:{target}",
                     reason + ": the interval does not lie above", experiment=ev)


def validate_ledger(claims: list[Claim], checks: Mapping[str, Callable[[], CheckResult]]) -> None:
    """Raise ValueError when the ledger is malformed (used by the tests and at import in the book)."""
    seen: set[str] = set()
    errors: list[str] = []
    for c in claims:
        if c.id in seen:
            errors.append(f"duplicate id {c.id}")
        seen.add(c.id)
        if c.kind not in KINDS:
            errors.append(f"{c.id}: kind {c.kind!r} not in {KINDS}")
        if c.method not in VALID_METHODS or not c.target:
            errors.append(f"{c.id}: judge {c.judge!r} must be '<check|experiment|untestable>:<target>'")
        if c.method == "check" and c.target not in checks:
            errors.append(f"{c.id}: check {c.target!r} is not defined in CHECKS")
        if c.method == "experiment" and c.value is None:
            errors.append(f"{c.id}: experiment claims need a numeric value")
        if c.bound not in ("point", "lower"):
            errors.append(f"{c.id}: bound {c.bound!r} must be 'point' or 'lower'")
        if c.bound == "lower" and c.method != "experiment":
            errors.append(f"{c.id}: only experiment claims can be lower bounds")
        if c.value is not None and not math.isfinite(c.value):
            errors.append(f"{c.id}: value must be finite")
        for attr in ("text", "reported", "where"):
            if not getattr(c, attr).strip():
                errors.append(f"{c.id}: empty {attr}")
    if errors:
        raise ValueError("invalid ledger:\n  " + "\n  ".join(errors))
