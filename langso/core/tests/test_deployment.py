"""The production artefacts agree with each other: compose.yaml, the Dockerfile,
docs/production.md, the production settings and `langso serve`."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import override_settings

from langso.core.management.commands.serve import prepare_metrics_dir, server_command

ROOT = Path(__file__).resolve().parents[3]
DOC = (ROOT / "docs" / "production.md").read_text()
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_has_the_documented_services():
    assert set(COMPOSE["services"]) == {"postgres", "redis", "migrate", "web", "worker"}
    for name in COMPOSE["services"]:
        assert f"`{name}`" in DOC, name


@pytest.mark.parametrize("service", ["migrate", "web", "worker"])
def test_compose_runs_the_commands_the_documentation_gives(service):
    command = " ".join(COMPOSE["services"][service]["command"])
    assert command.startswith("langso ")
    assert command in DOC, command


def test_compose_health_checks_use_readiness():
    web = " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])
    worker = " ".join(COMPOSE["services"]["worker"]["healthcheck"]["test"])
    assert "/readyz" in web
    assert "langso readyz" in worker


def test_every_environment_variable_of_compose_is_documented():
    env = COMPOSE["x-langso-env"]
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"} <= set(env)
    for name in env:
        assert f"`{name}`" in DOC, name
    for service in ("migrate", "web", "worker"):
        assert COMPOSE["services"][service]["environment"] == env


def test_dockerfile_runs_langso_serve_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1))
    assert cmd == COMPOSE["services"]["web"]["command"]
    user = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert user and not user[-1].startswith(("root", "0"))
    assert "langso collectstatic --noinput" in dockerfile
    assert "langso collectstatic --noinput" in DOC


def test_serve_builds_the_granian_and_gunicorn_command_lines():
    granian = server_command("granian", bind="0.0.0.0:8000", workers=3, threads=1)
    assert granian[1:3] == ["-m", "granian"]
    assert ["--interface", "wsgi"] == granian[3:5]
    assert granian[granian.index("--host") + 1] == "0.0.0.0"  # noqa: S104
    assert granian[granian.index("--port") + 1] == "8000"
    assert granian[granian.index("--workers") + 1] == "3"
    assert granian[-1] == "config.wsgi:application"
    gunicorn = server_command("gunicorn", bind="127.0.0.1:8001", workers=2, threads=4)
    assert gunicorn[1:4] == ["-m", "gunicorn", "config.wsgi:application"]
    assert gunicorn[gunicorn.index("--bind") + 1] == "127.0.0.1:8001"
    assert gunicorn[gunicorn.index("--config") + 1] == "python:config.gunicorn"


def test_serve_runs_one_worker_per_core_with_four_threads_unless_told(monkeypatch):
    """The sizing measured in docs/production.md ("Workers and threads")."""
    from langso.core.management.commands import serve

    def parse(*args):
        parser = serve.Command().create_parser("langso", "serve")
        return vars(parser.parse_args(args))

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("LANGSO_THREADS", raising=False)
    monkeypatch.setattr(serve.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert (parse()["workers"], parse()["threads"]) == (3, 4)
    monkeypatch.setattr(serve.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert parse()["workers"] == 2  # one can restart while the other serves
    monkeypatch.setenv("WEB_CONCURRENCY", "")  # compose.yaml passes it empty when unset
    monkeypatch.setenv("LANGSO_THREADS", "2")
    assert (parse()["workers"], parse()["threads"]) == (2, 2)
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    assert parse("--workers", "1")["workers"] == 1 and parse()["workers"] == 5


def test_serve_empties_the_prometheus_directory_of_a_previous_run(tmp_path):
    (tmp_path / "counter_123.db").write_bytes(b"old")
    (tmp_path / "keep.txt").write_text("not ours")
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    assert prepare_metrics_dir(env) == tmp_path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    fresh = {}
    with override_settings(VAR_DIR=tmp_path / "var"):
        path = prepare_metrics_dir(fresh)
    assert path.is_dir() and fresh["PROMETHEUS_MULTIPROC_DIR"] == str(path)


def _production_settings(**env):
    base = {
        k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    code = (
        "import json, config.settings.production as s; print(json.dumps({"
        "'storage': s.STORAGES['staticfiles']['BACKEND'], 'cache': s.CACHES['default'],"
        "'formatter': s.LOGGING['handlers']['console']['formatter'],"
        "'exempt': s.SECURE_REDIRECT_EXEMPT}))"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_production_settings_refuse_to_start_without_redis():
    done = _production_settings(SECRET_KEY="k" * 50, ALLOWED_HOSTS="example.org")
    assert done.returncode != 0
    assert "REDIS_URL must be set" in done.stderr


def test_production_settings_use_redis_hashed_static_files_and_json_logs():
    done = _production_settings(
        SECRET_KEY="k" * 50, ALLOWED_HOSTS="example.org", REDIS_URL="redis://127.0.0.1:6379/1"
    )
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout)
    assert values["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["cache"] == {
        "BACKEND": "langso.core.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }
    assert values["formatter"] == "json"
    assert any(re.match(p, "readyz") for p in values["exempt"])


def test_every_static_file_the_templates_name_exists_after_collectstatic(tmp_path):
    """The manifest storage of production fails a page whose static file is missing."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    names = set()
    for template in (ROOT / "langso").rglob("*.html"):
        names.update(re.findall(r"{% static ['\"]([^'\"]+)['\"]", template.read_text()))
    assert "langso/base.css" in names
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.staticfiles.storage import ManifestStaticFilesStorage

        storage = ManifestStaticFilesStorage(location=tmp_path)
        for name in sorted(names):
            assert (tmp_path / storage.stored_name(name)).exists(), name


def test_the_scan_pages_may_have_a_redis_of_their_own():
    """docs/production.md, "Scan pages": a bounded LRU Redis for pages, the counters apart."""
    import os
    import subprocess
    import sys

    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['LOCATION'], settings.CACHES['trace_pages']['LOCATION'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    env |= {"REDIS_URL": "redis://cache:6379/0"}
    shared = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)  # noqa: S603
    assert shared.stdout.split() == ["redis://cache:6379/0", "redis://cache:6379/0"]
    env |= {"LANGSO_TRACE_REDIS_URL": "redis://pages:6379/0"}
    apart = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)  # noqa: S603
    assert apart.stdout.split() == ["redis://cache:6379/0", "redis://pages:6379/0"]
