import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.core.models import Role
from gongkai.disclosure import services
from gongkai.disclosure.models import Document, Status
from gongkai.disclosure.tasks import publish_due
from gongkai.disclosure.tests.factories import draft, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def fgj(org, make_staff):
    unit = org("hyq-fgj")
    return unit, make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)


def test_sync_dashboard_lists_normative_documents_without_interpretation(fgj, client_for):
    unit, editor, reviewer = fgj
    missing = published(editor, reviewer, unit, title="缺解读的规范性文件", doc_type="normative",
                        sync_reason="待补充")
    done = draft(editor, unit, title="有解读的规范性文件", doc_type="normative")
    it = services.save_interpretation(actor=editor, org=unit, title="解读", kind="graphic",
                                      body="图解", documents=[done])
    services.publish_interpretation(actor=reviewer, interpretation=it,
        revision=services.interpretation_revision(it))
    plain = published(editor, reviewer, unit, title="普通通知")
    html = client_for(reviewer).get("/xxgk/staff/sync/").content.decode()
    assert missing.title in html and "待补充" in html
    assert done.title not in html and plain.title not in html


def test_timeliness_lists_late_and_soon_per_unit_for_coordinator(fgj, make_staff, client_for):
    unit, editor, reviewer = fgj
    today = timezone.localdate()
    late = draft(editor, unit, title="逾期未公开的信息", written_date=today - dt.timedelta(days=60))
    soon = draft(editor, unit, title="即将到期的信息", written_date=today - dt.timedelta(days=24))
    fresh = draft(editor, unit, title="刚成文的信息", written_date=today)
    assert late.publish_by < today <= soon.publish_by
    coordinator = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    html = coordinator.get("/xxgk/staff/timeliness/").content.decode()
    assert unit.name in html
    assert "逾期未公开的信息" in html and "已逾期未公开" in html
    assert "即将到期的信息" in html and "即将到期" in html
    assert fresh.title not in html
    outsider = client_for(make_staff("hyq-czj", Role.REVIEWER))
    assert "逾期未公开的信息" not in outsider.get("/xxgk/staff/timeliness/").content.decode()


def test_scheduled_documents_published_by_task_and_command(fgj):
    unit, editor, reviewer = fgj
    docs = []
    for title in ("定时一", "定时二"):
        d = draft(editor, unit, title=title)
        services.submit_document(actor=editor, document=d)
        d = services.publish_document(actor=reviewer, document=d,
                                      revision=services.document_revision(d),
                                      at=timezone.now() + dt.timedelta(seconds=1))
        docs.append(d)
    Document.objects.filter(pk=docs[0].pk).update(
        scheduled_at=timezone.now() - dt.timedelta(minutes=1))
    assert publish_due.apply().get() == 1
    Document.objects.filter(pk=docs[1].pk).update(
        scheduled_at=timezone.now() - dt.timedelta(minutes=1))
    call_command("documents", "publish-due")
    assert set(Document.objects.filter(pk__in=[d.pk for d in docs])
               .values_list("status", flat=True)) == {Status.PUBLISHED}


def test_annual_report_counts_and_publishing(fgj, org, make_staff):
    unit, editor, reviewer = fgj
    published(editor, reviewer, unit, doc_type="normative", written_date=dt.date(2025, 3, 1))
    old = published(editor, reviewer, unit, doc_type="normative",
                    written_date=dt.date(2023, 3, 1))
    gone = published(editor, reviewer, unit, doc_type="normative",
                     written_date=dt.date(2022, 3, 1))
    services.update_document(actor=reviewer, document=gone, validity="repealed",
                             repealed_date=dt.date(2025, 6, 1), note="废止")
    published(editor, reviewer, unit, doc_type="regulation", written_date=dt.date(2025, 1, 5))
    counts = services.regulatory_counts(unit, 2025)
    assert counts["normative"] == {"issued": 1, "repealed": 1, "valid": 2}
    assert counts["regulation"] == {"issued": 1, "repealed": 0, "valid": 1}
    assert services.regulatory_counts(unit, 2024)["normative"] == {
        "issued": 0, "repealed": 0, "valid": 2}
    assert old.pk
    report = services.publish_annual_report(actor=reviewer, org=unit, year=2025,
                                            title="2025年政府信息公开工作年度报告",
                                            body="<p>一、总体情况</p>")
    assert report.is_public() and report.node.kind == "annual_report"
    again = services.publish_annual_report(actor=reviewer, org=unit, year=2025,
                                           title="2025年政府信息公开工作年度报告",
                                           body="<p>一、总体情况（修订）</p>")
    assert again.pk == report.pk and again.corrections().count() == 1
    with pytest.raises(Exception, match="审核人"):
        services.publish_annual_report(actor=editor, org=unit, year=2025, title="x", body="y")


def test_publish_by_moves_when_coordinator_marks_a_holiday(
        fgj, make_staff, django_capture_on_commit_callbacks):
    from gongkai.core import services as core_services

    unit, editor, _ = fgj
    doc = draft(editor, unit, written_date=dt.date(2021, 6, 23))
    assert doc.publish_by == dt.date(2021, 7, 21)
    coordinator = make_staff("hyq-zfb", Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        core_services.mark_calendar_day(actor=coordinator, date=dt.date(2021, 7, 1),
                                        is_workday=False, name="测试假日")
    doc.refresh_from_db()
    assert doc.publish_by == dt.date(2021, 7, 22)


def test_one_click_redaction_masks_personal_data(fgj, client_for):
    unit, editor, reviewer = fgj
    doc = draft(editor, unit, body="<p>联系人：张三，手机13812345678，邮箱zs@163.com</p>")
    r = client_for(editor).post(f"/xxgk/staff/{doc.pk}/redact/")
    assert r.status_code == 302
    doc.refresh_from_db()
    assert "13812345678" not in doc.body and "zs@163.com" not in doc.body
    assert "138****5678" in doc.body
    services.submit_document(actor=editor, document=doc)
    assert services.publish_document(actor=reviewer, document=doc,
                                     revision=services.document_revision(doc)).is_public()
