"""Applicants' personal data: encrypted at rest, masked, revealed with a reason, purged."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from pypdf import PdfWriter

from gongkai.core.models import AuditEntry, Role
from gongkai.foi import crypto, privacy_services, services
from gongkai.foi.models import Application, Status
from gongkai.foi.tests.factories import ID_NUMBER, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def fgj(make_staff):
    return make_staff("hyq-fgj", Role.EDITOR)


@pytest.fixture
def app(fgj):
    return registered(fgj, received=dt.date.today() - dt.timedelta(days=3),
                      applicant_name="李 四", address="济南市槐荫区经十路100号")[0]


def _pdf() -> bytes:
    w = PdfWriter()
    w.add_blank_page(width=100, height=100)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def test_name_phone_email_address_are_ciphertext_in_the_database(app):
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM foi_application WHERE id = %s", [app.pk])
        row = " ".join(str(v) for v in cur.fetchone())
    for secret in ("李", "13800000000", "zhangsan@example.com", "经十路", ID_NUMBER):
        assert secret not in row
    fresh = Application.objects.get(pk=app.pk)
    assert (fresh.applicant_name, fresh.phone, fresh.address) == (
        "李 四", "13800000000", "济南市槐荫区经十路100号")
    assert fresh.email == "zhangsan@example.com"


def test_staff_find_an_application_by_exact_name_or_id_number(app, fgj, client_for):
    c = client_for(fgj)
    for q in ("李四", " 李 四 ", ID_NUMBER.lower()):
        assert app.number in c.get("/ysqgk/staff/", {"q": q}).content.decode(), q
    assert app.number not in c.get("/ysqgk/staff/", {"q": "李"}).content.decode()


def test_opening_personal_details_is_audited_with_the_number_masked(app, fgj, client_for):
    before = AuditEntry.objects.filter(action="foi.personal_view").count()
    html = client_for(fgj).get(f"/ysqgk/staff/{app.pk}/").content.decode()
    assert ID_NUMBER not in html and ID_NUMBER[-4:] in html
    entry = AuditEntry.objects.filter(action="foi.personal_view").latest("id")
    assert AuditEntry.objects.filter(action="foi.personal_view").count() == before + 1
    assert entry.actor == fgj and entry.target_id == str(app.pk)


def test_revealing_the_id_number_needs_a_reason_and_is_audited(app, fgj, client_for):
    c = client_for(fgj)
    url = f"/ysqgk/staff/{app.pk}/reveal-id/"
    assert c.get(url).status_code == 405
    r = c.post(url, {"reason": " "})
    assert r.status_code == 302
    assert "请填写查看完整证件号码的理由" in c.get(r["Location"]).content.decode()
    assert not AuditEntry.objects.filter(action="foi.reveal_id").exists()

    r = c.post(url, {"reason": "核对邮寄的身份证复印件"})
    assert r.status_code == 200 and ID_NUMBER in r.content.decode()
    assert r["Cache-Control"].startswith("no-store")
    entry = AuditEntry.objects.get(action="foi.reveal_id")
    assert entry.actor == fgj and "核对邮寄的身份证复印件" in entry.summary
    assert ID_NUMBER not in entry.summary + str(entry.changes)
    # The next page is masked again.
    assert ID_NUMBER not in c.get(f"/ysqgk/staff/{app.pk}/").content.decode()


def test_only_the_handling_unit_or_coordinator_may_reveal(app, make_staff, client_for):
    other = make_staff("hyq-czj", Role.REVIEWER)
    r = client_for(other).post(f"/ysqgk/staff/{app.pk}/reveal-id/", {"reason": "好奇"})
    assert r.status_code == 404 and ID_NUMBER not in r.content.decode()
    with pytest.raises(Exception, match="只有承办单位和公开办"):
        privacy_services.reveal_id_number(actor=other, application=app, reason="好奇")
    gkb = make_staff("hyq-zfb", Role.COORDINATOR)
    r = client_for(gkb).post(f"/ysqgk/staff/{app.pk}/reveal-id/", {"reason": "督办核实身份"})
    assert ID_NUMBER in r.content.decode()
    assert not AuditEntry.objects.filter(action="foi.reveal_id", actor=other).exists()


def test_identity_proof_is_stored_under_a_generated_name(fgj, client_for):
    proof = SimpleUploadedFile("张三身份证 13800000000.pdf", _pdf())
    app, _ = registered(fgj)
    app2, _ = services.register_application(
        actor=fgj, data={**_data(), "applicant_name": "王五"}, channel="in_person",
        received_date=dt.date.today(), addressee=app.addressee, org=app.org,
        identity_proof=proof)
    assert "张三" not in app2.identity_proof.name and "身份证" not in app2.identity_proof.name
    assert app2.identity_proof.name.startswith("foi/proof/")
    assert app2.identity_proof_name == "张三身份证 13800000000.pdf"
    r = client_for(fgj).get(f"/ysqgk/staff/{app2.pk}/proof/")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="foi.personal_view",
                                     summary="下载申请人身份证明").count() == 1


def _data():
    from gongkai.foi.tests.factories import person

    return person()


def _close(app, fgj, closed: dt.date):
    Application.objects.filter(pk=app.pk).update(status=Status.CLOSED, closed_date=closed)


def test_purge_is_a_dry_run_unless_applied(fgj, tmp_path):
    old, _ = registered(fgj)
    recent, _ = registered(fgj)
    still_open, _ = registered(fgj)
    _close(old, fgj, dt.date(2020, 3, 1))
    _close(recent, fgj, dt.date(2022, 6, 1))  # exactly 5 years: kept
    Application.objects.filter(pk=still_open.pk).update(closed_date=dt.date(2019, 1, 1))
    today = dt.date(2027, 6, 1)

    dry = privacy_services.purge_personal_data(actor=fgj, years=5, today=today)
    assert dry.numbers == [old.number] and not dry.applied
    assert Application.objects.get(pk=old.pk).applicant_name == "张三"
    assert AuditEntry.objects.filter(action="foi.purge_personal_data_dry_run").count() == 1

    done = privacy_services.purge_personal_data(actor=fgj, years=5, apply=True, today=today)
    assert done.numbers == [old.number]
    gone = Application.objects.get(pk=old.pk)
    assert gone.applicant_name == "（已匿名化）" and gone.id_number == "" and gone.phone == ""
    assert gone.address == "" and gone.email == "" and gone.id_hmac == ""
    assert gone.anonymised_at is not None and gone.subject and gone.closed_date
    assert Application.objects.get(pk=recent.pk).id_number == ID_NUMBER
    assert Application.objects.get(pk=still_open.pk).applicant_name == "张三"
    entry = AuditEntry.objects.get(action="foi.purge_personal_data")
    assert entry.changes["count"] == 1 and ID_NUMBER not in str(entry.changes)
    # Idempotent: nothing left to purge.
    assert privacy_services.purge_personal_data(years=5, apply=True, today=today).numbers == []
    with pytest.raises(ValidationError):
        privacy_services.purge_personal_data(years=0)


def test_purge_command_and_setting(fgj, settings, capsys):
    old, _ = registered(fgj)
    _close(old, fgj, dt.date.today() - dt.timedelta(days=366 * 3))
    settings.GONGKAI_FOI_PERSONAL_DATA_YEARS = 2
    call_command("foi", "purge-personal-data")
    out = capsys.readouterr().out
    assert "dry run" in out and old.number in out
    assert Application.objects.get(pk=old.pk).anonymised_at is None
    call_command("foi", "purge-personal-data", "--years", "5", "--apply")
    assert Application.objects.get(pk=old.pk).anonymised_at is None  # 3 years < 5
    call_command("foi", "purge-personal-data", "--apply")
    assert "anonymised 1" in capsys.readouterr().out
    assert Application.objects.get(pk=old.pk).anonymised_at is not None


def test_purge_runs_from_celery_beat(fgj, settings):
    from gongkai.foi.tasks import purge_personal_data

    entry = settings.CELERY_BEAT_SCHEDULE["foi-purge-personal-data"]
    assert entry["task"] == "gongkai.foi.tasks.purge_personal_data"
    old, _ = registered(fgj)
    _close(old, fgj, dt.date(2001, 1, 1))
    assert purge_personal_data.delay().get() == 1
    assert Application.objects.get(pk=old.pk).applicant_name == "（已匿名化）"
    assert crypto.lookup_hash("张三") != Application.objects.get(pk=old.pk).applicant_name_hmac
