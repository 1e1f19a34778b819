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


@pytest.fixture(scope="module")
def one_thread():
    """One intra-op thread: on the shared 2-core CPU, 2 threads run small batches ~3x slower
    than 1 when another job is using the cores (barrier waits)."""
    import torch

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)
