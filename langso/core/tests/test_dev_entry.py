"""dev.py, the fresh-machine entry point: `demo` works on a PostgreSQL database not yet made."""

import importlib.util
import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def load_dev():
    spec = importlib.util.spec_from_file_location("dev_entry", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def postgres_admin():
    psycopg = pytest.importorskip("psycopg")
    for user in ("postgres", "root"):
        try:
            return user, psycopg.connect(
                host="127.0.0.1", user=user, dbname="postgres", autocommit=True, connect_timeout=3
            )
        except psycopg.OperationalError:
            continue
    pytest.skip("no PostgreSQL server at 127.0.0.1")


class Launched(Exception):
    pass


def test_demo_creates_the_postgresql_database_it_is_pointed_at(monkeypatch):
    user, admin = postgres_admin()
    name = f"langso_devpy_{uuid.uuid4().hex[:8]}"
    dev = load_dev()
    monkeypatch.setattr(dev, "ensure_env", lambda extras: None)
    monkeypatch.setattr(dev, "BIN", Path(os.sys.executable).parent)

    def execv(path, argv):
        raise Launched(argv)

    monkeypatch.setattr(dev.os, "execv", execv)
    monkeypatch.setenv("DATABASE_URL", f"postgres://{user}@127.0.0.1:5432/{name}")
    monkeypatch.setattr(dev.sys, "argv", ["dev.py", "demo"])
    try:
        with pytest.raises(Launched) as launched:
            dev.main()
        assert launched.value.args[0][1] == "demo"
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        assert found is not None
    finally:
        for db in (name, "test_" + name):
            admin.execute(f'DROP DATABASE IF EXISTS "{db}"')
        admin.close()
