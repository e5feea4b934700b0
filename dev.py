#!/usr/bin/env python3
"""One entry point for a fresh machine with only Python 3.11+:

    python3 dev.py demo [--port 8000]   # install, prepare the demo, serve it
    python3 dev.py test [pytest args]   # install test tools, run the whole suite

It creates .venv beside this file on first use and installs the project into it.
Set DATABASE_URL to run against PostgreSQL (the test database is created if missing).
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("LANGSO_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def run(*cmd: str | Path, **kw) -> int:
    return subprocess.call([str(c) for c in cmd], **kw)  # noqa: S603


def ensure_env(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs before the install check
        sys.exit("Làng Số needs Python 3.11 or newer.")
    if not (BIN / "python").exists():
        print(f"Creating virtual environment in {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
        run(BIN / "python", "-m", "pip", "install", "-q", "--upgrade", "pip")
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        print("Installing Làng Số and its dependencies ...", flush=True)
        target = f".[{extras}]" if extras else "."
        code = install(target)
        if code:
            sys.exit(code)
        stamp.write_text(digest)


UV = "uv==0.13.10"


def install(target: str) -> int:
    """`pip install -e target`, through uv (from PyPI, into the venv) when it can be had: the
    same pinned versions in a few seconds instead of half a minute. pip otherwise."""
    python = BIN / "python"
    if run(python, "-m", "pip", "install", "-q", UV) == 0:
        uv = ("-m", "uv", "pip", "install", "-q", "--compile-bytecode", "--python", python)
        uv = (*uv, "-e", target)
        if run(python, *uv, cwd=ROOT) == 0:
            return 0
        print("uv could not install; trying pip", flush=True)
    return run(python, "-m", "pip", "install", "-q", "-e", target, cwd=ROOT)


def ensure_postgres_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    code = (
        "import os, dj_database_url, psycopg\n"
        "cfg = dj_database_url.parse(os.environ['DATABASE_URL'])\n"
        "conn = psycopg.connect(host=cfg['HOST'] or None, port=cfg['PORT'] or None,"
        " user=cfg['USER'] or None, password=cfg['PASSWORD'] or None, dbname='postgres',"
        " autocommit=True)\n"
        "for name in (cfg['NAME'], 'test_' + cfg['NAME']):\n"
        "    if not conn.execute('SELECT 1 FROM pg_database WHERE datname=%s',"
        " (name,)).fetchone():\n"
        "        conn.execute('CREATE DATABASE \"%s\"' % name)\n"
    )
    if run(BIN / "python", "-c", code):
        sys.exit("Could not reach PostgreSQL at DATABASE_URL.")


def main() -> None:
    args = sys.argv[1:]
    if not args or args[0] not in {"demo", "test", "serve", "manage"}:
        sys.exit(__doc__)
    command, rest = args[0], args[1:]
    # Compiled modules are kept (in __pycache__, ignored by git) even where the shell asks
    # Python not to write them: otherwise every test worker, every process a test starts and
    # every demo start compiles the project again (collecting the tests: 20 s instead of 6).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if command == "demo":
        ensure_env("")
        ensure_postgres_database()
        os.execv(BIN / "langso", [str(BIN / "langso"), "demo", *rest])  # noqa: S606
    if command == "serve":
        ensure_env("")
        ensure_postgres_database()
        os.execv(BIN / "langso", [str(BIN / "langso"), "serve", *rest])  # noqa: S606
    if command == "manage":
        ensure_env("")
        os.execv(BIN / "langso", [str(BIN / "langso"), *rest])  # noqa: S606
    ensure_env("test")
    ensure_postgres_database()
    code = run(BIN / "python", "-m", "pytest", *rest, cwd=ROOT)
    if code == 5:
        print("pytest collected no tests: failing on purpose.", file=sys.stderr)
        code = 1
    sys.exit(code)


if __name__ == "__main__":
    main()
