"""Start-up configuration and the `gongkai` console script, run as real processes."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]
GONGKAI = [sys.executable, "-m", "gongkai.cli"]


def run(args, env_extra=None, tmp_path=None):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "GONGKAI_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG",
                        "GONGKAI_FIELD_KEY",
                        "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    if tmp_path is not None:
        env["GONGKAI_VAR_DIR"] = str(tmp_path)
    env.update(env_extra or {})
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"GONGKAI_ENV": "staging"}, "GONGKAI_ENV"),
        ({"GONGKAI_ENV": "production", "ALLOWED_HOSTS": "gov.example.cn",
          "GONGKAI_FIELD_KEY": "f" * 40}, "SECRET_KEY"),
        ({"GONGKAI_ENV": "production", "SECRET_KEY": "x" * 60, "GONGKAI_FIELD_KEY": "f" * 40},
         "ALLOWED_HOSTS"),
        ({"GONGKAI_ENV": "production", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "a.cn"},
         "GONGKAI_FIELD_KEY"),
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://localhost"}, "REDIS_URL"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"GONGKAI_TRUSTED_PROXIES": "-1"}, "GONGKAI_TRUSTED_PROXIES"),
    ],
)
def test_a_wrong_setting_stops_start_up_naming_it(env, named, tmp_path):
    result = run([*GONGKAI, "check"], env, tmp_path)
    assert result.returncode != 0
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {"GONGKAI_ENV": "production", "SECRET_KEY": "k" * 20 + "a9Z$-" * 10,
           "ALLOWED_HOSTS": "www.huaiyin.gov.cn", "GONGKAI_FIELD_KEY": "field-key-" * 5,
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


def test_console_script_works_before_the_database_is_migrated(tmp_path):
    result = run([*GONGKAI, "workdays", "add", "2026-09-21", "20"], None, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2026-10-26"


def workdays(*args):
    """Run `gongkai workdays ARGS` in-process; return (status, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    real_err = sys.stderr
    sys.stderr = err
    try:
        call_command("workdays", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = exc.code
    finally:
        sys.stderr = real_err
    return status, out.getvalue(), err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["add", "2026-11-02", "20"], "2026-11-30"),
        (["add", "2026-09-21", "20"], "2026-10-26"),
        (["add", "2026-02-06", "20"], "2026-03-12"),
        (["count", "2026-11-02", "2026-11-30"], "20"),
    ],
)
def test_workdays_cli_prints_the_result_alone(args, expected):
    status, out, err = workdays(*args)
    assert status == 0, err
    assert out.strip() == expected


@pytest.mark.django_db
def test_workdays_cli_warns_on_stderr_for_a_year_without_data():
    status, out, err = workdays("add", "2027-03-01", "5")
    assert out.strip() == "2027-03-08"
    assert "2027" in err and "warning" in err


@pytest.mark.django_db
@pytest.mark.parametrize("args", [["add", "2026-02-30", "3"], ["add", "2026-11-02", "x"],
                                  ["add", "2026-11-02", "-1"], ["count", "tomorrow", "2026-1-1"],
                                  ["mark", "2027-01-01", "weekend"], ["subtract"]])
def test_workdays_cli_rejects_malformed_input_with_one_line_and_status_2(args):
    status, out, err = workdays(*args)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1


@pytest.mark.django_db
def test_marking_a_date_changes_later_arithmetic():
    # 2027-01-04 (Monday) counts as a working day until it is marked as a holiday.
    assert workdays("add", "2026-12-31", "1")[1].strip() == "2027-01-04"
    assert workdays("mark", "2027-01-04", "holiday", "--name", "假日")[0] == 0
    assert workdays("add", "2026-12-31", "1")[1].strip() == "2027-01-05"
    # A mark wins over the statutory 元旦 too.
    workdays("mark", "2027-01-01", "workday")
    assert workdays("add", "2026-12-31", "1")[1].strip() == "2027-01-01"
