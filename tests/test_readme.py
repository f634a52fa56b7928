"""The README's Python snippets run as written against the emulator.

Only what a reader would change is changed: the KooDrive URL becomes the emulator's, and the
placeholder credentials become the emulator's FAKE demo ones (also in the ``KOODRIVE_*``
variables that ``create_client()`` reads). Each snippet runs in a fresh namespace.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import mypy.api
import pytest
from koodrive_emulator import (
    FAKE_APP_ID,
    FAKE_APP_SECRET,
    FAKE_TOKEN,
    FAKE_USER_ID,
    Credentials,
    Emulator,
    RunningEmulator,
    running,
)

README = Path(__file__).resolve().parent.parent / "README.md"
SNIPPETS = re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), re.M | re.S)
LIVE_URL = "https://intl.myhuaweicloud-koodrive.com"
PLACEHOLDERS = {
    '"your-app-id"': repr(FAKE_APP_ID),
    '"your-app-secret"': repr(FAKE_APP_SECRET),
    '"your-user-id"': repr(FAKE_USER_ID),
    '"access-token"': repr(FAKE_TOKEN),
}


@pytest.fixture(scope="module")
def served() -> Iterator[RunningEmulator]:
    with running(Emulator(credentials=Credentials.fake())) as server:
        yield server


def test_the_readme_has_python_snippets() -> None:
    assert len(SNIPPETS) >= 6


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[f"snippet{i}" for i in range(len(SNIPPETS))])
def test_snippet_runs_against_the_emulator(
    snippet: str, served: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KOODRIVE_TOKEN", raising=False)  # app authentication, as the README says
    monkeypatch.setenv("KOODRIVE_BASE_URL", served.base_url)
    monkeypatch.setenv("KOODRIVE_APP_ID", FAKE_APP_ID)
    monkeypatch.setenv("KOODRIVE_APP_SECRET", FAKE_APP_SECRET)
    monkeypatch.setenv("KOODRIVE_USER_ID", FAKE_USER_ID)
    code = snippet.replace(LIVE_URL, served.base_url)
    for placeholder, value in PLACEHOLDERS.items():
        code = code.replace(placeholder, value)
    served.emulator.log.clear()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(README), "exec"), {"__name__": "readme_snippet"})  # noqa: S102
    # Whatever the snippet sent (some only build a client), the emulator accepted as signed.
    for exchange in served.emulator.log:
        assert exchange.status != 401, (exchange, code)
    # Output a snippet shows in a comment (`print(...)  # what it prints`) is what it prints.
    for shown in re.findall(r"^\s*print\(.*\)  # (.+)$", snippet, re.M):
        assert shown in printed.getvalue().splitlines(), (shown, printed.getvalue())


def test_snippets_type_check_strictly(tmp_path: Path) -> None:
    """What a user copies passes ``mypy --strict`` as it stands: no ``| None`` or error model to
    narrow away on a call's result."""
    for index, snippet in enumerate(SNIPPETS):
        (tmp_path / f"snippet{index}.py").write_text(snippet, encoding="utf-8")
    report, errors, status = mypy.api.run(
        ["--strict", "--no-incremental", "--config-file", "", str(tmp_path)]
    )
    assert status == 0, report + errors
