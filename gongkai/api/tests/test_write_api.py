"""Integrators: scoped tokens, filing 依申请公开 applications, polling, throttling, audit."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from gongkai.api import services
from gongkai.api.models import ApiSubmission, ApiToken, Scope
from gongkai.core.models import AuditEntry
from gongkai.foi import services as foi_services
from gongkai.foi.models import Application
from gongkai.foi.tests.factories import ID_NUMBER

pytestmark = pytest.mark.django_db
URL = "/api/v1/foi/applications/"


@pytest.fixture
def hotline(district):
    owner = get_user_model().objects.create_user("hotline-admin")
    token, raw = services.create_token(actor=None, name="12345热线", owner=owner,
                                       scopes=[Scope.FOI_SUBMIT])
    return token, raw


def payload(**extra):
    data = {"external_ref": "12345-2026-0001", "applicant_kind": "person", "name": "张三",
            "id_type": "id_card", "id_number": ID_NUMBER, "phone": "13800000000",
            "email": "zhangsan@example.com", "addressee": "hyq-fgj",
            "subject": "2026年槐荫区老旧小区改造项目清单", "forms_wanted": ["email"],
            "delivery": "email", "consent": True}
    data.update(extra)
    return data


def post(raw, data):
    return Client().post(URL, data=data, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_submit_files_one_application_audited_with_the_token_owner(hotline):
    token, raw = hotline
    r = post(raw, payload())
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "submitted" and body["tracking_code"]
    app = Application.objects.get(number=body["number"])
    assert app.addressee.code == "hyq-fgj" and app.applicant_name == "张三"
    entry = AuditEntry.objects.get(action="api.foi_submit")
    assert entry.actor == token.owner and entry.target_id == str(app.pk)
    # The same external reference again: no second application, no second tracking code.
    again = post(raw, payload())
    assert again.status_code == 200 and "tracking_code" not in again.json()
    assert Application.objects.count() == 1


def test_invalid_application_gets_chinese_field_errors_and_files_nothing(hotline):
    _token, raw = hotline
    r = post(raw, payload(id_number="110105194912310021", external_ref=""))
    assert r.status_code == 400
    assert "居民身份证号码有误" in r.json()["details"]["id_number"][0]
    r = post(raw, payload(addressee="nope"))
    assert r.status_code == 400 and "addressee" in r.json()["details"]
    r = Client().post(URL, data="{not json", content_type="application/json",
                      HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 400 and r.json()["code"] == "parse_error"
    assert Application.objects.count() == 0


def test_tokens_without_scope_revoked_expired_or_forged_are_refused(hotline, district):
    token, raw = hotline
    assert Client().post(URL, data=payload(), content_type="application/json"
                         ).status_code == 401
    reader, reader_raw = services.create_token(actor=None, name="新媒体", owner=token.owner,
                                               scopes=[Scope.READ_REPUBLISH])
    r = post(reader_raw, payload())
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    assert post(raw[:-2] + "xx", payload()).status_code == 401
    assert post("gk_nothing_here", payload()).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    assert post(raw, payload()).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)
    services.revoke_token(actor=None, token=token)
    r = post(raw, payload())
    assert r.status_code == 401 and "撤销" in r.json()["message"]
    assert Application.objects.count() == 0


def test_poll_sees_only_own_applications_and_status_changes(hotline, make_staff):
    token, raw = hotline
    number = post(raw, payload()).json()["number"]
    other, other_raw = services.create_token(actor=None, name="另一系统", owner=token.owner,
                                             scopes=[Scope.FOI_SUBMIT])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get(f"{URL}{number}/", HTTP_AUTHORIZATION=f"Bearer {other_raw}"
                        ).status_code == 404
    r = Client().get(f"{URL}12345-2026-0001/", **auth)
    assert r.json()["number"] == number and r.json()["status"] == "submitted"
    since = timezone.now().isoformat()
    assert Client().get(URL, {"changed_since": since}, **auth).json()["results"] == []
    staff = make_staff("hyq-fgj")
    foi_services.confirm_receipt(actor=staff, application=Application.objects.get(
        number=number), received_date=timezone.localdate())
    changed = Client().get(URL, {"changed_since": since}, **auth).json()["results"]
    assert [c["status"] for c in changed] == ["processing"] and changed[0]["answer_due"]


def test_per_token_throttle(hotline):
    token, raw = hotline
    ApiToken.objects.filter(pk=token.pk).update(rate_per_minute=2)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    codes = [Client().get(URL, **auth).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    r = Client().get(URL, **auth)
    assert r.json()["code"] == "throttled" and int(r["Retry-After"]) >= 1


def test_command_creates_lists_and_revokes(district, capsys):
    get_user_model().objects.create_user("ops")
    call_command("api", "token", "create", "--name", "12345", "--owner", "ops",
                 "--scope", "foi:submit", "--org", "hyq-zfb")
    out = capsys.readouterr().out
    raw = out.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert raw.startswith(f"gk_{token.prefix}_") and token.secret_hash not in out
    assert token.org.code == "hyq-zfb" and token.expires_at is not None
    call_command("api", "token", "list")
    assert "active" in capsys.readouterr().out
    call_command("api", "token", "revoke", token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action__startswith="api.token_").count() == 2
    assert ApiSubmission.objects.count() == 0


def test_status_changes_are_pushed_signed_once_per_change(district, make_staff, monkeypatch):
    import hashlib
    import hmac
    import json

    from gongkai.api import webhooks

    sent = []

    class Resp:
        status = 200

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    def fake_urlopen(request, timeout):
        sent.append((request.full_url, request.data, request.headers))
        return Resp()

    monkeypatch.setattr(webhooks.urllib.request, "urlopen", fake_urlopen)
    owner = get_user_model().objects.create_user("hook-admin")
    token, raw = services.create_token(actor=None, name="12345", owner=owner,
                                       scopes=[Scope.FOI_SUBMIT],
                                       webhook_url="https://hotline.example/hook")
    with pytest.raises(ValidationError):
        services.create_token(actor=None, name="x", owner=owner, scopes=[Scope.FOI_SUBMIT],
                              webhook_url="file:///etc/passwd")
    with django_capture_on_commit():
        number = post(raw, payload()).json()["number"]
    assert sent == []  # the response itself said "submitted"
    app = Application.objects.get(number=number)
    with django_capture_on_commit():
        app.save()  # no change of status: nothing sent
    assert sent == []
    with django_capture_on_commit():
        foi_services.confirm_receipt(actor=make_staff("hyq-fgj"), application=app,
                                     received_date=timezone.localdate())
    assert len(sent) == 1
    url, body, headers = sent[0]
    assert url == "https://hotline.example/hook"
    assert json.loads(body)["status"] == "processing" and json.loads(body)["number"] == number
    expected = "sha256=" + hmac.new(token.webhook_secret.encode(), body,
                                    hashlib.sha256).hexdigest()
    assert headers["X-gongkai-signature"] == expected
    with django_capture_on_commit():
        app.refresh_from_db()
        app.save()  # delivered once: the same status is not sent again
    assert len(sent) == 1


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
