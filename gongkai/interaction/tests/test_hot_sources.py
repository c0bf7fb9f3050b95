"""Hot topics read every registered topic source: 区长信箱 messages and 一号答 questions, and
the 依申请公开 application subjects and 公众参与 comments those apps register."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.core import registry
from gongkai.core.models import Organization, Role
from gongkai.interaction import hot, services

pytestmark = pytest.mark.django_db

DRAFT = "第一章 总则\n第一条 为了规范老旧小区改造，制定本办法。\n第二条 本办法适用于本区。\n"


def _consultation(make_staff):
    from gongkai.participation import services as p

    editor = make_staff("hyq-sfj", Role.EDITOR, "sfj_editor_hot")
    reviewer = make_staff("hyq-sfj", Role.REVIEWER, "sfj_reviewer_hot")
    now = timezone.now()
    c = p.create_consultation(actor=editor, org=Organization.objects.get(code="hyq-sfj"), data={
        "title": "槐荫区老旧小区改造办法（征求意见稿）", "draft_text": DRAFT,
        "explanation": "规范改造", "starts_at": now - dt.timedelta(days=1),
        "ends_at": now + dt.timedelta(days=20), "contact": "信函：槐荫区司法局"})
    p.submit_consultation(actor=editor, consultation=c)
    p.publish_consultation(actor=reviewer, consultation=c,
                           revision=p.consultations.consultation_revision(c))
    c.refresh_from_db()
    return c, editor


def _foi(subject, description=""):
    from gongkai.foi import services as f

    f.submit_online(data={
        "applicant_type": "natural_person", "applicant_name": "欧阳娜娜", "id_type": "id_card",
        "id_number": "370104199001011234", "phone": "13800000000",
        "email": "ouyang@example.com", "address": "济南市槐荫区某路1号", "subject": subject,
        "doc_number": "", "description": description, "forms_wanted": ["email"],
        "delivery": "email"}, addressee=Organization.objects.get(code="hyq-fgj"))


def test_every_source_is_registered():
    labels = {label for label, _ in registry.topic_sources().values()}
    assert {"区长信箱留言", "一号答问题", "依申请公开申请", "征求意见留言"} <= labels


def test_rising_term_from_foi_and_comments_without_hidden_or_personal_data(
        make_staff, people, letter, client_for):
    from gongkai.participation import services as p

    c, editor = _consultation(make_staff)
    _foi("老旧小区加装电梯补贴名单", description="联系人欧阳娜娜，随时电话")
    _foi("加装电梯审批流程文件")
    p.submit_comment(consultation=c, body="建议简化加装电梯的审批，联系邮箱zhangsan@example.com")
    p.submit_comment(consultation=c,
                     body="加装电梯费用分摊，电话13912345678，邮箱zhangsan@example.com")
    for _ in range(3):
        spam, _ = p.submit_comment(consultation=c, body="代开发票 代开发票 联系微信")
        p.hide_opinion(actor=editor, opinion=spam, reason="spam")
    services.submit_message(data=dict(letter, subject="电梯加装进度", body="加装电梯何时开工"))

    result = {t.term: t for t in hot.hot(timezone.localdate(), 7)}
    lift = result["电梯"]
    assert lift.rising and lift.count == 5 and lift.previous == 0
    assert dict(lift.sources) == {"依申请公开申请": 2, "征求意见留言": 2, "区长信箱留言": 1}
    terms = " ".join(result)
    assert "发票" not in terms and "微信" not in terms  # hidden by moderation
    for personal in ("zhangsan", "example", "欧阳", "娜娜", "13912345678", "1990"):
        assert personal not in terms

    page = client_for(people["gkb"]).get(reverse("interaction:staff_dashboard")).content.decode()
    assert "电梯" in page and "依申请公开申请 2" in page and "征求意见留言 2" in page
    assert "发票" not in page and "zhangsan" not in page and "欧阳" not in page


def test_previous_period_makes_a_steady_term_not_rising(letter, monkeypatch):
    from gongkai.interaction.models import Message

    for i in range(3):
        services.submit_message(data=dict(letter, subject=f"供暖温度{i}", body="供暖不热"))
    on = timezone.localdate()
    Message.objects.update(received_date=on - dt.timedelta(days=10))  # last week
    for i in range(3):
        services.submit_message(data=dict(letter, subject=f"供暖温度{i}", body="供暖不热"))
    heating = {t.term: t for t in hot.hot(on, 7)}["供暖"]
    assert heating.count == 3 and heating.previous == 3 and not heating.rising


def test_a_failing_source_does_not_take_the_dashboard_down(monkeypatch, letter):
    def broken(start, end):
        raise RuntimeError("boom")

    monkeypatch.setitem(registry._topic_sources, "broken", ("坏的来源", broken))
    for _ in range(2):
        services.submit_message(data=dict(letter, subject="电梯", body="电梯故障"))
    assert "电梯" in {t.term for t in hot.hot(timezone.localdate(), 7)}
