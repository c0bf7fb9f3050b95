"""Half-year evaluation from the platform's data, ranking, trend, 通报 as DOCX/PDF."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gongkai.core import registry
from gongkai.core.models import Role
from gongkai.disclosure.models import Document
from gongkai.disclosure.tests.factories import published
from gongkai.supervision import services
from gongkai.supervision.models import Bulletin, BulletinStatus, Score
from gongkai.supervision.services.evaluation import indicator_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def gkb(make_staff):
    return make_staff("hyq-zfb", Role.COORDINATOR)


def _late(org, editor, reviewer, title):
    doc = published(editor, reviewer, org, title=title)
    # published 60 days after it was due (条例第二十六条)
    Document.objects.filter(pk=doc.pk).update(
        publish_by=timezone.localdate() - dt.timedelta(days=70),
        published_at=timezone.now() - dt.timedelta(days=10))
    return doc


def test_scores_come_from_registered_statistics(gkb, org, make_staff):
    fgj, czj = org("hyq-fgj"), org("hyq-czj")
    for unit, late in ((fgj, False), (czj, True)):
        e, r = make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)
        doc = published(e, r, unit, title=f"{unit.short_name}通知")
        Document.objects.filter(pk=doc.pk).update(
            publish_by=timezone.localdate() - dt.timedelta(days=20),
            published_at=timezone.now() - dt.timedelta(days=25))
        if late:
            _late(unit, e, r, "逾期公开的通知")
    start, end = timezone.localdate() - dt.timedelta(days=180), timezone.localdate()
    values, labels = indicator_values(fgj, start, end)
    assert values["disclosure.on_time_share"] == 100.0
    assert indicator_values(czj, start, end)[0]["disclosure.on_time_share"] == 50.0
    # no applications: no data, which is not zero
    assert values["foi.on_time_share"] is None
    ev = services.run_evaluation(actor=gkb, title="2026年下半年评估", start=start, end=end,
                                 manual={czj.pk: {"manual.third_party": 40}},
                                 orgs=[fgj, czj, org("hyq-wjj")])
    s_fgj, s_czj = Score.objects.get(org=fgj), Score.objects.get(org=czj)
    assert s_fgj.total == 100 and s_fgj.rank == 1
    # czj: on time 50% → 0 of 20 (zero at 60%); third party 40 → 2 of 5: 2/25 = 8 points
    assert float(s_czj.total) == pytest.approx(8.0)
    wjj = Score.objects.get(org=org("hyq-wjj"))
    assert wjj.total == 0 and all(i["points"] is None for i in wjj.indicators)
    with pytest.raises(PermissionDenied):
        services.run_evaluation(actor=make_staff("hyq-fgj"), title="x", start=start, end=end)
    with pytest.raises(ValidationError):
        services.run_evaluation(actor=gkb, title="x", start=end, end=start)
    assert ev.scores.count() == 3


def test_broken_statistic_does_not_sink_the_evaluation(gkb, org):
    registry.statistic("test.broken", "坏指标", lambda o, s, e: 1 / 0)
    try:
        values, _ = indicator_values(org("hyq-fgj"), dt.date(2026, 1, 1), dt.date(2026, 6, 30))
        assert values["test.broken"] is None
    finally:
        registry._statistics.pop("test.broken", None)


def test_bulletin_is_drafted_reviewed_published_and_downloadable(gkb, org, client_for,
                                                                 make_staff):
    start, end = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
    c = client_for(gkb)
    r = c.post(reverse("supervision:evaluations"), {
        "title": "2026年上半年评估", "start": start, "end": end,
        "third_party": "区发展改革局 95\n槐荫区财政局 30", "special_review": "区发展改革局 85"})
    assert r.status_code == 302
    ev = Score.objects.first().evaluation
    # only the manual scores have data: (95% of 5 + 85% of 5) / 10 → 90
    assert Score.objects.get(evaluation=ev, org=org("hyq-fgj")).total == 90
    bad = c.post(reverse("supervision:evaluations"), {
        "title": "x", "start": start, "end": end, "third_party": "不存在的局 50\n区财政局 abc"})
    assert bad.status_code == 400 and "不存在" in bad.content.decode()
    page = c.get(reverse("supervision:evaluation", args=[ev.pk]) + f"?org={org('hyq-fgj').pk}")
    assert "<svg" in page.content.decode() and "<script" not in page.content.decode()
    r = c.post(reverse("supervision:bulletin_draft", args=[ev.pk]),
               {"rectify_by": "2026-05-01"})  # before the period's end: refused
    assert Bulletin.objects.count() == 0
    r = c.post(reverse("supervision:bulletin_draft", args=[ev.pk]),
               {"rectify_by": "2026-08-31", "number": "槐政办字〔2026〕9号"})
    b = Bulletin.objects.get()
    assert r.status_code == 302 and b.status == BulletinStatus.DRAFT
    assert "槐荫区发展和改革局" in b.body.split("二、")[0]  # praised
    assert "槐荫区财政局" in b.body.split("二、")[1].split("三、")[0]  # criticised
    assert "2026年8月31日前完成整改" in b.body
    r = c.post(reverse("supervision:bulletin", args=[b.pk]),
               {"action": "save", "title": b.title, "number": b.number,
                "body": b.body + "\n特此通报。"})
    assert r.status_code == 302
    b.refresh_from_db()
    # 先审后发: who wrote it cannot publish it; another coordinator approves what they read
    assert "须由另一位协调员审核发布" in c.get(b.get_absolute_url()).content.decode()
    r = c.post(reverse("supervision:bulletin", args=[b.pk]),
               {"action": "publish", "revision": b.revision()})
    assert r.status_code == 403
    # the 区政府办公室's 审核人 approves (a unit's reviewer elsewhere may not even look)
    assert client_for(make_staff("hyq-czj", Role.REVIEWER)).get(
        b.get_absolute_url()).status_code == 403
    approver = make_staff("hyq-zfb", Role.REVIEWER)
    from gongkai.core import registry as reg

    waiting = reg.workbench_notices(approver, dt.date(2026, 9, 1))
    assert any("通报待审核发布" in text and url == b.get_absolute_url()
               for _, text, url in waiting)
    reviewer = client_for(approver)
    page = reviewer.get(b.get_absolute_url()).content.decode()
    assert "保存修改" not in page  # reads, approves; does not edit
    assert f'value="{b.revision()}"' in page
    stale = b.revision()
    c.post(reverse("supervision:bulletin", args=[b.pk]),
           {"action": "save", "title": b.title, "number": b.number,
            "body": b.body + "\n特此通报。"})
    r = reviewer.post(reverse("supervision:bulletin", args=[b.pk]),
                      {"action": "publish", "revision": stale})
    assert r.status_code == 400 and "已被修改" in r.content.decode()
    b.refresh_from_db()
    assert b.status == BulletinStatus.DRAFT
    r = reviewer.post(reverse("supervision:bulletin", args=[b.pk]),
                      {"action": "publish", "revision": b.revision()})
    b.refresh_from_db()
    assert b.status == BulletinStatus.PUBLISHED and b.body.endswith("特此通报。")
    assert b.published_by != gkb and b.published_revision == b.revision()
    r = c.post(reverse("supervision:bulletin", args=[b.pk]),
               {"action": "save", "title": "改", "body": "改"})
    assert r.status_code == 400
    docx_bytes = c.get(reverse("supervision:bulletin_docx", args=[b.pk])).content
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs)
    assert b.title in text and "特此通报。" in text
    pdf = c.get(reverse("supervision:bulletin_pdf", args=[b.pk])).content
    assert pdf.startswith(b"%PDF")
    from openpyxl import load_workbook

    x = c.get(reverse("supervision:evaluation_xlsx", args=[ev.pk])).content
    rows = list(load_workbook(io.BytesIO(x)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("名次", "单位", "得分") and rows[1][0] == 1


def test_units_do_not_see_evaluations(make_staff, client_for, gkb):
    c = client_for(make_staff("hyq-fgj"))
    for name in ("supervision:dashboard", "supervision:evaluations", "supervision:training"):
        assert c.get(reverse(name)).status_code == 403
    assert client_for(gkb).get(reverse("supervision:dashboard")).status_code == 200


def test_only_published_bulletins_are_public(gkb, client, make_staff):
    ev = services.run_evaluation(actor=gkb, title="评估", start=dt.date(2026, 1, 1),
                                 end=dt.date(2026, 6, 30))
    b = services.draft_bulletin(actor=gkb, evaluation=ev, rectify_by=dt.date(2026, 9, 1))
    assert client.get(reverse("dc:bulletin", args=[b.pk])).status_code == 404
    assert b.title not in client.get(reverse("dc:bulletins")).content.decode()
    with pytest.raises(PermissionDenied):
        services.publish_bulletin(actor=gkb, bulletin=b, revision=b.revision())
    services.publish_bulletin(actor=make_staff("hyq-zfb", Role.COORDINATOR), bulletin=b,
                              revision=b.revision())
    assert b.title in client.get(reverse("dc:bulletin", args=[b.pk])).content.decode()
    assert b.title in client.get(reverse("dc:bulletins")).content.decode()
