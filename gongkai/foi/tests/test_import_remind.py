"""`gongkai foi import` of historical applications, reminders, the Celery task, demo data."""

import datetime as dt
import io
import json

import pytest
from django.core import mail
from django.core.management import call_command

from gongkai.core.models import Role
from gongkai.foi.models import Application, Status
from gongkai.foi.tests.factories import CREDIT_CODE, ID_NUMBER, registered

pytestmark = pytest.mark.django_db


def line(**kw):
    row = {"number": "槐荫依申请〔2024〕7号", "org": "hyq-fgj",
           "applicant": {"type": "natural_person", "name": "张三", "id_number": ID_NUMBER},
           "received": "2024-03-04", "channel": "post", "subject": "2023年项目清单",
           "closed": "2024-03-20", "result": "3.3.4"}
    row.update(kw)
    return json.dumps(row, ensure_ascii=False)


def test_import_loads_good_lines_and_reports_bad_ones_by_number(district, tmp_path, capsys):
    path = tmp_path / "apps.jsonl"
    path.write_text("\n".join([
        line(),
        line(number="槐荫依申请〔2024〕8号", result="3.9"),
        "{not json",
        line(number="槐荫依申请〔2024〕9号", org="nope"),
        line(number="槐荫依申请〔2024〕10号", closed=None, result=None, received="2026-11-02",
             applicant={"type": "commercial", "name": "某公司", "credit_code": CREDIT_CODE}),
        line(),  # duplicate number
        line(number="槐荫依申请〔2024〕11号", applicant={"type": "alien", "name": "x"}),
        line(number="槐荫依申请〔2024〕12号", closed="2024-03-01"),
    ]), encoding="utf-8")
    call_command("foi", "import", str(path))
    out = capsys.readouterr()
    assert "imported 2 applications, 6 lines with errors" in out.out
    for n, words in [(2, "unknown result"), (3, "invalid JSON"), (4, "unknown org"),
                     (6, "already exists"), (7, "applicant.type"), (8, "before 'received'")]:
        assert f"line {n}: " in out.err and words in out.err.split(f"line {n}: ")[1]
    closed = Application.objects.get(number="槐荫依申请〔2024〕7号")
    assert closed.status == Status.CLOSED and closed.result == "3.3.4"
    assert closed.closed_date == dt.date(2024, 3, 20) and closed.applicant_type == "natural_person"
    assert closed.id_number == ID_NUMBER and ID_NUMBER not in closed.id_number_encrypted
    running = Application.objects.get(number="槐荫依申请〔2024〕10号")
    assert running.status == Status.PROCESSING and running.answer_due == dt.date(2026, 11, 30)


def test_reminders_go_to_the_unit_without_personal_data(make_staff, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = make_staff("hyq-fgj", Role.EDITOR)
    user.email = "fgj@example.gov.cn"
    user.save()
    coord = make_staff("hyq-zfb", Role.COORDINATOR)
    coord.email = "gkb@example.gov.cn"
    coord.save()
    late, _ = registered(user, received=dt.date(2026, 10, 1))
    registered(user, received=dt.date(2026, 11, 27))  # far from due on 2026-11-30
    out = io.StringIO()
    call_command("foi", "remind", "--today", "2026-11-30", stdout=out)
    assert "sent 2 reminder e-mails" in out.getvalue()
    unit_mail = next(m for m in mail.outbox if m.to == ["fgj@example.gov.cn"])
    assert late.number in unit_mail.body and "已超期" in unit_mail.body
    assert "张三" not in unit_mail.body and ID_NUMBER not in unit_mail.body
    assert any(m.to == ["gkb@example.gov.cn"] for m in mail.outbox)


def test_celery_task_runs_eagerly_without_redis(make_staff, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    import gongkai.celery  # noqa: F401  (configures the app: eager without Redis)
    from gongkai.foi.tasks import daily_reminders

    user = make_staff("hyq-fgj", Role.EDITOR)
    user.email = "fgj@example.gov.cn"
    user.save()
    registered(user, received=dt.date(2026, 9, 1))
    assert daily_reminders.delay().get() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("quick", [True, False])
def test_demo_loads_applications_in_several_states_and_is_idempotent(district, quick):
    from gongkai.core import demo as core_demo
    from gongkai.foi import demo

    core_demo.load_staff()
    out = io.StringIO()
    demo.load(out, quick=quick)
    states = set(Application.objects.values_list("status", flat=True))
    assert {"submitted", "processing", "consulting", "closed"} <= states
    assert len(set(Application.objects.values_list("org", flat=True))) >= 3
    n = Application.objects.count()
    assert n == (6 if quick else 8)
    if not quick:  # the district government's own answer names the next level up
        own = Application.objects.get(org__isnull=True, status="closed").letters.get(
            kind="answer_3.1")
        assert "向济南市人民政府申请行政复议" in own.body
    demo.load(out, quick=quick)
    assert Application.objects.count() == n


def test_new_numbers_skip_numbers_taken_by_imported_history(district, make_staff, tmp_path):
    year = dt.date.today().year
    path = tmp_path / "one.jsonl"
    path.write_text(line(number=f"槐荫依申请〔{year}〕1号"), encoding="utf-8")
    call_command("foi", "import", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    app, _ = registered(make_staff("hyq-fgj", Role.EDITOR))
    assert app.number == f"槐荫依申请〔{year}〕2号"


def test_import_of_a_missing_file_is_one_line_with_status_2(capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("foi", "import", "/nonexistent/apps.jsonl")
    assert exc.value.code == 2
    assert capsys.readouterr().err.strip().startswith("error: cannot open")


def test_coordinator_is_reminded_of_online_applications_not_yet_confirmed(
        district, make_staff, settings):
    from django.utils import timezone

    from gongkai.foi import services
    from gongkai.foi.tests.factories import person

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    coord = make_staff("hyq-zfb", Role.COORDINATOR)
    coord.email = "gkb@example.gov.cn"
    coord.save()
    app, _ = services.submit_online(data=person(),
                                    addressee=coord.staff_profile.org.parent)
    call_command("foi", "remind", "--today",
                 (timezone.localdate() + dt.timedelta(days=2)).isoformat(), stdout=io.StringIO())
    assert app.number in mail.outbox[0].body and "待确认收到" in mail.outbox[0].body
