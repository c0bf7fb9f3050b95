"""Draft → 审核 → published into the 公开年报 node; blocked publishing; reconciliation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEntry, Role
from gongkai.reports import review, services
from gongkai.reports.models import AnnualReport, ReportStatus, due_date
from gongkai.reports.tests.fixtures import EXPECTED, full_table
from gongkai.reports.tests.helpers import add_application, load_fixture

D = dt.date


@pytest.fixture
def people(make_staff):
    return {
        "editor": make_staff("hyq-fgj", Role.EDITOR),
        "reviewer": make_staff("hyq-fgj", Role.REVIEWER),
        "other_editor": make_staff("hyq-czj", Role.EDITOR),
        "other_reviewer": make_staff("hyq-czj", Role.REVIEWER),
        "coordinator": make_staff("hyq-zfb", Role.COORDINATOR),
    }


def _save(report, actor, **kw):
    values = {"overview": report.overview, "problems": "问题", "other": report.other,
              "licensing": "12", "punishment": "3", "enforcement": "0", "fees": "0.25",
              "carry_note": ""}
    values.update(kw)
    return services.save_report(actor=actor, report=report, **values)


def _publish(report, people):
    report = review.submit_report(actor=people["editor"], report=report)
    report = review.approve_report(actor=people["reviewer"], report=report)
    return review.publish_report(actor=people["reviewer"], report=report)


def test_new_report_is_prefilled_with_the_years_figures_and_fees(org, people):
    fgj = org("hyq-fgj")
    apps = load_fixture(fgj)
    apps["D"].fee_amount, apps["D"].fee_paid_date = Decimal("300.00"), D(2024, 5, 20)
    apps["D"].save()
    report = services.open_report(actor=people["editor"], org=fgj, year=2024)
    assert report.status == ReportStatus.DRAFT
    assert "全年新收政府信息公开申请4件，上年结转2件，办结3件，结转下年度继续办理3件" in (
        report.overview)
    assert "收取信息处理费1件，共计300.00元" in report.other
    # Opening again returns the same report, without a second audit entry.
    assert services.open_report(actor=people["editor"], org=fgj, year=2024) == report
    assert AuditEntry.objects.filter(action="reports.open").count() == 1


def test_no_fee_is_said_plainly(org, people):
    report = services.open_report(actor=people["editor"], org=org("hyq-fgj"), year=2024)
    assert report.other == "2024年度，本机关未收取信息处理费。"


def test_unit_cannot_open_or_edit_another_units_report(org, people):
    with pytest.raises(PermissionDenied):
        services.open_report(actor=people["other_editor"], org=org("hyq-fgj"), year=2024)
    report = services.open_report(actor=people["editor"], org=org("hyq-fgj"), year=2024)
    with pytest.raises(PermissionDenied):
        _save(report, people["other_editor"])
    with pytest.raises(PermissionDenied):
        review.submit_report(actor=people["other_editor"], report=report)


def test_entered_figures_are_validated_by_the_service(org, people):
    report = services.open_report(actor=people["editor"], org=org("hyq-fgj"), year=2024)
    with pytest.raises(ValidationError) as exc:
        _save(report, people["editor"], licensing="-1", fees="1.23456")
    assert exc.value.message_dict["licensing"] == ["“行政许可”不能为负数。"]
    assert "最多保留四位小数" in exc.value.message_dict["fees"][0]
    report.refresh_from_db()
    assert report.licensing == 0


def test_full_workflow_publishes_into_the_annual_report_node(org, people):
    from gongkai.disclosure.models import NodeKind

    fgj = org("hyq-fgj")
    load_fixture(fgj)
    report = services.open_report(actor=people["editor"], org=fgj, year=2024)
    report = _save(report, people["editor"])
    with pytest.raises(PermissionDenied):  # an editor cannot publish
        review.publish_report(actor=people["editor"], report=report)
    with pytest.raises(ValidationError, match="请先提交审核"):
        review.publish_report(actor=people["reviewer"], report=report)
    report = review.submit_report(actor=people["editor"], report=report)
    with pytest.raises(ValidationError, match="请先提交审核"):  # submitted, not approved
        review.publish_report(actor=people["reviewer"], report=report)
    with pytest.raises(PermissionDenied):  # another unit's reviewer cannot approve
        review.approve_report(actor=people["other_reviewer"], report=report)
    report = review.approve_report(actor=people["reviewer"], report=report)
    with pytest.raises(PermissionDenied):  # nor publish
        review.publish_report(actor=people["other_reviewer"], report=report)
    report = review.publish_report(actor=people["reviewer"], report=report)
    assert report.status == ReportStatus.PUBLISHED
    assert report.figures["section3"] == full_table(EXPECTED[2024])
    assert report.figures["section2"]["licensing"] == 12
    doc = report.document
    assert doc.is_public() and doc.node.kind == NodeKind.ANNUAL_REPORT and doc.org == fgj
    assert doc.title == "槐荫区发展和改革局2024年政府信息公开工作年度报告"
    assert "申请人情况" in doc.body and "结转下年度继续办理" in doc.body
    actions = list(AuditEntry.objects.filter(action__startswith="reports.")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["reports.open", "reports.save", "reports.submit", "reports.approve",
                       "reports.publish"]
    with pytest.raises(ValidationError, match="报告已发布"):
        _save(report, people["editor"])


def test_published_figures_stay_frozen_when_records_change(org, people):
    fgj = org("hyq-fgj")
    load_fixture(fgj)
    report = _publish(_save(services.open_report(actor=people["editor"], org=fgj, year=2024),
                            people["editor"]), people)
    add_application(fgj, "late", "natural_person", D(2024, 6, 1), None)
    st = services.state(fgj, 2024, report)
    assert st.frozen and st.data.section3 == full_table(EXPECTED[2024])


def test_publishing_is_blocked_naming_the_unbalanced_column(org, people):
    fgj = org("hyq-fgj")
    load_fixture(fgj)
    add_application(fgj, "bad", "legal_service", D(2024, 2, 1), D(2024, 2, 20), "")
    report = services.open_report(actor=people["editor"], org=fgj, year=2024)
    report = review.submit_report(actor=people["editor"], report=report)
    with pytest.raises(review.PublishBlocked) as exc:
        review.approve_report(actor=people["reviewer"], report=report)
    text = " ".join(exc.value.messages)
    assert "“法人或其他组织·法律服务机构”列不平衡" in text
    assert "“总计”列不平衡" in text
    assert "T-hyq-fgj-bad" in text
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEW and report.document is None


def test_carry_over_mismatch_names_the_applications_and_needs_an_explanation(org, people):
    fgj = org("hyq-fgj")
    apps = load_fixture(fgj)
    r2024 = _publish(services.open_report(actor=people["editor"], org=fgj, year=2024), people)
    assert r2024.carried_out_refs == sorted(apps[x].number for x in ("C", "E", "F"))
    # After publication, F turns out to have been closed on 2024-12-20, and an application
    # received in 2024 and still open is imported late.
    apps["F"].closed_date = D(2024, 12, 20)
    apps["F"].save()
    late = add_application(fgj, "L", "research", D(2024, 11, 3), None)
    r2025 = services.open_report(actor=people["editor"], org=fgj, year=2025)
    st = services.state(fgj, 2025, r2025)
    rec = st.reconciliation
    assert rec.last == r2024
    assert rec.messages == [
        "“法人或其他组织·科研机构”列：本年上年结转 1 件，上年报告结转下年度 0 件。",
        "“法人或其他组织·法律服务机构”列：本年上年结转 0 件，上年报告结转下年度 1 件。",
    ]
    assert [a["number"] for a in rec.only_now] == [late.number]
    assert [a["number"] for a in rec.only_then] == [apps["F"].number]
    r2025 = review.submit_report(actor=people["editor"], report=r2025)
    with pytest.raises(review.PublishBlocked) as exc:
        review.approve_report(actor=people["reviewer"], report=r2025)
    assert any("上年结转与上年度报告的结转下年度不一致" in m for m in exc.value.messages)
    r2025 = review.return_report(actor=people["reviewer"], report=r2025, reason="请说明差异")
    _save(r2025, people["editor"], carry_note="F 于2024年12月20日办结，L 为补录的申请。")
    r2025 = _publish(AnnualReport.objects.get(pk=r2025.pk), people)
    assert r2025.is_published


def test_return_and_reopen_need_a_reason_and_a_reviewer(org, people):
    fgj = org("hyq-fgj")
    report = review.submit_report(
        actor=people["editor"],
        report=services.open_report(actor=people["editor"], org=fgj, year=2024))
    with pytest.raises(ValidationError):
        review.return_report(actor=people["reviewer"], report=report, reason=" ")
    with pytest.raises(PermissionDenied):
        review.return_report(actor=people["editor"], report=report, reason="x")
    report = review.approve_report(actor=people["coordinator"], report=report)
    report = review.publish_report(actor=people["coordinator"], report=report)
    report = review.reopen_report(actor=people["reviewer"], report=report, reason="更正错字")
    assert report.status == ReportStatus.DRAFT and report.return_reason == "更正错字"
    # Republishing replaces the document's text and keeps one document per unit and year.
    first_doc = report.document_id
    report = _publish(report, people)
    assert report.document_id == first_doc


def test_due_dates_follow_article_49(org):
    assert due_date(org("hyq-fgj"), 2025) == D(2026, 1, 31)
    assert due_date(org("hyq-zxj"), 2025) == D(2026, 1, 31)
    assert due_date(org("hyq"), 2025) == D(2026, 3, 31)


def test_future_year_is_refused(org, people):
    with pytest.raises(ValidationError):
        services.open_report(actor=people["editor"], org=org("hyq-fgj"), year=2031)


def test_section2_figures_can_be_imported_instead_of_typed(org, people, tmp_path, capsys):
    from django.core.management import call_command

    fgj = org("hyq-fgj")
    path = tmp_path / "figures.jsonl"
    path.write_text(
        '{"org": "hyq-fgj", "year": 2024, "licensing": 126, "punishment": 2, '
        '"enforcement": 1, "fees": "1.25"}\n'
        '{"org": "nope", "year": 2024}\n'
        '{"org": "hyq-czj", "year": 2024, "licensing": -4}\n'
        'not json\n', encoding="utf-8")
    call_command("annual_report_figures", str(path))
    out = capsys.readouterr()
    assert "imported 1 reports' figures, 3 lines with errors" in out.out
    assert "line 2: unknown unit 'nope'" in out.err
    assert "line 3: “行政许可”不能为负数。" in out.err
    report = AnnualReport.objects.get(org=fgj, year=2024)
    assert (report.licensing, report.punishment, report.enforcement, report.fees) == (
        126, 2, 1, Decimal("1.25"))
    assert report.overview.startswith("2024年，槐荫区发展和改革局")
    assert not AnnualReport.objects.filter(org__code="hyq-czj").exists()
    assert AuditEntry.objects.filter(action="reports.import_figures").count() == 1
    # A unit's own staff may import through the service; others may not.
    with pytest.raises(PermissionDenied):
        services.import_figures(actor=people["other_editor"], org=fgj, year=2024, licensing=1,
                                punishment=0, enforcement=0, fees=0)
    # Published reports keep their figures.
    _publish(report, people)
    with pytest.raises(ValidationError, match="报告已发布"):
        services.import_figures(actor=people["editor"], org=fgj, year=2024, licensing=1,
                                punishment=0, enforcement=0, fees=0)


def test_whoever_edited_a_report_cannot_approve_it(org, people):
    fgj = org("hyq-fgj")
    load_fixture(fgj)
    report = services.open_report(actor=people["editor"], org=fgj, year=2024)
    # The reviewer corrects a typo in the draft: they are now an editor of this report.
    report = _save(report, people["reviewer"], problems="问题（审核人修改）")
    report = review.submit_report(actor=people["editor"], report=report)
    with pytest.raises(ValidationError, match="不能审核本报告"):
        review.approve_report(actor=people["reviewer"], report=report)
    report = review.approve_report(actor=people["coordinator"], report=report)
    assert report.status == ReportStatus.APPROVED and report.approved_by == people["coordinator"]


def test_publishing_refuses_content_changed_since_approval(org, people):
    fgj = org("hyq-fgj")
    load_fixture(fgj)
    report = _save(services.open_report(actor=people["editor"], org=fgj, year=2024),
                   people["editor"])
    report = review.submit_report(actor=people["editor"], report=report)
    report = review.approve_report(actor=people["reviewer"], report=report)
    approved = report.approved_hash
    # No one edits the report, but a late-registered 2024 application changes the figures.
    add_application(fgj, "late", "natural_person", D(2024, 6, 1), D(2024, 6, 20), "3.1")
    assert review.content_hash(report) != approved
    with pytest.raises(review.PublishBlocked, match="审核通过后，报告正文或表格数据已发生变化"):
        review.publish_report(actor=people["reviewer"], report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.document is None
    report = review.approve_report(actor=people["reviewer"], report=report)
    report = review.publish_report(actor=people["reviewer"], report=report)
    assert report.figures["section3"]["1"]["total"] == EXPECTED[2024]["1"]["total"] + 1


def test_a_report_is_published_only_after_its_year(org, people, monkeypatch):
    fgj = org("hyq-fgj")
    report = _save(services.open_report(actor=people["editor"], org=fgj, year=2024),
                   people["editor"])
    report = review.submit_report(actor=people["editor"], report=report)
    report = review.approve_report(actor=people["reviewer"], report=report)
    monkeypatch.setattr(review, "_today", lambda: D(2024, 12, 31))
    with pytest.raises(review.PublishBlocked, match="最早可于2025年1月1日发布"):
        review.publish_report(actor=people["reviewer"], report=report)
    monkeypatch.setattr(review, "_today", lambda: D(2025, 1, 1))
    report = review.publish_report(actor=people["reviewer"], report=report)
    assert report.is_published


def test_files_carry_the_real_publication_date_which_a_correction_keeps(org, people,
                                                                        monkeypatch):
    import io as _io

    from django.utils import timezone
    from docx import Document

    from gongkai.reports import exports

    fgj = org("hyq-fgj")
    report = services.open_report(actor=people["editor"], org=fgj, year=2024)
    assert services.document_for(report).signature == []  # a draft has no date
    report = _publish(_save(report, people["editor"]), people)
    first = timezone.localtime(report.published_at).date()
    doc = services.document_for(report)
    assert doc.signature == ["槐荫区发展和改革局", f"{first.year}年{first.month}月{first.day}日"]
    text = [p.text for p in Document(_io.BytesIO(exports.to_docx(doc))).paragraphs]
    assert text[-2:] == doc.signature
    report = review.reopen_report(actor=people["reviewer"], report=report, reason="更正错字")
    report = _publish(_save(report, people["editor"], problems="更正后的问题"), people)
    assert timezone.localtime(report.published_at).date() == first
