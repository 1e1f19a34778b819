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
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Literal

Kind = Literal["performance", "protocol", "statistics", "efficiency", "data", "method"]
KINDS: tuple[str, ...] = ("performance", "protocol", "statistics", "efficiency", "data", "method")

Verdict = Literal[
    "consistent",
    "inconsistent",
    "plausible",
    "implausible",
    "reproduced",
    "not reproduced (ours lower)",
    "differs (ours higher)",
    "differs (ours lower)",
    "inconclusive",
    "ambiguous",
    "not testable here",
    "pending",
]
VERDICTS: tuple[str, ...] = (
    "consistent",
    "inconsistent",
    "plausible",
    "implausible",
    "reproduced",
    "not reproduced (ours lower)",
    "differs (ours higher)",
    "differs (ours lower)",
    "inconclusive",
    "ambiguous",
    "not testable here",
    "pending",
)
#: what a verdict rests on, and the verdicts each basis can give
Basis = Literal["paper", "plausibility", "experiment", "none"]
BASES: dict[str, str] = {
    "paper": "the paper's own numbers",
    "plausibility": "a plausibility argument",
    "experiment": "an experiment of this book",
    "none": "nothing that decides it here",
}
BASIS_VERDICTS: dict[str, tuple[str, ...]] = {
    "paper": ("consistent", "inconsistent", "ambiguous"),
    "plausibility": ("plausible", "implausible", "ambiguous"),
    "experiment": ("reproduced", "not reproduced (ours lower)", "differs (ours higher)",
                   "differs (ours lower)", "inconclusive"),
    "none": ("not testable here", "pending"),
}
#: verdicts that support a claim, and those that speak against it (for relations between claims)
POSITIVE: frozenset[str] = frozenset({"consistent", "plausible", "reproduced"})
NEGATIVE: frozenset[str] = frozenset({"inconsistent", "implausible",
                                      "not reproduced (ours lower)", "differs (ours higher)",
                                      "differs (ours lower)"})

#: The equivalence margin of :func:`fer_repro.stats.agreement` for accuracy-type claims
#: (fractions): a reproduction within three points of accuracy is not treated as a different
#: result. Three points is about twice the 95% half-width of one accuracy on FER2013's 3,589-image
#: PrivateTest, the scale at which papers on FER2013 claim their gains.
FRACTION_MARGIN = 0.03
#: The training-seed standard deviation used until the campaign's seed runs measure one: a stated,
#: conservative 1.5 points of accuracy (larger than the seed spread usually seen for one CNN
#: configuration on FER2013, so that a faithful reproduction is not called different too often).
DEFAULT_SEED_SD = 0.015


@dataclass(frozen=True)
class Paper:
    key: str  # short key, e.g. "suwartono2025"
    title: str
    citation: str  # DOIs and other addresses written as https:// URLs
    text_file: str  # file name in ../shared/papers

    @property
    def citation_markdown(self) -> str:
        """The citation as Markdown, its addresses (the DOI, arXiv, code) as links, without a
        final full stop (the sentence that quotes it ends it)."""
        return _URL.sub(lambda m: f"[{m.group(0)}]({m.group(0)})", self.citation).rstrip(".")


#: an address in a citation (a trailing full stop or comma ends the sentence, not the address)
_URL = re.compile(r"https?://[^\s()<>]+[^\s()<>.,;:]")


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
    # "point": the paper's value should agree with ours; "lower": the paper says the quantity
    # exceeds `value` (e.g. "reduced macro recall by over 10%", or a direction: "> 0")
    bound: Literal["point", "lower"] = "point"
    # the number of test images behind the paper's value (its sampling error); None: not stated
    n_test: int | None = None
    # other readings of the paper's words, each judged by its own experiment evidence:
    # ((how the words are read, evidence target), ...); see :func:`judge`
    readings: tuple[tuple[str, str], ...] = ()

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
    ``tolerance``, ``note``, ``bound``, ``n_test`` and ``readings`` are keyword-only.
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
        n_test: int | None = None,
        readings: tuple[tuple[str, str], ...] = (),
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
            n_test=n_test,
            readings=tuple(readings),
        )
        self._claims.append(claim)
        return claim

    @property
    def claims(self) -> list[Claim]:
        """The claims added so far, in reading order (a new list)."""
        return list(self._claims)


@dataclass(frozen=True)
class Reading:
    """One reading of the paper's words that a check considered, and whether the paper's
    statement holds under it (``holds=True``: no fault under this reading; ``None``: open, the
    reading cannot be tested here, so no fault can be shown under it either)."""

    reading: str
    holds: bool | None
    detail: str = ""


def reading_word(r: Reading) -> str:
    """How a reading's outcome is written: ``holds``, ``fails`` or ``open``."""
    return "open" if r.holds is None else "holds" if r.holds else "fails"


def _overturned(readings: Sequence[Reading]) -> str:
    """Why other readings make a negative verdict *ambiguous* ('' when none does): one that
    holds, or one that is open (a negative verdict must hold under every reading)."""
    held = [r.reading for r in readings if r.holds]
    if held:
        return "but the statement holds if read as: " + "; ".join(held)
    open_ = [r.reading for r in readings if r.holds is None]
    if open_:
        return ("but under another reading no fault can be shown (open), so the negative "
                "verdict holds for part of the readings only: " + "; ".join(open_))
    return ""


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
    # the readings of the paper's words this check considered (the rule's own reading among
    # them); a failing check stands only if the statement fails under every one
    readings: tuple[Reading, ...] = ()

    @property
    def basis(self) -> str:
        """``paper`` for a check of the paper against itself, ``plausibility`` for one against
        the data or established facts."""
        return "plausibility" if self.failure == "implausible" else "paper"

    def with_readings(self, *readings: Reading) -> CheckResult:
        """This result with `readings` added (ledgers annotate shared checks this way)."""
        return replace(self, readings=self.readings + tuple(readings))

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
    # "sampled": an estimate on test images with its 95% interval; "range": a deterministic
    # quantity whose plausible values (architecture variants, counting conventions) span
    # ci_low..ci_high
    kind: Literal["sampled", "range"] = "sampled"
    # True when the estimate comes from trained networks, whose results vary with the training
    # seed; n_seeds of them are averaged
    trained: bool = True
    n_seeds: int = 1


@dataclass(frozen=True)
class SeedTerm:
    """The training-seed standard deviation the verdict rule counts, and where it comes from."""

    sd: float
    n_runs: int  # runs it was measured from; 0: the stated default
    source: str

    @classmethod
    def default(cls) -> SeedTerm:
        return cls(DEFAULT_SEED_SD, 0, "stated conservative default (no seed runs measured yet)")


@dataclass(frozen=True)
class Judgement:
    claim: Claim
    verdict: Verdict
    evidence: str
    reason: str
    check: CheckResult | None = None
    experiment: ExperimentEvidence | None = None
    extra: dict[str, object] = field(default_factory=dict)
    basis: Basis = "none"
    # the readings considered (shown with every negative or ambiguous verdict)
    readings: tuple[Reading, ...] = ()


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
    seed: SeedTerm | None = None,
) -> Judgement:
    """Compute the verdict of one claim from check results and experiment evidence.

    * ``untestable:``: *not testable here*.
    * ``check:``: *consistent*/*inconsistent* (a check of the paper against itself) or
      *plausible*/*implausible* (against the data or established facts). A failing check is
      negative only if the statement fails under every reading the check considered; when one
      reading lets it hold, the verdict is *ambiguous* and the readings are shown.
    * ``experiment:``: the rule of :func:`_judge_point` or :func:`_judge_lower`; `seed` is the
      training-seed term (default :meth:`SeedTerm.default`). A claim with ``readings`` is judged
      under each reading's evidence too: a negative verdict that another reading overturns
      becomes *ambiguous*.
    """
    experiments = experiments or {}
    method, target = claim.method, claim.target
    if method == "untestable":
        return Judgement(claim, "not testable here", "", target)
    if method == "check":
        return _judge_check(claim, checks, target)
    if method == "experiment":
        seed = seed or SeedTerm.default()
        j = _judge_experiment(claim, experiments, target, seed)
        if j.verdict not in NEGATIVE or not claim.readings:
            return j
        # a reading whose evidence is not recorded yet is open, as is one that can never be
        # tested here ("untestable:<why>"): the negative verdict must hold under every reading
        others = [(label, _judge_experiment(claim, experiments, t, seed))
                  for label, t in claim.readings if t in experiments]
        def holds(v: str) -> bool | None:  # a recorded reading that settles nothing is open
            return True if v in POSITIVE else False if v in NEGATIVE else None

        untestable = [(label, t) for label, t in claim.readings if t.startswith("untestable:")]
        unrun = [(label, t) for label, t in claim.readings
                 if t not in experiments and not t.startswith("untestable:")]
        readings = (Reading(f"as the book reads it ({target})", False, j.reason),) + tuple(
            Reading(f"{label} ({_j.evidence.split(':', 1)[-1]})", holds(_j.verdict),
                    f"{_j.verdict}: {_j.reason}") for label, _j in others) + tuple(
            Reading(label, None, "not testable here: " + t.split(":", 1)[1])
            for label, t in untestable) + tuple(
            Reading(label, None, f"not run yet: no record gives {t}") for label, t in unrun)
        if any(r.holds for r in readings[1:]):
            return replace(j, verdict="ambiguous", readings=readings,
                           reason=j.reason + "; another reading of the paper's words gives a "
                           "different verdict (see the readings)")
        if any(r.holds is None for r in readings[1:]):
            why = [w for w, n in (("cannot be tested here", untestable),
                                  ("has not been run yet", unrun)) if n]
            if any(holds(_j.verdict) is None for _, _j in others):
                why.append("settles nothing at its run's size")
            return replace(j, verdict="ambiguous", readings=readings,
                           reason=j.reason + "; another reading of the paper's words "
                           + " or ".join(why) + " (see the readings)")
        # every reading is negative; when they disagree on the direction, the label's direction
        # is the book's reading's only, and the reason says so
        def direction(v: str) -> str:
            return "higher" if "higher" in v else "lower" if "lower" in v else v

        turned = [(label, _j.verdict) for label, _j in others
                  if direction(_j.verdict) != direction(j.verdict)]
        if turned:
            return replace(j, readings=readings, reason=j.reason + "; the direction depends on "
                           "the reading: " + "; ".join(f"{v} if read as {label}"
                                                       for label, v in turned))
        return replace(j, readings=readings)
    raise ValueError(f"{claim.id}: unknown judging method {claim.judge!r}")


def _judge_check(claim: Claim, checks: Mapping[str, CheckResult], target: str) -> Judgement:
    res = checks.get(target)
    if res is None:
        return Judgement(claim, "pending", f"check:{target}", "check not run")
    basis = res.basis
    if res.consistent:
        verdict = "plausible" if basis == "plausibility" else "consistent"
        return Judgement(claim, verdict, f"check:{target}", res.rule, check=res, basis=basis,
                         readings=res.readings)
    if why := _overturned(res.readings):
        return Judgement(claim, "ambiguous", f"check:{target}", f"{res.rule}; {why}", check=res,
                         basis=basis, readings=res.readings)
    return Judgement(claim, res.failure, f"check:{target}", res.rule, check=res, basis=basis,
                     readings=res.readings)


def printed_precision(reported: str) -> float:
    """Half a unit in the last printed digit of the first number in `reported`
    (``"11.6 million"`` -> 0.05, ``"21 ms"`` -> 0.5): the rounding a printed value carries."""
    m = re.search(r"\d+(?:[.,]\d+)?", reported)
    if m is None:
        return 0.0
    digits = m.group(0).replace(",", ".")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return 0.5 * 10.0 ** -decimals


def _judge_experiment(claim: Claim, experiments: Mapping[str, ExperimentEvidence], target: str,
                      seed: SeedTerm) -> Judgement:
    ev = experiments.get(target)
    if ev is None:
        return Judgement(claim, "pending", f"experiment:{target}", "no recorded run yet")
    if claim.value is None:
        raise ValueError(f"{claim.id}: an experiment claim needs a numeric value")
    if claim.bound == "lower":
        return _judge_lower(claim, ev, target, seed)
    return _judge_point(claim, ev, target, seed)


def _incomplete_lower(claim: Claim, ev: ExperimentEvidence, target: str, reason: str) -> Judgement:
    return Judgement(claim, "pending", f"experiment:{target}",
                     reason + "; ours is lower under a reduced budget, which cannot refute the "
                     "claim: needs the paper's full protocol", experiment=ev, basis="none")


def _judge_point(claim: Claim, ev: ExperimentEvidence, target: str, seed: SeedTerm) -> Judgement:
    """A point claim against our measurement.

    *Range* evidence (a deterministic quantity whose plausible variants span an interval, such as
    a parameter or FLOP count): the paper's value, widened by its printed rounding (or the
    claim's ``tolerance``), must meet the range; otherwise *differs (ours lower)* or *differs
    (ours higher)*. Both directions are labelled alike because neither side of a count is the
    paper's favourable one in general (fewer parameters is "better", a higher accuracy too).

    *Sampled* evidence: :func:`fer_repro.stats.agreement` with the paper's sampling error (from
    ``claim.n_test``, or taken equal to ours when the paper does not state its test size), ours
    (from our 95% interval) and, for trained networks, the training-seed term; the equivalence
    margin is :data:`FRACTION_MARGIN` for fractions, else the claim's ``tolerance`` or printed
    rounding. equivalent -> *reproduced*; different -> *not reproduced (ours lower)* or *differs
    (ours higher)*; else *inconclusive*. A reduced budget that leaves ours lower or inconclusive
    cannot refute the paper: *pending*."""
    from ..stats import agreement, binomial_se, format_p
    from ..tables import auto_digits, fmt_number, fmt_range

    assert claim.value is not None
    tol = claim.tolerance if claim.tolerance is not None else printed_precision(claim.reported)
    if ev.kind == "range":
        lo, hi = ev.ci_low, ev.ci_high
        reason = (f"paper {claim.value:g} (+-{tol:g} as printed) vs our plausible range "
                  f"{fmt_range(lo, hi, None)} (budget {ev.budget})")
        if claim.value + tol < lo:
            verdict = "differs (ours higher)"
        elif claim.value - tol > hi:
            verdict = "differs (ours lower)"
        else:
            verdict = "reproduced"
        if verdict == "differs (ours lower)" and not ev.complete:
            return _incomplete_lower(claim, ev, target, reason)
        return Judgement(claim, verdict, f"experiment:{target}", reason, experiment=ev,
                         basis="experiment")
    ours_se = (ev.ci_high - ev.ci_low) / (2 * 1.959964)
    fraction = claim.unit.startswith("fraction")
    paper_se = ours_se  # unless the paper's own sampling error can be derived
    if claim.target.endswith("train_accuracy"):
        paper_src = "a training-set figure, not a test sample: the paper's spread taken as ours"
    elif claim.target.endswith("gain") and claim.n_test:
        paper_src = (f"the paper's {claim.n_test} test images; the sampling error of a paired "
                     "gain depends on the discordance, which the paper does not print: taken "
                     "as ours")
    elif claim.n_test and fraction and claim.target.endswith("accuracy"):
        paper_se, paper_src = binomial_se(min(max(claim.value, 0.0), 1.0), claim.n_test), \
            f"the paper's {claim.n_test} test images"
    elif fraction and claim.n_test:  # macro metrics vary more than a binomial proportion
        paper_src = "the paper's sampling error taken as ours (a macro metric)"
    else:
        paper_src = "the paper's test size not stated: taken as ours"
    sd = seed.sd if ev.trained and fraction else 0.0
    margin = FRACTION_MARGIN if fraction else max(tol, 1e-12)
    a = agreement(ev.estimate, ours_se, claim.value, paper_se, margin, sd, ev.n_seeds)
    d = auto_digits(ev.estimate, ev.ci_low, ev.ci_high)
    reason = (f"paper {claim.value:g} vs ours {fmt_number(ev.estimate, d)} (95% CI "
              f"{fmt_range(ev.ci_low, ev.ci_high, d)}, budget {ev.budget}); difference "
              f"{a.difference:+.4f} (95% CI {fmt_range(a.low, a.high, 4, signed=True)}) counting {paper_src}"
              + (f", training-seed SD {sd:.3g} ({seed.source})" if sd else "")
              + f"; equivalence margin {margin:g}")
    if a.outcome == "equivalent":
        verdict = "reproduced"
        reason += ": equivalent"
    elif a.outcome == "different":
        verdict = ("not reproduced (ours lower)" if a.direction == "lower"
                   else "differs (ours higher)")
        reason += f": different (p = {format_p(a.p)})"
    else:
        verdict = "inconclusive"
        reason += ": neither a difference nor equivalence can be shown at this size"
    if not ev.complete and verdict in ("not reproduced (ours lower)", "inconclusive"):
        return _incomplete_lower(claim, ev, target, reason)
    return Judgement(claim, verdict, f"experiment:{target}", reason, experiment=ev,
                     basis="experiment", extra={"agreement": a})


def _judge_lower(claim: Claim, ev: ExperimentEvidence, target: str, seed: SeedTerm) -> Judgement:
    """A claim that a quantity exceeds ``claim.value``: *reproduced* when our whole 95%
    interval lies above it, *not reproduced (ours lower)* when it lies wholly below, else
    *inconclusive*; a reduced budget that does not show it gives *pending*."""
    from ..tables import auto_digits, fmt_number, fmt_range

    assert claim.value is not None
    d = auto_digits(ev.estimate, ev.ci_low, ev.ci_high)
    reason = (f"paper: above {claim.value:g}; measured {fmt_number(ev.estimate, d)} "
              f"(95% CI {fmt_range(ev.ci_low, ev.ci_high, d)}, budget {ev.budget}"
              + (f", {ev.n_seeds} seeds" if ev.n_seeds > 1 else "") + ")")
    if ev.ci_low > claim.value:
        return Judgement(claim, "reproduced", f"experiment:{target}",
                         reason + ": the whole interval lies above", experiment=ev,
                         basis="experiment")
    if not ev.complete:
        return Judgement(claim, "pending", f"experiment:{target}",
                         reason + ": not shown under a reduced budget, which cannot refute the "
                         "claim: needs the paper's full protocol", experiment=ev)
    if ev.ci_high < claim.value:
        return Judgement(claim, "not reproduced (ours lower)", f"experiment:{target}",
                         reason + ": the whole interval lies below", experiment=ev,
                         basis="experiment")
    return Judgement(claim, "inconclusive", f"experiment:{target}",
                     reason + ": the interval straddles it", experiment=ev, basis="experiment")


# --------------------------------------------------------------------------------------------
# relations between claims


@dataclass(frozen=True)
class Relation:
    """Two claims whose verdicts constrain each other.

    * ``implies``: if `a` is supported, `b` cannot be refuted;
    * ``contradicts``: `a` and `b` cannot both be supported;
    * ``same quantity``: they state the same number, so one cannot be supported while the other
      is refuted."""

    a: str
    b: str
    kind: Literal["implies", "contradicts", "same quantity"]
    note: str = ""


def relation_conflicts(judgements: Sequence[Judgement], relations: Sequence[Relation]) -> list[str]:
    """Every relation that the verdicts break, as a sentence (empty when none)."""
    by_id = {j.claim.id: j.verdict for j in judgements}
    out = []
    for r in relations:
        if r.a not in by_id or r.b not in by_id:
            out.append(f"relation {r.a} {r.kind} {r.b}: unknown claim id")
            continue
        va, vb = by_id[r.a], by_id[r.b]
        broken = (
            (r.kind == "implies" and va in POSITIVE and vb in NEGATIVE)
            or (r.kind == "contradicts" and va in POSITIVE and vb in POSITIVE)
            or (r.kind == "same quantity" and ({va, vb} & POSITIVE) and ({va, vb} & NEGATIVE))
        )
        if broken:
            out.append(f"{r.a} ({va}) {r.kind} {r.b} ({vb}){': ' + r.note if r.note else ''}")
    return out


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
        if c.n_test is not None and c.n_test < 1:
            errors.append(f"{c.id}: n_test must be positive")
        if c.readings and c.method != "experiment":
            errors.append(f"{c.id}: claim readings are for experiment claims (checks carry theirs)")
        for r in c.readings:
            if len(r) != 2 or not all(isinstance(x, str) and x for x in r):
                errors.append(f"{c.id}: a reading is (how the words are read, evidence target)")
        for attr in ("text", "reported", "where"):
            if not getattr(c, attr).strip():
                errors.append(f"{c.id}: empty {attr}")
    if errors:
        raise ValueError("invalid ledger:\n  " + "\n  ".join(errors))
