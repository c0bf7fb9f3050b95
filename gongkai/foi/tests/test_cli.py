"""`gongkai foi due-date` and `gongkai foi fee` as a clerk would run them."""

import json
import subprocess
import sys

import pytest
from django.core.management import call_command


def run_cli(*args):
    return subprocess.run([sys.executable, "-c", "from gongkai.cli import main; main()",
                           "foi", *args], capture_output=True, text=True, timeout=60)


@pytest.mark.django_db
@pytest.mark.parametrize("extra, answer_due", [
    ([], "2026-11-30"),
    (["--pause", "2026-11-10", "2026-11-20"], "2026-12-10"),
    (["--extension", "20"], "2026-12-28"),
])
def test_due_date_json(capsys, extra, answer_due):
    call_command("foi", "due-date", "--received", "2026-11-02", *extra, "--json")
    data = json.loads(capsys.readouterr().out)
    assert data == {"received": "2026-11-02", "correction_notice_due": "2026-11-11",
                    "answer_due": answer_due, "warnings": []}


@pytest.mark.django_db
def test_due_date_warns_for_a_year_without_calendar(capsys):
    call_command("foi", "due-date", "--received", "2026-12-20", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["warnings"] and "2027" in data["warnings"][0]


def test_invalid_input_is_one_line_on_stderr_with_status_2_from_the_shell():
    proc = run_cli("due-date", "--received", "2026-11-02", "--extension", "21")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == ["error: extension must be 1-20 working days"]
    assert proc.stdout == ""


@pytest.mark.django_db
@pytest.mark.parametrize("args, message", [
    (["--extension", "21"], "extension must be 1-20 working days"),
    (["--extension", "0"], "extension must be 1-20 working days"),
    (["--pause", "2026-11-20", "2026-11-10"], "pause ends before it starts"),
    (["--pause", "2026-11-03", "2026-11-10", "--pause", "2026-11-05", "2026-11-12"],
     "pauses overlap"),
    (["--pause", "2026-11-31", "2026-12-01"], "invalid date '2026-11-31'"),
])
def test_invalid_input_exits_2_with_one_line(capsys, args, message):
    with pytest.raises(SystemExit) as exc:
        call_command("foi", "due-date", "--received", "2026-11-02", *args, "--json")
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


@pytest.mark.parametrize("args, out", [(["--nth", "35"], "200"), (["--pages", "250"], "4700"),
                                       (["--nth", "3"], "0")])
def test_fee_prints_yuan(capsys, args, out):
    call_command("foi", "fee", *args)
    assert capsys.readouterr().out.strip() == out


@pytest.mark.parametrize("args", [["--nth", "0"], ["--pages", "-3"]])
def test_fee_rejects_impossible_counts(capsys, args):
    with pytest.raises(SystemExit) as exc:
        call_command("foi", "fee", *args)
    assert exc.value.code == 2 and capsys.readouterr().err.startswith("error: ")
