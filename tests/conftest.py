from __future__ import annotations

import pytest
from koodrive_space import transport


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the client's retry sleeps instead of sleeping."""
    recorded: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(transport, "_sleep", recorded.append)
    monkeypatch.setattr(transport, "_async_sleep", fake_async_sleep)
    return recorded
