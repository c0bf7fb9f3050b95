"""deploy/: the systemd units start commands that exist, and the example settings pass
`gongkai check --deploy` once its placeholders are replaced."""

import configparser
import os
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"


def _unit(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


@pytest.mark.parametrize("name", ["gongkai-web.service", "gongkai-worker.service",
                                  "gongkai-beat.service"])
def test_units_run_as_the_service_user_with_the_env_file_and_a_real_command(name):
    unit = _unit(name)["Service"]
    assert unit["User"] == "gongkai" and unit["EnvironmentFile"] == "/etc/gongkai/gongkai.env"
    assert unit["ProtectSystem"] == "strict" and unit["Restart"] == "on-failure"
    argv = shlex.split(unit["ExecStart"])
    program = Path(argv[0]).name
    if program == "gongkai":
        assert argv[1] in get_commands()
    else:  # celery --app gongkai worker|beat: the app module celery will import
        assert program == "celery" and argv[1:3] == ["--app", "gongkai"]
        assert argv[3] in {"worker", "beat"}
        from gongkai.celery import app

        assert app.main == "gongkai"


def test_example_environment_passes_check_deploy(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DJANGO_"))
           and k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "DEBUG", "REDIS_URL"}}
    for line in (DEPLOY / "gongkai.env.example").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = secrets.token_urlsafe(64) if value.startswith("replace-with") else value
    assert env["GONGKAI_ENV"] == "production"
    env.update(GONGKAI_VAR_DIR=str(tmp_path), MEDIA_ROOT=str(tmp_path / "media"),
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run([sys.executable, "-m", "gongkai.cli", "check", "--deploy",
                             "--fail-level", "WARNING"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
