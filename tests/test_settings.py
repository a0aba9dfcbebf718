"""Settings come from the environment; debug is off unless asked for, with debug off a missing
secret key stops start-up with a clear message, and production installs no development tools."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**environ):
    """Import the settings module in a fresh interpreter with exactly ``environ`` set."""
    env = {"PATH": os.environ["PATH"], **environ}
    code = (
        "import json, tracker.settings as s; "
        "print(json.dumps({'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, "
        "'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']),"
        " 'host': s.DATABASES['default'].get('HOST', ''), 'apps': s.INSTALLED_APPS}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_missing_secret_key_with_debug_off_is_a_clear_startup_error():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = load_settings(DJANGO_SECRET_KEY="k")
    assert json.loads(result.stdout)["debug"] is False
    result = load_settings(DJANGO_DEBUG="1")
    assert json.loads(result.stdout)["debug"] is True


def test_sqlite_file_in_the_project_when_no_database_url():
    settings = json.loads(load_settings(DJANGO_SECRET_KEY="k").stdout)
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["name"] == str(ROOT / "db.sqlite3")


def test_postgres_database_url_selects_the_postgresql_backend():
    settings = json.loads(
        load_settings(
            DJANGO_SECRET_KEY="k", DATABASE_URL="postgres://postgres@127.0.0.1:5432/tracker"
        ).stdout
    )
    assert settings["engine"] == "django.db.backends.postgresql"
    assert (settings["name"], settings["host"]) == ("tracker", "127.0.0.1")


def test_allowed_hosts_come_from_a_comma_separated_list():
    settings = json.loads(
        load_settings(
            DJANGO_SECRET_KEY="k", DJANGO_ALLOWED_HOSTS="cpt.example.org,a.example"
        ).stdout
    )
    assert settings["hosts"] == ["cpt.example.org", "a.example"]


def test_production_settings_do_not_install_the_development_tools():
    settings = json.loads(load_settings(DJANGO_SECRET_KEY="k").stdout)
    assert "devtools" not in settings["apps"]


@pytest.mark.parametrize(
    "environ, installed",
    [
        ({"DJANGO_DEBUG": "1"}, True),
        ({"DJANGO_SECRET_KEY": "k", "DJANGO_DEV_TOOLS": "1"}, True),
        ({"DJANGO_DEBUG": "1", "DJANGO_DEV_TOOLS": "0"}, False),
    ],
)
def test_development_tools_come_with_debug_unless_turned_off(environ, installed):
    settings = json.loads(load_settings(**environ).stdout)
    assert ("devtools" in settings["apps"]) is installed


def test_production_has_no_bench_data_command(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": "k",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "generate_bench_data", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Unknown command: 'generate_bench_data'" in result.stderr


@pytest.mark.django_db
def test_postgresql_is_the_database_when_asked_for(settings):
    """On CI the second run must really be on PostgreSQL, not silently on SQLite."""
    from django.db import connection

    wanted = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if wanted.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


def test_code_only_commands_need_no_secret_key_and_serving_ones_still_do(tmp_path):
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )

    checked = manage("makemigrations", "--check", "--dry-run")
    assert checked.returncode == 0, checked.stderr
    assert "No changes detected" in checked.stdout
    refused = manage("check")
    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in refused.stderr
