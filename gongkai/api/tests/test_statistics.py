"""The public statistics page and the API agree with the annual report's numbers."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.core import demo as core_demo
from gongkai.reports import demo
from gongkai.reports import services as report_services
from gongkai.reports.models import AnnualReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(district):
    core_demo.load_staff()
    demo.load(stdout=io.StringIO(), quick=True)


def test_statistics_match_the_published_report(loaded, org):
    report = AnnualReport.objects.get(org__code="hyq-czj", year=2024)
    assert report.is_published
    table = report_services.document_for(report).data.section3
    api = Client().get("/api/v1/foi/statistics/?unit=hyq-czj&year=2024").json()
    assert api["source"] == "published"
    assert api["new_applications"] == table["1"]["total"] == 2
    assert api["closed"] == table["3.7"]["total"] == 1
    assert api["carried_out"] == table["4"]["total"] == 1
    assert api["results"]["3.1"] == 1

    page = Client().get(reverse("kaifang:foi_statistics"), {"unit": "hyq-czj", "year": 2024})
    html = page.content.decode()
    assert page.status_code == 200
    assert "数据来源：已发布的年度报告" in html
    assert '<tr><th scope="row">予以公开</th><td>1</td></tr>' in html
    assert '<tr><th scope="row">本年办结</th><td>1</td></tr>' in html
    # 2025 is still under review: live figures from the same records, said so.
    live = Client().get("/api/v1/foi/statistics/?unit=hyq-czj&year=2025").json()
    assert live["source"] == "live" and live["closed"] == 2 and live["results"]["3.3.6"] == 1
    html = Client().get(reverse("kaifang:foi_statistics"),
                        {"unit": "hyq-czj", "year": 2025}).content.decode()
    assert "尚未发布" in html and '<tr><th scope="row">不予公开</th><td>1</td></tr>' in html
    assert "<svg" in html and "<script" not in html.split("<svg", 1)[1].split("</svg>")[0]
    assert "按期答复率" in html


def test_bad_unit_or_year_gets_a_chinese_message_not_an_error(loaded):
    r = Client().get(reverse("kaifang:foi_statistics"), {"unit": "nope", "year": "abc"})
    assert r.status_code == 200 and "请选择单位" in r.content.decode()
    r = Client().get(reverse("kaifang:foi_statistics"), {"unit": "hyq-czj", "year": "1990"})
    assert "只能查询" in r.content.decode()
    r = Client().get("/api/v1/foi/statistics/?unit=hyq-czj")
    assert r.status_code == 400 and "year" in r.json()["details"]


def test_statistics_export_matches_the_api_and_the_report(loaded):
    import csv

    r = Client().get(reverse("api:export", args=["foi-statistics", "csv"]), {"year": 2024})
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    header, by_unit = rows[0], {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert {"本年新收申请", "予以公开", "办结总计", "按期答复率（%）"} <= set(header)
    czj = by_unit["hyq-czj"]
    api = Client().get("/api/v1/foi/statistics/?unit=hyq-czj&year=2024").json()
    assert czj["数据来源"] == "已发布的年度报告"
    assert int(czj["本年新收申请"]) == api["new_applications"] == 2
    assert int(czj["办结总计"]) == api["closed"] == 1
    assert int(czj["予以公开"]) == 1 and int(czj["结转下年度"]) == api["carried_out"]
    one = Client().get(reverse("api:export", args=["foi-statistics", "xlsx"]),
                       {"year": 2024, "unit": "hyq-czj"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(one.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["hyq-czj"]
    page = Client().get(reverse("kaifang:foi_statistics"), {"unit": "hyq-czj", "year": 2024})
    assert reverse("api:export", args=["foi-statistics", "csv"]) in page.content.decode()
