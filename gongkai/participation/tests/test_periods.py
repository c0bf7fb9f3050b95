"""Extending or withdrawing a published consultation: only later, with a public reason,
approved by a reviewer other than the requester; nothing deleted."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import AuditEntry, Role
from gongkai.participation import services, stats
from gongkai.participation.models import Consultation, Opinion, Review
from gongkai.participation.services.periods import change_revision

pytestmark = pytest.mark.django_db


def _extend(staff, c, days=7, reason="社会关注度高，延长以充分听取意见"):
    return services.request_change(actor=staff["editor"], consultation=c, kind="extend",
                                   reason=reason, new_ends_at=c.ends_at + dt.timedelta(days=days))


def _approve(staff, ch, who="reviewer"):
    return services.approve_change(actor=staff[who], change=ch, revision=change_revision(ch))


def test_extension_is_reviewed_then_shown_with_reason_and_comments_accepted(publish, staff):
    c = publish(start=-1, days=30)
    old_end = c.ends_at
    ch = _extend(staff, c)
    c.refresh_from_db()
    assert c.ends_at == old_end  # nothing changes before review
    with pytest.raises(PermissionDenied, match="审核人"):
        services.approve_change(actor=staff["editor"], change=ch, revision=change_revision(ch))
    with pytest.raises(ValidationError, match="已被修改"):
        services.approve_change(actor=staff["reviewer"], change=ch, revision="x" * 64)
    before = AuditEntry.objects.count()
    _approve(staff, ch)
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("pk")
    assert entry.action == "gzcy.consultation.extend" and "充分听取意见" in entry.summary
    c.refresh_from_db()
    assert c.ends_at == old_end + dt.timedelta(days=7)
    # A comment after the old end instant but before the new one is accepted.
    services.submit_comment(consultation=c, body="延长后提交", now=old_end + dt.timedelta(hours=1))
    page = Client().get(c.get_absolute_url()).content.decode()
    new = timezone.localtime(c.ends_at)
    assert f"征求意见期已延长至{new.year}年{new.month}月{new.day}日" in page
    assert "原因：社会关注度高，延长以充分听取意见" in page


def test_extension_boundaries(publish, staff, make_staff):
    c = publish(start=-1, days=30)
    # Earlier or equal end instant: refused with the current end in the message.
    for delta in (dt.timedelta(0), dt.timedelta(days=-1)):
        with pytest.raises(ValidationError, match="须晚于原截止时间"):
            services.request_change(actor=staff["editor"], consultation=c, kind="extend",
                                    reason="理由", new_ends_at=c.ends_at + delta)
    with pytest.raises(ValidationError, match="请填写理由"):
        _extend(staff, c, reason="  ")
    with pytest.raises(ValidationError, match="不能超过一年"):
        _extend(staff, c, days=400)
    with pytest.raises(ValidationError, match="延长后的截止时间"):
        services.request_change(actor=staff["editor"], consultation=c, kind="extend",
                                reason="理由", new_ends_at=None)
    # Another unit's staff can neither request nor approve.
    with pytest.raises(PermissionDenied):
        services.request_change(actor=make_staff("hyq-fgj", Role.EDITOR), consultation=c,
                                kind="extend", reason="理由",
                                new_ends_at=c.ends_at + dt.timedelta(days=1))
    ch = _extend(staff, c)
    with pytest.raises(ValidationError, match="待审核"):
        _extend(staff, c, days=3)
    with pytest.raises(PermissionDenied):
        _approve(staff, ch, who="other_reviewer")
    # An editor of the unit cannot approve someone else's request either.
    with pytest.raises(PermissionDenied):
        services.approve_change(actor=make_staff("hyq-sfj", Role.EDITOR, "sfj_ed2"),
                                change=ch, revision=change_revision(ch))
    # The period ends before the reviewer gets to it: too late to extend.
    Consultation.objects.filter(pk=c.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="截止时间在申请后已变化"):
        _approve(staff, ch)
    services.return_change(actor=staff["reviewer"], change=ch, reason="请重新发起")
    # A reviewer cannot approve their own request.
    c2 = publish(start=-1, days=30, title="另一办法")
    own = services.request_change(actor=staff["reviewer"], consultation=c2, kind="withdraw",
                                  reason="暂缓")
    with pytest.raises(PermissionDenied, match="自己"):
        _approve(staff, own)
    c.refresh_from_db()
    with pytest.raises(ValidationError, match="已截止，不能延长"):
        services.request_change(actor=staff["editor"], consultation=c, kind="extend",
                                reason="理由", new_ends_at=c.ends_at + dt.timedelta(days=5))


def test_closed_consultation_cannot_be_extended(publish, staff):
    c = publish(start=-40, days=30)
    with pytest.raises(ValidationError, match="已截止，不能延长"):
        _extend(staff, c)


def test_unpublished_consultation_has_no_extension(staff):
    from gongkai.core.models import Organization

    c = services.create_consultation(
        actor=staff["editor"], org=Organization.objects.get(code="hyq-sfj"),
        data={"title": "办法", "draft_text": "第一条 甲。", "starts_at": timezone.now(),
              "ends_at": timezone.now() + dt.timedelta(days=30)})
    with pytest.raises(ValidationError, match="只有已发布"):
        _extend(staff, c)


def test_withdrawal_keeps_page_and_opinions_and_refuses_comments(publish, staff):
    c = publish(start=-1, days=30)
    op, code = services.submit_comment(consultation=c, body="先提的意见")
    ch = services.request_change(actor=staff["editor"], consultation=c, kind="withdraw",
                                 reason="上位法即将修订，暂缓制定")
    c.refresh_from_db()
    assert c.is_open()
    _approve(staff, ch)
    c.refresh_from_db()
    assert c.is_withdrawn and not c.is_open() and c.phase() == "withdrawn"
    assert c.review_status == Review.PUBLISHED and Opinion.objects.filter(pk=op.pk).exists()
    assert AuditEntry.objects.filter(action="gzcy.consultation.withdraw",
                                     target_id=str(c.pk)).count() == 1
    with pytest.raises(services.ClosedError, match="已撤回"):
        services.submit_comment(consultation=c, body="撤回后提交")
    r = Client().post(reverse("participation:comment", args=[c.pk]), {"body": "撤回后提交"})
    assert r.status_code == 403
    page = r.content.decode()
    assert "该征求意见已撤回，不再接收意见" in page and "撤回后提交" in page  # text kept
    page = Client().get(c.get_absolute_url()).content.decode()
    assert "撤回原因：上位法即将修订，暂缓制定" in page and "提交意见</button>" not in page
    # Nothing more to do on it: no second withdrawal, no extension, no feedback due.
    with pytest.raises(ValidationError, match="已撤回"):
        services.request_change(actor=staff["editor"], consultation=c, kind="withdraw",
                                reason="再撤")
    with pytest.raises(ValidationError, match="已撤回"):
        _extend(staff, c)
    # The commenter looking up their code is told it was withdrawn, not "being handled".
    found = Client().post(reverse("participation:lookup"), {"code": code}).content.decode()
    assert "该征求意见已于" in found and "上位法即将修订" in found and "正在处理中" not in found
    assert stats.consultations(c.org, c.starts_at.date() - dt.timedelta(days=1),
                               c.starts_at.date() + dt.timedelta(days=1)) == 0


def test_staff_pages_request_and_approve(publish, staff, client_for):
    c = publish(start=-1, days=30)
    url = reverse("participation:staff_consultation_action", args=[c.pk, "change"])
    ed, rv = client_for(staff["editor"]), client_for(staff["reviewer"])
    r = ed.post(url, {"kind": "extend", "new_ends_at": "2000-01-01T00:00", "reason": "理由"},
                follow=True)
    assert "须晚于原截止时间" in r.content.decode()
    r = ed.post(url, {"kind": "extend", "new_ends_at": "不是时间", "reason": "理由"},
                follow=True)
    assert r.status_code == 200 and "请填写正确的日期和时间" in r.content.decode()
    new = timezone.localtime(c.ends_at + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    r = ed.post(url, {"kind": "extend", "new_ends_at": new, "reason": "听取更多意见"},
                follow=True)
    assert "已提交审核" in r.content.decode()
    page = rv.get(reverse("participation:staff_consultation", args=[c.pk])).content.decode()
    assert "审核通过并生效" in page
    ch = c.period_changes.get()
    r = rv.post(reverse("participation:staff_consultation_action", args=[c.pk, "change_approve"]),
                {"change": str(ch.pk), "revision": change_revision(ch)}, follow=True)
    assert "变更已生效" in r.content.decode()
    c.refresh_from_db()
    assert timezone.localtime(c.ends_at).strftime("%Y-%m-%dT%H:%M") == new
    r = rv.post(reverse("participation:staff_consultation_action", args=[c.pk, "change_approve"]),
                {"change": "abc", "revision": ""})
    assert r.status_code == 404


def test_workbench_tells_of_overdue_feedback_and_requests_to_review(publish, staff):
    from gongkai.core import registry

    today = timezone.localdate()
    late = publish(start=-80, days=30, title="逾期的办法")
    notes = registry.workbench_notices(staff["editor"], today)
    assert ("warning", "公众参与：1项征求意见逾期未公布意见采纳情况。",
            reverse("participation:staff_overdue")) in notes
    # Withdrawn: no feedback is due any more.
    ch = services.request_change(actor=staff["editor"], consultation=late, kind="withdraw",
                                 reason="决策事项已取消")
    texts = [t for _, t, _ in registry.workbench_notices(staff["reviewer"], today)]
    assert "公众参与：1项延长或撤回征求意见的申请待您审核。" in texts
    assert not any("待您审核" in t for _, t, _ in
                   registry.workbench_notices(staff["other_reviewer"], today))
    _approve(staff, ch)
    texts = [t for _, t, _ in registry.workbench_notices(staff["editor"], today)]
    assert not any(t.startswith("公众参与") for t in texts)
