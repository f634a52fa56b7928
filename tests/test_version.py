"""One version everywhere: the spec, pyproject.toml, CHANGELOG.md and ``koodrive_space``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib

import koodrive_space
import pytest

from tests.openapi_doc import ROOT, spec
from tools.spec_diff import next_version

CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
# Keep a Changelog: "## [Unreleased]", then "## [1.2.3] - 2026-11-25", newest first.
SECTIONS = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", CHANGELOG, re.M)


def spec_version() -> str:
    return str(spec()["info"]["version"])


def test_make_spec_diff_can_bump_the_spec_version() -> None:
    """The release a spec change needs is computed from this version: it must be plain semver,
    which tools/spec_diff.py bumps (and refuses otherwise)."""
    major, minor, patch = (int(part) for part in spec_version().split("."))
    assert next_version(spec_version(), "major") == f"{major + 1}.0.0"
    assert next_version(spec_version(), "minor") == f"{major}.{minor + 1}.0"
    assert next_version(spec_version(), "patch") == f"{major}.{minor}.{patch + 1}"


def test_pyproject_has_the_spec_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == spec_version()


def test_the_newest_release_in_the_changelog_is_the_spec_version() -> None:
    assert SECTIONS[0] == ("Unreleased", ""), "CHANGELOG.md starts with ## [Unreleased]"
    releases = SECTIONS[1:]
    assert releases, "CHANGELOG.md has no release section"
    assert all(date for _, date in releases), "every release heading has a date"
    assert releases[0][0] == spec_version()
    dates = [date for _, date in releases]
    assert dates == sorted(dates, reverse=True), "releases are listed newest first"


def test_the_package_version_is_the_embedded_spec_version() -> None:
    embedded = json.loads(
        (ROOT / "generated_client" / "koodrive_space_client" / "openapi.json").read_text("utf-8")
    )
    assert koodrive_space.__version__ == embedded["info"]["version"] == spec_version()


def test_importing_the_package_reads_no_spec_until_the_version_is_asked_for() -> None:
    probe = (
        "import koodrive_space as k\n"
        "print(k.spec.document.cache_info().currsize)\n"
        "print(k.__version__, k.spec.document.cache_info().currsize)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    assert out.split() == ["0", spec_version(), "1"]


def test_other_missing_attributes_still_raise() -> None:
    with pytest.raises(AttributeError, match="no attribute 'version'"):
        getattr(koodrive_space, "version")  # noqa: B009 - the point is a dynamic look-up
