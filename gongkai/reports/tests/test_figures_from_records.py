"""Section 三/四/二 computed from the database match the hand-counted fixture cell by cell."""

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.reports import services, sources
from gongkai.reports import tables as T
from gongkai.reports.tests.fixtures import CARRIED_IN, CARRIED_OUT, EXPECTED, full_table
from gongkai.reports.tests.helpers import add_appeal, add_application, load_fixture

D = dt.date


@pytest.fixture
def fgj_apps(org):
    return load_fixture(org("hyq-fgj"))


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_imported_applications_give_the_hand_counted_table(fgj_apps, org, year):
    computed = sources.compute(org("hyq-fgj"), year)
    assert computed.data.section3 == full_table(EXPECTED[year])
    assert computed.data.check() == []
    numbers = {a.number: ref for ref, a in fgj_apps.items()}
    assert [numbers[n] for n in computed.section3.carried_in] == CARRIED_IN[year]
    assert sorted(numbers[n] for n in computed.section3.carried_out) == CARRIED_OUT[year]


def test_other_units_applications_are_not_counted(fgj_apps, org):
    add_application(org("hyq-czj"), "X1", "commercial", D(2024, 3, 1), D(2024, 3, 9), "3.1")
    assert sources.compute(org("hyq-fgj"), 2024).data.section3 == full_table(EXPECTED[2024])
    czj = sources.compute(org("hyq-czj"), 2024).data.section3
    assert czj == full_table({"1": {"commercial": 1, "total": 1},
                              "3.1": {"commercial": 1, "total": 1},
                              "3.7": {"commercial": 1, "total": 1}})


def test_unassigned_application_counts_for_the_unit_it_was_addressed_to(org, district):
    add_application(None, "U1", "research", D(2024, 6, 1), None, addressee=district)
    t = sources.compute(district, 2024).data.section3
    assert t["1"]["research"] == 1 and t["4"]["research"] == 1


def test_district_sum_adds_every_unit(fgj_apps, org):
    add_application(org("hyq-czj"), "X1", "commercial", D(2024, 3, 1), D(2024, 3, 9), "3.1")
    total, rows = services.district_data(2024)
    expected = full_table(EXPECTED[2024])
    for row in ("1", "3.1", "3.7"):
        expected[row]["commercial"] += 1
        expected[row]["total"] += 1
    assert total.section3 == expected
    # Every unit but the vertically managed 税务局, which reports within its own system.
    assert len(rows) == 34
    assert "hyq-sw" not in {o.code for o, _, _ in rows}


def test_section4_from_appeal_records(fgj_apps, org):
    add_appeal(fgj_apps["B"], "review", D(2024, 2, 1), "upheld", D(2024, 4, 1))
    add_appeal(fgj_apps["D"], "litigation", D(2024, 7, 1), "pending")
    add_appeal(fgj_apps["D"], "litigation_after_review", D(2023, 7, 1), "corrected",
               D(2025, 1, 10))
    s4 = sources.compute(org("hyq-fgj"), 2024).data.section4
    assert s4 == {
        "review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
        "litigation": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},
        "litigation_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1,
                                    "total": 1},
    }
    assert sources.compute(org("hyq-fgj"), 2025).data.section4["litigation_after_review"] == {
        "upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1}


def test_section2_counts_regulatory_documents_and_entered_figures(org):
    from gongkai.disclosure.models import DocType, Document, Status, Validity

    fgj = org("hyq-fgj")
    now = timezone.now()
    for i, (written, validity, repealed) in enumerate([
        (D(2024, 3, 1), Validity.VALID, None),
        (D(2024, 5, 1), Validity.VALID, None),
        (D(2020, 1, 1), Validity.REPEALED, D(2024, 8, 1)),
        (D(2019, 1, 1), Validity.VALID, None),
    ]):
        Document.objects.create(org=fgj, title=f"规范性文件{i}", doc_type=DocType.NORMATIVE,
                                validity=validity, written_date=written, repealed_date=repealed,
                                status=Status.PUBLISHED, published_at=now)
    data = sources.compute(fgj, 2024, entered={"licensing": 5, "punishment": 2,
                                               "enforcement": 1, "fees": Decimal("0.5")}).data
    assert data.section2.docs["normative"] == {"issued": 2, "repealed": 1, "valid": 3}
    assert data.section2.docs["regulation"] == {"issued": 0, "repealed": 0, "valid": 0}
    assert (data.section2.licensing, data.section2.punishment, data.section2.enforcement) == (
        5, 2, 1)
    assert data.section2.fees == Decimal("0.5")


def _cli(*args):
    out, err = __import__("io").StringIO(), __import__("io").StringIO()
    call_command("annual_report", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_cli_json_is_the_documented_structure(fgj_apps, tmp_path):
    path = tmp_path / "r.json"
    _cli("--org", "hyq-fgj", "--year", "2024", "--format", "json", "-o", str(path))
    data = json.loads(path.read_text())
    assert list(data) == ["org", "year", "section2", "section3", "section4"]
    assert data["org"] == "hyq-fgj" and data["year"] == 2024
    assert data["section3"] == full_table(EXPECTED[2024])


def test_cli_all_sums_every_unit(fgj_apps, org, tmp_path):
    load_fixture(org("hyq-czj"), prefix="C")
    path = tmp_path / "all.json"
    _cli("--all", "--year", "2025", "-o", str(path))
    data = json.loads(path.read_text())
    assert data["org"] == "all"
    assert data["section3"] == {r: {c: 2 * v for c, v in cols.items()}
                                for r, cols in full_table(EXPECTED[2025]).items()}


@pytest.mark.parametrize("fmt, magic", [("html", b"<!DOCTYPE html>"), ("docx", b"PK"),
                                        ("xlsx", b"PK")])
def test_cli_writes_every_format(fgj_apps, tmp_path, fmt, magic):
    if fmt == "html":
        fmt_args = ["--all"]
    else:
        fmt_args = ["--org", "hyq-fgj"]
    path = tmp_path / f"r.{fmt}"
    _cli(*fmt_args, "--year", "2024", "--format", fmt, "-o", str(path))
    assert path.read_bytes().startswith(magic)


@pytest.mark.parametrize("args, message", [
    (["--org", "nope", "--year", "2024"], "error: unknown unit 'nope'"),
    (["--org", "hyq-fgj", "--year", "20x4"], "error: invalid year '20x4'"),
    (["--org", "hyq-fgj", "--year", "2099"], "error: invalid year 2099"),
    (["--org", "hyq-fgj", "--year", "2024", "--format", "odt"], "error: invalid format 'odt'"),
    (["--year", "2024"], "error: one of the arguments --org --all is required"),
    (["--org", "hyq-fgj", "--all", "--year", "2024"], "error: argument --all: not allowed"),
])
def test_cli_errors_are_one_line_with_status_2(district, capsys, args, message):
    with pytest.raises(SystemExit) as exc:
        call_command("annual_report", *args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_console_script_maps_annual_report(tmp_path):
    # The real entry point, in a subprocess: `gongkai annual-report` reaches this command.
    proc = subprocess.run([sys.executable, "-m", "gongkai.cli", "annual-report", "--help"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert "--all" in proc.stdout and "--format" in proc.stdout


def test_table_keys_in_json_match_tables_module(fgj_apps, tmp_path):
    path = tmp_path / "r.json"
    _cli("--org", "hyq-fgj", "--year", "2023", "-o", str(path))
    data = json.loads(path.read_text())
    assert list(data["section3"]) == T.ROW_KEYS
