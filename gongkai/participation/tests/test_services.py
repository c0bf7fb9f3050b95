"""The consultation lifecycle through the service functions: review binding, the closing
instant, encryption, moderation, dispositions and the feedback report."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import AuditEntry, Organization
from gongkai.participation import privacy, services
from gongkai.participation.models import Channel, Consultation, Disposition, Opinion, Review
from gongkai.participation.services.consultations import consultation_revision
from gongkai.participation.services.feedback import report_revision

pytestmark = pytest.mark.django_db


def _third(c):
    return c.articles.get(label="第三条")


def test_draft_is_split_and_publish_is_bound_to_reviewed_text(staff):
    org = Organization.objects.get(code="hyq-sfj")
    now = timezone.now()
    c = services.create_consultation(actor=staff["editor"], org=org, data={
        "title": "办法", "draft_text": "第一条 甲。\n第二条 乙。\n第三条 丙。\n丁。",
        "starts_at": now, "ends_at": now + dt.timedelta(days=10)})
    assert [a.label for a in c.articles.all()] == ["第一条", "第二条", "第三条"]
    assert c.articles.get(label="第三条").paragraphs() == ["丙。", "丁。"]
    services.submit_consultation(actor=staff["editor"], consultation=c)
    seen = consultation_revision(c)
    # The drafter cannot review their own text.
    with pytest.raises(PermissionDenied):
        services.publish_consultation(actor=staff["editor"], consultation=c, revision=seen)
    # Another unit's reviewer cannot publish.
    with pytest.raises(PermissionDenied):
        services.publish_consultation(actor=staff["other_reviewer"], consultation=c,
                                      revision=seen)
    # Text changed after the reviewer opened the page: refused.
    Consultation.objects.filter(pk=c.pk).update(title="办法（改）")
    with pytest.raises(ValidationError, match="已被修改"):
        services.publish_consultation(actor=staff["reviewer"], consultation=c, revision=seen)
    c.refresh_from_db()
    services.publish_consultation(actor=staff["reviewer"], consultation=c,
                                  revision=consultation_revision(c))
    c.refresh_from_db()
    assert c.review_status == Review.PUBLISHED and c.is_open()
    assert AuditEntry.objects.filter(action="gzcy.consultation.publish",
                                     target_id=str(c.pk)).count() == 1


def test_major_decision_shorter_than_30_days_needs_reason(staff):
    org = Organization.objects.get(code="hyq-sfj")
    cat = services.create_catalog(actor=staff["editor"], org=org, year=2026)
    item = services.add_item(actor=staff["editor"], catalog=cat, data={
        "title": "养犬管理办法制定", "undertaker": "区司法局", "procedures": ["public"]})
    now = timezone.now()
    data = {"title": "办法", "draft_text": "第一条 甲。", "starts_at": now,
            "ends_at": now + dt.timedelta(days=20), "decision": item}
    c = services.create_consultation(actor=staff["editor"], org=org, data=data)
    with pytest.raises(ValidationError, match="30日"):
        services.submit_consultation(actor=staff["editor"], consultation=c)
    services.update_consultation(actor=staff["editor"], consultation=c,
                                 data=data | {"short_period_reason": "上级部署时间紧急"})
    services.submit_consultation(actor=staff["editor"], consultation=c)


def test_comment_closes_exactly_at_end_instant(publish):
    c = publish(start=-1, days=2)
    end = c.ends_at
    op, code = services.submit_comment(consultation=c, body="建议放宽", article_id=_third(c).pk,
                                       now=end - dt.timedelta(microseconds=1))
    assert op.article.label == "第三条"
    with pytest.raises(services.ClosedError, match="已截止"):
        services.submit_comment(consultation=c, body="晚到的意见", now=end)
    assert c.opinions.count() == 1


def test_unpublished_and_future_consultations_refuse_comments(staff, publish):
    org = Organization.objects.get(code="hyq-sfj")
    now = timezone.now()
    draft = services.create_consultation(actor=staff["editor"], org=org, data={
        "title": "办法", "draft_text": "第一条 甲。", "starts_at": now,
        "ends_at": now + dt.timedelta(days=10)})
    with pytest.raises(services.ClosedError, match="尚未发布"):
        services.submit_comment(consultation=draft, body="意见")
    future = publish(start=2, days=30)
    with pytest.raises(services.ClosedError, match="尚未开始"):
        services.submit_comment(consultation=future, body="意见")


def test_personal_data_encrypted_and_code_finds_opinion(publish):
    c = publish()
    op, code = services.submit_comment(consultation=c, body="意见", name="王秀英",
                                       contact="13812345678", publish_name=False)
    raw = Opinion.objects.filter(pk=op.pk).values_list("name_encrypted", "contact_encrypted",
                                                       "code_hash").get()
    assert "王秀英" not in raw[0] and "13812345678" not in raw[1] and code not in raw[2]
    assert privacy.decrypt(raw[1]) == "13812345678"
    assert op.public_name() == "匿名"  # no consent, no name
    assert Opinion.objects.get(code_hash=privacy.code_hash(code.lower())).pk == op.pk
    entry = AuditEntry.objects.get(action="gzcy.opinion.submit")
    assert "王秀英" not in str(entry.changes) + entry.summary + entry.target_repr


def test_body_size_limit_and_article_of_other_consultation(publish):
    c, other = publish(), publish(title="另一个")
    with pytest.raises(ValidationError):
        services.submit_comment(consultation=c, body="长" * 5001)
    with pytest.raises(ValidationError, match="条款不存在"):
        services.submit_comment(consultation=c, body="意见",
                                article_id=other.articles.first().pk)


def _closed_with_opinions(publish, staff):
    c = publish(start=-40, days=30)
    for body, art in [("第三条登记期限太短", True), ("期限太短，建议延长", True),
                      ("总体赞成", False)]:
        Opinion.objects.create(consultation=c, body=body, article=_third(c) if art else None,
                               received_at=c.ends_at - dt.timedelta(days=1),
                               contact_encrypted=privacy.encrypt("a@example.cn"))
    return c


def test_dispose_group_and_publish_report(publish, staff, mailoutbox,
                                          django_capture_on_commit_callbacks):
    c = _closed_with_opinions(publish, staff)
    ed, rv = staff["editor"], staff["reviewer"]
    services.enter_opinion(actor=ed, consultation=c, channel=Channel.POST, body="来信：支持",
                           received_at=c.ends_at - dt.timedelta(days=2))
    ops = list(c.opinions.order_by("pk"))
    group = services.group_opinions(actor=ed, consultation=c, title="登记期限",
                                     opinion_ids=[str(ops[0].pk), str(ops[1].pk)],
                                     concentrated=True)
    with pytest.raises(ValidationError, match="至少10字"):
        services.dispose(actor=ed, consultation=c, disposition=Disposition.REJECTED,
                         reason="不采纳", group=group)
    services.dispose(actor=ed, consultation=c, disposition=Disposition.PARTLY,
                     reason="登记期限延长至三十日", group=group)
    with pytest.raises(ValidationError, match="理由"):
        services.dispose(actor=ed, consultation=c, disposition=Disposition.REJECTED,
                         reason="", opinion=ops[2])
    report = services.save_report(actor=ed, consultation=c, summary="共收到意见4条。")
    with pytest.raises(ValidationError, match="未处理"):
        services.submit_report(actor=ed, report=report)
    for op in ops[2:]:
        services.dispose(actor=ed, consultation=c, disposition=Disposition.ADOPTED, reason="",
                         opinion=op)
    services.submit_report(actor=ed, report=report)
    seen = report_revision(report)
    # A disposition changed after review voids the submission.
    services.dispose(actor=ed, consultation=c, disposition=Disposition.ADOPTED, reason="",
                     opinion=ops[3])
    report.refresh_from_db()
    assert report.review_status == Review.DRAFT
    services.submit_report(actor=ed, report=report)
    with pytest.raises(PermissionDenied):
        services.publish_report(actor=ed, report=report, revision=report_revision(report))
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_report(actor=rv, report=report, revision=report_revision(report))
    report.refresh_from_db()
    assert report.is_published and seen
    # Each commenter who left an e-mail address is told (the written one left none).
    assert len(mailoutbox) == 3 and mailoutbox[0].to == ["a@example.cn"]
    assert reverse("participation:feedback", args=[c.pk]) in mailoutbox[0].body
    assert c.opinions.filter(notified_at__isnull=False).count() == 3  # left contact details
    ops[0].refresh_from_db()
    assert ops[0].final_disposition() == Disposition.PARTLY
    with pytest.raises(ValidationError, match="已公布"):
        services.dispose(actor=ed, consultation=c, disposition=Disposition.ADOPTED, reason="",
                         opinion=ops[0])


def test_cannot_dispose_while_open(publish, staff):
    c = publish()
    op, _ = services.submit_comment(consultation=c, body="意见")
    with pytest.raises(ValidationError, match="截止后"):
        services.dispose(actor=staff["editor"], consultation=c,
                         disposition=Disposition.ADOPTED, reason="", opinion=op)


def test_hide_keeps_opinion_and_logs_reason(publish, staff):
    c = publish()
    op, _ = services.submit_comment(consultation=c, body="广告 加微信")
    with pytest.raises(ValidationError):
        services.hide_opinion(actor=staff["editor"], opinion=op, reason="dislike")
    with pytest.raises(PermissionDenied):
        services.hide_opinion(actor=staff["other_reviewer"], opinion=op, reason="spam")
    services.hide_opinion(actor=staff["editor"], opinion=op, reason="spam", note="广告")
    assert Opinion.objects.get(pk=op.pk).hidden_reason == "spam"
    assert AuditEntry.objects.filter(action="gzcy.opinion.hide", summary__contains="垃圾信息"
                                     ).exists()


def test_catalog_review_adjustment_and_stages(staff, publish):
    org = Organization.objects.get(code="hyq-sfj")
    ed, rv = staff["editor"], staff["reviewer"]
    cat = services.create_catalog(actor=ed, org=org, year=2026)
    item = services.add_item(actor=ed, catalog=cat, data={
        "title": "养犬管理办法制定", "undertaker": "区司法局", "basis": "国务院令第713号",
        "planned": "2026年12月", "procedures": ["public", "legal", "bogus"]})
    assert item.procedures == ["public", "legal"]
    services.submit_catalog(actor=ed, catalog=cat)
    from gongkai.participation.services.catalog import catalog_revision

    services.publish_catalog(actor=rv, catalog=cat, revision=catalog_revision(cat))
    cat.refresh_from_db()
    assert [r["title"] for r in cat.snapshot] == ["养犬管理办法制定"]
    with pytest.raises(ValidationError, match="调整"):
        services.add_item(actor=ed, catalog=cat, data={"title": "新", "undertaker": "区司法局"})
    with pytest.raises(ValidationError, match="理由"):
        services.adjust_item(actor=ed, catalog=cat, reason=" ",
                             data={"title": "新", "undertaker": "区司法局"})
    services.adjust_item(actor=ed, catalog=cat, reason="区政府常务会议决定增补",
                         data={"title": "停车收费调整", "undertaker": "区发改局"})
    cat.refresh_from_db()
    assert cat.review_status == Review.PENDING
    assert len(cat.snapshot) == 1  # public still shows the approved items until review
    services.publish_catalog(actor=rv, catalog=cat, revision=catalog_revision(cat))
    cat.refresh_from_db()
    assert len(cat.snapshot) == 2
    # Stages: a skipped one needs a reason; a published consultation stage updates the status.
    with pytest.raises(ValidationError):
        services.add_stage(actor=ed, decision=item, kind="expert")
    services.add_stage(actor=ed, decision=item, kind="expert", skipped_reason="不涉及专业性问题")
    c = publish()
    st = services.add_stage(actor=ed, decision=item, kind="consultation", consultation=c,
                            submit=True)
    item.refresh_from_db()
    assert item.get_status_display() == "计划中"  # not public before review
    from gongkai.participation.services.stages import stage_revision

    services.publish_stage(actor=rv, stage=st, revision=stage_revision(st))
    item.refresh_from_db()
    assert item.get_status_display() == "征求意见中"
    with pytest.raises(ValidationError, match="链接"):
        services.add_stage(actor=ed, decision=item, kind="result", url="javascript:alert(1)")


def test_major_decision_published_late_still_needs_30_days_from_publication(staff):
    """Submitted with exactly 30 days, published five days after the start instant: the
    public could comment for 25 days only, which needs a recorded reason."""
    org = Organization.objects.get(code="hyq-sfj")
    cat = services.create_catalog(actor=staff["editor"], org=org, year=2026)
    item = services.add_item(actor=staff["editor"], catalog=cat, data={
        "title": "养犬管理办法制定", "undertaker": "区司法局", "procedures": ["public"]})
    now = timezone.now()
    data = {"title": "办法", "draft_text": "第一条 甲。", "starts_at": now - dt.timedelta(days=5),
            "ends_at": now + dt.timedelta(days=25), "decision": item}
    c = services.create_consultation(actor=staff["editor"], org=org, data=data)
    services.submit_consultation(actor=staff["editor"], consultation=c)
    with pytest.raises(services.Blocked, match="自发布之日起算只有25日"):
        services.publish_consultation(actor=staff["reviewer"], consultation=c,
                                      revision=consultation_revision(c))
    c.refresh_from_db()
    assert not c.is_published
    services.update_consultation(actor=staff["editor"], consultation=c,
                                 data=data | {"short_period_reason": "上级部署时间紧急"})
    services.submit_consultation(actor=staff["editor"], consultation=c)
    c.refresh_from_db()
    services.publish_consultation(actor=staff["reviewer"], consultation=c,
                                  revision=consultation_revision(c))
    c.refresh_from_db()
    assert c.is_published
