"""The 12345 system files messages and follows them; a new-media system reads what it may
republish, including what was withdrawn since."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, TestCase
from django.utils import timezone

from gongkai.api import services
from gongkai.api.models import Scope, WebhookDelivery
from gongkai.core.models import AuditEntry, Organization, Role
from gongkai.interaction.models import Message

pytestmark = pytest.mark.django_db
URL = "/api/v1/interaction/messages/"


@pytest.fixture
def owner(district):
    return get_user_model().objects.create_user("hotline-admin")


@pytest.fixture
def hotline(owner):
    return services.create_token(actor=None, name="12345热线", owner=owner,
                                 scopes=[Scope.INTERACTION_SUBMIT],
                                 webhook_url="https://hotline.example/hook")


def order(**extra):
    data = {"order_number": "GD20260001", "kind": "complain", "subject": "小区夜间施工噪音",
            "body": "某工地夜间施工至凌晨两点，影响休息。", "name": "李四",
            "phone": "13800000001", "unit": "hyq-fgj", "consent": "none"}
    data.update(extra)
    return data


def post(raw, data):
    return Client().post(URL, data=data, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_message_keeps_order_number_is_audited_with_owner_and_filed_once(hotline, owner):
    _token, raw = hotline
    r = post(raw, order())
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["order_number"] == "GD20260001" and body["status"] == "new"
    assert body["tracking_code"] and body["status_label"] == "待分办"
    msg = Message.objects.get(number=body["number"])
    assert msg.hotline_number == "GD20260001" and msg.source == "hotline"
    assert msg.suggested_org.code == "hyq-fgj" and "李四" not in msg.name_enc
    entry = AuditEntry.objects.get(action="api.message_submit")
    assert entry.actor == owner and entry.target_id == str(msg.pk)
    again = post(raw, order())
    assert again.status_code == 200 and "tracking_code" not in again.json()
    assert Message.objects.count() == 1


def test_message_errors_are_chinese_and_file_nothing(hotline, owner, district):
    _token, raw = hotline
    r = post(raw, order(phone="", subject=""))
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    assert "subject" in r.json()["details"]
    r = post(raw, order(phone="", email=""))
    assert r.status_code == 400
    assert "联系电话或电子邮箱" in r.json()["details"]["phone"][0]
    r = post(raw, order(unit="nope"))
    assert r.status_code == 400 and "单位" in r.json()["details"]["unit"][0]
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    assert "晚于今天" in post(raw, order(received=future)).json()["details"]["received"][0]
    assert Message.objects.count() == 0
    # An order number already imported from the 12345 file hand-off is not filed twice.
    import io

    from gongkai.interaction import hotline as hotline_import

    hotline_import.import_orders(io.StringIO(
        '{"order_number": "GD-IMPORTED", "received": "2026-01-05", "kind": "咨询", '
        '"subject": "s", "body": "b", "name": "王五", "phone": "13800000002"}\n'), "jsonl")
    r = post(raw, order(order_number="GD-IMPORTED"))
    assert r.status_code == 409 and "已经登记" in r.json()["message"]
    reader, reader_raw = services.create_token(actor=None, name="新媒体", owner=owner,
                                               scopes=[Scope.READ_REPUBLISH])
    assert post(reader_raw, order()).json()["code"] == "permission_denied"
    assert Message.objects.count() == 1


def test_status_read_back_and_webhook_on_routing(hotline, make_staff, monkeypatch):
    from gongkai.api import webhooks
    from gongkai.interaction import services as interaction

    sent = []
    monkeypatch.setattr(webhooks, "_post", lambda d: sent.append(d.payload) or (200, ""))
    token, raw = hotline
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    with TestCase.captureOnCommitCallbacks(execute=True):
        number = post(raw, order()).json()["number"]
    assert sent == [] and WebhookDelivery.objects.count() == 0
    since = timezone.now().isoformat()
    assert Client().get(URL, {"changed_since": since}, **auth).json()["results"] == []
    coordinator = make_staff("hyq-zfb", Role.COORDINATOR)
    with TestCase.captureOnCommitCallbacks(execute=True):
        interaction.route_message(actor=coordinator, message=Message.objects.get(
            number=number), org=Organization.objects.get(code="hyq-fgj"))
    assert [p["status"] for p in sent] == ["handling"]
    assert sent[0]["event"] == "interaction.message.status"
    assert sent[0]["order_number"] == "GD20260001" and sent[0]["unit"]["code"] == "hyq-fgj"
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "delivered" and delivery.attempts == 1
    detail = Client().get(f"{URL}GD20260001/", **auth).json()
    assert detail["status"] == "handling" and detail["due_date"] and detail["reply"] == ""
    changed = Client().get(URL, {"changed_since": since}, **auth).json()["results"]
    assert [c["number"] for c in changed] == [number]
    other, other_raw = services.create_token(actor=None, name="另一系统", owner=token.owner,
                                             scopes=[Scope.INTERACTION_SUBMIT])
    assert Client().get(f"{URL}GD20260001/",
                        HTTP_AUTHORIZATION=f"Bearer {other_raw}").status_code == 404


# --- republishing feed --------------------------------------------------------------------


@pytest.fixture
def newmedia(owner):
    return services.create_token(actor=None, name="融媒体中心", owner=owner,
                                 scopes=[Scope.READ_REPUBLISH])[1]


def test_republish_feed_gives_full_text_and_catalogue_fields_only_of_public_items(
        catalogue, newmedia):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {newmedia}"}
    r = Client().get("/api/v1/republish/documents/", **auth)
    assert r.status_code == 200, r.content
    items = r.json()["results"]
    assert [i["id"] for i in items] == [catalogue["public"].pk]
    doc = items[0]
    assert doc["status"] == "published" and doc["doc_number"] == "槐财发〔2026〕3号"
    assert doc["index_number"] == catalogue["public"].index_number and doc["index_number"]
    assert doc["unit"]["code"] == "hyq-czj" and doc["source"] == catalogue["unit"].name
    assert doc["url"].startswith("http://testserver/") and doc["body"] == catalogue[
        "public"].body
    interps = Client().get("/api/v1/republish/interpretations/", **auth).json()["results"]
    assert [i["title"] for i in interps] == ["图解：专项资金管理办法"]
    assert interps[0]["documents"][0]["doc_number"] == "槐财发〔2026〕3号"
    assert "解读正文" in interps[0]["body"]


def test_withdrawn_items_are_listed_as_withdrawn_without_text(catalogue, newmedia):
    from gongkai.disclosure import services as disclosure

    auth = {"HTTP_AUTHORIZATION": f"Bearer {newmedia}"}
    since = timezone.now().isoformat()
    assert Client().get("/api/v1/republish/documents/", {"changed_since": since},
                        **auth).json()["results"] == []
    disclosure.withdraw_document(actor=catalogue["reviewer"], document=catalogue["public"],
                                 reason="内容有误，重新发布")
    items = Client().get("/api/v1/republish/documents/", {"changed_since": since},
                         **auth).json()["results"]
    assert [(i["id"], i["status"]) for i in items] == [(catalogue["public"].pk, "withdrawn")]
    assert items[0]["body"] == "" and items[0]["text"] == "" and items[0]["withdrawn_at"]
    assert items[0]["title"] and items[0]["url"]


def test_republish_needs_its_scope(catalogue, hotline):
    _token, raw = hotline
    r = Client().get("/api/v1/republish/documents/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 403 and r.json()["message"]
    assert Client().get("/api/v1/republish/documents/").status_code == 401
    bad = Client().get("/api/v1/republish/documents/", {"changed_since": "yesterday"},
                       HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert bad.status_code == 403  # scope is checked before parameters
