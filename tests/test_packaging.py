"""One `pip install .` ships both import packages, typed."""

from __future__ import annotations

import os
import socket
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


def test_the_emulator_ships_as_an_extra_with_its_command(tmp_path: Path) -> None:
    """`pip install "koodrive-space[emulator]"` adds koodrive-emulator; a plain install does not
    pull the emulator's dependencies."""
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
    wheel = zipfile.ZipFile(next(tmp_path.glob("koodrive_space-*.whl")))
    info = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    requires = [
        line.split(":", 1)[1].strip()
        for line in wheel.read(info).decode().splitlines()
        if line.startswith("Requires-Dist:")
    ]
    for name in ("starlette", "uvicorn"):
        (found,) = [r for r in requires if r.startswith(name)]
        assert 'extra == "emulator"' in found, found
    assert not [r for r in requires if "extra" not in r and r.startswith(("starlette", "uvicorn"))]
    entry_points = wheel.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert "koodrive-emulator = koodrive_emulator.__main__:main" in entry_points
    assert "koodrive_emulator/py.typed" in wheel.namelist()


def test_the_emulator_command_refuses_a_busy_port_in_one_line() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "koodrive_emulator", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode != 0
    assert done.stdout == ""  # no banner, no credentials printed for a server that never ran
    assert done.stderr.strip().splitlines() == [
        f"koodrive-emulator: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]
