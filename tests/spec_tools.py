"""The Node side of sharing the spec, as the tests and ``make lint-spec`` call it.

``python -m tests.spec_tools lint SPEC`` is ``make lint-spec``: Redocly CLI under the committed
``redocly.yaml``, failing on any error *or warning* (Redocly itself exits 0 on warnings).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NODE_BIN = ROOT / "node_modules" / ".bin"
REDOCLY_CONFIG = ROOT / "redocly.yaml"
DIST = ROOT / "dist"
BUNDLE_YAML = DIST / "koodrive-space.yaml"
BUNDLE_JSON = DIST / "koodrive-space.json"
DOCS_HTML = DIST / "koodrive-space.html"
TS_DIR = ROOT / "interop" / "typescript"
TS_TYPES = TS_DIR / "generated" / "koodrive-space.d.ts"
# No usage reports, no update checks: only the npm registry is reachable from here.
NODE_ENV = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}


def make(*targets: str) -> None:
    """Bring ``targets`` up to date (a no-op when they are), so each test runs on its own too."""
    subprocess.run(
        ["make", "--no-print-directory", "--silent", *targets],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def node_tool(tool: str, *args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run a tool from node_modules/.bin, capturing its output; the caller judges the result."""
    return _run([str(NODE_BIN / tool), *map(str, args)], cwd)


def node_script(script: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run a Node script of this repository (it imports from node_modules/)."""
    return _run(["node", str(script), *map(str, args)], ROOT)


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **NODE_ENV},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@dataclass(frozen=True)
class Problem:
    rule: str
    severity: str
    message: str
    pointer: str
    line: int

    def __str__(self) -> str:
        return f"{self.line}: {self.severity} {self.rule}: {self.message} ({self.pointer})"


def lint(spec: Path, config: Path = REDOCLY_CONFIG) -> list[Problem]:
    """Every problem ``redocly lint`` reports for ``spec`` under ``config``."""
    (problems,) = lint_all([spec], config)
    return problems


def lint_all(specs: list[Path], config: Path = REDOCLY_CONFIG) -> list[list[Problem]]:
    """The problems of each spec, in order, from one Redocly run (Node starts once)."""
    result = node_tool(
        "redocly", "lint", *specs, "--config", config, "--format", "json", "--lint-config", "error"
    )
    # One JSON report per file, one after the other.
    decoder, text, reports = json.JSONDecoder(), result.stdout.strip(), []
    while text:
        report, end = decoder.raw_decode(text)
        reports.append(report)
        text = text[end:].lstrip()
    if len(reports) != len(specs):
        raise RuntimeError(f"redocly lint (exit {result.returncode}) said:\n{result.stderr}")
    return [_problems(spec, report) for spec, report in zip(specs, reports, strict=True)]


def _problems(spec: Path, report: dict[str, Any]) -> list[Problem]:
    if report["totals"]["ignored"]:
        raise RuntimeError(f"{spec}: problems silenced by a .redocly.lint-ignore.yaml; fix them")
    problems = []
    for problem in report["problems"]:
        location = problem["location"][0]
        if Path(location["source"]["ref"]).resolve() != spec.resolve():
            raise RuntimeError(f"a problem of {location['source']['ref']} in {spec}'s report")
        problems.append(
            Problem(
                rule=problem["ruleId"],
                severity=problem["severity"],
                message=problem["message"],
                pointer=location["pointer"],
                line=location.get("start", {}).get("line", 0),
            )
        )
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "lint":
        print("usage: python -m tests.spec_tools lint SPEC", file=sys.stderr)
        return 2
    spec = Path(argv[1])
    problems = lint(spec)
    for problem in problems:
        print(f"{spec}:{problem}")
    if problems:
        print(f"{spec}: {len(problems)} problem(s); the bar is zero errors and zero warnings")
        return 1
    print(f"{spec}: no errors, no warnings under {REDOCLY_CONFIG.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
