"""Staff and public pages: permissions, forms with errors in place, downloads, CSRF."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.reports import review, services
from gongkai.reports.models import AnnualReport, ReportStatus
from gongkai.reports.tests.helpers import load_fixture

D = dt.date


@pytest.fixture
def people(make_staff):
    return {
        "editor": make_staff("hyq-fgj", Role.EDITOR),
        "reviewer": make_staff("hyq-fgj", Role.REVIEWER),
        "other_editor": make_staff("hyq-czj", Role.EDITOR),
        "coordinator": make_staff("hyq-zfb", Role.COORDINATOR),
    }


def _form(**kw):
    data = {"overview": "总体情况", "problems": "问题", "other": "其他", "licensing": "10",
            "punishment": "2", "enforcement": "1", "fees": "0.5", "carry_note": ""}
    data.update(kw)
    return data


@pytest.fixture
def report(org, people):
    load_fixture(org("hyq-fgj"))
    return services.open_report(actor=people["editor"], org=org("hyq-fgj"), year=2024)


def test_staff_index_lists_own_units_with_the_due_date_reminder(client_for, people):
    resp = client_for(people["editor"]).get(reverse("reports:staff_index") + "?year=2025")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "2026年1月31日" in html and "2026年3月31日" in html
    assert "槐荫区发展和改革局" in html and "槐荫区财政局" not in html
    assert "开始编制" in html


def test_coordinator_sees_every_unit(client_for, people):
    html = client_for(people["coordinator"]).get(
        reverse("reports:staff_index") + "?year=2025").content.decode()
    assert "槐荫区发展和改革局" in html and "槐荫区财政局" in html and "查看全区发布情况" in html


def test_bad_year_is_a_chinese_message_not_an_error(client_for, people):
    resp = client_for(people["editor"]).get(reverse("reports:staff_index") + "?year=abc")
    assert resp.status_code == 200
    assert "年度“abc”无效" in resp.content.decode()


def test_open_by_post_creates_the_draft_and_redirects(client_for, people):
    c = client_for(people["editor"])
    resp = c.post(reverse("reports:staff_open"), {"org": "hyq-fgj", "year": "2024"})
    assert resp.status_code == 302
    assert AnnualReport.objects.filter(org__code="hyq-fgj", year=2024).exists()
    assert c.post(reverse("reports:staff_open"),
                  {"org": "hyq-czj", "year": "2024"}).status_code == 403


def test_unit_cannot_see_or_edit_another_units_report(client_for, people, report):
    c = client_for(people["other_editor"])
    url = reverse("reports:edit", args=["hyq-fgj", 2024])
    assert c.get(url).status_code == 403
    assert c.post(url, {**_form(), "action": "save"}).status_code == 403
    assert c.get(reverse("reports:staff_export", args=["hyq-fgj", 2024, "pdf"])
                 ).status_code == 403
    report.refresh_from_db()
    assert report.licensing == 0


def test_coordinator_sees_any_units_report(client_for, people, report):
    resp = client_for(people["coordinator"]).get(reverse("reports:edit",
                                                         args=["hyq-fgj", 2024]))
    assert resp.status_code == 200


def test_bad_figures_show_chinese_errors_in_place_and_keep_the_input(client_for, people, report):
    c = client_for(people["editor"])
    url = reverse("reports:edit", args=["hyq-fgj", 2024])
    resp = c.post(url, {**_form(licensing="十二", fees="-3", overview="我写的总体情况"),
                        "action": "save"})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "“行政许可”必须是整数。" in html and "收费金额不能为负数。" in html
    assert "我写的总体情况" in html and 'value="十二"' in html
    report.refresh_from_db()
    assert report.overview != "我写的总体情况"


def test_edit_page_shows_the_tables_and_the_check(client_for, people, report):
    html = client_for(people["editor"]).get(
        reverse("reports:edit", args=["hyq-fgj", 2024])).content.decode()
    assert '<th scope="rowgroup" rowspan="22">三、本年度办理结果</th>' in html
    assert "每一列均满足" in html
    assert 'class="table-scroll"' in html


def test_save_submit_publish_through_the_pages(client_for, people, report):
    url = reverse("reports:edit", args=["hyq-fgj", 2024])
    editor = client_for(people["editor"])
    assert editor.post(url, {**_form(), "action": "submit"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEW and report.licensing == 10
    # An editor's publish attempt is refused.
    assert editor.post(url, {"action": "publish"}).status_code == 403
    assert editor.post(url, {"action": "approve"}).status_code == 403
    reviewer = client_for(people["reviewer"])
    assert reviewer.post(url, {"action": "approve"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and len(report.approved_hash) == 64
    # The editor changes a figure after approval: publishing is refused until re-approved.
    assert editor.post(url, {**_form(), "licensing": "11", "action": "save"}).status_code == 302
    page = reviewer.post(url, {"action": "publish"}).content.decode()
    assert "审核通过后，报告正文或表格数据已发生变化" in page
    report.refresh_from_db()
    assert not report.is_published
    assert reviewer.post(url, {"action": "approve"}).status_code == 302
    assert reviewer.post(url, {"action": "publish"}).status_code == 302
    report.refresh_from_db()
    assert report.is_published
    # Citizens find it under 公开年报.
    public = Client()
    index = public.get(reverse("reports:index")).content.decode()
    assert report.title in index and report.get_absolute_url() in index
    page = public.get(report.get_absolute_url())
    assert page.status_code == 200
    assert "申请人情况" in page.content.decode()
    node_url = report.document.node.get_absolute_url()
    assert report.title in public.get(node_url).content.decode()


def test_blocked_publish_shows_the_column_in_place(client_for, people, report, org):
    from gongkai.reports.tests.helpers import add_application

    add_application(org("hyq-fgj"), "bad", "research", D(2024, 5, 1), D(2024, 5, 2), "")
    review.submit_report(actor=people["editor"], report=report)
    resp = client_for(people["reviewer"]).post(reverse("reports:edit", args=["hyq-fgj", 2024]),
                                               {"action": "approve"})
    assert resp.status_code == 200
    assert "“法人或其他组织·科研机构”列不平衡" in resp.content.decode()


def test_unpublished_report_is_not_public(client, report):
    assert client.get(reverse("reports:detail", args=["hyq-fgj", 2024])).status_code == 404
    assert client.get(reverse("reports:download", args=["hyq-fgj", 2024, "pdf"])
                      ).status_code == 404


@pytest.mark.parametrize("fmt, ctype, magic", [
    ("docx", "wordprocessingml", b"PK"), ("xlsx", "spreadsheetml", b"PK"),
    ("json", "application/json", b"{"),
])
def test_public_downloads(client, people, report, fmt, ctype, magic):
    report = review.submit_report(actor=people["editor"], report=report)
    report = review.approve_report(actor=people["reviewer"], report=report)
    review.publish_report(actor=people["reviewer"], report=report)
    resp = client.get(reverse("reports:download", args=["hyq-fgj", 2024, fmt]))
    assert resp.status_code == 200 and ctype in resp["Content-Type"]
    assert resp.content.startswith(magic)
    assert f"hyq-fgj-2024-annual-report.{fmt}" in resp["Content-Disposition"]


def test_summary_is_for_the_coordinator_only(client_for, people, report):
    assert client_for(people["editor"]).get(reverse("reports:summary")).status_code == 403
    resp = client_for(people["coordinator"]).get(reverse("reports:summary") + "?year=2024")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "全区 34 个单位中，已发布 0 个，未发布 34 个" in html
    assert "槐荫区发展和改革局" in html and "全区汇总表" in html
    resp = client_for(people["coordinator"]).get(reverse("reports:summary")
                                                 + "?year=2024&format=json")
    assert resp.json()["org"] == "all"
    assert resp.json()["section3"]["1"]["total"] == 4


def test_anonymous_staff_pages_redirect_to_login(client):
    resp = client.get(reverse("reports:staff_index"))
    assert resp.status_code == 302 and "login" in resp["Location"]


def test_posts_need_csrf(people, report):
    c = Client(enforce_csrf_checks=True)
    c.force_login(people["editor"])
    resp = c.post(reverse("reports:edit", args=["hyq-fgj", 2024]), {**_form(), "action": "save"})
    assert resp.status_code == 403


def test_workbench_has_the_tile(client_for, people):
    html = client_for(people["editor"]).get(reverse("core:workbench")).content.decode()
    assert reverse("reports:staff_index") in html and "公开年报" in html


def test_carry_over_mismatch_lists_the_applications_on_the_page(client_for, people, report,
                                                                 org):
    from gongkai.reports.tests.helpers import add_application

    report = review.submit_report(actor=people["editor"], report=report)
    report = review.approve_report(actor=people["reviewer"], report=report)
    review.publish_report(actor=people["reviewer"], report=report)
    late = add_application(org("hyq-fgj"), "late", "commercial", D(2024, 10, 8), None)
    services.open_report(actor=people["editor"], org=org("hyq-fgj"), year=2025)
    html = client_for(people["editor"]).get(
        reverse("reports:edit", args=["hyq-fgj", 2025])).content.decode()
    assert "上年结转与2024年度报告不一致" in html
    assert "“法人或其他组织·商业企业”列：本年上年结转 2 件，上年报告结转下年度 1 件。" in html
    assert reverse("foi:staff_detail", args=[late.pk]) in html and late.number in html
