"""What a packager and a user get: the sdist (the whole source, enough to run `make test`) and
the wheel (the three import packages, typed, with the licence), both as `python -m build`
makes them and `twine check --strict` accepts them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.openapi_doc import ROOT

# What `make test` reads, by folder; each must be in the sdist.
SDIST_MUST_HOLD = [
    "LICENSE",
    "README.md",
    "CHANGELOG.md",
    "Makefile",
    "MANIFEST.in",
    "pyproject.toml",
    "package.json",
    "package-lock.json",
    "redocly.yaml",
    "redocly/koodrive-plugin.mjs",
    "requirements/dev.txt",
    "requirements/constraints.txt",
    "openapi/koodrive-space.yaml",
    "openapi/DISCREPANCIES.md",
    "openapi/signing-vectors.yaml",
    "openapi/reference/000_58ede09474d4f008.txt",
    "generator/config.yaml",
    "generator/embed_spec.py",
    "generator/templates/endpoint_module.py.jinja",
    "generator/templates/model.py.jinja",
    "generated_client/koodrive_space_client/openapi.json",
    "generated_client/koodrive_space_client/api/space/list_team_spaces.py",
    "overrides/koodrive_space/pipeline.py",
    "overrides/koodrive_space/py.typed",
    "emulator/koodrive_emulator/app.py",
    "tests/conftest.py",
    "tests/wire.py",
    "tests/schemathesis.toml",
    "tests/render_docs.mjs",
    "tests/cassettes/team_list_paging.yaml",
    "tests/test_wire.py",
    "tools/spec_diff.py",
    "tools/signing_vectors.py",
    "bench/calls.py",
    "interop/typescript/usage.ts",
]
NEVER = (".venv/", "node_modules/", "dist/", "build/", "__pycache__/", ".pyc")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return {"sdist": next(out.glob("*.tar.gz")), "wheel": next(out.glob("*.whl"))}


def sdist_names(sdist: Path) -> list[str]:
    with tarfile.open(sdist) as archive:
        return [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]


def test_twine_accepts_both(built: dict[str, Path]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, built.values())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_sdist_is_the_source(built: dict[str, Path]) -> None:
    names = sdist_names(built["sdist"])
    missing = [name for name in SDIST_MUST_HOLD if name not in names]
    assert missing == []
    assert [name for name in names if any(part in name for part in NEVER)] == []


def test_both_carry_the_licence(built: dict[str, Path]) -> None:
    assert "LICENSE" in sdist_names(built["sdist"])
    wheel = zipfile.ZipFile(built["wheel"])
    (licence,) = [n for n in wheel.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
    assert wheel.read(licence) == (ROOT / "LICENSE").read_bytes()
    metadata = wheel.read(licence.replace("licenses/LICENSE", "METADATA")).decode()
    assert "License-Expression: Apache-2.0" in metadata


def test_the_wheel_installs_the_packages_typed(built: dict[str, Path], tmp_path: Path) -> None:
    names = set(zipfile.ZipFile(built["wheel"]).namelist())
    for required in (
        "koodrive_space_client/py.typed",
        "koodrive_space_client/openapi.json",
        "koodrive_space_client/api/space/list_team_spaces.py",
        "koodrive_space/py.typed",
        "koodrive_space/__init__.py",
        "koodrive_emulator/py.typed",
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
            str(built["wheel"]),
        ],
        check=True,
        capture_output=True,
    )
    probe = (
        "import koodrive_space, koodrive_space_client.api.space.get_space_info as m;"
        "print(koodrive_space.__file__); print(m.__file__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(site)},
        cwd=tmp_path,
    ).stdout.split()
    assert all(path.startswith(str(site)) for path in out), out


def test_the_emulator_ships_as_an_extra_with_its_command(built: dict[str, Path]) -> None:
    """`pip install "koodrive-space[emulator]"` adds koodrive-emulator; a plain install does not
    pull the emulator's dependencies."""
    wheel = zipfile.ZipFile(built["wheel"])
    info = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    requires = [
        line.split(":", 1)[1].strip()
        for line in wheel.read(info).decode().splitlines()
        if line.startswith("Requires-Dist:")
    ]
    for name in ("starlette", "uvicorn"):
        (found,) = [r for r in requires if r.startswith(name)]
        assert 'extra == "emulator"' in found, found
    entry_points = wheel.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert "koodrive-emulator = koodrive_emulator.__main__:main" in entry_points


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
