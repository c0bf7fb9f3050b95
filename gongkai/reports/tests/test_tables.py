"""Section 三/二/四 arithmetic on plain records: no database."""

import datetime as dt
from decimal import Decimal

import pytest

from gongkai.reports import tables as T
from gongkai.reports.tests.fixtures import (
    APPLICATIONS,
    CARRIED_IN,
    CARRIED_OUT,
    EXPECTED,
    full_table,
)

D = dt.date


def records():
    return [T.AppRecord(a, r, c, res, ref) for ref, a, r, c, res in APPLICATIONS]


def test_rows_and_columns_are_exactly_the_2021_format():
    assert T.ROW_KEYS == ["1", "2", "3.1", "3.2"] + [f"3.3.{i}" for i in range(1, 9)] + [
        f"3.4.{i}" for i in range(1, 4)] + [f"3.5.{i}" for i in range(1, 6)] + [
        f"3.6.{i}" for i in range(1, 4)] + ["3.7", "4"]
    assert len(T.ROW_KEYS) == 25
    assert T.COLUMN_KEYS == ["natural_person", "commercial", "research", "social_welfare",
                             "legal_service", "other_org", "total"]
    assert T.ROW_LABELS["3.3.3"] == "3.危及“三安全一稳定”"
    assert T.ROW_LABELS["3.2"] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert T.ROW_LABELS["4"] == "四、结转下年度继续办理"
    assert T.row_name("3.6.2").startswith("三（六）其他处理2.申请人逾期未按收费通知")


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_three_years_match_hand_counted_tables_cell_by_cell(year):
    result = T.compute_section3(records(), year)
    assert result.table == full_table(EXPECTED[year])
    assert result.anomalies == []
    assert T.check_section3(result.table) == []


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_carried_in_and_out_name_the_applications(year):
    result = T.compute_section3(records(), year)
    assert result.carried_in == CARRIED_IN[year]
    assert result.carried_out == CARRIED_OUT[year]


@pytest.mark.parametrize("year", [2024, 2025])
def test_carried_in_equals_last_years_carried_out(year):
    this = T.compute_section3(records(), year).table
    last = T.compute_section3(records(), year - 1).table
    assert this["2"] == last["4"]
    assert T.reconcile(this["2"], last["4"]) == []


def test_reconcile_names_the_columns_that_differ():
    msgs = T.reconcile({"natural_person": 2, "commercial": 1, "total": 3},
                       {"natural_person": 1, "commercial": 1, "total": 2})
    assert len(msgs) == 2
    assert "“自然人”列" in msgs[0] and "2 件" in msgs[0] and "1 件" in msgs[0]
    assert "“总计”列" in msgs[1]


def test_year_without_applications_is_all_zero_and_balanced():
    result = T.compute_section3(records(), 2019)
    assert result.table == full_table({})
    assert T.check_section3(result.table) == []


def test_application_closed_before_it_was_received_breaks_the_check_and_names_column():
    bad = records() + [T.AppRecord("research", D(2024, 2, 1), D(2023, 11, 1), "3.1", "X")]
    table = T.compute_section3(bad, 2024).table
    failures = T.check_section3(table)
    assert [f.column for f in failures] == ["research", "total"]
    assert "“法人或其他组织·科研机构”列不平衡" in failures[0].message
    assert "一（本年新收 2）" in failures[0].message
    # In 2023 the same record is closed without having been received.
    r2023 = T.compute_section3(bad, 2023)
    assert [f.column for f in T.check_section3(r2023.table)] == ["research", "total"]
    assert [a.ref for a in r2023.anomalies] == ["X"]


def test_closed_without_result_is_an_anomaly_and_fails_the_check():
    bad = [T.AppRecord("commercial", D(2024, 3, 1), D(2024, 3, 5), "", "Y")]
    result = T.compute_section3(bad, 2024)
    assert result.table["1"]["commercial"] == 1
    assert result.table["3.7"]["commercial"] == 0
    assert [(a.ref, a.column) for a in result.anomalies] == [("Y", "commercial")]
    assert [f.column for f in T.check_section3(result.table)] == ["commercial", "total"]


def test_unknown_applicant_type_is_reported_not_counted():
    result = T.compute_section3([T.AppRecord("alien", D(2024, 3, 1), None, "", "Z")], 2024)
    assert result.table == full_table({})
    assert result.anomalies[0].ref == "Z"


def test_check_detects_hand_edited_totals():
    table = full_table(EXPECTED[2024])
    table["3.1"]["natural_person"] += 1  # result total no longer sums
    failures = T.check_section3(table)
    messages = " ".join(f.message for f in failures)
    assert "“三（一）予以公开”行的总计不等于各列之和" in messages
    assert "“自然人”列的三（七）总计不等于三（一）至（六）之和" in messages


def test_sum_of_units_adds_every_cell():
    a = T.ReportData(org="a", year=2024, section3=T.compute_section3(records(), 2024).table)
    b = T.ReportData(org="b", year=2024, section3=T.compute_section3(records()[:4], 2024).table)
    a.section2.licensing, b.section2.licensing = 3, 4
    a.section2.fees, b.section2.fees = Decimal("1.5"), Decimal("0.0025")
    a.section2.docs["normative"]["valid"] = 7
    a.section4["review"]["upheld"] = 1
    b.section4["review"]["upheld"] = 2
    total = T.sum_reports([a, b], year=2024)
    # b holds J, A, B, C: in 2024 B (closed 3.2) and C (open) were carried in.
    expected = full_table(EXPECTED[2024])
    expected["2"]["natural_person"] += 1
    expected["2"]["commercial"] += 1
    expected["2"]["total"] += 2
    for row in ("3.2", "3.7"):
        expected[row]["natural_person"] += 1
        expected[row]["total"] += 1
    expected["4"]["commercial"] += 1
    expected["4"]["total"] += 1
    assert total.section3 == expected
    assert total.check() == []
    assert total.section2.licensing == 7
    assert total.section2.fees == Decimal("1.5025")
    assert total.section2.docs["normative"]["valid"] == 7
    assert total.section4["review"]["upheld"] == 3
    with pytest.raises(ValueError):
        T.sum_reports([a], year=2025)


def test_json_has_the_documented_shape_and_round_trips():
    rep = T.ReportData(org="hyq-fgj", year=2024,
                       section3=T.compute_section3(records(), 2024).table)
    rep.section2.fees = Decimal("2.25")
    data = rep.to_json()
    assert list(data) == ["org", "year", "section2", "section3", "section4"]
    assert list(data["section3"]) == T.ROW_KEYS
    assert all(list(cols) == T.COLUMN_KEYS for cols in data["section3"].values())
    assert data["section3"]["4"]["legal_service"] == 1
    assert data["section2"]["fees"] == 2.25
    assert data["section2"]["regulation"] == {"issued": 0, "repealed": 0, "valid": 0}
    assert list(data["section4"]) == ["review", "litigation", "litigation_after_review"]
    assert T.ReportData.from_json(data).to_json() == data


@pytest.mark.parametrize("raw, expected", [
    ("0", Decimal("0")), ("", Decimal("0")), ("12.5", Decimal("12.5")),
    ("0.0001", Decimal("0.0001")), (1.25, Decimal("1.25")),
])
def test_fee_amounts_in_wan_yuan_are_parsed(raw, expected):
    assert T.parse_fees(raw) == expected


@pytest.mark.parametrize("raw, message", [
    ("-1", "不能为负数"), ("abc", "不是数字"), ("0.00001", "最多保留四位小数"),
    ("NaN", "不是数字"), ("1e9", "过大"),
])
def test_bad_fee_amounts_are_refused_in_chinese(raw, message):
    with pytest.raises(ValueError, match=message):
        T.parse_fees(raw)


def test_counts_must_be_non_negative_integers():
    assert T.parse_count("12", "行政许可") == 12
    with pytest.raises(ValueError, match="“行政许可”必须是整数"):
        T.parse_count("1.5", "行政许可")
    with pytest.raises(ValueError, match="不能为负数"):
        T.parse_count("-3", "行政处罚")


def test_fees_text_drops_trailing_zeros():
    assert T.fees_text(Decimal("0.1500")) == "0.15"
    assert T.fees_text(Decimal("0")) == "0"
    assert T.fees_text(Decimal("12")) == "12"


APPEALS = [
    # filed 2023, concluded 2024 upheld: 2023 pending, 2024 upheld
    T.AppealRecord("review", D(2023, 6, 1), "upheld", D(2024, 2, 1), "r1"),
    # filed and corrected in 2024
    T.AppealRecord("review", D(2024, 3, 1), "corrected", D(2024, 4, 1), "r2"),
    # concluded in 2023: not in 2024
    T.AppealRecord("review", D(2023, 1, 5), "other", D(2023, 3, 1), "r3"),
    # litigation still pending
    T.AppealRecord("litigation", D(2024, 7, 1), "pending", None, "l1"),
    # after review, outcome recorded without a date: taken as the filing year
    T.AppealRecord("litigation_after_review", D(2024, 9, 1), "other", None, "l2"),
    # filed in 2025: not yet
    T.AppealRecord("litigation", D(2025, 1, 2), "upheld", D(2025, 3, 1), "l3"),
]


def test_section4_counts_cases_active_in_the_year_by_outcome_at_year_end():
    s2024 = T.compute_section4(APPEALS, 2024)
    assert s2024 == {
        "review": {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2},
        "litigation": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},
        "litigation_after_review": {"upheld": 0, "corrected": 0, "other": 1, "pending": 0,
                                    "total": 1},
    }
    s2023 = T.compute_section4(APPEALS, 2023)
    assert s2023["review"] == {"upheld": 0, "corrected": 0, "other": 1, "pending": 1,
                               "total": 2}
    assert s2023["litigation"]["total"] == 0
    s2025 = T.compute_section4(APPEALS, 2025)
    assert s2025["litigation"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1,
                                   "total": 2}
    assert s2025["review"]["total"] == 0
