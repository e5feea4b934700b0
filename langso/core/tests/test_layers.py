"""The declared layers hold (`.importlinter`, docs/architecture.md): core imports no domain
app, places no people, people no domain app, and a domain app reaches a sibling only through
its `queries` or a declared exception. Breaking a layer fails the suite, not only CI's lint."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def test_the_import_layers_hold():
    linter = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(linter).exists():
        pytest.skip("import-linter is not installed")
    done = subprocess.run(  # noqa: S603 - the project's own linter on its own config
        [linter, "--config", str(ROOT / ".importlinter")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:]
    assert "1 kept, 0 broken" in done.stdout
