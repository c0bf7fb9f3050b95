"""Who sees and does what: units, the coordinator, anonymous visitors."""

import datetime as dt

import pytest
from django.test import Client

from gongkai.core.models import AuditEntry, Organization, Role
from gongkai.foi.models import Application
from gongkai.foi.tests.factories import ID_NUMBER, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def fgj(make_staff):
    return make_staff("hyq-fgj", Role.EDITOR)


@pytest.fixture
def app(fgj):
    return registered(fgj, received=dt.date.today() - dt.timedelta(days=3))[0]


def test_anonymous_users_are_sent_to_login(app):
    for url in ("/ysqgk/staff/", f"/ysqgk/staff/{app.pk}/", "/ysqgk/staff/register/",
                "/ysqgk/staff/templates/"):
        r = Client().get(url)
        assert r.status_code == 302 and "/staff/login/" in r["Location"], url
    r = Client().post(f"/ysqgk/staff/{app.pk}/act/extend/", {})
    assert r.status_code == 302


def test_another_units_staff_sees_nothing_of_the_application(app, make_staff, client_for):
    czj = client_for(make_staff("hyq-czj", Role.REVIEWER))
    assert app.number not in czj.get("/ysqgk/staff/").content.decode()
    assert czj.get(f"/ysqgk/staff/{app.pk}/").status_code == 404
    assert czj.get(f"/ysqgk/staff/{app.pk}/proof/").status_code == 404
    letter = app.letters.first()
    assert czj.get(f"/ysqgk/staff/{app.pk}/letter/{letter.pk}.docx").status_code == 404
    r = czj.post(f"/ysqgk/staff/{app.pk}/act/extend/",
                 {"extend-days": "5", "extend-approved_on": dt.date.today().isoformat(),
                  "extend-reason": "x"})
    assert r.status_code == 404
    app.refresh_from_db()
    assert app.extension_days is None


def test_handling_unit_sees_personal_data_and_the_clock(app, fgj, client_for):
    html = client_for(fgj).get(f"/ysqgk/staff/{app.pk}/").content.decode()
    assert "张三" in html and "13800000000" in html
    assert ID_NUMBER not in html and "*" * 14 + ID_NUMBER[-4:] in html  # masked, last 4
    assert "答复期限及计算方法" in html and "第20个工作日" in html
    r = client_for(fgj).get(f"/ysqgk/staff/{app.pk}/")
    assert r["Cache-Control"].startswith("no-store")


def test_coordinator_sees_every_unit_and_can_supervise(app, fgj, make_staff, client_for,
                                                       settings,
                                                       django_capture_on_commit_callbacks):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    fgj.email = "fgj@example.gov.cn"
    fgj.save()
    gkb_user = make_staff("hyq-zfb", Role.COORDINATOR)
    gkb = client_for(gkb_user)
    assert app.number in gkb.get("/ysqgk/staff/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = gkb.post(f"/ysqgk/staff/{app.pk}/act/supervise/", {"supervise-text": "请加快办理"})
    assert r.status_code == 302
    assert mail.outbox[0].to == ["fgj@example.gov.cn"] and "请加快办理" in mail.outbox[0].body
    assert app.supervisions.get().text == "请加快办理"
    assert AuditEntry.objects.filter(action="foi.supervise").count() == 1


def test_units_cannot_supervise_or_assign(app, fgj, client_for):
    c = client_for(fgj)
    assert c.post(f"/ysqgk/staff/{app.pk}/act/supervise/",
                  {"supervise-text": "x"}).status_code == 403
    czj = Organization.objects.get(code="hyq-czj")
    assert c.post(f"/ysqgk/staff/{app.pk}/act/assign/",
                  {"assign-org": czj.pk}).status_code == 403


def test_unit_returns_an_application_and_loses_sight_of_it(app, fgj, client_for, make_staff):
    c = client_for(fgj)
    r = c.post(f"/ysqgk/staff/{app.pk}/act/return/", {"return-reason": ""})
    assert r.status_code == 400 and "此项为必填项" in r.content.decode()
    r = c.post(f"/ysqgk/staff/{app.pk}/act/return/", {"return-reason": "该信息由财政局掌握"})
    assert r.status_code == 302 and r["Location"] == "/ysqgk/staff/"
    assert c.get(f"/ysqgk/staff/{app.pk}/").status_code == 404
    gkb = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    html = gkb.get("/ysqgk/staff/?status=unassigned").content.decode()
    assert app.number in html and "待分办" in html
    czj = Organization.objects.get(code="hyq-czj")
    assert gkb.post(f"/ysqgk/staff/{app.pk}/act/assign/",
                    {"assign-org": czj.pk}).status_code == 302
    assert Application.objects.get(pk=app.pk).org == czj


def test_queue_flags_overdue_and_due_soon(fgj, client_for):
    from gongkai.core.calendar import get_calendar

    cal = get_calendar()
    today = dt.date.today()
    late, _ = registered(fgj, received=today - dt.timedelta(days=40), subject="超期的申请")
    # Received so that the 20th working day after it is 2 working days from today.
    start = today - dt.timedelta(days=1)
    while cal.count(today, cal.add(start, 20)) > 2:
        start -= dt.timedelta(days=1)
    soon, _ = registered(fgj, received=start, subject="快到期的申请")
    html = client_for(fgj).get("/ysqgk/staff/").content.decode()
    assert html.index(late.number) < html.index(soon.number)
    row_late = html[html.index(late.number):html.index("</tr>", html.index(late.number))]
    row_soon = html[html.index(soon.number):html.index("</tr>", html.index(soon.number))]
    assert "已超期" in row_late and "即将到期" in row_soon
    only_late = client_for(fgj).get("/ysqgk/staff/?status=late").content.decode()
    assert late.number in only_late and soon.number not in only_late


def test_bad_input_in_an_action_form_is_shown_in_place(app, fgj, client_for):
    r = client_for(fgj).post(f"/ysqgk/staff/{app.pk}/act/extend/",
                             {"extend-days": "25", "extend-approved_on": "2026-02-30",
                              "extend-reason": "资料较多"})
    html = r.content.decode()
    assert r.status_code == 400
    assert "延长期限须为1至20个工作日" in html and "请输入有效日期" in html
    assert 'value="25"' in html and "资料较多" in html


def test_staff_register_a_post_application_with_the_signing_date(fgj, client_for):
    hyq = Organization.objects.get(code="hyq")
    c = client_for(fgj)
    r = c.post("/ysqgk/staff/register/", {
        "channel": "post", "received_date": "2026-11-02", "applicant_kind": "person",
        "name": "王六", "id_type": "passport", "id_number": "E12345678", "phone": "0531-87654321",
        "addressee": hyq.pk, "subject": "某某信息", "forms_wanted": ["paper"],
        "delivery": "pickup"})
    assert r.status_code == 302
    app = Application.objects.get(subject="某某信息")
    assert app.org.code == "hyq-fgj" and app.answer_due == dt.date(2026, 11, 30)
    html = c.get(r["Location"]).content.decode()
    assert "申请人查询码" in html and app.letters.filter(kind="receipt").exists()
    assert "申请人查询码" not in c.get(r["Location"]).content.decode()


def test_coordinator_samples_a_closed_application_and_scores_it(app, fgj, make_staff,
                                                               client_for):
    from gongkai.foi import answer_services

    gkb = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    r = gkb.post("/ysqgk/staff/sample/")
    assert r.status_code == 302 and "status=closed" in r["Location"]  # nothing closed yet
    answer_services.answer(actor=fgj, application=app, answer_type="3.4.1.none",
                           answer_date=dt.date.today())
    r = gkb.post("/ysqgk/staff/sample/")
    assert r["Location"] == f"/ysqgk/staff/{app.pk}/#act-quality"
    r = gkb.post(f"/ysqgk/staff/{app.pk}/act/quality/",
                 {"quality-score": "101", "quality-comment": "好"})
    assert r.status_code == 400 and "得分须在0至100之间" in r.content.decode()
    r = gkb.post(f"/ysqgk/staff/{app.pk}/act/quality/",
                 {"quality-score": "92", "quality-comment": "答复规范，依据准确"})
    assert r.status_code == 302 and app.quality_checks.get().score == 92
    assert client_for(fgj).post("/ysqgk/staff/sample/").status_code == 403
