"""Events: registration with capacity and a confirmation code, questions, record, follow-up."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.interaction.models import Registration
from gongkai.interaction.services import events as svc

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(people, org):
    return svc.create_event(actor=people["editor"], org=org("hyq-fgj"), kind="open_day",
                            title="发改局政府开放日", capacity=2,
                            starts_at=timezone.now() + dt.timedelta(days=7))


def test_register_until_full_with_a_code(event):
    c = Client()
    url = reverse("interaction:event", args=[event.pk])
    r = c.post(url, {"action": "register", "name": "王五", "phone": "13700001111"})
    code = re.search(r'id="hdjl-confirm">([^<]+)<', r.content.decode()).group(1)
    assert len(code) == 14
    assert "王五" not in Registration.objects.values_list("name_enc", flat=True).get()
    svc.register(event=event, name="赵六", phone="13700002222")
    r = c.post(url, {"action": "register", "name": "钱七", "phone": "13700003333"})
    assert "报名人数已满" in r.content.decode()
    assert Registration.objects.count() == 2
    r = c.post(url, {"action": "register", "name": "", "phone": "", "website": ""})
    assert r.status_code == 200


def test_questions_record_and_commitments(event, people, org):
    q = svc.ask_question(event=event, text="开放日能否参观政务服务大厅？我的电话13812345678")
    assert "13812345678" not in q.text
    with pytest.raises(PermissionDenied):
        svc.answer_question(actor=people["editor"], question=q, answer="可以")
    svc.answer_question(actor=people["reviewer"], question=q, answer="可以参观。")
    with pytest.raises(ValidationError):
        svc.publish_record(actor=people["reviewer"], event=event,
                           record="联系人身份证370104199001011234")
    svc.publish_record(actor=people["reviewer"], event=event, record="开放日顺利举行。",
                       video_url="https://video.example.cn/1")
    c = svc.add_commitment(actor=people["editor"], event=event, text="一个月内公布停车收费目录",
                           org=org("hyq-fgj"), deadline=dt.date(2027, 1, 10))
    with pytest.raises(PermissionDenied):
        svc.close_commitment(actor=people["other"], commitment=c, result="x")
    svc.close_commitment(actor=people["editor"], commitment=c, result="已公布")
    page = Client().get(reverse("interaction:event", args=[event.pk])).content.decode()
    assert "可以参观" in page and "开放日顺利举行" in page and "已公布" in page


def test_staff_pages(event, people, client_for):
    editor = client_for(people["editor"])
    assert editor.get(reverse("interaction:staff_events")).status_code == 200
    assert editor.get(reverse("interaction:staff_event", args=[event.pk])).status_code == 200
    r = editor.post(reverse("interaction:staff_event", args=[event.pk]),
                    {"action": "commit", "text": "x", "org": "abc", "deadline": "zz"},
                    follow=True)
    assert "有效的完成期限" in r.content.decode()
    other = client_for(people["other"])
    assert other.get(reverse("interaction:staff_event", args=[event.pk])).status_code == 404
