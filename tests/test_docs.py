"""`make docs`: dist/koodrive-space.html, read as a person would, in Debian's headless Chromium.

tests/render_docs.mjs opens the page through playwright-core (no browser of its own) and refuses
every request that leaves the file, so a page that needs the network shows up here. `make test`
installs Chromium first (`make chromium`); without it these tests fail rather than skip.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.openapi_doc import operations, spec
from tests.spec_tools import DOCS_HTML, ROOT, make, node_script

CHROMIUM = Path("/usr/bin/chromium")
SUMMARIES = {op.operation_id: op.body["summary"] for op in operations()}


def render(html: Path, user_data_dir: Path, routes: list[str]) -> dict[str, Any]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: run `make chromium` (part of `make test`)"
    result = node_script(ROOT / "tests" / "render_docs.mjs", html, user_data_dir, *routes)
    assert result.returncode == 0, result.stderr
    rendered: dict[str, Any] = json.loads(result.stdout)
    return rendered


def route(operation_id: str) -> str:
    """Redoc's page for an operation: tag, then the lower-cased operationId."""
    return f"space/{operation_id.lower()}"


# The Authentication section's deep links, one per security scheme (tools/docs_spec.py).
AUTHENTICATION = {
    "tokenAuth": "section/authentication/access-token",
    "appAuth": "section/authentication/app-signature",
    "userId": "section/authentication/x-user-id",
    "signingDate": "section/authentication/x-date",
}


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    make("docs")
    routes = [route(o) for o in SUMMARIES] + list(AUTHENTICATION.values())
    return render(DOCS_HTML, tmp_path_factory.mktemp("chromium-profile"), routes)


def test_authentication_is_a_section_of_its_own_in_the_menu(page: dict[str, Any]) -> None:
    assert "Authentication" in [entry.split("\n")[0] for entry in page["menu"]]


@pytest.mark.parametrize("scheme", list(AUTHENTICATION))
def test_each_way_to_authenticate_has_a_deep_link_with_its_whole_description(
    page: dict[str, Any], scheme: str
) -> None:
    """The page at the link shows the scheme's description as the spec writes it (for appAuth,
    the whole signing rule), not only behind an operation's security details."""
    shown = " ".join(page["sections"][AUTHENTICATION[scheme]].split())
    description = spec()["components"]["securitySchemes"][scheme]["description"]
    for sentence in re.split(r"(?<=[.:])\s", description):  # markdown marks drop out
        words = re.sub(r"[`*]|^\s*\d\.\s", "", sentence).split()
        if len(words) > 3:
            assert " ".join(words[:4]) in shown, (scheme, sentence)


def test_the_page_loads_nothing_from_the_network(page: dict[str, Any]) -> None:
    assert page["remoteRequests"] == []
    assert page["errors"] == []


def test_the_html_names_no_remote_script_style_or_font() -> None:
    make("docs")
    html = DOCS_HTML.read_text(encoding="utf-8")
    remote = re.compile(
        r"<script[^>]+src=[\"']?(https?:)?//"
        r"|<link[^>]+href=[\"']?(https?:)?//"
        r"|@import\s+(url\()?[\"']?(https?:)?//"
        r"|fonts\.googleapis|fonts\.gstatic|cdn\.redoc\.ly",
        re.IGNORECASE,
    )
    assert [m.group(0) for m in remote.finditer(html)] == []


def test_the_page_is_titled_after_the_api(page: dict[str, Any]) -> None:
    assert page["title"] == "KooDrive Space Management API"


@pytest.mark.parametrize("operation_id", list(SUMMARIES))
def test_every_operation_has_its_page_and_menu_entry(
    page: dict[str, Any], operation_id: str
) -> None:
    section = page["sections"][route(operation_id)]
    assert section.startswith(SUMMARIES[operation_id])
    assert any(entry.startswith(SUMMARIES[operation_id]) for entry in page["menu"])


@pytest.mark.parametrize("operation_id", list(SUMMARIES))
def test_every_operation_shows_both_ways_to_authenticate(
    page: dict[str, Any], operation_id: str
) -> None:
    section = page["sections"][route(operation_id)]
    assert "(appAuth and userId and signingDate) or (tokenAuth and userId)" in section


def test_the_network_check_catches_a_page_that_needs_the_network(tmp_path: Path) -> None:
    canary = tmp_path / "canary.html"
    canary.write_text(
        "<!DOCTYPE html><title>canary</title>"
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<script src="https://cdn.example.invalid/redoc.js"></script><p>offline?</p>',
        encoding="utf-8",
    )
    rendered = render(canary, tmp_path / "profile", [])
    assert set(rendered["remoteRequests"]) == {
        "https://fonts.googleapis.com/css?family=Roboto",
        "https://cdn.example.invalid/redoc.js",
    }
