"""Start-up configuration and the `gongkai` console script, run as real processes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GONGKAI = [sys.executable, "-m", "gongkai.cli"]


def run(args, env_extra=None, tmp_path=None):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "GONGKAI_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    if tmp_path is not None:
        env["GONGKAI_VAR_DIR"] = str(tmp_path)
    env.update(env_extra or {})
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"GONGKAI_ENV": "staging"}, "GONGKAI_ENV"),
        ({"GONGKAI_ENV": "production", "ALLOWED_HOSTS": "gov.example.cn"}, "SECRET_KEY"),
        ({"GONGKAI_ENV": "production", "SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://localhost"}, "REDIS_URL"),
        ({"DEBUG": "maybe"}, "DEBUG"),
    ],
)
def test_a_wrong_setting_stops_start_up_naming_it(env, named, tmp_path):
    result = run([*GONGKAI, "check"], env, tmp_path)
    assert result.returncode != 0
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {"GONGKAI_ENV": "production", "SECRET_KEY": "k" * 20 + "a9Z$-" * 10,
           "ALLOWED_HOSTS": "www.huaiyin.gov.cn",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = run([*GONGKAI, "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_secret_key_is_generated_once_into_var(tmp_path):
    run([*GONGKAI, "check"], None, tmp_path)
    key = (tmp_path / "secret_key").read_text()
    run([*GONGKAI, "check"], None, tmp_path)
    assert (tmp_path / "secret_key").read_text() == key
    assert len(key) >= 50


@pytest.fixture(scope="module")
def migrated_var(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    result = run([*GONGKAI, "migrate", "--noinput", "-v0"], None, var)
    assert result.returncode == 0, result.stderr
    return var


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["add", "2026-11-02", "20"], "2026-11-30"),
        (["add", "2026-09-21", "20"], "2026-10-26"),
        (["add", "2026-02-06", "20"], "2026-03-12"),
        (["count", "2026-11-02", "2026-11-30"], "20"),
    ],
)
def test_workdays_cli_prints_the_result_alone(args, expected, migrated_var):
    result = run([*GONGKAI, "workdays", *args], None, migrated_var)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_workdays_cli_warns_on_stderr_for_a_year_without_data(migrated_var):
    result = run([*GONGKAI, "workdays", "add", "2027-03-01", "5"], None, migrated_var)
    assert result.stdout.strip() == "2027-03-08"
    assert "2027" in result.stderr and "warning" in result.stderr


@pytest.mark.parametrize("args", [["add", "2026-02-30", "3"], ["add", "2026-11-02", "x"],
                                  ["add", "2026-11-02", "-1"], ["count", "tomorrow", "2026-1-1"],
                                  ["mark", "2027-01-01", "weekend"]])
def test_workdays_cli_rejects_malformed_input_with_one_line_and_status_2(args, migrated_var):
    result = run([*GONGKAI, "workdays", *args], None, migrated_var)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_marking_a_date_changes_later_arithmetic(migrated_var):
    # 2027-01-01 (Friday) is New Year's Day once marked.
    assert run([*GONGKAI, "workdays", "add", "2026-12-31", "1"], None,
               migrated_var).stdout.strip() == "2027-01-01"
    mark = run([*GONGKAI, "workdays", "mark", "2027-01-01", "holiday", "--name", "元旦"], None,
               migrated_var)
    assert mark.returncode == 0, mark.stderr
    assert run([*GONGKAI, "workdays", "add", "2026-12-31", "1"], None,
               migrated_var).stdout.strip() == "2027-01-04"
    run([*GONGKAI, "workdays", "mark", "2027-01-01", "workday"], None, migrated_var)
    assert run([*GONGKAI, "workdays", "add", "2026-12-31", "1"], None,
               migrated_var).stdout.strip() == "2027-01-01"
