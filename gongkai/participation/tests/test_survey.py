"""问卷调查: building (reviewed with the consultation), answering, closing, tallies."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Organization
from gongkai.participation import services, surveyrules
from gongkai.participation.models import Consultation, SurveyResponse
from gongkai.participation.services.consultations import consultation_revision


def test_clean_answers_and_tally_without_db():
    qs = [surveyrules.Q(1, "single", "是否养犬", ["是", "否"], True),
          surveyrules.Q(2, "multiple", "关心的问题", ["登记", "免疫", "遛犬"]),
          surveyrules.Q(3, "text", "其他建议", [])]
    ans, problems = surveyrules.clean_answers(qs, {"q1": ["0"], "q2": ["2", "0", "0"],
                                                   "q3": [" 加强管理\x00 "]})
    assert problems == [] and ans == {"1": 0, "2": [0, 2], "3": "加强管理"}
    _, problems = surveyrules.clean_answers(qs, {"q2": ["9"]})
    assert any("选项不正确" in p for p in problems) and any("请回答" in p for p in problems)
    _, problems = surveyrules.clean_answers(qs, {"q1": ["0", "1"]})
    assert any("只能选择一项" in p for p in problems)
    rows = surveyrules.tally(qs, [{"1": 0, "2": [0, 2]}, {"1": 1, "3": "好"}, {"1": 0}])
    assert [o["count"] for o in rows[0]["options"]] == [2, 1]
    assert rows[0]["options"][0]["percent"] == 66.7
    assert rows[1]["answered"] == 1 and rows[2]["texts"] == ["好"]


@pytest.mark.django_db
def test_questionnaire_reviewed_answered_and_closed(staff, client_for):
    now = timezone.now()
    c = services.create_consultation(
        actor=staff["editor"], org=Organization.objects.get(code="hyq-sfj"),
        data={"title": "养犬管理问卷", "draft_text": "第一条 甲。", "starts_at": now,
              "ends_at": now + dt.timedelta(days=30)})
    ed = client_for(staff["editor"])
    act = reverse("participation:staff_consultation_action", args=[c.pk, "question"])
    ed.post(act, {"kind": "single", "text": "您是否养犬", "options": "是\n否", "required": "on"})
    ed.post(act, {"kind": "multiple", "text": "最关心的问题", "options": "登记\n免疫\n遛犬"})
    ed.post(act, {"kind": "text", "text": "其他建议"})
    ed.post(act, {"kind": "single", "text": "只有一个选项", "options": "是"})  # refused
    assert c.questions.count() == 3
    services.submit_consultation(actor=staff["editor"], consultation=c)
    seen = consultation_revision(c)
    # A question added while under review sends it back to draft and changes the revision.
    services.add_question(actor=staff["editor"], consultation=c, kind="text", text="补充建议")
    c.refresh_from_db()
    assert c.review_status == "draft" and consultation_revision(c) != seen
    services.submit_consultation(actor=staff["editor"], consultation=c)
    with pytest.raises(ValidationError, match="已被修改"):
        services.publish_consultation(actor=staff["reviewer"], consultation=c, revision=seen)
    services.publish_consultation(actor=staff["reviewer"], consultation=c,
                                  revision=consultation_revision(c))
    with pytest.raises(ValidationError, match="已发布"):
        services.add_question(actor=staff["editor"], consultation=c, kind="text", text="晚加")
    q1, q2, q3, _ = c.questions.all()
    url = reverse("participation:survey", args=[c.pk])
    client = Client()
    page = client.get(url).content.decode()
    assert "您是否养犬" in page and "提交问卷" in page
    r = client.post(url, {f"q{q1.pk}": "0", f"q{q2.pk}": ["0", "2"], f"q{q3.pk}": "加强宣传"})
    assert r.status_code == 200 and "问卷已提交" in r.content.decode()
    assert client.post(url, {f"q{q2.pk}": "0"}).status_code == 400  # required missing
    assert client.post(url, {f"q{q1.pk}": "x\x00"}).status_code == 400
    client.post(url, {f"q{q1.pk}": "1", "website": "spam"})  # honeypot: not stored
    assert SurveyResponse.objects.count() == 1
    Consultation.objects.filter(pk=c.pk).update(ends_at=timezone.now())
    closed = client.post(url, {f"q{q1.pk}": "1"})
    assert closed.status_code == 403 and "已截止" in closed.content.decode()
    results = client.get(url).content.decode()
    assert "调查结果（共 1 份答卷）" in results and "100.0%" in results and "加强宣传" in results
