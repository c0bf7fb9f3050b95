"""The demo data: hand-counted tables of 发改局 and 财政局, idempotent loading, public pages."""

import io
from decimal import Decimal

import pytest
from django.test import Client

from gongkai.core import demo as core_demo
from gongkai.reports import demo, services, sources
from gongkai.reports.models import AnnualReport, ReportStatus
from gongkai.reports.tests.fixtures import full_table

# Hand-counted from demo.APPLICATIONS (see the table in that module).
FGJ = {
    2024: {
        "1": {"natural_person": 3, "commercial": 1, "research": 1, "legal_service": 1,
              "total": 6},
        "2": {"natural_person": 1, "commercial": 1, "total": 2},
        "3.1": {"natural_person": 2, "total": 2},
        "3.2": {"commercial": 1, "total": 1},
        "3.3.4": {"research": 1, "total": 1},
        "3.4.1": {"natural_person": 1, "total": 1},
        "3.5.3": {"legal_service": 1, "total": 1},
        "3.7": {"natural_person": 3, "commercial": 1, "research": 1, "legal_service": 1,
                "total": 6},
        "4": {"natural_person": 1, "commercial": 1, "total": 2},
    },
    2025: {
        "1": {"natural_person": 2, "other_org": 1, "social_welfare": 1, "total": 4},
        "2": {"natural_person": 1, "commercial": 1, "total": 2},
        "3.1": {"natural_person": 1, "total": 1},
        "3.2": {"natural_person": 1, "total": 1},
        "3.4.2": {"other_org": 1, "total": 1},
        "3.6.2": {"commercial": 1, "total": 1},
        "3.7": {"natural_person": 2, "commercial": 1, "other_org": 1, "total": 4},
        "4": {"natural_person": 1, "social_welfare": 1, "total": 2},
    },
}
CZJ = {
    2024: {"1": {"natural_person": 2, "total": 2}, "3.1": {"natural_person": 1, "total": 1},
           "3.7": {"natural_person": 1, "total": 1}, "4": {"natural_person": 1, "total": 1}},
    2025: {"1": {"commercial": 1, "total": 1}, "2": {"natural_person": 1, "total": 1},
           "3.1": {"commercial": 1, "total": 1}, "3.3.6": {"natural_person": 1, "total": 1},
           "3.7": {"natural_person": 1, "commercial": 1, "total": 2}},
}


@pytest.fixture
def loaded(district):
    core_demo.load_staff()
    demo.load(stdout=io.StringIO(), quick=True)


def test_demo_tables_match_hand_counts(loaded, org):
    for code, expected in [("hyq-fgj", FGJ), ("hyq-czj", CZJ)]:
        for year in (2024, 2025):
            live = sources.compute(org(code), year).data.section3
            assert live == full_table(expected[year]), (code, year)
            report = AnnualReport.objects.get(org__code=code, year=year)
            st = services.state(org(code), year, report)
            assert st.data.section3 == full_table(expected[year]), (code, year)
            assert st.blockers(report.carry_note) == []


def test_demo_section4_fees_statuses_and_district_sum(loaded, org):
    s4 = services.state(org("hyq-fgj"), 2024,
                        AnnualReport.objects.get(org__code="hyq-fgj", year=2024)).data.section4
    assert s4["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert s4["litigation_after_review"]["pending"] == 1
    s4_2025 = sources.compute(org("hyq-fgj"), 2025).data.section4
    assert s4_2025["litigation"] == {"upheld": 0, "corrected": 1, "other": 0, "pending": 0,
                                     "total": 1}
    assert s4_2025["litigation_after_review"] == {"upheld": 0, "corrected": 0, "other": 0,
                                                  "pending": 1, "total": 1}
    fgj2024 = AnnualReport.objects.get(org__code="hyq-fgj", year=2024)
    assert "收取信息处理费1件，共计200.00元" in fgj2024.other
    statuses = dict(AnnualReport.objects.filter(year=2025).values_list("org__code", "status"))
    assert statuses == {"hyq-fgj": ReportStatus.PUBLISHED, "hyq-czj": ReportStatus.REVIEW}
    total, _ = services.district_data(2025)
    assert total.section3["1"]["total"] == 5 and total.section3["4"]["total"] == 2
    assert total.section2.fees == Decimal("11.8")  # 财政局 11.8 万元 + 发改局 0


def test_demo_is_idempotent_and_published_reports_are_public(loaded):
    from gongkai.foi.models import AppealRecord, Application

    counts = (Application.objects.count(), AppealRecord.objects.count(),
              AnnualReport.objects.count())
    demo.load(stdout=io.StringIO(), quick=True)
    assert counts == (Application.objects.count(), AppealRecord.objects.count(),
                      AnnualReport.objects.count())
    # Citizens find the published reports under 公开年报.
    html = Client().get("/ndbg/").content.decode()
    assert "槐荫区发展和改革局2025年政府信息公开工作年度报告" in html
    assert "槐荫区财政局2025年" not in html  # still under review
