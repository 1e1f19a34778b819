"""Claims ledgers of the five audited papers, their self-consistency checks, and verdicts."""

from __future__ import annotations

import importlib
from types import ModuleType

from ..stats import format_p
from .base import (
    BASES,
    KINDS,
    VERDICTS,
    CheckResult,
    Claim,
    ExperimentEvidence,
    Judgement,
    Paper,
    Reading,
    Relation,
    SeedTerm,
    judge,
    relation_conflicts,
    run_checks,
    validate_ledger,
)

#: ledger module name for each paper key, in book order
PAPERS: dict[str, str] = {
    "suwartono2025": "suwartono2025",
    "amacnn": "amacnn",
    "resemotenet": "resemotenet",
    "dcrnet": "dcrnet",
    "dlfer": "dlfer",
}


def ledger(key: str) -> ModuleType:
    """The ledger module of one paper (defines PAPER, CLAIMS, CHECKS)."""
    if key not in PAPERS:
        raise KeyError(f"unknown paper {key!r}; known: {', '.join(PAPERS)}")
    return importlib.import_module(f"{__name__}.{PAPERS[key]}")


__all__ = [
    "BASES",
    "KINDS",
    "PAPERS",
    "VERDICTS",
    "CheckResult",
    "Claim",
    "ExperimentEvidence",
    "Judgement",
    "Paper",
    "Reading",
    "Relation",
    "SeedTerm",
    "format_p",
    "judge",
    "ledger",
    "relation_conflicts",
    "run_checks",
    "validate_ledger",
]
