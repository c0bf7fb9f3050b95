"""「目录栏目更新及时」: read from disclosure's published statistic into the evaluation."""

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.core import registry
from gongkai.core.models import Role
from gongkai.disclosure.models import DirectoryNode, Document
from gongkai.disclosure.tests.factories import node, published
from gongkai.supervision import services
from gongkai.supervision.models import Score

pytestmark = pytest.mark.django_db
KEY = "disclosure.directory_fresh_share"


def _aged(editor, reviewer, unit, code, days):
    doc = published(editor, reviewer, unit, node=node(unit, code), title=f"{code} 信息")
    Document.objects.filter(pk=doc.pk).update(
        published_at=timezone.now() - dt.timedelta(days=days))


def test_fresh_share_counts_dynamic_two_weeks_others_six_months_and_blank_as_stale(
        org, make_staff):
    czj = org("hyq-czj")
    e, r = make_staff(czj, Role.EDITOR), make_staff(czj, Role.REVIEWER)
    stat = registry.statistics()[KEY]
    assert stat.label == "目录栏目更新及时" and stat.unit == "%"
    node(czj, "tzgg")  # seeds the standard directory
    columns = DirectoryNode.objects.filter(org=czj, is_active=True,
                                           kind__in=["documents", "domain"],
                                           children__isnull=True).count()
    today = timezone.localdate()
    assert stat.compute(czj, today, today) == 0.0  # every column blank

    _aged(e, r, czj, "tzgg", 10)  # 通知公告: 动态类, within two weeks
    _aged(e, r, czj, "czxx", 150)  # 财政信息: within six months
    _aged(e, r, czj, "tjxx", 200)  # 统计信息: older than six months
    assert stat.compute(czj, today, today) == round(100.0 * 2 / columns, 1)
    # three weeks on, the 通知公告 is no longer fresh; the 财政信息 still is
    later = today + dt.timedelta(days=21)
    assert stat.compute(czj, later, later) == round(100.0 * 1 / columns, 1)
    # a unit without a directory has no data, which is not zero
    assert stat.compute(org("hyq-fgj"), today, today) is None


def test_the_evaluation_reads_it_as_an_indicator(org, make_staff):
    gkb = make_staff("hyq-zfb", Role.COORDINATOR)
    czj = org("hyq-czj")
    e, r = make_staff(czj, Role.EDITOR), make_staff(czj, Role.REVIEWER)
    _aged(e, r, czj, "tzgg", 3)
    start, end = timezone.localdate() - dt.timedelta(days=180), timezone.localdate()
    services.run_evaluation(actor=gkb, title="2026年下半年评估", start=start, end=end,
                            orgs=[czj, org("hyq-fgj")])
    line = next(i for i in Score.objects.get(org=czj).indicators if i["key"] == KEY)
    assert line["label"] == "目录栏目更新及时" and 0 < line["value"] < 50
    assert line["points"] == 0  # below the 50% floor
    other = next(i for i in Score.objects.get(org=org("hyq-fgj")).indicators
                 if i["key"] == KEY)
    assert other["value"] is None and other["points"] is None
