"""Run the project's independent CI validators (node scripts under `.ci/npm-other/`) from a
test. Locally a test skips with the reason when node or the npm packages are missing
(`npm ci --prefix .ci/npm-other` installs them); CI sets LANGSO_REQUIRE_CONFORMANCE=1, and
there a missing tool fails the test instead of skipping it."""

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[3]
NPM_DIR = ROOT / ".ci" / "npm-other"


def required() -> bool:
    return os.environ.get("LANGSO_REQUIRE_CONFORMANCE", "") not in ("", "0")


def missing(reason: str) -> NoReturn:
    """Skip locally, fail in CI."""
    if required():
        pytest.fail(f"{reason} (LANGSO_REQUIRE_CONFORMANCE is set)")
    pytest.skip(reason)


def run_node(script: str, request: dict, *, timeout: int = 300) -> dict:
    """Send `request` as JSON to `.ci/npm-other/<script>` and return its JSON answer."""
    node = shutil.which("node")
    if node is None:
        missing("node is not installed")
    if not (NPM_DIR / "node_modules").is_dir():
        missing(f"npm packages missing: run `npm ci --prefix {NPM_DIR.relative_to(ROOT)}`")
    done = subprocess.run(  # noqa: S603 - fixed script of this repository
        [node, str(NPM_DIR / script)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=NPM_DIR,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"{script} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def require_program(name: str) -> str:
    """The path of a command-line tool (pdffonts, pdfsig), or skip/fail as above."""
    path = shutil.which(name)
    if path is None:
        missing(f"{name} is not installed (Debian package poppler-utils)")
    return path  # type: ignore[return-value]
