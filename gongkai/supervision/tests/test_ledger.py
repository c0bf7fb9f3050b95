"""The 台账: import (command, upload), unit assignments, progress, notices, 回头看, exports."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from gongkai.core.models import AuditEntry, Organization, OrgKind, Role
from gongkai.supervision import services
from gongkai.supervision.models import Assignment, AssignmentStatus, Plan
from gongkai.supervision.seed import SEED_PLAN, seed_plan_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def gkb(make_staff):
    return make_staff("hyq-zfb", Role.COORDINATOR)


@pytest.fixture
def plan(gkb):
    return services.import_plan(actor=gkb, text=seed_plan_text(), source_name=SEED_PLAN)


def test_seed_plan_becomes_tasks_per_unit(plan, org):
    assert plan.year == 2021 and plan.tasks.count() == 21
    depts = Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.OFFICE]).count()
    streets = Organization.objects.filter(kind=OrgKind.SUBDISTRICT).count()
    # every task is for every department and every 街道 (区政府各部门/有关部门, 各街道办事处)
    assert Assignment.objects.filter(task__plan=plan).count() == 21 * (depts + streets)
    fgj = org("hyq-fgj")
    named = Assignment.objects.filter(org=fgj, named=True).values_list("task__code", flat=True)
    assert sorted(named) == ["一（三）", "一（二）"]
    # 区公安分局 is not how the unit is named in the system: listed for the coordinator
    assert plan.unresolved == ["区公安分局"]
    assert AuditEntry.objects.filter(action="dc.plan.import").count() == 1


def test_alias_resolves_and_is_used_by_the_next_import(plan, gkb, org):
    gaj = org("hyq-gaj")
    services.add_alias(actor=gkb, plan=plan, name="区公安分局", org=gaj)
    plan.refresh_from_db()
    assert plan.unresolved == []
    assert Assignment.objects.get(task__plan=plan, task__code="一（五）", org=gaj).named
    again = services.import_plan(actor=gkb, text=seed_plan_text())
    assert again.pk == plan.pk and again.unresolved == []  # idempotent, alias remembered
    with pytest.raises(ValidationError):
        services.add_alias(actor=gkb, plan=plan, name="不在列表", org=gaj)


def test_a_name_that_is_no_unit_here_is_remembered_and_audited(plan, gkb, client_for,
                                                               make_staff):
    from gongkai.supervision.models import NameAlias

    c = client_for(gkb)
    page = c.get(plan.get_absolute_url()).content.decode()
    assert "区公安分局" in page and "不是本平台单位" in page
    r = c.post(reverse("supervision:plan_alias", args=[plan.pk]),
               {"name": "区公安分局", "org": "ignore"}, follow=True)
    assert "以后导入不再询问" in r.content.decode()
    plan.refresh_from_db()
    assert plan.unresolved == []
    assert not any(t.unresolved for t in plan.tasks.all())
    before = Assignment.objects.count()
    # a later plan naming the same office: not asked again, nothing assigned for it
    later = services.import_plan(actor=gkb, text=seed_plan_text().replace("2021", "2022"))
    assert later.pk != plan.pk and later.unresolved == []
    assert Assignment.objects.count() == before * 2
    entry = AuditEntry.objects.get(action="dc.plan.alias")
    assert entry.actor == gkb and "区公安分局" in entry.summary and "非本平台单位" in entry.summary
    # the answers are listed; removing one makes the next import ask again
    alias = NameAlias.objects.get(name="区公安分局")
    assert "区公安分局" in c.get(reverse("supervision:aliases")).content.decode()
    assert client_for(make_staff("hyq-fgj")).post(
        reverse("supervision:aliases"), {"alias": alias.pk}).status_code == 403
    assert c.post(reverse("supervision:aliases"), {"alias": alias.pk}).status_code == 302
    assert AuditEntry.objects.filter(action="dc.plan.alias_remove").exists()
    again = services.import_plan(actor=gkb, text=seed_plan_text().replace("2021", "2023"))
    assert again.unresolved == ["区公安分局"]
    assert c.post(reverse("supervision:plan_alias", args=[again.pk]),
                  {"name": "区公安分局", "org": "nope"}).status_code == 302  # message, no 500
    again.refresh_from_db()
    assert again.unresolved == ["区公安分局"]


def test_one_answer_resolves_every_plan_that_asks(gkb, org):
    first = services.import_plan(actor=gkb, text=seed_plan_text())
    second = services.import_plan(actor=gkb, text=seed_plan_text().replace("2021", "2022"))
    assert first.unresolved == second.unresolved == ["区公安分局"]
    gaj = org("hyq-gaj")
    services.add_alias(actor=gkb, plan=second, name="区公安分局", org=gaj)
    first.refresh_from_db()
    assert first.unresolved == []
    assert Assignment.objects.filter(task__plan=first, org=gaj, named=True).exists()


def test_only_the_coordinator_imports(make_staff):
    editor = make_staff("hyq-fgj", Role.EDITOR)
    with pytest.raises(PermissionDenied):
        services.import_plan(actor=editor, text=seed_plan_text())
    assert not Plan.objects.exists()


def test_command_imports_the_seed(tmp_path, district):
    path = tmp_path / SEED_PLAN
    path.write_text(seed_plan_text(), encoding="utf-8")
    out = io.StringIO()
    call_command("plan", "import", str(path), stdout=out)
    assert "21 tasks" in out.getvalue() and "区公安分局" in out.getvalue()
    bad = tmp_path / "bad.txt"
    bad.write_text("没有任务", encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("plan", "import", str(bad), stdout=io.StringIO())


def test_upload_docx_and_bad_files_on_the_workbench(gkb, client_for, district):
    import docx

    d = docx.Document()
    for line in ["2022年槐荫区政务公开工作要点", "一、重点工作",
                 "（一）公开预决算。（责任单位：区财政局，各街道办事处）"]:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    c = client_for(gkb)
    url = reverse("supervision:plan_import")
    r = c.post(url, {"file": SimpleUploadedFile("p.docx", buf.getvalue())})
    assert r.status_code == 302
    plan = Plan.objects.get(year=2022)
    assert plan.tasks.get().assignments.filter(named=True).get().org.code == "hyq-czj"
    for upload in [SimpleUploadedFile("x.docx", b"not a zip"),
                   SimpleUploadedFile("x.txt", b"\xff\xfe\x00garbage"),
                   SimpleUploadedFile("x.exe", b"MZ")]:
        r = c.post(url, {"file": upload})
        assert r.status_code == 400
        assert "error-summary" in r.content.decode()
    assert c.post(url, {}).status_code == 400


def test_unit_reports_progress_on_its_own_tasks_only(plan, make_staff, client_for, org):
    fgj_user = make_staff("hyq-fgj", Role.EDITOR)
    czj = Assignment.objects.get(task__plan=plan, task__code="一（四）", org=org("hyq-czj"))
    mine = Assignment.objects.get(task__plan=plan, task__code="一（二）", org=org("hyq-fgj"))
    c = client_for(fgj_user)
    assert c.get(reverse("supervision:assignment", args=[czj.pk])).status_code == 403
    assert c.post(reverse("supervision:assignment", args=[czj.pk]),
                  {"text": "x"}).status_code == 403
    page = c.get(reverse("supervision:index")).content.decode()
    assert "聚焦“十四五”规划做好信息主动公开" in page
    r = c.post(reverse("supervision:assignment", args=[mine.pk]),
               {"text": "已公开十四五规划纲要。", "evidence": "/xxgk/hyq-fgj/ghxx/\n",
                "done": "on"})
    assert r.status_code == 302
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.DONE
    p = mine.progress.get()
    assert p.evidence_links() == ["/xxgk/hyq-fgj/ghxx/"] and p.quarter.endswith(("1", "2",
                                                                                "3", "4"))
    r = c.post(reverse("supervision:assignment", args=[mine.pk]),
               {"text": "x", "evidence": "javascript:alert(1)"})
    assert r.status_code == 400 and "不是网址" in r.content.decode()
    assert mine.progress.count() == 1
    # the plan page shows the unit only its own assignments
    body = c.get(reverse("supervision:plan", args=[plan.pk])).content.decode()
    assert "槐荫区财政局" not in body


def test_notice_and_carry_over(plan, gkb, org, make_staff, client_for):
    c = client_for(gkb)
    due = dt.date.today() + dt.timedelta(days=10)
    r = c.post(reverse("supervision:notice_send"), {"org": org("hyq-czj").pk, "plan": plan.pk,
                                                      "text": "请报送预决算公开情况",
                                                      "due": due.isoformat()})
    assert r.status_code == 302
    czj_user = make_staff("hyq-czj", Role.EDITOR)
    assert "请报送预决算公开情况" in client_for(czj_user).get(
        reverse("supervision:index")).content.decode()
    assert "请报送预决算公开情况" not in client_for(make_staff("hyq-fgj")).get(
        reverse("supervision:index")).content.decode()
    c.post(reverse("supervision:notice_send"), {"org": "abc", "text": "", "due": "昨天"})
    # 回头看: 2021's unfinished tasks go into 2022's ledger with a deadline
    done = Assignment.objects.filter(task__plan=plan).first()
    done.status = AssignmentStatus.DONE
    done.save()
    text = seed_plan_text().replace("2021年槐荫区政务公开工作要点", "2022年槐荫区政务公开工作要点")
    plan22 = services.import_plan(actor=gkb, text=text)
    n = services.carry_over(actor=gkb, source=plan, target=plan22, rectify_by=due)
    assert n == Assignment.objects.filter(task__plan=plan).count() - 1
    carried = Assignment.objects.filter(task__plan=plan22, carried_from__isnull=False)
    assert carried.count() == n and carried.first().rectify_by == due
    assert not carried.filter(carried_from=done).exists()
    with pytest.raises(ValidationError):
        services.carry_over(actor=gkb, source=plan22, target=plan, rectify_by=due)


def test_ledger_xlsx_is_scoped(plan, make_staff, client_for, gkb):
    from openpyxl import load_workbook

    r = client_for(make_staff("hyq-fgj")).get(reverse("supervision:plan_xlsx", args=[plan.pk]))
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "任务", "责任单位")
    assert {row[2] for row in rows[1:]} == {"槐荫区发展和改革局"} and len(rows) == 22
    r = client_for(gkb).get(reverse("supervision:plan_xlsx", args=[plan.pk]))
    assert len(list(load_workbook(io.BytesIO(r.content)).active.iter_rows())) > 100


def test_anonymous_and_roleless_are_kept_out(client, plan, django_user_model):
    assert client.get(reverse("supervision:index")).status_code == 302
    u = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(u)
    assert client.get(reverse("supervision:plan", args=[plan.pk])).status_code == 403
    assert client.get(reverse("supervision:plan", args=[999999])).status_code in (403, 404)


def test_unit_answers_its_notice_once(plan, gkb, org, make_staff, client_for):
    notice = services.send_notice(actor=gkb, org=org("hyq-czj"), text="请报送预算公开情况",
                                  due=dt.date.today() + dt.timedelta(days=5), plan=plan)
    other = client_for(make_staff("hyq-fgj"))
    assert other.post(reverse("supervision:notice_answer", args=[notice.pk]),
                      {"answer": "x"}).status_code == 403
    c = client_for(make_staff("hyq-czj"))
    c.post(reverse("supervision:notice_answer", args=[notice.pk]), {"answer": ""})
    notice.refresh_from_db()
    assert notice.answered_at is None
    c.post(reverse("supervision:notice_answer", args=[notice.pk]), {"answer": "已全部公开"})
    notice.refresh_from_db()
    assert notice.answer == "已全部公开"
    with pytest.raises(ValidationError):
        services.answer_notice(actor=gkb, notice=notice, answer="再次")
    assert "已全部公开" in client_for(gkb).get(reverse("supervision:index")).content.decode()
