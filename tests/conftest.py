"""Shared fixtures: real-data availability and a scratch run store."""

from __future__ import annotations

import pytest

from fer_repro.data import available


def need(name: str) -> None:
    """Skip the calling test when a real data file is not on the data search path."""
    if not available(name):
        pytest.skip(f"{name} is not on the data search path (FER_REPRO_DATA, ./data, ../shared/data)")


@pytest.fixture
def fer2013():
    need("fer2013.npz")
    from fer_repro.data import load_fer2013

    return load_fer2013()
