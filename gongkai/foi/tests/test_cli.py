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


@pytest.mark.parametrize("args", [
    ["due-date", "--received", "2026-11-02", "--extension", "21"],
    ["due-date", "--received", "2026-11-02", "--pause", "2026-11-20", "2026-11-10"],
    ["due-date", "--received", "2026-13-02"],
])
def test_invalid_input_is_one_line_on_stderr_with_status_2(args, tmp_path):
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""


@pytest.mark.parametrize("args, out", [(["--nth", "35"], "200"), (["--pages", "250"], "4700"),
                                       (["--nth", "3"], "0")])
def test_fee_prints_yuan(capsys, args, out):
    call_command("foi", "fee", *args)
    assert capsys.readouterr().out.strip() == out
