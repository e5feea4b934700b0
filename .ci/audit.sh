#!/usr/bin/env bash
# Dependency audit: pip-audit against PyPI's advisory data. pip-audit needs PyPI's per-release
# JSON (or OSV). Where that is unreachable, say so plainly instead of failing the build on the
# network; where it answers, a known vulnerability fails CI. Called by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== Dependency audit (pip-audit against PyPI's advisory data)"
if .venv/bin/python -c '
import sys, urllib.request
from importlib.metadata import version
url = f"https://pypi.org/pypi/django/{version(\"django\")}/json"
with urllib.request.urlopen(url, timeout=10) as response:
    sys.exit(0 if b"\"vulnerabilities\"" in response.read() else 1)
' >/dev/null 2>&1; then
  .venv/bin/pip-audit --local --progress-spinner off --skip-editable
else
  echo "pip-audit: skipped: no network (PyPI's per-release vulnerability data is unreachable)"
fi
