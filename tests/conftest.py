from __future__ import annotations

import pytest
from koodrive_space import pipeline


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the client's retry sleeps instead of sleeping."""
    recorded: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(pipeline, "_sleep", recorded.append)
    monkeypatch.setattr(pipeline, "_async_sleep", fake_async_sleep)
    return recorded
