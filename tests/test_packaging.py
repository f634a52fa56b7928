"""One `pip install .` ships both import packages, typed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.openapi_doc import ROOT


def test_wheel_installs_both_packages_with_markers(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("koodrive_space-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "koodrive_space_client/py.typed",
        "koodrive_space_client/openapi.json",
        "koodrive_space_client/api/space/list_team_spaces.py",
        "koodrive_space/py.typed",
        "koodrive_space/__init__.py",
    ):
        assert required in names, required
    assert not [n for n in names if n.startswith(("tests/", "generator/", "openapi/"))]

    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--disable-pip-version-check",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    probe = (
        "import koodrive_space, koodrive_space_client.api.space.get_space_info as m;"
        "print(koodrive_space.__file__); print(m.__file__)"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    ).stdout.split()
    assert all(path.startswith(str(site)) for path in out), out
