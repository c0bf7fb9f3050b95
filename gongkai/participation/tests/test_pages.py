"""Public and staff pages through the Django client: commenting, closing, bad input,
honeypot, rate limit, lookup by code, the published report, exports, permissions."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.core import registry
from gongkai.participation import services
from gongkai.participation.models import Consultation, Disposition, Opinion
from gongkai.participation.services.feedback import report_revision

pytestmark = pytest.mark.django_db


def _post(client, c, **data):
    return client.post(reverse("participation:comment", args=[c.pk]),
                       {"body": "", "name": "", "contact": "", "website": ""} | data)


def test_citizen_comments_on_article_and_whole(publish):
    c = publish()
    client = Client(enforce_csrf_checks=False)
    page = client.get(reverse("participation:consultation", args=[c.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "第三条" in html and "第二章 养犬登记" in html and "对第三条提意见" in html
    third = c.articles.get(label="第三条")
    chosen = client.get(reverse("participation:consultation", args=[c.pk]),
                        {"article": third.pk}).content.decode()
    assert f'<option value="{third.pk}" selected>' in chosen
    r = _post(client, c, article=str(third.pk), body="登记期限太短", name="王秀英",
              contact="13812345678", publish_name="on")
    assert r.status_code == 200
    code = re.search(r'id="opinion-code">([^<]+)<', r.content.decode()).group(1)
    r2 = _post(client, c, body="总体赞成")
    assert r2.status_code == 200
    assert [o.article.label if o.article else "全文" for o in c.opinions.order_by("pk")] == [
        "第三条", "全文"]
    found = client.post(reverse("participation:lookup"), {"code": code})
    assert "登记期限太短" in found.content.decode() and "正在处理中" in found.content.decode()


def test_closed_consultation_refuses_with_chinese_message_and_keeps_text(publish):
    c = publish(start=-40, days=30)
    r = _post(Client(), c, body="我的意见很长很重要")
    assert r.status_code == 403
    html = r.content.decode()
    assert "已截止" in html
    assert not c.opinions.exists()


def test_bad_input_never_500(publish):
    c = publish()
    client = Client()
    url = reverse("participation:consultation", args=[c.pk])
    for q in ["abc", "-1", "99999999999999999999", "1\x00", "１"]:
        assert client.get(url, {"article": q}).status_code == 200
    assert _post(client, c, body="意见", article="x\x00").status_code == 200
    assert _post(client, c, body="意\x00见", article="999999999999").status_code == 200
    assert _post(client, c, body="").status_code == 400
    assert _post(client, c, body="长" * 5001).status_code == 400
    assert client.get(reverse("participation:index"), {"org": "\x00x"}).status_code == 200
    assert client.post(reverse("participation:lookup"), {"code": "\x00"}).status_code in (
        200, 400)
    assert client.get(reverse("participation:feedback_export", args=[c.pk, "exe"])
                      ).status_code == 404
    assert client.get(reverse("participation:consultation", args=[999999])).status_code == 404


def test_honeypot_stores_nothing(publish):
    c = publish()
    r = _post(Client(), c, body="买房找我", website="http://spam.example")
    assert r.status_code == 200
    assert not c.opinions.exists()


def test_rate_limit_keeps_text(publish):
    c = publish()
    client = Client()
    for i in range(10):
        assert _post(client, c, body=f"意见{i}").status_code == 200
    r = _post(client, c, body="第十一条意见内容")
    assert r.status_code == 429
    assert "过于频繁" in r.content.decode() and "第十一条意见内容" in r.content.decode()
    assert c.opinions.count() == 10


def test_unpublished_consultation_is_404(staff):
    from django.utils import timezone

    from gongkai.core.models import Organization

    now = timezone.now()
    c = services.create_consultation(
        actor=staff["editor"], org=Organization.objects.get(code="hyq-sfj"),
        data={"title": "内部草稿", "draft_text": "第一条 甲。", "starts_at": now,
              "ends_at": now + dt.timedelta(days=30)})
    assert Client().get(reverse("participation:consultation", args=[c.pk])).status_code == 404
    assert _post(Client(), c, body="意见").status_code == 404


def test_staff_flow_dispose_publish_and_citizen_lookup(publish, staff, client_for):
    c = publish(start=-40, days=30)
    op = Opinion.objects.create(consultation=c, body="第三条登记期限太短",
                                article=c.articles.get(label="第三条"),
                                received_at=c.ends_at - dt.timedelta(days=1),
                                name_encrypted=services.opinions.privacy.encrypt("王秀英"),
                                code_hash=services.opinions.privacy.code_hash("ABCD-EFGH-JKMN"))
    ed, rv = client_for(staff["editor"]), client_for(staff["reviewer"])
    page = ed.get(reverse("participation:staff_consultation", args=[c.pk])).content.decode()
    assert "王**" in page and "王秀英" not in page  # masked for staff
    act = lambda client, action, **data: client.post(  # noqa: E731
        reverse("participation:staff_consultation_action", args=[c.pk, action]), data)
    act(ed, "dispose", opinion=str(op.pk), disposition=Disposition.REJECTED, reason="")
    op.refresh_from_db()
    assert op.disposition == ""  # refused: reason required
    act(ed, "dispose", opinion=str(op.pk), disposition=Disposition.PARTLY,
        reason="登记期限延长至三十日")
    act(ed, "report", summary="共收到意见1条。")
    act(ed, "report_submit")
    report = Consultation.objects.get(pk=c.pk).report
    assert report.review_status == "pending"
    act(rv, "report_publish", revision="stale")
    report.refresh_from_db()
    assert not report.is_published
    act(rv, "report_publish", revision=report_revision(report))
    report.refresh_from_db()
    assert report.is_published
    public = Client()
    fb = public.get(reverse("participation:feedback", args=[c.pk])).content.decode()
    assert "部分采纳" in fb and "登记期限延长至三十日" in fb
    assert "王秀英" not in fb and "匿名" in fb  # no consent to publish the name
    found = public.post(reverse("participation:lookup"), {"code": "abcd efgh jkmn"})
    assert "部分采纳" in found.content.decode()
    for fmt, magic in [("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF")]:
        r = public.get(reverse("participation:feedback_export", args=[c.pk, fmt]))
        assert r.status_code == 200 and r.content.startswith(magic)


def test_other_unit_staff_cannot_see_or_act(publish, staff, client_for, make_staff):
    c = publish()
    other = client_for(make_staff("hyq-fgj"))
    assert other.get(reverse("participation:staff_consultation", args=[c.pk])
                     ).status_code == 404
    r = other.post(reverse("participation:staff_consultation_action", args=[c.pk, "hide"]),
                   {"opinion": "1", "reason": "spam"})
    assert r.status_code == 404
    assert Client().get(reverse("participation:staff_index")).status_code == 302


def test_registered_in_shell():
    keys = {link.label for link in registry.public_nav()}
    assert "公众参与" in keys
    stats = registry.statistics()
    for key in ["consultations", "days_open", "comments", "disposed_share",
                "feedback_on_time_share"]:
        assert f"participation.{key}" in stats


def test_statistics(publish, staff):
    from django.utils import timezone

    from gongkai.core.models import Organization

    org = Organization.objects.get(code="hyq-sfj")
    c = publish(start=-40, days=30)
    Opinion.objects.create(consultation=c, body="a", received_at=c.ends_at)
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=60), today
    stats = registry.statistics()
    assert stats["participation.consultations"].compute(org, start, end) == 1
    assert stats["participation.days_open"].compute(org, start, end) == 30.0
    assert stats["participation.comments"].compute(org, start, end) == 1
    assert stats["participation.disposed_share"].compute(org, start, end) == 0
    # Closed 10 days ago, 30 days to publish: not yet due, so no on-time figure.
    assert stats["participation.feedback_on_time_share"].compute(org, start, end) is None
    other = Organization.objects.get(code="hyq-fgj")
    assert stats["participation.days_open"].compute(other, start, end) is None


def test_feedback_on_time_share(publish, staff):
    from django.utils import timezone

    from gongkai.core.models import Organization
    from gongkai.participation.models import FeedbackReport, Review

    org = Organization.objects.get(code="hyq-sfj")
    on_time = publish(start=-80, days=30)  # closed 50 days ago: due 20 days ago
    late = publish(start=-70, days=30, title="另一个")  # closed 40 days ago: due 10 days ago
    now = timezone.now()
    FeedbackReport.objects.create(consultation=on_time, review_status=Review.PUBLISHED,
                                  published_at=on_time.ends_at + dt.timedelta(days=29))
    FeedbackReport.objects.create(consultation=late, review_status=Review.PUBLISHED,
                                  published_at=now)
    today = timezone.localdate()
    share = registry.statistics()["participation.feedback_on_time_share"].compute
    assert share(org, today - dt.timedelta(days=100), today) == 50.0
