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


# import_module is for plug-ins named by settings or by the list of apps, never to hide an
# import the layers would refuse (economy once reached trace this way).
IMPORT_MODULE_ALLOWED = {
    "langso/core/figures.py": "the figure providers named in settings.LANGSO_FIGURE_PROVIDERS",
    "langso/documents/signing/signers.py": "the signer back-end named in settings",
    "langso/site/demo.py": "each app's optional demo module, from the list of demo apps",
}


def test_import_module_loads_only_plug_ins():
    import ast

    callers = set()
    for path in sorted((ROOT / "langso").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "import_module"
            ):
                callers.add(relative)
    assert callers == set(IMPORT_MODULE_ALLOWED)
