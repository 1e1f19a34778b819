"""Validation of chapter parameters (papermill), done before any work."""

from __future__ import annotations

from typing import Any

BUDGETS = ("smoke", "cpu", "full")
BUDGET_MEANING = {
    "smoke": "seconds-long settings for CI; numbers are not meaningful",
    "cpu": "the budget of the book's recorded runs on a 2-core CPU",
    "full": "the paper's protocol, for readers with a GPU",
}


def check_params(**params: Any) -> dict[str, Any]:
    """Raise ValueError naming the bad parameter; return the parameters unchanged."""
    budget = params.get("budget")
    if budget is not None and budget not in BUDGETS:
        raise ValueError(f"budget={budget!r}: must be one of {BUDGETS}")
    compute = params.get("compute")
    if compute is not None and compute not in ("auto", "never", "force"):
        raise ValueError(f"compute={compute!r}: must be 'auto', 'never' or 'force'")
    seed = params.get("seed")
    if seed is not None and (not isinstance(seed, int) or seed < 0):
        raise ValueError(f"seed={seed!r}: must be a non-negative integer")
    for k, v in params.items():
        if k.startswith("n_") and (not isinstance(v, int) or v <= 0):
            raise ValueError(f"{k}={v!r}: must be a positive integer")
    return params
