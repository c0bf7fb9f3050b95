"""19号 单项否决 fails a unit's evaluation; the 100-point deduction score is an indicator;
training sessions have an audience and materials, and the evaluation counts the sessions
meant for a unit's people."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Role
from gongkai.core.tests.helpers import one_page_pdf
from gongkai.supervision import scoring, services
from gongkai.supervision.models import (
    Finding,
    FindingStatus,
    InspectionRun,
    Score,
    TrainingMaterial,
    TrainingSession,
)
from gongkai.supervision.services.bulletins import compose
from gongkai.supervision.statistics import (
    inspection_score,
    training_count,
    unit_audiences,
    veto_findings,
)

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@pytest.fixture
def gkb(make_staff):
    return make_staff("hyq-zfb", Role.COORDINATOR)


def make_finding(org, found: dt.date, due: dt.date, closed: dt.date | None = None, *,
                 veto=True, deduction=0, label="首页超过两周未更新"):
    run = InspectionRun.objects.create(base_url="http://testserver/")
    InspectionRun.objects.filter(pk=run.pk).update(started_at=at(found))
    f = Finding.objects.create(
        key=f"k{Finding.objects.count()}", kind="stale_home", label=label,
        url=f"/xxgk/{org.code}/", veto=veto, deduction=deduction, org=org, due=due,
        status=FindingStatus.CLOSED if closed else FindingStatus.OPEN,
        closed_at=at(closed) if closed else None, first_run=run, last_run=run)
    Finding.objects.filter(pk=f.pk).update(found_at=at(found))
    return f


def test_veto_boundaries(org):
    fgj, czj = org("hyq-fgj"), org("hyq-czj")
    on_time = make_finding(fgj, dt.date(2026, 3, 1), dt.date(2026, 3, 4), dt.date(2026, 3, 4))
    late = make_finding(fgj, dt.date(2026, 3, 1), dt.date(2026, 3, 4), dt.date(2026, 3, 5))
    open_at_end = make_finding(fgj, dt.date(2026, 6, 29), dt.date(2026, 7, 2),
                               dt.date(2026, 7, 1))
    still_open = make_finding(fgj, dt.date(2025, 11, 1), dt.date(2025, 11, 4))
    make_finding(fgj, dt.date(2026, 7, 1), dt.date(2026, 7, 4))  # after the period
    make_finding(fgj, dt.date(2025, 12, 1), dt.date(2025, 12, 4),
                 dt.date(2025, 12, 31))  # late, but closed before the period
    make_finding(fgj, dt.date(2026, 3, 1), dt.date(2026, 3, 4), veto=False, deduction=2)
    other = make_finding(czj, dt.date(2026, 3, 1), dt.date(2026, 3, 4))
    got = {f.pk for f in veto_findings(fgj, START, END)}
    assert got == {late.pk, open_at_end.pk, still_open.pk}
    assert on_time.pk not in got and other.pk not in got
    assert [f.pk for f in veto_findings(czj, START, END)] == [other.pk]
    # The same late finding in a period that ends before it was found: nothing.
    assert veto_findings(fgj, dt.date(2025, 1, 1), dt.date(2025, 10, 31)) == []


def test_inspection_score_is_missing_data_without_an_inspection(org):
    fgj, czj = org("hyq-fgj"), org("hyq-czj")
    assert inspection_score(fgj, START, END) is None  # not checked: not 100, not 0
    make_finding(czj, dt.date(2026, 2, 1), dt.date(2026, 2, 15), veto=False, deduction=5)
    assert inspection_score(fgj, START, END) == 100.0  # checked, nothing of fgj's found
    make_finding(fgj, dt.date(2026, 2, 1), dt.date(2026, 2, 15), dt.date(2026, 2, 10),
                 veto=False, deduction=2)
    make_finding(fgj, dt.date(2026, 5, 1), dt.date(2026, 5, 15), veto=False, deduction=1)
    make_finding(fgj, dt.date(2025, 5, 1), dt.date(2025, 5, 15), dt.date(2025, 5, 10),
                 veto=False, deduction=30)  # rectified before the period
    assert inspection_score(fgj, START, END) == 97.0
    assert inspection_score(czj, START, END) == 95.0
    w = scoring.DEFAULT_WEIGHTS["supervision.inspection_score"]
    assert w["weight"] > 0 and w["zero"] == 60  # 19号's pass line


def test_a_veto_fails_the_unit_whatever_its_points(gkb, org, make_staff, client_for):
    fgj, czj = org("hyq-fgj"), org("hyq-czj")
    late = make_finding(fgj, dt.date(2026, 3, 1), dt.date(2026, 3, 4), dt.date(2026, 3, 9),
                        label="留言超过三个月未回复")
    # czj had more deductions but rectified its 单项否决 item on time.
    make_finding(czj, dt.date(2026, 3, 1), dt.date(2026, 3, 4), dt.date(2026, 3, 3))
    make_finding(czj, dt.date(2026, 3, 1), dt.date(2026, 3, 14), veto=False, deduction=20)
    ev = services.run_evaluation(actor=gkb, title="2026年上半年评估", start=START, end=END,
                                 orgs=[fgj, czj])
    s_fgj, s_czj = Score.objects.get(org=fgj), Score.objects.get(org=czj)
    assert s_fgj.total > s_czj.total  # more points...
    assert s_fgj.rank == 2 and s_czj.rank == 1  # ...but failed by the 单项否决
    assert [v["id"] for v in s_fgj.vetoes] == [late.pk] and s_czj.vetoes == []
    assert scoring.verdict(float(s_fgj.total), vetoed=True) == "criticise"

    page = client_for(gkb).get(reverse("supervision:evaluation", args=[ev.pk])).content.decode()
    veto_at = page.index("单项否决")
    assert veto_at < page.index("得分与排名")  # shown first
    assert reverse("supervision:finding", args=[late.pk]) in page[veto_at:page.index("得分与排名")]

    body = compose(ev, dt.date(2026, 8, 1))
    assert body.index("一、单项否决单位") < body.index("二、表扬单位")
    assert "槐荫区发展和改革局：留言超过三个月未回复" in body
    praise = body[body.index("二、表扬单位"):body.index("三、通报批评单位")]
    assert "发展和改革局" not in praise
    assert "2. 槐荫区发展和改革局" in body and "（单项否决）" in body

    # Without findings in the period nobody is vetoed and the 通报 has no such section.
    ev2 = services.run_evaluation(actor=gkb, title="2025年上半年评估", start=dt.date(2025, 1, 1),
                                  end=dt.date(2025, 6, 30), orgs=[fgj, czj])
    assert not any(s.vetoes for s in ev2.scores.all())
    assert "单项否决单位" not in compose(ev2, dt.date(2025, 8, 1))


def test_unit_audiences(org, make_staff):
    fgj, zxj, zfb = org("hyq-fgj"), org("hyq-zxj"), org("hyq-zfb")
    assert unit_audiences(fgj) == {"leader"}
    make_staff(fgj, Role.EDITOR)
    assert unit_audiences(fgj) == {"leader", "editor"}
    assert "subdistrict" in unit_audiences(zxj)
    assert "office" in unit_audiences(zfb)


def test_training_reads_sessions_meant_for_the_unit(gkb, org, make_staff, client_for):
    fgj, zxj = org("hyq-fgj"), org("hyq-zxj")
    make_staff(fgj, Role.EDITOR)
    c = client_for(gkb)
    r = c.post(reverse("supervision:training"), {
        "title": "街道政务公开培训", "date": "2026-03-10", "level": "staff",
        "audience": ["subdistrict"], "orgs": [zxj.pk]})
    assert r.status_code == 302
    # fgj has no 街道工作人员: the session is not meant for it — no data, not zero.
    assert training_count(fgj, START, END) is None
    assert training_count(zxj, START, END) == 100.0
    c.post(reverse("supervision:training"), {
        "title": "信息员业务培训", "date": "2026-04-10", "level": "staff",
        "audience": ["editor", "reviewer"], "orgs": []})
    assert training_count(fgj, START, END) == 0.0  # meant for its 信息员, missed
    assert training_count(zxj, START, END) == 100.0  # zxj has no 信息员 account here
    make_staff(zxj, Role.REVIEWER)
    assert training_count(zxj, START, END) == 50.0
    c.post(reverse("supervision:training"), {
        "title": "分管领导专题培训", "date": "2026-06-30", "level": "leader",
        "audience": ["leader"], "orgs": [fgj.pk]})
    assert training_count(fgj, START, END) == 50.0
    assert training_count(fgj, dt.date(2026, 7, 1), dt.date(2026, 12, 31)) is None
    # An audience is required and must be one of the choices.
    r = c.post(reverse("supervision:training"), {"title": "x", "date": "2026-05-01",
                                                 "level": "staff"})
    assert r.status_code == 400 and TrainingSession.objects.count() == 3
    r = c.post(reverse("supervision:training"), {"title": "x", "date": "2026-05-01",
                                                 "level": "staff", "audience": ["boss"]})
    assert r.status_code == 400 and TrainingSession.objects.count() == 3


def test_training_materials_upload_checks_and_links(gkb, make_staff, client_for):
    c = client_for(gkb)
    r = c.post(reverse("supervision:training"), {
        "title": "条例解读培训", "date": "2026-03-10", "level": "staff",
        "audience": ["office", "editor"],
        "material_file": SimpleUploadedFile("课件.pdf", one_page_pdf(), "application/pdf"),
        "material_links": "培训视频 https://example.org/video\n/xxgk/hyq-zfb/zcjd/"})
    assert r.status_code == 302
    s = TrainingSession.objects.get()
    assert s.audience == ["office", "editor"]
    titles = sorted(m.title for m in s.material_files.all())
    assert titles == ["/xxgk/hyq-zfb/zcjd/", "培训视频", "课件.pdf"]
    upload = TrainingMaterial.objects.get(title="课件.pdf")
    # Any staff member may fetch the materials; anonymous users may not.
    other = client_for(make_staff("hyq-fgj"))
    got = other.get(reverse("supervision:training_material", args=[upload.pk]))
    assert got.status_code == 200 and got.content.startswith(b"%PDF")
    from django.test import Client
    assert Client().get(reverse("supervision:training_material",
                                args=[upload.pk])).status_code == 302
    page = c.get(reverse("supervision:training")).content.decode()
    assert "公开办工作人员、信息员" in page and "https://example.org/video" in page
    # A file that is not what it says is refused with the upload checks' message.
    r = c.post(reverse("supervision:training"), {
        "title": "坏材料", "date": "2026-03-11", "level": "staff", "audience": ["editor"],
        "material_file": SimpleUploadedFile("课件.pdf", b"not a pdf at all", "application/pdf")})
    assert r.status_code == 400 and "文件类型不支持" in r.content.decode()
    r = c.post(reverse("supervision:training"), {
        "title": "坏链接", "date": "2026-03-11", "level": "staff", "audience": ["editor"],
        "material_links": "javascript:alert(1)"})
    assert r.status_code == 400 and "不是网址" in r.content.decode()
    assert TrainingSession.objects.count() == 1
